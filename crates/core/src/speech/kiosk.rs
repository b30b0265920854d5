//! What the kiosk says in speech mode, screen by screen, as a pure function of what the screen
//! shows: where the visitor is, what the choices are, how to move. Every screen is a list of
//! choices moved through with the keypad ([`super::keypad`]); its opening says where the
//! visitor is and reads the first choice, each move reads the choice reached ([`item`]).
//! The screens' own sentences (fees, waits, closures) are read through [`text_parts`], so
//! numbers are words and ticket numbers letters, as the lobby calls them.

use super::keypad::Command;
use super::reading::text_parts;
use super::{Part, Utterance, ticket_number_parts};
use crate::lang::Language;

crate::texts! {
    SpeechOn => "Mode suara aktif.", "Speech mode is on.";
    Welcome => "Selamat datang di {mpp}.", "Welcome to {mpp}.";
    HowToMove => "Tekan {next} atau {previous} untuk berpindah pilihan, {select} untuk memilih, {back} untuk kembali, {repeat} untuk mendengar lagi, {help} untuk bantuan. Tombol {louder} dan {quieter} mengatur volume.", "Press {next} or {previous} to move between choices, {select} to choose, {back} to go back, {repeat} to hear it again, {help} for help. The {louder} and {quieter} keys set the volume.";
    HowToJump => "Tekan {page_next} atau {page_previous} untuk melompat sepuluh pilihan, {letter_next} atau {letter_previous} untuk huruf awal berikutnya atau sebelumnya.", "Press {page_next} or {page_previous} to jump ten choices, {letter_next} or {letter_previous} for the next or previous first letter.";
    Item => "{position} dari {count}: {name}", "{position} of {count}: {name}";
    NoKey => "tanpa tombol", "no key";
    FirstLetter => "Huruf", "Letter";
    EndOfList => "Akhir daftar.", "End of the list.";
    StartOfList => "Awal daftar.", "Start of the list.";
    TakeQueueNumber => "Ambil nomor antrean", "Take a queue number";
    InOtherLanguage => "Dengarkan dalam bahasa Inggris", "Listen in Indonesian";
    RateVisit => "Isi survei kepuasan untuk kunjungan yang sudah selesai", "Rate a visit you have finished (satisfaction survey)";
    ChooseAgency => "Pilih instansi. Ada {count} instansi, urut abjad.", "Choose an agency. {count} in the list, in alphabetical order.";
    ChooseService => "{agency}. Pilih layanan. Ada {count} layanan.", "{agency}. Choose a service. {count} in the list.";
    MostUsedFirst => "Yang paling sering diambil disebut lebih dulu.", "The most used come first.";
    OpenNow => "Buka. Nomor diberikan sampai pukul {time}.", "Open. Numbers are given until {time}.";
    QuotaLeft => "Sisa kuota hari ini: {count} nomor.", "Numbers left today: {count}.";
    NoNumberNow => "Nomor tidak dapat diambil sekarang.", "No number can be taken now.";
    Fee => "Biaya: {fee}.", "Fee: {fee}.";
    Duration => "Waktu penyelesaian: {duration}.", "Time to complete: {duration}.";
    Location => "Tempat: {counter}, {location}.", "Where: {counter}, {location}.";
    HearRequirements => "Dengarkan persyaratan", "Hear the requirements";
    Requirements => "Persyaratan, {count} hal:", "Requirements, {count} items:";
    NoRequirements => "Tidak ada persyaratan.", "No requirements.";
    Regular => "Ambil nomor antrean biasa", "Take a regular queue number";
    Priority => "Ambil nomor prioritas, untuk penyandang disabilitas, lansia, ibu hamil, anak-anak, dan korban bencana", "Take a priority number, for people with disabilities, the elderly, pregnant women, children and disaster victims";
    GoBack => "Kembali", "Go back";
    Printing => "Nomor Anda sedang dicetak. Mohon tunggu.", "Your number is being printed. Please wait.";
    YourNumber => "Nomor antrean Anda:", "Your queue number:";
    PriorityNumber => "Nomor prioritas.", "A priority number.";
    ForService => "Untuk {service}.", "For {service}.";
    GoTo => "Silakan menuju {counter}, {location}.", "Please go to {counter}, {location}.";
    Ahead => "Antrean di depan Anda: {count} orang.", "People ahead of you: {count}.";
    TakeTicket => "Tiket keluar dari celah di bawah layar. Ambil tiket Anda.", "The ticket comes out of the slot below the screen. Please take it.";
    Finish => "Selesai", "Finish";
    NotPrinted => "Tiket tidak dapat dicetak, tetapi nomor Anda berlaku.", "The ticket could not be printed, but your number is valid.";
    AskStaff => "Mintalah bantuan petugas di meja informasi.", "Please ask the staff at the information desk.";
    OutOfNumbers => "Nomor antrean hari ini sudah habis.", "Today's queue numbers have run out.";
    Fault => "Kios sedang bermasalah dan tidak dapat memberi nomor.", "The kiosk has a problem and cannot give a number.";
    Survey => "Survei kepuasan. Pindai kode QR pada tiket Anda di pemindai di bawah layar, atau minta bantuan petugas untuk mengetik nomor dan kode tiket.", "Satisfaction survey. Scan the QR code on your ticket at the scanner below the screen, or ask the staff to type the ticket's number and code.";
    NoScanner => "Survei kepuasan. Mintalah bantuan petugas untuk mengetik nomor dan kode tiket Anda.", "Satisfaction survey. Please ask the staff to type your ticket's number and code.";
    StillThere => "Tidak ada tombol yang ditekan. Kios kembali ke awal dalam {seconds} detik. Tekan tombol apa saja untuk melanjutkan.", "No key was pressed. The kiosk goes back to the start in {seconds} seconds. Press any key to go on.";
    Volume => "Volume {step} dari {steps}.", "Volume {step} of {steps}.";
    Goodbye => "Terima kasih. Mode suara selesai.", "Thank you. Speech mode has ended.";
    Sample => "Ini uji suara kios.", "This is the kiosk's sound test.";
}

/// An utterance built sentence by sentence.
struct Speech {
    language: Language,
    parts: Vec<Part>,
}

impl Speech {
    fn new(language: Language) -> Speech {
        Speech {
            language,
            parts: Vec::new(),
        }
    }

    /// A sentence as the screen writes it.
    fn say(mut self, text: &str) -> Speech {
        self.end_sentence();
        self.parts.extend(text_parts(text, self.language));
        self
    }

    fn text(self, text: Text) -> Speech {
        let language = self.language;
        self.say(text.get(language))
    }

    fn fill(self, text: Text, values: &[(&str, &str)]) -> Speech {
        let filled = text.fill(self.language, values);
        self.say(&filled)
    }

    fn ticket(mut self, number: &str) -> Speech {
        self.parts.extend(ticket_number_parts(number));
        self
    }

    /// What came before ends its sentence: a full stop after words, a pause after a number.
    fn end_sentence(&mut self) {
        match self.parts.last_mut() {
            Some(Part::Words(words)) if !words.ends_with(['.', ',', ':', ';', '!', '?']) => {
                words.push('.');
            }
            Some(Part::Words(_) | Part::Pause) | None => {}
            Some(_) => self.parts.push(Part::Pause),
        }
    }

    fn done(self) -> Utterance {
        Utterance {
            language: self.language,
            parts: self.parts,
        }
    }
}

/// The keys a visitor is told about, by command: the first key mapped to each, as the
/// keyboard names it ("2", "Enter", "ArrowUp", "+").
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct KeyNames(pub Vec<(Command, String)>);

impl KeyNames {
    /// The key of `command` in words, or "no key" where none is mapped.
    fn word(&self, command: Command, language: Language) -> String {
        self.0
            .iter()
            .find(|(mapped, _)| *mapped == command)
            .map_or_else(
                || Text::NoKey.get(language).to_owned(),
                |(_, key)| key_word(key, language),
            )
    }

    fn fill(&self, text: Text, commands: &[(&str, Command)], language: Language) -> String {
        let words: Vec<(&str, String)> = commands
            .iter()
            .map(|(name, command)| (*name, self.word(*command, language)))
            .collect();
        let values: Vec<(&str, &str)> = words.iter().map(|(n, w)| (*n, w.as_str())).collect();
        text.fill(language, &values)
    }
}

/// A key as a visitor feeling the keypad knows it.
pub fn key_word(key: &str, language: Language) -> String {
    let indonesian = language == Language::Indonesian;
    let word = match key {
        "+" => "plus",
        "-" => "minus",
        "*" if indonesian => "bintang",
        "*" => "star",
        "/" if indonesian => "garis miring",
        "/" => "slash",
        "ArrowUp" if indonesian => "panah atas",
        "ArrowUp" => "up arrow",
        "ArrowDown" if indonesian => "panah bawah",
        "ArrowDown" => "down arrow",
        "ArrowLeft" if indonesian => "panah kiri",
        "ArrowLeft" => "left arrow",
        "ArrowRight" if indonesian => "panah kanan",
        "ArrowRight" => "right arrow",
        "PageUp" => "Page Up",
        "PageDown" => "Page Down",
        "Enter" => "Enter",
        other => other,
    };
    word.to_owned()
}

/// The keys to move, choose, go back, repeat, get help and set the volume.
pub fn how_to_move(language: Language, keys: &KeyNames) -> Utterance {
    let sentence = keys.fill(
        Text::HowToMove,
        &[
            ("next", Command::Next),
            ("previous", Command::Previous),
            ("select", Command::Select),
            ("back", Command::Back),
            ("repeat", Command::Repeat),
            ("help", Command::Help),
            ("louder", Command::VolumeUp),
            ("quieter", Command::VolumeDown),
        ],
        language,
    );
    Speech::new(language).say(&sentence).done()
}

/// The keys that jump through a long list.
pub fn how_to_jump(language: Language, keys: &KeyNames) -> Utterance {
    let sentence = keys.fill(
        Text::HowToJump,
        &[
            ("page_next", Command::PageNext),
            ("page_previous", Command::PagePrevious),
            ("letter_next", Command::LetterNext),
            ("letter_previous", Command::LetterPrevious),
        ],
        language,
    );
    Speech::new(language).say(&sentence).done()
}

/// One choice of a list: "3 of 32: Dukcapil"; with the letter when reached by a letter jump.
pub fn item(
    language: Language,
    position: usize,
    count: usize,
    name: &str,
    letter: Option<char>,
) -> Utterance {
    let mut speech = Speech::new(language);
    if let Some(letter) = letter {
        speech = speech.text(Text::FirstLetter);
        speech
            .parts
            .push(Part::Letters(letter.to_uppercase().collect()));
    }
    speech
        .fill(
            Text::Item,
            &[
                ("position", &position.to_string()),
                ("count", &count.to_string()),
                ("name", name),
            ],
        )
        .done()
}

/// Moving past either end of a list.
pub fn list_end(language: Language, at_end: bool) -> Utterance {
    let text = if at_end {
        Text::EndOfList
    } else {
        Text::StartOfList
    };
    Speech::new(language).text(text).done()
}

/// The welcome screen's choices, in order.
pub fn welcome_choices(language: Language, survey: bool) -> Vec<String> {
    let mut choices = vec![
        Text::TakeQueueNumber.get(language).to_owned(),
        Text::InOtherLanguage.get(language).to_owned(),
    ];
    if survey {
        choices.push(Text::RateVisit.get(language).to_owned());
    }
    choices
}

/// Speech mode starting on the welcome screen: where, how to move, the first choice.
pub fn welcome(language: Language, mpp: &str, survey: bool, keys: &KeyNames) -> Utterance {
    let choices = welcome_choices(language, survey);
    Speech::new(language)
        .text(Text::SpeechOn)
        .fill(Text::Welcome, &[("mpp", mpp)])
        .then(how_to_move(language, keys))
        .then(item(language, 1, choices.len(), &choices[0], None))
        .done()
}

/// The agencies' list opening on `first` (the list is alphabetical).
pub fn agencies(language: Language, count: usize, first: &str, keys: &KeyNames) -> Utterance {
    Speech::new(language)
        .fill(Text::ChooseAgency, &[("count", &count.to_string())])
        .then(how_to_jump(language, keys))
        .then(item(language, 1, count, first, None))
        .done()
}

/// An agency's services, opening on `first`; `most_used_first` when ordered by today's use.
pub fn services(
    language: Language,
    agency: &str,
    count: usize,
    first: &str,
    most_used_first: bool,
) -> Utterance {
    let mut speech = Speech::new(language).fill(
        Text::ChooseService,
        &[("agency", agency), ("count", &count.to_string())],
    );
    if most_used_first {
        speech = speech.text(Text::MostUsedFirst);
    }
    speech.then(item(language, 1, count, first, None)).done()
}

/// Whether a service gives numbers now, as the detail screen knows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Availability {
    Open {
        /// The cut-off, as shown ("14:00").
        until: String,
        quota_left: Option<u32>,
    },
    /// Closed, with the screen's sentence of why and until when (a quota reached is one).
    Closed(String),
}

/// A service as its detail screen shows it, in the visitor's language.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServiceFacts {
    pub name: String,
    pub availability: Availability,
    /// As shown: "Gratis", "Rp 50.000".
    pub fee: String,
    pub duration: String,
    pub counter: String,
    pub location: String,
    /// The people ahead and wait sentences, where the kiosk knows them.
    pub queue: Vec<String>,
    pub requirements: Vec<String>,
    /// Whether a priority number can be taken.
    pub priority: bool,
}

/// The detail screen's choices, in order: the numbers (when open), the requirements, back.
pub fn detail_choices(language: Language, facts: &ServiceFacts) -> Vec<String> {
    let mut choices = Vec::new();
    if matches!(facts.availability, Availability::Open { .. }) {
        choices.push(Text::Regular.get(language).to_owned());
        if facts.priority {
            choices.push(Text::Priority.get(language).to_owned());
        }
    }
    choices.push(Text::HearRequirements.get(language).to_owned());
    choices.push(Text::GoBack.get(language).to_owned());
    choices
}

/// A service: whether it is open, fee, time, where, the queue; then its first choice.
pub fn detail(language: Language, facts: &ServiceFacts) -> Utterance {
    let mut speech = Speech::new(language).say(&facts.name);
    speech = match &facts.availability {
        Availability::Open { until, quota_left } => {
            let speech = speech.fill(Text::OpenNow, &[("time", until)]);
            match quota_left {
                Some(left) => speech.fill(Text::QuotaLeft, &[("count", &left.to_string())]),
                None => speech,
            }
        }
        Availability::Closed(why) => speech.say(why).text(Text::NoNumberNow),
    };
    speech = speech
        .fill(Text::Fee, &[("fee", &facts.fee)])
        .fill(Text::Duration, &[("duration", &facts.duration)])
        .fill(
            Text::Location,
            &[("counter", &facts.counter), ("location", &facts.location)],
        );
    for line in &facts.queue {
        speech = speech.say(line);
    }
    let choices = detail_choices(language, facts);
    speech
        .then(item(language, 1, choices.len(), &choices[0], None))
        .done()
}

/// The requirements, read one after the other.
pub fn requirements(language: Language, requirements: &[String]) -> Utterance {
    if requirements.is_empty() {
        return Speech::new(language).text(Text::NoRequirements).done();
    }
    let count = requirements.len().to_string();
    let mut speech = Speech::new(language).fill(Text::Requirements, &[("count", &count)]);
    for (index, requirement) in requirements.iter().enumerate() {
        speech = speech.say(&format!("{}: {requirement}", index + 1));
    }
    speech.done()
}

/// While the number is issued and printed.
pub fn printing(language: Language) -> Utterance {
    Speech::new(language).text(Text::Printing).done()
}

/// A ticket as the visitor needs it to find their way: number, where to go, the queue.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TicketFacts {
    pub number: String,
    pub priority: bool,
    pub service: String,
    pub counter: String,
    pub location: String,
    pub ahead: Option<u32>,
    /// The wait sentence, where one is said ("Perkiraan waktu tunggu: 10–20 menit").
    pub wait: Option<String>,
}

fn ticket_read_back(mut speech: Speech, ticket: &TicketFacts) -> Speech {
    speech = speech.text(Text::YourNumber).ticket(&ticket.number);
    if ticket.priority {
        speech = speech.text(Text::PriorityNumber);
    }
    speech = speech
        .fill(Text::ForService, &[("service", &ticket.service)])
        .fill(
            Text::GoTo,
            &[("counter", &ticket.counter), ("location", &ticket.location)],
        );
    if let Some(ahead) = ticket.ahead {
        speech = speech.fill(Text::Ahead, &[("count", &ahead.to_string())]);
    }
    if let Some(wait) = &ticket.wait {
        speech = speech.say(wait);
    }
    speech
}

/// The ticket printed: read back whole (EN 301 549 5.1.3.16), where it comes out, the choice.
pub fn done(language: Language, ticket: &TicketFacts) -> Utterance {
    ticket_read_back(Speech::new(language), ticket)
        .text(Text::TakeTicket)
        .then(item(language, 1, 1, Text::Finish.get(language), None))
        .done()
}

/// Why no ticket came out, and what to do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    /// The number stands; the paper did not come.
    NotPrinted(TicketFacts),
    /// The service closed meanwhile: the screen's sentence.
    Closed(String),
    OutOfNumbers,
    Fault,
}

pub fn problem(language: Language, problem: &Problem) -> Utterance {
    let speech = Speech::new(language);
    let speech = match problem {
        Problem::NotPrinted(ticket) => {
            ticket_read_back(speech.text(Text::NotPrinted), ticket).text(Text::AskStaff)
        }
        Problem::Closed(why) => speech.say(why),
        Problem::OutOfNumbers => speech.text(Text::OutOfNumbers).text(Text::AskStaff),
        Problem::Fault => speech.text(Text::Fault).text(Text::AskStaff),
    };
    speech
        .then(item(language, 1, 1, Text::Finish.get(language), None))
        .done()
}

/// The survey's first screen: typing a ticket's code is for the screen; a scan or staff help.
pub fn survey(language: Language, scanner: bool) -> Utterance {
    let text = if scanner {
        Text::Survey
    } else {
        Text::NoScanner
    };
    Speech::new(language)
        .text(text)
        .then(item(language, 1, 1, Text::GoBack.get(language), None))
        .done()
}

/// The idle warning, longer in speech mode and said aloud.
pub fn still_there(language: Language, seconds: u64) -> Utterance {
    Speech::new(language)
        .fill(Text::StillThere, &[("seconds", &seconds.to_string())])
        .done()
}

pub fn volume(language: Language, step: u8, steps: u8) -> Utterance {
    Speech::new(language)
        .fill(
            Text::Volume,
            &[("step", &step.to_string()), ("steps", &steps.to_string())],
        )
        .done()
}

pub fn goodbye(language: Language) -> Utterance {
    Speech::new(language).text(Text::Goodbye).done()
}

/// The choice that ends the visit on the ticket and problem screens.
pub fn finish_label(language: Language) -> String {
    Text::Finish.get(language).to_owned()
}

/// The choice that goes back.
pub fn back_label(language: Language) -> String {
    Text::GoBack.get(language).to_owned()
}

/// `speech test`'s sample: a sentence and a call, in `language`.
pub fn sample(language: Language) -> Utterance {
    Speech::new(language)
        .text(Text::Sample)
        .then(Utterance::call(language, "DKC-014", "Loket 3"))
        .done()
}

/// Help on any screen: where the visitor is (the screen's opening) and the keys.
pub fn help(language: Language, screen: Utterance, keys: &KeyNames, list: bool) -> Utterance {
    let mut speech = Speech::new(language)
        .then(screen)
        .then(how_to_move(language, keys));
    if list {
        speech = speech.then(how_to_jump(language, keys));
    }
    speech.done()
}

impl Speech {
    /// Another utterance's parts, as the next sentence.
    fn then(mut self, next: Utterance) -> Speech {
        self.end_sentence();
        self.parts.extend(next.parts);
        self
    }
}

#[cfg(test)]
#[path = "kiosk_tests.rs"]
mod tests;
