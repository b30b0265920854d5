//! Whether a service gives numbers now, as one line of words and a colour: shared by the
//! services list and the detail screen.

use iced::Color;

use super::Context;
use crate::ui::theme;
use mpp_core::catalog::Service;
use mpp_core::schedule::Availability;
use mpp_core::strings::{Text, closure_text};

/// Open until the cut-off (with the quota left, when there is one), or closed with why and
/// until when.
pub fn state_line(service: &Service, context: &Context) -> (String, Color) {
    state_in(Text::OpenUntil, service, context)
}

/// The same in fewer words, for a card in a list where every line counts.
pub fn short_state_line(service: &Service, context: &Context) -> (String, Color) {
    state_in(Text::OpenUntilShort, service, context)
}

fn state_in(open_until: Text, service: &Service, context: &Context) -> (String, Color) {
    if context.hold.is_some() {
        return (
            format!("✕ {}", context.t(Text::CannotIssueShort)),
            theme::RED,
        );
    }
    match context.availability(service) {
        Availability::Open { quota_left, cutoff } => {
            let cutoff = cutoff.to_string();
            let mut line = context.fill(open_until, &[("time", &cutoff)]);
            if let Some(left) = quota_left {
                let left = left.to_string();
                line.push_str(" · ");
                line.push_str(&context.fill(Text::QuotaLeft, &[("count", &left)]));
            }
            (format!("✓ {line}"), theme::GREEN)
        }
        Availability::Closed(closure) => (
            format!(
                "✕ {}",
                closure_text(&closure, context.local_now.date(), context.language)
            ),
            theme::RED,
        ),
    }
}
