//! The survey code printed at a ticket's foot: five characters cut from an HMAC over the kiosk
//! and the ticket id under the kiosk's ticket-signing key. Whoever holds the paper can answer
//! the survey for that visit; nobody can make up a code for a number they saw called.
//!
//! The alphabet leaves out 0/O and 1/I, which look alike on thermal paper; a code typed with
//! them, in lower case or with spaces is read the same.

use crate::ticket::digest;

/// 32 symbols: 2–9 and the letters without I and O. Five of them carry 25 bits: one guess in
/// 33 million, at a kiosk where every guess is a visitor's minute at the screen.
pub const ALPHABET: &[u8; 32] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
pub const LENGTH: usize = 5;

/// Keeps the survey code apart from the QR link's signature under the same key.
const DOMAIN: &str = "mpp-survey-code-v1";

/// The code of `kiosk`'s ticket `ticket_id`, e.g. `K7QX4`.
pub fn survey_code(kiosk: &str, ticket_id: &str, key: &[u8]) -> String {
    let digest = digest(&format!("{DOMAIN}\n{kiosk}\n{ticket_id}"), key);
    // The first 40 bits, five at a time.
    let bits = digest[..5]
        .iter()
        .fold(0u64, |bits, byte| bits << 8 | u64::from(*byte));
    (0..LENGTH)
        .map(|index| {
            let shift = 5 * (LENGTH - 1 - index);
            char::from(ALPHABET[((bits >> shift) & 31) as usize])
        })
        .collect()
}

/// What a visitor typed, as a code: upper case, with spaces and dashes left out.
pub fn normalise(typed: &str) -> String {
    typed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// Whether `typed` is the code of this ticket. Compared over every character, so the time it
/// takes says nothing about how much of a guess was right.
pub fn matches(typed: &str, kiosk: &str, ticket_id: &str, key: &[u8]) -> bool {
    let typed = normalise(typed);
    let expected = survey_code(kiosk, ticket_id, key);
    typed.len() == expected.len()
        && typed
            .bytes()
            .zip(expected.bytes())
            .fold(0u8, |differ, (a, b)| differ | (a ^ b))
            == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &[u8] = b"kiosk-01 secret";

    #[test]
    fn a_code_is_five_unambiguous_characters_fixed_by_kiosk_ticket_and_key() {
        let code = survey_code("KIOSK-01", "0192f0c2-0000-7000-8000-000000000001", KEY);
        assert_eq!(code.len(), LENGTH);
        assert!(code.bytes().all(|b| ALPHABET.contains(&b)), "{code}");
        assert!(!code.contains(['0', 'O', '1', 'I']));
        assert_eq!(
            code,
            survey_code("KIOSK-01", "0192f0c2-0000-7000-8000-000000000001", KEY)
        );
        let others = [
            survey_code("KIOSK-02", "0192f0c2-0000-7000-8000-000000000001", KEY),
            survey_code("KIOSK-01", "0192f0c2-0000-7000-8000-000000000002", KEY),
            survey_code(
                "KIOSK-01",
                "0192f0c2-0000-7000-8000-000000000001",
                b"other key",
            ),
        ];
        assert!(others.iter().all(|other| *other != code), "{others:?}");
    }

    #[test]
    fn codes_spread_over_the_alphabet() {
        let mut seen = std::collections::BTreeSet::new();
        let codes: std::collections::BTreeSet<String> = (0..2000)
            .map(|n| survey_code("K1", &format!("ticket-{n}"), KEY))
            .inspect(|code| seen.extend(code.chars()))
            .collect();
        assert_eq!(seen.len(), ALPHABET.len(), "every symbol turns up");
        // 2000 codes out of 2^25: a repeat or two at most.
        assert!(codes.len() >= 1995, "{}", codes.len());
    }

    #[test]
    fn a_typed_code_is_read_leniently_but_must_be_the_right_one() {
        let code = survey_code("K1", "abc", KEY);
        let spaced = format!(" {}-{} ", &code[..2], code[2..].to_lowercase());
        assert!(matches(&spaced, "K1", "abc", KEY));
        assert!(!matches(&code[..4], "K1", "abc", KEY));
        assert!(!matches(&format!("{code}2"), "K1", "abc", KEY));
        assert!(!matches(&code, "K1", "abd", KEY));
        assert!(!matches("", "K1", "abc", KEY));
    }
}
