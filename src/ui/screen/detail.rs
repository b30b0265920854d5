//! What a service needs, before a number is taken: requirements, procedure, time, fee,
//! product, counter, and how many numbers were taken today. Then the buttons to take one.

use iced::widget::{column, container, responsive, row, scrollable, text};
use iced::{Alignment, Element, Length, Task};

use super::Context;
use super::availability_text::state_line;
use super::wait_lines::wait_lines;
use crate::ui::theme;
use crate::ui::widgets::{big_button, header, header_sized};
use room::{
    COLUMN_GAP, Card, CardLine, Information, LEAD, LINE_GAP, NOTICE_PADDING, Room, SECTION_GAP,
};

mod again;
pub use again::WINDOW as AGAIN_WINDOW;
mod room;
use mpp_core::catalog::Service;
use mpp_core::ids::ServiceCode;
use mpp_core::numbering::Lane;
use mpp_core::strings::{Text, fee_text};
use mpp_core::wait::expected_wait;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct State {
    pub service: ServiceCode,
    /// A number of this service was taken here a moment ago: the visitor is asked first.
    pub again: Option<Again>,
}

/// "You just took DKC-014 — take another?": the lane asked for and the number taken before.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Again {
    pub lane: Lane,
    pub taken: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Message {
    /// The visitor asked for a number in this lane.
    Take(Lane),
    /// Asked whether they want another, the visitor does.
    TakeAgain,
    /// Asked whether they want another, the visitor keeps the one they have.
    KeepMine,
    /// The visitor wants the list of services again.
    Back,
}

/// What the app should do after a message.
pub enum Action {
    None,
    Run(Task<Message>),
    /// Issue and print a number of this service in this lane, unless one was taken a moment
    /// ago (the app then calls [`State::ask_again`]).
    TakeNumber(ServiceCode, Lane),
    /// Issue and print one though one was taken a moment ago: the visitor said so.
    TakeAnother(ServiceCode, Lane),
    Back,
}

impl State {
    pub fn new(service: ServiceCode) -> Self {
        Self {
            service,
            again: None,
        }
    }

    pub fn update(&mut self, message: Message) -> Action {
        match message {
            Message::Take(lane) if self.again.is_none() => {
                Action::TakeNumber(self.service.clone(), lane)
            }
            Message::Take(_) => Action::None,
            Message::TakeAgain => match self.again.take() {
                Some(again) => Action::TakeAnother(self.service.clone(), again.lane),
                None => Action::None,
            },
            Message::KeepMine => {
                self.again = None;
                Action::None
            }
            Message::Back => Action::Back,
        }
    }

    /// `taken` of this service was given here a moment ago: ask before another.
    pub fn ask_again(&mut self, lane: Lane, taken: String) {
        self.again = Some(Again { lane, taken });
    }

    pub fn view<'a>(&'a self, context: &Context<'a>) -> Element<'a, Message> {
        let back = context.t(Text::Back);
        let Some(service) = context.catalog.service(&self.service) else {
            return header(
                context.t(Text::ChooseService),
                back,
                Message::Back,
                context.sizes,
            );
        };
        let context = context.clone();
        responsive(move |size| {
            let info = information(service, &context);
            let card = |beside| card_lines(service, &context, beside);
            let title = service.name.get(context.language);
            let room = Room::for_screen(size, context.sizes, title, back, &info, card);
            let header = header_sized(title, room.title_size, back, Message::Back, context.sizes);
            // The question takes the page's place: no button of the page lies under it.
            match &self.again {
                Some(again) => column![header, again::question(again, &context)].into(),
                None => column![header, body(service, &context, info, room)].into(),
            }
        })
        .into()
    }
}

/// On a wide landscape screen the information and the buttons sit side by side, so the
/// information gets the whole height; elsewhere the buttons go below it.
fn body<'a>(
    service: &'a Service,
    context: &Context<'a>,
    info: Information,
    room: Room,
) -> Element<'a, Message> {
    let information = information_view(info, context, room);
    if room.side_by_side {
        row![
            information.width(Length::FillPortion(3)),
            container(actions(service, context, Arrangement::Stacked, room))
                .padding([16.0, 24.0])
                .width(Length::FillPortion(2))
                .height(Length::Fill)
                .align_y(Alignment::End),
        ]
        .into()
    } else {
        column![
            information,
            // Off the screen's edges, as beside the information.
            container(actions(service, context, Arrangement::SideBySide, room))
                .padding([16.0, 24.0]),
        ]
        .into()
    }
}

/// How the two buttons for a number are placed.
#[derive(Clone, Copy)]
enum Arrangement {
    SideBySide,
    Stacked,
}

/// Everything the visitor should know before taking a number, once: the agency's notice first,
/// then what to bring, the steps, what they get and where it happens. Fee and time are on the
/// card beside the buttons.
fn information(service: &Service, context: &Context) -> Information {
    let language = context.language;
    let texts = |list: &[mpp_core::lang::Localized]| {
        list.iter()
            .map(|item| item.get(language).to_owned())
            .collect::<Vec<_>>()
    };
    let location = context
        .catalog
        .agency(&service.agency)
        .map(|agency| agency.location.get(language).to_owned())
        .unwrap_or_default();
    Information {
        notice: service
            .note
            .as_ref()
            .map(|note| note.get(language).to_owned()),
        requirements: (
            context.t(Text::Requirements).to_owned(),
            texts(&service.requirements),
        ),
        procedure: (
            context.t(Text::Procedure).to_owned(),
            texts(&service.procedure),
        ),
        facts: vec![
            format!(
                "{}: {}",
                context.t(Text::Product),
                service.product.get(language)
            ),
            format!(
                "{}: {} · {location}",
                context.t(Text::Where),
                service.counter.get(language)
            ),
        ],
    }
}

fn information_view<'a>(
    info: Information,
    context: &Context,
    room: Room,
) -> iced::widget::Container<'a, Message> {
    let scale = context.sizes.scale;
    let size = room.text_size;
    let mut body = (column![].spacing(SECTION_GAP * scale))
        .padding([0.0, 8.0])
        .width(Length::Fill);
    if let Some(notice) = info.notice {
        body = body.push(
            container(text(notice).size(size))
                .padding(NOTICE_PADDING * scale)
                .width(Length::Fill)
                .style(|_| theme::panel(theme::AMBER, theme::INK)),
        );
    }
    let requirements = section(info.requirements, true, size, scale);
    let procedure = section(info.procedure, true, size, scale);
    let body = if room.two_columns {
        body.push(
            row![
                container(requirements).width(Length::FillPortion(1)),
                container(procedure).width(Length::FillPortion(1)),
            ]
            .spacing(COLUMN_GAP * scale),
        )
    } else {
        body.push(requirements).push(procedure)
    };
    let body = body.push(section((String::new(), info.facts), false, size, scale));
    let mut column =
        column![scrollable(body).width(Length::Fill).height(Length::Fill)].width(Length::Fill);
    if room.scrolls {
        // Too long even in small print: say that there is more, as a scroll bar alone does not.
        column = column.push(
            text(format!("▼  {}", context.t(Text::ScrollForMore)))
                .size(size)
                .font(theme::BOLD),
        );
    }
    container(column).padding(room.padding).height(Length::Fill)
}

/// A labelled list: numbered, or bulleted without a label.
fn section<'a>(
    (title, lines): (String, Vec<String>),
    numbered: bool,
    size: f32,
    scale: f32,
) -> Element<'a, Message> {
    let mut body = column![].spacing(LINE_GAP * scale);
    if !title.is_empty() {
        body = body.push(text(title).size(size).font(theme::BOLD));
    }
    for (index, line) in lines.into_iter().enumerate() {
        let lead = if numbered {
            format!("{}.", index + 1)
        } else {
            "•".to_owned()
        };
        body = body.push(
            row![
                text(lead).size(size).width(Length::Fixed(LEAD * scale)),
                text(line).size(size).width(Length::Fill),
            ]
            .spacing(8),
        );
    }
    body.into()
}

/// The card's lines over the buttons, in order: what it costs and takes, whether it is open,
/// the queue, and what to bring. Measured for the room and drawn from the same list.
/// Beside the information (`stacked`) fee and time take a line each; under it, one together.
fn card_lines(service: &Service, context: &Context, stacked: bool) -> Card {
    let (state, colour) = state_line(service, context);
    let fee = format!(
        "{}: {}",
        context.t(Text::Fee),
        fee_text(&service.fee, context.language)
    );
    let duration = format!(
        "{}: {}",
        context.t(Text::Duration),
        service.duration.get(context.language)
    );
    let queue = queue_line(service, context);
    let costs = if stacked {
        vec![
            CardLine::new(fee, theme::BOLD, false),
            CardLine::new(duration, theme::BOLD, false),
        ]
    } else {
        vec![CardLine::new(
            format!("{fee}  ·  {duration}"),
            theme::BOLD,
            false,
        )]
    };
    Card {
        lines: costs
            .into_iter()
            .chain([
                CardLine {
                    colour: Some(colour),
                    ..CardLine::new(state, theme::FONT, false)
                },
                CardLine::new(queue.0, theme::SEMIBOLD, queue.1),
                CardLine::new(
                    context.t(Text::BringDocuments).to_owned(),
                    theme::SEMIBOLD,
                    true,
                ),
            ])
            .collect(),
        priority_hint: service
            .priority
            .then(|| context.t(Text::PriorityWho).to_owned()),
    }
}

fn actions<'a>(
    service: &Service,
    context: &Context<'a>,
    arrangement: Arrangement,
    room: Room,
) -> Element<'a, Message> {
    let sizes = context.sizes;
    let open = context.availability(service).is_open() && context.hold.is_none();
    let card = card_lines(
        service,
        context,
        matches!(arrangement, Arrangement::Stacked),
    );
    let regular = big_button(
        context.t(Text::TakeNumber),
        theme::GREEN,
        open.then_some(Message::Take(Lane::Regular)),
        sizes,
    );
    let priority = card.priority_hint.map(|hint| {
        column![
            big_button(
                context.t(Text::TakePriority),
                theme::NAVY,
                open.then_some(Message::Take(Lane::Priority)),
                sizes
            ),
            text(hint).size(sizes.small()),
        ]
        .spacing(4)
    });
    let buttons: Element<'a, Message> = match (arrangement, priority) {
        (_, None) => regular,
        (Arrangement::Stacked, Some(priority)) => column![regular, priority].spacing(16).into(),
        (Arrangement::SideBySide, Some(priority)) => row![
            container(regular).width(Length::FillPortion(3)),
            container(priority).width(Length::FillPortion(2)),
        ]
        .spacing(20)
        .into(),
    };
    let mut lines = column![].spacing(room.card_spacing());
    for line in card.lines {
        let size = room.card_text(line.small, sizes);
        let mut words = text(line.words).size(size).font(line.font);
        if let Some(colour) = line.colour {
            words = words.color(colour);
        }
        lines = lines.push(words);
    }
    let high_contrast = context.high_contrast;
    container(lines.push(buttons))
        .padding(room.card_padding())
        .width(Length::Fill)
        .style(move |_| theme::card(high_contrast))
        .into()
}

/// What a regular number taken now would have ahead of it and the wait, when this kiosk
/// syncs; else the numbers this kiosk gave out today (in small print).
fn queue_line(service: &Service, context: &Context) -> (String, bool) {
    let heard = context.counts.waiting.get(&service.queue);
    let ahead = heard.map(|queue| queue.ahead);
    let wait = heard.and_then(|queue| expected_wait(queue.ahead, queue.pace));
    let open = context.availability(service).is_open();
    match wait_lines(ahead, wait, context).filter(|_| open) {
        // The server's figures say more than this kiosk's count, in the room of one line.
        Some(said) => match said.ahead {
            Some(ahead) => (format!("{ahead} · {}", said.wait), false),
            None => (said.wait, false),
        },
        None => {
            let taken = context
                .counts
                .by_queue
                .get(&service.queue)
                .copied()
                .unwrap_or(0);
            (
                context.fill(Text::TakenToday, &[("count", &taken.to_string())]),
                true,
            )
        }
    }
}
