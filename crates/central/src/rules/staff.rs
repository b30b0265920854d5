//! Staff accounts, decided once for both backends and every page: the roles, which MPPs an
//! account reads or runs, what a name and a password must be, and when a session ends.

use chrono::{DateTime, TimeDelta, Utc};

use crate::config::{AccountEntry, CentralConfig};
use crate::rules::passwords::check_phc;

/// What an account is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Role {
    /// Runs the server: every MPP, every account.
    Admin,
    /// Reads every MPP (fleet, reports), changes nothing.
    Province,
    /// Runs one MPP: its fleet, reports and closures, and its counter staff's accounts.
    Head,
    /// Works the counter points of one MPP it is given.
    Counter,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Admin, Role::Province, Role::Head, Role::Counter];

    /// The word stored and typed (`--role head`).
    pub fn code(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Province => "province",
            Role::Head => "head",
            Role::Counter => "counter",
        }
    }

    pub fn from_code(code: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|role| role.code() == code)
    }

    /// Whether accounts of this role belong to one MPP.
    pub fn has_mpp(self) -> bool {
        matches!(self, Role::Head | Role::Counter)
    }

    /// How the role is named to people, in Indonesian and English.
    pub fn label(self) -> (&'static str, &'static str) {
        match self {
            Role::Admin => ("Administrator server", "Server administrator"),
            Role::Province => ("Provinsi (baca saja)", "Province (read only)"),
            Role::Head => ("Kepala MPP", "MPP head"),
            Role::Counter => ("Petugas loket", "Counter staff"),
        }
    }
}

/// An account as the server keeps it, without its password.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Account {
    pub name: String,
    pub role: Role,
    /// The MPP of a head or counter staff; `None` for the server's and the province's.
    pub mpp: Option<String>,
    /// The counter points counter staff may call visitors to (empty for other roles).
    pub points: Vec<String>,
    /// When it was disabled; a disabled account cannot sign in.
    pub disabled_at: Option<DateTime<Utc>>,
}

impl Account {
    /// Whether the account may see `mpp`'s fleet, reports and exports.
    pub fn reads(&self, mpp: &str) -> bool {
        match self.role {
            Role::Admin | Role::Province => true,
            Role::Head => self.mpp.as_deref() == Some(mpp),
            Role::Counter => false,
        }
    }

    /// Whether the account may change things of `mpp` (closures, its staff).
    pub fn runs(&self, mpp: &str) -> bool {
        match self.role {
            Role::Admin => true,
            Role::Head => self.mpp.as_deref() == Some(mpp),
            Role::Province | Role::Counter => false,
        }
    }

    /// Whether the account may add, reset or disable `other`: the administrator anyone but
    /// itself, a head the counter staff of its MPP.
    pub fn manages(&self, other: &Account) -> bool {
        match self.role {
            Role::Admin => other.name != self.name,
            Role::Head => {
                other.role == Role::Counter && other.mpp.is_some() && other.mpp == self.mpp
            }
            Role::Province | Role::Counter => false,
        }
    }

    /// Whether the account may call visitors to `point` of `mpp`.
    pub fn works(&self, mpp: &str, point: &str) -> bool {
        self.role == Role::Counter
            && self.mpp.as_deref() == Some(mpp)
            && self.points.iter().any(|own| own == point)
    }
}

/// Longest account name, in characters.
pub const MAX_NAME: usize = 64;
/// Shortest password, in characters.
pub const MIN_PASSWORD: usize = 10;
/// Longest password, in bytes: the hash takes all of it.
pub const MAX_PASSWORD: usize = 256;

/// What is wrong with a new account's name.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum NameProblem {
    #[error("an account name is 1 to {MAX_NAME} characters")]
    Length,
    #[error(
        "an account name is lowercase letters, digits, '.', '-' and '_' (e.g. sari.dukcapil), \
         starting with a letter or digit"
    )]
    Characters,
}

/// Checks a new account's name: short, plain, the same however a browser sends it.
pub fn name_problem(name: &str) -> Option<NameProblem> {
    if name.is_empty() || name.chars().count() > MAX_NAME {
        return Some(NameProblem::Length);
    }
    let plain = name.bytes().all(|byte| {
        byte.is_ascii_lowercase() || byte.is_ascii_digit() || matches!(byte, b'.' | b'-' | b'_')
    });
    let starts_well = name
        .bytes()
        .next()
        .is_some_and(|byte| byte.is_ascii_alphanumeric());
    (!plain || !starts_well).then_some(NameProblem::Characters)
}

/// Why a password is too weak.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PasswordProblem {
    #[error("the password has {0} characters: it needs at least {MIN_PASSWORD}")]
    Short(usize),
    #[error("the password is longer than {MAX_PASSWORD} bytes")]
    Long,
    #[error("the password contains a control character")]
    Control,
    #[error("the password contains the account name")]
    HasName,
    #[error("the password uses fewer than 5 different characters")]
    Repetitive,
    #[error("the password is one of the most common passwords")]
    Common,
}

/// Passwords guessed first, whatever their length (lowercase; also with a year or digits
/// after them).
const COMMON: [&str; 12] = [
    "password",
    "passw0rd",
    "katasandi",
    "rahasia",
    "qwertyuiop",
    "1234567890",
    "0987654321",
    "administrator",
    "admin12345",
    "bismillah",
    "indonesia",
    "iloveyou",
];

/// Checks a new password for `name` (minimum strength; the rest is the hash's job).
pub fn password_problem(name: &str, password: &str) -> Option<PasswordProblem> {
    let characters = password.chars().count();
    if password.len() > MAX_PASSWORD {
        return Some(PasswordProblem::Long);
    }
    if characters < MIN_PASSWORD {
        return Some(PasswordProblem::Short(characters));
    }
    if password.chars().any(char::is_control) {
        return Some(PasswordProblem::Control);
    }
    let lower = password.to_lowercase();
    if !name.is_empty() && lower.contains(&name.to_lowercase()) {
        return Some(PasswordProblem::HasName);
    }
    let mut distinct: Vec<char> = password.chars().collect();
    distinct.sort_unstable();
    distinct.dedup();
    if distinct.len() < 5 {
        return Some(PasswordProblem::Repetitive);
    }
    let stem = lower.trim_end_matches(|c: char| c.is_ascii_digit() || "!@#.".contains(c));
    let common = COMMON.iter().any(|word| stem == *word || lower == *word);
    common.then_some(PasswordProblem::Common)
}

/// How long sessions last: since the last request, and since signing in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SessionLimits {
    pub idle: TimeDelta,
    pub absolute: TimeDelta,
}

/// How often a session's last use is written back: not on every request.
pub const TOUCH_EVERY: TimeDelta = TimeDelta::seconds(60);

/// What to do with a session read at `now`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SessionState {
    /// In use; nothing to write.
    Open,
    /// In use; write `now` as its last use.
    Touch,
    /// Ended (idle too long, too old, or its clock ran backwards past its start).
    Ended,
}

/// Whether a session started at `started` and last used at `seen` is still open at `now`.
pub fn session_state(
    limits: SessionLimits,
    started: DateTime<Utc>,
    seen: DateTime<Utc>,
    now: DateTime<Utc>,
) -> SessionState {
    let too_old = now - started >= limits.absolute;
    let idle = now - seen >= limits.idle;
    if too_old || idle || now < started - TimeDelta::minutes(5) {
        SessionState::Ended
    } else if now - seen >= TOUCH_EVERY {
        SessionState::Touch
    } else {
        SessionState::Open
    }
}

/// The `[[account]]` entries of the configuration as accounts with their PHC strings, each
/// checked by [`account_of`] and given once. The error is the dotted key and what is wrong.
pub fn seeds(config: &CentralConfig) -> Result<Vec<(Account, String)>, (String, String)> {
    let mut seeds: Vec<(Account, String)> = Vec::new();
    for (index, entry) in config.accounts.iter().enumerate() {
        let key = |field: &str| format!("account[{index}].{field}");
        let account =
            account_of(config, entry).map_err(|(field, problem)| (key(field), problem))?;
        if seeds.iter().any(|(seed, _)| seed.name == entry.name) {
            return Err((key("name"), format!("{:?} is listed twice", entry.name)));
        }
        check_phc(&entry.password_argon2)
            .map_err(|error| (key("password_argon2"), error.to_string()))?;
        seeds.push((account, entry.password_argon2.clone()));
    }
    Ok(seeds)
}

/// An account as described (by the configuration or `mpp-central staff add`), checked: a plain
/// name, a known role, the MPP a head or counter staff needs (on a one-MPP server, that one),
/// the points counter staff work among those of the MPP's counters. The error names the field
/// (`name`, `role`, `mpp`, `points`) and what is wrong.
pub fn account_of(
    config: &CentralConfig,
    entry: &AccountEntry,
) -> Result<Account, (&'static str, String)> {
    if let Some(problem) = name_problem(&entry.name) {
        return Err(("name", problem.to_string()));
    }
    let role = Role::from_code(&entry.role).ok_or_else(|| {
        (
            "role",
            format!(
                "is {:?}: must be admin, province, head or counter",
                entry.role
            ),
        )
    })?;
    let mpp = seed_mpp(config, entry, role).map_err(|problem| ("mpp", problem))?;
    let points =
        seed_points(config, entry, role, mpp.as_deref()).map_err(|problem| ("points", problem))?;
    Ok(Account {
        name: entry.name.clone(),
        role,
        mpp,
        points,
        disabled_at: None,
    })
}

fn seed_mpp(
    config: &CentralConfig,
    entry: &AccountEntry,
    role: Role,
) -> Result<Option<String>, String> {
    let mpps = config.mpps();
    match (&entry.mpp, role.has_mpp()) {
        (Some(_), false) => Err(format!(
            "must be left out: a {} account covers every MPP",
            role.code()
        )),
        (None, false) => Ok(None),
        (None, true) if mpps.len() == 1 => Ok(Some(mpps[0].id.clone())),
        (None, true) => Err(format!(
            "must name the MPP of this {} account (one of the [[mpp]] ids)",
            role.code()
        )),
        (Some(id), true) if config.mpp(id).is_some() => Ok(Some(id.clone())),
        (Some(id), true) => Err(format!("is {id:?}: no [[mpp]] has that id")),
    }
}

fn seed_points(
    config: &CentralConfig,
    entry: &AccountEntry,
    role: Role,
    mpp: Option<&str>,
) -> Result<Vec<String>, String> {
    if role != Role::Counter {
        return match entry.points.is_empty() {
            true => Ok(Vec::new()),
            false => Err("only counter staff have points".into()),
        };
    }
    if entry.points.is_empty() {
        return Err("must list the points this counter staff calls visitors to".into());
    }
    let known = |point: &String| {
        mpp.and_then(|id| config.mpp(id))
            .is_some_and(|mpp| mpp.counters.iter().any(|c| c.points.contains(point)))
    };
    match entry.points.iter().find(|point| !known(point)) {
        Some(point) => Err(format!(
            "{point:?} is not a point of this MPP's [[counter]] entries"
        )),
        None => Ok(entry.points.clone()),
    }
}

#[cfg(test)]
mod tests;
