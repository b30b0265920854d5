//! What the watchdog does at each look, from facts alone (no clock, no systemd), so every rule
//! is tested directly: ready once the first frame is drawn, the screen ticks and the store
//! answers; fed only while both keep making progress; a restart for a new version only when
//! nobody is at the screen.

use std::time::Duration;

/// How watchful to be, derived from systemd's `WatchdogSec=`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Policy {
    /// Time between two looks (and two `WATCHDOG=1`).
    pub interval: Duration,
    /// A screen tick older than this: the screen's loop is stuck (it ticks every second).
    pub tick_stale: Duration,
    /// No successful store probe for this long: the store is stuck. Longer than a tick, as a
    /// print holds the store while the paper comes out.
    pub store_stale: Duration,
    /// The welcome screen untouched for this long: a restart goes unnoticed.
    pub restart_idle: Duration,
    /// A new program file in place for this long: the package manager has finished.
    pub restart_settle: Duration,
}

/// Used when the unit sets no `WatchdogSec=`.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

impl Policy {
    pub fn for_timeout(timeout: Option<Duration>) -> Self {
        let timeout = timeout.unwrap_or(DEFAULT_TIMEOUT);
        Self {
            interval: (timeout / 4).clamp(Duration::from_millis(250), Duration::from_secs(5)),
            tick_stale: (timeout / 2).clamp(Duration::from_secs(3), Duration::from_secs(10)),
            store_stale: (timeout / 2).clamp(Duration::from_secs(3), Duration::from_secs(15)),
            restart_idle: Duration::from_secs(30),
            restart_settle: Duration::from_secs(10),
        }
    }
}

/// What the watchdog saw, as ages (`None`: never).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Facts {
    /// Since the screen's last tick.
    pub since_tick: Option<Duration>,
    /// The screen has drawn its first frame.
    pub frame_drawn: bool,
    /// Since the store last answered a probe.
    pub since_store_ok: Option<Duration>,
    /// Since a new program file was first seen in place of the running one.
    pub replaced_for: Option<Duration>,
    /// Since the last touch, while the welcome screen shows (`None` on any other screen).
    pub idle_for: Option<Duration>,
}

/// Why the watchdog is no longer fed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stuck {
    /// The screen's loop has not ticked for this long.
    Screen(Duration),
    /// The store has not answered for this long (or ever).
    Store(Option<Duration>),
}

impl std::fmt::Display for Stuck {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Stuck::Screen(age) => write!(f, "the screen has not ticked for {}s", age.as_secs()),
            Stuck::Store(Some(age)) => {
                write!(f, "the database has not answered for {}s", age.as_secs())
            }
            Stuck::Store(None) => f.write_str("the database has never answered"),
        }
    }
}

/// What to do at this look.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// Not up yet (no first frame, tick or store answer): say nothing.
    Starting,
    /// Up and making progress: `READY=1` the first time, then `WATCHDOG=1`.
    Healthy,
    /// Something stopped: stay silent so systemd's watchdog restarts the kiosk.
    Stuck(Stuck),
    /// A new version is installed and nobody is at the screen: exit so systemd starts it.
    Restart,
}

pub fn decide(facts: &Facts, policy: &Policy, ready: bool) -> Step {
    let (Some(since_tick), true) = (facts.since_tick, facts.frame_drawn) else {
        return Step::Starting;
    };
    if since_tick > policy.tick_stale {
        return if ready {
            Step::Stuck(Stuck::Screen(since_tick))
        } else {
            Step::Starting
        };
    }
    match facts.since_store_ok {
        Some(age) if age <= policy.store_stale => {}
        None if !ready => return Step::Starting,
        age => return Step::Stuck(Stuck::Store(age)),
    }
    let settled = facts
        .replaced_for
        .is_some_and(|age| age >= policy.restart_settle);
    let unattended = facts
        .idle_for
        .is_some_and(|idle| idle >= policy.restart_idle);
    if ready && settled && unattended {
        Step::Restart
    } else {
        Step::Healthy
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: fn(u64) -> Duration = Duration::from_secs;

    fn policy() -> Policy {
        Policy::for_timeout(Some(S(30)))
    }

    fn healthy() -> Facts {
        Facts {
            since_tick: Some(S(1)),
            frame_drawn: true,
            since_store_ok: Some(S(2)),
            replaced_for: None,
            idle_for: None,
        }
    }

    #[test]
    fn the_policy_follows_the_timeout_within_bounds() {
        let policy = policy();
        assert_eq!(policy.interval, Duration::from_millis(7500).min(S(5)));
        assert_eq!(policy.tick_stale, S(10));
        assert_eq!(policy.store_stale, S(15));
        let tight = Policy::for_timeout(Some(S(4)));
        assert_eq!(tight.interval, S(1));
        assert_eq!(tight.tick_stale, S(3), "never below three missed ticks");
        assert_eq!(
            Policy::for_timeout(Some(Duration::from_millis(100))).interval,
            Duration::from_millis(250)
        );
        assert_eq!(
            Policy::for_timeout(None),
            policy,
            "30 s when no timeout is set"
        );
    }

    #[test]
    fn ready_needs_a_frame_a_tick_and_the_store() {
        let policy = policy();
        assert_eq!(decide(&Facts::default(), &policy, false), Step::Starting);
        let no_frame = Facts {
            frame_drawn: false,
            ..healthy()
        };
        assert_eq!(decide(&no_frame, &policy, false), Step::Starting);
        let no_tick = Facts {
            since_tick: None,
            ..healthy()
        };
        assert_eq!(decide(&no_tick, &policy, false), Step::Starting);
        let no_store = Facts {
            since_store_ok: None,
            ..healthy()
        };
        assert_eq!(decide(&no_store, &policy, false), Step::Starting);
        assert_eq!(decide(&healthy(), &policy, false), Step::Healthy);
    }

    #[test]
    fn a_healthy_kiosk_is_fed() {
        assert_eq!(decide(&healthy(), &policy(), true), Step::Healthy);
        let edge = Facts {
            since_tick: Some(S(10)),
            since_store_ok: Some(S(15)),
            ..healthy()
        };
        assert_eq!(
            decide(&edge, &policy(), true),
            Step::Healthy,
            "at the limits"
        );
    }

    #[test]
    fn a_hung_screen_starves_the_watchdog() {
        let hung = Facts {
            since_tick: Some(S(11)),
            ..healthy()
        };
        assert_eq!(
            decide(&hung, &policy(), true),
            Step::Stuck(Stuck::Screen(S(11)))
        );
    }

    #[test]
    fn a_hung_store_starves_the_watchdog_even_while_the_screen_ticks() {
        let hung = Facts {
            since_store_ok: Some(S(16)),
            ..healthy()
        };
        assert_eq!(
            decide(&hung, &policy(), true),
            Step::Stuck(Stuck::Store(Some(S(16))))
        );
        assert!(Stuck::Store(Some(S(16))).to_string().contains("16s"));
    }

    #[test]
    fn a_new_version_restarts_only_an_unattended_welcome_screen() {
        let policy = policy();
        let replaced = Facts {
            replaced_for: Some(S(60)),
            idle_for: Some(S(45)),
            ..healthy()
        };
        assert_eq!(decide(&replaced, &policy, true), Step::Restart);
        let visitor = Facts {
            idle_for: None,
            ..replaced
        };
        assert_eq!(
            decide(&visitor, &policy, true),
            Step::Healthy,
            "a visitor is on another screen"
        );
        let just_touched = Facts {
            idle_for: Some(S(5)),
            ..replaced
        };
        assert_eq!(decide(&just_touched, &policy, true), Step::Healthy);
        let unpacking = Facts {
            replaced_for: Some(S(2)),
            ..replaced
        };
        assert_eq!(
            decide(&unpacking, &policy, true),
            Step::Healthy,
            "the package manager may not have finished"
        );
        let same = Facts {
            replaced_for: None,
            ..replaced
        };
        assert_eq!(decide(&same, &policy, true), Step::Healthy);
        let hung = Facts {
            since_tick: Some(S(20)),
            ..replaced
        };
        assert!(
            matches!(decide(&hung, &policy, true), Step::Stuck(_)),
            "a stuck kiosk is left to the watchdog"
        );
    }
}
