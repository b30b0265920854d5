//! The SQLite file's side of the published catalog (decided in [`crate::storage::catalogs`]).

use rusqlite::params;

use crate::storage::Catalogs;
use crate::storage::catalogs::{CatalogTransaction, Published, sql};
use crate::storage::error::DbError;
use crate::storage::sqlite::reads::Statements;
use crate::storage::sqlite::{Sqlite, Writing};

impl CatalogTransaction for Writing<'_> {
    fn store_catalog(&mut self, published: &Published<'_>) -> Result<(), DbError> {
        let values = params![
            published.mpp,
            published.version,
            published.json,
            published.stored_at
        ];
        self.execute(sql::STORE, values).map(drop)
    }
}

impl Catalogs for Sqlite {
    fn published_catalog(&mut self, mpp: &str) -> Result<Option<String>, DbError> {
        Ok(self.column(sql::PUBLISHED, [mpp])?.into_iter().next())
    }
}
