//! One of the nine questions: the element, its question, and its four answers as big buttons
//! with faces, worst on the left. Answering moves on; Back returns to the question before
//! with its answer kept.

use iced::widget::{Row, column, container, image, responsive, row, text};
use iced::{Element, Length, Size};

use super::{Draft, faces};
use crate::ui::screen::Context;
use crate::ui::theme;
use crate::ui::widgets::{header_sized, tap};
use mpp_core::survey::text::Text;
use mpp_core::survey::{Element as SurveyElement, Rating};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct State {
    /// Which element, 0 for U1.
    pub index: usize,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Message {
    /// The visitor chose this answer.
    Answer(Rating),
    /// Back to the question before (or out of the survey from the first).
    Back,
}

/// What the survey should do after a message.
pub enum Action {
    /// The answer is kept: show the next question.
    Next,
    Back,
}

impl State {
    pub fn element(&self) -> SurveyElement {
        SurveyElement::ALL[self.index]
    }

    pub fn update(&mut self, message: Message, draft: &mut Draft) -> Action {
        match message {
            Message::Answer(rating) => {
                draft.answers.insert(self.element(), rating);
                Action::Next
            }
            Message::Back => Action::Back,
        }
    }

    pub fn view<'a>(&'a self, draft: &'a Draft, context: &Context<'a>) -> Element<'a, Message> {
        let context = context.clone();
        responsive(move |size| view(self, draft, &context, size)).into()
    }
}

/// Below this height the faces are smaller and the page closer together.
const SHORT: f32 = 700.0;

fn view<'a>(state: &State, draft: &Draft, context: &Context, size: Size) -> Element<'a, Message> {
    let sizes = context.sizes;
    let language = context.language;
    let short = size.height < SHORT * sizes.scale;
    let element = state.element();
    let wording = element.wording(language);
    let total = SurveyElement::ALL.len().to_string();
    let progress = Text::Progress.fill(
        language,
        &[("n", &(state.index + 1).to_string()), ("total", &total)],
    );
    let header = header_sized(
        &progress,
        sizes.body() * 1.15,
        Text::Back.get(language),
        Message::Back,
        sizes,
    );
    let chosen = draft.answers.get(&element).copied();
    let face_side = if short { 64.0 } else { 112.0 } * sizes.scale;
    // Four across on a wide screen, two by two on a narrow or portrait one. The cards are
    // given their width: a tap target shrinks to its content.
    let two_by_two = size.width < 900.0 * sizes.scale || size.height > size.width;
    let padding = if short { 12.0 } else { 32.0 };
    let across = if two_by_two { 2.0 } else { 4.0 };
    let card_width = ((size.width - 2.0 * padding - (across - 1.0) * 16.0) / across).floor();
    let answers: Vec<Element<'a, Message>> = Rating::ALL
        .into_iter()
        .map(|rating| answer(rating, element, chosen, face_side, card_width, context))
        .collect();
    let grid: Element<'a, Message> = if two_by_two {
        let mut answers = answers.into_iter();
        let mut pairs = column![].spacing(16);
        for _ in 0..2 {
            let pair: Vec<Element<'a, Message>> = answers.by_ref().take(2).collect();
            pairs = pairs.push(Row::from_vec(pair).spacing(16));
        }
        pairs.into()
    } else {
        Row::from_vec(answers).spacing(16).into()
    };
    let body = column![
        progress_bar(state.index, context),
        text(wording.name).size(sizes.body()).style(theme::muted),
        text(wording.question)
            .size(if short {
                sizes.body() * 1.15
            } else {
                sizes.heading()
            })
            .font(theme::BOLD),
        grid,
    ]
    .spacing(if short { 10 } else { 24 });
    column![header, container(body).padding(padding)]
        .width(Length::Fill)
        .height(Length::Fill)
        .into()
}

/// One answer: its face and its words; the one chosen before is outlined.
fn answer<'a>(
    rating: Rating,
    element: SurveyElement,
    chosen: Option<Rating>,
    face_side: f32,
    width: f32,
    context: &Context,
) -> Element<'a, Message> {
    let sizes = context.sizes;
    let words = rating.words(element, context.language);
    let picked = chosen == Some(rating);
    let high_contrast = context.high_contrast;
    let card = container(
        column![
            container(
                image(faces::face(rating))
                    .width(Length::Fixed(face_side))
                    .height(Length::Fixed(face_side))
            )
            .center_x(Length::Fill),
            text(words.to_owned())
                .size(sizes.body())
                .font(theme::SEMIBOLD)
                .center()
                .width(Length::Fill),
        ]
        .spacing(12)
        .width(Length::Fill),
    )
    .padding(16)
    .width(Length::Fixed(width))
    .style(move |_| {
        if picked {
            theme::outlined(theme::WHITE, theme::NAVY)
        } else {
            theme::card(high_contrast)
        }
    });
    tap(card, Some(Message::Answer(rating)))
}

/// Nine segments, the ones answered filled.
fn progress_bar<'a>(index: usize, context: &Context) -> Element<'a, Message> {
    let height = 10.0 * context.sizes.scale;
    let segments = (0..SurveyElement::ALL.len()).map(|segment| {
        let colour = if segment <= index {
            theme::NAVY
        } else {
            theme::DISABLED
        };
        container(text(""))
            .width(Length::Fill)
            .height(Length::Fixed(height))
            .style(move |_| theme::panel(colour, colour))
            .into()
    });
    row(segments).spacing(6).into()
}
