//! The configuration read from its text: defaults, refusals by key and line, warnings; and
//! what the tests of the other config modules share.

use super::*;

pub(super) const HASH_A: &str = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
pub(super) const HASH_B: &str = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

/// The file as shipped at the top of the tree.
pub(super) const SHIPPED: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../mpp-central.toml"
));

/// `text` as the file `/base/c.toml`.
pub(super) fn parse(text: &str) -> Result<Loaded, ConfigError> {
    Loaded::parse(text, Path::new("c.toml"), Path::new("/base"))
}

/// Each `(text, words, more)`: the text is refused with an error that says both.
pub(super) fn assert_refused<'a>(cases: impl IntoIterator<Item = (String, &'a str, &'a str)>) {
    for (text, words, more) in cases {
        let error = parse(&text).expect_err("refused").to_string();
        assert!(
            error.contains(words) && error.contains(more),
            "{text}\n{error}"
        );
    }
}

fn kiosk(id: &str, hash: &str, key: &str) -> String {
    format!("[[kiosk]]\nid = \"{id}\"\ntoken_sha256 = \"{hash}\"\nsigning_key = \"{key}\"\n")
}

#[test]
fn the_shipped_file_is_valid_and_complete() {
    let loaded = parse(SHIPPED).expect("valid");
    assert!(loaded.unknown_keys.is_empty(), "{:?}", loaded.unknown_keys);
    assert!(!loaded.config.kiosks.is_empty());
    assert!(loaded.config.admin_token_sha256.is_some());
    let demo = loaded.config.kiosks[0].number_range.expect("a range");
    assert_eq!(
        (demo.first, demo.last),
        (1, 999),
        "as the demo kiosk.toml's"
    );
    assert!(loaded.config.warnings().is_empty());
}

#[test]
fn defaults_and_relative_paths() {
    let loaded = parse("").expect("empty is valid");
    assert_eq!(loaded.config.listen.to_string(), "127.0.0.1:8787");
    assert_eq!(loaded.config.database, Path::new("/base/var/central.db"));
    assert_eq!(loaded.config.time_zone, TimeZone::JAKARTA);
}

#[test]
fn a_bad_hash_names_the_entry_and_line() {
    let text = format!(
        "listen = \"127.0.0.1:1\"\n{}{}",
        kiosk("K1", HASH_A, "0123456789abcdef"),
        kiosk("K2", "nothex", "0123456789abcdef")
    );
    let error = parse(&text).expect_err("refused").to_string();
    assert!(error.contains("line 8"), "{error}");
    assert!(error.contains("kiosk[1].token_sha256"), "{error}");
    assert!(error.contains("token hash"), "{error}");
}

#[test]
fn a_short_key_and_a_shared_token_are_refused() {
    let shared_token = format!(
        "{}{}",
        kiosk("K1", HASH_A, "0123456789abcdef"),
        kiosk("K2", HASH_A, "0123456789abcdef")
    );
    assert_refused([
        (
            kiosk("K1", HASH_A, "short"),
            "line 4",
            "kiosk[0].signing_key",
        ),
        (shared_token, "line 7", "same token"),
    ]);
}

#[test]
fn overlapping_ranges_are_refused_naming_both_kiosks_and_the_line() {
    let with_range = |id, hash, range| {
        format!(
            "{}number_range = {range}\n",
            kiosk(id, hash, &format!("0123456789abcdef-{id}"))
        )
    };
    let text = format!(
        "{}{}",
        with_range("KIOSK-A", HASH_A, "[1, 499]"),
        with_range("KIOSK-B", HASH_B, "[499, 999]")
    );
    let error = parse(&text).expect_err("refused").to_string();
    assert!(error.contains("line 10"), "{error}");
    assert!(error.contains("kiosk[1].number_range"), "{error}");
    assert!(
        error.contains("KIOSK-A") && error.contains("KIOSK-B"),
        "{error}"
    );
    assert!(
        error.contains("[1, 499]") && error.contains("[499, 999]"),
        "{error}"
    );
    let apart = format!(
        "{}{}",
        with_range("KIOSK-A", HASH_A, "[1, 499]"),
        with_range("KIOSK-B", HASH_B, "[500, 999]")
    );
    let loaded = parse(&apart).expect("ranges apart are fine");
    let range = loaded.config.kiosks[1].number_range.expect("a range");
    assert_eq!((range.first, range.last), (500, 999));
    assert!(loaded.config.warnings().is_empty());
}

#[test]
fn a_kiosk_without_a_range_and_a_shared_key_are_warned() {
    let text = format!(
        "{}{}",
        kiosk("KIOSK-A", HASH_A, "0123456789abcdef"),
        kiosk("KIOSK-B", HASH_B, "0123456789abcdef")
    );
    let warnings = parse(&text).expect("still loads").config.warnings();
    assert_eq!(warnings.len(), 3, "{warnings:?}");
    assert!(warnings[0].contains("KIOSK-A has no number_range"));
    assert!(warnings[2].contains("KIOSK-A and KIOSK-B share a signing_key"));
    assert!(!warnings.iter().any(|w| w.contains("0123456789abcdef")));
}

#[test]
fn a_syntax_error_and_a_bad_address_name_the_line() {
    let error = parse("name = \"x\"\nlisten = \"nowhere\n").expect_err("refused");
    assert!(error.to_string().contains("line 2"), "{error}");
    let error = parse("\nlisten = \"nowhere\"\n").expect_err("refused");
    assert!(
        error.to_string().contains("line 2") && error.to_string().contains("listen"),
        "{error}"
    );
}

#[test]
fn unknown_keys_are_reported_not_fatal() {
    let text = format!(
        "lisen = 1\n[[counter]]\nname = \"Loket 1\"\ntoken_sha256 = \"{HASH_B}\"\n\
         points = [\"Loket 1\"]\nqueues = [\"DKC\"]\ncolour = 2\n"
    );
    let loaded = parse(&text).expect("still loads");
    assert_eq!(loaded.unknown_keys, ["counter.0.colour", "lisen"]);
}

#[test]
fn a_counter_without_points_or_queues_and_limits_out_of_bounds_are_refused_by_line() {
    let counter = |lists: &str| {
        format!("[[counter]]\nname = \"Loket 1-4\"\ntoken_sha256 = \"{HASH_B}\"\n{lists}")
    };
    let cases = [
        (counter(""), "counter[0].points", "line 1"),
        (
            counter("points = [\"Loket 1\"]\n"),
            "counter[0].queues",
            "line 1",
        ),
        (
            counter("points = [\"Loket 1\", \"Loket 1\"]\nqueues = [\"DKC\"]\n"),
            "listed twice",
            "line 4",
        ),
        (
            counter("points = [\" Loket 1\"]\nqueues = [\"DKC\"]\n"),
            "without spaces",
            "line 4",
        ),
        (
            counter("points = [\"Loket 1\"]\nqueues = [\"D K C\"]\n"),
            "counter[0].queues",
            "line 5",
        ),
        (
            "name = \"x\"\n[http]\nidle_timeout_seconds = 0\n".to_owned(),
            "http.idle_timeout_seconds",
            "line 3",
        ),
        (
            "[staff]\nsession_hours = 1000\n".to_owned(),
            "staff.session_hours",
            "line 2",
        ),
    ];
    assert_refused(cases);
    let fine = counter("points = [\"Loket 1\", \"Loket 2\"]\nqueues = [\"DKC\", \"KTP\"]\n");
    let loaded = parse(&fine).expect("valid");
    assert_eq!(loaded.config.counters[0].points, ["Loket 1", "Loket 2"]);
    assert_eq!(loaded.config.http, HttpConfig::default());
}
