//! Request bodies that trickle in, against a real `mpp-central` with a low connection cap: 300
//! sockets sending the phone survey form a byte at a time (what a stranger can do without any
//! secret) neither lock out the health check nor an honest kiosk sending a batch slowly but
//! steadily; each trickle is cut off once its grace is over, and the cap is one warning line.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use mpp_core::protocol::BatchOutcome;
use mpp_testkit::central::*;
use reqwest::StatusCode;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Trickling sockets, and the connection cap they run into.
const TRICKLERS: usize = 300;
const CAP: usize = 40;
/// How long the flood lasts.
const FLOOD: Duration = Duration::from_secs(8);
/// What a body may take past its grace (two cores, builds beside).
const SLACK: Duration = Duration::from_millis(1500);
/// The longest a trickling connection may last, from its connect: its turn in the listen
/// queue while every slot is taken, then its grace at most. Without the pace it would be the
/// whole body deadline (30 s).
const LONGEST_TRICKLE: Duration = Duration::from_secs(5);

/// The phone survey form's head, announcing a body that then comes a byte at a time.
fn trickled_form_head() -> String {
    format!(
        "POST /t/{KIOSK}/slow-1/survey?s=x HTTP/1.1\r\nHost: 127.0.0.1\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 4000\r\n\r\na"
    )
}

/// Connects, sends the head and then a byte every 500 ms until the server closes the
/// connection; how long it was held, or `None` when it could not connect. A reset counts as
/// closed, as an orderly end does.
async fn trickle(port: u16) -> Option<Duration> {
    let started = Instant::now();
    let stream = TcpStream::connect(("127.0.0.1", port)).await.ok()?;
    let (mut reader, mut writer) = stream.into_split();
    let sending = tokio::spawn(async move {
        if writer
            .write_all(trickled_form_head().as_bytes())
            .await
            .is_err()
        {
            return;
        }
        loop {
            tokio::time::sleep(Duration::from_millis(500)).await;
            if writer.write_all(b"a").await.is_err() {
                return;
            }
        }
    });
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(30), reader.read_to_end(&mut answer)).await;
    sending.abort();
    Some(started.elapsed())
}

/// A valid batch padded with spaces to `size` bytes, sent at about `pace` bytes a second in
/// small writes: an honest kiosk on a slow link.
async fn steady_batch(port: u16, size: usize, pace: usize) -> (String, Duration) {
    let mut body = serde_json::to_vec(&one(KIOSK, 1, "steady-1")).expect("json");
    body.resize(size, b' ');
    let head = format!(
        "POST /api/v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {KIOSK_TOKEN}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let started = Instant::now();
    let mut stream = TcpStream::connect(("127.0.0.1", port))
        .await
        .expect("connect");
    stream.write_all(head.as_bytes()).await.expect("head");
    for chunk in body.chunks(pace / 4) {
        if let Err(error) = stream.write_all(chunk).await {
            let mut answer = Vec::new();
            let _ = stream.read_to_end(&mut answer).await;
            let answer = String::from_utf8_lossy(&answer);
            panic!(
                "the body was cut off after {:?}: {error}: {answer}",
                started.elapsed()
            );
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    let mut answer = Vec::new();
    tokio::time::timeout(Duration::from_secs(30), stream.read_to_end(&mut answer))
        .await
        .expect("an answer in time")
        .expect("read");
    (
        String::from_utf8_lossy(&answer).into_owned(),
        started.elapsed(),
    )
}

/// Health checks on a new connection each time, until `stop`: how many were asked, how many
/// answered 200, the slowest answer.
async fn health_checks(url: String, stop: Instant) -> (usize, usize, Duration) {
    mpp_testkit::install_tls_provider();
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .pool_max_idle_per_host(0)
        .build()
        .expect("client");
    let (mut asked, mut answered, mut slowest) = (0, 0, Duration::ZERO);
    while Instant::now() < stop {
        let started = Instant::now();
        asked += 1;
        if let Ok(response) = client.get(&url).send().await
            && response.status() == StatusCode::OK
        {
            answered += 1;
        }
        slowest = slowest.max(started.elapsed());
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    (asked, answered, slowest)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn trickled_bodies_never_hold_the_slots_health_checks_and_a_steady_kiosk_need() {
    let server = Server::builder()
        .extra(&format!("[http]\nmax_connections = {CAP}\n"))
        .start();
    let port = server.port();
    let stop = Instant::now() + FLOOD;
    let held = Arc::new(AtomicUsize::new(0));
    let tricklers: Vec<_> = (0..TRICKLERS)
        .map(|_| {
            let held = Arc::clone(&held);
            tokio::spawn(async move {
                let mut longest = Duration::ZERO;
                while Instant::now() < stop {
                    if let Some(lasted) = trickle(port).await {
                        longest = longest.max(lasted);
                    }
                    // Back at once, bounded: two cores run the server and the flood.
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    held.fetch_add(1, Ordering::Relaxed);
                }
                longest
            })
        })
        .collect();
    // Let the flood fill the cap before the honest clients come.
    tokio::time::sleep(Duration::from_secs(1)).await;
    let health = tokio::spawn(health_checks(server.url("/api/v1/health"), stop));
    // 12 KiB at 3 KiB a second: four seconds, three times the slowest pace allowed.
    let (answer, took) = steady_batch(port, 12 * 1024, 3 * 1024).await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    let body = answer.split_once("\r\n\r\n").expect("a body").1;
    let outcome: BatchOutcome = serde_json::from_str(body).expect("an outcome");
    assert_eq!(outcome.accepted, [1], "taken after {took:?}");
    assert!(took >= Duration::from_secs(3), "{took:?}");

    let (asked, answered, slowest) = health.await.expect("health checks");
    let mut longest = Duration::ZERO;
    for trickler in tricklers {
        longest = longest.max(trickler.await.expect("trickler"));
    }
    let connections = held.load(Ordering::Relaxed);
    eprintln!(
        "{connections} trickled connections, the longest held {longest:?}; \
         {answered}/{asked} health checks answered, the slowest in {slowest:?}"
    );
    assert_eq!(answered, asked, "every health check answered");
    assert!(slowest < Duration::from_secs(3), "{slowest:?}");
    assert!(connections >= TRICKLERS, "{connections}");
    assert!(longest <= LONGEST_TRICKLE, "{longest:?}");

    let log = server.log();
    let cap_lines: Vec<&str> = log
        .lines()
        .filter(|line| line.contains("at the connection cap"))
        .collect();
    assert_eq!(cap_lines.len(), 1, "one line a minute:\n{log}");
    assert!(
        cap_lines[0].contains("WARN") && cap_lines[0].contains(&format!("cap={CAP}")),
        "{}",
        cap_lines[0]
    );
    assert!(!log.contains("panicked"), "{log}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_trickled_batch_is_answered_408_once_its_grace_is_over() {
    let server = Server::start();
    let started = Instant::now();
    let mut stream = TcpStream::connect(("127.0.0.1", server.port()))
        .await
        .expect("connect");
    let head = "POST /api/v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\
                Content-Type: application/json\r\nContent-Length: 5000\r\n";
    let head = format!("{head}Authorization: Bearer {KIOSK_TOKEN}\r\n\r\n{{");
    stream.write_all(head.as_bytes()).await.expect("head");
    let (mut reader, mut writer) = stream.into_split();
    let sending = tokio::spawn(async move {
        for _ in 0..40 {
            tokio::time::sleep(Duration::from_millis(250)).await;
            if writer.write_all(b" ").await.is_err() {
                return;
            }
        }
    });
    let mut answer = Vec::new();
    tokio::time::timeout(Duration::from_secs(10), reader.read_to_end(&mut answer))
        .await
        .expect("closed in time")
        .expect("read");
    sending.abort();
    let answer = String::from_utf8_lossy(&answer);
    let after = started.elapsed();
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(
        answer.contains("too slowly") && answer.contains("1024 bytes a second"),
        "{answer}"
    );
    assert!(
        after >= Duration::from_secs(2) && after <= Duration::from_secs(2) + SLACK,
        "{after:?}"
    );
}
