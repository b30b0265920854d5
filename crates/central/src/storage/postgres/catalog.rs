//! PostgreSQL's side of the published catalog (decided in [`crate::storage::catalogs`]).

use crate::storage::Catalogs;
use crate::storage::catalogs::{CatalogTransaction, Published, sql};
use crate::storage::error::DbError;
use crate::storage::postgres::reads::Reads;
use crate::storage::postgres::{Postgres, Writing};

impl CatalogTransaction for Writing<'_> {
    fn store_catalog(&mut self, published: &Published<'_>) -> Result<(), DbError> {
        let (mpp, json) = (published.mpp, published.json);
        self.execute(
            sql::STORE,
            &[&mpp, &published.version, &json, &published.stored_at],
        )
        .map(drop)
    }
}

impl Catalogs for Postgres {
    fn published_catalog(&mut self, mpp: &str) -> Result<Option<String>, DbError> {
        Ok(self.column(sql::PUBLISHED, &[&mpp])?.into_iter().next())
    }
}
