//! What a service needs, before a number is taken: requirements, procedure, time, fee,
//! product, counter, and how many numbers were taken today. Then the buttons to take one.

use iced::widget::{column, container, responsive, row, scrollable, text};
use iced::{Alignment, Element, Length, Size, Task};

use super::Context;
use super::availability_text::state_line;
use super::wait_lines::wait_lines;
use crate::ui::theme;
use crate::ui::widgets::{big_button, header, header_sized, section};
use mpp_core::catalog::Service;
use mpp_core::ids::ServiceCode;
use mpp_core::numbering::Lane;
use mpp_core::strings::{Text, fee_text};
use mpp_core::wait::expected_wait;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct State {
    pub service: ServiceCode,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Message {
    /// The visitor asked for a number in this lane.
    Take(Lane),
    /// The visitor wants the list of services again.
    Back,
}

/// What the app should do after a message.
pub enum Action {
    None,
    Run(Task<Message>),
    /// Issue and print a number of this service in this lane.
    TakeNumber(ServiceCode, Lane),
    Back,
}

impl State {
    pub fn update(&mut self, message: Message) -> Action {
        match message {
            Message::Take(lane) => Action::TakeNumber(self.service.clone(), lane),
            Message::Back => Action::Back,
        }
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
            let compact = size.height < SHORT * context.sizes.scale;
            // On a short screen a long name in the title would leave no room for what it needs.
            let title_size = if compact {
                context.sizes.body() * 1.15
            } else {
                context.sizes.heading()
            };
            column![
                header_sized(
                    service.name.get(context.language),
                    title_size,
                    back,
                    Message::Back,
                    context.sizes
                ),
                body(service, &context, size, compact),
            ]
            .into()
        })
        .into()
    }
}

/// Below this height the screen is set closer together.
const SHORT: f32 = 700.0;

/// On a wide landscape screen (`size` is the whole screen) the information and the buttons
/// sit side by side, so the
/// requirements get the whole height; on a portrait one the buttons go below.
fn body<'a>(
    service: &'a Service,
    context: &Context<'a>,
    size: Size,
    compact: bool,
) -> Element<'a, Message> {
    let information = container(scrollable(information(service, context)).height(Length::Fill))
        .padding([if compact { 8.0 } else { 16.0 }, 24.0])
        .height(Length::Fill);
    if size.width >= size.height * 1.2 && size.width >= 1200.0 * context.sizes.scale {
        row![
            information.width(Length::FillPortion(3)),
            container(actions(service, context, Arrangement::Stacked, compact))
                .padding([16.0, 24.0])
                .width(Length::FillPortion(2))
                .height(Length::Fill)
                .align_y(Alignment::End),
        ]
        .into()
    } else {
        column![
            information,
            actions(service, context, Arrangement::SideBySide, compact)
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

fn information<'a>(service: &Service, context: &Context<'a>) -> Element<'a, Message> {
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
    let facts = vec![
        format!(
            "{}: {}",
            context.t(Text::Fee),
            fee_text(&service.fee, language)
        ),
        format!(
            "{}: {}",
            context.t(Text::Duration),
            service.duration.get(language)
        ),
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
    ];
    let mut body = column![
        section(
            context.t(Text::Requirements),
            texts(&service.requirements),
            true,
            context.sizes
        ),
        section(
            context.t(Text::Procedure),
            texts(&service.procedure),
            true,
            context.sizes
        ),
        section("", facts, false, context.sizes),
    ]
    .spacing(24)
    .padding([0.0, 8.0]);
    if let Some(note) = &service.note {
        body = body.push(
            container(text(note.get(language).to_owned()).size(context.sizes.body()))
                .padding(16)
                .width(Length::Fill)
                .style(|_| theme::panel(theme::AMBER, theme::INK)),
        );
    }
    body.into()
}

fn actions<'a>(
    service: &Service,
    context: &Context<'a>,
    arrangement: Arrangement,
    compact: bool,
) -> Element<'a, Message> {
    let sizes = context.sizes;
    let open = context.availability(service).is_open();
    let (state, colour) = state_line(service, context);
    let taken = context
        .counts
        .by_queue
        .get(&service.queue)
        .copied()
        .unwrap_or(0);
    let regular = big_button(
        context.t(Text::TakeNumber),
        theme::GREEN,
        open.then_some(Message::Take(Lane::Regular)),
        context.sizes,
    );
    let priority = service.priority.then(|| {
        column![
            big_button(
                context.t(Text::TakePriority),
                theme::NAVY,
                open.then_some(Message::Take(Lane::Priority)),
                context.sizes
            ),
            text(context.t(Text::PriorityWho)).size(sizes.small()),
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
    let high_contrast = context.high_contrast;
    container(
        column![
            text(format!(
                "{}: {}  ·  {}: {}",
                context.t(Text::Fee),
                fee_text(&service.fee, context.language),
                context.t(Text::Duration),
                service.duration.get(context.language)
            ))
            .size(sizes.body())
            .font(theme::BOLD),
            text(state).size(sizes.body()).color(colour),
            queue_lines(service, taken, context),
            text(context.t(Text::BringDocuments))
                .size(sizes.small())
                .font(theme::SEMIBOLD),
            buttons,
        ]
        .spacing(if compact { 4 } else { 10 }),
    )
    .padding(if compact { 16 } else { 24 })
    .width(Length::Fill)
    .style(move |_| theme::card(high_contrast))
    .into()
}

/// What a regular number taken now would have ahead of it and the wait, when this kiosk
/// syncs; else the numbers this kiosk gave out today.
fn queue_lines<'a>(service: &Service, taken: u32, context: &Context) -> Element<'a, Message> {
    let sizes = context.sizes;
    let taken = context.fill(Text::TakenToday, &[("count", &taken.to_string())]);
    let heard = context.counts.waiting.get(&service.queue);
    let ahead = heard.map(|queue| queue.ahead);
    let wait = heard.and_then(|queue| expected_wait(queue.ahead, queue.pace));
    let open = context.availability(service).is_open();
    match wait_lines(ahead, wait, context).filter(|_| open) {
        // The server's figures say more than this kiosk's count, in the room of one line.
        Some(said) => {
            let line = match said.ahead {
                Some(ahead) => format!("{ahead} · {}", said.wait),
                None => said.wait,
            };
            text(line).size(sizes.body()).font(theme::SEMIBOLD).into()
        }
        None => text(taken).size(sizes.small()).into(),
    }
}
