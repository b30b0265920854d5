//! Wrong passwords held back per account: after a few, each further try of that account waits
//! longer (doubling, up to [`LONGEST_WAIT`]). A stranger's guesses hold the account back for
//! strangers only: a browser the person signed in from before (its device cookie) is still let
//! through (login.rs). Bounded: past [`MOST_ACCOUNTS`] the account idle longest is forgotten.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use mpp_common::mutex::lock;

/// Wrong passwords allowed before tries must wait.
pub const FREE_FAILURES: u32 = 3;
/// The longest wait between tries of one account.
pub const LONGEST_WAIT: Duration = Duration::from_secs(300);
/// Accounts tracked at once.
const MOST_ACCOUNTS: usize = 10_000;

#[derive(Clone, Copy, Debug)]
struct Failures {
    count: u32,
    last: Instant,
}

impl Failures {
    /// How long after the last failure the next try is allowed.
    fn wait(self) -> Duration {
        let over = self.count.saturating_sub(FREE_FAILURES);
        if over == 0 {
            return Duration::ZERO;
        }
        let seconds = 1u64.checked_shl(over - 1).unwrap_or(u64::MAX);
        Duration::from_secs(seconds).min(LONGEST_WAIT)
    }
}

#[derive(Default)]
pub struct AccountGuard {
    accounts: Mutex<HashMap<String, Failures>>,
}

impl AccountGuard {
    /// `Err(wait)` while `account` must wait before its next try.
    pub fn check(&self, account: &str, now: Instant) -> Result<(), Duration> {
        let accounts = lock(&self.accounts);
        let Some(failures) = accounts.get(account) else {
            return Ok(());
        };
        let allowed = failures.last + failures.wait();
        match allowed.checked_duration_since(now) {
            Some(wait) if !wait.is_zero() => Err(wait),
            _ => Ok(()),
        }
    }

    /// Counts a wrong password for `account`.
    pub fn failed(&self, account: &str, now: Instant) {
        let mut accounts = lock(&self.accounts);
        if accounts.len() >= MOST_ACCOUNTS && !accounts.contains_key(account) {
            let oldest = accounts
                .iter()
                .min_by_key(|(_, failures)| failures.last)
                .map(|(name, _)| name.clone());
            if let Some(oldest) = oldest {
                accounts.remove(&oldest);
            }
        }
        let failures = accounts.entry(account.to_owned()).or_insert(Failures {
            count: 0,
            last: now,
        });
        failures.count = failures.count.saturating_add(1);
        failures.last = now;
    }

    /// The right password: the account starts afresh.
    pub fn succeeded(&self, account: &str) {
        lock(&self.accounts).remove(account);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_double_after_a_few_failures_up_to_a_cap() {
        let guard = AccountGuard::default();
        let start = Instant::now();
        for _ in 0..FREE_FAILURES {
            assert_eq!(guard.check("sari", start), Ok(()));
            guard.failed("sari", start);
        }
        assert_eq!(guard.check("sari", start), Ok(()), "three are free");
        guard.failed("sari", start);
        assert_eq!(guard.check("sari", start), Err(Duration::from_secs(1)));
        let later = start + Duration::from_secs(1);
        assert_eq!(guard.check("sari", later), Ok(()));
        guard.failed("sari", later);
        assert_eq!(guard.check("sari", later), Err(Duration::from_secs(2)));
        assert_eq!(guard.check("budi", later), Ok(()), "another account");
        for _ in 0..40 {
            guard.failed("sari", later);
        }
        assert_eq!(guard.check("sari", later), Err(LONGEST_WAIT));
        guard.succeeded("sari");
        assert_eq!(guard.check("sari", later), Ok(()));
    }

    #[test]
    fn the_table_forgets_the_account_idle_longest() {
        let guard = AccountGuard::default();
        let start = Instant::now();
        for n in 0..MOST_ACCOUNTS {
            guard.failed(&format!("a{n}"), start + Duration::from_millis(n as u64));
        }
        guard.failed("newcomer", start + Duration::from_secs(60));
        let accounts = lock(&guard.accounts);
        assert_eq!(accounts.len(), MOST_ACCOUNTS);
        assert!(!accounts.contains_key("a0") && accounts.contains_key("newcomer"));
    }
}
