//! The satisfaction survey (SKM) at the kiosk: the ticket's number and code, the nine
//! questions one per screen, the optional facts and suggestion, and thanks. One module per
//! screen; this one moves the visitor between them and holds the answers given so far (the
//! [`Draft`]), which are dropped when the visitor leaves or the idle timer returns to the
//! start. Nothing is stored until Finish; then the answers go to the store, which needs no
//! network.

pub mod entry;
mod faces;
pub mod facts;
pub mod keypad;
pub mod question;
pub mod suggestion;
pub mod thanks;

use std::collections::BTreeMap;

use iced::widget::{container, text};
use iced::{Alignment, Element, Length, Size};

use super::Context;
use crate::ui::backend::BackendError;
use crate::ui::theme::{self, Sizes};
use crate::ui::widgets::tap;
use mpp_core::lang::Language;
use mpp_core::survey::eligibility::Eligibility;
use mpp_core::survey::respondent::Respondent;
use mpp_core::survey::scan::ScanProblem;
use mpp_core::survey::{Answers, Element as SurveyElement, Rating};
use mpp_core::ticket::Ticket;
use mpp_station::store::{NewResponse, Recorded};

/// What the visitor has answered so far, about one ticket.
#[derive(Clone, Debug, PartialEq)]
pub struct Draft {
    pub ticket: Ticket,
    pub answers: BTreeMap<SurveyElement, Rating>,
    pub respondent: Respondent,
    /// As typed; checked on Finish.
    pub suggestion: String,
}

impl Draft {
    fn new(ticket: Ticket) -> Self {
        Self {
            ticket,
            answers: BTreeMap::new(),
            respondent: Respondent::default(),
            suggestion: String::new(),
        }
    }
}

/// The screen of the survey on show.
#[derive(Clone, Debug, PartialEq)]
pub enum Step {
    Entry(entry::State),
    Question(question::State),
    Facts(facts::State),
    Suggestion(suggestion::State),
    Thanks(thanks::State),
}

#[derive(Clone, Debug, PartialEq)]
pub struct State {
    pub step: Step,
    /// Set once the ticket is accepted.
    pub draft: Option<Draft>,
    /// Days a ticket may be rated on, for the "too old" words.
    window_days: u32,
}

#[derive(Clone, Debug)]
pub enum Message {
    Entry(entry::Message),
    Question(question::Message),
    Facts(facts::Message),
    Suggestion(suggestion::Message),
    Thanks(thanks::Message),
    /// The store's decision on the number and code typed.
    Checked(Result<Eligibility, BackendError>),
    /// The decision on a ticket the scanner read: its link refused, or the store's.
    ScanChecked(Result<Result<Eligibility, ScanProblem>, BackendError>),
    /// The store kept the response, or found the ticket answered already.
    Saved(Result<Recorded, BackendError>),
}

/// What the app should do after a message.
pub enum Action {
    None,
    /// Ask the store whether this ticket may be rated.
    Check {
        number: String,
        code: String,
        window_days: u32,
    },
    /// Store the finished response.
    Save(NewResponse),
    /// Back to the start screen.
    Home,
}

impl State {
    pub fn new(window_days: u32) -> Self {
        Self {
            step: Step::Entry(entry::State::default()),
            draft: None,
            window_days,
        }
    }

    /// The survey with a scanned ticket being checked, its answer to come as
    /// [`Message::ScanChecked`].
    pub fn scanning(window_days: u32) -> Self {
        Self {
            step: Step::Entry(entry::State::scanning()),
            draft: None,
            window_days,
        }
    }

    /// A scanned ticket may start a survey now: on the entry (nothing being checked) or once
    /// the last visitor's survey is over; never over someone's half-answered survey.
    pub fn accepts_scan(&self) -> bool {
        match &self.step {
            Step::Entry(entry) => entry.accepts_scan(),
            Step::Thanks(_) => true,
            Step::Question(_) | Step::Facts(_) | Step::Suggestion(_) => false,
        }
    }

    /// A stable name of the screen on show, for logs and tests.
    pub fn name(&self) -> &'static str {
        match self.step {
            Step::Entry(_) => "survey entry",
            Step::Question(_) => "survey question",
            Step::Facts(_) => "survey facts",
            Step::Suggestion(_) => "survey suggestion",
            Step::Thanks(_) => "survey thanks",
        }
    }

    /// The survey is over: the screen returns to the start soon.
    pub fn is_finished(&self) -> bool {
        matches!(self.step, Step::Thanks(_))
    }

    pub fn update(&mut self, message: Message, language: Language) -> Action {
        match message {
            Message::Entry(message) => self.on_entry(message),
            Message::Checked(result) => {
                self.on_checked(result);
                Action::None
            }
            Message::ScanChecked(Ok(Err(problem))) => {
                self.on_scan_refused(problem);
                Action::None
            }
            Message::ScanChecked(Ok(Ok(eligibility))) => {
                self.on_checked(Ok(eligibility));
                Action::None
            }
            Message::ScanChecked(Err(error)) => {
                self.on_checked(Err(error));
                Action::None
            }
            Message::Question(message) => self.on_question(message),
            Message::Facts(message) => {
                self.on_facts(message);
                Action::None
            }
            Message::Suggestion(message) => self.on_suggestion(message, language),
            Message::Saved(result) => {
                self.on_saved(result);
                Action::None
            }
            Message::Thanks(thanks::Message::Home) => Action::Home,
        }
    }

    fn on_entry(&mut self, message: entry::Message) -> Action {
        let Step::Entry(entry) = &mut self.step else {
            return Action::None;
        };
        match entry.update(message) {
            entry::Action::None => Action::None,
            entry::Action::Check { number, code } => Action::Check {
                number,
                code,
                window_days: self.window_days,
            },
            entry::Action::Home => Action::Home,
        }
    }

    fn on_checked(&mut self, result: Result<Eligibility, BackendError>) {
        let Step::Entry(entry) = &mut self.step else {
            return;
        };
        match result {
            Ok(Eligibility::Open(ticket)) => {
                tracing::info!("survey started");
                self.draft = Some(Draft::new(*ticket));
                self.step = Step::Question(question::State { index: 0 });
            }
            Ok(refused) => entry.refused(&refused, self.window_days),
            Err(error) => {
                tracing::error!(%error, "cannot check a ticket for the survey");
                entry.check_failed();
            }
        }
    }

    fn on_scan_refused(&mut self, problem: ScanProblem) {
        if let Step::Entry(entry) = &mut self.step {
            tracing::info!(%problem, "a scanned code did not start the survey");
            entry.refused_scan(problem);
        }
    }

    fn on_question(&mut self, message: question::Message) -> Action {
        let (Step::Question(question), Some(draft)) = (&mut self.step, &mut self.draft) else {
            return Action::None;
        };
        let index = question.index;
        match question.update(message, draft) {
            question::Action::Next if index + 1 < SurveyElement::ALL.len() => {
                self.step = Step::Question(question::State { index: index + 1 });
            }
            question::Action::Next => self.step = Step::Facts(facts::State { index: 0 }),
            question::Action::Back if index > 0 => {
                self.step = Step::Question(question::State { index: index - 1 });
            }
            // Back from the first question leaves the survey: nothing was kept.
            question::Action::Back => return Action::Home,
        }
        Action::None
    }

    fn on_facts(&mut self, message: facts::Message) {
        let (Step::Facts(facts), Some(draft)) = (&mut self.step, &mut self.draft) else {
            return;
        };
        let index = facts.index;
        self.step = match facts.update(message, draft) {
            facts::Action::Next if index + 1 < facts::Fact::ALL.len() => {
                Step::Facts(facts::State { index: index + 1 })
            }
            facts::Action::Next => Step::Suggestion(suggestion::State::default()),
            facts::Action::Back if index > 0 => Step::Facts(facts::State { index: index - 1 }),
            facts::Action::Back => Step::Question(question::State {
                index: SurveyElement::ALL.len() - 1,
            }),
        };
    }

    fn on_suggestion(&mut self, message: suggestion::Message, language: Language) -> Action {
        let (Step::Suggestion(state), Some(draft)) = (&mut self.step, &mut self.draft) else {
            return Action::None;
        };
        match state.update(message, draft) {
            suggestion::Action::None => Action::None,
            suggestion::Action::Back => {
                self.step = Step::Facts(facts::State {
                    index: facts::Fact::ALL.len() - 1,
                });
                Action::None
            }
            suggestion::Action::Finish(suggestion) => match Answers::complete(&draft.answers) {
                Ok(answers) => Action::Save(NewResponse {
                    ticket_id: draft.ticket.id.clone(),
                    answers,
                    respondent: draft.respondent,
                    suggestion,
                    language,
                }),
                // Cannot happen through the screens (every question moves on only when
                // answered); said rather than stored half.
                Err(error) => {
                    tracing::error!(%error, "a survey reached Finish unanswered");
                    state.save_failed();
                    Action::None
                }
            },
        }
    }

    fn on_saved(&mut self, result: Result<Recorded, BackendError>) {
        let Step::Suggestion(state) = &mut self.step else {
            return;
        };
        match result {
            Ok(recorded) => {
                self.step = Step::Thanks(thanks::State {
                    already_answered: recorded == Recorded::AlreadyAnswered,
                });
                // The answers are in the store now (or were refused): none is kept here.
                self.draft = None;
            }
            Err(_) => state.save_failed(),
        }
    }

    pub fn view<'a>(&'a self, context: &Context<'a>) -> Element<'a, Message> {
        match (&self.step, &self.draft) {
            (Step::Entry(state), _) => state.view(context).map(Message::Entry),
            (Step::Question(state), Some(draft)) => {
                state.view(draft, context).map(Message::Question)
            }
            (Step::Facts(state), Some(draft)) => state.view(draft, context).map(Message::Facts),
            (Step::Suggestion(state), Some(draft)) => {
                state.view(draft, context).map(Message::Suggestion)
            }
            (Step::Thanks(state), _) => state.view(context).map(Message::Thanks),
            // A step past the entry always has its draft.
            (_, None) => text("").into(),
        }
    }
}

/// The filled key that ends a form (Continue, Finish), greyed out without a message.
fn action_key<'a, M: Clone + 'a>(label: &str, message: Option<M>, sizes: Sizes) -> Element<'a, M> {
    let colour = if message.is_some() {
        theme::GREEN
    } else {
        theme::DISABLED
    };
    let face = container(
        text(format!("{label}  ›"))
            .size(sizes.body())
            .font(theme::BOLD)
            .center(),
    )
    .align_x(Alignment::Center)
    .align_y(Alignment::Center)
    .width(Length::Fill)
    .height(Length::Fill)
    .style(move |_| theme::panel(colour, theme::WHITE));
    tap(face, message)
}

/// The height of a row of `keys` on a screen of `size`, when `others` pixels go to the rest
/// of the page: a finger's height at least, the theme's target at most.
fn key_height(size: Size, sizes: Sizes, keys: keypad::Keys, others: f32) -> f32 {
    let rows = keys.row_count() as f32;
    ((size.height - others * sizes.scale) / rows - 6.0).clamp(keypad::LEAST_KEY, sizes.target())
}
