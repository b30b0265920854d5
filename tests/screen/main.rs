//! The kiosk's screen tests, one binary: `update` and iced's simulator on the real views (the
//! layout at every window size, lists, the survey, the technician's menu), the scanner and
//! the sync loop through the screen, and the real program full screen under Xvfb and cage.
//! One module per topic, their helpers in `support`; the rest of the kiosk's integration tests
//! are the other binary, `tests/kiosk/`.

#[path = "../common/mod.rs"]
mod common;
mod support;

mod fullscreen;
mod menu_on_screen;
mod scan_to_survey;
mod ui;
mod ui_again;
mod ui_hold;
mod ui_layout;
mod ui_lists;
mod ui_maintenance;
mod ui_maintenance_pages;
mod ui_maintenance_sync;
mod ui_speech;
mod ui_survey;
mod ui_survey_scan;
mod ui_update;
