//! The secrets published with the demo (the shipped mpp-central.toml and kiosk.toml, the
//! README): anybody can read them, so a server using one of them lets anybody sync as a kiosk,
//! report for the counters, open the fleet page or forge a ticket's QR link. The server refuses
//! to start with them when it listens beyond this machine (unless told it is a demo), and says
//! so in its log on loopback; [`find`] is what a page can call to show the same warning.

use std::net::SocketAddr;

use sha2::{Digest, Sha256};

use crate::config::{CentralConfig, TokenHash};

/// The demo signing key of kiosk.toml and mpp-central.toml.
pub const SIGNING_KEY: &str = "demo-signing-key-change-me";
/// The demo tokens whose hashes mpp-central.toml holds (and the README gives to the kiosk).
pub const TOKENS: [&str; 3] = [
    "demo-admin-token",
    "demo-kiosk-01-token",
    "demo-counter-token",
];

/// The demo's staff accounts (mpp-central.toml's `[[account]]`): name, password (the README
/// gives it), and the Argon2id hash the file holds.
pub const ACCOUNTS: [(&str, &str, &str); 3] = [
    (
        "admin",
        "demo-server-sandi",
        "$argon2id$v=19$m=19456,t=2,p=1$ZGVtby1zYWx0LWFkbWlu$SD0jl3WCgAx8Q7If9YDtEbQTuhHq1+EteO4jJLLxOiE",
    ),
    (
        "kepala",
        "demo-kepala-sandi",
        "$argon2id$v=19$m=19456,t=2,p=1$ZGVtby1zYWx0LWtlcGFsYQ$2WLqkTiVMDdnImG5RK1mGIW3SXtaVohBtvREOIpTwYw",
    ),
    (
        "loket",
        "demo-loket-sandi",
        "$argon2id$v=19$m=19456,t=2,p=1$ZGVtby1zYWx0LWxva2V0$LC3fhuyLGlbUhOjb2ErxV/AWtxw95Gx1hKEGMJGQqZI",
    ),
];

/// One configured secret that is a published demo value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DemoSecret {
    /// The dotted key, e.g. `kiosk[0].signing_key`.
    pub key: String,
    /// Which demo value it is, e.g. `the demo token demo-kiosk-01-token`.
    pub value: String,
}

impl std::fmt::Display for DemoSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} is {}", self.key, self.value)
    }
}

/// Every configured token hash and signing key that is a published demo value.
pub fn find(config: &CentralConfig) -> Vec<DemoSecret> {
    let demo_token = |hash: &TokenHash| {
        TOKENS
            .iter()
            .find(|token| Sha256::digest(token.as_bytes()).as_slice() == hash.0)
            .map(|token| format!("the hash of the demo token {token}"))
    };
    let mut found = Vec::new();
    let mut note = |key: String, value: Option<String>| {
        if let Some(value) = value {
            found.push(DemoSecret { key, value });
        }
    };
    if let Some(hash) = &config.admin_token_sha256 {
        note("admin_token_sha256".into(), demo_token(hash));
    }
    for (index, account) in config.accounts.iter().enumerate() {
        let demo = ACCOUNTS
            .iter()
            .find(|(_, _, phc)| *phc == account.password_argon2)
            .map(|(_, password, _)| format!("the hash of the demo password {password}"));
        note(format!("account[{index}].password_argon2"), demo);
    }
    for mpp in config.mpps() {
        let place = &mpp.place;
        for (index, kiosk) in mpp.kiosks.iter().enumerate() {
            note(
                format!("{place}kiosk[{index}].token_sha256"),
                demo_token(&kiosk.token_sha256),
            );
            let demo_key = kiosk.signing_key.0 == SIGNING_KEY;
            note(
                format!("{place}kiosk[{index}].signing_key"),
                demo_key.then(|| format!("the demo signing key {SIGNING_KEY}")),
            );
        }
        for (index, counter) in mpp.counters.iter().enumerate() {
            note(
                format!("{place}counter[{index}].token_sha256"),
                demo_token(&counter.token_sha256),
            );
        }
    }
    found
}

/// What to do about the demo secrets at start.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// None are configured.
    Clean,
    /// Some are, but only this machine can reach the server (or the demo was allowed): warn.
    Warn(Vec<DemoSecret>),
    /// Some are and the network can reach the server: refuse to start.
    Refuse(Vec<DemoSecret>),
}

/// Refuses demo secrets on an address beyond loopback unless `allowed`.
pub fn verdict(config: &CentralConfig, allowed: bool) -> Verdict {
    let found = find(config);
    if found.is_empty() {
        Verdict::Clean
    } else if allowed || is_local(config.listen) {
        Verdict::Warn(found)
    } else {
        Verdict::Refuse(found)
    }
}

/// Whether only this machine can connect to `listen`.
pub fn is_local(listen: SocketAddr) -> bool {
    listen.ip().is_loopback()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Loaded;
    use std::path::Path;

    fn config(text: &str) -> CentralConfig {
        Loaded::parse(text, Path::new("c.toml"), Path::new("/base"))
            .expect("valid")
            .config
    }

    const SHIPPED: &str = include_str!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../mpp-central.toml"
    ));

    #[test]
    fn every_demo_secret_of_the_shipped_file_is_found() {
        let found = find(&config(SHIPPED));
        let keys: Vec<&str> = found.iter().map(|secret| secret.key.as_str()).collect();
        assert_eq!(
            keys,
            [
                "admin_token_sha256",
                "account[0].password_argon2",
                "account[1].password_argon2",
                "account[2].password_argon2",
                "kiosk[0].token_sha256",
                "kiosk[0].signing_key",
                "counter[0].token_sha256",
            ]
        );
        assert!(
            found[4].to_string().contains("demo-kiosk-01-token"),
            "{}",
            found[4]
        );
        assert!(
            found[2].to_string().contains("demo-kepala-sandi"),
            "{}",
            found[2]
        );
    }

    #[test]
    fn loopback_warns_the_network_refuses_the_flag_allows() {
        let shipped = config(SHIPPED);
        assert!(matches!(verdict(&shipped, false), Verdict::Warn(_)));
        let open = config(&SHIPPED.replace("127.0.0.1:8787", "0.0.0.0:8787"));
        assert!(matches!(verdict(&open, false), Verdict::Refuse(_)));
        assert!(matches!(verdict(&open, true), Verdict::Warn(_)));
        let ipv6 = config(&SHIPPED.replace("127.0.0.1:8787", "[::1]:8787"));
        assert!(matches!(verdict(&ipv6, false), Verdict::Warn(_)));
    }

    #[test]
    fn own_secrets_are_clean() {
        let own = format!(
            "listen = \"0.0.0.0:8787\"\nadmin_token_sha256 = \"{}\"\n[[kiosk]]\nid = \"K1\"\n\
             token_sha256 = \"{}\"\nsigning_key = \"a-key-of-our-own-0001\"\n",
            crate::hash_hex("our-admin-token-0001"),
            crate::hash_hex("our-kiosk-token-0001"),
        );
        assert_eq!(verdict(&config(&own), false), Verdict::Clean);
    }

    #[test]
    fn the_packaged_file_has_no_demo_secret_and_paths_systemd_lets_it_write() {
        let text = include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../packaging/mpp-central.toml"
        ));
        let loaded = Loaded::parse(
            text,
            Path::new("/etc/mpp-central/mpp-central.toml"),
            Path::new("/etc/mpp-central"),
        )
        .expect("valid");
        assert!(loaded.unknown_keys.is_empty(), "{:?}", loaded.unknown_keys);
        let config = loaded.config;
        assert_eq!(
            config.database,
            Path::new("/var/lib/mpp-central/central.db")
        );
        assert_eq!(config.catalog, Path::new("/etc/mpp-central/catalog.json"));
        assert!(is_local(config.listen));
        assert_eq!(verdict(&config, false), Verdict::Clean);
    }
}
