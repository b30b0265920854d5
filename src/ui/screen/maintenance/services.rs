//! The menu's services page: close a service for the rest of today with a notice the visitors
//! read on it (the officer is away, the agency's system is down), and open it again with one
//! tap. First the agencies (with how many of their services staff closed today) and, when
//! some are, "closed today" for reopening; then an agency's services; then the notice. Every
//! list pages to fit the screen: no button lies below its edge.

use iced::widget::{column, row, text};
use iced::{Element, Length, Size};

use super::fitted::{Line, list};
use super::{Message, Request, sized_button};
use crate::ui::measure::text_height;
use crate::ui::screen::Context;
use crate::ui::theme;
use crate::ui::widgets::button_height;
use mpp_core::catalog::Service;
use mpp_core::ids::{AgencyCode, ServiceCode};
use mpp_core::staff_notice::StaffNotice;
use mpp_core::strings::maintenance::Text;
use mpp_core::strings::staff_notice_text;

/// Space between the page's parts.
const GAP: f32 = 12.0;

/// Which list is shown, on which of its pages, and which service is being closed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct State {
    pub showing: Showing,
    pub page: usize,
    /// The service whose notice is being picked.
    pub closing: Option<ServiceCode>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Showing {
    #[default]
    Agencies,
    /// The services of one agency.
    Agency(AgencyCode),
    /// The services staff closed today.
    Closed,
}

/// The page's own choices (the closing and reopening themselves are [`Request`]s).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Choice {
    Agency(AgencyCode),
    ClosedList,
    /// Back to the agencies (or from a notice, to the list).
    Back,
    Page(usize),
    /// Pick a notice for this service.
    Close(ServiceCode),
    /// Leave the service open after all.
    KeepOpen,
}

impl State {
    pub fn choose(&mut self, choice: Choice) {
        match choice {
            Choice::Agency(agency) => self.show(Showing::Agency(agency)),
            Choice::ClosedList => self.show(Showing::Closed),
            Choice::Back if self.closing.is_some() => self.closing = None,
            Choice::Back => self.show(Showing::Agencies),
            Choice::Page(page) => self.page = page,
            Choice::Close(service) => self.closing = Some(service),
            Choice::KeepOpen => self.closing = None,
        }
    }

    fn show(&mut self, showing: Showing) {
        self.showing = showing;
        self.page = 0;
        self.closing = None;
    }

    /// Whether the page has the screen to itself (the menu's buttons hidden): inside an
    /// agency, the closed list or a notice, where its own Back leads out.
    pub fn is_focused(&self) -> bool {
        self.closing.is_some() || self.showing != Showing::Agencies
    }
}

/// The page in `room` (the body's width and the height left for it).
pub fn view<'a>(
    context: &Context,
    state: &State,
    working: bool,
    room: Size,
) -> Element<'a, Message> {
    if let Some(service) = &state.closing {
        return notices(context, service, working);
    }
    match &state.showing {
        Showing::Agencies => agencies(context, state, room),
        Showing::Agency(agency) => {
            let name = context
                .catalog
                .agency(agency)
                .map_or_else(|| agency.to_string(), |a| a.short_name.clone());
            let services = context.catalog.services_of(agency).collect();
            services_list(context, state, working, room, &name, services)
        }
        Showing::Closed => {
            let closed = &context.counts.closed_by_staff;
            let services = context
                .catalog
                .services
                .iter()
                .filter(|service| closed.contains_key(&service.code))
                .collect();
            let title = Text::ClosedTodayList.get(context.language);
            services_list(context, state, working, room, title, services)
        }
    }
}

/// The agencies, each with how many of its services staff closed today, and the way to the
/// closed ones when there are any.
fn agencies<'a>(context: &Context, state: &State, room: Size) -> Element<'a, Message> {
    let sizes = context.sizes;
    let language = context.language;
    let closed = &context.counts.closed_by_staff;
    let mut page = column![].spacing(GAP).width(Length::Fill);
    let mut left = room.height;
    if closed.is_empty() {
        let words = Text::NoServiceClosed.get(language);
        left -= text_height(words, theme::FONT, sizes.body(), room.width) + GAP;
        page = page.push(text(words).size(sizes.body()));
    } else {
        let label = Text::ShowClosed.fill(language, &[("count", &closed.len().to_string())]);
        left -= button_height(sizes) + GAP;
        let show = Some(Message::Services(Choice::ClosedList));
        page = page.push(sized_button(&label, theme::RED, show, context));
    }
    let pick = Text::PickAgency.get(language);
    left -= text_height(pick, theme::BOLD, sizes.body(), room.width) + GAP;
    page = page.push(text(pick).size(sizes.body()).font(theme::BOLD));
    // In the order visitors see them: popular ones first.
    let agencies = crate::ui::screen::agencies::ordered(context);
    let labels = agencies
        .iter()
        .map(|agency| {
            let count = context
                .catalog
                .services_of(&agency.code)
                .filter(|service| closed.contains_key(&service.code))
                .count();
            if count == 0 {
                (agency.short_name.clone(), theme::NAVY)
            } else {
                let label = Text::AgencyClosedCount.fill(
                    language,
                    &[
                        ("agency", &agency.short_name),
                        ("closed", &count.to_string()),
                    ],
                );
                (label, theme::RED)
            }
        })
        .collect();
    let codes: Vec<AgencyCode> = agencies.iter().map(|a| a.code.clone()).collect();
    let pressed = move |index: usize| Message::Services(Choice::Agency(codes[index].clone()));
    let to_page = |page| Message::Services(Choice::Page(page));
    let room = Size::new(room.width, left);
    page.push(super::fitted::buttons(
        context, labels, state.page, room, pressed, to_page,
    ))
    .into()
}

/// `services` under a Back button and `title`, each with its state and the one button that
/// changes it.
fn services_list<'a>(
    context: &Context,
    state: &State,
    working: bool,
    room: Size,
    title: &str,
    services: Vec<&Service>,
) -> Element<'a, Message> {
    let sizes = context.sizes;
    let language = context.language;
    let back = sized_button(
        Text::BackToAgencies.get(language),
        theme::MUTED,
        Some(Message::Services(Choice::Back)),
        context,
    );
    let top = row![
        back,
        text(title.to_owned()).size(sizes.body()).font(theme::BOLD)
    ]
    .spacing(GAP)
    .align_y(iced::Alignment::Center);
    let lines = services
        .into_iter()
        .map(|service| service_line(context, service, working))
        .collect();
    let left = room.height - button_height(sizes) - GAP;
    let to_page = |page| Message::Services(Choice::Page(page));
    column![
        top,
        list(
            context,
            lines,
            state.page,
            Size::new(room.width, left),
            to_page
        )
    ]
    .spacing(GAP)
    .width(Length::Fill)
    .into()
}

/// A service's name, whether staff closed it, and the one button that changes that.
fn service_line(context: &Context, service: &Service, working: bool) -> Line {
    let language = context.language;
    match context.counts.closed_by_staff.get(&service.code) {
        Some(notice) => Line {
            title: service.name.get(language).to_owned(),
            detail: Text::ServiceClosedWith.fill(
                language,
                &[("notice", staff_notice_text(*notice).get(language))],
            ),
            button: Text::ReopenService.get(language).to_owned(),
            colour: theme::GREEN,
            message: (!working).then(|| Message::Ask(Request::ReopenService(service.code.clone()))),
        },
        None => Line {
            title: service.name.get(language).to_owned(),
            detail: format!("{} · {}", service.code, Text::ServiceOpen.get(language)),
            button: Text::CloseService.get(language).to_owned(),
            colour: theme::RED,
            message: (!working).then(|| Message::Services(Choice::Close(service.code.clone()))),
        },
    }
}

/// The notices to close `service` with, and "keep it open".
fn notices<'a>(context: &Context, service: &ServiceCode, working: bool) -> Element<'a, Message> {
    let sizes = context.sizes;
    let language = context.language;
    let name = context
        .catalog
        .service(service)
        .map_or_else(|| service.to_string(), |s| s.name.get(language).to_owned());
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
        text(Text::ClosingService.fill(language, &[("service", &name)]))
            .size(sizes.body())
            .font(theme::BOLD),
        text(Text::CloseWithNotice.get(language)).size(sizes.body()),
        row(buttons).spacing(GAP).wrap().vertical_spacing(GAP)
    ]
    .spacing(GAP)
    .width(Length::Fill)
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
