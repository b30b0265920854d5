//! The menu's recovery page: the business day's verdict in plain words (a clock that disagrees
//! with the last ticket or the server), the one action that settles a day in doubt (as
//! `mpp-kiosk day settle`), today's first number for a new database (as `day start-at N`, typed
//! on a number pad), and the screen-cleaning mode.

use iced::widget::{column, row, text};
use iced::{Element, Length};

use super::{Message, Request, actions, sized_button};
use crate::ui::screen::Context;
use crate::ui::theme;
use mpp_core::day_check::DayVerdict;
use mpp_core::strings::maintenance::Text;

/// The most digits a first number has (ranges end at 9999 or below).
pub const FIRST_DIGITS: usize = 4;

pub fn view<'a>(
    context: &Context,
    verdict: Option<&DayVerdict>,
    first: &str,
    working: bool,
) -> Element<'a, Message> {
    let sizes = context.sizes;
    let language = context.language;
    let (words, colour) = match verdict {
        None => (Text::Loading.get(language).to_owned(), theme::INK),
        Some(DayVerdict::Serve(day)) => (
            Text::DayServing.fill(language, &[("day", &day.to_string())]),
            theme::GREEN,
        ),
        Some(DayVerdict::Return { from, to }) => (
            Text::DayReturning.fill(
                language,
                &[("from", &from.to_string()), ("to", &to.to_string())],
            ),
            theme::INK,
        ),
        Some(DayVerdict::Doubt(doubt)) => {
            let server = doubt.server_day.map_or_else(
                || Text::ServerUnknown.get(language).to_owned(),
                |day| day.to_string(),
            );
            let values = [
                ("held", doubt.held_day.to_string()),
                ("clock", doubt.clock_day.to_string()),
                ("server", server),
            ];
            let values: Vec<(&str, &str)> = values
                .iter()
                .map(|(key, value)| (*key, value.as_str()))
                .collect();
            (Text::DayInDoubt.fill(language, &values), theme::RED)
        }
    };
    let page = column![
        text(words)
            .size(sizes.body())
            .font(theme::BOLD)
            .style(move |_| text::Style {
                color: Some(colour),
            })
    ]
    .spacing(12)
    .width(Length::Fill);
    let mut buttons = vec![(Text::CleanScreen, Request::CleanScreen, theme::NAVY)];
    if matches!(verdict, Some(DayVerdict::Doubt(_))) {
        buttons.insert(0, (Text::SettleDay, Request::SettleDay, theme::RED));
    }
    let shown = if first.is_empty() { "–" } else { first };
    page.push(actions(context, working, &buttons))
        .push(text(Text::StartAtLabel.fill(language, &[("first", shown)])).size(sizes.body()))
        .push(number_pad(context, first, working))
        .into()
}

/// The digits (one row, wrapping on a narrow screen), then delete and "start at this number".
fn number_pad<'a>(context: &Context, first: &str, working: bool) -> Element<'a, Message> {
    let digit = |digit: u8| {
        sized_button(
            &digit.to_string(),
            theme::NAVY,
            (!working && first.len() < FIRST_DIGITS).then_some(Message::FirstDigit(digit)),
            context,
        )
    };
    let start = first
        .parse::<u32>()
        .ok()
        .filter(|first| *first > 0 && !working)
        .map(|first| Message::Ask(Request::StartAt(first)));
    column![
        row((1..=9).chain([0]).map(digit))
            .spacing(8)
            .wrap()
            .vertical_spacing(8),
        row![
            sized_button(
                Text::ClearDigit.get(context.language),
                theme::MUTED,
                (!first.is_empty()).then_some(Message::FirstDeleted),
                context,
            ),
            sized_button(
                Text::StartAt.get(context.language),
                theme::GREEN,
                start,
                context
            ),
        ]
        .spacing(8)
        .wrap()
        .vertical_spacing(8),
    ]
    .spacing(8)
    .into()
}
