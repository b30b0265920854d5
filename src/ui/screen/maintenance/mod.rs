//! The technician's menu, behind the PIN pad: one module per page, a row of page buttons and
//! "close the menu" on top. The menu asks, the app does: every action is a [`Request`] the app
//! carries out through the backend (audited there) and answers with [`Message::Finished`]. The
//! app closes the menu after `ui.maintenance_timeout_seconds` without a touch, and it never
//! opens by itself (the kiosk starts on the welcome screen).

pub mod kiosk;
pub mod printer;
pub mod recovery;
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
    pub printer_port: String,
    /// Configuration lines with every secret left out.
    pub config_summary: Vec<String>,
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
            printer_port: String::new(),
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
    Sync,
    Recovery,
    Kiosk,
}

impl Page {
    pub const ALL: [Page; 5] = [
        Page::Printer,
        Page::Today,
        Page::Sync,
        Page::Recovery,
        Page::Kiosk,
    ];

    fn label(self) -> Text {
        match self {
            Page::Printer => Text::PagePrinter,
            Page::Today => Text::PageToday,
            Page::Sync => Text::PageSync,
            Page::Recovery => Text::PageRecovery,
            Page::Kiosk => Text::PageKiosk,
        }
    }
}

/// Something the technician asked for that the app carries out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Request {
    PrintTestPage,
    PaperLoaded,
    SyncNow,
    SettleDay,
    /// Today's numbers start at this one (a new database).
    StartAt(u32),
    /// Touches are ignored for [`CLEANING`].
    CleanScreen,
    /// The ticket the today page shows, printed again.
    ReprintLast,
    /// The ticket the today page shows, voided for this reason.
    VoidLast(mpp_core::maintenance::VoidReason),
    LeaveFullScreen,
    QuitApp,
}

impl Request {
    /// The audit log's name for it.
    pub fn action(self) -> &'static str {
        match self {
            Request::PrintTestPage => "printer_test_page",
            Request::PaperLoaded => "printer_paper_loaded",
            Request::SyncNow => "sync_now",
            Request::SettleDay => "day_settle",
            Request::StartAt(_) => "day_start_at",
            Request::CleanScreen => "screen_cleaning",
            Request::ReprintLast => "ticket_reprint",
            Request::VoidLast(_) => "ticket_void",
            Request::LeaveFullScreen => "kiosk_leave_full_screen",
            Request::QuitApp => "kiosk_quit",
        }
    }
}

/// How the last request of a page went.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Progress {
    #[default]
    Idle,
    Working(Request),
    Done(Request),
    Failed(Request),
}

impl Progress {
    fn finished(request: Request, result: &Result<String, BackendError>) -> Self {
        match result {
            Ok(_) => Progress::Done(request),
            Err(error) => {
                tracing::warn!(action = request.action(), %error, "maintenance action failed");
                Progress::Failed(request)
            }
        }
    }

    /// The line under a page's buttons, if any.
    fn line<'a>(&self, context: &Context) -> Option<Element<'a, Message>> {
        let (words, colour) = match self {
            Progress::Idle => return None,
            Progress::Working(_) => (Text::ActionWorking, theme::INK),
            Progress::Done(_) => (Text::ActionDone, theme::GREEN),
            Progress::Failed(_) => (Text::ActionFailed, theme::RED),
        };
        Some(
            text(words.get(context.language))
                .size(context.sizes.body())
                .font(theme::BOLD)
                .style(move |_| text::Style {
                    color: Some(colour),
                })
                .into(),
        )
    }
}

#[derive(Clone, Debug)]
pub struct State {
    page: Page,
    facts: Facts,
    progress: Progress,
    /// The sync page's figures, once read.
    sync: Option<crate::sync::Status>,
    /// The today page's figures, once read.
    today: Option<today::Today>,
    /// The kiosk page's database size and free disk space, once read.
    storage: Option<(u64, Option<u64>)>,
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
    SyncRead(Result<crate::sync::Status, BackendError>),
    /// The today page's figures were read.
    TodayRead(Result<today::Today, BackendError>),
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
    /// Read today's figures; answer with `Message::TodayRead`.
    ReadToday,
    /// Read the database's size and the free disk space; answer with `Message::StorageRead`.
    ReadStorage,
}

impl State {
    pub fn new(facts: Facts) -> Self {
        Self {
            page: Page::Printer,
            facts,
            progress: Progress::Idle,
            sync: None,
            today: None,
            storage: None,
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
        let ticket = self.today.as_ref()?.last.as_ref()?;
        Some(ticket.id.as_str().to_owned())
    }

    /// The sync page's figures, once read.
    pub fn sync_status(&self) -> Option<&crate::sync::Status> {
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
                    Ok(today) => self.today = Some(today),
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
                    return Action::ReadStorage;
                }
                if page == Page::Today {
                    self.today = None;
                    return Action::ReadToday;
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
                self.progress = Progress::Working(request);
                Action::Carry(request)
            }
            Message::Finished(request, result) => {
                if request == Request::LeaveFullScreen && result.is_ok() {
                    self.facts.full_screen = false;
                }
                self.progress = Progress::finished(request, &result);
                match request {
                    Request::SyncNow => return Action::ReadSync,
                    Request::ReprintLast | Request::VoidLast(_) => return Action::ReadToday,
                    Request::SettleDay | Request::StartAt(_) => {
                        self.first.clear();
                        return Action::ReadVerdict;
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
        let body = match self.page {
            Page::Printer => printer::view(context, &self.facts, working),
            Page::Today => today::view(context, self.today.as_ref(), self.facts.time_zone, working),
            Page::Sync => sync::view(context, &self.facts, self.sync.as_ref(), working),
            Page::Recovery => recovery::view(context, self.verdict.as_ref(), &self.first, working),
            Page::Kiosk => kiosk::view(context, &self.facts, self.storage, working),
        };
        let mut page = column![].spacing(if short { 8 } else { 16 });
        if !short {
            page = page.push(
                text(t(Text::PadTitle))
                    .size(sizes.heading())
                    .font(theme::BOLD),
            );
        }
        page = page.push(top).push(body);
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
            (!working).then_some(Message::Ask(*request)),
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
mod tests {
    use super::*;

    #[test]
    fn a_request_is_carried_once_and_its_outcome_shown() {
        let mut menu = State::new(Facts::default());
        assert!(matches!(
            menu.update(Message::Ask(Request::PrintTestPage)),
            Action::Carry(Request::PrintTestPage)
        ));
        assert!(
            matches!(
                menu.update(Message::Ask(Request::PaperLoaded)),
                Action::None
            ),
            "one at a time"
        );
        menu.update(Message::Finished(
            Request::PrintTestPage,
            Err(BackendError::Maintenance("not printed: paper_out".into())),
        ));
        assert_eq!(menu.progress(), &Progress::Failed(Request::PrintTestPage));
        menu.update(Message::Show(Page::Kiosk));
        assert_eq!(menu.page(), Page::Kiosk);
        assert_eq!(menu.progress(), &Progress::Idle);
        assert!(matches!(menu.update(Message::Close), Action::Close));
    }

    #[test]
    fn cleaning_ignores_every_touch_for_thirty_seconds() {
        let mut menu = State::new(Facts::default());
        let start = Instant::now();
        menu.update(Message::Tick(start));
        assert!(matches!(
            menu.update(Message::Ask(Request::CleanScreen)),
            Action::Carry(Request::CleanScreen)
        ));
        menu.update(Message::Finished(Request::CleanScreen, Ok("done".into())));
        assert!(menu.is_cleaning());
        assert!(
            matches!(menu.update(Message::Close), Action::None),
            "ignored"
        );
        menu.update(Message::Tick(start + CLEANING - Duration::from_secs(1)));
        assert!(matches!(
            menu.update(Message::Show(Page::Kiosk)),
            Action::None
        ));
        assert_eq!(menu.page(), Page::Printer);
        menu.update(Message::Tick(start + CLEANING + Duration::from_secs(1)));
        assert!(!menu.is_cleaning());
        assert!(matches!(menu.update(Message::Close), Action::Close));
    }

    #[test]
    fn the_first_number_is_typed_and_sent_whole() {
        let mut menu = State::new(Facts::default());
        assert!(matches!(
            menu.update(Message::Show(Page::Recovery)),
            Action::ReadVerdict
        ));
        for digit in [0, 4, 2, 7, 9] {
            menu.update(Message::FirstDigit(digit));
        }
        assert_eq!(menu.first, "0427", "four digits at most");
        menu.update(Message::FirstDeleted);
        assert!(matches!(
            menu.update(Message::Ask(Request::StartAt(42))),
            Action::Carry(Request::StartAt(42))
        ));
        let done = menu.update(Message::Finished(Request::StartAt(42), Ok("done".into())));
        assert!(matches!(done, Action::ReadVerdict));
        assert!(menu.first.is_empty());
    }
}
