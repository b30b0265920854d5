//! The agencies: coloured tiles, popular ones first, as many a page as the window holds, in
//! pages a finger can turn.

use iced::widget::{column, container, responsive, text};
use iced::{Alignment, Element, Length, Size, Task};

use super::Context;
use crate::ui::fit::{Demand, Paging, paginate};
use crate::ui::measure::text_height;
use crate::ui::theme::{self, Sizes};
use crate::ui::widgets::{header, pager_height, tap};
use mpp_core::catalog::Agency;
use mpp_core::ids::AgencyCode;
use mpp_core::strings::Text;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct State {
    pub page: usize,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Message {
    /// The visitor tapped an agency.
    Open(AgencyCode),
    /// The visitor turned to another page.
    ShowPage(usize),
    /// The visitor wants the start screen again.
    Back,
}

/// What the app should do after a message.
pub enum Action {
    None,
    Run(Task<Message>),
    /// Show the services of the agency with this code.
    OpenAgency(AgencyCode),
    /// Back to the start screen.
    Home,
}

impl State {
    pub fn update(&mut self, message: Message) -> Action {
        match message {
            Message::Open(code) => Action::OpenAgency(code),
            Message::ShowPage(page) => {
                self.page = page;
                Action::None
            }
            Message::Back => Action::Home,
        }
    }

    pub fn view<'a>(&'a self, context: &Context<'a>) -> Element<'a, Message> {
        let title = context.t(Text::ChooseAgency);
        let header = header(title, context.t(Text::Back), Message::Back, context.sizes);
        let context = context.clone();
        let body = responsive(move |size| grid(self, &context, size));
        column![header, container(body).padding(16).height(Length::Fill),].into()
    }
}

/// Popular agencies first, then the catalog's order.
pub fn ordered<'a>(context: &Context<'a>) -> Vec<&'a Agency> {
    let mut agencies: Vec<&Agency> = context.catalog.agencies.iter().collect();
    agencies.sort_by_key(|agency| !agency.popular);
    agencies
}

/// Space between tiles and between the tiles and the pager.
const GAP: f32 = 12.0;
const TILE_PADDING: f32 = 10.0;

/// The agencies' pages at `size` (the room under the header): each tile as tall as its names
/// need in the column width tried.
pub fn paging_for(agencies: &[&Agency], context: &Context, size: Size) -> Paging {
    let sizes = context.sizes;
    let tile_height = |index: usize, column: f32| {
        let agency = agencies[index];
        let width = column - 2.0 * TILE_PADDING;
        let mut text = text_height(
            &agency.short_name,
            theme::BOLD,
            short_name_size(sizes),
            width,
        );
        if let Some(name) = full_name(agency, context) {
            text += 4.0 + text_height(name, theme::FONT, full_name_size(sizes), width);
        }
        (text + 2.0 * TILE_PADDING).max(sizes.target() * 1.25)
    };
    paginate(
        size,
        &Demand {
            count: agencies.len(),
            gap: GAP,
            min_column_width: 220.0 * sizes.scale,
            max_columns: 6,
            card_height: &tile_height,
            pager_height: pager_height(sizes) + GAP,
        },
    )
}

fn short_name_size(sizes: Sizes) -> f32 {
    sizes.heading() * 0.75
}

fn full_name_size(sizes: Sizes) -> f32 {
    sizes.small() * 0.85
}

/// The full name says what a short name like "DPMPTSP" means; it is left out when it adds
/// nothing.
fn full_name<'a>(agency: &'a Agency, context: &Context) -> Option<&'a str> {
    let name = agency.name.get(context.language);
    (!name.eq_ignore_ascii_case(&agency.short_name)).then_some(name)
}

fn grid<'a>(state: &State, context: &Context<'a>, size: Size) -> Element<'a, Message> {
    let agencies = ordered(context);
    let paging = paging_for(&agencies, context, size);
    super::paged_cards(
        &agencies,
        super::PageShown {
            paging: &paging,
            page: state.page,
            gap: GAP,
            width: size.width,
        },
        |agency| tile(agency, context),
        Message::ShowPage,
        context,
    )
}

fn tile<'a>(agency: &Agency, context: &Context<'a>) -> Element<'a, Message> {
    let sizes = context.sizes;
    let colour = theme::catalog_colour(&agency.colour);
    let mut content = column![
        text(agency.short_name.clone())
            .size(short_name_size(sizes))
            .font(theme::BOLD)
    ]
    .spacing(4);
    if let Some(name) = full_name(agency, context) {
        content = content.push(text(name.to_owned()).size(full_name_size(sizes)));
    }
    let body = container(content)
        .padding(TILE_PADDING)
        .width(Length::Fill)
        .height(Length::Fill)
        .align_y(Alignment::Center)
        .style(move |_| theme::panel(colour, theme::WHITE));
    tap(body, Some(Message::Open(agency.code.clone())))
}
