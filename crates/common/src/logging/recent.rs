//! The last lines this process logged, kept in memory for the kiosk's maintenance menu: a
//! technician with no SSH reads what went wrong on the screen. Bounded (a ring of
//! [`CAPACITY`] lines) and, like every log, free of personal data, tokens and PINs.

use std::collections::VecDeque;
use std::fmt::Write as _;
use std::sync::{Arc, Mutex, OnceLock};

use chrono::{DateTime, Utc};
use tracing::field::{Field, Visit};
use tracing::{Event, Subscriber};
use tracing_subscriber::Layer;
use tracing_subscriber::layer::Context;

/// Lines kept: a morning's warnings, a few hundred bytes each at most.
pub const CAPACITY: usize = 200;
/// Longest line kept, in characters (a field holding a whole server answer stays readable).
const LINE_CHARS: usize = 300;

/// A ring of formatted lines with their moment, newest last.
#[derive(Clone, Default)]
pub struct Recent {
    lines: Arc<Mutex<VecDeque<Entry>>>,
}

/// A line and when it was logged.
type Entry = (DateTime<Utc>, String);

impl Recent {
    /// The ring this process's logging writes to (see [`super::init`]).
    pub fn global() -> &'static Recent {
        static RECENT: OnceLock<Recent> = OnceLock::new();
        RECENT.get_or_init(Recent::default)
    }

    /// The newest `count` lines, oldest first, each starting with its UTC time.
    pub fn lines(&self, count: usize) -> Vec<String> {
        (self.entries(count).into_iter())
            .map(|(at, line)| format!("{} UTC {line}", at.format("%H:%M:%S")))
            .collect()
    }

    /// The newest `count` lines, oldest first, with when each was logged: for a screen that
    /// shows times in its own zone.
    pub fn entries(&self, count: usize) -> Vec<(DateTime<Utc>, String)> {
        let Ok(lines) = self.lines.lock() else {
            return Vec::new();
        };
        let skip = lines.len().saturating_sub(count);
        lines.iter().skip(skip).cloned().collect()
    }

    fn push(&self, line: (DateTime<Utc>, String)) {
        if let Ok(mut lines) = self.lines.lock() {
            if lines.len() == CAPACITY {
                lines.pop_front();
            }
            lines.push_back(line);
        }
    }
}

impl<S: Subscriber> Layer<S> for Recent {
    fn on_event(&self, event: &Event<'_>, _context: Context<'_, S>) {
        let metadata = event.metadata();
        let mut fields = Fields::default();
        event.record(&mut fields);
        let (level, target) = (metadata.level(), metadata.target());
        let mut line = format!("{level} {target}: {}{}", fields.message, fields.rest);
        if line.chars().count() > LINE_CHARS {
            line = line.chars().take(LINE_CHARS - 1).collect();
            line.push('…');
        }
        self.push((Utc::now(), line));
    }
}

/// An event's message and its other fields as ` key=value`.
#[derive(Default)]
struct Fields {
    message: String,
    rest: String,
}

impl Visit for Fields {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        if field.name() == "message" {
            let _ = write!(self.message, "{value:?}");
        } else {
            let _ = write!(self.rest, " {}={value:?}", field.name());
        }
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "message" {
            self.message.push_str(value);
        } else {
            let _ = write!(self.rest, " {}={value}", field.name());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tracing_subscriber::layer::SubscriberExt;

    #[test]
    fn the_ring_keeps_the_newest_lines_with_their_fields_in_order() {
        let recent = Recent::default();
        let subscriber = tracing_subscriber::registry().with(recent.clone());
        tracing::subscriber::with_default(subscriber, || {
            for index in 0..CAPACITY + 5 {
                tracing::warn!(index, state = "paper_out", "the printer needs attention");
            }
            tracing::error!("{}", "x".repeat(LINE_CHARS * 2));
        });
        let all = recent.lines(usize::MAX);
        assert_eq!(all.len(), CAPACITY, "bounded");
        let newest = recent.lines(2);
        let expected = format!(
            "WARN mpp_common::logging::recent::tests: the printer needs attention index={} state=paper_out",
            CAPACITY + 4
        );
        assert!(newest[0].ends_with(&expected), "{newest:?}");
        assert!(newest[1].contains("ERROR"), "{newest:?}");
        let (_, last) = recent.entries(1).pop().expect("an entry");
        assert_eq!(last.chars().count(), LINE_CHARS, "cut to a readable length");
        assert!(newest[1].ends_with(&last) && newest[1].contains(" UTC "));
        assert!(all[0].contains(" index=6 "), "the oldest went: {}", all[0]);
    }
}
