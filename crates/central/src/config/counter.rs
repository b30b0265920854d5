//! A `[[counter]]` entry: a token shared by some counters, the points they call visitors to
//! and the queues they serve.

use serde::Deserialize;

use crate::config::TokenHash;

/// A set of counters sharing one token, e.g. `Loket 1-4`, and what they may do: call visitors
/// to one of their `points`, for tickets of their `queues` only.
#[derive(Clone, Debug, Deserialize)]
pub struct CounterEntry {
    pub name: String,
    pub token_sha256: TokenHash,
    /// The counter points this token calls visitors to, as shown on the ticket page.
    #[serde(default)]
    pub points: Vec<String>,
    /// The queues (ticket prefixes) this token serves.
    #[serde(default)]
    pub queues: Vec<String>,
    /// The lobby zone of these points (a floor, a wing): `/display?zone=` shows only its calls.
    /// Left out: every display of the MPP.
    #[serde(default)]
    pub zone: Option<String>,
}

impl CounterEntry {
    /// Its zone, "" for none.
    pub fn zone(&self) -> &str {
        self.zone.as_deref().unwrap_or("")
    }
}

/// Longest counter point name, in characters.
pub const MAX_POINT_LEN: usize = 64;

impl CounterEntry {
    /// Its points and queues: at least one of each, named plainly, none twice.
    pub(crate) fn check_lists(&self, place: &str) -> Result<(), (String, String)> {
        let counter = self;
        if counter.points.is_empty() {
            return Err((
                format!("{place}.points"),
                "must list the counter points this token calls visitors to, e.g. \
                 points = [\"Loket 1\", \"Loket 2\"]: the ticket page shows only these"
                    .into(),
            ));
        }
        for (index, point) in counter.points.iter().enumerate() {
            let trimmed = point.trim();
            if trimmed.is_empty() || trimmed != point || point.chars().count() > MAX_POINT_LEN {
                return Err((
                    format!("{place}.points"),
                    format!(
                        "entry {index} ({point:?}) must be 1–{MAX_POINT_LEN} characters without \
                     spaces around it"
                    ),
                ));
            }
            if counter.points[..index].contains(point) {
                return Err((
                    format!("{place}.points"),
                    format!("{point:?} is listed twice"),
                ));
            }
        }
        if counter.queues.is_empty() {
            return Err((
                format!("{place}.queues"),
                "must list the queues (ticket prefixes) this token serves, e.g. queues = [\"DKC\"]"
                    .into(),
            ));
        }
        for (index, queue) in counter.queues.iter().enumerate() {
            let plain = (1..=16).contains(&queue.len())
                && queue
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-');
            if !plain {
                return Err((
                    format!("{place}.queues"),
                    format!(
                        "entry {index} ({queue:?}) must be a queue prefix from the catalog, e.g. \"DKC\""
                    ),
                ));
            }
            if counter.queues[..index].contains(queue) {
                return Err((
                    format!("{place}.queues"),
                    format!("{queue:?} is listed twice"),
                ));
            }
        }
        Ok(())
    }
}
