//! A small file beside the database that outlives it: the highest number given in each queue
//! and lane on the recent days. A database moved aside mid-day leaves it behind, so the new
//! database starts after the numbers already on visitors' tickets.

use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use mpp_core::ids::{KioskId, QueueCode};
use mpp_core::numbering::Lane;

/// Days before the current one that are still kept (yesterday, for a clock set back at night).
const DAYS_KEPT_BEHIND: i64 = 1;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NumbersRecord {
    pub kiosk: KioskId,
    pub highest: Vec<RecordedNumber>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordedNumber {
    pub business_day: NaiveDate,
    pub queue: QueueCode,
    pub lane: Lane,
    pub sequence: u32,
}

#[derive(Debug, thiserror::Error)]
pub enum RecordError {
    #[error("cannot read the numbers record {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the numbers record {path} is damaged: {detail}")]
    Damaged { path: PathBuf, detail: String },
    #[error("cannot write the numbers record {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl NumbersRecord {
    /// The record at `path`, or `None` when there is none.
    pub fn read(path: &Path) -> Result<Option<Self>, RecordError> {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(source) => {
                return Err(RecordError::Read {
                    path: path.to_owned(),
                    source,
                });
            }
        };
        serde_json::from_str(&text)
            .map(Some)
            .map_err(|error| RecordError::Damaged {
                path: path.to_owned(),
                detail: error.to_string(),
            })
    }

    /// Raises the highest number of `(day, queue, lane)` to `sequence`, forgetting days long past.
    pub fn note(&mut self, day: NaiveDate, queue: &QueueCode, lane: Lane, sequence: u32) {
        let oldest_kept = day - chrono::TimeDelta::days(DAYS_KEPT_BEHIND);
        self.highest
            .retain(|entry| entry.business_day >= oldest_kept);
        let entry = self
            .highest
            .iter_mut()
            .find(|entry| entry.business_day == day && entry.queue == *queue && entry.lane == lane);
        match entry {
            Some(entry) => entry.sequence = entry.sequence.max(sequence),
            None => self.highest.push(RecordedNumber {
                business_day: day,
                queue: queue.clone(),
                lane,
                sequence,
            }),
        }
    }

    /// Writes the record so that a power cut leaves either the old or the new file, never half.
    pub fn write(&self, path: &Path) -> Result<(), RecordError> {
        let failed = |source| RecordError::Write {
            path: path.to_owned(),
            source,
        };
        let json = serde_json::to_vec_pretty(self).expect("a record always serialises");
        let partial = path.with_extension("json.partial");
        let mut file = std::fs::File::create(&partial).map_err(failed)?;
        file.write_all(&json).map_err(failed)?;
        file.sync_all().map_err(failed)?;
        std::fs::rename(&partial, path).map_err(failed)?;
        if let Some(folder) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::File::open(folder)
                .and_then(|folder| folder.sync_all())
                .map_err(failed)?;
        }
        Ok(())
    }
}

/// The numbers record a store raises on every issue, and whose kiosk it is.
pub(super) type RecordTarget = Option<(PathBuf, KioskId)>;

/// Raises the numbers record to a ticket just numbered (inside its transaction, so two
/// processes never write it at once). A record that cannot be written is logged, not fatal:
/// the database still holds the ticket.
pub(super) fn raise_numbers_record(
    target: &RecordTarget,
    day: NaiveDate,
    queue: &QueueCode,
    lane: Lane,
    sequence: u32,
) {
    let Some((path, kiosk)) = target else {
        return;
    };
    let raised = NumbersRecord::read(path)
        .or_else(|error| match error {
            // A damaged record is replaced by one the database can vouch for from now on.
            RecordError::Damaged { .. } => Ok(None),
            other => Err(other),
        })
        .and_then(|found| {
            let mut record = found
                .filter(|record| record.kiosk == *kiosk)
                .unwrap_or_else(|| NumbersRecord {
                    kiosk: kiosk.clone(),
                    highest: Vec::new(),
                });
            record.note(day, queue, lane, sequence);
            record.write(path)
        });
    if let Err(error) = raised {
        tracing::error!(%error, "the numbers record is not up to date");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().expect("date")
    }

    #[test]
    fn the_record_keeps_the_highest_and_forgets_old_days() {
        let mut record = NumbersRecord {
            kiosk: "K1".into(),
            highest: Vec::new(),
        };
        let queue: QueueCode = "DKC".into();
        record.note(day("2026-11-28"), &queue, Lane::Regular, 9);
        record.note(day("2026-12-01"), &queue, Lane::Regular, 3);
        record.note(day("2026-12-01"), &queue, Lane::Regular, 2);
        record.note(day("2026-12-01"), &queue, Lane::Priority, 1);
        let days: Vec<_> = record.highest.iter().map(|e| e.business_day).collect();
        assert_eq!(days, [day("2026-12-01"), day("2026-12-01")]);
        assert_eq!(record.highest[0].sequence, 3);
        assert_eq!(record.highest[1].lane, Lane::Priority);
    }

    #[test]
    fn a_written_record_reads_back_and_a_damaged_one_is_named() {
        let folder = tempfile::tempdir().expect("folder");
        let path = folder.path().join("numbers-record.json");
        assert!(NumbersRecord::read(&path).expect("absent").is_none());
        let mut record = NumbersRecord {
            kiosk: "K1".into(),
            highest: Vec::new(),
        };
        record.note(day("2026-12-01"), &"DKC".into(), Lane::Regular, 7);
        record.write(&path).expect("written");
        assert_eq!(NumbersRecord::read(&path).expect("read"), Some(record));
        std::fs::write(&path, "{\"kiosk\": ").expect("damage");
        let error = NumbersRecord::read(&path).expect_err("damaged");
        assert!(
            error.to_string().contains("numbers-record.json is damaged"),
            "{error}"
        );
    }
}
