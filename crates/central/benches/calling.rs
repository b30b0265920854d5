//! `cargo bench -p mpp-central --bench calling` (`MPP_CENTRAL_BINARY=target/release/mpp-central`
//! to measure a release build): a real `mpp-central` on loopback with 30 lobby displays
//! following `/api/v1/calls` and 100 counter points pressing "next" (one counter credential per
//! point, 10 queues). Prints: call → display event latency (p50, p99, max, over every display
//! and call), the server's memory at rest and with the displays connected, the time to a
//! call's audio and its size (MP3; cold: rendered by espeak-ng and encoded; cached; the WAV of
//! the same call for comparison), and ticket pushed → callable (the push
//! answered → the next press calls it). Asserts only that every display saw every call once.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use mpp_core::numbering::Lane;
use mpp_core::ticket::{Ticket, TicketStatus};
use mpp_testkit::central::*;
use mpp_testkit::load::megabytes;
use tokio::sync::Mutex;

const DISPLAYS: usize = 30;
const POINTS: usize = 100;
const QUEUES: usize = 10;
const ROUNDS: usize = 5;

fn point(n: usize) -> String {
    format!("Loket {n}")
}

fn queue(n: usize) -> String {
    format!("Q{n:02}")
}

fn token(n: usize) -> String {
    format!("bench-counter-token-{n:04}-0123456789abcdef")
}

fn main() {
    // One credential per point, each serving one of the queues.
    let counters: String = (0..POINTS)
        .map(|n| {
            format!(
                "[[counter]]\nname = \"C{n}\"\ntoken_sha256 = \"{}\"\npoints = [\"{}\"]\nqueues = [\"{}\"]\n",
                mpp_testkit::sha256_hex(&token(n)),
                point(n),
                queue(n % QUEUES)
            )
        })
        .collect();
    let server = Server::builder().extra(&counters).start();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    println!("server: {}", binary().display());
    println!("memory at rest: {}", megabytes(server.rss_bytes()));
    runtime.block_on(async {
        let tickets: Vec<Ticket> = (0..POINTS * ROUNDS)
            .map(|n| {
                let mut ticket = ticket(KIOSK, &format!("b{n:05}"), n as u32 + 1, Lane::Regular, 0);
                ticket.queue = queue(n % QUEUES).as_str().into();
                ticket.number = format!("{}-{:03}", queue(n % QUEUES), n / QUEUES + 1);
                ticket.issued_at += chrono::TimeDelta::milliseconds(n as i64);
                ticket
            })
            .collect();
        for chunk in tickets.chunks(250) {
            let events = chunk
                .iter()
                .enumerate()
                .map(|(n, ticket)| event(n as i64 + 1, ticket, TicketStatus::Printed))
                .collect();
            let (status, _) = push(&server, &batch(KIOSK, events)).await;
            assert!(status.is_success(), "{status}");
        }
        let seen: Seen = Arc::default();
        let mut displays = Vec::new();
        for _ in 0..DISPLAYS {
            let seen = Arc::clone(&seen);
            let url = server.url("/api/v1/calls?after=0");
            displays.push(tokio::spawn(async move { follow(url, seen).await }));
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
        println!("memory with {DISPLAYS} displays: {}", megabytes(server.rss_bytes()));
        let mut answered: HashMap<String, Instant> = HashMap::new();
        for _ in 0..ROUNDS {
            let mut presses = tokio::task::JoinSet::new();
            for n in 0..POINTS {
                let url = server.url("/api/v1/counter/next");
                presses.spawn(async move {
                    let body = serde_json::json!({ "counter": point(n) });
                    let answer = client().post(url).bearer_auth(token(n)).json(&body).send().await;
                    let called: serde_json::Value =
                        answer.expect("next").json().await.expect("a call");
                    (n, called, Instant::now())
                });
            }
            let mut called = Vec::new();
            while let Some(press) = presses.join_next().await {
                let (n, call, at) = press.expect("press");
                let number = call["ticket"]["number"].as_str().expect("a number").to_owned();
                answered.insert(number, at);
                called.push((n, call["ticket"]["id"].as_str().expect("id").to_owned()));
            }
            served_all(&server, called).await;
        }
        tokio::time::sleep(Duration::from_secs(2)).await;
        let seen = seen.lock().await;
        let mut latencies = Vec::new();
        for (number, at) in &answered {
            let arrivals = seen.get(number).map_or(&[][..], Vec::as_slice);
            assert_eq!(arrivals.len(), DISPLAYS, "{number} reached every display once");
            latencies.extend(arrivals.iter().map(|arrival| arrival.saturating_duration_since(*at)));
        }
        latencies.sort();
        let at = |share: f64| latencies[((latencies.len() as f64 * share) as usize).min(latencies.len() - 1)];
        println!(
            "call answered -> display event ({} deliveries: {} calls x {DISPLAYS} displays, {POINTS} points pressing at once): p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
            latencies.len(),
            answered.len(),
            at(0.5).as_secs_f64() * 1000.0,
            at(0.99).as_secs_f64() * 1000.0,
            latencies.last().expect("some").as_secs_f64() * 1000.0
        );
        for display in displays {
            display.abort();
        }
        for (label, query) in [
            ("MP3, cold (espeak-ng + LAME)", ""),
            ("MP3, cached", ""),
            ("WAV (format=wav, never cached)", "&format=wav"),
        ] {
            let started = Instant::now();
            let answer = get(&server, &format!("/api/v1/calls/1/audio?mpp=default{query}")).await;
            let status = answer.status();
            let bytes = answer.bytes().await.map_or(0, |b| b.len());
            println!(
                "audio of call 1, {label}: {status} {:.1} KB in {:.1} ms",
                bytes as f64 / 1024.0,
                started.elapsed().as_secs_f64() * 1000.0
            );
        }
        callable_after_push(&server).await;
    });
}

/// When each ticket number's call reached each display.
type Seen = Arc<Mutex<HashMap<String, Vec<Instant>>>>;

/// Follows the stream, noting when each call arrives.
async fn follow(url: String, seen: Seen) {
    let mut response = client_for_streams().get(url).send().await.expect("stream");
    let mut buffer = String::new();
    while let Ok(Some(chunk)) = response.chunk().await {
        let arrived = Instant::now();
        buffer.push_str(&String::from_utf8_lossy(&chunk));
        while let Some(end) = buffer.find("\n\n") {
            let block: String = buffer.drain(..end + 2).collect();
            let data = block.lines().find_map(|line| line.strip_prefix("data:"));
            let number = data
                .and_then(|data| serde_json::from_str::<serde_json::Value>(data.trim()).ok())
                .and_then(|data| data["number"].as_str().map(str::to_owned));
            if let Some(number) = number {
                seen.lock().await.entry(number).or_default().push(arrived);
            }
        }
    }
}

fn client_for_streams() -> reqwest::Client {
    reqwest::Client::builder().build().expect("client")
}

/// Marks each point's called ticket served, through the point's credential.
async fn served_all(server: &Server, called: Vec<(usize, String)>) {
    let mut done = tokio::task::JoinSet::new();
    for (n, id) in called {
        let url = server.url(&format!("/api/v1/counter/tickets/{KIOSK}/{id}"));
        done.spawn(async move {
            let served = serde_json::json!({ "status": "served", "counter": point(n) });
            let answer = client()
                .post(url)
                .bearer_auth(token(n))
                .json(&served)
                .send()
                .await;
            assert!(answer.expect("served").status().is_success());
        });
    }
    while let Some(result) = done.join_next().await {
        result.expect("served");
    }
}

/// Ticket pushed → callable: the push answered, then "next" at a point of its queue calls it.
async fn callable_after_push(server: &Server) {
    let mut times = Vec::new();
    for n in 0..50 {
        let mut ticket = ticket(KIOSK, &format!("c{n:03}"), 10_000 + n, Lane::Priority, 0);
        ticket.queue = queue(0).as_str().into();
        ticket.number = format!("{}-P{n:02}", queue(0));
        let started = Instant::now();
        let (status, _) = push(
            server,
            &batch(KIOSK, vec![event(1, &ticket, TicketStatus::Printed)]),
        )
        .await;
        assert!(status.is_success());
        let body = serde_json::json!({ "counter": point(0) });
        let called: serde_json::Value = post_as(server, "/api/v1/counter/next", &token(0), &body)
            .await
            .json()
            .await
            .expect("called");
        times.push(started.elapsed());
        assert_eq!(
            called["ticket"]["id"],
            ticket.id.as_str(),
            "the new priority ticket"
        );
        let served = serde_json::json!({ "status": "served", "counter": point(0) });
        let path = format!("/api/v1/counter/tickets/{KIOSK}/{}", ticket.id);
        post_as(server, &path, &token(0), &served).await;
    }
    times.sort();
    println!(
        "ticket pushed -> called at a counter (push answered, then next): p50 {:.1} ms, p99 {:.1} ms",
        times[times.len() / 2].as_secs_f64() * 1000.0,
        times[times.len() * 99 / 100].as_secs_f64() * 1000.0
    );
}
