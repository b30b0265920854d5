//! The on-screen keys the survey types with: capitals and digits for a ticket's number and
//! code, small letters and punctuation for a suggestion. Every key is a finger's size; the
//! rows share the width evenly.

use iced::widget::{Row, column, container, text};
use iced::{Alignment, Element, Length};

use crate::ui::theme::{self, Sizes};
use crate::ui::widgets::tap;

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
    fn rows(self) -> &'static [&'static str] {
        match self {
            Keys::Code => &["1234567890", "ABCDEFGHIJ", "KLMNOPQRST", "UVWXYZ-"],
            Keys::Text => &["1234567890", "qwertyuiop", "asdfghjkl,", "zxcvbnm.?"],
        }
    }
}

/// The words on the keys that are not characters.
pub struct KeyLabels<'a> {
    pub delete: &'a str,
    pub space: &'a str,
}

/// The pad; each key sends `on_key(key)`. `key_height` is the height of a row (at least
/// [`LEAST_KEY`]); `last` goes at the end of the last row (the form's Continue), taking the
/// room left there.
pub fn keypad<'a, M: Clone + 'a>(
    keys: Keys,
    on_key: impl Fn(Key) -> M,
    labels: KeyLabels,
    key_height: f32,
    sizes: Sizes,
    mut last: Option<Element<'a, M>>,
) -> Element<'a, M> {
    let height = key_height.max(LEAST_KEY);
    let rows = keys.rows();
    let mut pad = column![].spacing(6).width(Length::Fill);
    let columns = rows
        .iter()
        .map(|row| row.chars().count())
        .max()
        .unwrap_or(10) as u16;
    for (index, characters) in rows.iter().enumerate() {
        let mut line = Row::new().spacing(6).height(Length::Fixed(height));
        let mut used = 0u16;
        for character in characters.chars() {
            line = line.push(key(
                &character.to_string(),
                on_key(Key::Char(character)),
                1,
                sizes,
            ));
            used += 1;
        }
        if index == rows.len() - 1 {
            let delete = key(
                &format!("⌫ {}", labels.delete),
                on_key(Key::Delete),
                2,
                sizes,
            );
            line = line.push(delete);
            used += 2;
            if keys == Keys::Text {
                line = line.push(key(labels.space, on_key(Key::Space), 2, sizes));
                used += 2;
            }
            let room = columns.saturating_sub(used).max(1);
            line = line.push(
                container(
                    last.take()
                        .unwrap_or_else(|| iced::widget::Space::new().into()),
                )
                .width(Length::FillPortion(room))
                .height(Length::Fill),
            );
        }
        pad = pad.push(line);
    }
    pad.into()
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
