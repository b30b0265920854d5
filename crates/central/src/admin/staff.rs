//! `mpp-central staff add|passwd|disable|enable|list|hash`: staff accounts from the command
//! line, on the database the configuration names (the server may be running: each change is
//! one transaction). Passwords come from the terminal with echo off, or the first line of
//! standard input; never from the command line, where `ps` and the shell history would keep
//! them.

use chrono::{DateTime, Utc};

use crate::config::{AccountEntry, CentralConfig};
use crate::rules::passwords;
use crate::rules::staff::{Account, account_of, password_problem};
use crate::storage::Database;
use crate::storage::error::DbError;
use crate::storage::open::open;
use crate::storage::staff::NewAccount;

/// What went wrong with a staff command.
#[derive(Debug, thiserror::Error)]
pub enum StaffError {
    #[error(transparent)]
    Database(#[from] DbError),
    #[error("{0}")]
    Refused(String),
    #[error(transparent)]
    Hash(#[from] passwords::HashError),
}

/// Opens the configured database for a staff command.
pub fn database(config: &CentralConfig) -> Result<Box<dyn Database>, StaffError> {
    let (mut writers, _) = open(&config.location(), 1, 0)?;
    writers
        .pop()
        .ok_or_else(|| StaffError::Refused("no connection to the database".into()))
}

/// The PHC string of a new password for `name`, after checking its strength.
pub fn hash_new(name: &str, password: &str) -> Result<String, StaffError> {
    if let Some(problem) = password_problem(name, password) {
        return Err(StaffError::Refused(problem.to_string()));
    }
    Ok(passwords::hash(password)?)
}

/// `staff add`: a new account as `entry` describes it (its `password_argon2` is ignored).
pub fn add(
    db: &mut dyn Database,
    config: &CentralConfig,
    entry: &AccountEntry,
    password: &str,
    now: DateTime<Utc>,
) -> Result<Account, StaffError> {
    let account = account_of(config, entry).map_err(|(field, problem)| {
        let option = match field {
            "name" => "NAME".to_owned(),
            "points" => "--point".to_owned(),
            other => format!("--{other}"),
        };
        StaffError::Refused(format!("{option} {problem}"))
    })?;
    let phc = hash_new(&account.name, password)?;
    let new = NewAccount {
        account: &account,
        password: &phc,
    };
    if !db.add_account(&new, now)? {
        return Err(StaffError::Refused(format!(
            "an account named {:?} exists already (`staff passwd` changes its password)",
            account.name
        )));
    }
    Ok(account)
}

/// `staff passwd`: a new password; every session of the account ends.
pub fn passwd(
    db: &mut dyn Database,
    name: &str,
    password: &str,
    now: DateTime<Utc>,
) -> Result<(), StaffError> {
    let phc = hash_new(name, password)?;
    match db.set_password(name, &phc, None, now)? {
        true => Ok(()),
        false => Err(no_account(name)),
    }
}

/// `staff disable` / `staff enable`; disabling ends every session of the account.
pub fn set_disabled(
    db: &mut dyn Database,
    name: &str,
    disabled: bool,
    now: DateTime<Utc>,
) -> Result<(), StaffError> {
    match db.set_disabled(name, disabled, now)? {
        true => Ok(()),
        false => Err(no_account(name)),
    }
}

fn no_account(name: &str) -> StaffError {
    StaffError::Refused(format!(
        "no account is named {name:?} (`mpp-central staff list` shows them)"
    ))
}

/// `staff list`: one line per account.
pub fn list(db: &mut dyn Database) -> Result<Vec<String>, StaffError> {
    let accounts = db.accounts()?;
    let mut lines = vec![format!(
        "{:<24} {:<9} {:<16} {:<9} points",
        "name", "role", "mpp", "state"
    )];
    for account in accounts {
        let state = if account.disabled_at.is_some() {
            "disabled"
        } else {
            "active"
        };
        lines.push(format!(
            "{:<24} {:<9} {:<16} {:<9} {}",
            account.name,
            account.role.code(),
            account.mpp.as_deref().unwrap_or("(all)"),
            state,
            account.points.join(", ")
        ));
    }
    Ok(lines)
}
