//! Just enough HTML reading for the tests of the server's pages: start tags with their
//! attributes, and the text inside the elements of a class. Not a full parser: the pages are
//! maud's, well nested, with attributes quoted; that is all this needs to understand.

use std::collections::BTreeMap;

/// Elements that never have an end tag.
const VOID: [&str; 8] = ["meta", "input", "br", "hr", "img", "link", "source", "wbr"];

/// A start tag: its lower-case name, attributes (entities decoded) and where it ends.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tag {
    pub name: String,
    pub attributes: BTreeMap<String, String>,
    /// Byte offset just after its `>`.
    end: usize,
}

impl Tag {
    pub fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes.get(name).map(String::as_str)
    }

    pub fn has_class(&self, class: &str) -> bool {
        self.attribute("class")
            .is_some_and(|classes| classes.split_whitespace().any(|one| one == class))
    }
}

/// Every start tag, in order.
pub fn start_tags(html: &str) -> Vec<Tag> {
    let bytes = html.as_bytes();
    let mut tags = Vec::new();
    let mut at = 0;
    while let Some(open) = html[at..].find('<').map(|offset| at + offset) {
        let rest = &html[open + 1..];
        if rest.starts_with('!') || rest.starts_with('/') {
            at = open + 1 + rest.find('>').map_or(rest.len(), |close| close + 1);
            continue;
        }
        let (tag, end) = read_tag(html, open + 1);
        at = end.max(open + 1);
        if let Some(tag) = tag {
            tags.push(tag);
        }
        if at >= bytes.len() {
            break;
        }
    }
    tags
}

/// The tag whose name starts at `start`, and where reading stopped.
fn read_tag(html: &str, start: usize) -> (Option<Tag>, usize) {
    let bytes = html.as_bytes();
    let mut at = start;
    while at < bytes.len() && bytes[at].is_ascii_alphanumeric() {
        at += 1;
    }
    if at == start {
        return (None, at);
    }
    let name = html[start..at].to_ascii_lowercase();
    let mut attributes = BTreeMap::new();
    loop {
        while at < bytes.len() && (bytes[at].is_ascii_whitespace() || bytes[at] == b'/') {
            at += 1;
        }
        if at >= bytes.len() {
            return (None, at);
        }
        if bytes[at] == b'>' {
            let end = at + 1;
            return (
                Some(Tag {
                    name,
                    attributes,
                    end,
                }),
                end,
            );
        }
        let key_start = at;
        while at < bytes.len() && !b" \t\r\n=>/".contains(&bytes[at]) {
            at += 1;
        }
        let key = html[key_start..at].to_ascii_lowercase();
        let mut value = String::new();
        if at < bytes.len() && bytes[at] == b'=' {
            at += 1;
            let quote = bytes.get(at).copied().filter(|b| *b == b'"' || *b == b'\'');
            if let Some(quote) = quote {
                let value_start = at + 1;
                let close = html[value_start..]
                    .find(char::from(quote))
                    .map_or(html.len(), |offset| value_start + offset);
                value = decode(&html[value_start..close]);
                at = close + 1;
            } else {
                let value_start = at;
                while at < bytes.len() && !b" \t\r\n>".contains(&bytes[at]) {
                    at += 1;
                }
                value = decode(&html[value_start..at]);
            }
        }
        attributes.insert(key, value);
    }
}

/// The start tags named `name`.
pub fn tags(html: &str, name: &str) -> Vec<Tag> {
    start_tags(html)
        .into_iter()
        .filter(|tag| tag.name == name)
        .collect()
}

/// The text inside each element with class `class`, tags left out, entities decoded and
/// spaces collapsed.
pub fn texts(html: &str, class: &str) -> Vec<String> {
    start_tags(html)
        .into_iter()
        .filter(|tag| tag.has_class(class) && !VOID.contains(&tag.name.as_str()))
        .map(|tag| text_of(&html[tag.end..end_of(html, &tag)]))
        .collect()
}

/// Where the element opened by `tag` closes (its inner HTML ends).
fn end_of(html: &str, tag: &Tag) -> usize {
    let (open, close) = (format!("<{}", tag.name), format!("</{}", tag.name));
    let mut depth = 1;
    let mut at = tag.end;
    while depth > 0 {
        let next_open = html[at..].find(&open).map(|offset| at + offset);
        let Some(next_close) = html[at..].find(&close).map(|offset| at + offset) else {
            return html.len();
        };
        match next_open {
            Some(next_open) if next_open < next_close => {
                depth += 1;
                at = next_open + open.len();
            }
            _ => {
                depth -= 1;
                at = next_close + close.len();
                if depth == 0 {
                    return next_close;
                }
            }
        }
    }
    at
}

/// Inner HTML as text.
pub fn text_of(inner: &str) -> String {
    let mut text = String::new();
    let mut in_tag = false;
    for character in inner.chars() {
        match character {
            '<' => {
                in_tag = true;
                text.push(' ');
            }
            '>' => in_tag = false,
            _ if !in_tag => text.push(character),
            _ => {}
        }
    }
    decode(&text)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The entities maud writes.
fn decode(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// Saves `page` as `<folder>/<name>.html` when `MPP_PAGE_SNAPSHOTS` names a folder: for a person
/// to open what a test read (e.g. `chromium --headless --screenshot`).
pub fn keep(name: &str, page: &str) {
    if let Some(folder) = std::env::var_os("MPP_PAGE_SNAPSHOTS") {
        let _ = std::fs::create_dir_all(&folder);
        let _ = std::fs::write(
            std::path::Path::new(&folder).join(format!("{name}.html")),
            page,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_tags_attributes_and_the_text_of_a_class() {
        let html = "<!doctype html><p class=\"a b\">x <span class=\"alt\">y &amp; z</span></p>\
                    <input type=\"radio\" name=\"cost\" value=\"4\" checked><p class=\"b\">w</p>";
        let inputs = tags(html, "input");
        assert_eq!(inputs.len(), 1);
        assert_eq!(inputs[0].attribute("name"), Some("cost"));
        assert_eq!(inputs[0].attribute("checked"), Some(""));
        assert_eq!(texts(html, "b"), ["x y & z", "w"]);
        assert_eq!(texts(html, "alt"), ["y & z"]);
        assert!(tags(html, "script").is_empty());
    }
}
