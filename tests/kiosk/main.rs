//! The kiosk's integration tests, one binary: the store on real SQLite files, the command line
//! (the built `mpp-kiosk`), the printer and scanner drivers against pty simulators, the sync
//! loop against a real `mpp-central`, crashes, the watchdog under Xvfb. One module per topic;
//! the screen's tests are the other binary, `tests/screen/`.

#[path = "../common/mod.rs"]
mod common;

mod appliance;
mod catalog;
mod cli;
mod cli_services;
mod closure_outbox;
mod crash;
mod day;
mod maintenance;
mod printed_qr_scans;
mod printer;
mod scanner_driver;
mod speech;
mod store;
mod survey_store;
mod sync;
mod sync_closures;
mod sync_numbers;
mod sync_refusals;
mod sync_surveys;
mod sync_waits;
mod watchdog;
