//! The menu's kiosk page: version, which kiosk and numbers, the configuration with its
//! secrets left out, and the only ways out of the kiosk: leave full screen, close the app
//! (systemd starts it again).

use iced::widget::{column, text};
use iced::{Element, Length};

use super::{Facts, Message, Request, actions};
use crate::ui::screen::Context;
use crate::ui::theme;
use mpp_core::strings::maintenance::Text;

pub fn view<'a>(context: &Context, facts: &Facts, working: bool) -> Element<'a, Message> {
    let sizes = context.sizes;
    let language = context.language;
    let (first, last) = facts.number_range;
    let mut page = column![
        text(Text::KioskVersion.fill(language, &[("version", &facts.version)]))
            .size(sizes.body())
            .font(theme::BOLD),
        text(Text::KioskId.fill(
            language,
            &[
                ("id", &facts.kiosk_id),
                ("first", &first.to_string()),
                ("last", &last.to_string()),
            ],
        ))
        .size(sizes.body()),
    ]
    .spacing(8)
    .width(Length::Fill);
    for line in &facts.config_summary {
        page = page.push(text(line.clone()).size(sizes.small()));
    }
    let mut buttons = Vec::new();
    if facts.full_screen {
        buttons.push((Text::ExitFullScreen, Request::LeaveFullScreen, theme::NAVY));
    }
    buttons.push((Text::ExitToDesktop, Request::QuitApp, theme::RED));
    page.push(actions(context, working, &buttons)).into()
}
