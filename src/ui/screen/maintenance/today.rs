//! The menu's today page: the day's figures per agency and service (the store's
//! `day_summary`, as the command line reads them) and the last ticket issued.

use iced::widget::{column, text};
use iced::{Element, Length};

use super::{Message, Request, actions};
use crate::store::DaySummary;
use crate::ui::screen::Context;
use crate::ui::theme;
use mpp_core::day::TimeZone;
use mpp_core::maintenance::VoidReason;
use mpp_core::strings::maintenance::Text;
use mpp_core::ticket::{Ticket, TicketStatus};

/// What the today page shows, read when it opens.
#[derive(Clone, Debug)]
pub struct Today {
    pub summary: DaySummary,
    pub last: Option<Ticket>,
}

pub fn view<'a>(
    context: &Context,
    today: Option<&Today>,
    zone: TimeZone,
    working: bool,
) -> Element<'a, Message> {
    let sizes = context.sizes;
    let language = context.language;
    let Some(today) = today else {
        return text(Text::Loading.get(language)).size(sizes.body()).into();
    };
    let total: u32 = today
        .summary
        .services
        .iter()
        .map(|count| count.issued)
        .sum();
    let day = today.summary.business_day.to_string();
    let mut page = column![
        text(Text::TodayTotal.fill(language, &[("day", &day), ("count", &total.to_string())]))
            .size(sizes.body())
            .font(theme::BOLD)
    ]
    .spacing(8)
    .width(Length::Fill);
    let last = match &today.last {
        Some(ticket) => Text::LastTicket.fill(
            language,
            &[
                ("number", &ticket.number),
                (
                    "time",
                    &zone.local(ticket.issued_at).format("%H:%M").to_string(),
                ),
                ("status", ticket.status.as_str()),
            ],
        ),
        None => Text::NoTicketYet.get(language).to_owned(),
    };
    page = page.push(text(last).size(sizes.body()));
    if today
        .last
        .as_ref()
        .is_some_and(|ticket| ticket.status != TicketStatus::Voided)
    {
        page = page
            .push(actions(
                context,
                working,
                &[(Text::ReprintLast, Request::ReprintLast, theme::NAVY)],
            ))
            .push(text(Text::VoidBecause.get(language)).size(sizes.body()))
            .push(actions(
                context,
                working,
                &VoidReason::ALL
                    .map(|reason| (reason_text(reason), Request::VoidLast(reason), theme::RED)),
            ));
    }
    let mut agency = "";
    for count in &today.summary.services {
        if count.agency != agency {
            agency = &count.agency;
            page = page.push(text(agency.to_owned()).size(sizes.body()).font(theme::BOLD));
        }
        let line = Text::TodayService.fill(
            language,
            &[
                ("service", &count.service),
                ("issued", &count.issued.to_string()),
                ("printed", &count.printed.to_string()),
                ("failed", &count.print_failed.to_string()),
                ("voided", &count.voided.to_string()),
            ],
        );
        page = page.push(text(line).size(sizes.small()));
    }
    page.into()
}

fn reason_text(reason: VoidReason) -> Text {
    match reason {
        VoidReason::PrintFailed => Text::VoidPrintFailed,
        VoidReason::VisitorLeft => Text::VoidVisitorLeft,
        VoidReason::WrongService => Text::VoidWrongService,
        VoidReason::Test => Text::VoidTest,
    }
}
