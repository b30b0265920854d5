//! Free text as the voice should say it: the sentences the screens show ("Biaya: Rp 50.000",
//! "Perkiraan waktu tunggu: 10–20 menit", "buka sampai 14:00", "DKC-014") cut into parts, so
//! that numbers are said in words, amounts as rupiah, times as hours and minutes, ranges with
//! "sampai", ticket numbers letter by letter, acronyms spelled, and the rest left as words.

use super::{Part, digit_parts, ticket_number_parts, word_parts};
use crate::lang::Language;

/// `text` (as shown on screen) as parts of an utterance in `language`.
pub fn text_parts(text: &str, language: Language) -> Vec<Part> {
    let mut parts = Vec::new();
    let mut rupiah_pending = false;
    for token in text.split_whitespace() {
        let (core, ending) = split_ending(token);
        let core = core.trim_start_matches(['(', '"', '\'', '“', '‘', '*', '↓', '✓', '✕']);
        if core == "·" || core == "—" {
            parts.push(Part::Pause);
            continue;
        }
        if core.eq_ignore_ascii_case("rp") {
            rupiah_pending = true;
            push_ending(&mut parts, ending);
            continue;
        }
        let before = parts.len();
        token_parts(core, language, &mut parts);
        if rupiah_pending && parts[before..].iter().any(|p| matches!(p, Part::Number(_))) {
            push_words(&mut parts, "rupiah");
            rupiah_pending = false;
        }
        push_ending(&mut parts, ending);
    }
    parts
}

/// The token and the punctuation it ends with ("menit." → "menit", ".").
fn split_ending(token: &str) -> (&str, &str) {
    let core = token.trim_end_matches(['.', ',', ':', ';', '!', '?', ')', '"', '\'', '”', '’']);
    (core, &token[core.len()..])
}

/// A sentence's end stays on its last word (the voice drops its pitch there); after a number
/// or spelled letters it is a pause.
fn push_ending(parts: &mut Vec<Part>, ending: &str) {
    let Some(mark) = ending.chars().find(|c| ".,:;!?".contains(*c)) else {
        return;
    };
    match parts.last_mut() {
        Some(Part::Words(words)) => words.push(mark),
        Some(Part::Pause) | None => {}
        Some(_) => parts.push(Part::Pause),
    }
}

fn push_words(parts: &mut Vec<Part>, word: &str) {
    match parts.last_mut() {
        Some(Part::Words(words)) if !words.ends_with(['.', ',', ':', ';', '!', '?']) => {
            words.push(' ');
            words.push_str(word);
        }
        _ => parts.push(Part::Words(word.to_owned())),
    }
}

fn token_parts(token: &str, language: Language, parts: &mut Vec<Part>) {
    if token.is_empty() {
        return;
    }
    if let Some(time) = clock_time(token) {
        parts.extend(time);
    } else if let Some(amount) = grouped_number(token) {
        parts.push(Part::Number(amount));
    } else if let Some((low, high)) = range(token) {
        parts.extend(digit_parts(low));
        push_words(
            parts,
            match language {
                Language::Indonesian => "sampai",
                Language::English => "to",
            },
        );
        parts.extend(digit_parts(high));
    } else if is_ticket_number(token) {
        parts.extend(ticket_number_parts(token));
    } else if let Some((head, tail)) = token.split_once('-')
        && !head.is_empty()
        && !tail.is_empty()
    {
        // "KTP-el", "anak-anak": each half read on its own.
        token_parts(head, language, parts);
        token_parts(tail, language, parts);
    } else if token.chars().any(|c| c.is_ascii_digit()) || is_capitals(token) {
        // "25/2009", "A1", "BPJS": a name's reading (acronyms spelled, numbers in words).
        for part in word_parts(token) {
            match part {
                Part::Name(word) => push_words(parts, &word),
                part => parts.push(part),
            }
        }
    } else {
        push_words(parts, token);
    }
}

/// "14:00" → fourteen; "08:30" → eight, thirty.
fn clock_time(token: &str) -> Option<Vec<Part>> {
    let (hour, minute) = token.split_once(':')?;
    let all_digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    if !(all_digits(hour) && minute.len() == 2 && all_digits(minute) && hour.len() <= 2) {
        return None;
    }
    let mut parts = vec![Part::Number(hour.parse().ok()?)];
    let minute: u64 = minute.parse().ok()?;
    if minute > 0 {
        parts.push(Part::Number(minute));
    }
    Some(parts)
}

/// "50.000", "1.250.000" (the dot groups thousands, as the screens write rupiah).
fn grouped_number(token: &str) -> Option<u64> {
    let mut groups = token.split('.');
    let head = groups.next()?;
    let rest: Vec<&str> = groups.collect();
    let digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    if rest.is_empty() || !digits(head) || head.len() > 3 {
        return None;
    }
    if !rest.iter().all(|group| group.len() == 3 && digits(group)) {
        return None;
    }
    token.replace('.', "").parse().ok()
}

/// "10–20" or "10-20".
fn range(token: &str) -> Option<(&str, &str)> {
    let (low, high) = token.split_once(['–', '-'])?;
    let digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    (digits(low) && digits(high)).then_some((low, high))
}

/// "DKC-014", "DKC-P003": capitals, a dash, then digits (or capitals and digits).
fn is_ticket_number(token: &str) -> bool {
    let Some((letters, rest)) = token.split_once('-') else {
        return false;
    };
    !letters.is_empty()
        && letters.chars().all(|c| c.is_ascii_uppercase())
        && rest.chars().any(|c| c.is_ascii_digit())
        && rest
            .chars()
            .all(|c| c.is_ascii_digit() || c.is_ascii_uppercase())
}

fn is_capitals(token: &str) -> bool {
    token.chars().count() > 1 && token.chars().all(|c| c.is_uppercase())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::speech::Utterance;

    fn said(text: &str, language: Language) -> String {
        Utterance {
            language,
            parts: text_parts(text, language),
        }
        .plain_text()
    }

    #[test]
    fn amounts_times_ranges_and_tickets_are_said_in_words() {
        let id = Language::Indonesian;
        assert_eq!(
            said("Biaya: Rp 50.000", id),
            "Biaya: lima puluh ribu rupiah"
        );
        assert_eq!(
            said("Perkiraan waktu tunggu: 10–20 menit", id),
            "Perkiraan waktu tunggu: sepuluh sampai dua puluh menit"
        );
        assert_eq!(said("buka sampai 14:00.", id), "buka sampai empat belas,");
        assert_eq!(said("pukul 08:30", id), "pukul delapan tiga puluh");
        assert_eq!(said("Nomor DKC-014.", id), "Nomor D K C empat belas,");
        assert_eq!(said("BPJS Kesehatan", id), "B P J S Kesehatan");
        assert_eq!(said("KTP-el asli", id), "K T P el asli");
        assert_eq!(
            said("Expected wait: 10–20 minutes", Language::English),
            "Expected wait: ten to twenty minutes"
        );
    }

    #[test]
    fn symbols_of_the_screen_are_not_read() {
        let id = Language::Indonesian;
        assert_eq!(said("✓ Buka · sisa 3", id), "Buka, sisa tiga");
        assert_eq!(said("(Dukcapil)", id), "Dukcapil");
    }
}
