//! `mpp-kiosk`: the kiosk, and the technician's tools over SSH that share its code.

mod cli;

use std::process::ExitCode;

fn main() -> ExitCode {
    // The database, the numbers record and printed tickets are this user's alone.
    mpp_common::permissions::restrict_new_files();
    cli::run()
}
