//! What the technician asks the app to carry out, and how the last request of a page went.

use iced::Element;
use iced::widget::text;

use super::{Context, Message};
use crate::ui::backend::BackendError;
use crate::ui::theme;
use mpp_core::strings::maintenance::Text;

/// Something the technician asked for that the app carries out.
#[derive(Clone, Debug, PartialEq, Eq)]
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
    Reprint,
    /// The ticket the today page shows, voided for this reason (and note).
    Void(
        mpp_core::maintenance::VoidReason,
        Option<mpp_core::maintenance::VoidNote>,
    ),
    /// Closed for the rest of today, with the notice visitors read.
    CloseService(
        mpp_core::ids::ServiceCode,
        mpp_core::staff_notice::StaffNotice,
    ),
    ReopenService(mpp_core::ids::ServiceCode),
    /// The technician's PIN, set anew (typed twice on the kiosk page).
    ChangePin(mpp_station::maintenance::Pin),
    /// The catalog read again from its file (or the synced copy).
    ReloadCatalog,
    /// Speech mode's sample through the headphone output.
    TestSound,
    /// The program closes its window and starts itself again.
    RestartApp,
    LeaveFullScreen,
    QuitApp,
}

impl Request {
    /// The audit log's name for it.
    pub fn action(&self) -> &'static str {
        match self {
            Request::PrintTestPage => "printer_test_page",
            Request::PaperLoaded => "printer_paper_loaded",
            Request::SyncNow => "sync_now",
            Request::SettleDay => "day_settle",
            Request::StartAt(_) => "day_start_at",
            Request::CleanScreen => "screen_cleaning",
            Request::Reprint => "ticket_reprint",
            Request::Void(..) => "ticket_void",
            Request::CloseService(..) => "service_close",
            Request::ReopenService(_) => "service_reopen",
            Request::ChangePin(_) => "maintenance_pin_set",
            Request::ReloadCatalog => "catalog_reload",
            Request::TestSound => "speech_test_sound",
            Request::RestartApp => "kiosk_restart",
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
    pub(super) fn finished(request: Request, result: &Result<String, BackendError>) -> Self {
        match result {
            Ok(_) => Progress::Done(request),
            Err(error) => {
                tracing::warn!(action = request.action(), %error, "maintenance action failed");
                Progress::Failed(request)
            }
        }
    }

    /// The line under a page's buttons, if any.
    pub(super) fn line<'a>(&self, context: &Context) -> Option<Element<'a, Message>> {
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
