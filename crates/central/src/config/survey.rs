//! `[survey]` in `mpp-central.toml`: how long after its business day a ticket may still be
//! rated, on the kiosk's API and on the phone page. The kiosk has the same key (`[survey]
//! window_days` in kiosk.toml): give both the same value.

use serde::Deserialize;

use super::limits::within;

/// `[survey]`.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(default)]
pub struct SurveyConfig {
    /// Business days a ticket may be rated on, counted in its MPP's time zone: 1 is the day
    /// it was issued only, 2 that day and the next.
    pub window_days: u32,
}

pub const WINDOW_DAYS: (u32, u32) = (1, 31);

impl Default for SurveyConfig {
    fn default() -> Self {
        Self { window_days: 1 }
    }
}

impl SurveyConfig {
    pub fn check(&self) -> Result<(), (String, String)> {
        within("survey.window_days", self.window_days, WINDOW_DAYS, "days")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_window_defaults_to_the_day_itself_and_is_bounded() {
        assert_eq!(SurveyConfig::default().window_days, 1);
        assert_eq!(SurveyConfig::default().check(), Ok(()));
        let (key, message) = SurveyConfig { window_days: 0 }
            .check()
            .expect_err("refused");
        assert_eq!(key, "survey.window_days");
        assert!(message.contains("1 to 31"), "{message}");
        assert!(SurveyConfig { window_days: 32 }.check().is_err());
    }
}
