//! Test support shared by the kiosk's and the central server's tests and benchmarks: the
//! printer simulator on a pseudo-terminal, a real `mpp-central` process, and the fixtures.
//! Never shipped.

pub mod central;
pub mod fixtures;
pub mod printer_sim;

/// Lower-case hex SHA-256, as the central server's config stores tokens.
pub fn sha256_hex(text: &str) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// A TCP port on 127.0.0.1 that nothing listens on right now.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("free port")
        .port()
}
