//! A call as the lobby hears it: the phrase in each language the MPP speaks (Indonesian, then
//! English where it is turned on), with the MPP's recorded clips in place of the names they
//! cover; and where the voice cuts an utterance to play a clip.

use super::{Part, Utterance, name_parts, word_parts};
use crate::lang::Language;

/// The names an MPP has recorded clips for (the clip files' names, `Dukcapil.wav` →
/// "dukcapil"), matched against the words of a point's name without regard to case: the
/// longest run of words with a clip wins ("BPJS Kesehatan" before "BPJS"), so a clip may be a
/// whole point ("Loket 3") or a name inside one ("Dukcapil" in "Loket Dukcapil 2").
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ClipNames {
    /// Each name's words, lower case, longest first.
    names: Vec<Vec<String>>,
}

impl ClipNames {
    pub fn new<S: AsRef<str>>(names: impl IntoIterator<Item = S>) -> Self {
        let mut names: Vec<Vec<String>> = names
            .into_iter()
            .map(|name| words(name.as_ref()))
            .filter(|words| !words.is_empty())
            .collect();
        names.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
        names.dedup();
        ClipNames { names }
    }

    /// A name as a clip is looked up: lower case, single spaces ("BPJS  Kesehatan" →
    /// "bpjs kesehatan").
    pub fn key(name: &str) -> String {
        words(name).join(" ")
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// `point`'s name as parts ([`name_parts`]), the runs of words with a clip as
    /// [`Part::Clip`].
    pub fn cover(&self, point: &str) -> Vec<Part> {
        if self.is_empty() {
            return name_parts(point);
        }
        let written: Vec<&str> = point.split_whitespace().collect();
        let lower: Vec<String> = written.iter().map(|word| word.to_lowercase()).collect();
        let mut parts = Vec::new();
        let mut at = 0;
        while at < written.len() {
            let clip = self
                .names
                .iter()
                .find(|name| lower[at..].starts_with(name.as_slice()));
            match clip {
                Some(name) => {
                    parts.push(Part::Clip {
                        name: name.join(" "),
                        text: written[at..at + name.len()].join(" "),
                    });
                    at += name.len();
                }
                None => {
                    parts.extend(word_parts(written[at]));
                    at += 1;
                }
            }
        }
        parts
    }
}

fn words(name: &str) -> Vec<String> {
    name.split_whitespace().map(str::to_lowercase).collect()
}

/// A piece of an utterance as the voice renders it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Segment {
    /// Said by the engine.
    Speech(Utterance),
    /// The MPP's recording of `name` ([`ClipNames::key`]); `text` is how it is written, for a
    /// voice that has no such clip after all.
    Clip { name: String, text: String },
}

impl Utterance {
    /// The utterance cut at its clips: what the engine says between them, and the clips.
    pub fn segments(&self) -> Vec<Segment> {
        let mut segments = Vec::new();
        let mut speech = Vec::new();
        for part in &self.parts {
            match part {
                Part::Clip { name, text } => {
                    if !speech.is_empty() {
                        segments.push(Segment::Speech(Utterance {
                            language: self.language,
                            parts: std::mem::take(&mut speech),
                        }));
                    }
                    segments.push(Segment::Clip {
                        name: name.clone(),
                        text: text.clone(),
                    });
                }
                part => speech.push(part.clone()),
            }
        }
        if !speech.is_empty() {
            segments.push(Segment::Speech(Utterance {
                language: self.language,
                parts: speech,
            }));
        }
        segments
    }
}

/// A call in each of the MPP's languages, in order, said one after the other.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Announcement {
    pub utterances: Vec<Utterance>,
}

impl Announcement {
    /// The lobby's call of `ticket_number` to `point` in `languages` (Indonesian alone unless
    /// the MPP turned English on), names with a clip as clips.
    pub fn call(
        languages: &[Language],
        ticket_number: &str,
        point: &str,
        clips: &ClipNames,
    ) -> Self {
        let utterances = languages
            .iter()
            .map(|language| Utterance::call_with(*language, ticket_number, point, clips))
            .collect();
        Announcement { utterances }
    }

    /// Each language's plain text, one sentence after the other: with Indonesian alone, the
    /// Indonesian phrase as it is.
    pub fn plain_text(&self) -> String {
        let texts: Vec<String> = self.utterances.iter().map(Utterance::plain_text).collect();
        texts.join(". ")
    }

    /// What makes two announcements sound the same: the languages, the words and which of
    /// them are clips (the rendered audio is kept under it).
    pub fn cache_key(&self) -> String {
        let mut key = String::new();
        for utterance in &self.utterances {
            key.push_str(utterance.language.code());
            key.push(':');
            for part in &utterance.parts {
                let piece = match part {
                    Part::Words(words) | Part::Name(words) => format!("w{words}"),
                    Part::Clip { name, .. } => format!("c{name}"),
                    Part::Letters(letters) => format!("l{letters}"),
                    Part::Number(n) => format!("n{n}"),
                    Part::Pause => "p".to_owned(),
                };
                key.push_str(&piece);
                key.push('\u{1f}');
            }
            key.push('\u{1e}');
        }
        key
    }
}
