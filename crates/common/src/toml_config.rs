//! What kiosk.toml and mpp-central.toml share: where the file is looked for, parse with the
//! key and line of every mistake, and collect unknown keys instead of ignoring them silently.

use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;

/// The configuration file to read: `explicit` when given (even if missing, so the error names
/// it), else the first of `candidates` that is a file (e.g. `./kiosk.toml`, then `/etc/…`);
/// `None` leaves the caller to its built-in default or its "not found" error.
pub fn find(explicit: Option<&Path>, candidates: &[&Path]) -> Option<PathBuf> {
    explicit
        .or_else(|| candidates.iter().copied().find(|path| path.is_file()))
        .map(Path::to_path_buf)
}

/// A mistake in a TOML file, located.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mistake {
    /// 1-based line, or 0 when the key is not written at all.
    pub line: usize,
    /// `key \`printer.baud\`` or `TOML syntax`.
    pub key: String,
    pub message: String,
}

/// Deserialises `text`, returning the value and its unknown keys (sorted, dotted).
pub fn parse<T: DeserializeOwned>(text: &str) -> Result<(T, Vec<String>), Mistake> {
    let located = |error: toml::de::Error, key: String, dotted: &str| Mistake {
        line: error.span().map_or_else(
            || line_of_path(text, dotted),
            |span| line_at(text, span.start),
        ),
        key,
        message: error.message().trim().to_owned(),
    };
    let deserializer = toml::Deserializer::parse(text)
        .map_err(|error| located(error, "TOML syntax".into(), ""))?;
    let mut unknown_keys = Vec::new();
    let mut note_unknown = |path: serde_ignored::Path<'_>| unknown_keys.push(path.to_string());
    let tracked = serde_ignored::Deserializer::new(deserializer, &mut note_unknown);
    let value = serde_path_to_error::deserialize(tracked).map_err(|error| {
        let dotted = error.path().to_string();
        located(error.into_inner(), format!("key `{dotted}`"), &dotted)
    })?;
    unknown_keys.sort();
    Ok((value, unknown_keys))
}

/// 1-based line of the byte at `offset`.
pub fn line_at(text: &str, offset: usize) -> usize {
    let before = text.get(..offset).unwrap_or(text);
    before.matches('\n').count() + 1
}

/// 1-based line of a dotted key such as `listen`, `printer.baud` or `kiosk[1].signing_key`:
/// the key's own line, else its table's header, else 0 when it is not written at all.
pub fn line_of_path(text: &str, dotted: &str) -> usize {
    let (table, index, key) = split_path(dotted);
    let mut current_table = String::new();
    let mut occurrence: Option<usize> = None;
    let mut header_line = 0;
    for (number, line) in text.lines().enumerate() {
        let line = line.trim();
        if let Some(name) = line.strip_prefix("[[").and_then(|l| l.strip_suffix("]]")) {
            current_table = name.trim().to_owned();
            if current_table == table {
                occurrence = Some(occurrence.map_or(0, |n| n + 1));
                if occurrence == Some(index) {
                    header_line = number + 1;
                }
            }
            continue;
        }
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            current_table = name.trim().to_owned();
            if current_table == table && header_line == 0 {
                header_line = number + 1;
                occurrence = Some(0);
            }
            continue;
        }
        let in_place = current_table == table && (table.is_empty() || occurrence == Some(index));
        if in_place
            && line
                .split_once('=')
                .is_some_and(|(name, _)| name.trim() == key)
        {
            return number + 1;
        }
    }
    header_line
}

/// `kiosk[1].id` → (`kiosk`, 1, `id`); `listen` → (``, 0, `listen`).
fn split_path(dotted: &str) -> (&str, usize, &str) {
    let Some((table, key)) = dotted.split_once('.') else {
        return ("", 0, dotted);
    };
    match table.split_once('[') {
        Some((name, rest)) => {
            let index = rest.trim_end_matches(']').parse().unwrap_or(0);
            (name, index, key)
        }
        None => (table, 0, key),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str =
        "listen = \"x\"\n[printer]\nbaud = 1\n[[kiosk]]\nid = \"A\"\n[[kiosk]]\nid = \"B\"\n";

    #[test]
    fn an_explicit_path_wins_then_the_first_file_found() {
        let folder = tempfile::tempdir().expect("temp dir");
        let local = folder.path().join("local.toml");
        let system = folder.path().join("system.toml");
        let missing = folder.path().join("missing.toml");
        let candidates = [local.as_path(), system.as_path()];
        assert_eq!(find(None, &candidates), None);
        std::fs::write(&system, "").expect("write");
        assert_eq!(find(None, &candidates), Some(system.clone()));
        std::fs::write(&local, "").expect("write");
        assert_eq!(find(None, &candidates), Some(local.clone()));
        assert_eq!(find(Some(&missing), &candidates), Some(missing.clone()));
        assert_eq!(find(None, &[folder.path()]), None, "a folder is not a file");
    }

    #[test]
    fn keys_are_found_in_tables_and_arrays_of_tables() {
        assert_eq!(line_of_path(TEXT, "listen"), 1);
        assert_eq!(line_of_path(TEXT, "printer.baud"), 3);
        assert_eq!(
            line_of_path(TEXT, "printer.parity"),
            2,
            "unwritten: the table's header"
        );
        assert_eq!(line_of_path(TEXT, "kiosk[0].id"), 5);
        assert_eq!(line_of_path(TEXT, "kiosk[1].id"), 7);
        assert_eq!(line_of_path(TEXT, "ui.language"), 0);
    }
}
