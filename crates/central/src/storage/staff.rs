//! Staff accounts, their sessions and the devices they signed in from, as both backends keep
//! them: every value is text (or NULL), so each backend only runs text statements
//! ([`TextStatements`]) and everything else is written here once. Changes that end sessions
//! (a new password, a disabled account) are one transaction with the sessions they end
//! ([`TextStatements::text_batch`]).

use chrono::{DateTime, Utc};

use crate::rules::staff::{Account, Role};
use crate::storage::error::DbError;
use crate::storage::shared::TextStatements;
use mpp_common::instant;

/// The tables, added to the SQLite file's migrations (PostgreSQL's are in `postgres/schema.rs`).
pub const MIGRATION: &str = r#"
-- Staff accounts: a role, the MPP of a head or counter staff, the points counter staff call
-- to (one per line), the Argon2id PHC string of the password, when it was disabled.
CREATE TABLE staff_accounts (
    name         TEXT PRIMARY KEY,
    role         TEXT NOT NULL,
    mpp          TEXT,
    points       TEXT NOT NULL,
    password     TEXT NOT NULL,
    disabled_at  TEXT,
    created_at   TEXT NOT NULL,
    changed_at   TEXT NOT NULL
) STRICT;
-- Signed-in sessions by the SHA-256 of their cookie's id (never the id itself).
CREATE TABLE staff_sessions (
    id_sha256   TEXT PRIMARY KEY,
    account     TEXT NOT NULL,
    started_at  TEXT NOT NULL,
    seen_at     TEXT NOT NULL
) STRICT;
CREATE INDEX staff_sessions_by_account ON staff_sessions (account);
-- Browsers an account signed in from (the SHA-256 of their device cookie): a person's own
-- browser still gets in while strangers' guesses hold the account back.
CREATE TABLE staff_devices (
    account        TEXT NOT NULL,
    device_sha256  TEXT NOT NULL,
    seen_at        TEXT NOT NULL,
    PRIMARY KEY (account, device_sha256)
) STRICT;
"#;

/// Devices remembered per account; the least recently used go first.
pub const DEVICES_PER_ACCOUNT: usize = 10;

/// The statements both backends run, with SQLite's `?N` (`shared::for_postgres` makes them `$N`).
pub(crate) mod sql {
    pub const ADD: &str = "INSERT INTO staff_accounts \
        (name, role, mpp, points, password, disabled_at, created_at, changed_at) \
        VALUES (?1, ?2, ?3, ?4, ?5, NULL, ?6, ?6) ON CONFLICT (name) DO NOTHING";
    const COLUMNS: &str = "name, role, mpp, points, password, disabled_at";
    pub fn account() -> String {
        format!("SELECT {COLUMNS} FROM staff_accounts WHERE name = ?1")
    }
    pub fn accounts() -> String {
        format!("SELECT {COLUMNS} FROM staff_accounts ORDER BY name")
    }
    pub const SET_PASSWORD: &str =
        "UPDATE staff_accounts SET password = ?2, changed_at = ?3 WHERE name = ?1";
    pub const SET_DISABLED: &str =
        "UPDATE staff_accounts SET disabled_at = ?2, changed_at = ?3 WHERE name = ?1";
    /// Every session of an account but the one kept (`?2`, may be NULL: none kept).
    pub const END_SESSIONS: &str = "DELETE FROM staff_sessions \
        WHERE account = ?1 AND id_sha256 <> COALESCE(?2, '')";
    pub const OPEN: &str = "INSERT INTO staff_sessions (id_sha256, account, started_at, seen_at) \
        VALUES (?1, ?2, ?3, ?3)";
    pub fn session() -> String {
        format!(
            "SELECT s.started_at, s.seen_at, {} FROM staff_sessions s \
             JOIN staff_accounts a ON a.name = s.account WHERE s.id_sha256 = ?1",
            COLUMNS
                .split(", ")
                .map(|column| format!("a.{column}"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    }
    pub const TOUCH: &str = "UPDATE staff_sessions SET seen_at = ?2 WHERE id_sha256 = ?1";
    pub const CLOSE: &str = "DELETE FROM staff_sessions WHERE id_sha256 = ?1";
    /// Sessions idle since `?1` or started before `?2`.
    pub const PRUNE: &str = "DELETE FROM staff_sessions WHERE seen_at < ?1 OR started_at < ?2";
    pub const REMEMBER_DEVICE: &str = "INSERT INTO staff_devices (account, device_sha256, seen_at) \
        VALUES (?1, ?2, ?3) ON CONFLICT (account, device_sha256) DO UPDATE SET seen_at = excluded.seen_at";
    pub const DEVICE: &str =
        "SELECT seen_at FROM staff_devices WHERE account = ?1 AND device_sha256 = ?2";
    /// An account's devices past the most recently used few.
    pub fn forget_devices() -> String {
        format!(
            "DELETE FROM staff_devices WHERE account = ?1 AND device_sha256 NOT IN \
             (SELECT device_sha256 FROM staff_devices WHERE account = ?1 \
             ORDER BY seen_at DESC LIMIT {})",
            crate::storage::staff::DEVICES_PER_ACCOUNT
        )
    }
}

/// A new account as stored: the password already hashed.
pub struct NewAccount<'a> {
    pub account: &'a Account,
    /// The Argon2id PHC string.
    pub password: &'a str,
}

/// A session as read: when it started and was last used, and whose it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredSession {
    pub started: DateTime<Utc>,
    pub seen: DateTime<Utc>,
    pub account: Account,
}

/// Staff accounts and sessions, written once for both backends over [`TextStatements`].
pub trait Staff: TextStatements {
    /// Stores a new account; `false` when the name is taken.
    fn add_account(&mut self, new: &NewAccount<'_>, now: DateTime<Utc>) -> Result<bool, DbError> {
        let account = new.account;
        let (points, now) = (account.points.join("\n"), instant::to_text(now));
        let values = [
            Some(account.name.as_str()),
            Some(account.role.code()),
            account.mpp.as_deref(),
            Some(points.as_str()),
            Some(new.password),
            Some(now.as_str()),
        ];
        Ok(self.text_execute(sql::ADD, &values)? > 0)
    }

    /// The account named `name` and its password's PHC string.
    fn account(&mut self, name: &str) -> Result<Option<(Account, String)>, DbError> {
        let rows = self.text_rows(&sql::account(), &[Some(name)])?;
        let row = rows.into_iter().next();
        row.map(|row| account_from(&row, |detail| self.corrupt(detail)))
            .transpose()
    }

    /// Every account, by name.
    fn accounts(&mut self) -> Result<Vec<Account>, DbError> {
        let rows = self.text_rows(&sql::accounts(), &[])?;
        rows.iter()
            .map(|row| account_from(row, |detail| self.corrupt(detail)).map(|(account, _)| account))
            .collect()
    }

    /// A new password for `name`; every session of the account ends but `keep` (the one the
    /// person changed it from). `false` when there is no such account.
    fn set_password(
        &mut self,
        name: &str,
        password: &str,
        keep: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<bool, DbError> {
        let now = instant::to_text(now);
        let values = [Some(name), Some(password), Some(now.as_str())];
        let ends = [Some(name), keep];
        let changed =
            self.text_batch(&[(sql::SET_PASSWORD, &values), (sql::END_SESSIONS, &ends)])?;
        Ok(changed[0] > 0)
    }

    /// Disables `name` (every session ends) or enables it again; `false` when there is no such
    /// account.
    fn set_disabled(
        &mut self,
        name: &str,
        disabled: bool,
        now: DateTime<Utc>,
    ) -> Result<bool, DbError> {
        let now = instant::to_text(now);
        let values = [
            Some(name),
            disabled.then_some(now.as_str()),
            Some(now.as_str()),
        ];
        let ends = [Some(name), None];
        let changed =
            self.text_batch(&[(sql::SET_DISABLED, &values), (sql::END_SESSIONS, &ends)])?;
        Ok(changed[0] > 0)
    }

    /// Records a new session of `name` (by its id's hash) and forgets sessions that ended:
    /// idle since `idle_since` or started before `started_since`.
    fn open_session(
        &mut self,
        id_sha256: &str,
        name: &str,
        now: DateTime<Utc>,
        (idle_since, started_since): (DateTime<Utc>, DateTime<Utc>),
    ) -> Result<(), DbError> {
        let (idle, started) = (
            instant::to_text(idle_since),
            instant::to_text(started_since),
        );
        self.text_execute(sql::PRUNE, &[Some(idle.as_str()), Some(started.as_str())])?;
        let now = instant::to_text(now);
        let values = [Some(id_sha256), Some(name), Some(now.as_str())];
        self.text_execute(sql::OPEN, &values).map(drop)
    }

    /// The session with this id hash, if it exists.
    fn session(&mut self, id_sha256: &str) -> Result<Option<StoredSession>, DbError> {
        let rows = self.text_rows(&sql::session(), &[Some(id_sha256)])?;
        let Some(row) = rows.into_iter().next() else {
            return Ok(None);
        };
        let when = |index: usize| {
            let text = row.get(index).cloned().flatten().unwrap_or_default();
            instant::parse(&text).ok_or_else(|| self.corrupt(format!("session time {text:?}")))
        };
        let (started, seen) = (when(0)?, when(1)?);
        let (account, _) = account_from(&row[2..], |detail| self.corrupt(detail))?;
        Ok(Some(StoredSession {
            started,
            seen,
            account,
        }))
    }

    fn touch_session(&mut self, id_sha256: &str, now: DateTime<Utc>) -> Result<(), DbError> {
        let now = instant::to_text(now);
        self.text_execute(sql::TOUCH, &[Some(id_sha256), Some(now.as_str())])
            .map(drop)
    }

    fn close_session(&mut self, id_sha256: &str) -> Result<(), DbError> {
        self.text_execute(sql::CLOSE, &[Some(id_sha256)]).map(drop)
    }

    /// Remembers that `name` signed in from this device; keeps the latest few.
    fn remember_device(
        &mut self,
        name: &str,
        device_sha256: &str,
        now: DateTime<Utc>,
    ) -> Result<(), DbError> {
        let now = instant::to_text(now);
        let values = [Some(name), Some(device_sha256), Some(now.as_str())];
        self.text_execute(sql::REMEMBER_DEVICE, &values)?;
        self.text_execute(&sql::forget_devices(), &[Some(name)])
            .map(drop)
    }

    /// Whether `name` signed in from this device before.
    fn knows_device(&mut self, name: &str, device_sha256: &str) -> Result<bool, DbError> {
        let rows = self.text_rows(sql::DEVICE, &[Some(name), Some(device_sha256)])?;
        Ok(!rows.is_empty())
    }
}

/// An account row (name, role, mpp, points, password, disabled_at) and its password; a role
/// this version does not know or an unreadable instant is `corrupt`.
fn account_from(
    row: &[Option<String>],
    corrupt: impl Fn(String) -> DbError,
) -> Result<(Account, String), DbError> {
    let text = |index: usize| row.get(index).cloned().flatten();
    let name = text(0).unwrap_or_default();
    let role = text(1).unwrap_or_default();
    let role = Role::from_code(&role)
        .ok_or_else(|| corrupt(format!("account {name:?}: role {role:?}")))?;
    let disabled_at = match text(5) {
        None => None,
        Some(at) => Some(
            instant::parse(&at)
                .ok_or_else(|| corrupt(format!("account {name:?}: disabled_at {at:?}")))?,
        ),
    };
    let points = text(3).unwrap_or_default();
    let account = Account {
        name,
        role,
        mpp: text(2),
        points: points.lines().map(str::to_owned).collect(),
        disabled_at,
    };
    Ok((account, text(4).unwrap_or_default()))
}
