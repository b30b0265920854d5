use super::*;

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
            Part::Words("Loket".into()),
            Part::Letters("BPN".into()),
            Part::Number(2)
        ]
    );
    assert_eq!(
        name_parts("Meja A3"),
        vec![
            Part::Words("Meja".into()),
            Part::Letters("A".into()),
            Part::Number(3)
        ]
    );
    // Long capitals with vowels are words ("DUKCAPIL"); without vowels they are spelled.
    assert_eq!(name_parts("DUKCAPIL"), vec![Part::Words("DUKCAPIL".into())]);
    assert_eq!(name_parts("SKCK"), vec![Part::Letters("SKCK".into())]);
}

#[test]
fn ssml_corrects_the_voice_with_the_lexicon() {
    let ssml = id_call("DKC-014", "Loket 4").ssml();
    assert_eq!(
        ssml,
        "<speak>Nomor antrean <say-as interpret-as=\"characters\">DKC</say-as> \
         [[@mp'at]] [[b@l'as]] <break time=\"300ms\"/> silakan ke [[l'okEt]] [[@mp'at]] </speak>"
    );
    // English has no Indonesian corrections.
    let english = Utterance::call(Language::English, "DKC-014", "Loket 4").ssml();
    assert!(!english.contains("[["), "{english}");
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
