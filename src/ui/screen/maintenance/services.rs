//! The menu's services page: close a service for the rest of today with a notice the visitors
//! read on it (the officer is away, the agency's system is down), and open it again with one
//! tap. Services closed today are listed first; the others are found by their agency.

use iced::widget::{column, row, text};
use iced::{Alignment, Element, Length};

use super::{Message, Request, sized_button};
use crate::ui::screen::Context;
use crate::ui::theme;
use mpp_core::catalog::Service;
use mpp_core::ids::{AgencyCode, ServiceCode};
use mpp_core::staff_closure::StaffNotice;
use mpp_core::strings::maintenance::Text;
use mpp_core::strings::staff_notice_text;

/// Which agency's services are listed, and which service is being closed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct State {
    pub agency: Option<AgencyCode>,
    /// The service whose notice is being picked.
    pub closing: Option<ServiceCode>,
}

/// The page's own choices (the closing and reopening themselves are [`Request`]s).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Choice {
    Agency(AgencyCode),
    /// Pick a notice for this service.
    Close(ServiceCode),
    /// Leave the service open after all.
    KeepOpen,
}

impl State {
    pub fn choose(&mut self, choice: Choice) {
        match choice {
            Choice::Agency(agency) => {
                self.agency = Some(agency);
                self.closing = None;
            }
            Choice::Close(service) => self.closing = Some(service),
            Choice::KeepOpen => self.closing = None,
        }
    }
}

pub fn view<'a>(context: &Context, state: &State, working: bool) -> Element<'a, Message> {
    let sizes = context.sizes;
    let language = context.language;
    let closed = &context.counts.closed_by_staff;
    let mut page = column![].spacing(12).width(Length::Fill);
    if closed.is_empty() {
        page = page.push(text(Text::NoServiceClosed.get(language)).size(sizes.body()));
    } else {
        page = page.push(
            text(Text::ClosedTodayList.get(language))
                .size(sizes.body())
                .font(theme::BOLD),
        );
        let mut services: Vec<&Service> = context
            .catalog
            .services
            .iter()
            .filter(|service| closed.contains_key(&service.code))
            .collect();
        services.sort_by(|a, b| a.code.cmp(&b.code));
        for service in services {
            page = page.push(service_line(context, service, working));
        }
    }
    page = page.push(
        text(Text::PickAgency.get(language))
            .size(sizes.body())
            .font(theme::BOLD),
    );
    let agencies = context.catalog.agencies.iter().map(|agency| {
        let colour = if state.agency.as_ref() == Some(&agency.code) {
            theme::NAVY
        } else {
            theme::MUTED
        };
        let choice = Message::Services(Choice::Agency(agency.code.clone()));
        sized_button(&agency.short_name, colour, Some(choice), context)
    });
    page = page.push(row(agencies).spacing(12).wrap().vertical_spacing(12));
    let Some(agency) = &state.agency else {
        return page.into();
    };
    for service in context.catalog.services_of(agency) {
        page = page.push(service_line(context, service, working));
        if state.closing.as_ref() == Some(&service.code) {
            page = page.push(notices(context, &service.code, working));
        }
    }
    page.into()
}

/// A service's name, whether staff closed it, and the one button that changes that.
fn service_line<'a>(context: &Context, service: &Service, working: bool) -> Element<'a, Message> {
    let sizes = context.sizes;
    let language = context.language;
    let notice = context.counts.closed_by_staff.get(&service.code);
    let (state, button) = match notice {
        Some(notice) => (
            Text::ServiceClosedWith.fill(
                language,
                &[("notice", staff_notice_text(*notice).get(language))],
            ),
            sized_button(
                Text::ReopenService.get(language),
                theme::GREEN,
                (!working).then(|| Message::Ask(Request::ReopenService(service.code.clone()))),
                context,
            ),
        ),
        None => (
            Text::ServiceOpen.get(language).to_owned(),
            sized_button(
                Text::CloseService.get(language),
                theme::RED,
                (!working).then(|| Message::Services(Choice::Close(service.code.clone()))),
                context,
            ),
        ),
    };
    let words = column![
        text(service.name.get(language).to_owned())
            .size(sizes.body())
            .font(theme::BOLD),
        text(format!("{} · {state}", service.code)).size(sizes.small()),
    ]
    .spacing(4)
    .width(Length::Fill);
    row![words, button]
        .spacing(12)
        .align_y(Alignment::Center)
        .into()
}

/// The notices to close `service` with, and "keep it open".
fn notices<'a>(context: &Context, service: &ServiceCode, working: bool) -> Element<'a, Message> {
    let language = context.language;
    let mut buttons: Vec<Element<'a, Message>> = StaffNotice::ALL
        .into_iter()
        .map(|notice| {
            let ask = Message::Ask(Request::CloseService(service.clone(), notice));
            sized_button(
                notice_button(notice).get(language),
                theme::RED,
                (!working).then_some(ask),
                context,
            )
        })
        .collect();
    buttons.push(sized_button(
        Text::KeepOpen.get(language),
        theme::MUTED,
        Some(Message::Services(Choice::KeepOpen)),
        context,
    ));
    column![
        text(Text::CloseWithNotice.get(language)).size(context.sizes.body()),
        row(buttons).spacing(12).wrap().vertical_spacing(12)
    ]
    .spacing(8)
    .into()
}

/// The notice's short words for its button (the visitors read the whole sentence).
fn notice_button(notice: StaffNotice) -> Text {
    match notice {
        StaffNotice::OfficerAway => Text::NoticeOfficerAway,
        StaffNotice::SystemDown => Text::NoticeSystemDown,
        StaffNotice::FullToday => Text::NoticeFullToday,
        StaffNotice::ClosedToday => Text::NoticeClosedToday,
    }
}
