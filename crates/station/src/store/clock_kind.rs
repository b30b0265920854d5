//! Which clock writes into a database: the real one, or a rehearsal's pretend clock (`--now`).
//! Kept apart so the store's error can name it without importing what claims it.

/// Which clock writes into a database: tickets of a rehearsal (`--now`) never mix with real ones.
#[derive(Clone, Copy, Debug, PartialEq, Eq, strum::IntoStaticStr, strum::EnumString)]
#[strum(serialize_all = "snake_case")]
pub enum ClockKind {
    Real,
    Rehearsal,
}
