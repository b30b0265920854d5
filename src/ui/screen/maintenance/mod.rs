//! The technician's menu, behind the PIN pad: one module per page, a row of page buttons and
//! "close the menu" on top. The menu asks, the app does: every action is a [`Request`] the app
//! carries out through the backend (audited there) and answers with [`Message::Finished`]. The
//! app closes the menu after `ui.maintenance_timeout_seconds` without a touch, and it never
//! opens by itself (the kiosk starts on the welcome screen).

mod fitted;
pub mod kiosk;
pub mod pin_change;
pub mod printer;
pub mod recovery;
mod request;
pub mod services;
pub mod sync;
pub mod today;

use std::time::Duration;

use iced::time::Instant;
use iced::widget::{column, container, responsive, row, scrollable, text};
use iced::{Element, Length, Task};

use super::Context;
use crate::ui::backend::BackendError;
use crate::ui::theme;
use crate::ui::widgets::{big_button, button_text};
use mpp_core::strings::maintenance::Text;
pub use request::{Progress, Request};

/// Below this height the menu is set closer together.
const SHORT: f32 = 700.0;

/// How long the screen-cleaning mode ignores touches.
pub const CLEANING: Duration = Duration::from_secs(30);

/// What the pages show that the screen's context does not hold, gathered when the menu opens.
#[derive(Clone, Debug)]
pub struct Facts {
    pub version: String,
    pub kiosk_id: String,
    pub number_range: (u32, u32),
    /// The printer's transport and port, as the driver describes it.
    pub printer_port: mpp_core::lang::Localized,
    /// Configuration lines with every secret left out.
    pub config_summary: Vec<mpp_core::lang::Localized>,
    pub full_screen: bool,
    pub timeout_minutes: u64,
    /// Whether the sync loop runs.
    pub syncs: bool,
    pub time_zone: mpp_core::day::TimeZone,
}

impl Default for Facts {
    fn default() -> Self {
        Self {
            version: env!("CARGO_PKG_VERSION").into(),
            kiosk_id: String::new(),
            number_range: (1, 999),
            printer_port: mpp_core::lang::Localized::new("", ""),
            config_summary: Vec::new(),
            full_screen: false,
            timeout_minutes: 3,
            syncs: false,
            time_zone: mpp_core::day::TimeZone::JAKARTA,
        }
    }
}

/// The menu's pages, in the order of their buttons.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Page {
    Printer,
    Today,
    Services,
    Sync,
    Recovery,
    Kiosk,
}

impl Page {
    pub const ALL: [Page; 6] = [
        Page::Printer,
        Page::Today,
        Page::Services,
        Page::Sync,
        Page::Recovery,
        Page::Kiosk,
    ];

    fn label(self) -> Text {
        match self {
            Page::Printer => Text::PagePrinter,
            Page::Today => Text::PageToday,
            Page::Services => Text::PageServices,
            Page::Sync => Text::PageSync,
            Page::Recovery => Text::PageRecovery,
            Page::Kiosk => Text::PageKiosk,
        }
    }
}

#[derive(Clone, Debug)]
pub struct State {
    page: Page,
    facts: Facts,
    progress: Progress,
    /// The sync page's figures, once read.
    sync: Option<mpp_station::sync::Status>,
    /// The today page's figures, once read, and what is being typed on it.
    today: Option<today::Today>,
    today_page: today::State,
    /// The kiosk page's database size and free disk space, once read.
    storage: Option<(u64, Option<u64>)>,
    /// The kiosk page's new PIN being typed, and the recent log lines.
    pin_change: Option<pin_change::State>,
    log_lines: Vec<String>,
    /// The printer page's picture of the ticket, once asked for.
    preview: Option<iced::widget::image::Handle>,
    /// The services page's agency and the service being closed.
    services: services::State,
    /// The recovery page's verdict, once read, and the first number being typed.
    verdict: Option<mpp_core::day_check::DayVerdict>,
    first: String,
    /// Touches are ignored until then (the screen is being wiped).
    cleaning_until: Option<Instant>,
    /// The latest clock tick.
    now: Option<Instant>,
}

#[derive(Clone, Debug)]
pub enum Message {
    /// Show this page.
    Show(Page),
    /// Close the menu: back to the welcome screen.
    Close,
    /// The technician asked for this.
    Ask(Request),
    /// The app carried out a request.
    Finished(Request, Result<String, BackendError>),
    /// The sync page's figures were read.
    SyncRead(Result<mpp_station::sync::Status, BackendError>),
    /// A choice on the today page.
    Today(today::Choice),
    /// "Change the PIN" on the kiosk page, and a key of its pad.
    ChangePinOpened,
    PinChange(pin_change::Choice),
    /// The recent log lines, for the kiosk page.
    LogRead(Vec<String>),
    /// "Ticket preview" on the printer page, and the picture.
    PreviewAsked,
    PreviewRead(Result<iced::widget::image::Handle, BackendError>),
    /// The today page's search for this number was answered.
    Found(
        String,
        Result<Option<mpp_core::ticket::Ticket>, BackendError>,
    ),
    /// A choice on the services page.
    Services(services::Choice),
    /// The today page's figures were read.
    TodayRead(Result<Box<today::Today>, BackendError>),
    /// The kiosk page's database size and free disk space were read.
    StorageRead(Result<(u64, Option<u64>), BackendError>),
    /// The recovery page's verdict was read.
    VerdictRead(Result<mpp_core::day_check::DayVerdict, BackendError>),
    /// A digit of today's first number.
    FirstDigit(u8),
    FirstDeleted,
    /// The app's one-second clock (for the cleaning mode's countdown).
    Tick(Instant),
}

pub enum Action {
    None,
    Run(Task<Message>),
    Close,
    /// Carry this out and answer with `Message::Finished`.
    Carry(Request),
    /// Read the sync page's figures; answer with `Message::SyncRead`.
    ReadSync,
    /// Read the business day's verdict; answer with `Message::VerdictRead`.
    ReadVerdict,
    /// Read today's figures (and the ticket found by number, by its id); answer with
    /// `Message::TodayRead`.
    ReadToday(Option<String>),
    /// Find today's ticket with this number; answer with `Message::Found`.
    FindTicket(String),
    /// Read the database's size and the free disk space; answer with `Message::StorageRead`.
    ReadStorage,
    /// Read today's live counts again (the services staff closed are in them).
    ReadCounts,
    /// Draw the ticket as it will print; answer with `Message::PreviewRead`.
    ReadPreview,
}

impl State {
    pub fn new(facts: Facts) -> Self {
        Self {
            page: Page::Printer,
            facts,
            progress: Progress::Idle,
            sync: None,
            today: None,
            today_page: today::State::default(),
            storage: None,
            services: services::State::default(),
            pin_change: None,
            log_lines: Vec::new(),
            preview: None,
            verdict: None,
            first: String::new(),
            cleaning_until: None,
            now: None,
        }
    }

    /// Whether touches are being ignored for the screen's cleaning.
    pub fn is_cleaning(&self) -> bool {
        self.cleaning_left().is_some()
    }

    fn cleaning_left(&self) -> Option<Duration> {
        let until = self.cleaning_until?;
        let left = until.saturating_duration_since(self.now.unwrap_or_else(Instant::now));
        (!left.is_zero()).then_some(left)
    }

    /// The id of the ticket the today page shows: the one its reprint and void act on.
    pub fn shown_ticket(&self) -> Option<String> {
        let ticket = today::shown(self.today.as_ref()?, &self.today_page)?;
        Some(ticket.id.as_str().to_owned())
    }

    /// Whether a page's keys are in use (the page then hides the menu's own buttons).
    fn is_typing(&self) -> bool {
        match self.page {
            Page::Today => self.today_page.step != today::Step::Showing,
            Page::Kiosk => self.pin_change.is_some(),
            Page::Services => self.services.is_focused(),
            _ => false,
        }
    }

    /// The sync page's figures, once read.
    pub fn sync_status(&self) -> Option<&mpp_station::sync::Status> {
        self.sync.as_ref()
    }

    pub fn page(&self) -> Page {
        self.page
    }

    pub fn progress(&self) -> &Progress {
        &self.progress
    }

    pub fn update(&mut self, message: Message) -> Action {
        if self.is_cleaning() && !matches!(message, Message::Tick(_) | Message::Finished(..)) {
            return Action::None;
        }
        match message {
            Message::Tick(now) => {
                self.now = Some(now);
                Action::None
            }
            Message::StorageRead(result) => {
                match result {
                    Ok(figures) => self.storage = Some(figures),
                    Err(error) => tracing::warn!(%error, "cannot read the database's size"),
                }
                Action::None
            }
            Message::TodayRead(result) => {
                match result {
                    Ok(today) => self.today = Some(*today),
                    Err(error) => tracing::warn!(%error, "cannot read today's figures"),
                }
                Action::None
            }
            Message::VerdictRead(result) => {
                match result {
                    Ok(verdict) => self.verdict = Some(verdict),
                    Err(error) => {
                        tracing::warn!(%error, "cannot read the business day");
                        self.progress = Progress::Failed(Request::SettleDay);
                    }
                }
                Action::None
            }
            Message::FirstDigit(digit) => {
                if self.first.len() < recovery::FIRST_DIGITS && digit <= 9 {
                    self.first.push(char::from(b'0' + digit));
                }
                Action::None
            }
            Message::Today(choice) => match self.today_page.choose(choice) {
                today::Effect::None => Action::None,
                today::Effect::Find(number) => Action::FindTicket(number),
                today::Effect::Reread => Action::ReadToday(None),
                today::Effect::Ask(request) => self.update(Message::Ask(request)),
            },
            Message::Found(typed, result) => {
                match result {
                    Ok(ticket) => {
                        self.today_page.found(&typed, ticket.as_ref());
                        if let (Some(today), Some(ticket)) = (&mut self.today, ticket) {
                            today.found = Some(ticket);
                        }
                    }
                    Err(error) => {
                        tracing::warn!(%error, "cannot look for a ticket");
                        self.progress = Progress::Failed(Request::Reprint);
                    }
                }
                Action::None
            }
            Message::ChangePinOpened => {
                self.pin_change = Some(pin_change::State::default());
                Action::None
            }
            Message::PinChange(pin_change::Choice::Cancel) => {
                self.pin_change = None;
                Action::None
            }
            Message::PinChange(choice) => {
                let asked = self.pin_change.as_mut().and_then(|pad| pad.choose(choice));
                match asked {
                    Some(request) => self.update(Message::Ask(request)),
                    None => Action::None,
                }
            }
            Message::LogRead(lines) => {
                self.log_lines = lines;
                Action::None
            }
            Message::PreviewAsked => Action::ReadPreview,
            Message::PreviewRead(result) => {
                match result {
                    Ok(picture) => self.preview = Some(picture),
                    Err(error) => {
                        tracing::warn!(%error, "cannot draw the ticket preview");
                        self.progress = Progress::Failed(Request::PrintTestPage);
                    }
                }
                Action::None
            }
            Message::Services(choice) => {
                self.services.choose(choice);
                Action::None
            }
            Message::FirstDeleted => {
                self.first.pop();
                Action::None
            }
            Message::Show(page) => {
                self.page = page;
                self.progress = Progress::Idle;
                if page == Page::Sync && self.facts.syncs {
                    self.sync = None;
                    return Action::ReadSync;
                }
                if page == Page::Kiosk {
                    self.pin_change = None;
                    return Action::ReadStorage;
                }
                if page == Page::Today {
                    self.today = None;
                    self.today_page = today::State::default();
                    return Action::ReadToday(None);
                }
                if page == Page::Recovery {
                    self.verdict = None;
                    return Action::ReadVerdict;
                }
                Action::None
            }
            Message::SyncRead(result) => {
                match result {
                    Ok(status) => self.sync = Some(status),
                    Err(error) => {
                        tracing::warn!(%error, "cannot read the sync figures");
                        self.progress = Progress::Failed(Request::SyncNow);
                    }
                }
                Action::None
            }
            Message::Close => Action::Close,
            Message::Ask(request) => {
                if matches!(self.progress, Progress::Working(_)) {
                    return Action::None;
                }
                if request == Request::CleanScreen {
                    let now = Instant::now().max(self.now.unwrap_or_else(Instant::now));
                    self.now = Some(now);
                    self.cleaning_until = Some(now + CLEANING);
                }
                self.progress = Progress::Working(request.clone());
                Action::Carry(request)
            }
            Message::Finished(request, result) => {
                if request == Request::LeaveFullScreen && result.is_ok() {
                    self.facts.full_screen = false;
                }
                self.progress = Progress::finished(request.clone(), &result);
                match request {
                    Request::SyncNow => return Action::ReadSync,
                    Request::Reprint | Request::Void(..) => {
                        return Action::ReadToday(self.today_page.found.clone());
                    }
                    Request::SettleDay | Request::StartAt(_) => {
                        self.first.clear();
                        return Action::ReadVerdict;
                    }
                    Request::ChangePin(_) if result.is_ok() => self.pin_change = None,
                    Request::CloseService(..) | Request::ReopenService(_) => {
                        self.services.closing = None;
                        return Action::ReadCounts;
                    }
                    _ => {}
                }
                Action::None
            }
        }
    }

    pub fn view<'a>(&'a self, context: &Context<'a>) -> Element<'a, Message> {
        let context = context.clone();
        responsive(move |size| self.view_sized(&context, size)).into()
    }

    /// The menu on a screen of `size`: closer together on a short one, without the title (the
    /// page buttons say where one is).
    fn view_sized<'a>(&'a self, context: &Context, size: iced::Size) -> Element<'a, Message> {
        let sizes = context.sizes;
        let short = size.height < SHORT * sizes.scale;
        let t = |words: Text| words.get(context.language);
        if let Some(left) = self.cleaning_left() {
            // Nothing here takes a touch: the screen can be wiped.
            let seconds = left.as_secs_f32().ceil().to_string();
            return container(
                text(Text::Cleaning.fill(context.language, &[("seconds", &seconds)]))
                    .size(sizes.heading())
                    .font(theme::BOLD)
                    .center(),
            )
            .center(Length::Fill)
            .into();
        }
        let tabs = Page::ALL.map(|page| {
            let colour = if page == self.page {
                theme::NAVY
            } else {
                theme::MUTED
            };
            sized_button(t(page.label()), colour, Some(Message::Show(page)), context)
        });
        // As many buttons a line as fit: a narrow screen puts the rest on the next line.
        let top = row(tabs)
            .push(sized_button(
                t(Text::CloseMenu),
                theme::RED,
                Some(Message::Close),
                context,
            ))
            .spacing(12)
            .wrap()
            .vertical_spacing(12);
        let working = matches!(self.progress, Progress::Working(_));
        // Typing (a number, a note, a PIN) or a list of its own has the screen to itself: its
        // Cancel or Back leads out.
        let typing = self.is_typing();
        let body = match self.page {
            Page::Printer => {
                let room = self.body_room(context, size, short, typing);
                printer::view(context, &self.facts, self.preview.as_ref(), working, room)
            }
            Page::Today => today::view(
                context,
                self.today.as_ref(),
                &self.today_page,
                self.facts.time_zone,
                working,
            ),
            Page::Services => {
                let room = self.body_room(context, size, short, typing);
                services::view(context, &self.services, working, room)
            }
            Page::Sync => sync::view(context, &self.facts, self.sync.as_ref(), working),
            Page::Recovery => recovery::view(context, self.verdict.as_ref(), &self.first, working),
            Page::Kiosk => kiosk::view(
                context,
                &self.facts,
                self.storage,
                (self.pin_change.as_ref(), &self.log_lines),
                (working, self.body_room(context, size, short, typing)),
            ),
        };
        let mut page = column![].spacing(if short { 8 } else { 16 });
        if !short && !typing {
            page = page.push(
                text(t(Text::PadTitle))
                    .size(sizes.heading())
                    .font(theme::BOLD),
            );
        }
        if !typing {
            page = page.push(top);
        }
        page = page.push(body);
        if let Some(line) = self.progress.line(context) {
            page = page.push(line);
        }
        page = page.push(
            text(Text::MenuClosesIn.fill(
                context.language,
                &[("minutes", &self.facts.timeout_minutes.to_string())],
            ))
            .size(sizes.small())
            .style(theme::muted),
        );
        container(scrollable(page.padding(if short { 12 } else { 24 })))
            .width(Length::Fill)
            .height(Length::Fill)
            .into()
    }
}

/// A row of action buttons for a page (wrapping onto more lines on a narrow screen); greyed
/// out while an action is on its way.
fn actions<'a>(
    context: &Context,
    working: bool,
    buttons: &[(Text, Request, iced::Color)],
) -> Element<'a, Message> {
    row(buttons.iter().map(|(words, request, colour)| {
        sized_button(
            words.get(context.language),
            *colour,
            (!working).then(|| Message::Ask(request.clone())),
            context,
        )
    }))
    .spacing(12)
    .wrap()
    .vertical_spacing(12)
    .into()
}

/// A big button as wide as its label needs (and never wider than a narrow screen allows).
pub(super) fn sized_button<'a>(
    label: &str,
    colour: iced::Color,
    message: Option<Message>,
    context: &Context,
) -> Element<'a, Message> {
    let sizes = context.sizes;
    let width = crate::ui::measure::text_width(label, theme::BOLD, button_text(sizes)) + 64.0;
    container(big_button(label, colour, message, sizes))
        .width(Length::Fixed(width))
        .into()
}

#[cfg(test)]
mod tests;
