//! The lobby displays' stream of calls against a real `mpp-central` (both backends): every way
//! of calling (`next`, a counter's report, a recall) reaches `/api/v1/calls` once, in order,
//! numbered per MPP; a display resumes after a server restart from the last number it saw,
//! nothing missed and nothing repeated; a fresh display is shown the latest calls without
//! announcing them; a zone's display hears only its zone; each call is spoken as MP3 audio
//! (WAV on request), in English too where the MPP turns it on, with its recorded clips.

use std::time::Duration;

use mpp_core::numbering::Lane;
use mpp_core::ticket::Ticket;
use mpp_testkit::central::*;
use mpp_testkit::skip::skipped;
use mpp_voice::mp3::Mp3Info;
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

fn espeak_installed(test: &str) -> bool {
    let installed = std::process::Command::new("espeak-ng")
        .arg("--version")
        .output()
        .is_ok_and(|output| output.status.success());
    if !installed {
        skipped(
            test,
            "espeak-ng is not installed (apt-get install espeak-ng)",
        );
    }
    installed
}

/// The audio at `path` with its type and cache header.
async fn audio(server: &Server, path: &str, kind: &str) -> Vec<u8> {
    let answer = get(server, path).await;
    assert_eq!(answer.status(), StatusCode::OK, "{path}");
    assert_eq!(answer.headers()["content-type"], kind, "{path}");
    assert!(answer.headers().contains_key("cache-control"), "{path}");
    answer.bytes().await.expect("audio").to_vec()
}

/// How long 16-bit mono 22,050 Hz WAV bytes play.
fn wav_ms(wav: &[u8]) -> u64 {
    assert_eq!(&wav[..4], b"RIFF");
    (wav.len() as u64 - 44) * 1000 / (2 * 22_050)
}

/// The MP3's frames, checked against the WAV of the same call.
fn mp3_like_wav(mp3: &[u8], wav: &[u8]) -> Mp3Info {
    let info = Mp3Info::read(mp3).unwrap_or_else(|| panic!("not MP3: {:?}", &mp3[..16]));
    assert_eq!((info.sample_rate, info.channels), (22_050, 1));
    let extra = info.duration_ms as i64 - wav_ms(wav) as i64;
    assert!(
        (0..=150).contains(&extra),
        "{} ms against {} ms",
        info.duration_ms,
        wav_ms(wav)
    );
    assert!(
        mp3.len() * 6 < wav.len(),
        "{} of {} bytes",
        mp3.len(),
        wav.len()
    );
    info
}

#[tokio::test]
async fn each_call_is_spoken_as_mp3_and_the_chime_is_served() {
    let server = Server::builder().now(morning()).start();
    let chime = audio(&server, "/assets/chime.mp3", "audio/mpeg").await;
    let chime_wav = audio(&server, "/assets/chime.wav", "audio/wav").await;
    mp3_like_wav(&chime, &chime_wav);
    let unknown = get(&server, "/api/v1/calls/1/audio").await;
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
    if !espeak_installed("each_call_is_spoken") {
        return;
    }
    push_printed(&server, &[waiting("t1", "DKC", 14)]).await;
    assert_eq!(
        next(&server, COUNTER_TOKEN, "Loket 3").await,
        StatusCode::OK
    );
    let mp3 = audio(&server, "/api/v1/calls/1/audio?mpp=default", "audio/mpeg").await;
    let wav = audio(
        &server,
        "/api/v1/calls/1/audio?mpp=default&format=wav",
        "audio/wav",
    )
    .await;
    // "Nomor antrean de ka ce, empat belas, silakan ke loket tiga" at 145 words a minute.
    let info = mp3_like_wav(&mp3, &wav);
    assert!((2_500..8_000).contains(&info.duration_ms), "{info:?}");
    let again = audio(&server, "/api/v1/calls/1/audio?mpp=default", "audio/mpeg").await;
    assert_eq!(again, mp3, "rendered once, the same");
}

#[tokio::test]
async fn english_and_a_recorded_clip_where_the_mpp_turns_them_on() {
    if !espeak_installed("english_and_a_recorded_clip") {
        return;
    }
    let clips = tempfile::tempdir().expect("tempdir");
    // "Loket 9" recorded by the MPP: a second of a 440 Hz tone, 16-bit mono at 16,000 Hz.
    let tone: Vec<i16> = (0..16_000)
        .map(|n| (6_000.0 * (std::f32::consts::TAU * 440.0 * n as f32 / 16_000.0).sin()) as i16)
        .collect();
    let mut clip = mpp_voice::Wav::from_samples(16_000, &tone).into_bytes();
    std::fs::write(clips.path().join("Loket 9.wav"), &clip).expect("clip");
    let config = format!(
        "[calling]\nlanguages = [\"id\", \"en\"]\nclips_dir = \"{}\"\n",
        clips.path().display()
    );
    let server = Server::builder().now(morning()).extra(&config).start();
    push_printed(
        &server,
        &[waiting("t1", "DKC", 14), waiting("t2", "SKC", 15)],
    )
    .await;
    let mut display = Display::connect(&server, "", None).await;
    assert_eq!(
        next(&server, COUNTER_TOKEN, "Loket 3").await,
        StatusCode::OK
    );
    assert_eq!(
        next(&server, OTHER_COUNTER_TOKEN, "Loket 9").await,
        StatusCode::OK
    );
    let events = display.take(2).await;
    assert_eq!(
        events[0].data["phrase"],
        "Nomor antrean D K C empat belas, silakan ke Loket tiga. \
         Number D K C fourteen, please go to Loket three"
    );
    let both = audio(
        &server,
        "/api/v1/calls/1/audio?mpp=default&format=wav",
        "audio/wav",
    )
    .await;
    let mp3 = audio(&server, "/api/v1/calls/1/audio?mpp=default", "audio/mpeg").await;
    let info = mp3_like_wav(&mp3, &both);
    assert!(
        (5_000..14_000).contains(&info.duration_ms),
        "both languages: {info:?}"
    );
    // Loket 9 is the clip, once in each language.
    let clipped = audio(
        &server,
        "/api/v1/calls/2/audio?mpp=default&format=wav",
        "audio/wav",
    )
    .await;
    let samples: Vec<i16> = clipped[44..]
        .chunks_exact(2)
        .map(|pair| i16::from_le_bytes([pair[0], pair[1]]))
        .collect();
    let loaded = mpp_voice::Clips::load(clips.path()).expect("the clip");
    let recorded = loaded.get("loket 9").expect("loket 9");
    let found = samples
        .windows(recorded.len())
        .filter(|window| *window == recorded)
        .count();
    assert_eq!(found, 2, "the clip, once in each language");
    drop(server);

    // A clip that is not PCM stops the start, naming the file and the key.
    clip[20] = 0x55;
    std::fs::write(clips.path().join("Loket 9.wav"), &clip).expect("clip");
    let folder = tempfile::tempdir().expect("tempdir");
    Server::builder().extra(&config).write_to(folder.path());
    let path = folder.path().join(CONFIG_FILE);
    let output = run(&["--config", path.to_str().expect("utf-8")], folder.path());
    assert_eq!(output.status.code(), Some(1));
    let log = String::from_utf8_lossy(&output.stderr);
    assert!(
        log.contains("calling.clips_dir") && log.contains("Loket 9.wav") && log.contains("PCM"),
        "{log}"
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
