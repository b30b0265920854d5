//! Text staff or visitors type that the kiosk keeps and syncs (a survey's suggestion, a void's
//! note) must never become a place for a NIK or a phone number (UU 27/2022 on personal data):
//! such text is refused with the reason, rather than stored and scrubbed later.

/// Digits in a NIK (Nomor Induk Kependudukan).
const NIK_DIGITS: usize = 16;
/// Fewest digits of an Indonesian phone number written from `08…` or `62…`: 08 plus 8 more.
const PHONE_MIN_DIGITS: usize = 10;

/// What a text seems to hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PersonalData {
    Nik,
    Phone,
}

/// `text` with its runs of spaces made one and control characters dropped.
pub fn tidy(text: &str) -> String {
    let tidy = text
        .split_whitespace()
        .filter(|word| !word.chars().all(char::is_control))
        .collect::<Vec<_>>()
        .join(" ");
    tidy.chars().filter(|c| !c.is_control()).collect()
}

/// The first NIK- or phone-like number in `text`, if any.
pub fn find(text: &str) -> Option<PersonalData> {
    digit_runs(text).into_iter().find_map(|run| {
        if run.len() >= NIK_DIGITS {
            return Some(PersonalData::Nik);
        }
        let phone_like = run.starts_with("08") || run.starts_with("62");
        (run.len() >= PHONE_MIN_DIGITS && phone_like).then_some(PersonalData::Phone)
    })
}

/// The runs of digits in `text`, with the separators people write numbers with (space, dot,
/// dash, slash, brackets, plus) inside a run ignored: `(0812) 3456-7890` is one run of 12. Two
/// separators may sit together (`) `); a third, or anything else, ends the run.
fn digit_runs(text: &str) -> Vec<String> {
    const SEPARATORS: &[char] = &[' ', '.', '-', '/', '+', '(', ')'];
    let mut runs = Vec::new();
    let mut current = String::new();
    let mut separators = 0;
    for character in text.chars() {
        if character.is_ascii_digit() {
            current.push(character);
            separators = 0;
            continue;
        }
        separators += 1;
        if !SEPARATORS.contains(&character) || separators > 2 {
            if !current.is_empty() {
                runs.push(std::mem::take(&mut current));
            }
            separators = 0;
        }
    }
    if !current.is_empty() {
        runs.push(current);
    }
    runs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_spaced_nik_and_a_written_phone_number_are_found_and_short_numbers_are_not() {
        assert_eq!(find("nik 3316 0123 4567 8901"), Some(PersonalData::Nik));
        assert_eq!(find("hubungi (0812) 3456-7890"), Some(PersonalData::Phone));
        assert_eq!(find("+62 812 3456 7890"), Some(PersonalData::Phone));
        assert_eq!(find("loket 3, nomor DKC-014, jam 10.30"), None);
        assert_eq!(tidy("  kertas\n macet\u{7} "), "kertas macet");
    }
}
