//! `[survey]`: the satisfaction survey (SKM) at the kiosk, answered with a ticket's number and
//! the code printed at its foot.

use serde::Deserialize;

/// Longest window: a survey is about a visit the respondent still remembers.
const LONGEST_WINDOW_DAYS: u32 = 31;

#[derive(Clone, Debug, Deserialize)]
#[serde(default)]
pub struct SurveySection {
    /// Print the code on tickets and offer the survey on the welcome screen.
    pub enabled: bool,
    /// Days a ticket may be rated on: 1 is the day it was issued only, 2 that day and the next.
    pub window_days: u32,
}

impl Default for SurveySection {
    fn default() -> Self {
        Self {
            enabled: true,
            window_days: 1,
        }
    }
}

impl SurveySection {
    /// What the types alone cannot check: `(key, what is wrong)`.
    pub fn check(&self) -> Result<(), (&'static str, &'static str)> {
        if !(1..=LONGEST_WINDOW_DAYS).contains(&self.window_days) {
            return Err((
                "window_days",
                "must be 1 (the ticket's own day only) to 31 days",
            ));
        }
        Ok(())
    }
}
