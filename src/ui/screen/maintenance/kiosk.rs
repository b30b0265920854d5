//! The menu's kiosk page: version, which kiosk and numbers, the configuration with its
//! secrets left out, and the only ways out of the kiosk: leave full screen, close the app
//! (systemd starts it again).

use iced::widget::{column, text};
use iced::{Element, Length};

use super::{Facts, Message, Request, actions};
use crate::ui::screen::Context;
use crate::ui::theme;
use mpp_core::strings::maintenance::Text;
use mpp_station::scanner::ScannerStatus;

/// Log lines shown: what fits on a screen's page, newest last.
pub const LOG_LINES: usize = 15;

/// The kiosk page; `storage` is the database's size and the disk's free space in bytes;
/// `extra` the new PIN being typed, if any, and the recent log lines.
pub fn view<'a>(
    context: &Context,
    facts: &Facts,
    storage: Option<(u64, Option<u64>)>,
    extra: (Option<&super::pin_change::State>, &[String]),
    working: bool,
) -> Element<'a, Message> {
    let (pin_change, log_lines) = extra;
    if let Some(pad) = pin_change {
        // The new PIN has the screen to itself (its Cancel leads back).
        return super::pin_change::view(context, pad, working);
    }
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
    if let Some((size, free)) = storage {
        let megabytes = |bytes: u64| format!("{:.1}", bytes as f64 / 1_048_576.0);
        let free = free.map_or_else(|| "?".to_owned(), megabytes);
        page = page.push(
            text(Text::DatabaseSize.fill(language, &[("size", &megabytes(size)), ("free", &free)]))
                .size(sizes.body()),
        );
    }
    // The buttons before the configuration's lines: however many lines a kiosk's file gives,
    // no button is pushed below the screen's edge.
    let mut buttons = vec![
        (Text::RestartApp, Request::RestartApp, theme::NAVY),
        (Text::TestSound, Request::TestSound, theme::NAVY),
    ];
    if facts.full_screen {
        buttons.push((Text::ExitFullScreen, Request::LeaveFullScreen, theme::NAVY));
    }
    buttons.push((Text::ExitToDesktop, Request::QuitApp, theme::RED));
    let change_pin = super::sized_button(
        Text::ChangePin.get(language),
        theme::MUTED,
        (!working).then_some(Message::ChangePinOpened),
        context,
    );
    page = page.push(
        iced::widget::row![actions(context, working, &buttons), change_pin]
            .spacing(12)
            .wrap()
            .vertical_spacing(12),
    );
    page = page.extend(scanner_line(context));
    for line in &facts.config_summary {
        page = page.push(text(line.clone()).size(sizes.small()));
    }
    page = page.push(
        text(Text::RecentLog.get(language))
            .size(sizes.body())
            .font(theme::BOLD),
    );
    if log_lines.is_empty() {
        page = page.push(text(Text::NoLogLines.get(language)).size(sizes.small()));
    }
    for line in log_lines {
        page = page.push(text(line.clone()).size(sizes.small()));
    }
    page.into()
}

/// The ticket scanner's state where one is fitted, and when it last read a code: the
/// technician scans a ticket here to see it work (the menu itself ignores what it reads).
fn scanner_line<'a>(context: &Context) -> Option<Element<'a, Message>> {
    let language = context.language;
    let (words, colour) = match (context.scanner, context.last_scan) {
        (ScannerStatus::NotFitted, _) => return None,
        (ScannerStatus::Absent { reason }, _) => (
            Text::ScannerAbsent.fill(language, &[("reason", reason)]),
            theme::RED,
        ),
        (ScannerStatus::Connected, None) => (
            Text::ScannerConnected.get(language).to_owned(),
            theme::GREEN,
        ),
        (ScannerStatus::Connected, Some(at)) => (
            Text::ScannerLastRead.fill(language, &[("time", &at.format("%H:%M:%S").to_string())]),
            theme::GREEN,
        ),
    };
    Some(
        text(words)
            .size(context.sizes.body())
            .style(move |_| text::Style {
                color: Some(colour),
            })
            .into(),
    )
}
