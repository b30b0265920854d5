//! Problems in plain words with what to do. When the printer fails, the committed number and
//! its QR code are shown on screen so that nobody is turned away.

use iced::widget::{column, container, image, row, text};
use iced::{Alignment, Element, Length};

use super::Context;
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
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Message {
    Finish,
}

pub fn view<'a>(state: &'a State, context: &Context) -> Element<'a, Message> {
    let sizes = context.sizes;
    let finish = big_button(
        context.t(Text::Finish),
        theme::NAVY,
        Some(Message::Finish),
        context,
    );
    let body: Element<'a, Message> = match &state.problem {
        Problem::NotPrinted {
            ticket,
            qr,
            printer,
        } => {
            let counter = context
                .catalog
                .service(&ticket.service)
                .map(|service| service.counter.get(context.language).to_owned())
                .unwrap_or_default();
            column![
                text(context.t(Text::TicketNotPrinted))
                    .size(sizes.heading())
                    .font(theme::BOLD),
                text(printer_state_text(*printer).get(context.language)).size(sizes.body()),
                row![
                    column![
                        text(context.t(Text::YourNumberIs)).size(sizes.body()),
                        text(ticket.number.clone())
                            .size(sizes.number())
                            .font(theme::BOLD),
                        text(format!("{} {counter}", context.t(Text::GoToCounter)))
                            .size(sizes.body())
                            .font(theme::BOLD),
                    ]
                    .align_x(Alignment::Center)
                    .width(Length::FillPortion(3)),
                    image(qr.clone()).width(Length::Fixed(260.0 * sizes.scale)),
                ]
                .spacing(32)
                .align_y(Alignment::Center),
                container(
                    text(context.t(Text::ShowToOfficer))
                        .size(sizes.body())
                        .font(theme::SEMIBOLD)
                )
                .padding(20)
                .width(Length::Fill)
                .style(|_| theme::panel(theme::AMBER, theme::INK)),
                text(printer_fix_text(*printer).get(context.language)).size(sizes.small()),
                finish,
            ]
            .spacing(24)
            .align_x(Alignment::Center)
            .into()
        }
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
    container(container(body).padding(40).max_width(1400))
        .center(Length::Fill)
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
