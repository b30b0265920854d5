//! `mpp-display`: the lobby display on a TV. Started by systemd inside cage, it reads
//! `/etc/mpp-display/display.toml`, waits until the server takes connections (a TV that boots
//! faster than the server must not keep Chromium's "site can't be reached" page), empties the
//! browser's profile and becomes Chromium, full
//! screen on mpp-central's `/display` page with sound allowed. `mpp-display check` tells a
//! technician whether the configuration is right and what would run.

mod config;
mod launch;
mod reach;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use mpp_common::exit;

use config::DisplayConfig;
use launch::Session;

/// The lobby display: Chromium full screen on mpp-central's /display page, with the calls'
/// chime and voice playing without anyone touching the screen.
///
/// Run by mpp-display.service inside cage (`cage -- mpp-display`). The page's address is `url`
/// in the configuration. Exit codes: 0 done, 1 refused or failed (stderr says why), 2 wrong
/// usage. Set MPP_DISPLAY_LOG=debug for more logs.
#[derive(Parser)]
#[command(name = "mpp-display", version)]
struct Cli {
    /// The configuration file.
    #[arg(long, value_name = "PATH", default_value = config::SYSTEM_PATH)]
    config: PathBuf,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Check the configuration, the browser and the server, and print the command that would
    /// run; starts nothing.
    Check,
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => return exit::usage_error(&error),
    };
    match cli.command {
        Some(Command::Check) => check(&cli.config),
        None => {
            mpp_common::logging::init("MPP_DISPLAY_LOG", "info");
            show(&cli.config)
        }
    }
}

/// Becomes the browser; returns only when that is impossible.
fn show(path: &std::path::Path) -> ExitCode {
    let config = match DisplayConfig::load(path) {
        Ok(config) => config,
        Err(error) => return failed(&error),
    };
    let prepared = launch::check_browser(&config.chromium)
        .and_then(|()| launch::fresh_profile(&launch::state_directory()));
    let profile = match prepared {
        Ok(profile) => profile,
        Err(error) => return failed(&error),
    };
    reach::wait_for_server(&config.url);
    let launch = launch::chromium(&config, &profile, Session::current());
    // The address of a server in the building, not personal data.
    tracing::info!(url = %config.url, command = %launch.shown(), "starting the browser");
    failed(&launch::exec(&launch))
}

/// `mpp-display check`.
fn check(path: &std::path::Path) -> ExitCode {
    let config = match DisplayConfig::load(path) {
        Ok(config) => config,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::from(exit::FAILURE);
        }
    };
    println!("ok   configuration {}", path.display());
    let mut good = true;
    match launch::check_browser(&config.chromium) {
        Ok(()) => println!("ok   browser {}", config.chromium.display()),
        Err(error) => {
            println!("FAIL {error}");
            good = false;
        }
    }
    match reach::server(&config.url) {
        Ok(address) => println!("ok   server {address} answers"),
        Err(why) => {
            println!("FAIL server: {why}");
            good = false;
        }
    }
    let profile = launch::profile_in(&launch::state_directory());
    let launch = launch::chromium(&config, &profile, Session::Wayland);
    println!(
        "under cage it runs (the profile emptied first):\n  {}",
        launch.shown()
    );
    ExitCode::from(if good { exit::SUCCESS } else { exit::FAILURE })
}

fn failed(error: &dyn std::error::Error) -> ExitCode {
    tracing::error!("{error}");
    ExitCode::from(exit::FAILURE)
}
