//! The optional suggestion, typed on the big keys, and Finish. A NIK, a phone number or too
//! long a text is refused here with the reason, before anything is stored.

use iced::widget::{column, container, responsive, text};
use iced::{Element, Length, Size};

use super::Draft;
use super::keypad::{Key, KeyLabels, Keys, keypad};
use crate::ui::screen::Context;
use crate::ui::theme;
use crate::ui::widgets::header_sized;
use mpp_core::survey::suggestion::{MAX_CHARS, Suggestion, SuggestionError};
use mpp_core::survey::text::Text;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct State {
    /// Why the text was refused, until it is changed.
    pub problem: Option<SuggestionError>,
    /// The answers are being stored: Finish waits.
    pub saving: bool,
    /// Storing failed: staff are asked for.
    pub failed: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Message {
    Key(Key),
    /// Store the answers with this suggestion (or none).
    Finish,
    Back,
}

/// What the survey should do after a message.
pub enum Action {
    None,
    /// The suggestion passed: store everything.
    Finish(Option<Suggestion>),
    Back,
}

impl State {
    pub fn update(&mut self, message: Message, draft: &mut Draft) -> Action {
        match message {
            Message::Key(_) | Message::Finish if self.saving => Action::None,
            Message::Key(key) => {
                self.problem = None;
                self.failed = false;
                match key {
                    Key::Delete => {
                        draft.suggestion.pop();
                    }
                    // One more than fits, so the visitor sees why it stops.
                    _ if draft.suggestion.chars().count() > MAX_CHARS => {}
                    Key::Space => draft.suggestion.push(' '),
                    Key::Char(character) => draft.suggestion.push(character),
                }
                Action::None
            }
            Message::Finish => match Suggestion::new(&draft.suggestion) {
                Ok(suggestion) => {
                    self.saving = true;
                    Action::Finish(suggestion)
                }
                Err(problem) => {
                    self.problem = Some(problem);
                    Action::None
                }
            },
            Message::Back if self.saving => Action::None,
            Message::Back => Action::Back,
        }
    }

    /// Storing failed.
    pub fn save_failed(&mut self) {
        self.saving = false;
        self.failed = true;
    }

    pub fn view<'a>(&'a self, draft: &'a Draft, context: &Context<'a>) -> Element<'a, Message> {
        let context = context.clone();
        responsive(move |size| view(self, draft, &context, size)).into()
    }
}

fn view<'a>(state: &State, draft: &Draft, context: &Context, size: Size) -> Element<'a, Message> {
    let sizes = context.sizes;
    let language = context.language;
    let t = |text: Text| text.get(language);
    let short = size.height < 700.0 * sizes.scale;
    let header = header_sized(
        t(Text::SuggestionTitle),
        sizes.body() * 1.15,
        t(Text::Back),
        Message::Back,
        sizes,
    );
    let left = MAX_CHARS.saturating_sub(draft.suggestion.chars().count());
    let status = if state.saving {
        (t(Text::Saving).to_owned(), theme::NAVY)
    } else if state.failed {
        (t(Text::SaveFailed).to_owned(), theme::RED)
    } else if let Some(problem) = &state.problem {
        (problem_text(problem, language), theme::RED)
    } else {
        (
            format!(
                "{}  ·  {}",
                t(Text::SuggestionHint),
                Text::CharactersLeft.fill(language, &[("left", &left.to_string())])
            ),
            theme::MUTED,
        )
    };
    let typed = container(
        text(format!("{}▏", draft.suggestion))
            .size(sizes.body())
            .width(Length::Fill),
    )
    .padding(if short { 6 } else { 12 })
    .width(Length::Fill)
    .height(Length::Fixed(sizes.body() * if short { 2.2 } else { 4.2 }))
    .style(|_| theme::outlined(theme::WHITE, theme::NAVY));
    let finish = super::action_key(
        t(Text::Finish),
        (!state.saving).then_some(Message::Finish),
        sizes,
    );
    let key_height = super::key_height(size, sizes, Keys::Text, if short { 280.0 } else { 400.0 });
    let body = column![
        typed,
        text(status.0)
            .size(sizes.small())
            .font(theme::SEMIBOLD)
            .color(status.1),
        keypad(
            Keys::Text,
            Message::Key,
            KeyLabels::survey(language),
            key_height,
            sizes,
            finish,
        ),
    ]
    .spacing(if short { 8 } else { 16 });
    column![header, container(body).padding(if short { 12 } else { 24 })]
        .width(Length::Fill)
        .height(Length::Fill)
        .into()
}

fn problem_text(problem: &SuggestionError, language: mpp_core::lang::Language) -> String {
    match problem {
        SuggestionError::LooksLikeNik => Text::SuggestionNik.get(language).to_owned(),
        SuggestionError::LooksLikePhone => Text::SuggestionPhone.get(language).to_owned(),
        SuggestionError::TooLong { .. } | SuggestionError::Empty => {
            Text::SuggestionLong.fill(language, &[("max", &MAX_CHARS.to_string())])
        }
    }
}
