//! The lobby displays' stream of calls against a real `mpp-central` (both backends): every way
//! of calling (`next`, a counter's report, a recall) reaches `/api/v1/calls` once, in order,
//! numbered per MPP; a display resumes after a server restart from the last number it saw,
//! nothing missed and nothing repeated; a fresh display is shown the latest calls without
//! announcing them; a zone's display hears only its zone; each call is spoken as WAV audio.

use std::time::Duration;

use mpp_core::numbering::Lane;
use mpp_core::ticket::Ticket;
use mpp_testkit::central::*;
use mpp_testkit::skip::skipped;
use reqwest::StatusCode;
use serde_json::Value;

fn waiting(id: &str, queue: &str, minute: i64) -> Ticket {
    issued_at_minute(id, queue, Lane::Regular, minute)
}

async fn next(server: &Server, token: &str, point: &str) -> StatusCode {
    let body = serde_json::json!({ "counter": point });
    post_as(server, "/api/v1/counter/next", token, &body)
        .await
        .status()
}

/// One server-sent event: its id, type and data.
#[derive(Debug, Clone, PartialEq)]
struct Sent {
    id: i64,
    kind: String,
    data: Value,
}

/// A display's connection to the stream.
struct Display {
    response: reqwest::Response,
    buffer: String,
}

impl Display {
    async fn connect(server: &Server, query: &str, last_seen: Option<i64>) -> Display {
        let mut request = client_for_streams().get(server.url(&format!("/api/v1/calls{query}")));
        if let Some(last) = last_seen {
            request = request.header("last-event-id", last.to_string());
        }
        let response = request.send().await.expect("stream");
        assert_eq!(response.status(), StatusCode::OK);
        let kind = response.headers()["content-type"].to_str().expect("type");
        assert!(kind.starts_with("text/event-stream"), "{kind}");
        Display {
            response,
            buffer: String::new(),
        }
    }

    /// The next event, or `None` when none comes within `wait` (keep-alive comments skipped).
    async fn next(&mut self, wait: Duration) -> Option<Sent> {
        let until = tokio::time::Instant::now() + wait;
        loop {
            if let Some(end) = self.buffer.find("\n\n") {
                let block: String = self.buffer.drain(..end + 2).collect();
                if let Some(sent) = parse(&block) {
                    return Some(sent);
                }
                continue;
            }
            let chunk = tokio::time::timeout_at(until, self.response.chunk())
                .await
                .ok()?;
            let chunk = chunk.expect("stream read").expect("stream open");
            self.buffer.push_str(&String::from_utf8_lossy(&chunk));
        }
    }

    /// The next `count` events, each within a few seconds.
    async fn take(&mut self, count: usize) -> Vec<Sent> {
        let mut events = Vec::new();
        for n in 0..count {
            let sent = self.next(Duration::from_secs(5)).await;
            events.push(
                sent.unwrap_or_else(|| panic!("event {n} of {count} never came: {events:?}")),
            );
        }
        events
    }
}

fn client_for_streams() -> reqwest::Client {
    reqwest::Client::builder().build().expect("client")
}

fn parse(block: &str) -> Option<Sent> {
    let (mut id, mut kind, mut data) = (None, String::from("message"), String::new());
    for line in block.lines() {
        if let Some(value) = line.strip_prefix("id:") {
            id = value.trim().parse().ok();
        } else if let Some(value) = line.strip_prefix("event:") {
            kind = value.trim().to_owned();
        } else if let Some(value) = line.strip_prefix("data:") {
            data.push_str(value.trim_start());
        }
    }
    Some(Sent {
        id: id?,
        kind,
        data: serde_json::from_str(&data).expect("JSON data"),
    })
}

fn summary(events: &[Sent]) -> Vec<(i64, String, String, String, String)> {
    events
        .iter()
        .map(|sent| {
            let text = |key: &str| sent.data[key].as_str().unwrap_or_default().to_owned();
            (
                sent.id,
                sent.kind.clone(),
                text("number"),
                text("point"),
                text("kind"),
            )
        })
        .collect()
}

fn row(
    id: i64,
    event: &str,
    number: &str,
    point: &str,
    kind: &str,
) -> (i64, String, String, String, String) {
    (id, event.into(), number.into(), point.into(), kind.into())
}

#[tokio::test]
async fn every_call_reaches_the_displays_once_in_order_even_across_a_restart() {
    let mut server = Server::builder().now(morning()).start();
    let tickets: Vec<Ticket> = (1..=4)
        .map(|n| waiting(&format!("t{n}"), "DKC", n))
        .collect();
    push_printed(&server, &tickets).await;
    let mut display = Display::connect(&server, "", None).await;
    assert_eq!(
        display.next(Duration::from_millis(700)).await,
        None,
        "no call yet"
    );

    assert_eq!(
        next(&server, COUNTER_TOKEN, "Loket 1").await,
        StatusCode::OK
    );
    counter_steps(
        &server,
        (COUNTER_TOKEN, "Loket 1"),
        &counter_path(KIOSK, "t1"),
        &["called"],
    )
    .await;
    assert_eq!(
        next(&server, COUNTER_TOKEN, "Loket 1").await,
        StatusCode::OK,
        "the same press"
    );
    counter_steps(
        &server,
        (COUNTER_TOKEN, "Loket 2"),
        &counter_path(KIOSK, "t2"),
        &["called"],
    )
    .await;
    let events = display.take(3).await;
    assert_eq!(
        summary(&events),
        [
            row(1, "call", "DKC-001", "Loket 1", "call"),
            row(2, "call", "DKC-001", "Loket 1", "recall"),
            row(3, "call", "DKC-002", "Loket 2", "call"),
        ],
        "a double press is no call, a report's call and a recall are"
    );
    assert_eq!(events[0].data["audio"], "/api/v1/calls/1/audio?mpp=default");
    assert_eq!(
        display.next(Duration::from_millis(700)).await,
        None,
        "nothing more"
    );

    server.restart();
    assert_eq!(
        next(&server, COUNTER_TOKEN, "Loket 3").await,
        StatusCode::OK
    );
    let mut resumed = Display::connect(&server, "", Some(3)).await;
    assert_eq!(
        summary(&resumed.take(1).await),
        [row(4, "call", "DKC-003", "Loket 3", "call")]
    );
    assert_eq!(
        resumed.next(Duration::from_millis(700)).await,
        None,
        "none repeated"
    );
    let mut by_query = Display::connect(&server, "?after=2", None).await;
    assert_eq!(
        by_query
            .take(2)
            .await
            .iter()
            .map(|s| s.id)
            .collect::<Vec<_>>(),
        [3, 4]
    );

    let mut fresh = Display::connect(&server, "", None).await;
    let history = fresh.take(4).await;
    assert!(
        history.iter().all(|sent| sent.kind == "history"),
        "{history:?}"
    );
    assert_eq!(
        history.iter().map(|s| s.id).collect::<Vec<_>>(),
        [1, 2, 3, 4]
    );
    assert_eq!(
        next(&server, COUNTER_TOKEN, "Loket 4").await,
        StatusCode::OK
    );
    assert_eq!(
        summary(&fresh.take(1).await),
        [row(5, "call", "DKC-004", "Loket 4", "call")]
    );
}

#[tokio::test]
async fn a_zones_display_hears_only_its_zone() {
    let mut server = Server::builder().now(morning()).start();
    let config = std::fs::read_to_string(server.path(CONFIG_FILE)).expect("config");
    let zoned = config.replacen(
        "name = \"Loket SKC\"\n",
        "name = \"Loket SKC\"\nzone = \"Lantai 2\"\n",
        1,
    );
    assert_ne!(zoned, config);
    std::fs::write(server.path(CONFIG_FILE), zoned).expect("config");
    server.restart();
    let tickets = [
        waiting("d1", "DKC", 1),
        waiting("s1", "SKC", 2),
        waiting("d2", "DKC", 3),
    ];
    push_printed(&server, &tickets).await;
    let mut upstairs = Display::connect(&server, "?zone=Lantai%202", None).await;
    let mut everywhere = Display::connect(&server, "", None).await;
    assert_eq!(
        next(&server, COUNTER_TOKEN, "Loket 1").await,
        StatusCode::OK
    );
    assert_eq!(
        next(&server, OTHER_COUNTER_TOKEN, "Loket 9").await,
        StatusCode::OK
    );
    assert_eq!(
        next(&server, COUNTER_TOKEN, "Loket 2").await,
        StatusCode::OK
    );
    assert_eq!(
        summary(&upstairs.take(1).await),
        [row(2, "call", "SKC-002", "Loket 9", "call")]
    );
    assert_eq!(upstairs.next(Duration::from_millis(700)).await, None);
    let all = everywhere.take(3).await;
    assert_eq!(all.iter().map(|s| s.id).collect::<Vec<_>>(), [1, 2, 3]);
    assert_eq!(all[1].data["zone"], "Lantai 2");
}

#[tokio::test]
async fn each_call_is_spoken_and_the_chime_is_served() {
    let server = Server::builder().now(morning()).start();
    let chime = get(&server, "/assets/chime.wav").await;
    assert_eq!(chime.status(), StatusCode::OK);
    assert_eq!(chime.headers()["content-type"], "audio/wav");
    let bytes = chime.bytes().await.expect("chime");
    assert_eq!(&bytes[..4], b"RIFF");
    let unknown = get(&server, "/api/v1/calls/1/audio").await;
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
    let installed = std::process::Command::new("espeak-ng")
        .arg("--version")
        .output()
        .is_ok_and(|output| output.status.success());
    if !installed {
        skipped(
            "each_call_is_spoken",
            "espeak-ng is not installed (apt-get install espeak-ng)",
        );
        return;
    }
    push_printed(&server, &[waiting("t1", "DKC", 14)]).await;
    assert_eq!(
        next(&server, COUNTER_TOKEN, "Loket 3").await,
        StatusCode::OK
    );
    let spoken = get(&server, "/api/v1/calls/1/audio?mpp=default").await;
    assert_eq!(spoken.status(), StatusCode::OK);
    let wav = spoken.bytes().await.expect("wav");
    assert_eq!(&wav[..4], b"RIFF");
    // "Nomor antrean de ka ce, empat belas, silakan ke loket tiga" at 145 words a minute:
    // about four seconds of 16-bit 22,050 Hz mono.
    let seconds = (wav.len() - 44) as f64 / (2.0 * 22_050.0);
    assert!((2.5..8.0).contains(&seconds), "{seconds} s");
    let again = get(&server, "/api/v1/calls/1/audio?mpp=default").await;
    assert_eq!(
        again.bytes().await.expect("wav"),
        wav,
        "rendered once, the same"
    );
}

#[tokio::test]
async fn a_call_made_on_one_server_process_reaches_the_displays_of_another() {
    let server = Server::builder().now(morning()).start();
    push_printed(&server, &[waiting("t1", "DKC", 1)]).await;
    let sibling = server.sibling();
    let mut display = Display::connect(&sibling, "", None).await;
    assert_eq!(
        next(&server, COUNTER_TOKEN, "Loket 1").await,
        StatusCode::OK
    );
    let events = display.take(1).await;
    assert_eq!(
        summary(&events),
        [row(1, "call", "DKC-001", "Loket 1", "call")]
    );
}
