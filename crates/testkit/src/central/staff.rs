//! The staff accounts every test server has (`[[account]]` entries), with their passwords.

/// A staff account of every test server: name, password and the password's Argon2id hash
/// (made once, so a server starts without hashing).
pub struct StaffLogin {
    pub name: &'static str,
    pub password: &'static str,
    pub phc: &'static str,
}
/// The server's administrator.
pub const ADMIN: StaffLogin = StaffLogin {
    name: "admin",
    password: "uji-sandi-admin-0001",
    phc: "$argon2id$v=19$m=19456,t=2,p=1$dGVzdC1zYWx0LWFkbWlu$bGS5X4keQYVzg6tnvU33qgqsPNlrcZL1czNTu2qw2w4",
};
/// The head of the one-MPP server's MPP (on a province's server: `kepala.<mpp id>`).
pub const HEAD: StaffLogin = StaffLogin {
    name: "kepala",
    password: "uji-sandi-kepala-0001",
    phc: "$argon2id$v=19$m=19456,t=2,p=1$dGVzdC1zYWx0LWhlYWQ$bcvMnSn64EAvVTmCYk8X40km5OXmKmvPKY2vlCJPihU",
};
/// Counter staff of Loket 1 and Loket 2 (on a province's server: `loket.<mpp id>`).
pub const CLERK: StaffLogin = StaffLogin {
    name: "loket",
    password: "uji-sandi-loket-0001",
    phc: "$argon2id$v=19$m=19456,t=2,p=1$dGVzdC1zYWx0LWNsZXJr$hbz4jrcEl0W/7iexS2SSKPUbseDTDsyztA8lLf6ZasA",
};
/// The province's reader (on a province's server only).
pub const PROVINCE: StaffLogin = StaffLogin {
    name: "provinsi",
    password: "uji-sandi-provinsi-0001",
    phc: "$argon2id$v=19$m=19456,t=2,p=1$dGVzdC1zYWx0LXByb3ZpbmNl$Hzkyn6kg/pazPO6OLmCLXnEn2LmhFnzSPQT00sF1Cfc",
};

/// An `[[account]]` entry; `mpp` for heads and counter staff of a province's MPP.
pub fn account_toml(name: &str, role: &str, mpp: Option<&str>, phc: &str) -> String {
    let mut text = format!("[[account]]\nname = \"{name}\"\nrole = \"{role}\"\n");
    if let Some(mpp) = mpp {
        text.push_str(&format!("mpp = \"{mpp}\"\n"));
    }
    if role == "counter" {
        text.push_str("points = [\"Loket 1\", \"Loket 2\"]\n");
    }
    text.push_str(&format!("password_argon2 = \"{phc}\"\n"));
    text
}
