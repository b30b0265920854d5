//! While the number is being taken and printed: clear progress, and the number as soon as it
//! is committed. The store's and the printer's answers come here, tagged with the request they
//! answer, and decide which screen follows.

use iced::widget::{column, container, text};
use iced::{Alignment, Element, Length, Task};

use super::{Context, done, problem};
use crate::ui::backend::{BackendError, IssueFailure, Printed};
use crate::ui::theme;
use mpp_core::ids::ServiceCode;
use mpp_core::printer_state::PrinterState;
use mpp_core::strings::Text;
use mpp_core::ticket::Ticket;
use mpp_station::printer::PrintOutcome;

#[derive(Clone, Debug, PartialEq)]
pub struct State {
    /// Which tap this screen is for: answers to any other are stale.
    pub request: u64,
    pub service: ServiceCode,
    /// Known once the number is committed.
    pub ticket: Option<Ticket>,
}

#[derive(Clone, Debug)]
pub enum Message {
    /// The store answered the request for a number.
    Issued(u64, Result<Ticket, IssueFailure>),
    /// The print job finished and its outcome was recorded.
    Printed(u64, Result<Printed, BackendError>),
}

/// What the app should do after a message.
pub enum Action {
    None,
    Run(Task<Message>),
    /// The number is committed: print it.
    Print(Ticket),
    /// The ticket is printed.
    ShowDone(Box<done::State>),
    /// No number, or a number not on paper.
    ShowProblem(Box<problem::State>),
}

impl State {
    pub fn new(request: u64, service: ServiceCode) -> Self {
        Self {
            request,
            service,
            ticket: None,
        }
    }

    /// `printer` is the latest known state, said when the print result cannot tell it.
    pub fn update(&mut self, message: Message, printer: PrinterState) -> Action {
        match message {
            Message::Issued(request, _) | Message::Printed(request, _)
                if request != self.request =>
            {
                tracing::warn!(request, "a stale answer was ignored");
                Action::None
            }
            Message::Issued(_, result) => self.issued(result),
            Message::Printed(_, result) => self.printed(result, printer),
        }
    }

    fn issued(&mut self, result: Result<Ticket, IssueFailure>) -> Action {
        match result {
            Ok(ticket) => {
                self.ticket = Some(ticket.clone());
                Action::Print(ticket)
            }
            Err(failure) => Action::ShowProblem(Box::new(problem::State::refused(failure))),
        }
    }

    fn printed(&mut self, result: Result<Printed, BackendError>, printer: PrinterState) -> Action {
        let problem = match result {
            Ok(printed) if printed.outcome.is_printed() => {
                return Action::ShowDone(Box::new(done::State::new(
                    printed.ticket,
                    printed.preview,
                )));
            }
            Ok(Printed {
                ticket, outcome, ..
            }) => {
                let state = match outcome {
                    PrintOutcome::NotPrinted { state } | PrintOutcome::Failed { state, .. } => {
                        state
                    }
                    _ => printer,
                };
                problem::State::not_printed(ticket, state)
            }
            // The number exists even if its print could not be recorded: show it.
            Err(_) => match self.ticket.take() {
                Some(ticket) => problem::State::not_printed(ticket, printer),
                None => problem::State::fault(),
            },
        };
        Action::ShowProblem(Box::new(problem))
    }

    pub fn view<'a, M: 'a>(&'a self, context: &Context) -> Element<'a, M> {
        let sizes = context.sizes;
        let mut body = column![
            text(context.t(Text::Printing))
                .size(sizes.heading())
                .font(theme::BOLD)
        ]
        .spacing(24)
        .align_x(Alignment::Center);
        if let Some(ticket) = &self.ticket {
            body = body
                .push(text(context.t(Text::NumberSaved)).size(sizes.body()))
                .push(
                    text(ticket.number.clone())
                        .size(sizes.number())
                        .font(theme::BOLD),
                );
        }
        container(body).center(Length::Fill).into()
    }
}
