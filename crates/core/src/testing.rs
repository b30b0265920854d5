//! Fixtures for the core's unit tests.

use chrono::NaiveDateTime;

use super::catalog::Catalog;

/// A small catalog that exercises every schedule feature: the same file integration tests use.
pub fn sample_catalog() -> Catalog {
    let text = include_str!("../../testkit/fixtures/small-catalog.json");
    let catalog = Catalog::from_json(text).expect("the sample catalog parses");
    super::validate::validate(&catalog).expect("the sample catalog is valid");
    catalog
}

/// A local time written `YYYY-MM-DD HH:MM:SS`.
pub fn at(text: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S").expect("local time")
}
