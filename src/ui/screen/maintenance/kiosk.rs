//! The menu's kiosk page: version, which kiosk and numbers, the configuration with its
//! secrets left out, and the only ways out of the kiosk: leave full screen, close the app
//! (systemd starts it again).

use iced::widget::{column, container, scrollable, text};
use iced::{Element, Length};

use super::fitted::wrapped_height;
use super::{Facts, Message, Request, actions};
use crate::ui::measure::text_height;
use crate::ui::screen::Context;
use crate::ui::theme;
use mpp_core::strings::maintenance::{Text, size_text};
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
    (working, room): (bool, iced::Size),
) -> Element<'a, Message> {
    let (pin_change, log_lines) = extra;
    if let Some(pad) = pin_change {
        // The new PIN has the screen to itself (its Cancel leads back).
        return super::pin_change::view(context, pad, working);
    }
    let sizes = context.sizes;
    let language = context.language;
    let (first, last) = facts.number_range;
    let mut lines = Vec::new();
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
    lines.push(Text::KioskVersion.fill(language, &[("version", &facts.version)]));
    lines.push(Text::KioskId.fill(
        language,
        &[
            ("id", &facts.kiosk_id),
            ("first", &first.to_string()),
            ("last", &last.to_string()),
        ],
    ));
    if let Some((size, free)) = storage {
        let sized = |bytes: u64| size_text(bytes, language);
        let free = free.map_or_else(|| "?".to_owned(), sized);
        let line = Text::DatabaseSize.fill(language, &[("size", &sized(size)), ("free", &free)]);
        lines.push(line.clone());
        page = page.push(text(line).size(sizes.body()));
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
    let scanner = scanner_line(context);
    if let Some((words, _)) = &scanner {
        lines.push(words.clone());
    }
    page = page.extend(scanner.map(|(words, colour)| {
        text(words)
            .size(sizes.body())
            .style(move |_| text::Style {
                color: Some(colour),
            })
            .into()
    }));
    let mut labels: Vec<&str> = buttons
        .iter()
        .map(|(label, ..)| label.get(language))
        .collect();
    labels.push(Text::ChangePin.get(language));
    let used = lines
        .iter()
        .map(|line| text_height(line, theme::BOLD, sizes.body(), room.width) + 8.0)
        .sum::<f32>()
        + wrapped_height(context, &labels, room.width)
        + 8.0;
    // The configuration and the log take the room left, and scroll inside it: however long
    // they are, the page keeps to the screen.
    let mut details = column![].spacing(6).padding([0.0, 12.0]);
    for line in &facts.config_summary {
        details = details.push(text(line.get(language).to_owned()).size(sizes.small()));
    }
    details = details.push(
        text(Text::RecentLog.get(language))
            .size(sizes.body())
            .font(theme::BOLD),
    );
    if log_lines.is_empty() {
        details = details.push(text(Text::NoLogLines.get(language)).size(sizes.small()));
    }
    for line in log_lines {
        details = details.push(text(line.clone()).size(sizes.small()));
    }
    let high_contrast = context.high_contrast;
    // Never less than a few lines, whatever the screen (the menu then scrolls as a whole).
    let height = (room.height - used).max(4.0 * sizes.small() * 1.3 + 16.0);
    let details = container(scrollable(details).height(Length::Fill))
        .padding(8)
        .height(Length::Fixed(height))
        .style(move |_| theme::card(high_contrast));
    page.push(details).into()
}

/// The ticket scanner's state where one is fitted, and when it last read a code: the
/// technician scans a ticket here to see it work (the menu itself ignores what it reads).
fn scanner_line(context: &Context) -> Option<(String, iced::Color)> {
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
    Some((words, colour))
}
