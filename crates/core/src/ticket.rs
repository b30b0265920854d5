//! A ticket: what was issued, to whom (never a person: only a queue and a service), and what has
//! happened to it since. Also the signed link its QR code carries.

use chrono::{DateTime, NaiveDate, Utc};
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use strum::{EnumString, IntoStaticStr};

use super::ids::{AgencyCode, KioskId, QueueCode, ServiceCode, TicketId};
use super::numbering::Lane;

/// Everything the kiosk knows about an issued ticket. Field names are the stable JSON of
/// `mpp-kiosk ticket … --json` and of the sync protocol, which refuses unknown fields.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ticket {
    /// Opaque, unguessable id (UUID v7): what the QR code and the server know the ticket by.
    pub id: TicketId,
    /// The number as printed and called, e.g. `DKC-014`.
    pub number: String,
    pub queue: QueueCode,
    pub lane: Lane,
    pub sequence: u32,
    pub agency: AgencyCode,
    pub service: ServiceCode,
    pub kiosk: KioskId,
    pub business_day: NaiveDate,
    pub issued_at: DateTime<Utc>,
    /// People before this one in the same queue when it was issued; `None` when the kiosk did
    /// not know how far the counters had got, rather than printing a wrong figure.
    pub people_ahead: Option<u32>,
    pub status: TicketStatus,
    /// Times the ticket went to the printer successfully.
    pub print_count: u32,
    /// The link the QR code opens.
    pub qr_payload: String,
}

#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, IntoStaticStr, EnumString,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum TicketStatus {
    /// Committed, not yet on paper.
    Issued,
    Printed,
    /// The printer did not take the job; the number stays taken until reprinted or voided.
    PrintFailed,
    /// Printed again after a failure or at a technician's request.
    Reprinted,
    /// Withdrawn: the number is never given out again.
    Voided,
}

impl TicketStatus {
    pub const ALL: [TicketStatus; 5] = [
        TicketStatus::Issued,
        TicketStatus::Printed,
        TicketStatus::PrintFailed,
        TicketStatus::Reprinted,
        TicketStatus::Voided,
    ];

    /// Stable name for the database, logs, JSON and the central server (as serde writes it).
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    pub fn parse(text: &str) -> Option<Self> {
        text.parse().ok()
    }

    /// The moves a ticket may make. A voided ticket stays voided; a printed ticket can only be
    /// reprinted or voided, so nobody can pretend paper that exists was never printed.
    pub fn can_become(self, next: TicketStatus) -> bool {
        use TicketStatus::*;
        matches!(
            (self, next),
            (Issued, Printed | PrintFailed | Voided)
                | (PrintFailed, Reprinted | PrintFailed | Voided)
                | (Printed | Reprinted, Reprinted | PrintFailed | Voided)
        )
    }

    /// Whether the visitor still holds a valid number (counts for quota and people ahead).
    pub fn is_live(self) -> bool {
        self != TicketStatus::Voided
    }
}

type HmacSha256 = Hmac<Sha256>;

/// Hex characters of the signature kept in the link: 64 bits stop guessing and keep the QR small.
const SIGNATURE_HEX_LEN: usize = 16;

/// The signature of a ticket id under the kiosk's key, as carried in the QR link.
pub fn sign(ticket_id: &str, key: &[u8]) -> String {
    let mut mac = HmacSha256::new_from_slice(key).expect("HMAC takes keys of any length");
    mac.update(ticket_id.as_bytes());
    let digest = mac.finalize().into_bytes();
    let mut hex = String::with_capacity(SIGNATURE_HEX_LEN);
    for byte in digest.iter().take(SIGNATURE_HEX_LEN / 2) {
        hex.push_str(&format!("{byte:02x}"));
    }
    hex
}

/// Checks a signature from a QR link in constant time: `hmac`'s own check of the tag's
/// leading bytes. Only the 16 lowercase hex digits that [`sign`] writes are accepted.
pub fn verify(ticket_id: &str, signature: &str, key: &[u8]) -> bool {
    let Some(tag) = lowercase_hex_bytes(signature) else {
        return false;
    };
    if tag.len() != SIGNATURE_HEX_LEN / 2 {
        return false;
    }
    let mut mac = HmacSha256::new_from_slice(key).expect("HMAC takes keys of any length");
    mac.update(ticket_id.as_bytes());
    mac.verify_truncated_left(&tag).is_ok()
}

/// The bytes `text` spells in lowercase hex, as `sign` writes them; `None` for anything else.
fn lowercase_hex_bytes(text: &str) -> Option<Vec<u8>> {
    let digit = |byte: u8| match byte {
        b'0'..=b'9' => Some(byte - b'0'),
        b'a'..=b'f' => Some(byte - b'a' + 10),
        _ => None,
    };
    let bytes = text.as_bytes();
    if !bytes.len().is_multiple_of(2) {
        return None;
    }
    bytes
        .chunks_exact(2)
        .map(|pair| Some(digit(pair[0])? << 4 | digit(pair[1])?))
        .collect()
}

/// The link a ticket's QR code opens: `<base>/t/<id>?s=<signature>`.
pub fn qr_payload(base_url: &str, ticket_id: &str, key: &[u8]) -> String {
    let base = base_url.trim_end_matches('/');
    format!("{base}/t/{ticket_id}?s={}", sign(ticket_id, key))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signed_link_verifies_and_an_altered_one_does_not() {
        let key = b"kiosk-01 secret";
        let link = qr_payload("https://mpp.example.go.id/", "0192f0c2abc", key);
        assert!(link.starts_with("https://mpp.example.go.id/t/0192f0c2abc?s="));
        let signature = link.rsplit_once("s=").expect("signature").1;
        assert_eq!(signature.len(), SIGNATURE_HEX_LEN);
        assert!(verify("0192f0c2abc", signature, key));
        assert!(!verify("0192f0c2abd", signature, key));
        assert!(!verify("0192f0c2abc", signature, b"another kiosk"));
        assert!(!verify("0192f0c2abc", &signature[1..], key));
        assert!(
            !verify("0192f0c2abc", &signature[..14], key),
            "a shorter tag"
        );
        assert!(!verify("0192f0c2abc", &format!("{signature}00"), key));
        assert!(!verify("0192f0c2abc", &signature.to_uppercase(), key));
        assert!(!verify("0192f0c2abc", "", key));
    }

    #[test]
    fn only_lowercase_hex_is_read() {
        assert_eq!(lowercase_hex_bytes("00ff1a"), Some(vec![0, 255, 26]));
        assert_eq!(lowercase_hex_bytes("0F"), None);
        assert_eq!(lowercase_hex_bytes("+f"), None);
        assert_eq!(lowercase_hex_bytes("abc"), None);
    }

    #[test]
    fn voided_is_final_and_paper_is_never_unprinted() {
        use TicketStatus::*;
        assert!(Issued.can_become(Printed));
        assert!(PrintFailed.can_become(Reprinted));
        assert!(!Voided.can_become(Reprinted));
        assert!(!Printed.can_become(Issued));
        assert!(!Printed.can_become(Printed));
        for status in TicketStatus::ALL {
            assert_eq!(TicketStatus::parse(status.as_str()), Some(status));
            assert!(!status.can_become(Issued));
        }
    }
}
