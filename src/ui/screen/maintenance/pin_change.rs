//! Changing the technician's PIN from the menu: the new PIN typed twice on a digit pad (shown
//! as dots), checked by the same rules as `mpp-kiosk maintenance set-pin` before it is hashed.

use iced::widget::{column, row, text};
use iced::{Element, Length};

use super::{Message, Request, sized_button};
use crate::ui::screen::Context;
use crate::ui::theme;
use mpp_core::maintenance::{PIN_LENGTH, PinProblem, check_new_pin};
use mpp_core::strings::maintenance::Text;
use mpp_station::maintenance::Pin;

/// The PIN being typed: the first entry once given, then the second.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct State {
    first: Option<Pin>,
    typing: String,
    problem: Option<PinProblem>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Choice {
    Digit(u8),
    Delete,
    /// The entry is complete: keep it, or (the second time) set the PIN.
    Next,
    /// Keep the PIN as it is (the menu closes the pad).
    Cancel,
}

impl State {
    /// What a key does; `Some` with the request once both entries agree.
    pub fn choose(&mut self, choice: Choice) -> Option<Request> {
        match choice {
            Choice::Digit(digit) if self.typing.len() < *PIN_LENGTH.end() && digit <= 9 => {
                self.problem = None;
                self.typing.push(char::from(b'0' + digit));
                None
            }
            Choice::Digit(_) => None,
            Choice::Delete => {
                self.typing.pop();
                None
            }
            Choice::Next => self.next(),
            Choice::Cancel => None,
        }
    }

    fn next(&mut self) -> Option<Request> {
        let typed = std::mem::take(&mut self.typing);
        if let Err(problem) = check_new_pin(&typed) {
            self.problem = Some(problem);
            self.first = None;
            return None;
        }
        match self.first.take() {
            None => {
                self.first = Some(Pin::new(typed));
                None
            }
            Some(first) if first == Pin::new(typed.clone()) => Some(Request::ChangePin(first)),
            Some(_) => {
                self.problem = Some(PinProblem::Mismatch);
                None
            }
        }
    }
}

pub fn view<'a>(context: &Context, state: &State, working: bool) -> Element<'a, Message> {
    let sizes = context.sizes;
    let language = context.language;
    let t = |words: Text| words.get(language);
    let prompt = if state.first.is_some() {
        Text::NewPinAgain
    } else {
        Text::NewPin
    };
    // Spaced, as on the PIN pad: eight of them wrap rather than run out of a narrow column.
    let dots = "● ".repeat(state.typing.len()).trim_end().to_owned();
    let mut form = column![
        text(t(prompt)).size(sizes.body()).font(theme::BOLD),
        text(if dots.is_empty() {
            "–".to_owned()
        } else {
            dots
        })
        .size(sizes.heading()),
    ]
    .spacing(8)
    .width(Length::Fill);
    if let Some(problem) = &state.problem {
        form = form.push(
            text(problem.to_string())
                .size(sizes.body())
                .style(|_| text::Style {
                    color: Some(theme::RED),
                }),
        );
    }
    let digit = |digit: u8| {
        let press = Message::PinChange(Choice::Digit(digit));
        sized_button(&digit.to_string(), theme::NAVY, Some(press), context)
    };
    let ready = state.typing.len() >= *PIN_LENGTH.start() && !working;
    form.push(
        row((1..=9).chain([0]).map(digit))
            .spacing(8)
            .wrap()
            .vertical_spacing(8),
    )
    .push(
        row![
            sized_button(
                t(Text::ClearDigit),
                theme::MUTED,
                Some(Message::PinChange(Choice::Delete)),
                context
            ),
            sized_button(
                t(Text::NextStep),
                theme::GREEN,
                ready.then_some(Message::PinChange(Choice::Next)),
                context
            ),
            sized_button(
                t(Text::Cancel),
                theme::MUTED,
                Some(Message::PinChange(Choice::Cancel)),
                context
            ),
        ]
        .spacing(8),
    )
    .into()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(state: &mut State, digits: &str) -> Option<Request> {
        for digit in digits.bytes() {
            state.choose(Choice::Digit(digit - b'0'));
        }
        state.choose(Choice::Next)
    }

    #[test]
    fn the_new_pin_is_asked_twice_and_a_guessable_or_different_one_is_refused() {
        let mut state = State::default();
        assert_eq!(typed(&mut state, "1234"), None);
        assert_eq!(state.problem, Some(PinProblem::Sequence));
        assert_eq!(typed(&mut state, "80514"), None, "the first entry");
        assert_eq!(state.problem, None);
        assert_eq!(typed(&mut state, "80515"), None);
        assert_eq!(state.problem, Some(PinProblem::Mismatch));
        assert_eq!(typed(&mut state, "80514"), None, "starts over");
        assert_eq!(
            typed(&mut state, "80514"),
            Some(Request::ChangePin(Pin::new("80514")))
        );
    }
}
