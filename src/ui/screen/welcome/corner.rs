//! The hidden way to the technician's PIN pad: five taps in the welcome screen's top-left
//! corner (on the logo) within three seconds. A visitor's chance tap there is an ordinary
//! touch: it starts a visit once no second tap follows it shortly (the only difference a
//! visitor could notice is that short wait).

use std::time::Duration;

use iced::time::Instant;

/// Taps that open the pad.
pub const TAPS: usize = 5;
/// They all fall within this long.
pub const WINDOW: Duration = Duration::from_secs(3);
/// How long a corner tap waits for the next before it counts as a visitor's touch: short
/// enough not to be noticed, long enough for a technician's steady tapping.
pub const SETTLE: Duration = Duration::from_millis(800);

/// The corner taps heard so far.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CornerTaps {
    taps: Vec<Instant>,
    /// Counts taps, so a wait that a later tap overtook is recognised as stale.
    generation: u64,
}

/// What a corner tap means.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Heard {
    /// The fifth tap in time: open the pad.
    OpenPad,
    /// Wait [`SETTLE`], then ask [`CornerTaps::settle`] with this generation.
    Wait(u64),
}

impl CornerTaps {
    pub fn tap(&mut self, now: Instant) -> Heard {
        self.taps
            .retain(|tap| now.saturating_duration_since(*tap) <= WINDOW);
        self.taps.push(now);
        self.generation += 1;
        if self.taps.len() >= TAPS {
            self.taps.clear();
            return Heard::OpenPad;
        }
        Heard::Wait(self.generation)
    }

    /// The wait after tap `generation` is over: `true` when no tap came since, so the taps
    /// were a visitor's touch (and are forgotten).
    pub fn settle(&mut self, generation: u64) -> bool {
        let quiet = generation == self.generation && !self.taps.is_empty();
        if quiet {
            self.taps.clear();
        }
        quiet
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn steps(start: Instant, gap_ms: u64) -> impl Iterator<Item = Instant> {
        (0..).map(move |n| start + Duration::from_millis(n * gap_ms))
    }

    #[test]
    fn five_steady_taps_open_the_pad_and_no_wait_fires_after() {
        let mut corner = CornerTaps::default();
        let mut heard = Vec::new();
        for at in steps(Instant::now(), 500).take(TAPS) {
            heard.push(corner.tap(at));
        }
        assert_eq!(heard[..4], [1, 2, 3, 4].map(Heard::Wait));
        assert_eq!(heard[4], Heard::OpenPad);
        for generation in 1..=5 {
            assert!(!corner.settle(generation), "a stale wait starts nothing");
        }
    }

    #[test]
    fn a_single_tap_is_a_visitors_touch_once_it_settles() {
        let mut corner = CornerTaps::default();
        assert_eq!(corner.tap(Instant::now()), Heard::Wait(1));
        assert!(corner.settle(1));
        assert!(!corner.settle(1), "told once");
    }

    #[test]
    fn taps_spread_over_more_than_three_seconds_never_open() {
        let mut corner = CornerTaps::default();
        let heard: Vec<Heard> = steps(Instant::now(), 800)
            .take(12)
            .map(|at| corner.tap(at))
            .collect();
        assert!(!heard.contains(&Heard::OpenPad), "{heard:?}");
    }

    #[test]
    fn two_quick_taps_are_one_touch_told_after_the_last() {
        let mut corner = CornerTaps::default();
        let start = Instant::now();
        let first = corner.tap(start);
        let second = corner.tap(start + Duration::from_millis(200));
        let (Heard::Wait(first), Heard::Wait(second)) = (first, second) else {
            panic!("waits");
        };
        assert!(!corner.settle(first));
        assert!(corner.settle(second));
    }
}
