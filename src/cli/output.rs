//! Writing to stdout without panicking when the reader closes it early (`… | head -1`): a
//! closed pipe means the reader has seen enough, so the command stops quietly.

use std::fmt;
use std::io::{self, Write};

#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// The reader went away: stop now, nothing is wrong.
    #[error("stdout was closed by its reader")]
    Closed,
    #[error("cannot write to stdout: {0}")]
    Io(io::Error),
}

impl From<io::Error> for OutputError {
    fn from(error: io::Error) -> Self {
        match error.kind() {
            io::ErrorKind::BrokenPipe => OutputError::Closed,
            _ => OutputError::Io(error),
        }
    }
}

/// Writes `text` and a newline to stdout and flushes, so a closed pipe shows at this line.
pub fn line(text: fmt::Arguments<'_>) -> Result<(), OutputError> {
    let mut out = io::stdout().lock();
    out.write_fmt(text)?;
    out.write_all(b"\n")?;
    out.flush()?;
    Ok(())
}

/// Whether `error` is, or was caused by, stdout closed by its reader.
pub fn is_closed(error: &anyhow::Error) -> bool {
    error
        .chain()
        .any(|cause| matches!(cause.downcast_ref(), Some(OutputError::Closed)))
}

/// `println!` that returns an [`OutputError`] instead of panicking: use it with `?`.
macro_rules! say {
    ($($arg:tt)*) => {
        $crate::cli::output::line(format_args!($($arg)*))
    };
}
pub(crate) use say;
