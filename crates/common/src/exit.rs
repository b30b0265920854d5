//! The exit codes both programs promise: 0 done, 1 refused or failed (the message says why),
//! 2 wrong usage. Also what to do with a command line clap could not read.

use std::process::ExitCode;

/// Done as asked.
pub const SUCCESS: u8 = 0;
/// Refused or failed; the message says why.
pub const FAILURE: u8 = 1;
/// The command line was wrong.
pub const USAGE: u8 = 2;

/// Prints clap's message and gives the exit code for it: 0 for `--help` and `--version`
/// (printed on stdout), 2 for a wrong command line (printed on stderr).
pub fn usage_error(error: &clap::Error) -> ExitCode {
    // Nothing more can be said if the terminal is gone.
    let _ = error.print();
    ExitCode::from(usage_code(error))
}

fn usage_code(error: &clap::Error) -> u8 {
    if error.use_stderr() { USAGE } else { SUCCESS }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::{CommandFactory, Parser};

    #[derive(Parser)]
    #[command(name = "demo", version)]
    struct Demo {
        #[arg(long)]
        name: Option<String>,
    }

    fn code_for(args: &[&str]) -> u8 {
        let command = Demo::command();
        let error = command.try_get_matches_from(args).expect_err("refused");
        usage_code(&error)
    }

    #[test]
    fn help_and_version_succeed_and_mistakes_are_usage_errors() {
        assert_eq!(code_for(&["demo", "--help"]), SUCCESS);
        assert_eq!(code_for(&["demo", "--version"]), SUCCESS);
        assert_eq!(code_for(&["demo", "--bogus"]), USAGE);
        assert_eq!(code_for(&["demo", "--name"]), USAGE);
        assert!(Demo::try_parse_from(["demo", "--name", "x"]).is_ok());
    }
}
