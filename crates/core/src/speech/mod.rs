//! What the kiosk and the lobby say aloud, as a pure function of what is shown: the phrase
//! grammar (a call: "Nomor antrean D K C empat belas, silakan ke Loket tiga"), numbers in
//! words, and the lexicon that corrects the offline voice. Two renderings of one utterance:
//! plain text (captions, tests, a screen reader) and SSML for espeak-ng (`-m`), which the
//! voice crate turns into audio. An [`Announcement`] is a call in each language the MPP
//! speaks, with the MPP's own recorded clips in place of the names they cover.

mod announcement;
pub mod keypad;
pub mod kiosk;
pub mod lexicon;
pub mod numbers;
pub mod reading;

use crate::lang::Language;

pub use announcement::{Announcement, ClipNames, Segment};

/// A piece of an utterance.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Part {
    /// Words read as words, in the utterance's language (a phrase).
    Words(String),
    /// A word of a place's name from the configuration ("Loket", "Dukcapil"): Indonesian, so
    /// said the Indonesian way in every language (an English voice reads "Dukcapil" as
    /// "duck-apple"; the sign above the counter says it the Indonesian way).
    Name(String),
    /// Words of a name the MPP recorded itself (`[calling] clips_dir`): the clip `name`
    /// (lower case, single spaces) is played in their place; `text` is how they are written.
    Clip { name: String, text: String },
    /// Letters read one by one with their names in the language ("D K C": de, ka, ce).
    Letters(String),
    /// A whole number, read in words without leading zeros.
    Number(u64),
    /// A short silence between clauses (a comma in plain text).
    Pause,
}

/// Something to say, in one language.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Utterance {
    pub language: Language,
    pub parts: Vec<Part>,
}

/// Digit runs longer than this are read digit by digit (an id, not a quantity).
const LONGEST_NUMBER: usize = 9;

impl Utterance {
    /// The lobby's call: the ticket's number and where to go.
    pub fn call(language: Language, ticket_number: &str, point: &str) -> Self {
        Self::call_with(language, ticket_number, point, &ClipNames::default())
    }

    /// The call, with the words of the point's name that `clips` covers as [`Part::Clip`].
    pub fn call_with(
        language: Language,
        ticket_number: &str,
        point: &str,
        clips: &ClipNames,
    ) -> Self {
        let (opening, go_to) = match language {
            Language::Indonesian => ("Nomor antrean", "silakan ke"),
            Language::English => ("Number", "please go to"),
        };
        let mut parts = vec![Part::Words(opening.into())];
        parts.extend(ticket_number_parts(ticket_number));
        parts.push(Part::Pause);
        parts.push(Part::Words(go_to.into()));
        parts.extend(clips.cover(point));
        Utterance { language, parts }
    }

    /// As a person reads it: letters spaced, numbers in words, pauses as commas.
    pub fn plain_text(&self) -> String {
        let mut text = String::new();
        for part in &self.parts {
            let piece = match part {
                Part::Words(words) | Part::Name(words) => words.clone(),
                Part::Clip { text, .. } => text.clone(),
                Part::Letters(letters) => spaced(letters),
                Part::Number(n) => numbers::in_words(*n, self.language),
                Part::Pause => {
                    text.push(',');
                    continue;
                }
            };
            if !text.is_empty() {
                text.push(' ');
            }
            text.push_str(&piece);
        }
        text
    }

    /// SSML for espeak-ng (`-m`): letters as characters, pauses as breaks, and the lexicon's
    /// phonemes in place of the words the voice gets wrong. Text from configuration is escaped,
    /// so a name can neither close a tag nor open espeak's `[[phoneme]]` mode. In English, a
    /// place's name is said by the Indonesian voice (`<voice name="id">`; espeak-ng does not
    /// switch back by itself, so the English runs are wrapped too). A clip's words are spoken
    /// here: the voice plays the clip instead by cutting the utterance at it ([`Segment`]).
    pub fn ssml(&self) -> String {
        let mut ssml = String::from("<speak>");
        let mut in_name = None;
        for part in &self.parts {
            let name = matches!(part, Part::Name(_) | Part::Clip { .. });
            if self.language != Language::Indonesian && in_name != Some(name) {
                if in_name.is_some() {
                    ssml.push_str("</voice> ");
                }
                let voice = if name { "id" } else { self.language.code() };
                ssml.push_str(&format!("<voice name=\"{voice}\">"));
                in_name = Some(name);
            }
            match part {
                Part::Words(words) => self.push_words(&mut ssml, words, self.language),
                Part::Name(words) | Part::Clip { text: words, .. } => {
                    self.push_words(&mut ssml, words, Language::Indonesian)
                }
                Part::Letters(letters) => {
                    ssml.push_str("<say-as interpret-as=\"characters\">");
                    ssml.push_str(&escaped(letters));
                    ssml.push_str("</say-as> ");
                }
                Part::Number(n) => self.push_words(
                    &mut ssml,
                    &numbers::in_words(*n, self.language),
                    self.language,
                ),
                Part::Pause => ssml.push_str("<break time=\"300ms\"/> "),
            }
        }
        if in_name.is_some() {
            ssml.push_str("</voice> ");
        }
        ssml.push_str("</speak>");
        ssml
    }

    fn push_words(&self, ssml: &mut String, words: &str, language: Language) {
        for word in words.split_whitespace() {
            // A sentence's mark stays after the phonemes: "dicetak." is "dicetak", then ".".
            let bare = word.trim_end_matches(['.', ',', ':', ';', '!', '?']);
            let mark = &word[bare.len()..];
            let corrected = match language {
                Language::Indonesian => lexicon::indonesian(&bare.to_lowercase()),
                Language::English => None,
            };
            match corrected {
                // The space after `]]` matters: espeak-ng reads a tag glued to it as text.
                Some(phonemes) => {
                    ssml.push_str(&format!("[[{phonemes}]] "));
                    if !mark.is_empty() {
                        ssml.push_str(mark);
                        ssml.push(' ');
                    }
                }
                None => {
                    ssml.push_str(&escaped(word));
                    ssml.push(' ');
                }
            }
        }
    }
}

/// A ticket's number as it is called: "DKC-014" → D K C, fourteen; "DKC-P003" → D K C P,
/// three. Letters are spelled, digit runs read as numbers, anything else is a boundary.
pub fn ticket_number_parts(number: &str) -> Vec<Part> {
    let mut parts = Vec::new();
    for (kind, run) in runs(number) {
        match kind {
            Kind::Letters => parts.push(Part::Letters(run.to_uppercase())),
            Kind::Digits => parts.extend(digit_parts(run)),
            Kind::Other => {}
        }
    }
    parts
}

/// A counter's or place's name from configuration: words stay words, digits become numbers,
/// all-capital words are spelled ("BPN", "A", "PDAM") unless they read as a word
/// ("Loket DUKCAPIL").
pub fn name_parts(name: &str) -> Vec<Part> {
    name.split_whitespace().flat_map(word_parts).collect()
}

/// One word of a name (no spaces), as [`name_parts`] reads it.
fn word_parts(word: &str) -> Vec<Part> {
    let mut parts = Vec::new();
    for (kind, run) in runs(word) {
        match kind {
            Kind::Letters if is_acronym(run) => parts.push(Part::Letters(run.into())),
            Kind::Letters => parts.push(Part::Name(run.into())),
            Kind::Digits => parts.extend(digit_parts(run)),
            Kind::Other => {}
        }
    }
    parts
}

/// Capitals spelled letter by letter: three or fewer ("BPN", "KPP"), none a vowel ("BPJS",
/// "SKCK", "DPMPTSP"), or opening on two consonants no Indonesian word opens on ("PDAM",
/// "DPUPR", both spelled by those who say them). "DUKCAPIL", "SAMSAT", "KESBANGPOL" and
/// "PRATAMA" read as words.
fn is_acronym(letters: &str) -> bool {
    const ONSETS: [&str; 21] = [
        "BL", "BR", "DR", "FL", "FR", "GL", "GR", "KH", "KL", "KR", "NG", "NY", "PL", "PR", "SK",
        "SL", "SP", "ST", "SW", "SY", "TR",
    ];
    let capitals = letters.chars().all(|c| c.is_uppercase());
    let vowel = |c: char| "AEIOU".contains(c);
    let opening: String = letters.chars().take(2).collect();
    let consonant_pair = opening.chars().count() == 2 && !opening.chars().any(vowel);
    capitals
        && (letters.chars().count() <= 3
            || !letters.chars().any(vowel)
            || (consonant_pair && !ONSETS.contains(&opening.as_str())))
}

fn digit_parts(digits: &str) -> Vec<Part> {
    if digits.len() > LONGEST_NUMBER {
        return digits
            .chars()
            .filter_map(|digit| digit.to_digit(10))
            .map(|digit| Part::Number(u64::from(digit)))
            .collect();
    }
    digits.parse().map(Part::Number).into_iter().collect()
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Letters,
    Digits,
    Other,
}

impl Kind {
    fn of(c: char) -> Kind {
        if c.is_alphabetic() {
            Kind::Letters
        } else if c.is_ascii_digit() {
            Kind::Digits
        } else {
            Kind::Other
        }
    }
}

/// `text` cut where it changes between letters, digits and anything else.
fn runs(text: &str) -> Vec<(Kind, &str)> {
    let mut runs = Vec::new();
    let mut rest = text;
    while let Some(first) = rest.chars().next() {
        let kind = Kind::of(first);
        let end = rest.find(|c| Kind::of(c) != kind).unwrap_or(rest.len());
        let (run, tail) = rest.split_at(end);
        runs.push((kind, run));
        rest = tail;
    }
    runs
}

fn spaced(letters: &str) -> String {
    letters
        .chars()
        .map(String::from)
        .collect::<Vec<_>>()
        .join(" ")
}

/// XML's five, and espeak-ng's phoneme brackets.
fn escaped(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '[' | ']' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests;
