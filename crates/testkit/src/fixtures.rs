//! Fixture files: a small catalog that exercises every schedule feature, and a broken one.

/// A small valid catalog (three agencies, every schedule feature).
pub const SMALL_CATALOG: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/small-catalog.json");
/// A catalog with many problems at once, for validation tests.
pub const BROKEN_CATALOG: &str =
    concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/broken-catalog.json");
/// The shipped catalog of the regency MPP.
pub const SHIPPED_CATALOG: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../assets/catalog.json");
