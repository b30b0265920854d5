use super::*;
use crate::numbering::{Lane, QueueNumber};

fn id_call(number: &str, point: &str) -> Utterance {
    Utterance::call(Language::Indonesian, number, point)
}

#[test]
fn a_call_says_the_number_as_words_and_the_counter() {
    assert_eq!(
        id_call("DKC-014", "Loket 3").plain_text(),
        "Nomor antrean D K C empat belas, silakan ke Loket tiga"
    );
    assert_eq!(
        Utterance::call(Language::English, "DKC-014", "Loket 3").plain_text(),
        "Number D K C fourteen, please go to Loket three"
    );
}

#[test]
fn leading_zeros_are_never_read() {
    // espeak-ng reads "014" as "nol empat belas" (CALLING.md): the number is words first.
    for (number, spoken) in [
        ("DKC-001", "D K C satu"),
        ("DKC-010", "D K C sepuluh"),
        ("DKC-100", "D K C seratus"),
        ("DKC-1234", "D K C seribu dua ratus tiga puluh empat"),
    ] {
        let text = id_call(number, "Loket 1").plain_text();
        assert!(text.contains(spoken), "{number}: {text}");
        assert!(!text.contains("nol"), "{number}: {text}");
    }
}

#[test]
fn a_priority_number_spells_its_lane_letter() {
    assert_eq!(
        ticket_number_parts("DKC-P003"),
        vec![
            Part::Letters("DKC".into()),
            Part::Letters("P".into()),
            Part::Number(3)
        ]
    );
    assert_eq!(
        ticket_number_parts("bpn-7"),
        vec![Part::Letters("BPN".into()), Part::Number(7)]
    );
}

#[test]
fn a_long_digit_run_is_read_digit_by_digit() {
    assert_eq!(
        ticket_number_parts("1234567890"),
        (0..10)
            .map(|i| Part::Number([1, 2, 3, 4, 5, 6, 7, 8, 9, 0][i]))
            .collect::<Vec<_>>()
    );
}

#[test]
fn names_spell_acronyms_and_read_words() {
    assert_eq!(
        name_parts("Loket BPN 2"),
        vec![
            Part::Name("Loket".into()),
            Part::Letters("BPN".into()),
            Part::Number(2)
        ]
    );
    assert_eq!(
        name_parts("Meja A3"),
        vec![
            Part::Name("Meja".into()),
            Part::Letters("A".into()),
            Part::Number(3)
        ]
    );
    // Long capitals with vowels are words ("DUKCAPIL"); without vowels they are spelled.
    assert_eq!(name_parts("DUKCAPIL"), vec![Part::Name("DUKCAPIL".into())]);
    assert_eq!(name_parts("SKCK"), vec![Part::Letters("SKCK".into())]);
    // Two consonants no Indonesian word opens on: spelled, as people say them.
    for spelled in ["PDAM", "DPUPR", "BPJS", "KPP"] {
        assert_eq!(name_parts(spelled), vec![Part::Letters(spelled.into())]);
    }
    for word in ["SAMSAT", "KESBANGPOL", "PRATAMA", "Dukcapil", "Pdam"] {
        assert_eq!(name_parts(word), vec![Part::Name(word.into())], "{word}");
    }
}

#[test]
fn ssml_corrects_the_voice_with_the_lexicon() {
    let ssml = id_call("DKC-014", "Loket 4").ssml();
    assert_eq!(
        ssml,
        "<speak>Nomor antrean <say-as interpret-as=\"characters\">DKC</say-as> \
         [[@mp'at]] [[b@l'as]] <break time=\"300ms\"/> silakan ke [[l'okEt]] [[@mp'at]] </speak>"
    );
    // English words have no Indonesian corrections; the point's name is said the Indonesian
    // way, its number in English.
    let english = Utterance::call(Language::English, "DKC-014", "Loket 4").ssml();
    assert_eq!(
        english,
        "<speak><voice name=\"en\">Number <say-as interpret-as=\"characters\">DKC</say-as> \
         fourteen <break time=\"300ms\"/> please go to </voice> \
         <voice name=\"id\">[[l'okEt]] </voice> <voice name=\"en\">four </voice> </speak>"
    );
}

#[test]
fn configuration_text_cannot_break_out_of_the_ssml() {
    // A name's symbols are boundaries, never spoken or passed on.
    let call = id_call("DKC-1", "Loket <b>&[[x]]");
    assert!(
        call.ssml().ends_with("silakan ke [[l'okEt]] b x </speak>"),
        "{}",
        call.ssml()
    );
    // Words from elsewhere (a screen's text) are escaped, brackets included.
    let words = Utterance {
        language: Language::Indonesian,
        parts: vec![Part::Words("a<b>&[[x]]\"'".into())],
    };
    assert_eq!(
        words.ssml(),
        "<speak>a&lt;b&gt;&amp;  x  &quot;&apos; </speak>"
    );
}

#[test]
fn clips_cover_the_longest_run_of_words_of_a_name() {
    let clips = ClipNames::new(["BPJS", "bpjs  kesehatan", "Loket 3", "Dukcapil"]);
    assert_eq!(
        clips.cover("Loket BPJS Kesehatan 2"),
        vec![
            Part::Name("Loket".into()),
            Part::Clip {
                name: "bpjs kesehatan".into(),
                text: "BPJS Kesehatan".into()
            },
            Part::Number(2)
        ]
    );
    assert_eq!(
        clips.cover("loket 3"),
        vec![Part::Clip {
            name: "loket 3".into(),
            text: "loket 3".into()
        }]
    );
    assert_eq!(clips.cover("Loket 4"), name_parts("Loket 4"));
    assert_eq!(ClipNames::default().cover("Loket 3"), name_parts("Loket 3"));
    // A clip is said, in the plain text, as its words are written.
    let call = Utterance::call_with(Language::Indonesian, "DKC-1", "Loket Dukcapil 2", &clips);
    assert_eq!(
        call.plain_text(),
        "Nomor antrean D K C satu, silakan ke Loket Dukcapil dua"
    );
    let segments = call.segments();
    assert_eq!(segments.len(), 3, "{segments:?}");
    assert_eq!(
        segments[1],
        Segment::Clip {
            name: "dukcapil".into(),
            text: "Dukcapil".into()
        }
    );
    let Segment::Speech(after) = &segments[2] else {
        panic!("{segments:?}")
    };
    assert_eq!(after.plain_text(), "dua");
}

#[test]
fn an_announcement_says_each_language_in_turn() {
    let none = ClipNames::default();
    let indonesian = Announcement::call(&[Language::Indonesian], "DKC-014", "Loket 3", &none);
    assert_eq!(
        indonesian.plain_text(),
        id_call("DKC-014", "Loket 3").plain_text(),
        "Indonesian alone is the Indonesian phrase"
    );
    let both = Announcement::call(
        &[Language::Indonesian, Language::English],
        "DKC-014",
        "Loket 3",
        &none,
    );
    assert_eq!(
        both.plain_text(),
        "Nomor antrean D K C empat belas, silakan ke Loket tiga. \
         Number D K C fourteen, please go to Loket three"
    );
    // The audio is kept per languages and per clip.
    let clipped = Announcement::call(
        &[Language::Indonesian],
        "DKC-014",
        "Loket 3",
        &ClipNames::new(["Loket 3"]),
    );
    let keys = [&indonesian, &both, &clipped].map(Announcement::cache_key);
    assert!(
        keys[0] != keys[1] && keys[0] != keys[2] && keys[1] != keys[2],
        "{keys:?}"
    );
    assert_eq!(
        keys[0],
        Announcement::call(&[Language::Indonesian], "DKC-014", "Loket 3", &none).cache_key()
    );
}

/// The "every number pattern and every agency in the catalog": each queue of the
/// shipped catalog, regular and priority, numbers 1, 10, 11, 14, 100, 999, called to a point
/// named after its agency, reads its letters spaced and its number in words.
#[test]
fn every_queue_of_the_shipped_catalog_is_called_in_words() {
    let catalog = crate::catalog_json::parse(
        include_str!("../../../../assets/catalog.json"),
        "assets/catalog.json",
    )
    .expect("the shipped catalog")
    .into_inner();
    let mut queues = 0;
    for agency in &catalog.agencies {
        for queue in &agency.queues {
            queues += 1;
            let prefix = queue.prefix.as_str();
            let spelled = spaced(prefix);
            for (sequence, words) in [
                (1, "satu"),
                (10, "sepuluh"),
                (11, "sebelas"),
                (14, "empat belas"),
                (100, "seratus"),
                (999, "sembilan ratus sembilan puluh sembilan"),
            ] {
                for (lane, marker) in [(Lane::Regular, ""), (Lane::Priority, " P")] {
                    let number = QueueNumber {
                        prefix: queue.prefix.clone(),
                        lane,
                        sequence,
                    }
                    .to_string();
                    let point = format!("Loket {} 2", agency.short_name);
                    let text = id_call(&number, &point).plain_text();
                    let expected = format!("Nomor antrean {spelled}{marker} {words}, silakan ke ");
                    assert!(text.starts_with(&expected), "{number}: {text}");
                    assert!(text.ends_with(" dua"), "{number} at {point}: {text}");
                    assert!(!text.contains("nol"), "{number}: {text}");
                    let english = Utterance::call(Language::English, &number, &point);
                    assert!(
                        english
                            .plain_text()
                            .starts_with(&format!("Number {spelled}{marker} ")),
                        "{number}: {}",
                        english.plain_text()
                    );
                    let ssml = id_call(&number, &point).ssml();
                    assert!(!ssml.contains("&lt;") && ssml.ends_with("</speak>"));
                }
            }
        }
    }
    assert!(queues >= 30, "{queues} queues");
}
