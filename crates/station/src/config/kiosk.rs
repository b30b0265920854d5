//! `[kiosk]` (which kiosk this is, its number range) and `[mpp]` (the building it stands in).

use serde::{Deserialize, Deserializer};

use mpp_core::day::TimeZone;
use mpp_core::ids::KioskId;
use mpp_core::numbering::NumberRange;

#[derive(Clone, Debug, Deserialize)]
#[serde(default)]
pub struct KioskSection {
    pub id: KioskId,
    pub name: String,
    pub number_range: NumberRange,
}

impl Default for KioskSection {
    fn default() -> Self {
        Self {
            id: "KIOSK-01".into(),
            name: "Kios Lobi".into(),
            number_range: NumberRange {
                first: 1,
                last: 999,
            },
        }
    }
}

#[derive(Clone, Debug, Deserialize)]
#[serde(default)]
pub struct MppSection {
    pub name: String,
    pub address: String,
    pub complaints: String,
    #[serde(deserialize_with = "time_zone")]
    pub time_zone: TimeZone,
}

impl KioskSection {
    /// What the types alone cannot check: `(key, what is wrong)`.
    pub fn check(&self) -> Result<(), (&'static str, &'static str)> {
        let id = &self.id;
        if id.is_empty() || !id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
            return Err((
                "id",
                "must be letters, digits and '-' (it goes on every ticket)",
            ));
        }
        Ok(())
    }
}

impl Default for MppSection {
    fn default() -> Self {
        Self {
            name: "Mal Pelayanan Publik".into(),
            address: String::new(),
            complaints: "SP4N-LAPOR! lapor.go.id".into(),
            time_zone: TimeZone::JAKARTA,
        }
    }
}

fn time_zone<'de, D: Deserializer<'de>>(deserializer: D) -> Result<TimeZone, D::Error> {
    String::deserialize(deserializer)?
        .parse()
        .map_err(serde::de::Error::custom)
}
