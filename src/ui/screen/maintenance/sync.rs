//! The menu's sync page: whether the central server answered the last round, when a round last
//! succeeded, what is still unsent and since when, what the server refused and why, the
//! catalog's version, and "sync now" (which takes a newer catalog too).

use chrono::{DateTime, Utc};
use iced::widget::{column, text};
use iced::{Element, Length};

use super::{Facts, Message, Request, actions};
use crate::ui::screen::Context;
use crate::ui::theme;
use mpp_common::instant;
use mpp_core::strings::maintenance::Text;
use mpp_station::sync::Status;

/// How many of the server's latest refusals are shown.
const REFUSALS_SHOWN: usize = 3;

pub fn view<'a>(
    context: &Context,
    facts: &Facts,
    status: Option<&Status>,
    working: bool,
) -> Element<'a, Message> {
    let sizes = context.sizes;
    let language = context.language;
    let version = context.catalog.version.to_string();
    let mut page = column![
        text(Text::CatalogVersion.fill(language, &[("version", &version)])).size(sizes.body())
    ]
    .spacing(8)
    .width(Length::Fill);
    if !facts.syncs {
        return page
            .push(text(Text::SyncOff.get(language)).size(sizes.body()))
            .push(actions(
                context,
                working,
                &[(Text::ReloadCatalog, Request::ReloadCatalog, theme::MUTED)],
            ))
            .into();
    }
    let Some(status) = status else {
        return page
            .push(text(Text::Loading.get(language)).size(sizes.body()))
            .into();
    };
    let (reachable, colour) = if reachable(status) {
        (Text::SyncReachable, theme::GREEN)
    } else {
        (Text::SyncUnreachable, theme::RED)
    };
    let zone = facts.time_zone;
    let local = |at: DateTime<Utc>| {
        format!(
            "{} {}",
            zone.local(at).format("%Y-%m-%d %H:%M"),
            zone.abbreviation()
        )
    };
    let last_ok = match status.last_ok.as_deref().and_then(instant::parse) {
        Some(at) => Text::SyncLastOk.fill(language, &[("time", &local(at))]),
        None => Text::SyncNever.get(language).to_owned(),
    };
    page = page
        .push(
            text(reachable.get(language))
                .size(sizes.heading())
                .font(theme::BOLD)
                .style(move |_| text::Style {
                    color: Some(colour),
                }),
        )
        .push(text(last_ok).size(sizes.body()))
        .push(
            text(Text::SyncUnsent.fill(language, &[("count", &status.unsent.to_string())]))
                .size(sizes.body()),
        );
    if let Some(oldest) = status.oldest_unsent {
        page = page.push(
            text(Text::SyncOldest.fill(language, &[("time", &local(oldest))])).size(sizes.body()),
        );
    }
    page = page.push(
        text(Text::SyncRefused.fill(language, &[("count", &status.refused.to_string())]))
            .size(sizes.body()),
    );
    for refusal in status.latest_refusals.iter().take(REFUSALS_SHOWN) {
        // The server's own reason, for the technician: it names no visitor (tickets carry none).
        page = page.push(text(format!("· {}", refusal.reason)).size(sizes.small()));
    }
    page.push(actions(
        context,
        working,
        &[
            (Text::SyncNow, Request::SyncNow, theme::NAVY),
            (Text::ReloadCatalog, Request::ReloadCatalog, theme::MUTED),
        ],
    ))
    .into()
}

/// Whether the last round reached the server: its last success is newer than its last error.
pub fn reachable(status: &Status) -> bool {
    let ok = status.last_ok.as_deref().and_then(instant::parse);
    let error = status
        .last_error
        .as_deref()
        .and_then(|note| note.split_once(' ').map_or(Some(note), |(at, _)| Some(at)))
        .and_then(instant::parse);
    match (ok, error) {
        (Some(ok), Some(error)) => ok >= error,
        (Some(_), None) => true,
        (None, _) => false,
    }
}
