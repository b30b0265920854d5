//! Fixture files: a small catalog that exercises every schedule feature, and a broken one.

use std::sync::OnceLock;

use mpp_core::catalog::Catalog;
use mpp_core::validate::ValidCatalog;

/// A small valid catalog (three agencies, every schedule feature).
pub const SMALL_CATALOG: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/small-catalog.json");
/// A catalog with many problems at once, for validation tests.
pub const BROKEN_CATALOG: &str =
    concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/broken-catalog.json");
/// The shipped catalog of the regency MPP.
pub const SHIPPED_CATALOG: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../assets/catalog.json");

/// The small catalog, parsed and validated once per test binary.
pub fn small_catalog() -> ValidCatalog {
    static CATALOG: OnceLock<ValidCatalog> = OnceLock::new();
    CATALOG
        .get_or_init(|| {
            let text = std::fs::read_to_string(SMALL_CATALOG).expect("read the small catalog");
            mpp_core::catalog_json::parse(&text, SMALL_CATALOG).expect("the small catalog is valid")
        })
        .clone()
}

/// Codes of the services a kiosk can issue all day without a quota (the `standard` schedule),
/// for spreading many tickets over services.
pub fn unlimited_services(catalog: &Catalog) -> Vec<&str> {
    catalog
        .services
        .iter()
        .filter(|service| service.daily_quota.is_none() && service.schedule == "standard")
        .map(|service| service.code.as_str())
        .collect()
}
