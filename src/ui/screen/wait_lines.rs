//! The people ahead and the expected wait, in words: before taking a number (the detail
//! screen, for a regular number taken now) and on the ticket screen (as the ticket says).
//! Nothing is said when this kiosk does not sync with a server; "not known" when it does but
//! has not heard from it lately.

use super::Context;
use mpp_core::strings::Text;
use mpp_core::wait::{WaitRange, WaitSaying};

/// The two lines: "Antrean di depan Anda: 6 orang" and the wait; `None` when nothing is said.
pub struct WaitLines {
    /// The people ahead; `None` when not known.
    pub ahead: Option<String>,
    pub wait: String,
}

/// For `ahead` people before the visitor and the wait expected (both as the kiosk knows them).
pub fn wait_lines(
    ahead: Option<u32>,
    wait: Option<WaitRange>,
    context: &Context,
) -> Option<WaitLines> {
    if ahead.is_none() && !context.syncs {
        return None;
    }
    let language = context.language;
    let ahead_line = ahead.map(|ahead| {
        format!(
            "{}: {ahead} {}",
            context.t(Text::PeopleAhead),
            context.t(Text::People)
        )
    });
    Some(WaitLines {
        ahead: ahead_line,
        wait: WaitSaying::of(ahead, wait).text(language),
    })
}
