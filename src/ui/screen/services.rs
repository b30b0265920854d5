//! The services of one agency, each with its fee and whether it gives numbers now: as many
//! cards a page as the window holds (two or three columns on wide screens), and a pager whose
//! page numbers reach any page in one tap.

use iced::widget::{column, container, responsive, row, text};
use iced::{Alignment, Element, Length, Size, Task};

use super::Context;
use super::availability_text::short_state_line;
use crate::ui::fit::{Demand, Paging, paginate};
use crate::ui::measure::text_height;
use crate::ui::theme;
use crate::ui::widgets::{header, pager_height, tap};
use mpp_core::catalog::{Fee, Service};
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
                .padding(16)
                .height(Length::Fill),
        ]
        .into()
    }
}

/// Space between cards and between the cards and the pager.
const GAP: f32 = 8.0;
/// Inside a card, around its text.
const CARD_PADDING: [f32; 2] = [8.0, 16.0];
/// The "›" at the end of a card, and its gap.
const ARROW_ROOM: f32 = 40.0;

/// The services' pages at `size` (the room under the header): each card as tall as its name
/// and state need in the column width tried.
pub fn paging_for(services: &[&Service], context: &Context, size: Size) -> Paging {
    let sizes = context.sizes;
    let lines: Vec<(&str, String)> = services
        .iter()
        .map(|service| {
            (
                service.name.get(context.language),
                meta_line(service, context).0,
            )
        })
        .collect();
    let card_height = |index: usize, column: f32| {
        let width = column - 2.0 * CARD_PADDING[1] - ARROW_ROOM;
        let (name, meta) = &lines[index];
        let text = text_height(name, theme::SEMIBOLD, sizes.body(), width)
            + 4.0
            + text_height(meta, theme::BOLD, sizes.small(), width);
        (text + 2.0 * CARD_PADDING[0]).max(sizes.target())
    };
    paginate(
        size,
        &Demand {
            count: services.len(),
            gap: GAP,
            min_column_width: 340.0 * sizes.scale,
            max_columns: 3,
            card_height: &card_height,
            pager_height: pager_height(sizes) + GAP,
        },
    )
}

fn list<'a>(state: &State, context: &Context<'a>, size: Size) -> Element<'a, Message> {
    let services: Vec<&Service> = context.catalog.services_of(&state.agency).collect();
    let paging = paging_for(&services, context, size);
    super::paged_cards(
        &services,
        super::PageShown {
            paging: &paging,
            page: state.page,
            gap: GAP,
            width: size.width,
        },
        |service| service_card(service, context),
        Message::ShowPage,
        context,
    )
}

/// The fee and whether the service gives numbers now, in the colour of the latter. A fee that
/// depends on the case is explained on the service's own screen: here it would take lines.
fn meta_line(service: &Service, context: &Context) -> (String, iced::Color) {
    let (state, colour) = short_state_line(service, context);
    match service.fee {
        Fee::Fixed(_) => {
            let fee = fee_text(&service.fee, context.language);
            (format!("{fee}  ·  {state}"), colour)
        }
        Fee::Varies { .. } => (state, colour),
    }
}

fn service_card<'a>(service: &Service, context: &Context<'a>) -> Element<'a, Message> {
    let sizes = context.sizes;
    let (meta, colour) = meta_line(service, context);
    let details = column![
        text(service.name.get(context.language).to_owned())
            .size(sizes.body())
            .font(theme::SEMIBOLD),
        text(meta)
            .size(sizes.small())
            .font(theme::BOLD)
            .color(colour),
    ]
    .spacing(4)
    .width(Length::Fill);
    let high_contrast = context.high_contrast;
    let body = container(
        row![details, text("›").size(sizes.heading())]
            .spacing(16)
            .align_y(Alignment::Center),
    )
    .padding(CARD_PADDING)
    .width(Length::Fill)
    .height(Length::Fill)
    .align_y(Alignment::Center)
    .style(move |_| theme::card(high_contrast));
    tap(body, Some(Message::Open(service.code.clone())))
}
