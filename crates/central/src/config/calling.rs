//! `[calling]` in `mpp-central.toml`: the counter console's rules that an MPP may tune, and
//! the lobby's voice: the languages it speaks and the MPP's own recorded clips.

use std::path::PathBuf;
use std::time::Duration;

use mpp_core::lang::Language;

use serde::Deserialize;

use super::limits::within;

#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(default)]
pub struct CallingConfig {
    /// Calls a ticket needs before the counter may mark it a no-show (a visitor in the toilet
    /// deserves a second call).
    pub no_show_after_calls: u32,
    /// Seconds between two calls of the same ticket: a recall pressed twice is said once.
    pub recall_gap_seconds: u64,
    /// The languages of each call, said in this order: `["id"]`, or `["id", "en"]` to follow
    /// the Indonesian phrase with the English one.
    pub languages: Vec<Language>,
    /// A folder of WAV files, one a name (`Dukcapil.wav`, `Loket 3.wav`), played in place of
    /// the voice's words for that name in a point's name. Relative to the configuration file.
    pub clips_dir: Option<PathBuf>,
}

pub const NO_SHOW_AFTER_CALLS: (u32, u32) = (1, 5);
pub const RECALL_GAP_SECONDS: (u64, u64) = (1, 60);

impl Default for CallingConfig {
    fn default() -> Self {
        Self {
            no_show_after_calls: 2,
            recall_gap_seconds: 5,
            languages: vec![Language::Indonesian],
            clips_dir: None,
        }
    }
}

impl CallingConfig {
    pub fn recall_gap(&self) -> Duration {
        Duration::from_secs(self.recall_gap_seconds)
    }

    pub fn check(&self) -> Result<(), (String, String)> {
        within(
            "calling.no_show_after_calls",
            self.no_show_after_calls,
            NO_SHOW_AFTER_CALLS,
            "calls",
        )?;
        within(
            "calling.recall_gap_seconds",
            self.recall_gap_seconds,
            RECALL_GAP_SECONDS,
            "seconds",
        )?;
        if self.languages.is_empty() {
            return Err((
                "calling.languages".into(),
                "is empty: name at least one of \"id\" and \"en\"".into(),
            ));
        }
        for (index, language) in self.languages.iter().enumerate() {
            if self.languages[..index].contains(language) {
                return Err((
                    "calling.languages".into(),
                    format!("names {:?} twice", language.code()),
                ));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::tests::{assert_refused, parse};

    #[test]
    fn indonesian_alone_unless_english_is_turned_on() {
        let loaded = parse("").expect("valid");
        assert_eq!(loaded.config.calling.languages, [Language::Indonesian]);
        assert_eq!(loaded.config.calling.clips_dir, None);
        let loaded = parse("[calling]\nlanguages = [\"id\", \"en\"]\nclips_dir = \"clips\"\n")
            .expect("valid");
        let calling = &loaded.config.calling;
        assert_eq!(calling.languages, [Language::Indonesian, Language::English]);
        assert_eq!(
            calling.clips_dir.as_deref(),
            Some(std::path::Path::new("/base/clips")),
            "relative to the file"
        );
        assert_refused([
            (
                "[calling]\nlanguages = [\"id\", \"fr\"]\n".to_owned(),
                "calling.languages",
                "fr",
            ),
            (
                "[calling]\nlanguages = []\n".to_owned(),
                "calling.languages",
                "at least one",
            ),
            (
                "\n[calling]\nlanguages = [\"en\", \"en\"]\n".to_owned(),
                "line 3",
                "\"en\" twice",
            ),
        ]);
    }
}
