//! The identifiers that cross module borders, each its own type so a service code can never be
//! passed where a ticket id is expected. On the wire and in the database they are plain strings.

use std::borrow::Borrow;
use std::fmt;
use std::ops::Deref;

use serde::{Deserialize, Serialize};

/// Declares a string newtype: transparent in serde, readable as `&str`, printable.
macro_rules! string_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            pub fn new(value: impl Into<String>) -> Self {
                Self(value.into())
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }

            pub fn into_string(self) -> String {
                self.0
            }
        }

        impl Deref for $name {
            type Target = str;
            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }

        /// Written as the string it is, so messages read `"DKC-KK"`, not a type name.
        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Debug::fmt(&self.0, f)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<String> for $name {
            fn from(value: String) -> Self {
                Self(value)
            }
        }

        impl From<&str> for $name {
            fn from(value: &str) -> Self {
                Self(value.to_owned())
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }
    };
}

string_id! {
    /// A ticket's opaque, unguessable id (UUID v7): what the QR code and the server know it by.
    TicketId
}

string_id! {
    /// A kiosk's id from `kiosk.id`, e.g. `KIOSK-01`; printed on every ticket it issues.
    KioskId
}

string_id! {
    /// A service's code in the catalog, e.g. `DKC-KK`.
    ServiceCode
}

string_id! {
    /// An agency's code in the catalog, e.g. `DUKCAPIL`.
    AgencyCode
}

string_id! {
    /// A queue's prefix, e.g. `DKC`: the letters in front of the numbers it gives out.
    QueueCode
}

/// Whether `id` could be a ticket id, as it comes in a link or a scanned code before any
/// lookup: 1 to 64 letters, digits, `-` and `_`.
pub fn plausible_ticket_id(id: &str) -> bool {
    (1..=64).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Whether `kiosk` could be a kiosk id, as it comes in a link: 1 to 64 letters, digits and
/// `-`.
pub fn plausible_kiosk_id(kiosk: &str) -> bool {
    (1..=64).contains(&kiosk.len())
        && kiosk
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_plain_strings_on_the_wire() {
        let id = TicketId::new("0192-abc");
        assert_eq!(serde_json::to_string(&id).expect("json"), "\"0192-abc\"");
        let back: TicketId = serde_json::from_str("\"0192-abc\"").expect("json");
        assert_eq!(back, id);
        assert_eq!(back, "0192-abc");
        assert_eq!(back.to_string(), "0192-abc");
        assert_eq!(
            format!("{back:?}"),
            "\"0192-abc\"",
            "messages quote the id, nothing more"
        );
    }

    #[test]
    fn a_map_keyed_by_id_is_searched_by_str() {
        let mut counts = std::collections::HashMap::new();
        counts.insert(ServiceCode::new("DKC-KK"), 3);
        assert_eq!(counts.get("DKC-KK"), Some(&3));
        assert_eq!(counts.get("DKC-KTP"), None);
    }

    #[test]
    fn ids_are_checked_before_any_lookup() {
        assert!(plausible_ticket_id("0192f0c2-7b1e-7cc3-9a5e-1f2d3c4b5a69"));
        assert!(plausible_ticket_id("legacy_id-1"));
        assert!(!plausible_ticket_id(""));
        assert!(!plausible_ticket_id("../etc/passwd"));
        assert!(plausible_ticket_id(&"a".repeat(64)));
        assert!(!plausible_ticket_id(&"a".repeat(65)));
        assert!(plausible_kiosk_id("KIOSK-01"));
        assert!(
            !plausible_kiosk_id("KIOSK_01") && !plausible_kiosk_id("") && !plausible_kiosk_id("..")
        );
        assert!(!plausible_kiosk_id(&"K".repeat(65)));
    }
}
