//! Logs for both programs. Under systemd, when stderr is the journal's stream
//! (`JOURNAL_STREAM` names it), events go to journald itself: one `PRIORITY` per level
//! (error 3, warn 4, info 5, debug 6, trace 7), the target, file and line, and every field of
//! the event as a searchable `MPP_<FIELD>` (e.g. `journalctl -u mpp-kiosk MPP_ORIGIN=...`).
//! Anywhere else, plain lines on stderr with colour only on a terminal. Never personal data,
//! tokens, PINs or keys: there is none to log.

mod recent;

use std::io::IsTerminal;

use tracing_subscriber::filter::LevelFilter;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{EnvFilter, Layer};

pub use recent::Recent;

/// Prefix of the journal fields made from an event's fields: `addr` becomes `MPP_ADDR`.
pub const FIELD_PREFIX: &str = "MPP";

/// Where the logs of this process go.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Destination {
    /// Structured entries sent to journald.
    Journal,
    /// Lines on stderr.
    Stderr,
}

/// Sets up logging; `variable` (e.g. `MPP_KIOSK_LOG`) overrides `default` (e.g. `warn`).
/// The journal's `SYSLOG_IDENTIFIER` is the program's name. Whatever the filter, the last
/// lines at `info` and above are kept in [`Recent::global`] for the maintenance menu.
pub fn init(variable: &str, default: &str) -> Destination {
    let filter = || EnvFilter::try_from_env(variable).unwrap_or_else(|_| EnvFilter::new(default));
    if stderr_is_journal() {
        match tracing_journald::layer() {
            Ok(journal) => {
                let journal = journal.with_field_prefix(Some(FIELD_PREFIX.into()));
                tracing_subscriber::registry()
                    .with(journal.with_filter(filter()))
                    .with(recent_layer())
                    .init();
                return Destination::Journal;
            }
            // No journald to talk to (a container, a chroot): stderr still reaches it or a file.
            Err(error) => {
                eprintln!("warning: journald is not reachable ({error}); logging to stderr")
            }
        }
    }
    let lines = tracing_subscriber::fmt::layer()
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .with_filter(filter());
    tracing_subscriber::registry()
        .with(lines)
        .with(recent_layer())
        .init();
    Destination::Stderr
}

/// The layer that keeps the last `info`-and-above lines in [`Recent::global`] (tests that set
/// their own subscriber add it too).
pub fn recent_layer<S>() -> impl Layer<S>
where
    S: tracing::Subscriber + for<'span> tracing_subscriber::registry::LookupSpan<'span>,
{
    Recent::global().clone().with_filter(LevelFilter::INFO)
}

/// Whether stderr is the stream systemd connected to the journal: `JOURNAL_STREAM` is
/// `<device>:<inode>` of it. A program started from a service but writing elsewhere (a
/// technician's redirect) keeps the plain format.
fn stderr_is_journal() -> bool {
    let Some(value) = std::env::var_os("JOURNAL_STREAM") else {
        return false;
    };
    let Some(value) = value.to_str() else {
        return false;
    };
    stderr_identity().is_some_and(|(device, inode)| names_stream(value, device, inode))
}

/// Device and inode of stderr.
fn stderr_identity() -> Option<(u64, u64)> {
    use std::os::fd::AsFd;
    use std::os::unix::fs::MetadataExt;
    let owned = std::io::stderr().as_fd().try_clone_to_owned().ok()?;
    let metadata = std::fs::File::from(owned).metadata().ok()?;
    Some((metadata.dev(), metadata.ino()))
}

/// Whether `JOURNAL_STREAM`'s value `<device>:<inode>` (decimal) names this stream.
fn names_stream(value: &str, device: u64, inode: u64) -> bool {
    let Some((dev, ino)) = value.trim().split_once(':') else {
        return false;
    };
    dev.parse() == Ok(device) && ino.parse() == Ok(inode)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn journal_stream_must_name_this_very_stream() {
        assert!(names_stream("8:12345", 8, 12345));
        assert!(names_stream(" 8:12345\n", 8, 12345));
        assert!(!names_stream("8:12346", 8, 12345), "another stream");
        assert!(!names_stream("9:12345", 8, 12345), "another device");
        assert!(!names_stream("8", 8, 12345));
        assert!(!names_stream("", 8, 12345));
        assert!(!names_stream("x:y", 8, 12345));
    }

    #[test]
    fn stderr_has_an_identity() {
        assert!(stderr_identity().is_some());
    }
}
