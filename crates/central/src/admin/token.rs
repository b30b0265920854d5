//! `mpp-central token hash`: how much guessing a token would take, estimated before it is
//! hashed for the configuration. A token shorter than [`LEAST_BITS`] of entropy is refused.

/// The least entropy a token must carry: out of reach of any guessing, however fast.
pub const LEAST_BITS: f64 = 128.0;

/// An alphabet a token may be drawn from.
#[derive(Clone, Copy)]
struct Alphabet {
    name: &'static str,
    /// The bits a character carries when drawn at random from it.
    bits: f64,
    holds: fn(char) -> bool,
}

/// The alphabets, smallest first; the last holds anything (counted as printable ASCII).
const ALPHABETS: [Alphabet; 4] = [
    Alphabet {
        name: "decimal digits",
        bits: 3.32,
        holds: |c| c.is_ascii_digit(),
    },
    Alphabet {
        name: "hexadecimal",
        bits: 4.0,
        holds: |c| c.is_ascii_hexdigit(),
    },
    Alphabet {
        name: "base64",
        bits: 6.0,
        holds: |c| c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '-' | '_' | '='),
    },
    Alphabet {
        name: "printable characters",
        bits: 6.57,
        holds: |_| true,
    },
];

/// A token too easy to guess.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error(
    "the token has {length} characters of {alphabet}, about {bits:.0} bits: guessable; a token \
     needs {LEAST_BITS:.0} bits ({needed} characters of {alphabet}, 32 hexadecimal digits or 22 \
     of base64). Make one with `openssl rand -hex 32`"
)]
pub struct WeakToken {
    pub length: usize,
    pub alphabet: &'static str,
    pub bits: f64,
    /// How many characters of that alphabet would do.
    pub needed: usize,
}

/// The entropy of `token` as if each character were drawn at random from the smallest of
/// [`ALPHABETS`] that holds all of them: an upper bound (a word repeated is not random), which
/// is why the bar is high. `Err` below [`LEAST_BITS`].
pub fn check_strength(token: &str) -> Result<f64, WeakToken> {
    let alphabet = ALPHABETS
        .into_iter()
        .find(|alphabet| token.chars().all(alphabet.holds))
        .unwrap_or(ALPHABETS[3]);
    let length = token.chars().count();
    let bits = length as f64 * alphabet.bits;
    if bits >= LEAST_BITS {
        return Ok(bits);
    }
    Err(WeakToken {
        length,
        alphabet: alphabet.name,
        bits,
        needed: (LEAST_BITS / alphabet.bits).ceil() as usize,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_measured_by_the_smallest_alphabet_that_holds_them() {
        let hex_32 = "0123456789abcdef".repeat(2);
        assert_eq!(check_strength(&hex_32), Ok(128.0), "openssl rand -hex 16");
        let short_hex = &hex_32[..31];
        let weak = check_strength(short_hex).expect_err("124 bits");
        assert_eq!((weak.alphabet, weak.needed), ("hexadecimal", 32));
        let base64url = "Zm9vYmFyYmF6cXV4LV9fQQ";
        assert_eq!(check_strength(base64url), Ok(132.0), "22 of base64");
        assert!(check_strength(&base64url[..21]).is_err());
        let digits = "1".repeat(39);
        assert!(check_strength(&digits).is_ok());
        let weak = check_strength(&digits[..38]).expect_err("126 bits");
        assert_eq!((weak.alphabet, weak.needed), ("decimal digits", 39));
        assert!(
            check_strength("kiosk t1 token: #0123456").is_ok(),
            "printable"
        );
        assert!(
            check_strength("abcdefghijklmnop").is_err(),
            "16 letters: 96 bits"
        );
        let message = check_strength("abc").expect_err("weak").to_string();
        assert!(
            message.contains("3 characters")
                && message.contains("128 bits")
                && message.contains("openssl rand -hex 32"),
            "{message}"
        );
    }
}
