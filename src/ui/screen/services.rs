//! The services of one agency, each with its fee and whether it gives numbers now.

use iced::widget::{Column, column, container, responsive, row, text};
use iced::{Alignment, Element, Length, Size, Task};

use super::Context;
use super::availability_text::state_line;
use crate::ui::theme;
use crate::ui::widgets::{header, pager, paginate, tap};
use mpp_core::catalog::Service;
use mpp_core::ids::{AgencyCode, ServiceCode};
use mpp_core::strings::{Text, fee_text};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct State {
    pub agency: AgencyCode,
    pub page: usize,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Message {
    /// The visitor tapped a service.
    Open(ServiceCode),
    /// The visitor turned to another page.
    ShowPage(usize),
    /// The visitor wants the agencies again.
    Back,
}

/// What the app should do after a message.
pub enum Action {
    None,
    Run(Task<Message>),
    /// Show the service with this code.
    OpenService(ServiceCode),
    Back,
}

impl State {
    /// The first page of an agency's services.
    pub fn new(agency: AgencyCode) -> Self {
        Self { agency, page: 0 }
    }

    pub fn update(&mut self, message: Message) -> Action {
        match message {
            Message::Open(code) => Action::OpenService(code),
            Message::ShowPage(page) => {
                self.page = page;
                Action::None
            }
            Message::Back => Action::Back,
        }
    }

    pub fn view<'a>(&'a self, context: &Context<'a>) -> Element<'a, Message> {
        let title = context
            .catalog
            .agency(&self.agency)
            .map_or(self.agency.to_string(), |agency| {
                agency.name.get(context.language).to_owned()
            });
        let header = header(&title, context.t(Text::Back), Message::Back, context.sizes);
        let context = context.clone();
        column![
            header,
            container(responsive(move |size| list(self, &context, size)))
                .padding(24)
                .height(Length::Fill),
        ]
        .into()
    }
}

/// Rows that fit the height, each tall enough for two lines of a long Indonesian name.
pub fn rows_for(size: Size, scale: f32) -> usize {
    (((size.height - 120.0) / (130.0 * scale)) as usize).clamp(2, 12)
}

fn list<'a>(state: &State, context: &Context<'a>, size: Size) -> Element<'a, Message> {
    let services: Vec<&Service> = context.catalog.services_of(&state.agency).collect();
    let per_page = rows_for(size, context.sizes.scale);
    let (pages, page) = paginate(services.len(), per_page, state.page);
    let mut rows = Column::new().spacing(16).height(Length::Fill);
    for service in services.iter().skip(page * per_page).take(per_page) {
        rows = rows.push(service_row(service, context));
    }
    let labels = context.pager_labels(page, pages);
    column![
        rows,
        pager(page, pages, Message::ShowPage, labels, context.sizes)
    ]
    .spacing(20)
    .into()
}

fn service_row<'a>(service: &Service, context: &Context<'a>) -> Element<'a, Message> {
    let sizes = context.sizes;
    let (state, colour) = state_line(service, context);
    let details = column![
        text(service.name.get(context.language).to_owned())
            .size(sizes.body())
            .font(theme::SEMIBOLD),
        text(state).size(sizes.small()).color(colour),
    ]
    .spacing(6)
    .width(Length::Fill);
    let fee = text(fee_text(&service.fee, context.language))
        .size(sizes.body())
        .font(theme::BOLD)
        .width(Length::Fixed(220.0 * sizes.scale))
        .align_x(iced::alignment::Horizontal::Right);
    let high_contrast = context.high_contrast;
    let body = container(
        row![details, fee, text("›").size(sizes.heading())]
            .spacing(20)
            .align_y(Alignment::Center),
    )
    .padding([14.0, 20.0])
    .width(Length::Fill)
    .height(Length::FillPortion(1))
    .align_y(Alignment::Center)
    .style(move |_| theme::card(high_contrast));
    tap(body, Some(Message::Open(service.code.clone())))
}
