//! The services of one agency, each with its fee and whether it gives numbers now.

use iced::widget::{Column, column, container, responsive, row, text};
use iced::{Alignment, Color, Element, Length, Size};

use super::Context;
use crate::ui::theme;
use crate::ui::widgets::{header, pager, paginate, tap};
use mpp_core::catalog::Service;
use mpp_core::schedule::Availability;
use mpp_core::strings::{Text, closure_text, fee_text};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct State {
    pub agency: String,
    pub page: usize,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Message {
    /// The visitor tapped a service.
    Open(String),
    ShowPage(usize),
    Back,
}

pub enum Action {
    None,
    Open(String),
    Back,
}

pub fn update(state: &mut State, message: Message) -> Action {
    match message {
        Message::Open(code) => Action::Open(code),
        Message::ShowPage(page) => {
            state.page = page;
            Action::None
        }
        Message::Back => Action::Back,
    }
}

pub fn view<'a>(state: &'a State, context: &Context<'a>) -> Element<'a, Message> {
    let title = context
        .catalog
        .agency(&state.agency)
        .map_or(state.agency.clone(), |agency| {
            agency.name.get(context.language).to_owned()
        });
    let header = header(&title, Message::Back, context);
    let context = context.clone();
    column![
        header,
        container(responsive(move |size| list(state, &context, size)))
            .padding(24)
            .height(Length::Fill),
    ]
    .into()
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
    column![rows, pager(page, pages, Message::ShowPage, context)]
        .spacing(20)
        .into()
}

/// One line of state: open with quota left, or closed with why and until when.
pub fn state_line(service: &Service, context: &Context) -> (String, Color) {
    match context.availability(service) {
        Availability::Open { quota_left, cutoff } => {
            let mut line = format!("{} {cutoff}", context.t(Text::OpenUntil));
            if let Some(left) = quota_left {
                line.push_str(&format!(" · {}: {left}", context.t(Text::QuotaLeft)));
            }
            (format!("✓ {line}"), theme::GREEN)
        }
        Availability::Closed(closure) => (
            format!(
                "✕ {}",
                closure_text(&closure, context.local_now.date(), context.language)
            ),
            theme::RED,
        ),
    }
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
