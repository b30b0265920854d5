//! A code held under the kiosk's ticket scanner. Only the ticket's own QR link starts a
//! survey, and only once its signature verifies with this kiosk's key: a scanner reads any
//! QR code (a payment code, a poster's link, a forged ticket), and what it reads is never
//! trusted further than that.

use crate::ids::plausible_ticket_id;
use crate::ticket::{LinkProblem, check_link};

/// A ticket's link is about 120 characters; anything far longer is not one.
const LONGEST_LINK: usize = 512;

/// Why a scanned code does not start the survey here.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ScanProblem {
    /// Not a ticket's link at all.
    #[error("the code is not a ticket's link")]
    NotATicket,
    /// A ticket of another kiosk, whose key this kiosk does not hold.
    #[error("the ticket was issued by kiosk {kiosk}")]
    OtherKiosk { kiosk: String },
    /// This kiosk's form of link, but the signature does not verify: altered or made up.
    #[error("the ticket's signature does not verify")]
    Forged,
    /// A genuine link of this kiosk, for a ticket its store does not hold (the database
    /// was replaced since it was issued).
    #[error("the kiosk holds no record of this ticket")]
    NotOnRecord,
}

/// The ticket a scanned code stands for: its id, the signature checked.
pub fn read_ticket_link(scanned: &str, own_kiosk: &str, key: &[u8]) -> Result<String, ScanProblem> {
    let link = scanned.trim();
    if link.len() > LONGEST_LINK {
        return Err(ScanProblem::NotATicket);
    }
    let (kiosk, ticket_id) = ticket_of(link).ok_or(ScanProblem::NotATicket)?;
    let kiosk = kiosk.unwrap_or(own_kiosk);
    if kiosk != own_kiosk {
        return Err(ScanProblem::OtherKiosk {
            kiosk: kiosk.to_owned(),
        });
    }
    match check_link(link, kiosk, ticket_id, key) {
        Ok(_) => Ok(ticket_id.to_owned()),
        Err(LinkProblem::BadSignature) => Err(ScanProblem::Forged),
        Err(LinkProblem::NotThisTicketsLink) => Err(ScanProblem::NotATicket),
    }
}

/// The kiosk (none in a legacy link) and ticket id a link names: `…/t/<kiosk>/<id>?s=…`,
/// or `…/t/<id>?s=…` as kiosks printed before the kiosk was part of the link.
fn ticket_of(link: &str) -> Option<(Option<&str>, &str)> {
    let (path, signature) = link.split_once("?s=")?;
    if signature.is_empty() {
        return None;
    }
    let mut segments = path.rsplit('/');
    let last = segments.next().filter(|id| plausible_ticket_id(id))?;
    let second = segments.next()?;
    // The kiosk's segment is held to the ticket id's rule too: whether it is this kiosk's is
    // asked next.
    match segments.next() {
        Some("t") if plausible_ticket_id(second) => Some((Some(second), last)),
        _ if second == "t" => Some((None, last)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ticket::{qr_payload, sign_legacy};

    const KEY: &[u8] = b"kiosk-01 secret";

    fn own_link(id: &str) -> String {
        qr_payload("https://mpp.blorakab.go.id/", "KIOSK-01", id, KEY)
    }

    #[test]
    fn this_kiosks_ticket_is_read_with_its_line_ending_and_any_base() {
        let link = own_link("0192f0c2abc");
        assert_eq!(
            read_ticket_link(&format!("{link}\r\n"), "KIOSK-01", KEY),
            Ok("0192f0c2abc".to_owned())
        );
        let elsewhere = link.replace("https://mpp.blorakab.go.id", "http://10.0.0.5:8080/mpp");
        assert_eq!(
            read_ticket_link(&elsewhere, "KIOSK-01", KEY),
            Ok("0192f0c2abc".to_owned()),
            "the base address may have changed since the ticket was printed"
        );
    }

    #[test]
    fn a_legacy_link_is_this_kiosks_when_its_signature_verifies() {
        let link = format!(
            "https://mpp.example/t/0192f0c2abc?s={}",
            sign_legacy("0192f0c2abc", KEY)
        );
        assert_eq!(
            read_ticket_link(&link, "KIOSK-01", KEY),
            Ok("0192f0c2abc".to_owned())
        );
        let wrong = format!(
            "https://mpp.example/t/0192f0c2abc?s={}",
            sign_legacy("0192f0c2abc", b"other")
        );
        assert_eq!(
            read_ticket_link(&wrong, "KIOSK-01", KEY),
            Err(ScanProblem::Forged)
        );
    }

    #[test]
    fn another_kiosks_ticket_is_named_as_such() {
        let link = qr_payload("https://mpp.example", "KIOSK-02", "0192f0c2abc", b"k2");
        assert_eq!(
            read_ticket_link(&link, "KIOSK-01", KEY),
            Err(ScanProblem::OtherKiosk {
                kiosk: "KIOSK-02".into()
            })
        );
    }

    #[test]
    fn an_altered_ticket_is_forged() {
        let link = own_link("0192f0c2abc");
        let other_id = link.replace("0192f0c2abc", "0192f0c2abd");
        assert_eq!(
            read_ticket_link(&other_id, "KIOSK-01", KEY),
            Err(ScanProblem::Forged)
        );
        let flipped = format!("{}0", &link[..link.len() - 1]);
        let flipped = if flipped == link {
            format!("{}1", &link[..link.len() - 1])
        } else {
            flipped
        };
        assert_eq!(
            read_ticket_link(&flipped, "KIOSK-01", KEY),
            Err(ScanProblem::Forged)
        );
        assert_eq!(
            read_ticket_link(&format!("{link}&x=1"), "KIOSK-01", KEY),
            Err(ScanProblem::Forged)
        );
    }

    #[test]
    fn other_codes_are_not_tickets() {
        let own = own_link("0192f0c2abc");
        let huge = format!("{own}{}", "a".repeat(600));
        for code in [
            "",
            "   ",
            "00020101021126570011ID.DANA.WWW", // a QRIS payment code's start
            "https://blorakab.go.id/",
            "https://mpp.example/t/0192f0c2abc",
            "https://mpp.example/t/0192f0c2abc?s=",
            "https://mpp.example/x/KIOSK-01/0192f0c2abc?s=00ff",
            "https://mpp.example/t/KIOSK 01/0192f0c2abc?s=00ff",
            "https://mpp.example/t/KIOSK-01/../0192?s=00ff",
            huge.as_str(),
        ] {
            assert_eq!(
                read_ticket_link(code, "KIOSK-01", KEY),
                Err(ScanProblem::NotATicket),
                "{code:?}"
            );
        }
    }
}
