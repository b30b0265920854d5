//! The agencies: large coloured tiles, popular ones first, in pages a finger can turn.

use iced::widget::{Column, Row, column, container, responsive, text};
use iced::{Alignment, Element, Length, Size, Task};

use super::Context;
use crate::ui::theme;
use crate::ui::widgets::{header, pager, paginate, tap};
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
        column![header, container(body).padding(24).height(Length::Fill),].into()
    }
}

/// Popular agencies first, then the catalog's order.
pub fn ordered<'a>(context: &Context<'a>) -> Vec<&'a Agency> {
    let mut agencies: Vec<&Agency> = context.catalog.agencies.iter().collect();
    agencies.sort_by_key(|agency| !agency.popular);
    agencies
}

/// Columns and rows of tiles that fit `size` (the area under the header) with tiles big
/// enough for a finger and for a three-line agency name.
pub fn grid_for(size: Size, scale: f32) -> (usize, usize) {
    let columns = ((size.width / (290.0 * scale)) as usize).clamp(2, 5);
    let rows = (((size.height - 110.0) / (190.0 * scale)) as usize).clamp(2, 6);
    (columns, rows)
}

fn grid<'a>(state: &State, context: &Context<'a>, size: Size) -> Element<'a, Message> {
    let agencies = ordered(context);
    let (columns, rows) = grid_for(size, context.sizes.scale);
    let (pages, page) = paginate(agencies.len(), columns * rows, state.page);
    let shown = agencies
        .iter()
        .skip(page * columns * rows)
        .take(columns * rows);
    let mut grid = Column::new().spacing(20).height(Length::Fill);
    let mut current = Row::new().spacing(20).height(Length::FillPortion(1));
    let mut in_row = 0;
    for agency in shown {
        current = current.push(tile(agency, context));
        in_row += 1;
        if in_row == columns {
            grid = grid.push(current);
            current = Row::new().spacing(20).height(Length::FillPortion(1));
            in_row = 0;
        }
    }
    if in_row > 0 {
        for _ in in_row..columns {
            current = current.push(container(text("")).width(Length::Fill));
        }
        grid = grid.push(current);
    }
    let labels = context.pager_labels(page, pages);
    column![
        grid,
        pager(page, pages, Message::ShowPage, labels, context.sizes)
    ]
    .spacing(20)
    .into()
}

fn tile<'a>(agency: &Agency, context: &Context<'a>) -> Element<'a, Message> {
    let sizes = context.sizes;
    let colour = theme::catalog_colour(&agency.colour);
    let name = agency.name.get(context.language);
    let mut content = column![
        text(agency.short_name.clone())
            .size(sizes.heading() * 0.9)
            .font(theme::BOLD)
    ]
    .spacing(6);
    // The full name says what a short name like "DPMPTSP" means; it is left out when it adds nothing.
    if !name.eq_ignore_ascii_case(&agency.short_name) {
        content = content.push(text(name.to_owned()).size(sizes.small()));
    }
    let body = container(content)
        .padding(20)
        .width(Length::Fill)
        .height(Length::Fill)
        .align_y(Alignment::Center)
        .style(move |_| theme::panel(colour, theme::WHITE));
    container(tap(body, Some(Message::Open(agency.code.clone()))))
        .width(Length::Fill)
        .height(Length::Fill)
        .into()
}
