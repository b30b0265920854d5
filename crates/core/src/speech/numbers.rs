//! Whole numbers in words, as a caller says them: "empat belas", not "nol satu empat".

use crate::lang::Language;

/// `n` in words in `language`.
pub fn in_words(n: u64, language: Language) -> String {
    match language {
        Language::Indonesian => indonesian(n),
        Language::English => english(n),
    }
}

const ID_UNITS: [&str; 10] = [
    "nol", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan",
];

/// Indonesian: "se-" for one ten, hundred and thousand (sepuluh, sebelas, seratus, seribu),
/// "belas" for the teens, "puluh", "ratus", "ribu", "juta", "miliar", "triliun" above.
fn indonesian(n: u64) -> String {
    const SCALES: [(u64, &str); 4] = [
        (1_000_000_000_000, "triliun"),
        (1_000_000_000, "miliar"),
        (1_000_000, "juta"),
        (1_000, "ribu"),
    ];
    for (scale, name) in SCALES {
        if n >= scale {
            let head = if n / scale == 1 && scale == 1_000 {
                "seribu".to_owned()
            } else {
                format!("{} {name}", indonesian(n / scale))
            };
            return with_rest(head, n % scale, indonesian);
        }
    }
    match n {
        0..=9 => ID_UNITS[n as usize].to_owned(),
        10 => "sepuluh".to_owned(),
        11 => "sebelas".to_owned(),
        12..=19 => format!("{} belas", ID_UNITS[(n - 10) as usize]),
        20..=99 => with_rest(
            format!("{} puluh", ID_UNITS[(n / 10) as usize]),
            n % 10,
            indonesian,
        ),
        100..=199 => with_rest("seratus".to_owned(), n % 100, indonesian),
        _ => with_rest(
            format!("{} ratus", ID_UNITS[(n / 100) as usize]),
            n % 100,
            indonesian,
        ),
    }
}

const EN_SMALL: [&str; 20] = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
];
const EN_TENS: [&str; 10] = [
    "", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
];

fn english(n: u64) -> String {
    const SCALES: [(u64, &str); 4] = [
        (1_000_000_000_000, "trillion"),
        (1_000_000_000, "billion"),
        (1_000_000, "million"),
        (1_000, "thousand"),
    ];
    for (scale, name) in SCALES {
        if n >= scale {
            return with_rest(format!("{} {name}", english(n / scale)), n % scale, english);
        }
    }
    match n {
        0..=19 => EN_SMALL[n as usize].to_owned(),
        20..=99 => with_rest(EN_TENS[(n / 10) as usize].to_owned(), n % 10, english),
        _ => with_rest(
            format!("{} hundred", EN_SMALL[(n / 100) as usize]),
            n % 100,
            english,
        ),
    }
}

/// `head`, then the rest in words unless it is zero ("dua puluh", not "dua puluh nol").
fn with_rest(head: String, rest: u64, words: fn(u64) -> String) -> String {
    if rest == 0 {
        head
    } else {
        format!("{head} {}", words(rest))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indonesian_numbers_as_a_caller_says_them() {
        let cases = [
            (0, "nol"),
            (1, "satu"),
            (9, "sembilan"),
            (10, "sepuluh"),
            (11, "sebelas"),
            (14, "empat belas"),
            (19, "sembilan belas"),
            (20, "dua puluh"),
            (21, "dua puluh satu"),
            (99, "sembilan puluh sembilan"),
            (100, "seratus"),
            (101, "seratus satu"),
            (110, "seratus sepuluh"),
            (111, "seratus sebelas"),
            (200, "dua ratus"),
            (345, "tiga ratus empat puluh lima"),
            (1000, "seribu"),
            (1001, "seribu satu"),
            (1234, "seribu dua ratus tiga puluh empat"),
            (2000, "dua ribu"),
            (9999, "sembilan ribu sembilan ratus sembilan puluh sembilan"),
            (11_000, "sebelas ribu"),
            (100_000, "seratus ribu"),
            (1_000_000, "satu juta"),
            (2_500_000, "dua juta lima ratus ribu"),
            (1_000_000_000, "satu miliar"),
        ];
        for (n, words) in cases {
            assert_eq!(in_words(n, Language::Indonesian), words, "{n}");
        }
    }

    #[test]
    fn english_numbers() {
        let cases = [
            (0, "zero"),
            (7, "seven"),
            (14, "fourteen"),
            (40, "forty"),
            (42, "forty two"),
            (100, "one hundred"),
            (104, "one hundred four"),
            (1234, "one thousand two hundred thirty four"),
            (20_000, "twenty thousand"),
            (3_000_001, "three million one"),
        ];
        for (n, words) in cases {
            assert_eq!(in_words(n, Language::English), words, "{n}");
        }
    }

    #[test]
    fn every_number_up_to_ten_thousand_has_words_without_a_zero_inside() {
        for n in 1..=10_000 {
            let words = in_words(n, Language::Indonesian);
            assert!(!words.contains("nol"), "{n}: {words}");
            assert!(
                !words.contains("  ") && !words.ends_with(' '),
                "{n}: {words:?}"
            );
            assert!(
                !words.contains("satu puluh") && !words.contains("satu ratus"),
                "{n}: {words}"
            );
            assert!(!words.contains("satu belas"), "{n}: {words}");
            let english = in_words(n, Language::English);
            assert!(!english.contains("zero"), "{n}: {english}");
        }
    }
}
