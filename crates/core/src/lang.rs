//! Languages the kiosk speaks and text that exists in each of them.

use serde::{Deserialize, Serialize};
use strum::IntoStaticStr;

/// A language a visitor can pick. Indonesian comes first: it is the default everywhere.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize, IntoStaticStr,
)]
pub enum Language {
    #[default]
    #[serde(rename = "id")]
    #[strum(serialize = "id")]
    Indonesian,
    #[serde(rename = "en")]
    #[strum(serialize = "en")]
    English,
}

impl Language {
    pub const ALL: [Language; 2] = [Language::Indonesian, Language::English];

    /// The ISO 639-1 code, as used in the configuration and in JSON.
    pub fn code(self) -> &'static str {
        self.into()
    }

    /// The language's name in itself, for the language switch.
    pub fn native_name(self) -> &'static str {
        match self {
            Language::Indonesian => "Bahasa Indonesia",
            Language::English => "English",
        }
    }
}

/// Text from the catalog, given in Indonesian and English.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Localized {
    pub id: String,
    pub en: String,
}

impl Localized {
    pub fn new(id: impl Into<String>, en: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            en: en.into(),
        }
    }

    pub fn get(&self, language: Language) -> &str {
        match language {
            Language::Indonesian => &self.id,
            Language::English => &self.en,
        }
    }

    /// True when either language is missing: the catalog refuses such text.
    pub fn is_incomplete(&self) -> bool {
        self.id.trim().is_empty() || self.en.trim().is_empty()
    }
}
