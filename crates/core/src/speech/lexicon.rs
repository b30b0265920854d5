//! Words espeak-ng's Indonesian voice says wrongly, with the phonemes it should use instead
//! (espeak-ng's own notation: `@` is the schwa, `E` the open e, `'` before the stressed
//! syllable). Measured with `espeak-ng -v id -x` 1.51: it reads the schwa of "empat", "enam"
//! and "belas" as /ɛ/ and the /ɛ/ of "loket" as a schwa. Only the fixed vocabulary of the
//! phrases is listed, each entry checked by ear and by its phonemes (see the voice's tests).

/// The phonemes for `word` (lower case) where the voice's own reading is wrong.
pub fn indonesian(word: &str) -> Option<&'static str> {
    let phonemes = match word {
        "empat" => "@mp'at",
        "enam" => "@n'am",
        "belas" => "b@l'as",
        "sebelas" => "s@b@l'as",
        "loket" => "l'okEt",
        _ => return None,
    };
    Some(phonemes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_lower_case_words_are_looked_up() {
        assert_eq!(indonesian("empat"), Some("@mp'at"));
        assert_eq!(indonesian("Empat"), None);
        assert_eq!(indonesian("tiga"), None);
    }
}
