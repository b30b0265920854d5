//! The menu's printer page: the printer's state as the driver sees it now, what to do about
//! it, the port, a test page and "a new paper roll is loaded".

use iced::widget::{column, text};
use iced::{Element, Length};

use super::{Facts, Message, Request, actions};
use crate::ui::screen::Context;
use crate::ui::theme;
use mpp_core::strings::maintenance::Text;
use mpp_core::strings::{printer_fix_text, printer_state_text};

/// The tallest the ticket's preview is drawn: it scrolls with the page.
const PREVIEW_HEIGHT: f32 = 520.0;

pub fn view<'a>(
    context: &Context,
    facts: &Facts,
    preview: Option<&iced::widget::image::Handle>,
    working: bool,
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
            text(Text::PrinterPort.fill(language, &[("port", &facts.printer_port)]))
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
    if let Some(picture) = preview {
        page = page
            .push(text(Text::PreviewNote.get(language)).size(sizes.body()))
            .push(
                iced::widget::image(picture.clone())
                    .height(Length::Fixed(PREVIEW_HEIGHT * sizes.scale))
                    .content_fit(iced::ContentFit::Contain),
            );
    }
    page.into()
}
