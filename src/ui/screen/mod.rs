//! One module per screen, each with its own state, messages, update and view. A screen never
//! reaches into the app: its `update` returns an action that the app carries out.

pub mod agencies;
pub mod availability_text;
pub mod detail;
pub mod done;
pub mod maintenance;
pub mod pin_pad;
pub mod printing;
pub mod problem;
pub mod services;
pub mod survey;
pub mod wait_lines;
pub mod welcome;

use chrono::NaiveDateTime;

use super::fit::Paging;
use super::theme::Sizes;
use super::widgets::{PagerLabels, cards_grid, pager};
use mpp_core::catalog::{Catalog, Service};
use mpp_core::lang::Language;
use mpp_core::printer_state::PrinterState;
use mpp_core::schedule::Availability;
use mpp_core::staff_closure::availability_today;
use mpp_core::strings::Text;
use mpp_station::store::LiveCounts;

/// What every screen may read to draw itself.
#[derive(Clone)]
pub struct Context<'a> {
    pub catalog: &'a Catalog,
    pub language: Language,
    pub sizes: Sizes,
    pub high_contrast: bool,
    pub counts: &'a LiveCounts,
    /// Local time on the business day.
    pub local_now: NaiveDateTime,
    pub printer: PrinterState,
    pub mpp_name: &'a str,
    /// The satisfaction survey is offered (`[survey] enabled`).
    pub survey_enabled: bool,
    /// The ticket scanner's state, and when it last read a code (local time).
    pub scanner: &'a mpp_station::scanner::ScannerStatus,
    pub last_scan: Option<NaiveDateTime>,
    /// On a screen that goes back to the start by itself (done, the survey's thanks): the
    /// seconds left, to show all along.
    pub leaving_in: Option<u64>,
    /// The kiosk syncs with a server (`[sync] enabled`): people ahead and waits can be known.
    pub syncs: bool,
    /// Why no number can be given now, if so: every screen offering one says so instead.
    pub hold: Option<mpp_core::issue_hold::IssueHold>,
}

impl Context<'_> {
    /// A ticket scanner is connected: the survey's screens say a scan starts it too.
    pub fn scanner_ready(&self) -> bool {
        *self.scanner == mpp_station::scanner::ScannerStatus::Connected
    }

    pub fn t(&self, text: Text) -> &'static str {
        text.get(self.language)
    }

    /// A sentence with its `{name}`s filled in, in the visitor's language.
    pub fn fill(&self, text: Text, values: &[(&str, &str)]) -> String {
        text.fill(self.language, values)
    }

    /// The pager's words.
    pub fn pager_labels(&self) -> PagerLabels<'static> {
        PagerLabels {
            previous: self.t(Text::PreviousPage),
            next: self.t(Text::NextPage),
        }
    }

    /// Whether the service gives numbers now, from the catalog and today's counts.
    pub fn availability(&self, service: &Service) -> Availability {
        let issued = self
            .counts
            .by_service
            .get(&service.code)
            .copied()
            .unwrap_or(0);
        let staff = self.counts.closed_by_staff.get(&service.code).copied();
        availability_today(self.catalog, service, self.local_now, issued, staff)
    }
}

/// How large the number and its QR code are drawn on the ticket and problem screens: smaller
/// on a short screen, so that the way out stays on it.
#[derive(Clone, Copy, Debug)]
pub struct TicketRoom {
    /// The largest the number is set; [`TicketRoom::number_size`] fits it to the width.
    pub number: f32,
    pub qr: f32,
    /// The tallest the virtual printer's picture of the ticket may be.
    pub preview: f32,
    pub spacing: f32,
    pub padding: f32,
    /// The screen's width.
    width: f32,
}

impl TicketRoom {
    /// For a screen of `size`.
    pub fn for_screen(size: iced::Size, sizes: Sizes) -> Self {
        let (width, height) = (size.width, size.height);
        let scale = sizes.scale;
        if height < 650.0 * scale {
            Self {
                number: sizes.number() * 0.6,
                qr: 150.0 * scale,
                preview: 300.0 * scale,
                spacing: 8.0,
                padding: 12.0,
                width,
            }
        } else if height < 800.0 * scale {
            Self {
                number: sizes.number() * 0.72,
                qr: 180.0 * scale,
                preview: 360.0 * scale,
                spacing: 12.0,
                padding: 20.0,
                width,
            }
        } else {
            Self {
                number: sizes.number(),
                qr: 260.0 * scale,
                preview: 520.0 * scale,
                spacing: 24.0,
                padding: 32.0,
                width,
            }
        }
    }
}

impl TicketRoom {
    /// The size that sets `number` on one line beside its QR code: the largest size, unless
    /// the screen is too narrow for it (a portrait panel).
    pub fn number_size(&self, number: &str) -> f32 {
        let column = self.width - 2.0 * self.padding - self.qr - 3.0 * self.spacing;
        let wide = super::measure::text_width(number, super::theme::BOLD, self.number);
        if wide <= column {
            self.number
        } else {
            (self.number * column / wide).floor()
        }
    }
}

/// The screen on show.
#[derive(Debug)]
pub enum Screen {
    Welcome(welcome::State),
    Agencies(agencies::State),
    Services(services::State),
    Detail(detail::State),
    Printing(printing::State),
    Done(done::State),
    Problem(problem::State),
    Survey(survey::State),
    /// The technician's PIN pad (from the welcome screen's hidden corner).
    PinPad(pin_pad::State),
    /// The technician's menu (after the right PIN).
    Maintenance(Box<maintenance::State>),
}

impl Screen {
    /// A stable name, for logs and tests.
    pub fn name(&self) -> &'static str {
        match self {
            Screen::Welcome(_) => "welcome",
            Screen::Agencies(_) => "agencies",
            Screen::Services(_) => "services",
            Screen::Detail(_) => "detail",
            Screen::Printing(_) => "printing",
            Screen::Done(_) => "done",
            Screen::Problem(_) => "problem",
            Screen::Survey(state) => state.name(),
            Screen::PinPad(_) => "pin pad",
            Screen::Maintenance(_) => "maintenance",
        }
    }

    /// The visitor is done (ticket taken, survey answered): the screen returns to the start
    /// sooner, without a countdown.
    pub fn returns_soon(&self) -> bool {
        match self {
            Screen::Done(_) => true,
            Screen::Survey(state) => state.is_finished(),
            _ => false,
        }
    }

    /// A number is being issued or printed: the visitor waits and every tap is ignored.
    pub fn is_busy(&self) -> bool {
        matches!(self, Screen::Printing(_))
    }
}

/// Which page of a list is on show, and how it is laid out.
pub struct PageShown<'p> {
    pub paging: &'p Paging,
    /// The page the visitor asked for (the last one at most is shown).
    pub page: usize,
    pub gap: f32,
    pub width: f32,
}

/// One page of `items` as cards in the grid the paging laid out, with the pager below it: the
/// agencies' and the services' lists alike.
pub fn paged_cards<'a, T, M: Clone + 'a>(
    items: &[T],
    shown: PageShown,
    card: impl Fn(&T) -> iced::Element<'a, M>,
    to_page: fn(usize) -> M,
    context: &Context<'a>,
) -> iced::Element<'a, M> {
    let paging = shown.paging;
    let page = paging.clamp(shown.page);
    let cards = items[paging.cards(page)].iter().map(card).collect();
    iced::widget::column![
        cards_grid(cards, paging.columns, paging.rows(page), shown.gap),
        pager(
            page,
            paging.len(),
            to_page,
            context.pager_labels(),
            context.sizes,
            shown.width
        )
    ]
    .spacing(shown.gap)
    .into()
}
