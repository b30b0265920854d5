//! Text in a URL's query or a form body (`application/x-www-form-urlencoded`).

/// `text` as a query or form value: everything but letters, digits and `-_.~` percent-encoded,
/// which every decoder reads back the same.
pub fn encoded(text: &str) -> String {
    text.bytes()
        .map(|byte| match byte {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                char::from(byte).to_string()
            }
            _ => format!("%{byte:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_unreserved_bytes_are_kept() {
        for (text, written) in [
            ("Loket 1&a=b~-_.", "Loket%201%26a%3Db~-_."),
            ("é", "%C3%A9"),
        ] {
            assert_eq!(encoded(text), written);
        }
    }
}
