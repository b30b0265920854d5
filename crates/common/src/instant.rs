//! Instants as both programs store them: RFC 3339 text in UTC with microseconds, one fixed
//! width, so that the text's order is the time's order (SQLite compares and sorts the text).

use std::sync::Arc;

use chrono::{DateTime, SecondsFormat, Utc};

/// What time it is: the system's clock, or one set to start elsewhere (`--now`).
pub type Clock = Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>;

/// The system's clock, or with `start` one that begins there and ticks at the real pace: for
/// rehearsing a Monday morning, and for tests that must not depend on the hour they run at.
pub fn clock_from(start: Option<DateTime<Utc>>) -> Clock {
    match start {
        None => Arc::new(Utc::now),
        Some(start) => {
            let began = std::time::Instant::now();
            Arc::new(move || start + began.elapsed())
        }
    }
}

/// `instant` as stored: `2026-11-23T02:05:00.000000Z`.
pub fn to_text(instant: DateTime<Utc>) -> String {
    instant.to_rfc3339_opts(SecondsFormat::Micros, true)
}

/// A stored instant (any RFC 3339 text, whatever its offset, read as UTC); `None` for text
/// that is not one.
pub fn parse(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|instant| instant.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn instant(text: &str) -> DateTime<Utc> {
        text.parse().expect("an RFC 3339 instant")
    }

    #[test]
    fn a_clock_set_elsewhere_starts_there_and_ticks() {
        let start = instant("2026-11-23T02:30:00Z");
        let clock = clock_from(Some(start));
        let first = clock();
        assert!(first >= start && first - start < chrono::Duration::seconds(5));
        std::thread::sleep(std::time::Duration::from_millis(5));
        assert!(clock() > first, "it ticks");
        let system = clock_from(None)();
        assert!((system - Utc::now()).num_seconds().abs() < 5);
    }

    #[test]
    fn instants_are_written_in_utc_with_microseconds() {
        assert_eq!(
            to_text(instant("2026-11-23T09:05:00+07:00")),
            "2026-11-23T02:05:00.000000Z"
        );
        assert_eq!(
            to_text(instant("2026-11-23T02:05:00.123456789Z")),
            "2026-11-23T02:05:00.123456Z",
            "below a microsecond is cut, not rounded"
        );
    }

    #[test]
    fn the_texts_order_is_the_times_order() {
        let times = [
            "2026-11-23T02:05:00Z",
            "2026-11-23T02:05:00.000001Z",
            "2026-11-23T02:05:00.1Z",
            "2026-11-23T02:05:01Z",
            "2026-11-24T00:00:00Z",
        ];
        let texts: Vec<String> = times.iter().map(|t| to_text(instant(t))).collect();
        assert!(texts.windows(2).all(|pair| pair[0] < pair[1]), "{texts:?}");
        assert!(texts.iter().all(|text| text.len() == texts[0].len()));
    }

    #[test]
    fn a_stored_instant_reads_back_and_any_offset_is_read_as_utc() {
        let stored = instant("2026-11-23T02:05:00.250000Z");
        assert_eq!(parse(&to_text(stored)), Some(stored));
        assert_eq!(
            parse("2026-11-23T09:05:00.25+07:00"),
            Some(stored),
            "written by hand or by an older version"
        );
        assert_eq!(parse("2026-11-23 02:05:00"), None);
        assert_eq!(parse(""), None);
    }
}
