//! The number, very large, where to go, the QR code, and "please take your ticket".

use iced::widget::text::Wrapping;
use iced::widget::{column, container, image, responsive, row, text};
use iced::{Alignment, Element, Length, Task};

use super::wait_lines::wait_lines;
use super::{Context, TicketRoom};
use crate::ui::theme;
use crate::ui::widgets::{big_button, qr_picture};
use mpp_core::strings::Text;
use mpp_core::ticket::Ticket;

#[derive(Clone, Debug)]
pub struct State {
    pub ticket: Ticket,
    /// The picture beside the number: the virtual printer's ticket when there is one, else
    /// the QR code.
    pub picture: image::Handle,
    pub is_preview: bool,
}

impl State {
    pub fn new(ticket: Ticket, preview: Option<image::Handle>) -> Self {
        let is_preview = preview.is_some();
        let picture = preview.unwrap_or_else(|| qr_picture(&ticket.qr_payload));
        Self {
            ticket,
            picture,
            is_preview,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Message {
    /// The visitor is done.
    Finish,
}

/// What the app should do after a message.
pub enum Action {
    None,
    Run(Task<Message>),
    /// Back to the start screen for the next visitor.
    Home,
}

impl State {
    pub fn update(&mut self, message: Message) -> Action {
        match message {
            Message::Finish => Action::Home,
        }
    }

    pub fn view<'a>(&'a self, context: &Context<'a>) -> Element<'a, Message> {
        let context = context.clone();
        responsive(move |size| view(self, &context, TicketRoom::for_screen(size, context.sizes)))
            .into()
    }
}

fn view<'a>(state: &'a State, context: &Context, room: TicketRoom) -> Element<'a, Message> {
    let sizes = context.sizes;
    let ticket = &state.ticket;
    let counter = context
        .catalog
        .service(&ticket.service)
        .map(|service| service.counter.get(context.language).to_owned())
        .unwrap_or_default();
    let service = context
        .catalog
        .service(&ticket.service)
        .map_or(ticket.service.to_string(), |s| {
            s.name.get(context.language).to_owned()
        });
    let mut number = column![
        text(context.t(Text::YourNumberIs)).size(sizes.body()),
        text(ticket.number.clone())
            .size(room.number_size(&ticket.number))
            .font(theme::BOLD)
            .wrapping(Wrapping::None),
    ]
    .align_x(Alignment::Center)
    .spacing(room.spacing / 2.0);
    if ticket.lane.is_priority() {
        number = number.push(
            text(context.t(Text::PriorityTicket))
                .size(sizes.body())
                .font(theme::BOLD),
        );
    }
    let mut number = number.push(text(service).size(sizes.body()).center()).push(
        text(context.fill(Text::GoToCounter, &[("counter", &counter)]))
            .size(sizes.heading())
            .font(theme::BOLD)
            .center(),
    );
    // As the ticket says it: the people ahead large, the wait below.
    if let Some(said) = wait_lines(ticket.people_ahead, ticket.expected_wait, context) {
        if let Some(ahead) = said.ahead {
            number = number.push(text(ahead).size(sizes.heading()).font(theme::BOLD).center());
        }
        number = number.push(text(said.wait).size(sizes.body()).center());
    }
    let body = column![
            row![
                container(number)
                    .width(Length::FillPortion(3))
                    .center_x(Length::FillPortion(3)),
                picture(state, room),
            ]
            .spacing(room.spacing)
            .height(Length::Fill)
            .align_y(Alignment::Center),
            // An instruction, not a button: plain text, smaller than the one action below it.
            text(format!("↓ {}", context.t(Text::PleaseTakeTicket)))
                .size(sizes.body())
                .font(theme::BOLD)
                .center()
                .width(Length::Fill),
            big_button(
                context.t(Text::Finish),
                theme::NAVY,
                Some(Message::Finish),
                sizes
            ),
            text(
                context
                    .leaving_in
                    .map(|seconds| context
                        .fill(Text::ReturningIn, &[("seconds", &seconds.to_string())]))
                    .unwrap_or_default()
            )
            .size(sizes.small())
            .center()
            .width(Length::Fill),
        ]
    .spacing(room.spacing)
    .padding(room.padding)
    .align_x(Alignment::Center);
    container(body).center(Length::Fill).into()
}

fn picture<'a>(state: &'a State, room: TicketRoom) -> Element<'a, Message> {
    if state.is_preview {
        // The printed ticket, as on paper, for the demo's virtual printer: as tall as the row.
        container(image(state.picture.clone()).height(Length::Fill))
            .height(Length::Fill)
            .max_height(room.preview)
            .into()
    } else {
        image(state.picture.clone())
            .width(Length::Fixed(room.qr))
            .into()
    }
}
