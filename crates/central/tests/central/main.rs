//! The central server's integration tests, one binary (linked once) with a module per topic.
//! Every test starts the real `mpp-central` (see `mpp_testkit::central`), on a free loopback
//! port with its own folder; with `MPP_CENTRAL_TEST_BACKEND=postgres` the API modules run on a
//! throwaway PostgreSQL cluster instead of SQLite (`.ci/run` names them).

mod api;
mod audit;
mod bearer_guessing;
mod browser_pages;
mod calls;
mod catalog_codes;
mod closures;
mod console;
mod copy_to_postgres;
mod counter_next;
mod counter_rules;
mod dashboard;
mod dashboard_files;
mod dashboard_pages;
mod demo_secrets;
mod liveness;
mod numbers;
mod page_headers;
mod postgres;
mod process;
mod province;
mod reads;
mod refusals;
mod slow_bodies;
mod small_screens;
mod staff_accounts;
mod staff_login;
mod survey_pages;
mod surveys;
mod systemd_notify;
mod ticket_keys;
mod ticket_page;
mod timeouts;
mod waits;
