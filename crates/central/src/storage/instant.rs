//! Instants as both backends store them: RFC 3339 text in UTC.

use chrono::{DateTime, SecondsFormat, Utc};

/// Instants as fixed-width UTC text, so that text order is time order.
pub fn instant_text(instant: DateTime<Utc>) -> String {
    instant.to_rfc3339_opts(SecondsFormat::Micros, true)
}

pub fn parse_instant(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|instant| instant.with_timezone(&Utc))
}
