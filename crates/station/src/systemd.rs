//! The kiosk's side of systemd's notify protocol (`sd_notify`): `READY=1`, `WATCHDOG=1` and
//! `STATUS=`, sent to `$NOTIFY_SOCKET` through the `sd-notify` crate.
//!
//! Under cage the kiosk is the compositor's child, not the service's main process: the unit
//! says `NotifyAccess=all` so systemd takes these messages from it, and `WATCHDOG_PID` names
//! cage, so the kiosk reads `WATCHDOG_USEC` itself instead of asking `sd_notify`'s
//! `watchdog_enabled()` (which compares that pid with its own and says no).

use std::time::Duration;

use sd_notify::NotifyState;

/// Whether a service manager listens: `NOTIFY_SOCKET` is set (a `Type=notify` unit).
pub fn listening() -> bool {
    std::env::var_os("NOTIFY_SOCKET").is_some_and(|socket| !socket.is_empty())
}

/// The watchdog timeout systemd set (`WatchdogSec=`), whoever `WATCHDOG_PID` names.
pub fn watchdog_timeout() -> Option<Duration> {
    parse_usec(&std::env::var("WATCHDOG_USEC").ok()?)
}

fn parse_usec(text: &str) -> Option<Duration> {
    text.trim()
        .parse::<u64>()
        .ok()
        .filter(|&usec| usec > 0)
        .map(Duration::from_micros)
}

/// Startup is finished: the service becomes active.
pub fn ready(status: &str) {
    send(&[NotifyState::Ready, NotifyState::Status(status)]);
}

/// Still alive and making progress.
pub fn watchdog() {
    send(&[NotifyState::Watchdog]);
}

/// What `systemctl status` shows under the unit's name.
pub fn status(status: &str) {
    send(&[NotifyState::Status(status)]);
}

fn send(states: &[NotifyState<'_>]) {
    if let Err(error) = sd_notify::notify(states) {
        // systemd's watchdog will say the rest if this keeps failing.
        tracing::warn!(%error, "cannot notify systemd");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_watchdog_timeout_is_read_in_microseconds() {
        assert_eq!(parse_usec("30000000"), Some(Duration::from_secs(30)));
        assert_eq!(parse_usec(" 500000\n"), Some(Duration::from_millis(500)));
        assert_eq!(parse_usec("0"), None, "0 means no watchdog");
        assert_eq!(parse_usec("soon"), None);
        assert_eq!(parse_usec("-1"), None);
    }
}
