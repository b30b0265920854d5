//! What the kiosk and the lobby say aloud, as a pure function of what is shown: the phrase
//! grammar (a call: "Nomor antrean D K C empat belas, silakan ke Loket tiga"), numbers in
//! words, and the lexicon that corrects the offline voice. Two renderings of one utterance:
//! plain text (captions, tests, a screen reader) and SSML for espeak-ng (`-m`), which the
//! voice crate turns into audio.

pub mod lexicon;
pub mod numbers;

use crate::lang::Language;

/// A piece of an utterance.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Part {
    /// Words read as words (a phrase, a counter's name).
    Words(String),
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
        let (opening, go_to) = match language {
            Language::Indonesian => ("Nomor antrean", "silakan ke"),
            Language::English => ("Number", "please go to"),
        };
        let mut parts = vec![Part::Words(opening.into())];
        parts.extend(ticket_number_parts(ticket_number));
        parts.push(Part::Pause);
        parts.push(Part::Words(go_to.into()));
        parts.extend(name_parts(point));
        Utterance { language, parts }
    }

    /// As a person reads it: letters spaced, numbers in words, pauses as commas.
    pub fn plain_text(&self) -> String {
        let mut text = String::new();
        for part in &self.parts {
            let piece = match part {
                Part::Words(words) => words.clone(),
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
    /// so a name can neither close a tag nor open espeak's `[[phoneme]]` mode.
    pub fn ssml(&self) -> String {
        let mut ssml = String::from("<speak>");
        for part in &self.parts {
            match part {
                Part::Words(words) => self.push_words(&mut ssml, words),
                Part::Letters(letters) => {
                    ssml.push_str("<say-as interpret-as=\"characters\">");
                    ssml.push_str(&escaped(letters));
                    ssml.push_str("</say-as> ");
                }
                Part::Number(n) => {
                    self.push_words(&mut ssml, &numbers::in_words(*n, self.language))
                }
                Part::Pause => ssml.push_str("<break time=\"300ms\"/> "),
            }
        }
        ssml.push_str("</speak>");
        ssml
    }

    fn push_words(&self, ssml: &mut String, words: &str) {
        for word in words.split_whitespace() {
            let corrected = match self.language {
                Language::Indonesian => lexicon::indonesian(&word.to_lowercase()),
                Language::English => None,
            };
            match corrected {
                // The space after `]]` matters: espeak-ng reads a tag glued to it as text.
                Some(phonemes) => ssml.push_str(&format!("[[{phonemes}]] ")),
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
/// short all-capital words are spelled ("BPN", "A"), longer ones read ("Loket DUKCAPIL").
pub fn name_parts(name: &str) -> Vec<Part> {
    let mut parts = Vec::new();
    for word in name.split_whitespace() {
        for (kind, run) in runs(word) {
            match kind {
                Kind::Letters if is_acronym(run) => parts.push(Part::Letters(run.into())),
                Kind::Letters => parts.push(Part::Words(run.into())),
                Kind::Digits => parts.extend(digit_parts(run)),
                Kind::Other => {}
            }
        }
    }
    parts
}

fn is_acronym(letters: &str) -> bool {
    let capitals = letters.chars().all(|c| c.is_uppercase());
    let vowels = letters.chars().any(|c| "AEIOU".contains(c));
    capitals && (letters.chars().count() <= 3 || !vowels)
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
