//! What the benchmarks share: wrk on loopback with its answer summed up on one line, the
//! benchmark kiosks' tokens, keys and tickets, a batch pushed on a kept-alive client, memory
//! in megabytes.

use std::process::Command;

use mpp_core::numbering::Lane;
use mpp_core::protocol::{BatchOutcome, EventBatch};
use mpp_core::ticket::{Ticket, qr_payload};
use reqwest::header::AUTHORIZATION;

use crate::central::{QR_BASE, bearer, ticket};

/// Ends the benchmark, saying how to install it, when wrk is not on this machine.
pub fn require_wrk() {
    if Command::new("wrk").arg("--version").output().is_err() {
        eprintln!("wrk is not installed: apt-get install -y wrk");
        std::process::exit(1);
    }
}

/// Runs wrk and sums up its answer: requests per second, p50 and p99, errors.
pub fn wrk(url: &str, connections: u32, seconds: u32) -> String {
    let output = Command::new("wrk")
        .args(["-t2", &format!("-c{connections}"), &format!("-d{seconds}s")])
        .args(["--timeout", "10s", "--latency", url])
        .output()
        .expect("run wrk");
    let text = String::from_utf8_lossy(&output.stdout);
    let field = |prefix: &str| {
        text.lines()
            .map(str::trim)
            .find(|line| line.starts_with(prefix))
            .map(|line| line[prefix.len()..].trim().to_owned())
            .unwrap_or_else(|| "?".into())
    };
    let percentile = |name: &str| {
        field(name)
            .split_whitespace()
            .next()
            .unwrap_or("?")
            .to_owned()
    };
    let errors = text
        .lines()
        .filter(|line| line.contains("Socket errors") || line.contains("Non-2xx"))
        .map(str::trim)
        .collect::<Vec<_>>()
        .join("; ");
    format!(
        "{} req/s, p50 {}, p99 {}{}",
        field("Requests/sec:"),
        percentile("50%"),
        percentile("99%"),
        if errors.is_empty() {
            String::new()
        } else {
            format!(" ({errors})")
        }
    )
}

/// The token of benchmark kiosk `id`.
pub fn bench_token(id: &str) -> String {
    format!("bench-token-{id}")
}

/// The signing key of benchmark kiosk `id`.
pub fn bench_key(id: &str) -> String {
    format!("bench-signing-key-{id}")
}

/// A printed ticket of benchmark kiosk `kiosk` (issued `sequence % 600` minutes into today),
/// its link signed with the kiosk's own key.
pub fn bench_ticket(kiosk: &str, id: &str, sequence: u32, lane: Lane) -> Ticket {
    let mut ticket = ticket(kiosk, id, sequence, lane, i64::from(sequence % 600));
    ticket.qr_payload = qr_payload(QR_BASE, kiosk, id, bench_key(kiosk).as_bytes());
    ticket
}

/// `batch` pushed to the events `url` with `token` on `client`, kept alive from batch to batch
/// as a kiosk keeps it: the answer must be a success; its outcome.
pub async fn push_batch(
    client: &reqwest::Client,
    url: &str,
    token: &str,
    batch: &EventBatch,
) -> BatchOutcome {
    let response = client
        .post(url)
        .header(AUTHORIZATION, bearer(token))
        .json(batch)
        .send()
        .await
        .expect("pushed");
    assert!(response.status().is_success(), "{}", response.status());
    response.json().await.expect("outcome")
}

/// `bytes` in megabytes, or "unknown".
pub fn megabytes(bytes: Option<u64>) -> String {
    bytes.map_or("unknown".into(), |bytes| {
        format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
    })
}
