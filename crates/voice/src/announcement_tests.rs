//! Announcements with the real engine: every queue of the shipped catalog called to a point of
//! its agency, the lexicon reaching the engine, English after Indonesian, the MPP's clips, the
//! MP3 the browsers get.

use mpp_core::lang::Language;
use mpp_core::numbering::{Lane, QueueNumber};
use mpp_core::speech::{Announcement, ClipNames, Utterance, lexicon};

use crate::mp3::{self, Mp3Info};
use crate::tests::engine;
use crate::{Clips, RATE, Voice, Wav};

const INDONESIAN: [Language; 1] = [Language::Indonesian];
const BOTH: [Language; 2] = [Language::Indonesian, Language::English];

fn announce(voice: &Voice, languages: &[Language], point: &str, clips: &Clips) -> Wav {
    let announcement = Announcement::call(languages, "DKC-014", point, &clips.names());
    voice.announcement(&announcement, clips).expect("spoken")
}

/// The shipped catalog's agencies: short name and queue prefixes.
fn agencies() -> Vec<(String, Vec<mpp_core::ids::QueueCode>)> {
    let text = include_str!("../../../assets/catalog.json");
    let catalog = mpp_core::catalog_json::parse(text, "assets/catalog.json")
        .expect("the shipped catalog")
        .into_inner();
    catalog
        .agencies
        .into_iter()
        .map(|agency| {
            let queues = agency
                .queues
                .into_iter()
                .map(|queue| queue.prefix)
                .collect();
            (agency.short_name, queues)
        })
        .collect()
}

#[test]
fn every_agency_of_the_catalog_is_called_with_the_lexicon_reaching_the_engine() {
    let Some(voice) = engine("every_agency_of_the_catalog_is_called_with_the_lexicon") else {
        return;
    };
    let mut checked = 0;
    for (short_name, queues) in agencies() {
        let point = format!("Loket {short_name} 2");
        for prefix in queues {
            for (lane, sequence) in [(Lane::Regular, 14), (Lane::Priority, 3)] {
                let number = QueueNumber {
                    prefix: prefix.clone(),
                    lane,
                    sequence,
                }
                .to_string();
                let call = Utterance::call(Language::Indonesian, &number, &point);
                let phonemes = voice.phonemes(&call).expect("phonemes");
                assert!(
                    phonemes.contains("l'okEt"),
                    "{number} at {point}: {phonemes}"
                );
                let said = if sequence == 14 { "@mp'at" } else { "t'iga" };
                assert!(phonemes.contains(said), "{number}: {phonemes}");
                assert!(!phonemes.contains("n'ol"), "{number}: {phonemes}");
                // Every word of the agency's name with an entry is said as the entry says.
                for word in short_name.split_whitespace() {
                    if let Some(entry) = lexicon::indonesian(&word.to_lowercase()) {
                        assert!(phonemes.contains(entry), "{word} in {phonemes}");
                    }
                }
                checked += 1;
            }
        }
    }
    assert!(checked >= 60, "{checked} calls");
    // The lexicon's agency words, where a catalog name has them.
    let phonemes = voice
        .phonemes(&Utterance::call(
            Language::Indonesian,
            "JKN-001",
            "Loket BPJS Kesehatan 1",
        ))
        .expect("phonemes");
    assert!(phonemes.contains("k@seh'atan"), "{phonemes}");
}

#[test]
fn english_follows_indonesian_with_a_pause_and_says_the_point_the_indonesian_way() {
    let Some(voice) = engine("english_follows_indonesian_with_a_pause") else {
        return;
    };
    let none = Clips::default();
    let indonesian = announce(&voice, &INDONESIAN, "Loket Dukcapil 3", &none);
    let both = announce(&voice, &BOTH, "Loket Dukcapil 3", &none);
    let english = voice
        .wav(&Utterance::call(
            Language::English,
            "DKC-014",
            "Loket Dukcapil 3",
        ))
        .expect("english");
    let expected = indonesian.duration_ms() + english.duration_ms();
    let got = both.duration_ms();
    assert!(
        got + 600 > expected && got < expected + 900,
        "{got} ms for both, {} + {} ms apart",
        indonesian.duration_ms(),
        english.duration_ms()
    );
    // Somewhere after the Indonesian phrase, the pause: 0.6 s of silence at least.
    let samples: Vec<i16> = both.samples().collect();
    let quiet = samples
        .split(|sample| sample.unsigned_abs() > 200)
        .map(<[i16]>::len)
        .max()
        .unwrap_or(0);
    assert!(
        quiet as u32 >= RATE * 6 / 10,
        "longest silence {quiet} samples"
    );
    let phonemes = voice
        .phonemes(&Utterance::call(
            Language::English,
            "DKC-014",
            "Loket Dukcapil 3",
        ))
        .expect("phonemes");
    for said in ["n'Vmb3", "f'o@ti:n", "l'okEt", "duktS'apil", "Tr'i:"] {
        assert!(phonemes.contains(said), "{said} in {phonemes}");
    }
}

/// A clip as a technician would make one: stereo, 44,100 Hz, with silence at both ends.
fn recorded_clip(folder: &std::path::Path, name: &str, hz: f32) {
    let mut data = Vec::new();
    for n in 0..44_100 {
        let t = n as f32 / 44_100.0;
        let loud = (0.1..0.6).contains(&t);
        let value = if loud {
            (8_000.0 * (std::f32::consts::TAU * hz * t).sin()) as i16
        } else {
            0
        };
        data.extend_from_slice(&value.to_le_bytes());
        data.extend_from_slice(&value.to_le_bytes());
    }
    let mut bytes = b"RIFF\0\0\0\0WAVEfmt \x10\0\0\0\x01\0\x02\0".to_vec();
    bytes.extend_from_slice(&44_100u32.to_le_bytes());
    bytes.extend_from_slice(&(44_100u32 * 4).to_le_bytes());
    bytes.extend_from_slice(&[4, 0, 16, 0]);
    bytes.extend_from_slice(b"data");
    bytes.extend_from_slice(&(data.len() as u32).to_le_bytes());
    bytes.extend_from_slice(&data);
    std::fs::write(folder.join(name), bytes).expect("write clip");
}

#[test]
fn clips_are_read_trimmed_and_refused_with_the_file_named() {
    let folder = tempfile::tempdir().expect("tempdir");
    recorded_clip(folder.path(), "Dukcapil.wav", 440.0);
    recorded_clip(folder.path(), "BPJS Kesehatan.WAV", 330.0);
    std::fs::write(folder.path().join("README.txt"), "clips").expect("readme");
    let clips = Clips::load(folder.path()).expect("clips");
    assert_eq!(
        clips.names(),
        ClipNames::new(["dukcapil", "bpjs kesehatan"])
    );
    let clip = clips.get("dukcapil").expect("the clip");
    // Half a second of tone at 22,050 Hz, its silent ends trimmed.
    let ms = clip.len() as u32 * 1000 / RATE;
    assert!((480..=505).contains(&ms), "{ms} ms");

    recorded_clip(folder.path(), "dukcapil.wav", 440.0);
    let twice = Clips::load(folder.path()).expect_err("twice");
    assert!(
        twice.to_string().contains("same name \"dukcapil\""),
        "{twice}"
    );
    std::fs::remove_file(folder.path().join("dukcapil.wav")).expect("remove");

    std::fs::write(folder.path().join("Samsat.wav"), b"RIFF\0\0\0\0WAVEfmt ").expect("bad");
    let bad = Clips::load(folder.path()).expect_err("bad");
    let message = bad.to_string();
    assert!(
        message.contains("Samsat.wav") && message.contains("fmt "),
        "{message}"
    );
    let missing = Clips::load(&folder.path().join("nowhere")).expect_err("no folder");
    assert!(missing.to_string().contains("nowhere"), "{missing}");
}

#[test]
fn a_clip_replaces_the_engine_s_words_for_its_name() {
    let Some(voice) = engine("a_clip_replaces_the_engine_s_words_for_its_name") else {
        return;
    };
    let folder = tempfile::tempdir().expect("tempdir");
    recorded_clip(folder.path(), "Dukcapil.wav", 440.0);
    let clips = Clips::load(folder.path()).expect("clips");
    let clip = clips.get("dukcapil").expect("clip").to_vec();
    for languages in [&INDONESIAN[..], &BOTH[..]] {
        let spoken = announce(&voice, languages, "Loket Dukcapil 2", &clips);
        let samples: Vec<i16> = spoken.samples().collect();
        let found = samples
            .windows(clip.len())
            .filter(|window| *window == clip.as_slice())
            .count();
        assert_eq!(found, languages.len(), "the clip once per language");
        let synthesized = announce(&voice, languages, "Loket Dukcapil 2", &Clips::default());
        assert_ne!(synthesized.bytes(), spoken.bytes());
    }
}

#[test]
fn the_announcement_as_mp3_is_a_seventh_of_the_wav_and_as_long() {
    let Some(voice) = engine("the_announcement_as_mp3_is_a_seventh_of_the_wav") else {
        return;
    };
    for languages in [&INDONESIAN[..], &BOTH[..]] {
        let wav = announce(&voice, languages, "Loket 3", &Clips::default());
        let mp3 = mp3::encode(&wav).expect("mp3");
        let info = Mp3Info::read(&mp3).expect("whole MP3 frames");
        println!(
            "{languages:?}: {} ms, WAV {} bytes, MP3 {} bytes ({:.1}x smaller)",
            wav.duration_ms(),
            wav.bytes().len(),
            mp3.len(),
            wav.bytes().len() as f64 / mp3.len() as f64
        );
        assert_eq!(
            (info.sample_rate, info.channels, info.kbps),
            (RATE, 1, mp3::KBPS)
        );
        let extra = info.duration_ms as i64 - wav.duration_ms() as i64;
        assert!(
            (0..=150).contains(&extra),
            "{} vs {} ms",
            info.duration_ms,
            wav.duration_ms()
        );
        assert!(
            mp3.len() * 6 < wav.bytes().len(),
            "{} of {} bytes",
            mp3.len(),
            wav.bytes().len()
        );
    }
}
