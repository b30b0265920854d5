//! Reading a catalog from its JSON text, always through validation: the only way to a
//! catalog that is served.

use crate::catalog::Catalog;
use crate::validate::{Problems, ValidCatalog};

#[derive(Clone, Debug, thiserror::Error)]
pub enum CatalogError {
    #[error("cannot read the catalog {path}: {reason}")]
    Read { path: String, reason: String },
    #[error("{origin} is not valid catalog JSON: line {line}, column {column}: {message}")]
    Syntax {
        origin: String,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("{origin}: {problems}")]
    Invalid { origin: String, problems: Problems },
}

/// Parses and validates catalog JSON; `origin` names it in errors.
pub fn parse(text: &str, origin: &str) -> Result<ValidCatalog, CatalogError> {
    let catalog = Catalog::from_json(text).map_err(|error| CatalogError::Syntax {
        origin: origin.to_owned(),
        line: error.line(),
        column: error.column(),
        message: error.to_string(),
    })?;
    ValidCatalog::new(catalog).map_err(|problems| CatalogError::Invalid {
        origin: origin.to_owned(),
        problems,
    })
}
