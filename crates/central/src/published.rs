//! The catalog the server publishes: the configured file, checked with the same validation the
//! kiosks use whenever it changes. A broken, older or silently changed file is refused and the
//! last valid catalog (kept in the database across restarts) stays published.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use mpp_common::mutex::lock;
use std::time::{Duration, Instant, SystemTime};

use axum::body::Bytes;
use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};

use crate::storage::Database;
use crate::storage::pool::Pool;

/// The connections the catalog is kept through (the writers).
pub type Writers = Pool<Box<dyn Database>>;
use mpp_core::catalog_json;
use mpp_core::validate::ValidCatalog;

/// How old a file's modification time must be before an unchanged one is trusted.
const SETTLED: Duration = Duration::from_secs(2);

/// A catalog that passed validation, as served.
#[derive(Debug)]
pub struct Served {
    pub catalog: ValidCatalog,
    /// The JSON as published, shared by every answer without copying.
    pub body: Bytes,
    /// `"v<version>"`.
    pub etag: String,
}

impl Served {
    fn new(catalog: ValidCatalog, json: String) -> Arc<Self> {
        let etag = format!("\"v{}\"", catalog.version);
        Arc::new(Self {
            body: Bytes::from(json),
            catalog,
            etag,
        })
    }
}

/// What is published now, and why the file is not, if it is not.
#[derive(Clone, Debug, Default)]
pub struct Snapshot {
    pub served: Option<Arc<Served>>,
    pub problem: Option<String>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
struct Stamp {
    len: u64,
    modified: Option<SystemTime>,
    digest: [u8; 32],
}

#[derive(Default)]
struct State {
    seen: Option<Stamp>,
    snapshot: Snapshot,
    /// When the file was last looked at.
    checked_at: Option<Instant>,
}

pub struct Published {
    path: PathBuf,
    /// The MPP whose catalog this is.
    mpp: String,
    state: Mutex<State>,
}

impl Published {
    /// Starts from `mpp`'s catalog stored at the last publication, then reads the file.
    pub fn open(path: PathBuf, mpp: &str, store: &Writers, now: DateTime<Utc>) -> Self {
        let stored = match store
            .run_blocking(|store| store.published_catalog(mpp))
            .and_then(|read| read)
        {
            Ok(Some(json)) => {
                match catalog_json::parse(&json, "the last published catalog (database)") {
                    Ok(catalog) => Some(Served::new(catalog, json)),
                    Err(error) => {
                        tracing::warn!(%error, "ignoring the stored catalog");
                        None
                    }
                }
            }
            Ok(None) => None,
            Err(error) => {
                tracing::warn!(%error, "cannot read the stored catalog");
                None
            }
        };
        let published = Self {
            path,
            mpp: mpp.to_owned(),
            state: Mutex::new(State {
                seen: None,
                snapshot: Snapshot {
                    served: stored,
                    problem: None,
                },
                checked_at: None,
            }),
        };
        let snapshot = published.current(store, now);
        match (&snapshot.served, &snapshot.problem) {
            (Some(served), None) => {
                tracing::info!(mpp, version = served.catalog.version, "serving the catalog")
            }
            (Some(served), Some(problem)) => tracing::error!(
                mpp,
                version = served.catalog.version,
                %problem,
                "the catalog file is refused; the last valid catalog stays published"
            ),
            (None, problem) => tracing::error!(
                mpp,
                problem = problem.as_deref().unwrap_or("none"),
                "no valid catalog: GET /api/v1/catalog answers 503 until the file is fixed"
            ),
        }
        published
    }

    /// What was published when the file was last looked at, if that was less than `within`
    /// ago: no file system call, for pages that can show a catalog a moment old.
    pub fn recent(&self, within: Duration) -> Option<Snapshot> {
        let state = lock(&self.state);
        let fresh = state
            .checked_at
            .is_some_and(|checked| checked.elapsed() < within);
        fresh.then(|| state.snapshot.clone())
    }

    /// The catalog to serve now; reads and checks the file again only when it changed (and
    /// takes a writer only to keep a new one: an unchanged file never waits behind a batch).
    pub fn current(&self, store: &Writers, now: DateTime<Utc>) -> Snapshot {
        let mut state = lock(&self.state);
        state.checked_at = Some(Instant::now());
        let metadata = match std::fs::metadata(&self.path) {
            Ok(metadata) => metadata,
            Err(error) => {
                let problem = format!("cannot read the catalog {}: {error}", self.path.display());
                refuse(&mut state, problem);
                state.seen = None;
                return state.snapshot.clone();
            }
        };
        let modified = metadata.modified().ok();
        // A file written within the clock's coarse granularity may keep its stamp: only a
        // settled stamp is trusted, a fresh one is read again.
        let settled = modified
            .and_then(|time| SystemTime::now().duration_since(time).ok())
            .is_some_and(|age| age > SETTLED);
        if settled
            && state
                .seen
                .is_some_and(|seen| seen.len == metadata.len() && seen.modified == modified)
        {
            return state.snapshot.clone();
        }
        let bytes = match std::fs::read(&self.path) {
            Ok(bytes) => bytes,
            Err(error) => {
                let problem = format!("cannot read the catalog {}: {error}", self.path.display());
                refuse(&mut state, problem);
                return state.snapshot.clone();
            }
        };
        let stamp = Stamp {
            len: bytes.len() as u64,
            modified,
            digest: Sha256::digest(&bytes).into(),
        };
        let same_content = state.seen.is_some_and(|seen| seen.digest == stamp.digest);
        state.seen = Some(stamp);
        if same_content {
            return state.snapshot.clone();
        }
        let origin = self.path.display().to_string();
        let json = match String::from_utf8(bytes) {
            Ok(json) => json,
            Err(_) => {
                refuse(&mut state, format!("{origin} is not UTF-8 text"));
                return state.snapshot.clone();
            }
        };
        match catalog_json::parse(&json, &origin) {
            Err(error) => refuse(&mut state, error.to_string()),
            Ok(catalog) => self.offer(&mut state, catalog, json, store, now),
        }
        state.snapshot.clone()
    }

    /// Publishes a valid catalog unless it would move kiosks backwards or change silently.
    fn offer(
        &self,
        state: &mut State,
        catalog: ValidCatalog,
        json: String,
        store: &Writers,
        now: DateTime<Utc>,
    ) {
        if let Some(served) = &state.snapshot.served {
            let (old, new) = (served.catalog.version, catalog.version);
            if new < old {
                let problem = format!(
                    "{} has version {new}, older than the published {old}: kiosks never take an older catalog; publish it with a version above {old}",
                    self.path.display()
                );
                return refuse(state, problem);
            }
            if new == old && catalog != served.catalog {
                let problem = format!(
                    "{} changed but still says version {new}: kiosks would never fetch it; raise the version",
                    self.path.display()
                );
                return refuse(state, problem);
            }
            if new == old {
                state.snapshot.problem = None;
                return;
            }
        }
        let kept = store.run_blocking(|store| {
            store.store_published_catalog(&self.mpp, catalog.version, &json, now)
        });
        if let Err(error) = kept.and_then(|kept| kept) {
            tracing::warn!(%error, "cannot keep the catalog in the database; serving it anyway");
        }
        if let Some(old) = &state.snapshot.served {
            tracing::info!(
                old = old.catalog.version,
                new = catalog.version,
                "new catalog published"
            );
        }
        state.snapshot = Snapshot {
            served: Some(Served::new(catalog, json)),
            problem: None,
        };
    }
}

fn refuse(state: &mut State, problem: String) {
    if state.snapshot.problem.as_ref() != Some(&problem) {
        tracing::warn!(%problem, "catalog file refused");
    }
    state.snapshot.problem = Some(problem);
}

/// Whether an `If-None-Match` header names `etag` (or `*`); weak tags compare equal.
pub fn matches_etag(header: &str, etag: &str) -> bool {
    header.split(',').map(str::trim).any(|candidate| {
        candidate == "*" || candidate.strip_prefix("W/").unwrap_or(candidate) == etag
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::Database;

    const SMALL: &str = include_str!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../testkit/fixtures/small-catalog.json"
    ));

    fn now() -> DateTime<Utc> {
        "2026-11-23T03:00:00Z".parse().expect("instant")
    }

    fn with_version(version: u64, extra_holiday: bool) -> String {
        let mut value: serde_json::Value = serde_json::from_str(SMALL).expect("json");
        value["version"] = version.into();
        if extra_holiday {
            value["holidays"].as_array_mut().expect("holidays").push(
                serde_json::json!({"date": "2026-12-26", "name": {"id": "Cuti", "en": "Leave"}}),
            );
        }
        serde_json::to_string_pretty(&value).expect("json")
    }

    #[test]
    fn broken_older_and_silent_changes_keep_the_last_valid_catalog() {
        let folder = tempfile::tempdir().expect("temp dir");
        let storage =
            crate::storage::sqlite::Sqlite::open(&folder.path().join("c.db")).expect("open");
        let storage: Writers = Pool::new(vec![Box::new(storage) as Box<dyn Database>]);
        let path = folder.path().join("catalog.json");
        let published = Published::open(path.clone(), "default", &storage, now());
        assert!(published.current(&storage, now()).served.is_none());

        std::fs::write(&path, with_version(5, false)).expect("write");
        let snapshot = published.current(&storage, now());
        assert_eq!(
            snapshot.served.as_ref().map(|s| s.etag.as_str()),
            Some("\"v5\"")
        );

        for text in [
            "{ broken".to_owned(),
            with_version(4, false),
            with_version(5, true),
        ] {
            std::fs::write(&path, text).expect("write");
            let snapshot = published.current(&storage, now());
            assert_eq!(snapshot.served.as_ref().map(|s| s.catalog.version), Some(5));
            assert!(snapshot.problem.is_some());
        }

        std::fs::write(&path, "{ broken again").expect("write");
        let restarted = Published::open(path.clone(), "default", &storage, now());
        let snapshot = restarted.current(&storage, now());
        assert_eq!(snapshot.served.map(|s| s.catalog.version), Some(5));

        std::fs::write(&path, with_version(6, true)).expect("write");
        let snapshot = restarted.current(&storage, now());
        assert_eq!(snapshot.served.map(|s| s.catalog.version), Some(6));
        assert!(snapshot.problem.is_none());
    }

    #[test]
    fn if_none_match_lists_and_weak_tags() {
        assert!(matches_etag("\"v3\"", "\"v3\""));
        assert!(matches_etag("\"v2\", W/\"v3\"", "\"v3\""));
        assert!(matches_etag("*", "\"v3\""));
        assert!(!matches_etag("\"v2\"", "\"v3\""));
    }
}
