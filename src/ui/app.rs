//! The kiosk application: which screen is on show (and the ones to go back to), the visitor's
//! language, the idle timer, the printer's state, and the flow from a tap to a printed ticket.
//! Screens decide; the app carries out their actions and turns the backend's futures into tasks.
//! The technician's pad and menu are wired in `app/maintenance.rs`.

mod idle;
mod maintenance;
mod scan;
mod speech;

use std::sync::Arc;
use std::time::Duration;

use iced::time::Instant;
use iced::widget::{responsive, stack};
use iced::{Element, Event, Subscription, Task, Theme, event, mouse, touch};

use super::backend::{Backend, BackendError};
use super::full_screen::{self, FullScreen};
use super::screen::{
    Context, Screen, agencies, detail, done, maintenance as menu, pin_pad, printing, problem,
    services, survey, welcome,
};
use super::theme::{self, Sizes};
use super::watched;
use mpp_core::ids::ServiceCode;
use mpp_core::issue_hold::IssueHold;
use mpp_core::lang::Language;
use mpp_core::numbering::Lane;
use mpp_core::printer_state::PrinterState;
use mpp_core::validate::ValidCatalog;
use mpp_station::store::LiveCounts;

/// The countdown shows for the last seconds before the screen returns to the start.
const COUNTDOWN: Duration = Duration::from_secs(10);
/// The done screen returns to the start on its own after this long.
const DONE_TIMEOUT: Duration = Duration::from_secs(20);
/// Today's figures are read again at least this often, besides after each ticket: a new
/// business day, or a service closed over SSH (`mpp-kiosk service close`), shows within it.
const COUNTS_REFRESH: Duration = Duration::from_secs(60);
/// While a visitor reads the lists or a service, more often: a service closed from another
/// kiosk or over SSH shows as closed before they tap "take a number", not after.
const COUNTS_REFRESH_BROWSING: Duration = Duration::from_secs(10);

/// After a number fails for a fault, the kiosk says it cannot give numbers for this long, then
/// lets a visitor try again (the fault may have passed: a full disk freed, a lock released).
const FAULT_HOLD: Duration = Duration::from_secs(120);

/// Settings of the screen from `[ui]` and `[mpp]`.
#[derive(Clone, Debug)]
pub struct Settings {
    pub mpp_name: String,
    pub default_language: Language,
    pub idle_timeout: Duration,
    pub high_contrast: bool,
    /// Fill the output, whatever size the window was asked to be.
    pub fullscreen: bool,
    /// The satisfaction survey's window in days (`[survey] window_days`); `None` when off.
    pub survey_days: Option<u32>,
    /// The kiosk syncs with a server (`[sync] enabled`).
    pub syncs: bool,
    /// The technician's menu: when it closes itself, and what its pages show.
    pub maintenance: MenuSettings,
    /// Speech mode (`[speech]`), where it is on.
    pub speech: Option<mpp_station::config::SpeechSection>,
}

/// The technician's menu's settings.
#[derive(Clone, Debug)]
pub struct MenuSettings {
    /// Without a touch for this long, the menu returns to the welcome screen.
    pub timeout: Duration,
    pub facts: menu::Facts,
}

impl Default for MenuSettings {
    fn default() -> Self {
        Self {
            timeout: Duration::from_secs(180),
            facts: menu::Facts::default(),
        }
    }
}

pub struct Kiosk {
    backend: Backend,
    /// The catalog on screen.
    catalog: Arc<ValidCatalog>,
    /// A newer catalog from sync, shown from the next start screen on.
    next_catalog: Option<Arc<ValidCatalog>>,
    settings: Settings,
    language: Language,
    screen: Screen,
    /// The screens Back returns to, as the visitor left them (the page they were on).
    history: Vec<Screen>,
    printer: PrinterState,
    counts: LiveCounts,
    /// Last touch, or when the current screen appeared.
    last_activity: Instant,
    /// When today's figures were last asked for.
    counts_asked: Instant,
    /// The latest clock tick.
    now: Instant,
    /// The id of the next request for a number.
    next_request: u64,
    full_screen: FullScreen,
    /// The ticket scanner's state, and the last of its codes already acted on.
    scanner: mpp_station::scanner::ScannerStatus,
    scans_seen: u64,
    /// When the scanner last read a code, for the technician's "scan a ticket to test it".
    last_scan: Option<chrono::DateTime<chrono::Utc>>,
    /// When a number last failed for a fault (the database, the disk): for a while after, the
    /// welcome screen says no number can be given instead of letting the next visitor try.
    issue_fault_at: Option<Instant>,
    /// The numbers given lately, by service, and when: a second one soon after is asked about.
    recently_taken: std::collections::HashMap<ServiceCode, (String, Instant)>,
    /// Speech mode, where `[speech]` turns it on.
    speech: Option<super::speech::SpeechMode>,
}

#[derive(Clone, Debug)]
pub enum Message {
    Welcome(welcome::Message),
    Agencies(agencies::Message),
    Services(services::Message),
    Detail(detail::Message),
    Printing(printing::Message),
    Done(done::Message),
    Problem(problem::Message),
    Survey(survey::Message),
    PinPad(pin_pad::Message),
    Maintenance(menu::Message),
    /// Somebody touched the screen (anywhere): the idle timer restarts.
    Touched,
    /// The one-second clock, for the time on screen and the idle timer.
    Tick(Instant),
    /// The printer driver saw the printer's state change.
    PrinterChanged(PrinterState),
    /// Sync published a catalog.
    CatalogPublished(Arc<ValidCatalog>),
    /// Today's figures were read from the store.
    CountsLoaded(Result<LiveCounts, BackendError>),
    /// The window is being fitted to the output.
    FullScreen(full_screen::Message),
    /// The ticket scanner's state changed, or it read a code.
    Scanner(mpp_station::scanner::ScannerFeed),
    /// A key of the keypad (or a keyboard), by name: speech mode's input.
    SpeechKey(String),
}

impl Kiosk {
    pub fn new(backend: Backend, settings: Settings) -> (Self, Task<Message>) {
        let now = Instant::now();
        let (full_screen, fitting) = FullScreen::new(settings.fullscreen);
        let settings_speech = settings.speech.clone();
        let kiosk = Self {
            catalog: backend.catalog(),
            next_catalog: None,
            printer: backend.printer_state(),
            language: settings.default_language,
            backend,
            settings,
            screen: Screen::Welcome(welcome::State::default()),
            history: Vec::new(),
            counts: LiveCounts::default(),
            last_activity: now,
            counts_asked: now,
            now,
            next_request: 1,
            full_screen,
            scanner: mpp_station::scanner::ScannerStatus::NotFitted,
            scans_seen: 0,
            last_scan: None,
            issue_fault_at: None,
            recently_taken: Default::default(),
            speech: settings_speech.as_ref().map(super::speech::SpeechMode::new),
        };
        let task = Task::batch([kiosk.load_counts(), fitting.map(Message::FullScreen)]);
        (kiosk, task)
    }

    pub fn backend(&self) -> &Backend {
        &self.backend
    }

    /// Whether the technician asked for the program to start again (done once the window
    /// has closed).
    pub fn restart_requested(&self) -> bool {
        self.backend.restart_requested()
    }

    pub fn screen(&self) -> &Screen {
        &self.screen
    }

    pub fn language(&self) -> Language {
        self.language
    }

    /// A number is on its way: further taps are ignored.
    pub fn is_busy(&self) -> bool {
        self.screen.is_busy()
    }

    pub fn title(&self) -> String {
        format!("mpp-kiosk · {}", self.settings.mpp_name)
    }

    pub fn theme(&self) -> Theme {
        theme::theme(self.settings.high_contrast)
    }

    pub fn update(&mut self, message: Message) -> Task<Message> {
        let task = self.carry_out(message);
        self.follow_speech();
        task
    }

    fn carry_out(&mut self, message: Message) -> Task<Message> {
        match message {
            Message::Welcome(message) => self.on_welcome(message),
            Message::Agencies(message) => self.on_agencies(message),
            Message::Services(message) => self.on_services(message),
            Message::Detail(message) => self.on_detail(message),
            Message::Printing(message) => self.on_printing(message),
            Message::Done(message) => self.on_done(message),
            Message::Problem(message) => self.on_problem(message),
            Message::Survey(message) => self.on_survey(message),
            Message::PinPad(message) => self.on_pin_pad(message),
            Message::Maintenance(message) => self.on_menu(message),
            Message::Touched => {
                self.mark_activity();
                Task::none()
            }
            Message::Tick(now) => self.on_tick(now),
            Message::PrinterChanged(state) => {
                self.printer = state;
                Task::none()
            }
            Message::CatalogPublished(catalog) => {
                self.on_catalog(catalog);
                Task::none()
            }
            Message::CountsLoaded(result) => {
                self.on_counts(result);
                Task::none()
            }
            Message::Scanner(feed) => self.on_scanner(feed),
            Message::FullScreen(message) => {
                self.full_screen.update(message).map(Message::FullScreen)
            }
            Message::SpeechKey(key) => self.on_speech_key(key),
        }
    }

    fn load_counts(&self) -> Task<Message> {
        Task::perform(self.backend.clone().counts(), Message::CountsLoaded)
    }

    fn show(&mut self, screen: Screen) {
        tracing::debug!(from = self.screen.name(), to = screen.name(), "screen");
        self.screen = screen;
        self.mark_activity();
    }

    /// Shows `screen`, keeping the current one as it is for Back.
    fn forward(&mut self, screen: Screen) {
        let left = std::mem::replace(&mut self.screen, screen);
        tracing::debug!(from = left.name(), to = self.screen.name(), "screen");
        self.history.push(left);
        self.mark_activity();
    }

    /// The screen before, as the visitor left it.
    fn go_back(&mut self) {
        match self.history.pop() {
            Some(previous) => self.show(previous),
            None => self.back_to_start(),
        }
    }

    /// Activity is stamped with the real time (ticks come only once a second).
    fn mark_activity(&mut self) {
        self.last_activity = Instant::now().max(self.now);
    }

    /// A synced catalog is shown from the start screen on, never in the middle of a visitor's
    /// path.
    fn on_catalog(&mut self, catalog: Arc<ValidCatalog>) {
        if Arc::ptr_eq(&catalog, &self.catalog) {
            return;
        }
        self.next_catalog = Some(catalog);
        if matches!(self.screen, Screen::Welcome(_)) {
            self.adopt_new_catalog();
        }
    }

    fn adopt_new_catalog(&mut self) {
        if let Some(latest) = self.next_catalog.take() {
            tracing::info!(version = latest.version, "showing the new catalog");
            self.catalog = latest;
        }
    }

    fn back_to_start(&mut self) {
        self.adopt_new_catalog();
        self.history.clear();
        self.language = self.settings.default_language;
        self.show(Screen::Welcome(welcome::State::default()));
    }

    fn on_counts(&mut self, result: Result<LiveCounts, BackendError>) {
        match result {
            Ok(counts) => self.counts = counts,
            Err(error) => tracing::warn!(%error, "cannot read today's figures"),
        }
    }

    fn on_welcome(&mut self, message: welcome::Message) -> Task<Message> {
        let Screen::Welcome(state) = &mut self.screen else {
            return Task::none();
        };
        match state.update(message) {
            welcome::Action::None => {}
            welcome::Action::Run(task) => return task.map(Message::Welcome),
            welcome::Action::Start => self.show(Screen::Agencies(agencies::State::default())),
            welcome::Action::SetLanguage(language) => self.language = language,
            welcome::Action::StartSurvey => {
                if let Some(days) = self.settings.survey_days {
                    self.show(Screen::Survey(survey::State::new(days)));
                }
            }
            welcome::Action::OpenPad => self.open_pad(),
        }
        Task::none()
    }

    /// The survey's requests go to the store; its answers come back as survey messages.
    fn on_survey(&mut self, message: survey::Message) -> Task<Message> {
        let language = self.language;
        let Screen::Survey(state) = &mut self.screen else {
            return Task::none();
        };
        let backend = self.backend.clone();
        match state.update(message, language) {
            survey::Action::None => Task::none(),
            survey::Action::Check {
                number,
                code,
                window_days,
            } => Task::perform(backend.check_survey(number, code, window_days), |result| {
                Message::Survey(survey::Message::Checked(result))
            }),
            survey::Action::Save(response) => {
                Task::perform(backend.save_survey(response), |result| {
                    Message::Survey(survey::Message::Saved(result))
                })
            }
            survey::Action::Home => {
                self.back_to_start();
                Task::none()
            }
        }
    }

    fn on_agencies(&mut self, message: agencies::Message) -> Task<Message> {
        let Screen::Agencies(state) = &mut self.screen else {
            return Task::none();
        };
        match state.update(message) {
            agencies::Action::None => self.mark_activity(),
            agencies::Action::Run(task) => return task.map(Message::Agencies),
            agencies::Action::OpenAgency(agency) => {
                self.forward(Screen::Services(services::State::new(agency)))
            }
            agencies::Action::Home => self.back_to_start(),
        }
        Task::none()
    }

    fn on_services(&mut self, message: services::Message) -> Task<Message> {
        let Screen::Services(state) = &mut self.screen else {
            return Task::none();
        };
        match state.update(message) {
            services::Action::None => self.mark_activity(),
            services::Action::Run(task) => return task.map(Message::Services),
            services::Action::OpenService(service) => {
                self.forward(Screen::Detail(detail::State::new(service)))
            }
            services::Action::Back => self.go_back(),
        }
        Task::none()
    }

    fn on_detail(&mut self, message: detail::Message) -> Task<Message> {
        let Screen::Detail(state) = &mut self.screen else {
            return Task::none();
        };
        match state.update(message) {
            detail::Action::None => Task::none(),
            detail::Action::Run(task) => task.map(Message::Detail),
            detail::Action::TakeNumber(service, lane) => match self.taken_a_moment_ago(&service) {
                Some(taken) => {
                    if let Screen::Detail(state) = &mut self.screen {
                        state.ask_again(lane, taken);
                    }
                    Task::none()
                }
                None => self.take_number(service, lane),
            },
            detail::Action::TakeAnother(service, lane) => self.take_number(service, lane),
            detail::Action::Back => {
                self.go_back();
                Task::none()
            }
        }
    }

    /// The number of `service` this kiosk gave within the last few minutes, if any.
    fn taken_a_moment_ago(&self, service: &ServiceCode) -> Option<String> {
        let (number, at) = self.recently_taken.get(service)?;
        (self.now.saturating_duration_since(*at) < detail::AGAIN_WINDOW).then(|| number.clone())
    }

    /// One tap, one ticket: while a number is on its way every further tap is ignored.
    fn take_number(&mut self, service: ServiceCode, lane: Lane) -> Task<Message> {
        if self.is_busy() {
            return Task::none();
        }
        let request = self.next_request;
        self.next_request += 1;
        let issuing = self.backend.clone().issue(service.clone(), lane);
        self.show(Screen::Printing(printing::State::new(request, service)));
        Task::perform(issuing, move |result| {
            Message::Printing(printing::Message::Issued(request, result))
        })
    }

    fn on_printing(&mut self, message: printing::Message) -> Task<Message> {
        let Screen::Printing(state) = &mut self.screen else {
            return Task::none();
        };
        let request = state.request;
        match state.update(message, self.printer) {
            printing::Action::None => Task::none(),
            printing::Action::Run(task) => task.map(Message::Printing),
            printing::Action::Print(ticket) => {
                let taken = (ticket.number.clone(), self.now);
                self.recently_taken.insert(ticket.service.clone(), taken);
                let printing = self.backend.clone().print(ticket, self.language);
                Task::batch([
                    Task::perform(printing, move |result| {
                        Message::Printing(printing::Message::Printed(request, result))
                    }),
                    self.load_counts(),
                ])
            }
            printing::Action::ShowDone(done) => {
                self.show(Screen::Done(*done));
                Task::none()
            }
            printing::Action::ShowProblem(problem) => {
                if matches!(problem.problem, problem::Problem::Fault) {
                    self.issue_fault_at = Some(self.now);
                }
                self.show(Screen::Problem(*problem));
                self.load_counts()
            }
        }
    }

    fn on_done(&mut self, message: done::Message) -> Task<Message> {
        let Screen::Done(state) = &mut self.screen else {
            return Task::none();
        };
        match state.update(message) {
            done::Action::None => {}
            done::Action::Run(task) => return task.map(Message::Done),
            done::Action::Home => self.back_to_start(),
        }
        Task::none()
    }

    fn on_problem(&mut self, message: problem::Message) -> Task<Message> {
        let Screen::Problem(state) = &mut self.screen else {
            return Task::none();
        };
        match state.update(message) {
            problem::Action::None => {}
            problem::Action::Run(task) => return task.map(Message::Problem),
            problem::Action::Home => self.back_to_start(),
        }
        Task::none()
    }

    /// The clock and touches; the printer's state and new catalogs as they change.
    pub fn subscription(&self) -> Subscription<Message> {
        Subscription::batch([
            crate::watchdog::frames(),
            iced::time::every(Duration::from_secs(1)).map(Message::Tick),
            event::listen_with(touched),
            watched::subscribe("printer state", self.backend.printer_watch())
                .map(Message::PrinterChanged),
            watched::subscribe("catalog", self.backend.catalog_watch())
                .map(Message::CatalogPublished),
            self.full_screen.subscription().map(Message::FullScreen),
            watched::subscribe("ticket scanner", self.backend.scanner_watch())
                .map(Message::Scanner),
            self.speech_keys(),
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
            survey_enabled: self.settings.survey_days.is_some(),
            scanner: &self.scanner,
            last_scan: self.last_scan.map(|at| zone.local(at)),
            leaving_in: self.leaving_in(),
            hold: self.issue_hold(),
            syncs: self.settings.syncs,
        }
    }

    /// Why no number can be given now: the store's reason, or a fault a moment ago.
    pub fn issue_hold(&self) -> Option<IssueHold> {
        let fault = (self.issue_fault_at)
            .is_some_and(|at| self.now.saturating_duration_since(at) < FAULT_HOLD);
        self.counts.hold.or(fault.then_some(IssueHold::Fault))
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
    // Text and targets grow with the window's width.
    responsive(move |size| {
        let mut context = kiosk.context();
        context.sizes = Sizes::for_width(kiosk.settings.high_contrast, size.width);
        let screen = screen_view(kiosk, &context);
        match kiosk.countdown() {
            Some(seconds) => stack![screen, idle::warning(&context, seconds)].into(),
            None => screen,
        }
    })
    .into()
}

fn screen_view<'a>(kiosk: &'a Kiosk, context: &Context<'a>) -> Element<'a, Message> {
    match &kiosk.screen {
        Screen::Welcome(state) => state.view(context).map(Message::Welcome),
        Screen::Agencies(state) => state.view(context).map(Message::Agencies),
        Screen::Services(state) => state.view(context).map(Message::Services),
        Screen::Detail(state) => state.view(context).map(Message::Detail),
        Screen::Printing(state) => state.view(context),
        Screen::Done(state) => state.view(context).map(Message::Done),
        Screen::Problem(state) => state.view(context).map(Message::Problem),
        Screen::Survey(state) => state.view(context).map(Message::Survey),
        Screen::PinPad(state) => state.view(context).map(Message::PinPad),
        Screen::Maintenance(state) => state.view(context).map(Message::Maintenance),
    }
}
