//! `[storage]` (where the database lives) and `[catalog]` (where the catalog comes from).

use std::path::PathBuf;

use serde::Deserialize;

use crate::catalog_source::CatalogSource;

#[derive(Clone, Debug, Deserialize)]
#[serde(default)]
pub struct StorageSection {
    pub database: PathBuf,
    /// The file that outlives the database with the highest numbers given (default: beside
    /// the database, `numbers-record.json`).
    pub numbers_record: Option<PathBuf>,
}

impl Default for StorageSection {
    fn default() -> Self {
        Self {
            database: "var/kiosk.db".into(),
            numbers_record: None,
        }
    }
}

impl StorageSection {
    /// Where the numbers record is kept.
    pub fn numbers_record_path(&self) -> PathBuf {
        self.numbers_record
            .clone()
            .unwrap_or_else(|| self.database.with_file_name("numbers-record.json"))
    }
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct CatalogSection {
    pub source: CatalogSource,
}
