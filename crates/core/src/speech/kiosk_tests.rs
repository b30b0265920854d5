use super::*;
use crate::speech::keypad::DEFAULT_KEYS;

const ID: Language = Language::Indonesian;
const EN: Language = Language::English;

/// The first default key of each command, as the kiosk tells them.
fn keys() -> KeyNames {
    let mut names: Vec<(Command, String)> = Vec::new();
    for (key, command) in DEFAULT_KEYS {
        if !names.iter().any(|(known, _)| *known == command) {
            names.push((command, key.to_owned()));
        }
    }
    KeyNames(names)
}

fn birth_certificate(availability: Availability) -> ServiceFacts {
    ServiceFacts {
        name: "Akta Kelahiran".into(),
        availability,
        fee: "Gratis".into(),
        duration: "1 hari kerja".into(),
        counter: "Loket 3".into(),
        location: "Lantai 1".into(),
        queue: vec![
            "Antrean di depan Anda: 6 orang".into(),
            "Perkiraan waktu tunggu: 10–20 menit".into(),
        ],
        requirements: vec!["KTP orang tua".into(), "Surat keterangan lahir".into()],
        priority: true,
    }
}

fn ticket() -> TicketFacts {
    TicketFacts {
        number: "DKC-014".into(),
        priority: false,
        service: "Akta Kelahiran".into(),
        counter: "Loket 3".into(),
        location: "Lantai 1".into(),
        ahead: Some(6),
        wait: Some("Perkiraan waktu tunggu: 10–20 menit".into()),
    }
}

#[test]
fn the_welcome_says_where_how_to_move_and_the_first_choice() {
    let said = welcome(ID, "MPP Blora", true, &keys()).plain_text();
    assert_eq!(
        said,
        "Mode suara aktif. Selamat datang di M P P Blora. Tekan dua atau delapan untuk berpindah \
         pilihan, Enter untuk memilih, empat untuk kembali, lima untuk mendengar lagi, nol untuk \
         bantuan. Tombol plus dan minus mengatur volume. satu dari tiga, Ambil nomor antrean"
    );
    let said = welcome(EN, "MPP Blora", false, &keys()).plain_text();
    assert!(said.starts_with("Speech mode is on. Welcome to M P P Blora. Press two or eight"));
    assert!(said.ends_with("one of two, Take a queue number"), "{said}");
    assert_eq!(
        welcome_choices(EN, false).len(),
        2,
        "no survey, no third choice"
    );
}

#[test]
fn the_keys_told_are_the_mapped_ones() {
    let mut arrows = keys();
    for (command, key) in &mut arrows.0 {
        match command {
            Command::Next => *key = "ArrowDown".into(),
            Command::Previous => *key = "ArrowUp".into(),
            _ => {}
        }
    }
    let said = how_to_move(ID, &arrows).plain_text();
    assert!(
        said.starts_with("Tekan panah bawah atau panah atas untuk"),
        "{said}"
    );
    let said = how_to_move(EN, &KeyNames::default()).plain_text();
    assert!(
        said.starts_with("Press no key or no key"),
        "an unmapped key is not made up: {said}"
    );
}

#[test]
fn the_agencies_list_tells_its_length_and_how_to_jump() {
    assert_eq!(
        agencies(ID, 32, "BPJS Kesehatan", &keys()).plain_text(),
        "Pilih instansi. Ada tiga puluh dua instansi, urut abjad. Tekan tiga atau sembilan untuk \
         melompat sepuluh pilihan, satu atau tujuh untuk huruf awal berikutnya atau sebelumnya. \
         satu dari tiga puluh dua, B P J S Kesehatan"
    );
    assert_eq!(
        agencies(EN, 3, "Dukcapil", &keys()).plain_text(),
        "Choose an agency. three in the list, in alphabetical order. Press three or nine to jump \
         ten choices, one or seven for the next or previous first letter. one of three, \
         Dukcapil"
    );
}

#[test]
fn a_list_item_gives_its_place_and_the_letter_jumped_to() {
    assert_eq!(
        item(ID, 12, 270, "Paspor Baru", Some('p')).plain_text(),
        "Huruf P, dua belas dari dua ratus tujuh puluh, Paspor Baru"
    );
    assert_eq!(
        item(EN, 2, 5, "New passport", None).plain_text(),
        "two of five, New passport"
    );
    assert_eq!(list_end(ID, true).plain_text(), "Akhir daftar.");
    assert_eq!(list_end(EN, false).plain_text(), "Start of the list.");
}

#[test]
fn the_services_list_says_when_the_most_used_come_first() {
    assert_eq!(
        services(ID, "Dukcapil", 12, "Akta Kelahiran", true).plain_text(),
        "Dukcapil. Pilih layanan. Ada dua belas layanan. Yang paling sering diambil disebut \
         lebih dulu. satu dari dua belas, Akta Kelahiran"
    );
    assert_eq!(
        services(EN, "Dukcapil", 1, "Birth certificate", false).plain_text(),
        "Dukcapil. Choose a service. one in the list. one of one, Birth certificate"
    );
}

#[test]
fn an_open_service_tells_fee_time_place_queue_and_its_choices() {
    let open = Availability::Open {
        until: "14:00".into(),
        quota_left: Some(12),
    };
    assert_eq!(
        detail(ID, &birth_certificate(open.clone())).plain_text(),
        "Akta Kelahiran. Buka. Nomor diberikan sampai pukul empat belas, Sisa kuota hari ini: \
         dua belas nomor. Biaya: Gratis. Waktu penyelesaian: satu hari kerja. Tempat: Loket \
         tiga, Lantai satu, Antrean di depan Anda: enam orang. Perkiraan waktu tunggu: sepuluh \
         sampai dua puluh menit. satu dari empat, Ambil nomor antrean biasa"
    );
    let choices = detail_choices(EN, &birth_certificate(open));
    assert_eq!(
        choices,
        [
            "Take a regular queue number",
            "Take a priority number, for people with disabilities, the elderly, pregnant women, \
             children and disaster victims",
            "Hear the requirements",
            "Go back"
        ]
    );
}

#[test]
fn a_closed_service_and_a_quota_reached_say_why_and_offer_no_number() {
    let closed = Availability::Closed(
        "Kuota hari ini sudah habis. Silakan datang lagi besok pukul 08:00.".into(),
    );
    let said = detail(ID, &birth_certificate(closed.clone())).plain_text();
    assert!(
        said.starts_with(
            "Akta Kelahiran. Kuota hari ini sudah habis. Silakan datang lagi besok pukul \
             delapan, Nomor tidak dapat diambil sekarang. Biaya: Gratis."
        ),
        "{said}"
    );
    assert!(
        said.ends_with("satu dari dua, Dengarkan persyaratan"),
        "{said}"
    );
    let mut english = birth_certificate(Availability::Closed(
        "Closed today by staff. Come back tomorrow at 08:00.".into(),
    ));
    english.name = "Birth certificate".into();
    let said = detail(EN, &english).plain_text();
    assert!(
        said.starts_with(
            "Birth certificate. Closed today by staff. Come back tomorrow at eight, No number \
             can be taken now."
        ),
        "{said}"
    );
    assert_eq!(
        detail_choices(EN, &english),
        ["Hear the requirements", "Go back"]
    );
}

#[test]
fn requirements_are_numbered() {
    let facts = birth_certificate(Availability::Closed(String::new()));
    assert_eq!(
        requirements(ID, &facts.requirements).plain_text(),
        "Persyaratan, dua hal: satu, K T P orang tua. dua, Surat keterangan lahir"
    );
    assert_eq!(requirements(EN, &[]).plain_text(), "No requirements.");
}

#[test]
fn the_ticket_is_spoken_back_whole() {
    assert_eq!(
        done(ID, &ticket()).plain_text(),
        "Nomor antrean Anda: D K C empat belas, Untuk Akta Kelahiran. Silakan menuju Loket \
         tiga, Lantai satu, Antrean di depan Anda: enam orang. Perkiraan waktu tunggu: sepuluh \
         sampai dua puluh menit. Tiket keluar dari celah di bawah layar. Ambil tiket Anda. satu \
         dari satu, Selesai"
    );
    let priority = TicketFacts {
        number: "DKC-P003".into(),
        priority: true,
        ahead: None,
        wait: None,
        service: "Birth certificate".into(),
        ..ticket()
    };
    assert_eq!(
        done(EN, &priority).plain_text(),
        "Your queue number: D K C P three, A priority number. For Birth certificate. Please go \
         to Loket three, Lantai one, The ticket comes out of the slot below the screen. Please \
         take it. one of one, Finish"
    );
}

#[test]
fn a_failed_print_still_gives_the_number_and_other_problems_ask_for_staff() {
    let said = problem(ID, &Problem::NotPrinted(ticket())).plain_text();
    assert!(
        said.starts_with(
            "Tiket tidak dapat dicetak, tetapi nomor Anda berlaku. Nomor antrean Anda: D K C \
             empat belas,"
        ),
        "{said}"
    );
    assert!(said.contains("Mintalah bantuan petugas"), "{said}");
    assert_eq!(
        problem(EN, &Problem::OutOfNumbers).plain_text(),
        "Today's queue numbers have run out. Please ask the staff at the information desk. one \
         of one, Finish"
    );
    assert!(
        problem(ID, &Problem::Fault)
            .plain_text()
            .starts_with("Kios sedang bermasalah")
    );
    assert!(
        problem(EN, &Problem::Closed("Closed for a break.".into()))
            .plain_text()
            .starts_with("Closed for a break. one of one, Finish")
    );
}

#[test]
fn printing_survey_idle_volume_and_goodbye_in_both_languages() {
    assert_eq!(
        printing(ID).plain_text(),
        "Nomor Anda sedang dicetak. Mohon tunggu."
    );
    assert_eq!(
        printing(EN).plain_text(),
        "Your number is being printed. Please wait."
    );
    assert!(
        survey(ID, true)
            .plain_text()
            .contains("Pindai kode Q R pada tiket")
    );
    assert!(!survey(EN, false).plain_text().contains("Scan"));
    assert_eq!(
        still_there(ID, 30).plain_text(),
        "Tidak ada tombol yang ditekan. Kios kembali ke awal dalam tiga puluh detik. Tekan \
         tombol apa saja untuk melanjutkan."
    );
    assert_eq!(volume(EN, 7, 10).plain_text(), "Volume seven of ten,");
    assert_eq!(
        goodbye(ID).plain_text(),
        "Terima kasih. Mode suara selesai."
    );
}

#[test]
fn every_phrase_is_translated() {
    for text in Text::ALL {
        assert_ne!(text.get(ID), text.get(EN), "{text:?}");
    }
}

#[test]
fn the_ticket_number_reaches_the_voice_as_letters() {
    let ssml = done(ID, &ticket()).ssml();
    assert!(
        ssml.contains("<say-as interpret-as=\"characters\">DKC</say-as>"),
        "{ssml}"
    );
    assert!(
        ssml.contains("[[l'okEt]]"),
        "the lexicon corrects 'loket': {ssml}"
    );
    let ssml = printing(ID).ssml();
    assert!(
        ssml.contains("[[s'@daN]] [[ditS'@tak]] . Mohon"),
        "a word before a full stop is corrected, the stop kept: {ssml}"
    );
}
