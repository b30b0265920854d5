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
    let mut note_unknown = |path: serde_ignored::Path<'_>| unknown_keys.push(dotted(&path));
    let tracked = serde_ignored::Deserializer::new(deserializer, &mut note_unknown);
    let value = serde_path_to_error::deserialize(tracked).map_err(|error| {
        let dotted = error.path().to_string();
        located(error.into_inner(), format!("key `{dotted}`"), &dotted)
    })?;
    unknown_keys.sort();
    Ok((value, unknown_keys))
}

/// `printer.baudrate`: serde_ignored's own display writes an optional section as `scanner.?.x`.
fn dotted(path: &serde_ignored::Path<'_>) -> String {
    use serde_ignored::Path;
    let join = |parent: &Path<'_>, segment: String| match dotted(parent) {
        parent if parent.is_empty() => segment,
        parent => format!("{parent}.{segment}"),
    };
    match path {
        Path::Root => String::new(),
        Path::Seq { parent, index } => join(parent, index.to_string()),
        Path::Map { parent, key } => join(parent, key.clone()),
        Path::Some { parent }
        | Path::NewtypeStruct { parent }
        | Path::NewtypeVariant { parent } => dotted(parent),
    }
}

/// 1-based line of the byte at `offset`.
pub fn line_at(text: &str, offset: usize) -> usize {
    let before = text.get(..offset).unwrap_or(text);
    before.matches('\n').count() + 1
}

/// The keys written at the top level of `text` (tables and arrays of tables included); empty
/// when it does not parse.
pub fn top_level_keys(text: &str) -> Vec<String> {
    let Ok(root) = toml::de::DeTable::parse(text) else {
        return Vec::new();
    };
    root.get_ref()
        .iter()
        .map(|(key, _)| {
            let name: &str = key.get_ref().as_ref();
            name.to_owned()
        })
        .collect()
}

/// 1-based line of a dotted key such as `listen`, `printer.baud` or `kiosk[1].signing_key`,
/// found through toml's own spans (so comments after a header and dotted keys such as
/// `ui.language = "en"` are no trap): the key's own line, else the line where its table
/// begins, else 0 when it is not written at all (or the text does not parse).
pub fn line_of_path(text: &str, dotted: &str) -> usize {
    let Ok(root) = toml::de::DeTable::parse(text) else {
        return 0;
    };
    let mut table = root.get_ref();
    let mut found = None;
    for (position, (name, index)) in segments(dotted).enumerate() {
        let Some((key, value)) = table.iter().find(|(key, _)| key.get_ref().as_ref() == name)
        else {
            return found.map_or(0, |start| line_at(text, start));
        };
        found = Some(key.span().start);
        let value = match (index, value.get_ref()) {
            (Some(index), toml::de::DeValue::Array(items)) => match items.get(index) {
                Some(item) => {
                    found = Some(item.span().start);
                    item
                }
                None => return line_at(text, key.span().start),
            },
            _ => value,
        };
        match value.get_ref() {
            toml::de::DeValue::Table(inner) => table = inner,
            _ if position + 1 < dotted.split('.').count() => break,
            _ => {}
        }
    }
    found.map_or(0, |start| line_at(text, start))
}

/// `kiosk[1].id` → (`kiosk`, Some(1)), (`id`, None).
fn segments(dotted: &str) -> impl Iterator<Item = (&str, Option<usize>)> {
    dotted
        .split('.')
        .map(|segment| match segment.split_once('[') {
            Some((name, rest)) => (name, rest.trim_end_matches(']').parse().ok()),
            None => (segment, None),
        })
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

    #[test]
    fn unknown_keys_are_dotted_through_optional_sections_and_arrays() {
        #[derive(serde::Deserialize)]
        struct Inner {
            #[allow(dead_code)]
            known: Option<u32>,
        }
        #[derive(serde::Deserialize)]
        struct File {
            #[allow(dead_code)]
            scanner: Option<Inner>,
            #[allow(dead_code)]
            #[serde(default)]
            kiosk: Vec<Inner>,
        }
        let text = "[scanner]\nknown = 1\nspeed = 2\n[[kiosk]]\n[[kiosk]]\nid = 3\n[extra]\n";
        let (_, unknown) = parse::<File>(text).expect("parses");
        assert_eq!(unknown, ["extra", "kiosk.1.id", "scanner.speed"]);
    }

    #[test]
    fn a_comment_after_a_header_is_no_trap() {
        let text = "[kiosk]\nid = \"A\"\n[ui]  # the screen\nlanguage = \"xx\"\n";
        assert_eq!(line_of_path(text, "ui.language"), 4);
        assert_eq!(
            line_of_path(text, "ui.fullscreen"),
            3,
            "unwritten: its table"
        );
    }

    #[test]
    fn dotted_keys_are_found_where_they_are_written() {
        let text = "title = 1\n\nui.language = \"xx\"\nprinter.baud = 9601\n";
        assert_eq!(line_of_path(text, "ui.language"), 3);
        assert_eq!(line_of_path(text, "printer.baud"), 4);
    }

    #[test]
    fn a_wrong_value_in_a_dotted_key_names_its_line() {
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct Ui {
            language: u32,
        }
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct File {
            ui: Ui,
        }
        let text = "# settings\n\nui.language = \"en\"\n";
        let mistake = parse::<File>(text).expect_err("a string is no number");
        assert_eq!(mistake.line, 3, "{mistake:?}");
        assert_eq!(mistake.key, "key `ui.language`");
        let text = "[ui]  # comment\n\nlanguage = \"en\"\n";
        assert_eq!(parse::<File>(text).expect_err("refused").line, 3);
    }
}
