//! Test support shared by the kiosk's and the central server's tests and benchmarks: the
//! printer and ticket scanner simulators on pseudo-terminals, a real `mpp-central` process,
//! a headless Chromium for its pages, and the fixtures. Never shipped.

pub mod browser;
pub mod central;
pub mod fixtures;
pub mod html;
pub mod load;
pub mod postgres;
#[cfg(feature = "printer")]
pub mod printer_sim;
#[cfg(any(feature = "printer", feature = "scanner"))]
mod pty;
#[cfg(feature = "scanner")]
pub mod scanner_sim;
pub mod skip;

/// Lower-case hex SHA-256, as the central server's config stores tokens.
pub fn sha256_hex(text: &str) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// Resident memory of process `pid`, from /proc (Linux), in bytes.
pub fn rss_of(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|line| line.starts_with("VmRSS:"))?;
    let kilobytes: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kilobytes * 1024)
}

/// A TCP port on 127.0.0.1 that nothing listens on right now.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("free port")
        .port()
}

/// reqwest is built without a TLS provider of its own: every client in tests gets rustls with
/// `ring`, as the kiosk does. Call before building any reqwest client.
pub fn install_tls_provider() {
    static INSTALL: std::sync::OnceLock<()> = std::sync::OnceLock::new();
    INSTALL.get_or_init(|| {
        // Err only means another provider was installed first, which serves as well.
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
}
