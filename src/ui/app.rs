//! The kiosk application: which screen is on show, the visitor's language, the idle timer,
//! the printer's state, and the flow from a tap to a printed ticket.

use std::sync::Arc;
use std::time::Duration;

use iced::time::Instant;
use iced::widget::{column, container, text};
use iced::{Element, Event, Length, Subscription, Task, Theme, event, mouse, touch};

use super::backend::{Backend, IssueFailure, Printed};
use super::screen::{
    Context, Screen, agencies, detail, done, printing, problem, services, welcome,
};
use super::theme::{self, Sizes};
use crate::printer::PrintOutcome;
use crate::store::LiveCounts;
use mpp_core::lang::Language;
use mpp_core::numbering::Lane;
use mpp_core::printer_state::PrinterState;
use mpp_core::strings::Text;
use mpp_core::ticket::Ticket;
use mpp_core::validate::ValidCatalog;

/// The countdown shows for the last seconds before the screen returns to the start.
const COUNTDOWN: Duration = Duration::from_secs(10);
/// The done screen returns to the start on its own after this long.
const DONE_TIMEOUT: Duration = Duration::from_secs(20);

/// Settings of the screen from `[ui]` and `[mpp]`.
#[derive(Clone, Debug)]
pub struct Settings {
    pub mpp_name: String,
    pub default_language: Language,
    pub idle_timeout: Duration,
    pub high_contrast: bool,
}

pub struct Kiosk {
    backend: Backend,
    /// The catalog on screen, refreshed when sync brings a newer one.
    catalog: Arc<ValidCatalog>,
    settings: Settings,
    language: Language,
    screen: Screen,
    printer: PrinterState,
    counts: LiveCounts,
    /// Last touch, or when the current screen appeared.
    last_activity: Instant,
    /// The latest clock tick.
    now: Instant,
    /// A number is being issued or printed: further taps are ignored.
    busy: bool,
}

#[derive(Clone, Debug)]
pub enum Message {
    Welcome(welcome::Message),
    Agencies(agencies::Message),
    Services(services::Message),
    Detail(detail::Message),
    Done(done::Message),
    Problem(problem::Message),
    /// Somebody touched the screen (anywhere): the idle timer restarts.
    Touched,
    /// The one-second clock.
    Tick(Instant),
    /// The store answered a request for a number.
    Issued(Result<Ticket, IssueFailure>),
    /// The printer job finished and its outcome was recorded.
    Printed(Result<Printed, String>),
    /// Today's figures were read from the store.
    CountsLoaded(Result<LiveCounts, String>),
}

impl Kiosk {
    pub fn new(backend: Backend, settings: Settings) -> (Self, Task<Message>) {
        let now = Instant::now();
        let kiosk = Self {
            catalog: backend.catalog(),
            printer: backend.printer_state(),
            language: settings.default_language,
            backend,
            settings,
            screen: Screen::Welcome,
            counts: LiveCounts::default(),
            last_activity: now,
            now,
            busy: false,
        };
        let task = kiosk.load_counts();
        (kiosk, task)
    }

    pub fn backend(&self) -> &Backend {
        &self.backend
    }

    pub fn screen(&self) -> &Screen {
        &self.screen
    }

    pub fn language(&self) -> Language {
        self.language
    }

    pub fn is_busy(&self) -> bool {
        self.busy
    }

    pub fn title(&self) -> String {
        format!("mpp-kiosk · {}", self.settings.mpp_name)
    }

    pub fn theme(&self) -> Theme {
        theme::theme(self.settings.high_contrast)
    }

    fn load_counts(&self) -> Task<Message> {
        Task::perform(self.backend.clone().counts(), Message::CountsLoaded)
    }

    fn show(&mut self, screen: Screen) {
        tracing::debug!(from = self.screen.name(), to = screen.name(), "screen");
        self.screen = screen;
        self.mark_activity();
    }

    /// Activity is stamped with the real time (ticks come only once a second).
    fn mark_activity(&mut self) {
        self.last_activity = Instant::now().max(self.now);
    }

    /// A catalog synced from the server is shown from the start screen on, never in the middle
    /// of a visitor's path.
    fn adopt_new_catalog(&mut self) {
        let latest = self.backend.catalog();
        if !Arc::ptr_eq(&latest, &self.catalog) {
            tracing::info!(version = latest.version, "showing the new catalog");
            self.catalog = latest;
        }
    }

    fn back_to_start(&mut self) {
        self.adopt_new_catalog();
        self.language = self.settings.default_language;
        self.show(Screen::Welcome);
    }

    pub fn update(&mut self, message: Message) -> Task<Message> {
        match message {
            Message::Welcome(message) => self.on_welcome(message),
            Message::Agencies(message) => self.on_agencies(message),
            Message::Services(message) => self.on_services(message),
            Message::Detail(message) => return self.on_detail(message),
            Message::Done(done::Message::Finish) | Message::Problem(problem::Message::Finish) => {
                if !self.busy {
                    self.back_to_start();
                }
            }
            Message::Touched => self.mark_activity(),
            Message::Tick(now) => self.on_tick(now),
            Message::Issued(result) => return self.on_issued(result),
            Message::Printed(result) => return self.on_printed(result),
            Message::CountsLoaded(Ok(counts)) => self.counts = counts,
            Message::CountsLoaded(Err(error)) => {
                tracing::warn!(%error, "cannot read today's figures")
            }
        }
        Task::none()
    }

    fn on_welcome(&mut self, message: welcome::Message) {
        if !matches!(self.screen, Screen::Welcome) {
            return;
        }
        match welcome::update(message) {
            welcome::Action::Start => self.show(Screen::Agencies(agencies::State::default())),
            welcome::Action::SetLanguage(language) => self.language = language,
        }
    }

    fn on_agencies(&mut self, message: agencies::Message) {
        let Screen::Agencies(state) = &mut self.screen else {
            return;
        };
        match agencies::update(state, message) {
            agencies::Action::None => self.mark_activity(),
            agencies::Action::Open(agency) => {
                self.show(Screen::Services(services::State { agency, page: 0 }))
            }
            agencies::Action::Back => self.back_to_start(),
        }
    }

    fn on_services(&mut self, message: services::Message) {
        let Screen::Services(state) = &mut self.screen else {
            return;
        };
        match services::update(state, message) {
            services::Action::None => self.mark_activity(),
            services::Action::Open(service) => self.show(Screen::Detail(detail::State { service })),
            services::Action::Back => self.show(Screen::Agencies(agencies::State::default())),
        }
    }

    fn on_detail(&mut self, message: detail::Message) -> Task<Message> {
        let Screen::Detail(state) = &self.screen else {
            return Task::none();
        };
        match detail::update(state, message) {
            detail::Action::Back => {
                let agency = self
                    .catalog
                    .service(&state.service)
                    .map(|service| service.agency.clone())
                    .unwrap_or_default();
                self.show(Screen::Services(services::State { agency, page: 0 }));
                Task::none()
            }
            detail::Action::Take(service, lane) => self.take_number(service, lane),
        }
    }

    /// One tap, one ticket: while a number is on its way every further tap is ignored.
    fn take_number(&mut self, service: String, lane: Lane) -> Task<Message> {
        if self.busy {
            return Task::none();
        }
        self.busy = true;
        let issuing = self.backend.clone().issue(service.clone(), lane);
        self.show(Screen::Printing(printing::State {
            service,
            ticket: None,
        }));
        Task::perform(issuing, Message::Issued)
    }

    fn on_issued(&mut self, result: Result<Ticket, IssueFailure>) -> Task<Message> {
        match result {
            Ok(ticket) => {
                if let Screen::Printing(state) = &mut self.screen {
                    state.ticket = Some(ticket.clone());
                }
                Task::batch([
                    Task::perform(self.backend.clone().print(ticket), Message::Printed),
                    self.load_counts(),
                ])
            }
            Err(failure) => {
                self.busy = false;
                let problem = match failure {
                    IssueFailure::Closed { day, closure } => {
                        problem::Problem::Closed { day, closure }
                    }
                    IssueFailure::OutOfNumbers => problem::Problem::OutOfNumbers,
                    IssueFailure::Fault(_) => problem::Problem::Fault,
                };
                self.show(Screen::Problem(problem::State { problem }));
                self.load_counts()
            }
        }
    }

    fn on_printed(&mut self, result: Result<Printed, String>) -> Task<Message> {
        self.busy = false;
        self.printer = self.backend.printer_state();
        let committed = match &self.screen {
            Screen::Printing(state) => state.ticket.clone(),
            _ => None,
        };
        match result {
            Ok(printed) if printed.outcome.is_printed() => self.show(Screen::Done(
                done::State::new(printed.ticket, printed.preview),
            )),
            Ok(Printed {
                ticket, outcome, ..
            }) => {
                let state = match outcome {
                    PrintOutcome::NotPrinted { state } | PrintOutcome::Failed { state, .. } => {
                        state
                    }
                    _ => self.printer,
                };
                self.show(Screen::Problem(problem::State::not_printed(ticket, state)));
            }
            Err(_) => match committed {
                // The number exists even if its print could not be recorded: show it.
                Some(ticket) => self.show(Screen::Problem(problem::State::not_printed(
                    ticket,
                    self.printer,
                ))),
                None => self.show(Screen::Problem(problem::State {
                    problem: problem::Problem::Fault,
                })),
            },
        }
        Task::none()
    }

    fn on_tick(&mut self, now: Instant) {
        self.now = now;
        self.printer = self.backend.printer_state();
        if matches!(self.screen, Screen::Welcome) {
            self.adopt_new_catalog();
        }
        if self.busy || matches!(self.screen, Screen::Welcome) {
            return;
        }
        let idle = now.saturating_duration_since(self.last_activity);
        let limit = if matches!(self.screen, Screen::Done(_)) {
            DONE_TIMEOUT.min(self.settings.idle_timeout)
        } else {
            self.settings.idle_timeout
        };
        if idle >= limit {
            self.back_to_start();
        }
    }

    /// Seconds left before returning to the start, when the countdown is showing.
    pub fn countdown(&self) -> Option<u64> {
        if self.busy || matches!(self.screen, Screen::Welcome | Screen::Done(_)) {
            return None;
        }
        let idle = self.now.saturating_duration_since(self.last_activity);
        let left = self.settings.idle_timeout.saturating_sub(idle);
        (left <= COUNTDOWN).then(|| left.as_millis().div_ceil(1000).max(1) as u64)
    }

    pub fn subscription(&self) -> Subscription<Message> {
        Subscription::batch([
            iced::time::every(Duration::from_secs(1)).map(Message::Tick),
            event::listen_with(touched),
        ])
    }

    pub fn context(&self) -> Context<'_> {
        let zone = self.backend.time_zone();
        Context {
            catalog: &self.catalog,
            language: self.language,
            sizes: Sizes::new(self.settings.high_contrast),
            high_contrast: self.settings.high_contrast,
            counts: &self.counts,
            local_now: zone.local(self.backend.now()),
            printer: self.printer,
            mpp_name: &self.settings.mpp_name,
        }
    }
}

/// Any press of a finger or mouse button counts as activity, whatever it lands on.
fn touched(event: Event, _status: event::Status, _window: iced::window::Id) -> Option<Message> {
    match event {
        Event::Touch(touch::Event::FingerPressed { .. })
        | Event::Mouse(mouse::Event::ButtonPressed(_)) => Some(Message::Touched),
        _ => None,
    }
}

pub fn view(kiosk: &Kiosk) -> Element<'_, Message> {
    let context = kiosk.context();
    let screen = screen_view(kiosk, context);
    match kiosk.countdown() {
        Some(seconds) => {
            let sizes = Sizes::new(kiosk.settings.high_contrast);
            let language = kiosk.language;
            let warning = format!(
                "{} {seconds} {}. {}",
                Text::ReturningIn.get(language),
                Text::Seconds.get(language),
                Text::TouchToContinue.get(language)
            );
            column![
                container(text(warning).size(sizes.body()).font(theme::BOLD))
                    .padding(16)
                    .width(Length::Fill)
                    .style(|_| theme::banner(theme::AMBER, theme::INK)),
                screen,
            ]
            .into()
        }
        None => screen,
    }
}

fn screen_view<'a>(kiosk: &'a Kiosk, context: Context<'a>) -> Element<'a, Message> {
    let context = &context;
    match &kiosk.screen {
        Screen::Welcome => welcome::view(context).map(Message::Welcome),
        Screen::Agencies(state) => agencies::view(state, context).map(Message::Agencies),
        Screen::Services(state) => services::view(state, context).map(Message::Services),
        Screen::Detail(state) => detail::view(state, context).map(Message::Detail),
        Screen::Printing(state) => printing::view(state, context),
        Screen::Done(state) => done::view(state, context).map(Message::Done),
        Screen::Problem(state) => problem::view(state, context).map(Message::Problem),
    }
}
