//! Services closed by staff, shared by every kiosk of an MPP through mpp-central: "the agency
//! is full today" closed at one kiosk must stop the numbers at all of them.
//!
//! Each kiosk sends its closes and reopens (`POST /api/v1/closures`, idempotent by kiosk and
//! change id) and reads its MPP's closures of the day back (`GET /api/v1/closures?day=`). The
//! server keeps, per MPP, day and service, the latest change by the time it was made at its
//! kiosk ([`newer`]), not by when it arrived: a kiosk that was offline for an hour and sends
//! an old close does not undo a reopen made since at another kiosk.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::ids::{KioskId, ServiceCode};
use crate::staff_notice::StaffNotice;

/// `POST` (changes) and `GET` (the day's closures) of the kiosk API.
pub const CLOSURES_PATH: &str = "/api/v1/closures";

/// One close or reopen done at a kiosk (its menu or `mpp-kiosk service`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClosureChange {
    /// The kiosk's own number of this change (unique per kiosk, increasing).
    pub id: i64,
    pub business_day: NaiveDate,
    pub service: ServiceCode,
    /// The notice it was closed with; `None`: opened again.
    #[serde(with = "notice_code")]
    pub notice: Option<StaffNotice>,
    /// When it was done, by the kiosk's clock.
    pub at: DateTime<Utc>,
}

/// `POST /api/v1/closures`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClosureBatch {
    pub kiosk: KioskId,
    pub changes: Vec<ClosureChange>,
}

/// The answer to a batch: every change id the server now holds (stored now or before).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClosureOutcome {
    pub stored: Vec<i64>,
    pub duplicates: Vec<i64>,
}

/// One service closed for the day in the MPP, as the server holds it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SharedClosure {
    pub service: ServiceCode,
    #[serde(with = "required_notice")]
    pub notice: StaffNotice,
    /// The kiosk it was closed at, and when.
    pub kiosk: KioskId,
    pub at: DateTime<Utc>,
}

/// `GET /api/v1/closures?day=YYYY-MM-DD`: the MPP's services closed by staff on `day`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DayClosures {
    pub day: NaiveDate,
    pub closed: Vec<SharedClosure>,
}

/// Who made the latest change of a service's day, and when: what a newer change must beat.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LastChange<'a> {
    pub at: DateTime<Utc>,
    pub kiosk: &'a str,
    pub id: i64,
}

/// Whether `change` replaces `current` (none yet: it does). The later time wins; a tie goes
/// to the larger kiosk id, then change id, so every server and every order of arrival ends
/// the same.
pub fn newer(change: &LastChange<'_>, current: Option<&LastChange<'_>>) -> bool {
    current.is_none_or(|current| {
        (change.at, change.kiosk, change.id) > (current.at, current.kiosk, current.id)
    })
}

/// A notice on the wire is its stored code (`full_today`), `null` for a reopen.
mod notice_code {
    use super::*;

    pub fn serialize<S: Serializer>(
        notice: &Option<StaffNotice>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        notice.map(StaffNotice::code).serialize(serializer)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<StaffNotice>, D::Error> {
        Option::<String>::deserialize(deserializer)?
            .map(|code| parse(&code))
            .transpose()
    }

    pub(super) fn parse<E: serde::de::Error>(code: &str) -> Result<StaffNotice, E> {
        StaffNotice::from_code(code).ok_or_else(|| {
            E::custom(format!(
                "unknown notice {code:?}; one of officer_away, system_down, full_today, closed_today"
            ))
        })
    }
}

mod required_notice {
    use super::*;

    pub fn serialize<S: Serializer>(
        notice: &StaffNotice,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        notice.code().serialize(serializer)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<StaffNotice, D::Error> {
        super::notice_code::parse(&String::deserialize(deserializer)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        text.parse().expect("instant")
    }

    fn change<'a>(time: &str, kiosk: &'a str, id: i64) -> LastChange<'a> {
        LastChange {
            at: at(time),
            kiosk,
            id,
        }
    }

    #[test]
    fn the_later_change_wins_whatever_order_they_arrive_in() {
        let close = change("2026-11-23T01:00:00Z", "K1", 7);
        let reopen = change("2026-11-23T02:00:00Z", "K2", 3);
        assert!(newer(&close, None));
        assert!(newer(&reopen, Some(&close)));
        assert!(!newer(&close, Some(&reopen)), "an old close arriving late");
        assert!(!newer(&reopen, Some(&reopen)), "the same change again");
        let same_time = change("2026-11-23T02:00:00Z", "K3", 1);
        assert!(newer(&same_time, Some(&reopen)) && !newer(&reopen, Some(&same_time)));
    }

    #[test]
    fn notices_travel_as_their_codes_and_an_unknown_one_is_named() {
        let batch = ClosureBatch {
            kiosk: "K1".into(),
            changes: vec![
                ClosureChange {
                    id: 1,
                    business_day: "2026-11-23".parse().expect("day"),
                    service: "DKC-KK".into(),
                    notice: Some(StaffNotice::FullToday),
                    at: at("2026-11-23T01:00:00Z"),
                },
                ClosureChange {
                    id: 2,
                    business_day: "2026-11-23".parse().expect("day"),
                    service: "DKC-KK".into(),
                    notice: None,
                    at: at("2026-11-23T02:00:00Z"),
                },
            ],
        };
        let json = serde_json::to_string(&batch).expect("json");
        assert!(json.contains(r#""notice":"full_today""#) && json.contains(r#""notice":null"#));
        assert_eq!(
            serde_json::from_str::<ClosureBatch>(&json).expect("back"),
            batch
        );
        let unknown = json.replace("full_today", "lunch");
        let error = serde_json::from_str::<ClosureBatch>(&unknown).expect_err("unknown notice");
        assert!(
            error.to_string().contains("unknown notice \"lunch\""),
            "{error}"
        );
    }
}
