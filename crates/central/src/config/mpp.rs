//! The MPPs one server serves. A regency's server names none: its top-level `name`,
//! `time_zone`, `catalog`, `[[kiosk]]` and `[[counter]]` are one implicit MPP ([`IMPLICIT_ID`]).
//! A province's server lists each MPP as an `[[mpp]]` with its own `[[mpp.kiosk]]` and
//! `[[mpp.counter]]`; the two forms never mix, so no kiosk is left in no MPP by mistake.

use std::path::PathBuf;

use serde::Deserialize;

use crate::config::{CentralConfig, CounterEntry, KioskEntry, time_zone};
use mpp_core::day::TimeZone;

/// The id of the one MPP of a configuration without `[[mpp]]` (and of the rows a database
/// kept before it knew MPPs).
pub const IMPLICIT_ID: &str = "default";

/// The top-level keys that belong inside an `[[mpp]]` when there are any.
const PER_MPP_KEYS: [&str; 5] = ["name", "time_zone", "catalog", "kiosk", "counter"];

/// One MPP: its id, name, time zone, published catalog, kiosks and counter credentials.
#[derive(Clone, Debug, Deserialize)]
pub struct MppEntry {
    /// Kept with every row of this MPP in the database: never change it once in use.
    pub id: String,
    /// Shown at the top of its ticket pages.
    pub name: String,
    #[serde(deserialize_with = "time_zone")]
    pub time_zone: TimeZone,
    /// The catalog published to its kiosks.
    pub catalog: PathBuf,
    #[serde(default, rename = "kiosk")]
    pub kiosks: Vec<KioskEntry>,
    #[serde(default, rename = "counter")]
    pub counters: Vec<CounterEntry>,
    /// Where its keys are written, `mpp[2].` (empty for the implicit MPP), for messages.
    #[serde(skip)]
    pub place: String,
}

impl CentralConfig {
    /// Every MPP this server serves (one, the implicit, without `[[mpp]]`).
    pub fn mpps(&self) -> &[MppEntry] {
        &self.resolved_mpps
    }

    /// The MPP with `id`.
    pub fn mpp(&self, id: &str) -> Option<&MppEntry> {
        self.mpps().iter().find(|mpp| mpp.id == id)
    }

    /// The MPP `kiosk` belongs to, and its entry there.
    pub fn kiosk_entry(&self, kiosk: &str) -> Option<(&MppEntry, &KioskEntry)> {
        self.mpps().iter().find_map(|mpp| {
            mpp.kiosks
                .iter()
                .find(|entry| entry.id == kiosk)
                .map(|entry| (mpp, entry))
        })
    }

    /// Every kiosk of every MPP.
    pub fn all_kiosks(&self) -> impl Iterator<Item = &KioskEntry> {
        self.mpps().iter().flat_map(|mpp| mpp.kiosks.iter())
    }

    /// Fills [`CentralConfig::mpps`]: the `[[mpp]]` entries, or the implicit MPP made of the
    /// top-level keys. `written` are the top-level keys present in the file; a per-MPP one
    /// beside `[[mpp]]` is refused, naming it.
    pub(crate) fn resolve_mpps(&mut self, written: &[String]) -> Result<(), (String, String)> {
        if self.mpp.is_empty() {
            self.resolved_mpps = vec![MppEntry {
                id: IMPLICIT_ID.into(),
                name: self.name.clone(),
                time_zone: self.time_zone,
                catalog: self.catalog.clone(),
                kiosks: self.kiosks.clone(),
                counters: self.counters.clone(),
                place: String::new(),
            }];
            return Ok(());
        }
        if let Some(key) = PER_MPP_KEYS
            .iter()
            .find(|key| written.iter().any(|written| written == *key))
        {
            return Err((
                (*key).to_owned(),
                format!(
                    "belongs inside an [[mpp]] once the file lists MPPs: move it into each \
                     [[mpp]] (as `{}`), or remove the [[mpp]] tables to serve one MPP",
                    inside(key)
                ),
            ));
        }
        let mut seen: Vec<&str> = Vec::new();
        for (index, mpp) in self.mpp.iter().enumerate() {
            let place = format!("mpp[{index}]");
            let id = mpp.id.as_str();
            let plain = (1..=32).contains(&id.len())
                && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
            if !plain {
                return Err((
                    format!("{place}.id"),
                    "must be 1–32 letters, digits and '-', e.g. \"kudus\"".into(),
                ));
            }
            if seen.contains(&id) {
                return Err((format!("{place}.id"), format!("{id} is listed twice")));
            }
            seen.push(id);
        }
        self.resolved_mpps = self
            .mpp
            .iter()
            .enumerate()
            .map(|(index, mpp)| MppEntry {
                place: format!("mpp[{index}]."),
                ..mpp.clone()
            })
            .collect();
        Ok(())
    }
}

/// How a top-level per-MPP key is written inside an `[[mpp]]`.
fn inside(key: &str) -> String {
    match key {
        "kiosk" | "counter" => format!("[[mpp.{key}]]"),
        _ => key.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::config::tests::{HASH_A, HASH_B, SHIPPED, assert_refused, parse};

    const HASH_C: &str = "cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc";

    fn mpp(id: &str, zone: &str) -> String {
        format!(
            "[[mpp]]\nid = \"{id}\"\nname = \"MPP {id}\"\ntime_zone = \"{zone}\"\n\
             catalog = \"{id}.json\"\n"
        )
    }

    fn kiosk(id: &str, hash: &str, range: &str) -> String {
        format!(
            "[[mpp.kiosk]]\nid = \"{id}\"\ntoken_sha256 = \"{hash}\"\n\
             signing_key = \"0123456789abcdef-{id}\"\nnumber_range = {range}\n"
        )
    }

    /// Kudus with `first` and Demak with `second`, each a kiosk of its own.
    fn kudus_and_demak(first: String, second: String) -> String {
        let (kudus, demak) = (mpp("kudus", "Asia/Jakarta"), mpp("demak", "Asia/Jakarta"));
        format!("{kudus}{first}{demak}{second}")
    }

    #[test]
    fn a_single_mpp_file_is_one_implicit_mpp() {
        let config = parse(SHIPPED).expect("valid").config;
        let [only] = config.mpps() else {
            panic!("one MPP: {:?}", config.mpps());
        };
        assert_eq!(only.id, IMPLICIT_ID);
        assert_eq!(only.name, config.name);
        assert_eq!(only.catalog, Path::new("/base/assets/catalog.json"));
        assert_eq!(only.kiosks.len(), config.kiosks.len());
        assert_eq!(only.counters.len(), config.counters.len());
        let (found, kiosk) = config.kiosk_entry("KIOSK-01").expect("the demo kiosk");
        assert_eq!(
            (found.id.as_str(), kiosk.id.as_str()),
            (IMPLICIT_ID, "KIOSK-01")
        );
    }

    #[test]
    fn a_postgres_address_is_kept_as_written_and_a_path_is_taken_from_the_folder() {
        use crate::config::Location;
        let url = "postgres://central@127.0.0.1:5432/mpp";
        let config = parse(&format!("database = \"{url}\"\n"))
            .expect("valid")
            .config;
        assert_eq!(config.location(), Location::Postgres(url.into()));
        let config = parse("database = \"var/c.db\"\n").expect("valid").config;
        assert_eq!(config.location(), Location::Sqlite("/base/var/c.db".into()));
    }

    #[test]
    fn mpps_keep_their_own_zone_catalog_kiosks_and_counters() {
        let text = format!(
            "{}{}{}{}[[mpp.counter]]\nname = \"Loket 1\"\ntoken_sha256 = \"{HASH_C}\"\n\
             points = [\"Loket 1\"]\nqueues = [\"DKC\"]\n",
            mpp("kudus", "Asia/Jakarta"),
            kiosk("KDS-01", HASH_A, "[1, 499]"),
            mpp("balikpapan", "Asia/Makassar"),
            // The same range as Kudus's kiosk: numbers never meet across MPPs.
            kiosk("BPN-01", HASH_B, "[1, 499]"),
        );
        let loaded = parse(&text).expect("valid");
        assert!(loaded.unknown_keys.is_empty(), "{:?}", loaded.unknown_keys);
        let config = loaded.config;
        let ids: Vec<&str> = config.mpps().iter().map(|m| m.id.as_str()).collect();
        assert_eq!(ids, ["kudus", "balikpapan"]);
        let balikpapan = config.mpp("balikpapan").expect("listed");
        assert_eq!(balikpapan.time_zone.name(), "Asia/Makassar");
        assert_eq!(balikpapan.catalog, Path::new("/base/balikpapan.json"));
        assert_eq!(balikpapan.counters.len(), 1);
        assert!(config.mpp("kudus").expect("listed").counters.is_empty());
        assert_eq!(
            config.kiosk_entry("BPN-01").expect("kiosk").0.id,
            "balikpapan"
        );
        assert!(config.warnings().is_empty(), "{:?}", config.warnings());
    }

    #[test]
    fn a_mixed_file_a_repeated_kiosk_or_a_clash_inside_one_mpp_is_refused_by_key() {
        let cases = [
            (
                format!("name = \"x\"\n{}", mpp("kudus", "Asia/Jakarta")),
                "key `name`",
                "line 1",
            ),
            (
                format!(
                    "[[kiosk]]\nid = \"K\"\ntoken_sha256 = \"{HASH_A}\"\n\
                     signing_key = \"0123456789abcdef\"\n{}",
                    mpp("kudus", "Asia/Jakarta")
                ),
                "[[mpp.kiosk]]",
                "line 1",
            ),
            (
                format!("{}{}", mpp("kudus", "Asia/Jakarta"), mpp("kudus", "UTC")),
                "mpp[1].id",
                "line 7",
            ),
            (
                kudus_and_demak(
                    kiosk("K-01", HASH_A, "[1, 9]"),
                    kiosk("K-01", HASH_B, "[1, 9]"),
                ),
                "mpp[1].kiosk[0].id",
                "unique across every MPP",
            ),
            (
                format!(
                    "{}{}{}",
                    mpp("kudus", "Asia/Jakarta"),
                    kiosk("K-01", HASH_A, "[1, 9]"),
                    kiosk("K-02", HASH_B, "[9, 20]")
                ),
                "mpp[0].kiosk[1].number_range",
                "K-01",
            ),
            (
                kudus_and_demak(
                    kiosk("K-01", HASH_A, "[1, 9]"),
                    kiosk("K-02", HASH_A, "[1, 9]"),
                ),
                "mpp[1].kiosk[0].token_sha256",
                "same token as mpp[0].kiosk[0].token_sha256",
            ),
            (
                "[[mpp]]\nid = \"kudus\"\nname = \"x\"\n".to_owned(),
                "time_zone",
                "mpp",
            ),
        ];
        assert_refused(cases);
    }
}
