//! The optional suggestion: short, and never a way to leave a NIK or a phone number behind.
//! Respondents are anonymous (UU 27/2022): text that looks like either is refused with a reason
//! the visitor can act on, rather than stored and scrubbed later.

use serde::{Deserialize, Serialize};

use crate::personal_data::PersonalData;

/// Longest suggestion, in characters: a few sentences, what fits on one report line.
pub const MAX_CHARS: usize = 280;

/// A suggestion that passed [`Suggestion::new`]. On the wire a plain string, checked again
/// when read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Suggestion(String);

/// Why a suggestion is refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SuggestionError {
    #[error("the suggestion is {length} characters long; at most {MAX_CHARS} are kept")]
    TooLong { length: usize },
    #[error("the suggestion is empty: leave it out instead")]
    Empty,
    #[error("the suggestion seems to hold a NIK (16 digits): the survey is anonymous")]
    LooksLikeNik,
    #[error("the suggestion seems to hold a phone number: the survey is anonymous")]
    LooksLikePhone,
}

impl Suggestion {
    /// The suggestion with its spaces tidied; `Ok(None)` when nothing is left to keep.
    pub fn new(text: &str) -> Result<Option<Self>, SuggestionError> {
        let tidy = crate::personal_data::tidy(text);
        if tidy.is_empty() {
            return Ok(None);
        }
        let length = tidy.chars().count();
        if length > MAX_CHARS {
            return Err(SuggestionError::TooLong { length });
        }
        match crate::personal_data::find(&tidy) {
            Some(PersonalData::Nik) => Err(SuggestionError::LooksLikeNik),
            Some(PersonalData::Phone) => Err(SuggestionError::LooksLikePhone),
            None => Ok(Some(Self(tidy))),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Suggestion {
    type Error = SuggestionError;

    /// Reading from the wire or the database: checked as the kiosk checks it, kept tidied.
    fn try_from(text: String) -> Result<Self, Self::Error> {
        Suggestion::new(&text)?.ok_or(SuggestionError::Empty)
    }
}

impl From<Suggestion> for String {
    fn from(suggestion: Suggestion) -> String {
        suggestion.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(text: &str) -> Option<SuggestionError> {
        Suggestion::new(text).err()
    }

    #[test]
    fn a_plain_suggestion_is_kept_tidied_and_an_empty_one_is_nothing() {
        let kept = Suggestion::new("  Antrian   cepat,\n terima kasih ").expect("kept");
        assert_eq!(
            kept.as_ref().map(Suggestion::as_str),
            Some("Antrian cepat, terima kasih")
        );
        assert_eq!(Suggestion::new(" \n\t "), Ok(None));
        // Ordinary numbers stay: a counter, a time, a fee, a year.
        let numbers = "Loket 3 buka 07.30, biaya Rp 30.000 sejak 2024, antre 45 menit";
        assert!(Suggestion::new(numbers).expect("kept").is_some());
    }

    #[test]
    fn a_nik_is_refused_written_in_one_piece_or_spaced() {
        assert_eq!(
            refused("NIK saya 3316012304850001 tolong dicek"),
            Some(SuggestionError::LooksLikeNik)
        );
        assert_eq!(
            refused("3316 0123 0485 0001"),
            Some(SuggestionError::LooksLikeNik)
        );
        assert_eq!(
            refused("33.16.01.230485.0001"),
            Some(SuggestionError::LooksLikeNik)
        );
    }

    #[test]
    fn a_phone_number_is_refused_in_the_ways_people_write_it() {
        for phone in [
            "hubungi 081234567890",
            "WA 0812-3456-7890 ya",
            "+62 812 3456 7890",
            "telp (0812) 3456789",
            "6281234567890",
        ] {
            assert_eq!(
                refused(phone),
                Some(SuggestionError::LooksLikePhone),
                "{phone}"
            );
        }
        // Two short numbers far apart are not one long one.
        assert!(
            Suggestion::new("loket 08, antre 12345678")
                .expect("kept")
                .is_some()
        );
    }

    #[test]
    fn a_long_suggestion_is_refused_with_its_length() {
        let long = "a".repeat(MAX_CHARS + 1);
        assert_eq!(
            refused(&long),
            Some(SuggestionError::TooLong {
                length: MAX_CHARS + 1
            })
        );
        assert!(
            Suggestion::new(&"é".repeat(MAX_CHARS))
                .expect("fits")
                .is_some()
        );
        let error = SuggestionError::TooLong { length: 300 }.to_string();
        assert!(error.contains("300") && error.contains("280"), "{error}");
    }

    #[test]
    fn the_wire_refuses_what_the_kiosk_would_refuse() {
        let read = |json: &str| serde_json::from_str::<Suggestion>(json);
        assert_eq!(read("\"bagus\"").expect("reads").as_str(), "bagus");
        assert!(read("\"081234567890\"").is_err());
        assert!(read("\"   \"").is_err());
    }
}
