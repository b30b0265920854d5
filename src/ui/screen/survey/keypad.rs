//! The on-screen keys the survey types with: capitals and digits for a ticket's number and
//! code, small letters and punctuation for a suggestion. Every key is a finger's size; the
//! rows share the width evenly.

use iced::widget::{Row, column, container, text};
use iced::{Alignment, Element, Length};

use crate::ui::theme::{self, Sizes};
use crate::ui::widgets::tap;
use mpp_core::lang::Language;
use mpp_core::survey::text::Text;

/// The smallest side of a key, as the layout audit's finger.
pub const LEAST_KEY: f32 = 64.0;

/// What a key does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Key {
    Char(char),
    Space,
    Delete,
}

/// Which keys are on the pad.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Keys {
    /// A ticket's number and survey code: digits, capitals and the dash.
    Code,
    /// A suggestion: digits, small letters, a little punctuation and the space bar.
    Text,
}

impl Keys {
    /// Ten keys a row: every key is as wide as the others.
    fn rows(self) -> &'static [&'static str] {
        match self {
            Keys::Code => &["1234567890", "QWERTYUIOP", "ASDFGHJKL-", "ZXCVBNM"],
            Keys::Text => &["1234567890", "qwertyuiop", "asdfghjkl,", "zxcvbnm.?-"],
        }
    }

    /// Rows of keys, the space bar's row included.
    pub fn row_count(self) -> usize {
        match self {
            Keys::Code => 4,
            Keys::Text => 5,
        }
    }
}

/// The words on the keys that are not characters.
pub struct KeyLabels<'a> {
    pub delete: &'a str,
    pub space: &'a str,
}

impl KeyLabels<'static> {
    /// The survey's words for them, in the visitor's language.
    pub fn survey(language: Language) -> Self {
        KeyLabels {
            delete: Text::Delete.get(language),
            space: Text::Space.get(language),
        }
    }
}

/// The pad; each key sends `on_key(key)`. `key_height` is the height of a row (at least
/// [`LEAST_KEY`]); `last` (the form's Continue or Finish) ends the last row, two keys wide
/// beside the capitals, three beside the space bar.
pub fn keypad<'a, M: Clone + 'a>(
    keys: Keys,
    on_key: impl Fn(Key) -> M,
    labels: KeyLabels,
    key_height: f32,
    sizes: Sizes,
    last: Element<'a, M>,
) -> Element<'a, M> {
    let height = key_height.max(LEAST_KEY);
    let line = || Row::new().spacing(6).height(Length::Fixed(height));
    let rows = keys.rows();
    let mut pad = column![].spacing(6).width(Length::Fill);
    let mut last = Some(last);
    for (index, characters) in rows.iter().enumerate() {
        let mut row = line();
        for character in characters.chars() {
            row = row.push(key(
                &character.to_string(),
                on_key(Key::Char(character)),
                1,
                sizes,
            ));
        }
        if keys == Keys::Code && index == rows.len() - 1 {
            row = row.push(key("⌫", on_key(Key::Delete), 1, sizes));
            row = row.push(span(last.take(), 2));
        }
        pad = pad.push(row);
    }
    if keys == Keys::Text {
        pad = pad.push(
            line()
                .push(key(labels.space, on_key(Key::Space), 5, sizes))
                .push(key(
                    &format!("⌫ {}", labels.delete),
                    on_key(Key::Delete),
                    2,
                    sizes,
                ))
                .push(span(last.take(), 3)),
        );
    }
    pad.into()
}

/// `content`, `columns` keys wide.
fn span<'a, M: 'a>(content: Option<Element<'a, M>>, columns: u16) -> Element<'a, M> {
    container(content.unwrap_or_else(|| iced::widget::Space::new().into()))
        .width(Length::FillPortion(columns))
        .height(Length::Fill)
        .into()
}

/// One key, `span` columns wide.
fn key<'a, M: Clone + 'a>(label: &str, message: M, span: u16, sizes: Sizes) -> Element<'a, M> {
    let face = container(text(label.to_owned()).size(sizes.body()).font(theme::BOLD))
        .align_x(Alignment::Center)
        .align_y(Alignment::Center)
        .width(Length::Fill)
        .height(Length::Fill)
        .style(|_| theme::outlined(theme::WHITE, theme::NAVY));
    container(tap(face, Some(message)))
        .width(Length::FillPortion(span))
        .height(Length::Fill)
        .into()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One keyboard on the kiosk: the code's capitals stand where the suggestion's small
    /// letters do, so a visitor who typed one finds the other where they expect.
    #[test]
    fn both_pads_set_the_letters_in_the_same_qwerty_order() {
        let letters = |keys: Keys| -> Vec<String> {
            (keys.rows().iter())
                .map(|row| {
                    (row.chars().filter(char::is_ascii_alphabetic))
                        .map(|c| c.to_ascii_lowercase())
                        .collect()
                })
                .collect()
        };
        assert_eq!(letters(Keys::Code), letters(Keys::Text));
        assert_eq!(letters(Keys::Code)[1], "qwertyuiop");
    }
}
