//! Queue numbers: a queue prefix and a sequence that restarts every business day, inside the
//! range this kiosk owns so that two kiosks never print the same number.

use std::fmt;

use crate::ids::QueueCode;
use serde::{Deserialize, Serialize};
use strum::{EnumString, IntoStaticStr};

/// The numbers this kiosk may give out in each queue each day, both ends included.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct NumberRange {
    pub first: u32,
    pub last: u32,
}

/// Largest sequence a ticket can show (four digits fit the big type on 58 mm paper).
pub const HIGHEST_NUMBER: u32 = 9999;

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RangeError {
    #[error("the range must start at 1 or more")]
    StartsAtZero,
    #[error("the range {first}–{last} ends before it starts")]
    Backwards { first: u32, last: u32 },
    #[error("the range may not go past {HIGHEST_NUMBER}")]
    TooHigh,
}

impl NumberRange {
    pub fn new(first: u32, last: u32) -> Result<Self, RangeError> {
        if first == 0 {
            Err(RangeError::StartsAtZero)
        } else if last < first {
            Err(RangeError::Backwards { first, last })
        } else if last > HIGHEST_NUMBER {
            Err(RangeError::TooHigh)
        } else {
            Ok(Self { first, last })
        }
    }

    /// The sequence after `last_used` (or the first of the range), or `None` when used up.
    pub fn next(self, last_used: Option<u32>) -> Option<u32> {
        let next = match last_used {
            Some(used) if used >= self.first => used.checked_add(1)?,
            _ => self.first,
        };
        (next <= self.last).then_some(next)
    }

    pub fn overlaps(self, other: NumberRange) -> bool {
        self.first <= other.last && other.first <= self.last
    }
}

impl<'de> Deserialize<'de> for NumberRange {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // A list, not `[u32; 2]`: that would read the first two numbers and drop the rest.
        let numbers = Vec::<u32>::deserialize(deserializer)?;
        let [first, last] = numbers[..] else {
            return Err(serde::de::Error::custom(format!(
                "must be exactly two numbers, [first, last], not {}",
                numbers.len()
            )));
        };
        NumberRange::new(first, last).map_err(serde::de::Error::custom)
    }
}

/// Regular numbers and priority numbers run as two sequences of the same queue.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, IntoStaticStr, EnumString,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Lane {
    Regular,
    /// For the groups UU 25/2009 art. 29 names: people with disabilities, the elderly,
    /// pregnant women, children, disaster victims. Counters call these first.
    Priority,
}

impl Lane {
    /// Stable name for the database, logs, JSON and the central server (as serde writes it).
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    pub fn parse(text: &str) -> Option<Self> {
        text.parse().ok()
    }

    pub fn is_priority(self) -> bool {
        self == Lane::Priority
    }
}

/// A queue number as it is called aloud and printed: `DKC-014`, or `DKC-P003` for priority.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct QueueNumber {
    pub prefix: QueueCode,
    pub lane: Lane,
    pub sequence: u32,
}

impl fmt::Display for QueueNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let marker = if self.lane.is_priority() { "P" } else { "" };
        write!(f, "{}-{marker}{:03}", self.prefix, self.sequence)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_start_at_the_range_and_stop_at_its_end() {
        let range = NumberRange::new(500, 502).expect("range");
        assert_eq!(range.next(None), Some(500));
        assert_eq!(range.next(Some(500)), Some(501));
        assert_eq!(range.next(Some(502)), None);
        // A sequence below the range (after a range change mid-day) restarts inside it.
        assert_eq!(range.next(Some(3)), Some(500));
    }

    #[test]
    fn bad_ranges_are_refused() {
        assert_eq!(NumberRange::new(0, 10), Err(RangeError::StartsAtZero));
        assert!(matches!(
            NumberRange::new(10, 9),
            Err(RangeError::Backwards { .. })
        ));
        assert_eq!(NumberRange::new(1, 10_000), Err(RangeError::TooHigh));
    }

    #[test]
    fn disjoint_ranges_do_not_overlap() {
        let first = NumberRange::new(1, 499).expect("range");
        let second = NumberRange::new(500, 999).expect("range");
        assert!(!first.overlaps(second));
        assert!(first.overlaps(NumberRange::new(499, 600).expect("range")));
    }

    #[test]
    fn numbers_read_aloud_easily() {
        let number = |lane, sequence| {
            QueueNumber {
                prefix: "DKC".into(),
                lane,
                sequence,
            }
            .to_string()
        };
        assert_eq!(number(Lane::Regular, 14), "DKC-014");
        assert_eq!(number(Lane::Priority, 3), "DKC-P003");
        assert_eq!(number(Lane::Regular, 1234), "DKC-1234");
    }
}
