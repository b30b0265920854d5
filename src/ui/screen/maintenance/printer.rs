//! The menu's printer page: the printer's state as the driver sees it now, what to do about
//! it, the port, a test page and "a new paper roll is loaded".

use iced::widget::{column, text};
use iced::{Element, Length};

use super::{Facts, Message, Request, actions};
use crate::ui::screen::Context;
use crate::ui::theme;
use mpp_core::strings::maintenance::Text;
use mpp_core::strings::{printer_fix_text, printer_state_text};

/// The page in `room` (the body's width and the height left for it); the ticket's preview,
/// once asked for, stands beside the rest as tall as the room allows.
pub fn view<'a>(
    context: &Context,
    facts: &Facts,
    preview: Option<&iced::widget::image::Handle>,
    working: bool,
    room: iced::Size,
) -> Element<'a, Message> {
    let sizes = context.sizes;
    let language = context.language;
    let state = context.printer;
    let colour = if state.can_print() {
        theme::GREEN
    } else {
        theme::RED
    };
    let mut page = column![
        text(Text::PrinterStateNow.get(language))
            .size(sizes.small())
            .style(theme::muted),
        text(context.t(printer_state_text(state)))
            .size(sizes.heading())
            .font(theme::BOLD)
            .style(move |_| text::Style {
                color: Some(colour),
            }),
    ]
    .spacing(8)
    .width(Length::Fill);
    if state.needs_attention() {
        page = page.push(text(context.t(printer_fix_text(state))).size(sizes.body()));
    }
    page = page
        .push(
            text(Text::PrinterPort.fill(language, &[("port", facts.printer_port.get(language))]))
                .size(sizes.body()),
        )
        .push(actions(
            context,
            working,
            &[
                (Text::PrintTestPage, Request::PrintTestPage, theme::NAVY),
                (Text::PaperLoaded, Request::PaperLoaded, theme::GREEN),
            ],
        ))
        .push(super::sized_button(
            Text::ShowPreview.get(language),
            theme::MUTED,
            (!working).then_some(Message::PreviewAsked),
            context,
        ));
    let Some(picture) = preview else {
        return page.into();
    };
    // The preview takes two fifths of the width, its words above it.
    let width = (room.width - 16.0) * 0.4;
    let note = Text::PreviewNote.get(language);
    let note_height = crate::ui::measure::text_height(note, theme::FONT, sizes.body(), width);
    // As wide as the column, so its small print reads, and scrolled through in the room the
    // page leaves (a whole ticket shrunk to that height could not be read).
    let picture = iced::widget::image(picture.clone())
        .width(Length::Fill)
        .content_fit(iced::ContentFit::Contain);
    let shown = iced::widget::scrollable(picture)
        .height(Length::Fixed((room.height - note_height - 8.0).max(120.0)));
    let preview = column![text(note).size(sizes.body()), shown]
        .spacing(8)
        .width(Length::FillPortion(2));
    iced::widget::row![page.width(Length::FillPortion(3)), preview]
        .spacing(16)
        .into()
}
