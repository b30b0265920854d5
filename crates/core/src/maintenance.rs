//! The technician's PIN, decided purely: which PINs may be set, how many wrong ones lock the
//! pad, for how long, and what the pad says. The kiosk stores the [`PinLock`] and the hash;
//! this module never sees a hash and never keeps a PIN.

use chrono::{DateTime, TimeDelta, Utc};

/// Wrong PINs in a row that lock the pad.
pub const TRIES_BEFORE_LOCK: u32 = 5;
/// The first lock; each next one doubles, up to [`LONGEST_LOCK`].
const FIRST_LOCK: TimeDelta = TimeDelta::minutes(1);
/// No lock is longer: a technician with the right PIN waits an hour at most.
pub const LONGEST_LOCK: TimeDelta = TimeDelta::minutes(60);
/// How many digits a PIN has.
pub const PIN_LENGTH: std::ops::RangeInclusive<usize> = 4..=8;

/// Why a PIN may not be set.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PinProblem {
    #[error("a PIN has 4 to 8 digits; this one has {0}")]
    Length(usize),
    #[error("a PIN has digits only (0–9)")]
    NotDigits,
    #[error("a PIN of one repeated digit (like 0000) is the first anyone tries")]
    OneDigit,
    #[error("a PIN of consecutive digits (like 1234 or 4321) is the first anyone tries")]
    Sequence,
    #[error("a PIN of one repeated pair (like 1212) is the first anyone tries")]
    RepeatedPair,
    #[error("the two entries differ")]
    Mismatch,
}

/// Whether `pin` may be set: 4–8 digits, none of the patterns guessed first.
pub fn check_new_pin(pin: &str) -> Result<(), PinProblem> {
    if !pin.bytes().all(|byte| byte.is_ascii_digit()) {
        return Err(PinProblem::NotDigits);
    }
    if !PIN_LENGTH.contains(&pin.len()) {
        return Err(PinProblem::Length(pin.len()));
    }
    let digits: Vec<i8> = pin.bytes().map(|byte| (byte - b'0') as i8).collect();
    if digits.iter().all(|digit| *digit == digits[0]) {
        return Err(PinProblem::OneDigit);
    }
    let steps: Vec<i8> = digits.windows(2).map(|pair| pair[1] - pair[0]).collect();
    let step_by_one = |step: i8| steps.iter().all(|each| *each == step || *each == -9 * step);
    if step_by_one(1) || step_by_one(-1) {
        return Err(PinProblem::Sequence);
    }
    if digits.len().is_multiple_of(2) && digits.chunks(2).all(|pair| pair == &digits[..2]) {
        return Err(PinProblem::RepeatedPair);
    }
    Ok(())
}

/// Why a technician voids a ticket from the menu: a fixed list, synced as its code. Never
/// free text, so a reason can never hold a name or a NIK.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VoidReason {
    PrintFailed,
    VisitorLeft,
    WrongService,
    Test,
}

impl VoidReason {
    pub const ALL: [VoidReason; 4] = [
        VoidReason::PrintFailed,
        VoidReason::VisitorLeft,
        VoidReason::WrongService,
        VoidReason::Test,
    ];

    /// The reason as stored and synced.
    pub fn code(self) -> &'static str {
        match self {
            VoidReason::PrintFailed => "technician: the ticket did not print",
            VoidReason::VisitorLeft => "technician: the visitor left",
            VoidReason::WrongService => "technician: taken for the wrong service",
            VoidReason::Test => "technician: a test",
        }
    }
}

/// Longest note a technician may add to a void's reason: a few words, never a story.
pub const VOID_NOTE_CHARS: usize = 60;

/// A short note beside a void's reason, checked: it is synced and kept, so it holds no NIK or
/// phone number and stays short.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VoidNote(String);

/// Why a note is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum NoteProblem {
    #[error("the note is {0} characters long; at most {VOID_NOTE_CHARS} are kept")]
    TooLong(usize),
    #[error("the note seems to hold a NIK: notes are synced and kept")]
    LooksLikeNik,
    #[error("the note seems to hold a phone number: notes are synced and kept")]
    LooksLikePhone,
}

impl VoidNote {
    /// The note tidied; `Ok(None)` when nothing is left to keep.
    pub fn new(text: &str) -> Result<Option<Self>, NoteProblem> {
        use crate::personal_data::{PersonalData, find, tidy};
        let tidy = tidy(text);
        if tidy.is_empty() {
            return Ok(None);
        }
        let length = tidy.chars().count();
        if length > VOID_NOTE_CHARS {
            return Err(NoteProblem::TooLong(length));
        }
        match find(&tidy) {
            Some(PersonalData::Nik) => Err(NoteProblem::LooksLikeNik),
            Some(PersonalData::Phone) => Err(NoteProblem::LooksLikePhone),
            None => Ok(Some(Self(tidy))),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The reason stored and synced for a void from the menu: the listed reason's code, and the
/// note after it when there is one.
pub fn void_reason_text(reason: VoidReason, note: Option<&VoidNote>) -> String {
    match note {
        Some(note) => format!("{}; note: {}", reason.code(), note.as_str()),
        None => reason.code().to_owned(),
    }
}

/// Whether a number typed on the menu's pad names the ticket `number`: capitals or not, with
/// or without the dash, with or without the leading zeros (`dkc14` finds `DKC-014`).
pub fn same_number(typed: &str, number: &str) -> bool {
    fn parts(text: &str) -> Option<(String, u32)> {
        let plain: String = text
            .chars()
            .filter(|c| !matches!(c, '-' | ' '))
            .map(|c| c.to_ascii_uppercase())
            .collect();
        let split = plain.find(|c: char| c.is_ascii_digit())?;
        let (prefix, digits) = plain.split_at(split);
        Some((prefix.to_owned(), digits.parse().ok()?))
    }
    match (parts(typed), parts(number)) {
        (Some(typed), Some(number)) => typed == number,
        _ => false,
    }
}

/// What survives a restart: wrong PINs since the last right one, how many locks in a row, and
/// until when the pad is locked.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PinLock {
    /// Wrong PINs since the last lock (or the last right PIN).
    pub failures: u32,
    /// Locks since the last right PIN: each doubles the next one.
    pub lockouts: u32,
    pub locked_until: Option<DateTime<Utc>>,
}

/// Whether a PIN may be tried now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Gate {
    Open {
        tries_left: u32,
    },
    Locked {
        until: DateTime<Utc>,
        minutes_left: u32,
    },
}

/// What a PIN check did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Attempt {
    /// The right PIN: the menu opens.
    Accepted,
    /// A wrong PIN, and this many tries before the lock.
    Wrong { tries_left: u32 },
    /// A wrong PIN that locked the pad.
    LockedNow { minutes_left: u32 },
    /// The pad was locked: nothing was checked.
    StillLocked { minutes_left: u32 },
}

impl Attempt {
    /// A stable word for the audit log.
    pub fn outcome(self) -> &'static str {
        match self {
            Attempt::Accepted => "accepted",
            Attempt::Wrong { .. } => "wrong",
            Attempt::LockedNow { .. } => "wrong, locked",
            Attempt::StillLocked { .. } => "refused, locked",
        }
    }
}

impl PinLock {
    /// Whether a PIN may be tried at `now`. A lock that seems to run past the longest one (the
    /// clock was set back) ends at most [`LONGEST_LOCK`] from now.
    pub fn gate(&self, now: DateTime<Utc>) -> Gate {
        match self.locked_until {
            Some(until) if until > now => {
                let until = until.min(now + LONGEST_LOCK);
                Gate::Locked {
                    until,
                    minutes_left: minutes_between(now, until),
                }
            }
            _ => Gate::Open {
                tries_left: TRIES_BEFORE_LOCK.saturating_sub(self.failures),
            },
        }
    }

    /// The lock after a check at `now` whose PIN was `right` or not, and what to tell. While
    /// locked nothing is checked; a lock the clock's going back stretched is cut to the
    /// longest, so that it ends.
    pub fn after_check(self, right: bool, now: DateTime<Utc>) -> (PinLock, Attempt) {
        if let Gate::Locked {
            until,
            minutes_left,
        } = self.gate(now)
        {
            let lock = PinLock {
                locked_until: Some(until),
                ..self
            };
            return (lock, Attempt::StillLocked { minutes_left });
        }
        if right {
            return (PinLock::default(), Attempt::Accepted);
        }
        let failures = self.failures + 1;
        if failures < TRIES_BEFORE_LOCK {
            let lock = PinLock {
                failures,
                locked_until: None,
                ..self
            };
            return (
                lock,
                Attempt::Wrong {
                    tries_left: TRIES_BEFORE_LOCK - failures,
                },
            );
        }
        let lockouts = self.lockouts + 1;
        let length = lock_length(lockouts);
        let lock = PinLock {
            failures: 0,
            lockouts,
            locked_until: Some(now + length),
        };
        (
            lock,
            Attempt::LockedNow {
                minutes_left: minutes_between(now, now + length),
            },
        )
    }
}

/// The `lockouts`-th lock in a row: 1, 2, 4, 8 … minutes, at most an hour.
pub fn lock_length(lockouts: u32) -> TimeDelta {
    let doublings = lockouts.saturating_sub(1).min(16);
    (FIRST_LOCK * 2_i32.pow(doublings)).min(LONGEST_LOCK)
}

/// Whole minutes from `now` to `until`, rounded up (a lock of 10 s left says "1 minute").
fn minutes_between(now: DateTime<Utc>, until: DateTime<Utc>) -> u32 {
    let seconds = u64::try_from((until - now).num_seconds()).unwrap_or(0);
    u32::try_from(seconds.div_ceil(60))
        .unwrap_or(u32::MAX)
        .max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(minutes: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_790_000_000, 0).expect("instant") + TimeDelta::minutes(minutes)
    }

    #[test]
    fn trivial_and_malformed_pins_are_refused_with_the_reason() {
        let cases = [
            ("0000", PinProblem::OneDigit),
            ("99999999", PinProblem::OneDigit),
            ("1234", PinProblem::Sequence),
            ("4321", PinProblem::Sequence),
            ("0123", PinProblem::Sequence),
            ("98765", PinProblem::Sequence),
            ("7890", PinProblem::Sequence),
            ("1212", PinProblem::RepeatedPair),
            ("909090", PinProblem::RepeatedPair),
            ("123", PinProblem::Length(3)),
            ("123456789", PinProblem::Length(9)),
            ("", PinProblem::Length(0)),
            ("12a4", PinProblem::NotDigits),
            ("２４６８", PinProblem::NotDigits),
        ];
        for (pin, problem) in cases {
            assert_eq!(check_new_pin(pin), Err(problem), "{pin}");
        }
        for pin in ["2468", "7391", "1357", "80514", "31415926", "1123"] {
            assert_eq!(check_new_pin(pin), Ok(()), "{pin}");
        }
    }

    #[test]
    fn five_wrong_pins_lock_and_the_right_one_opens() {
        let mut lock = PinLock::default();
        for tries_left in (1..TRIES_BEFORE_LOCK).rev() {
            let (next, attempt) = lock.after_check(false, at(0));
            assert_eq!(attempt, Attempt::Wrong { tries_left });
            lock = next;
        }
        let (locked, attempt) = lock.after_check(false, at(0));
        assert_eq!(attempt, Attempt::LockedNow { minutes_left: 1 });
        // While locked even the right PIN is not checked.
        let (same, attempt) = locked.after_check(true, at(0));
        assert_eq!(attempt, Attempt::StillLocked { minutes_left: 1 });
        assert_eq!(same, locked);
        let (open, attempt) = locked.after_check(true, at(1));
        assert_eq!(attempt, Attempt::Accepted);
        assert_eq!(open, PinLock::default());
    }

    #[test]
    fn each_lock_in_a_row_is_twice_as_long_up_to_an_hour() {
        let lengths: Vec<i64> = (1..=9).map(|n| lock_length(n).num_minutes()).collect();
        assert_eq!(lengths, [1, 2, 4, 8, 16, 32, 60, 60, 60]);
        assert_eq!(lock_length(u32::MAX), LONGEST_LOCK);
        // Five wrong, wait the minute out, five wrong again: two minutes.
        let mut lock = PinLock::default();
        let mut now = at(0);
        for round in 1..=3 {
            for _ in 0..TRIES_BEFORE_LOCK {
                lock = lock.after_check(false, now).0;
            }
            let Gate::Locked {
                until,
                minutes_left,
            } = lock.gate(now)
            else {
                panic!("locked after round {round}");
            };
            assert_eq!(minutes_left, 1 << (round - 1));
            now = until;
            assert!(matches!(lock.gate(now), Gate::Open { tries_left: 5 }));
        }
    }

    #[test]
    fn the_pad_says_minutes_left_rounded_up_and_never_more_than_an_hour() {
        let lock = PinLock {
            failures: 0,
            lockouts: 3,
            locked_until: Some(at(4)),
        };
        let seconds_before = at(4) - TimeDelta::seconds(10);
        assert!(matches!(
            lock.gate(seconds_before),
            Gate::Locked {
                minutes_left: 1,
                ..
            }
        ));
        assert!(matches!(
            lock.gate(at(0)),
            Gate::Locked {
                minutes_left: 4,
                ..
            }
        ));
        // The clock was set back a day: the lock still ends within the hour.
        let Gate::Locked {
            until,
            minutes_left,
        } = lock.gate(at(-24 * 60))
        else {
            panic!("locked");
        };
        assert_eq!(minutes_left, 60);
        assert_eq!(until, at(-24 * 60) + LONGEST_LOCK);
        let (cut, _) = lock.after_check(true, at(-24 * 60));
        assert!(
            matches!(cut.gate(at(-23 * 60)), Gate::Open { .. }),
            "it ends"
        );
    }

    #[test]
    fn void_reasons_are_distinct_fixed_words() {
        let codes: std::collections::HashSet<&str> =
            VoidReason::ALL.iter().map(|reason| reason.code()).collect();
        assert_eq!(codes.len(), VoidReason::ALL.len());
        assert!(codes.iter().all(|code| code.starts_with("technician: ")));
    }

    #[test]
    fn outcomes_are_stable_words() {
        assert_eq!(Attempt::Accepted.outcome(), "accepted");
        assert_eq!(Attempt::Wrong { tries_left: 2 }.outcome(), "wrong");
    }

    #[test]
    fn a_void_note_is_short_and_holds_no_nik_or_phone_number() {
        let note = VoidNote::new("  kertas   macet ")
            .expect("kept")
            .expect("some");
        assert_eq!(note.as_str(), "kertas macet");
        assert_eq!(VoidNote::new("   "), Ok(None));
        assert_eq!(
            VoidNote::new(&"a".repeat(VOID_NOTE_CHARS + 1)),
            Err(NoteProblem::TooLong(VOID_NOTE_CHARS + 1))
        );
        assert!(VoidNote::new(&"a".repeat(VOID_NOTE_CHARS)).is_ok());
        assert_eq!(
            VoidNote::new("nik 3316012345678901"),
            Err(NoteProblem::LooksLikeNik)
        );
        assert_eq!(
            VoidNote::new("telp 0812-3456-7890"),
            Err(NoteProblem::LooksLikePhone)
        );
        assert_eq!(
            void_reason_text(VoidReason::Test, Some(&note)),
            "technician: a test; note: kertas macet"
        );
        assert_eq!(
            void_reason_text(VoidReason::Test, None),
            "technician: a test"
        );
    }

    #[test]
    fn a_typed_number_finds_its_ticket_however_it_is_written() {
        assert!(same_number("DKC-014", "DKC-014"));
        assert!(same_number("dkc14", "DKC-014"));
        assert!(same_number("DKC 0014", "DKC-014"));
        assert!(same_number("DKCP3", "DKC-P003"));
        assert!(!same_number("DKC-015", "DKC-014"));
        assert!(!same_number("SKC-014", "DKC-014"));
        assert!(!same_number("014", "DKC-014"));
        assert!(!same_number("DKC", "DKC-014"));
    }
}
