//! `mpp-kiosk`: the kiosk, and the technician's tools over SSH that share its code.

mod cli;

use std::process::ExitCode;

fn main() -> ExitCode {
    cli::run()
}
