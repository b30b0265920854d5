//! A province's server for tests: several `[[mpp]]` tables, each with its own catalog file,
//! kiosks and one counter credential (serving DKC and KTP at the usual points).

use std::path::{Path, PathBuf};

use super::{ADMIN, ADMIN_TOKEN, CLERK, HEAD, KioskAccount, PROVINCE, account_toml, counter_toml};
use crate::sha256_hex;

/// One MPP of a province's server.
#[derive(Clone, Debug)]
pub struct MppAccount {
    pub id: String,
    pub name: String,
    /// Copied into the server's folder as `catalog-<id>.json`.
    pub catalog: PathBuf,
    pub kiosks: Vec<KioskAccount>,
    /// The token of its one counter credential, `Loket 1-4` serving DKC and KTP.
    pub counter_token: String,
}

impl MppAccount {
    pub fn new(id: &str, name: &str, catalog: impl AsRef<Path>, counter_token: &str) -> Self {
        Self {
            id: id.into(),
            name: name.into(),
            catalog: catalog.as_ref().to_owned(),
            kiosks: Vec::new(),
            counter_token: counter_token.into(),
        }
    }

    /// The same MPP with `kiosk` among its kiosks.
    pub fn kiosk(mut self, kiosk: KioskAccount) -> Self {
        self.kiosks.push(kiosk);
        self
    }

    fn catalog_file(&self) -> String {
        format!("catalog-{}.json", self.id)
    }
}

/// Copies every MPP's catalog into `folder` and returns the config naming them.
pub(super) fn write(
    folder: &Path,
    port: u16,
    database: &str,
    mpps: &[MppAccount],
    extra: &str,
) -> String {
    let mut text = format!(
        "listen = \"127.0.0.1:{port}\"\n\
         database = \"{database}\"\n\
         admin_token_sha256 = \"{admin}\"\n{extra}\n",
        admin = sha256_hex(ADMIN_TOKEN),
    );
    for mpp in mpps {
        std::fs::copy(&mpp.catalog, folder.join(mpp.catalog_file())).expect("copy catalog");
        text.push_str(&format!(
            "[[mpp]]\nid = \"{}\"\nname = \"{}\"\ntime_zone = \"Asia/Jakarta\"\ncatalog = \"{}\"\n",
            mpp.id,
            mpp.name,
            mpp.catalog_file()
        ));
        for kiosk in &mpp.kiosks {
            text.push_str(&kiosk.toml("[[mpp.kiosk]]"));
        }
        text.push_str(&counter_toml("[[mpp.counter]]", &mpp.counter_token));
    }
    text.push_str(&account_toml(ADMIN.name, "admin", None, ADMIN.phc));
    text.push_str(&account_toml(PROVINCE.name, "province", None, PROVINCE.phc));
    for mpp in mpps {
        let (head, clerk) = (head_of(&mpp.id), clerk_of(&mpp.id));
        text.push_str(&account_toml(&head, "head", Some(&mpp.id), HEAD.phc));
        text.push_str(&account_toml(&clerk, "counter", Some(&mpp.id), CLERK.phc));
    }
    text
}

/// The name of `mpp`'s head on a province's server (password [`HEAD`]'s).
pub fn head_of(mpp: &str) -> String {
    format!("kepala.{mpp}")
}

/// The name of `mpp`'s counter staff on a province's server (password [`CLERK`]'s).
pub fn clerk_of(mpp: &str) -> String {
    format!("loket.{mpp}")
}
