use std::time::{Duration, Instant};

use mpp_testkit::skip::skipped;

use super::*;

/// libasound, or `None` (said loudly; a failure under CI, where espeak-ng brings it).
fn with_alsa(test: &str) -> bool {
    match probe("null", 22_050) {
        Output::NoLibrary(reason) => {
            skipped(test, &reason);
            false
        }
        _ => true,
    }
}

fn tone(ms: u32) -> Sound {
    let rate = 22_050;
    let samples: Vec<i16> = (0..rate * ms / 1000)
        .map(|n| if (n / 25) % 2 == 0 { 3000 } else { -3000 })
        .collect();
    Sound {
        samples: samples.into(),
        rate,
    }
}

fn wait_until_quiet(player: &Player, within: Duration) -> Duration {
    let start = Instant::now();
    while player.is_playing() && start.elapsed() < within {
        thread::sleep(Duration::from_millis(2));
    }
    start.elapsed()
}

#[test]
fn the_null_device_opens_and_a_missing_one_is_a_clear_state() {
    if !with_alsa("the_null_device_opens_and_a_missing_one_is_a_clear_state") {
        return;
    }
    assert_eq!(
        probe("null", 22_050),
        Output::Ready {
            device: "null".into()
        }
    );
    match probe("hw:97,0", 22_050) {
        Output::NoDevice { device, reason } => {
            assert_eq!(device, "hw:97,0");
            assert!(!reason.is_empty());
        }
        other => panic!("a card that is not there: {other:?}"),
    }
}

#[test]
fn a_sound_plays_through_and_the_player_says_where() {
    if !with_alsa("a_sound_plays_through_and_the_player_says_where") {
        return;
    }
    let player = Player::start("null");
    assert_eq!(player.output(), Output::Unknown);
    player.play(tone(300));
    let took = wait_until_quiet(&player, Duration::from_secs(5));
    eprintln!("300 ms took {took:?}");
    assert!(!player.is_playing());
    assert!(player.output().is_ready(), "{}", player.output());
    assert!(player.last_start().is_some(), "its start is known");
}
