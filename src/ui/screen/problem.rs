//! Problems in plain words with what to do. When the printer fails, the committed number and
//! its QR code are shown on screen so that nobody is turned away.

use iced::widget::text::Wrapping;
use iced::widget::{column, container, image, responsive, row, text};
use iced::{Alignment, Element, Length};

use super::{Context, TicketRoom};
use crate::ui::backend::IssueFailure;
use crate::ui::theme;
use crate::ui::widgets::{big_button, qr_picture};
use mpp_core::printer_state::PrinterState;
use mpp_core::schedule::Closure;
use mpp_core::strings::{Text, closure_text, printer_fix_text, printer_state_text};
use mpp_core::ticket::Ticket;

#[derive(Clone, Debug)]
pub enum Problem {
    /// The number exists but is not on paper.
    NotPrinted {
        ticket: Box<Ticket>,
        qr: image::Handle,
        printer: PrinterState,
    },
    /// The service stopped giving numbers between the tap and the transaction.
    Closed {
        day: chrono::NaiveDate,
        closure: Closure,
    },
    OutOfNumbers,
    /// Something only staff can fix.
    Fault,
}

#[derive(Clone, Debug)]
pub struct State {
    pub problem: Problem,
}

impl State {
    pub fn not_printed(ticket: Ticket, printer: PrinterState) -> Self {
        let qr = qr_picture(&ticket.qr_payload);
        Self {
            problem: Problem::NotPrinted {
                ticket: Box::new(ticket),
                qr,
                printer,
            },
        }
    }

    /// Something only staff can fix; what exactly went to the log.
    pub fn fault() -> Self {
        Self {
            problem: Problem::Fault,
        }
    }

    /// Why the store gave no number, in the terms the visitor is told.
    pub fn refused(failure: IssueFailure) -> Self {
        let problem = match failure {
            IssueFailure::Closed { day, closure } => Problem::Closed { day, closure },
            IssueFailure::OutOfNumbers => Problem::OutOfNumbers,
            IssueFailure::Fault(_) => Problem::Fault,
        };
        Self { problem }
    }

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

// The problem screen ends as the done screen does: the visitor taps "Selesai" (read the
// problem, done), or the screen goes home by itself.
pub use super::done::{Action, Message};

fn view<'a>(state: &'a State, context: &Context, room: TicketRoom) -> Element<'a, Message> {
    let finish = big_button(
        context.t(Text::Finish),
        theme::NAVY,
        Some(Message::Finish),
        context.sizes,
    );
    let body: Element<'a, Message> = match &state.problem {
        Problem::NotPrinted {
            ticket,
            qr,
            printer,
        } => not_printed(ticket, qr, *printer, finish, context, room),
        Problem::Closed { day, closure } => message(
            context.t(Text::ServiceClosedTitle),
            &closure_text(closure, *day, context.language),
            finish,
            context,
        ),
        Problem::OutOfNumbers => message(
            context.t(Text::TicketNotPrinted),
            context.t(Text::OutOfNumbers),
            finish,
            context,
        ),
        Problem::Fault => message(
            context.t(Text::TicketNotPrinted),
            context.t(Text::KioskProblem),
            finish,
            context,
        ),
    };
    container(container(body).padding(room.padding).max_width(1400))
        .center(Length::Fill)
        .into()
}

/// The number is committed but not on paper: it is shown, with its QR code, for the officer.
fn not_printed<'a>(
    ticket: &Ticket,
    qr: &image::Handle,
    printer: PrinterState,
    finish: Element<'a, Message>,
    context: &Context,
    room: TicketRoom,
) -> Element<'a, Message> {
    let sizes = context.sizes;
    let counter = context
        .catalog
        .service(&ticket.service)
        .map(|service| service.counter.get(context.language).to_owned())
        .unwrap_or_default();
    let number = column![
        text(context.t(Text::YourNumberIs)).size(sizes.body()),
        text(ticket.number.clone())
            .size(room.number_size(&ticket.number))
            .font(theme::BOLD)
            .wrapping(Wrapping::None),
        text(context.fill(Text::GoToCounter, &[("counter", &counter)]))
            .size(sizes.body())
            .font(theme::BOLD)
            .center(),
    ]
    .align_x(Alignment::Center)
    .width(Length::FillPortion(3));
    column![
        text(context.t(Text::TicketNotPrinted))
            .size(sizes.heading())
            .font(theme::BOLD)
            .center(),
        text(printer_state_text(printer).get(context.language))
            .size(sizes.body())
            .center(),
        row![number, image(qr.clone()).width(Length::Fixed(room.qr))]
            .spacing(room.spacing * 2.0)
            .align_y(Alignment::Center),
        container(
            text(context.t(Text::ShowToOfficer))
                .size(sizes.body())
                .font(theme::SEMIBOLD)
        )
        .padding(room.padding / 2.0 + 6.0)
        .width(Length::Fill)
        .style(|_| theme::panel(theme::AMBER, theme::INK)),
        text(printer_fix_text(printer).get(context.language))
            .size(sizes.small())
            .center(),
        finish,
    ]
    .spacing(room.spacing)
    .align_x(Alignment::Center)
    .into()
}

fn message<'a>(
    title: &str,
    body: &str,
    finish: Element<'a, Message>,
    context: &Context,
) -> Element<'a, Message> {
    column![
        text(title.to_owned())
            .size(context.sizes.heading())
            .font(theme::BOLD)
            .center(),
        text(body.to_owned()).size(context.sizes.body()).center(),
        finish,
    ]
    .spacing(32)
    .align_x(Alignment::Center)
    .into()
}
