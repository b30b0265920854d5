//! `[storage]` (where the database lives) and `[catalog]` (where the catalog comes from).

use std::path::PathBuf;

use serde::Deserialize;

use crate::catalog_source::CatalogSource;

#[derive(Clone, Debug, Deserialize)]
#[serde(default)]
pub struct StorageSection {
    pub database: PathBuf,
}

impl Default for StorageSection {
    fn default() -> Self {
        Self {
            database: "var/kiosk.db".into(),
        }
    }
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct CatalogSection {
    pub source: CatalogSource,
}
