//! Starting the kiosk program again in place, for the menu's "restart the app": the same
//! process (so systemd's watchdog, cage and the session keep their child), the same arguments,
//! the program file as it is now on disk (after an upgrade, the new one). The database needs
//! nothing first: every ticket is committed before it prints, and the store survives a cut
//! at any moment (tested with SIGKILL).

use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::Command;

/// The program could not take this process's place.
#[derive(Debug, thiserror::Error)]
#[error("cannot start {} again: {source}", program.display())]
pub struct RestartFailed {
    pub program: PathBuf,
    pub source: std::io::Error,
}

/// Replaces this process with a fresh start of the program; returns only if that failed.
pub fn start_again() -> RestartFailed {
    let program = program();
    tracing::info!(program = %program.display(), "starting the kiosk again");
    let source = Command::new(&program)
        .args(std::env::args_os().skip(1))
        .exec();
    RestartFailed { program, source }
}

/// The program's file. Linux names a replaced one `… (deleted)`: its path then holds the new
/// version, which is what a restart after an upgrade should run.
pub fn program() -> PathBuf {
    match std::env::current_exe() {
        Ok(path) => {
            let text = path.to_string_lossy();
            match text.strip_suffix(" (deleted)") {
                Some(original) => PathBuf::from(original),
                None => path,
            }
        }
        Err(_) => PathBuf::from("/proc/self/exe"),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_program_is_this_test_binary_on_disk() {
        let program = super::program();
        assert!(program.is_file(), "{}", program.display());
        assert_eq!(program, std::env::current_exe().expect("exe"));
    }
}
