//! Loading a catalog from the built-in copy, a file, or the store's last good copy, always
//! through the same validation.

use std::path::{Path, PathBuf};

use crate::store::Store;
pub use mpp_core::catalog_json::{CatalogError, parse};
use mpp_core::validate::ValidCatalog;
use serde::{Deserialize, Deserializer};

/// Where the catalog comes from when no newer one has been synced.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum CatalogSource {
    /// The catalog built into the program (`assets/catalog.json`).
    #[default]
    Builtin,
    File(PathBuf),
}

impl<'de> Deserialize<'de> for CatalogSource {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        match text.as_str() {
            "builtin" => Ok(CatalogSource::Builtin),
            "" => Err(serde::de::Error::custom(
                "empty: write \"builtin\" or the path of a catalog file",
            )),
            path => Ok(CatalogSource::File(path.into())),
        }
    }
}

/// The shipped catalog, built into the program so a kiosk always has one.
pub const BUILTIN_JSON: &str = include_str!("../../../assets/catalog.json");

pub fn from_file(path: &Path) -> Result<ValidCatalog, CatalogError> {
    let text = std::fs::read_to_string(path).map_err(|error| CatalogError::Read {
        path: path.display().to_string(),
        reason: error.to_string(),
    })?;
    parse(&text, &path.display().to_string())
}

pub fn builtin() -> Result<ValidCatalog, CatalogError> {
    parse(BUILTIN_JSON, "the built-in catalog")
}

pub fn from_source(source: &CatalogSource) -> Result<ValidCatalog, CatalogError> {
    match source {
        CatalogSource::Builtin => builtin(),
        CatalogSource::File(path) => from_file(path),
    }
}

/// Which catalog is in use and where it came from.
#[derive(Clone, Debug)]
pub struct Active {
    pub catalog: ValidCatalog,
    pub origin: String,
}

/// The catalog to serve with: the store's synced copy when it is valid and at least as new as
/// the configured one, otherwise the configured one.
pub fn active(source: &CatalogSource, store: &Store) -> Result<Active, CatalogError> {
    let configured = from_source(source);
    let cached = match store.cached_catalog() {
        Ok(Some((_, json))) => match parse(&json, "the synced catalog") {
            Ok(catalog) => Some(catalog),
            Err(error) => {
                tracing::warn!(%error, "ignoring the stored synced catalog");
                None
            }
        },
        Ok(None) => None,
        Err(error) => {
            tracing::warn!(%error, "cannot read the stored synced catalog");
            None
        }
    };
    match (configured, cached) {
        (Ok(configured), Some(cached)) if cached.version >= configured.version => Ok(Active {
            catalog: cached,
            origin: "the synced catalog".into(),
        }),
        (Ok(configured), _) => Ok(Active {
            catalog: configured,
            origin: source_name(source),
        }),
        (Err(error), Some(cached)) => {
            tracing::warn!(%error, "configured catalog unusable; serving the synced one");
            Ok(Active {
                catalog: cached,
                origin: "the synced catalog".into(),
            })
        }
        (Err(error), None) => Err(error),
    }
}

fn source_name(source: &CatalogSource) -> String {
    match source {
        CatalogSource::Builtin => "the built-in catalog".into(),
        CatalogSource::File(path) => path.display().to_string(),
    }
}
