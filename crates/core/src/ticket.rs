//! A ticket: what was issued, to whom (never a person: only a queue and a service), and what has
//! happened to it since. Also the signed link its QR code carries.

use chrono::{DateTime, NaiveDate, Utc};
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use strum::{EnumString, IntoStaticStr};

use super::ids::{AgencyCode, KioskId, QueueCode, ServiceCode, TicketId};
use super::numbering::Lane;
use super::wait::WaitRange;

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
    /// The wait expected with those people ahead, from the queue's pace the server measured
    /// (`crate::wait`); `None` when it was not known. The kiosk's own: shown and printed, never
    /// sent (servers before it refuse fields they do not know, and theirs is live anyway).
    #[serde(skip)]
    pub expected_wait: Option<WaitRange>,
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

/// Sets the signed message apart from any other use of the key, and from the legacy scheme.
const DOMAIN: &str = "mpp-ticket-v2";

/// The message a ticket's signature covers: the kiosk as well as the id, so a link signed by
/// one kiosk can never stand for another kiosk's ticket with the same id. Kiosk ids and ticket
/// ids hold no newline, so the message reads back one way only.
fn message(kiosk: &str, ticket_id: &str) -> String {
    format!("{DOMAIN}\n{kiosk}\n{ticket_id}")
}

/// The signature of `kiosk`'s ticket `ticket_id` under the kiosk's key, as carried in the QR link.
pub fn sign(kiosk: &str, ticket_id: &str, key: &[u8]) -> String {
    truncated_hex(&message(kiosk, ticket_id), key)
}

/// Checks a signature from a QR link in constant time: `hmac`'s own check of the tag's
/// leading bytes. Only the 16 lowercase hex digits that [`sign`] writes are accepted.
pub fn verify(kiosk: &str, ticket_id: &str, signature: &str, key: &[u8]) -> bool {
    verify_message(&message(kiosk, ticket_id), signature, key)
}

/// The signature kiosks printed before the kiosk was signed too (`/t/<id>?s=`, over the id
/// alone). Nothing issues it any more; it is kept so tests and tools can make such links.
pub fn sign_legacy(ticket_id: &str, key: &[u8]) -> String {
    truncated_hex(ticket_id, key)
}

/// Checks a legacy signature (see [`sign_legacy`]), so tickets printed before the change and
/// still in visitors' hands keep opening their page.
pub fn verify_legacy(ticket_id: &str, signature: &str, key: &[u8]) -> bool {
    verify_message(ticket_id, signature, key)
}

/// The full HMAC-SHA256 of `message` under `key`: what the survey code is cut from as well.
pub(crate) fn digest(message: &str, key: &[u8]) -> [u8; 32] {
    mac(message, key).finalize().into_bytes().into()
}

fn mac(message: &str, key: &[u8]) -> HmacSha256 {
    let mut mac = HmacSha256::new_from_slice(key).expect("HMAC takes keys of any length");
    mac.update(message.as_bytes());
    mac
}

fn truncated_hex(message: &str, key: &[u8]) -> String {
    let digest = mac(message, key).finalize().into_bytes();
    let mut hex = String::with_capacity(SIGNATURE_HEX_LEN);
    for byte in digest.iter().take(SIGNATURE_HEX_LEN / 2) {
        hex.push_str(&format!("{byte:02x}"));
    }
    hex
}

fn verify_message(message: &str, signature: &str, key: &[u8]) -> bool {
    let Some(tag) = lowercase_hex_bytes(signature) else {
        return false;
    };
    if tag.len() != SIGNATURE_HEX_LEN / 2 {
        return false;
    }
    mac(message, key).verify_truncated_left(&tag).is_ok()
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

/// The link a ticket's QR code opens: `<base>/t/<kiosk>/<id>?s=<signature>`.
pub fn qr_payload(base_url: &str, kiosk: &str, ticket_id: &str, key: &[u8]) -> String {
    let base = base_url.trim_end_matches('/');
    format!(
        "{base}/t/{kiosk}/{ticket_id}?s={}",
        sign(kiosk, ticket_id, key)
    )
}

/// How a ticket's link was signed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkScheme {
    /// `/t/<kiosk>/<id>?s=`, signed over the kiosk and the id.
    Current,
    /// `/t/<id>?s=`, signed over the id alone, as kiosks printed before the kiosk was covered.
    Legacy,
}

/// Why a ticket's link does not stand for the ticket it came with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum LinkProblem {
    #[error("the link is not of the form <base>/t/<kiosk>/<id>?s=<signature> for this ticket")]
    NotThisTicketsLink,
    #[error("the link's signature does not verify with the kiosk's signing key")]
    BadSignature,
}

/// Checks that `link` is `kiosk`'s link for `ticket_id` (whatever its base address) and that
/// its signature verifies with `key`; a legacy link is accepted too, so an older kiosk can keep
/// syncing while the server is upgraded first.
pub fn check_link(
    link: &str,
    kiosk: &str,
    ticket_id: &str,
    key: &[u8],
) -> Result<LinkScheme, LinkProblem> {
    let (path, signature) = link
        .split_once("?s=")
        .ok_or(LinkProblem::NotThisTicketsLink)?;
    let current = format!("/t/{kiosk}/{ticket_id}");
    let legacy = format!("/t/{ticket_id}");
    let (scheme, valid) = if path.ends_with(&current) {
        let valid = verify(kiosk, ticket_id, signature, key);
        (LinkScheme::Current, valid)
    } else if path.ends_with(&legacy) {
        (LinkScheme::Legacy, verify_legacy(ticket_id, signature, key))
    } else {
        return Err(LinkProblem::NotThisTicketsLink);
    };
    valid.then_some(scheme).ok_or(LinkProblem::BadSignature)
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &[u8] = b"kiosk-01 secret";

    fn signature_of(link: &str) -> &str {
        link.rsplit_once("s=").expect("signature").1
    }

    #[test]
    fn a_signed_link_verifies_and_an_altered_one_does_not() {
        let link = qr_payload("https://mpp.example.go.id/", "KIOSK-01", "0192f0c2abc", KEY);
        assert!(link.starts_with("https://mpp.example.go.id/t/KIOSK-01/0192f0c2abc?s="));
        let signature = signature_of(&link);
        assert_eq!(signature.len(), SIGNATURE_HEX_LEN);
        assert!(verify("KIOSK-01", "0192f0c2abc", signature, KEY));
        assert!(!verify("KIOSK-01", "0192f0c2abd", signature, KEY));
        assert!(!verify(
            "KIOSK-01",
            "0192f0c2abc",
            signature,
            b"another kiosk"
        ));
        assert!(!verify("KIOSK-01", "0192f0c2abc", &signature[1..], KEY));
        assert!(
            !verify("KIOSK-01", "0192f0c2abc", &signature[..14], KEY),
            "a shorter tag"
        );
        assert!(!verify(
            "KIOSK-01",
            "0192f0c2abc",
            &format!("{signature}00"),
            KEY
        ));
        assert!(!verify(
            "KIOSK-01",
            "0192f0c2abc",
            &signature.to_uppercase(),
            KEY
        ));
        assert!(!verify("KIOSK-01", "0192f0c2abc", "", KEY));
    }

    #[test]
    fn the_kiosk_is_part_of_what_is_signed() {
        let signature = sign("KIOSK-01", "0192f0c2abc", KEY);
        assert!(!verify("KIOSK-02", "0192f0c2abc", &signature, KEY));
        // Moving characters between kiosk and id changes the message.
        assert!(!verify("KIOSK-0", "10192f0c2abc", &signature, KEY));
        assert_ne!(signature, sign_legacy("0192f0c2abc", KEY));
        assert!(!verify_legacy("0192f0c2abc", &signature, KEY));
    }

    #[test]
    fn a_legacy_link_still_verifies_as_legacy_only() {
        let legacy = sign_legacy("0192f0c2abc", KEY);
        assert!(verify_legacy("0192f0c2abc", &legacy, KEY));
        assert!(!verify_legacy("0192f0c2abd", &legacy, KEY));
        assert!(!verify("KIOSK-01", "0192f0c2abc", &legacy, KEY));
    }

    #[test]
    fn a_pushed_link_is_checked_for_its_kiosk_its_id_and_its_key() {
        let link = qr_payload("https://mpp.example.go.id", "KIOSK-01", "abc", KEY);
        assert_eq!(
            check_link(&link, "KIOSK-01", "abc", KEY),
            Ok(LinkScheme::Current)
        );
        let problem = |link: &str, kiosk, id, key| check_link(link, kiosk, id, key).err();
        let wrong_key = Some(LinkProblem::BadSignature);
        let not_its_link = Some(LinkProblem::NotThisTicketsLink);
        assert_eq!(problem(&link, "KIOSK-01", "abc", b"other key"), wrong_key);
        assert_eq!(problem(&link, "KIOSK-02", "abc", KEY), not_its_link);
        assert_eq!(problem(&link, "KIOSK-01", "abd", KEY), not_its_link);
        assert_eq!(
            problem("https://x/t/KIOSK-01/abc", "KIOSK-01", "abc", KEY),
            not_its_link
        );
        let legacy = format!("https://x/t/abc?s={}", sign_legacy("abc", KEY));
        assert_eq!(
            check_link(&legacy, "KIOSK-01", "abc", KEY),
            Ok(LinkScheme::Legacy)
        );
        assert_eq!(problem(&legacy, "KIOSK-01", "abc", b"other key"), wrong_key);
        // A legacy signature in a current-form link is no signature at all.
        let mixed = format!("https://x/t/KIOSK-01/abc?s={}", sign_legacy("abc", KEY));
        assert_eq!(problem(&mixed, "KIOSK-01", "abc", KEY), wrong_key);
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
