//! Text a kiosk sends that no person typed on purpose: control characters. NUL fails a whole
//! write on PostgreSQL and the others (escape sequences, backspaces) would reach a clerk's
//! terminal or a CSV; each is refused by field, on both backends alike, before anything is
//! written. Free text (a reason, an audit detail) may hold line breaks and tabs.

/// What kind of text a field holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A code, a number, a link: one line, no control character at all.
    Code,
    /// Words a person may have written on several lines.
    Free,
}

/// What is wrong with `value` as text of `kind`: "holds a NUL character", "holds the control
/// character U+001B"; `None` when it is clean.
pub fn control_problem(value: &str, kind: Kind) -> Option<String> {
    let allowed = |c: char| kind == Kind::Free && matches!(c, '\n' | '\r' | '\t');
    let found = value.chars().find(|c| c.is_control() && !allowed(*c))?;
    Some(match found {
        '\0' => "holds a NUL character".into(),
        other => format!("holds the control character U+{:04X}", other as u32),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_named_and_free_text_keeps_its_lines() {
        assert_eq!(control_problem("DKC-014", Kind::Code), None);
        assert_eq!(
            control_problem("DKC\0", Kind::Code).as_deref(),
            Some("holds a NUL character")
        );
        assert_eq!(
            control_problem("a\u{1b}[2J", Kind::Free).as_deref(),
            Some("holds the control character U+001B")
        );
        assert_eq!(control_problem("line one\nline two\t", Kind::Free), None);
        assert!(control_problem("line one\nline two", Kind::Code).is_some());
        assert!(control_problem("del\u{7f}", Kind::Code).is_some());
        assert_eq!(control_problem("Loket 3 — Dukcapil ✓", Kind::Code), None);
    }
}
