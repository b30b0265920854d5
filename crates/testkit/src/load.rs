//! The load tool of the benchmarks: wrk on loopback, its answer summed up on one line.

use std::process::Command;

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
