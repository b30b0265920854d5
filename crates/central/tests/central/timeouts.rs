//! Slow and idle clients against a real `mpp-central` with short limits: a request head sent a
//! byte at a time, a body that trickles, a connection left idle, each closed within its
//! configured time while a normal client keeps being answered; and the same under a
//! 64-descriptor limit with more slow clients than the server may hold.

use std::time::{Duration, Instant};

use mpp_testkit::central::*;
use reqwest::StatusCode;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::task::JoinHandle;

const HEADER_SECONDS: u64 = 1;
const BODY_SECONDS: u64 = 2;
const IDLE_SECONDS: u64 = 1;
/// What the machine may add to a configured time (two cores, other builds running).
const SLACK: Duration = Duration::from_millis(1500);
/// A byte every so often: each one resets any per-read timer, none the whole-request ones.
const TRICKLE: Duration = Duration::from_millis(200);

fn short_limits() -> String {
    format!(
        "[http]\nheader_read_timeout_seconds = {HEADER_SECONDS}\n\
         body_timeout_seconds = {BODY_SECONDS}\nidle_timeout_seconds = {IDLE_SECONDS}\n"
    )
}

fn seconds(value: u64) -> Duration {
    Duration::from_secs(value)
}

/// How a slow client's connection ended, and when (from its connect).
#[derive(Debug)]
struct Ended {
    after: Duration,
    /// What the server said before closing, if anything.
    answer: String,
}

/// Connects and sends `head`, then `trickle` a byte at a time until the server closes the
/// connection or `give_up` passes; `None` if it was still open then.
async fn slow_client(server_port: u16, head: String, give_up: Duration) -> Option<Ended> {
    let started = Instant::now();
    let stream = TcpStream::connect(("127.0.0.1", server_port)).await.ok()?;
    let (mut reader, mut writer) = stream.into_split();
    let trickling = tokio::spawn(async move {
        if writer.write_all(head.as_bytes()).await.is_err() {
            return;
        }
        loop {
            tokio::time::sleep(TRICKLE).await;
            if writer.write_all(b"x").await.is_err() {
                return;
            }
        }
    });
    let mut answer = Vec::new();
    let read = tokio::time::timeout(give_up, reader.read_to_end(&mut answer)).await;
    trickling.abort();
    // A reset counts as closed, as an orderly end does.
    read.ok().map(|_| Ended {
        after: started.elapsed(),
        answer: String::from_utf8_lossy(&answer).into_owned(),
    })
}

/// A request head that never ends: one header line trickles on.
fn endless_head() -> String {
    "GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ".into()
}

/// A whole head announcing a body that then trickles.
fn trickled_body_head() -> String {
    format!(
        "POST /api/v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {KIOSK_TOKEN}\r\n\
         Content-Type: application/json\r\nContent-Length: 100000\r\n\r\n{{\"kiosk\":\""
    )
}

/// Asks for the health check every so often on a new connection each time, until `stop`;
/// the slowest answer. Panics on any failure.
async fn normal_client(url: String, stop: Instant) -> (usize, Duration) {
    mpp_testkit::install_tls_provider();
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .pool_max_idle_per_host(0)
        .build()
        .expect("client");
    let (mut answered, mut slowest) = (0, Duration::ZERO);
    while Instant::now() < stop {
        let asked = Instant::now();
        let response = client.get(&url).send().await.expect("answered");
        assert_eq!(response.status(), StatusCode::OK);
        response.bytes().await.expect("body");
        slowest = slowest.max(asked.elapsed());
        answered += 1;
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    (answered, slowest)
}

/// Waits for the [`normal_client`] and checks it was answered `at_least` times; its slowest.
async fn answered_at_least(normal: JoinHandle<(usize, Duration)>, at_least: usize) -> Duration {
    let (answered, slowest) = normal
        .await
        .expect("the normal client was answered throughout");
    assert!(
        answered >= at_least,
        "only {answered} answers, the slowest {slowest:?}"
    );
    slowest
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_head_a_trickled_body_and_an_idle_connection_are_closed_in_time() {
    let server = Server::builder().extra(&short_limits()).start();
    let port = server.port();
    let give_up = seconds(10);
    let stop = Instant::now() + seconds(BODY_SECONDS) + SLACK;
    let normal = tokio::spawn(normal_client(server.url("/api/v1/health"), stop));

    let heads: Vec<_> = (0..20)
        .map(|_| tokio::spawn(slow_client(port, endless_head(), give_up)))
        .collect();
    let body = tokio::spawn(slow_client(port, trickled_body_head(), give_up));
    let silent = tokio::spawn(async move {
        let started = Instant::now();
        let mut stream = TcpStream::connect(("127.0.0.1", port))
            .await
            .expect("connect");
        let mut rest = Vec::new();
        let _ = tokio::time::timeout(give_up, stream.read_to_end(&mut rest)).await;
        started.elapsed()
    });

    for head in heads {
        let ended = head.await.expect("task").expect("the slow head was closed");
        assert!(
            ended.after <= seconds(HEADER_SECONDS) + SLACK,
            "a slow head lasted {:?}",
            ended.after
        );
    }
    let silent = silent.await.expect("task");
    assert!(
        silent <= seconds(HEADER_SECONDS) + SLACK,
        "a connection that never spoke lasted {silent:?}"
    );
    let ended = body
        .await
        .expect("task")
        .expect("the trickled body was cut off");
    assert!(
        ended.after >= seconds(BODY_SECONDS) && ended.after <= seconds(BODY_SECONDS) + SLACK,
        "a trickled body lasted {:?}",
        ended.after
    );
    assert!(
        ended.answer.starts_with("HTTP/1.1 408"),
        "the body's deadline is answered: {}",
        ended.answer
    );
    assert!(
        ended.answer.contains("body_timeout_seconds"),
        "{}",
        ended.answer
    );

    let slowest = answered_at_least(normal, 10).await;
    assert!(slowest < seconds(1), "a normal request took {slowest:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_kept_alive_connection_left_idle_is_closed_after_the_idle_time() {
    let server = Server::builder().extra(&short_limits()).start();
    let mut stream = TcpStream::connect(("127.0.0.1", server.port()))
        .await
        .expect("connect");
    for _ in 0..3 {
        // Requests close together keep it open: the idle time counts from each answer.
        stream
            .write_all(b"GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            .await
            .expect("request");
        let answer = read_answer(&mut stream).await;
        assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    let answered = Instant::now();
    let mut rest = Vec::new();
    let closed = tokio::time::timeout(seconds(10), stream.read_to_end(&mut rest)).await;
    assert!(closed.is_ok(), "the idle connection was never closed");
    let after = answered.elapsed();
    assert!(
        after <= seconds(IDLE_SECONDS) + SLACK,
        "idle for {after:?} before it was closed"
    );
    assert!(rest.is_empty(), "nothing more was said");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn under_a_small_descriptor_limit_slow_clients_are_shed_and_normal_ones_served() {
    let server = Server::builder().extra(&short_limits()).nofile(64).start();
    let port = server.port();
    let stop = Instant::now() + seconds(4);
    // 80 slow clients, each coming back as soon as it is closed, for four seconds.
    let attackers: Vec<_> = (0..80)
        .map(|_| {
            tokio::spawn(async move {
                let mut ends = Vec::new();
                while Instant::now() < stop {
                    match slow_client(port, endless_head(), seconds(10)).await {
                        Some(ended) => ends.push(ended.after),
                        None => return Err("a slow client was never closed"),
                    }
                }
                Ok(ends)
            })
        })
        .collect();
    let normal = tokio::spawn(normal_client(server.url("/api/v1/health"), stop));
    let sample = one(KIOSK, 1, "fd1");
    let (status, _) = push(&server, &sample).await;
    assert_eq!(status, StatusCode::OK, "a kiosk is still heard");

    let mut closed = 0;
    for attacker in attackers {
        let ends = attacker.await.expect("task").expect("closed");
        for after in &ends {
            assert!(
                *after <= seconds(HEADER_SECONDS) + SLACK,
                "a slow client held on for {after:?}"
            );
        }
        closed += ends.len();
    }
    assert!(closed >= 80, "only {closed} slow connections were closed");
    // Each new connection waits its turn behind the slow ones in the backlog, briefly.
    let slowest = answered_at_least(normal, 4).await;
    assert!(
        slowest <= seconds(HEADER_SECONDS) + SLACK,
        "a normal request took {slowest:?}"
    );
    let health = get(&server, "/api/v1/health").await;
    assert_eq!(health.status(), StatusCode::OK, "{}", server.log());
    assert!(!server.log().contains("panicked"), "{}", server.log());
    assert!(
        server.log().contains("max_connections=12"),
        "the cap follows the descriptor limit:\n{}",
        server.log()
    );
    // A flood is visible in the log at the default level, a line now and then, not one each.
    let log = server.log();
    let cap_lines = log.matches("at the connection cap").count();
    assert!(
        (1..=2).contains(&cap_lines) && log.contains("WARN"),
        "{cap_lines} cap lines:\n{log}"
    );
}

/// Reads one answer with a `Content-Length` body from a kept-alive connection.
async fn read_answer(stream: &mut TcpStream) -> String {
    let mut bytes = Vec::new();
    let mut buffer = [0u8; 4096];
    loop {
        let read = tokio::time::timeout(seconds(5), stream.read(&mut buffer))
            .await
            .expect("an answer in time")
            .expect("read");
        assert!(read > 0, "closed before the answer was complete");
        bytes.extend_from_slice(&buffer[..read]);
        let text = String::from_utf8_lossy(&bytes).into_owned();
        if let Some((head, body)) = text.split_once("\r\n\r\n") {
            let length = head
                .lines()
                .find_map(|line| {
                    let (name, value) = line.split_once(':')?;
                    name.eq_ignore_ascii_case("content-length")
                        .then(|| value.trim().parse::<usize>().ok())
                        .flatten()
                })
                .unwrap_or(0);
            if body.len() >= length {
                return text;
            }
        }
    }
}
