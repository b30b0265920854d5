//! `[ticket]`: the QR link, its signing key and the language of the paper.

use serde::Deserialize;

use mpp_core::lang::Language;

/// Shortest signing key accepted: shorter keys make forged QR links practical.
const MIN_SIGNING_KEY_LEN: usize = 16;

#[derive(Clone, Debug, Deserialize)]
#[serde(default)]
pub struct TicketSection {
    pub qr_base_url: String,
    pub signing_key: String,
    pub language: Language,
}

impl Default for TicketSection {
    fn default() -> Self {
        Self {
            qr_base_url: "http://127.0.0.1:8787".into(),
            signing_key: String::new(),
            language: Language::Indonesian,
        }
    }
}

impl TicketSection {
    /// What the types alone cannot check: `(key, what is wrong)`.
    pub fn check(&self) -> Result<(), (&'static str, &'static str)> {
        if self.signing_key.len() < MIN_SIGNING_KEY_LEN {
            return Err((
                "signing_key",
                "must be at least 16 characters: it protects QR links from forgery",
            ));
        }
        if !super::is_web_address(&self.qr_base_url) {
            return Err((
                "qr_base_url",
                "must start with https:// (or http://) and name a host, e.g. https://mpp.example.go.id",
            ));
        }
        Ok(())
    }
}
