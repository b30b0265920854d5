//! Speech mode's command line: `speech test` renders the sample to a file (what CI can check
//! without a sound card), says clearly when there is no sound device, and `doctor` reports the
//! voice, the headphone output and the keypad.

use std::path::Path;
use std::process::Output;

use crate::common::{configured, kiosk_command, said};
use mpp_core::lang::Language;
use mpp_core::speech::kiosk;
use mpp_testkit::skip::espeak_installed as voice_installed;

const NOW: &str = "2026-11-23T02:00:00Z";

fn kiosk(config: &Path, args: &[&str]) -> Output {
    kiosk_command(config, NOW, args)
        .output()
        .expect("run mpp-kiosk")
}

/// The WAV's sample rate, channels and duration in seconds, its headers checked.
fn wav_facts(bytes: &[u8]) -> (u32, u16, f64) {
    let word = |at: usize| u32::from_le_bytes(bytes[at..at + 4].try_into().expect("4 bytes"));
    assert_eq!(&bytes[0..4], b"RIFF");
    assert_eq!(&bytes[8..16], b"WAVEfmt ");
    assert_eq!(word(4) as usize, bytes.len() - 8, "the true RIFF size");
    assert_eq!(&bytes[36..40], b"data");
    assert_eq!(word(40) as usize, bytes.len() - 44, "the true data size");
    let channels = u16::from_le_bytes([bytes[22], bytes[23]]);
    let rate = word(24);
    let bits = u16::from_le_bytes([bytes[34], bytes[35]]);
    assert_eq!(bits, 16);
    let frames = (bytes.len() - 44) / (2 * usize::from(channels));
    (rate, channels, frames as f64 / f64::from(rate))
}

#[test]
fn speech_test_writes_a_wav_as_long_as_its_text_in_both_languages() {
    if !voice_installed("speech_test_writes_a_wav_as_long_as_its_text_in_both_languages") {
        return;
    }
    let (folder, config) = configured("");
    for (argument, language) in [("id", Language::Indonesian), ("en", Language::English)] {
        let file = folder.path().join(format!("sample-{argument}.wav"));
        let file_arg = file.to_str().expect("utf-8 path");
        let output = kiosk(
            &config,
            &["speech", "test", "--out", file_arg, "--language", argument],
        );
        assert!(output.status.success(), "{}", said(&output));
        let text = kiosk::sample(language).plain_text();
        assert!(said(&output).contains(&text), "{}", said(&output));
        let bytes = std::fs::read(&file).expect("the file written");
        let (rate, channels, seconds) = wav_facts(&bytes);
        assert_eq!((rate, channels), (22_050, 1));
        let characters = text.chars().count() as f64;
        let per_character = seconds / characters;
        assert!(
            (0.05..0.2).contains(&per_character),
            "{seconds:.2} s for {characters} characters in {argument}"
        );
        let loudest = bytes[44..]
            .chunks_exact(2)
            .map(|pair| i16::from_le_bytes([pair[0], pair[1]]).unsigned_abs())
            .max()
            .unwrap_or(0);
        assert!(loudest > 1000, "speech, not silence: peak {loudest}");
    }
}

#[test]
fn speech_test_without_a_sound_device_says_so_and_fails() {
    if !voice_installed("speech_test_without_a_sound_device_says_so_and_fails") {
        return;
    }
    let (_folder, config) = configured("[speech]\ndevice = \"hw:97,0\"\n");
    let output = kiosk(&config, &["speech", "test"]);
    assert_eq!(output.status.code(), Some(1), "{}", said(&output));
    let words = said(&output);
    assert!(words.contains("no sound: "), "{words}");
    assert!(words.contains("--out FILE.wav"), "{words}");
}

#[test]
fn doctor_reports_voice_headphone_output_and_keypad() {
    let (_folder, config) = configured("[speech]\ndevice = \"hw:97,0\"\n");
    let words = said(&kiosk(&config, &["doctor"]));
    for line in ["speech voice", "speech headphone output", "speech keypad"] {
        assert!(words.contains(line), "{line} in {words}");
    }
    assert!(
        words.contains("warning  speech headphone output"),
        "a missing device is a warning, not a failure: {words}"
    );
    let (_folder, config) = configured("[speech]\nenabled = false\n");
    let words = said(&kiosk(&config, &["doctor"]));
    assert!(words.contains("speech mode is off"), "{words}");
}
