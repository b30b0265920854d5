//! The browser driven against pages of a tiny HTTP server of the tests' own (std only): a
//! button and keys, server-sent events resumed after a dropped connection, a sound, cookies, a
//! screenshot.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use serde_json::json;

use super::page::keystroke;
use super::*;

const KEYS_PAGE: &str = r#"<!doctype html><meta name="viewport" content="width=device-width, initial-scale=1">
<title>keys</title>
<button id="next" style="width: 200px; height: 80px">Next</button>
<input id="number">
<script>
window.log = [];
document.getElementById("next").addEventListener("click", (event) => log.push("click " + event.isTrusted));
document.addEventListener("keydown", (event) => {
  if (event.target.id !== "number") log.push(event.key + " " + event.code + " " + event.keyCode);
});
console.log("ready", 1);
</script>"#;

const LIVE_PAGE: &str = r#"<!doctype html><title>live</title>
<script>
window.seen = [];
window.opened = 0;
const source = new EventSource("/events");
source.onopen = () => opened++;
source.onmessage = (event) => seen.push(event.lastEventId + " " + event.data);
source.addEventListener("end", () => { source.close(); window.done = true; });
</script>"#;

const SOUND_PAGE: &str = r#"<!doctype html><title>sound</title>
<audio id="tone" src="/tone.wav" preload="auto"></audio>
<script>
window.heard = [];
const tone = document.getElementById("tone");
for (const kind of ["play", "playing", "ended", "error"]) tone.addEventListener(kind, () => heard.push(kind));
tone.play().then(() => heard.push("started"), (error) => heard.push("refused " + error.name));
</script>"#;

const TALL_PAGE: &str = r#"<!doctype html><meta name="viewport" content="width=device-width, initial-scale=1">
<title>tall</title>
<body style="margin: 0"><div style="height: 1500px; background: linear-gradient(#036, #fc0)"></div></body>"#;

/// The events the SSE endpoint sends: three, the connection drops, then the rest.
const EVENTS: [&str; 6] = ["one", "two", "three", "four", "five", "six"];

#[test]
fn clicks_keys_and_typing_reach_the_page() {
    let Some(browser) = Browser::launch() else {
        return;
    };
    let server = Server::start();
    let page = browser.open(&server.url("/keys"), 1366, 768);

    page.click("#next");
    page.press_key("n");
    page.press_key("N");
    page.press_key("F2");
    page.press_key("Enter");
    page.press_key("7");
    assert_eq!(
        page.eval("log"),
        json!([
            "click true",
            "n KeyN 78",
            "N KeyN 78",
            "F2 F2 113",
            "Enter Enter 13",
            // Enter on the button the click focused presses it, as in any browser.
            "click true",
            "7 Digit7 55"
        ])
    );
    page.type_text("#number", "DKC-0145");
    page.press_key("Backspace");
    assert_eq!(
        page.eval("document.getElementById('number').value"),
        "DKC-014"
    );
    assert_eq!(page.eval("Promise.resolve(6 * 7)"), 42);

    let console = page.console_messages();
    assert_eq!(console.len(), 1, "{console:?}");
    assert_eq!(
        (console[0].level.as_str(), console[0].text.as_str()),
        ("log", "ready 1")
    );
    page.eval("setTimeout(() => { throw new Error('late boom'); }); console.error('bad', {n: 2})");
    page.wait_for(
        "new Promise((done) => setTimeout(() => done(true), 20))",
        Duration::from_secs(5),
    );
    let errors: Vec<String> = page
        .console_messages()
        .into_iter()
        .filter(ConsoleMessage::is_error)
        .map(|message| message.text)
        .collect();
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert!(errors[0].starts_with("bad "), "{errors:?}");
    assert!(errors[1].contains("Error: late boom"), "{errors:?}");

    // Reloading runs the page again from scratch.
    page.reload();
    assert_eq!(page.eval("log"), json!([]));
}

#[test]
fn failures_say_what_went_wrong() {
    let Some(browser) = Browser::launch() else {
        return;
    };
    let server = Server::start();
    let page = browser.open(&server.url("/keys"), 800, 600);
    let message = |run: &dyn Fn()| {
        let panic = catch_unwind(AssertUnwindSafe(run)).expect_err("a panic");
        panic.downcast_ref::<String>().cloned().unwrap_or_default()
    };
    let thrown = message(&|| {
        page.eval("null.nothing");
    });
    assert!(thrown.contains("TypeError"), "{thrown}");
    assert!(thrown.contains("null.nothing"), "{thrown}");
    let late = message(&|| {
        page.wait_for("window.never", Duration::from_millis(200));
    });
    assert!(
        late.contains("window.never") && late.contains("last: null"),
        "{late}"
    );
    let missing = message(&|| page.click("#absent"));
    assert!(missing.contains("no element matches"), "{missing}");
    let covered = message(&|| {
        page.eval("document.body.insertAdjacentHTML('beforeend', '<div id=cover style=\"position:fixed;inset:0\"></div>')");
        page.click("#next");
    });
    assert!(
        covered.contains("covered by <div id=\"cover\""),
        "{covered}"
    );
    // The page still answers after those panics.
    assert_eq!(page.eval("1 + 1"), 2);
}

#[test]
fn live_updates_resume_after_a_dropped_connection() {
    let Some(browser) = Browser::launch() else {
        return;
    };
    let server = Server::start();
    let display = browser.open(&server.url("/live"), 1920, 1080);
    // The counter's console open beside it, in front: the display stays live.
    let console = browser.open(&server.url("/keys"), 390, 844);
    console.click("#next");

    display.wait_for("window.done", Duration::from_secs(10));
    let expected: Vec<String> = EVENTS
        .iter()
        .enumerate()
        .map(|(index, data)| format!("{} {data}", index + 1))
        .collect();
    assert_eq!(display.eval("seen"), json!(expected));
    assert_eq!(display.eval("opened"), 2);
    let requests = server.requests("/events");
    assert_eq!(requests.len(), 2, "{requests:?}");
    assert_eq!(requests[0].header("last-event-id"), None);
    assert_eq!(requests[1].header("last-event-id"), Some("3"));
    for page in [&display, &console] {
        assert_eq!(page.eval("document.visibilityState"), "visible");
    }
    assert_eq!(console.eval("log"), json!(["click true"]));
    assert_eq!(console.eval("[innerWidth, innerHeight]"), json!([390, 844]));
    assert_eq!(
        display.eval("[innerWidth, innerHeight]"),
        json!([1920, 1080])
    );
    let messages = display.console_messages();
    assert!(messages.is_empty(), "{messages:?}");
}

#[test]
fn a_sound_plays_to_its_end_without_a_gesture() {
    let Some(browser) = Browser::launch() else {
        return;
    };
    let server = Server::start();
    let page = browser.open(&server.url("/sound"), 1920, 1080);
    page.wait_for("heard.includes('ended')", Duration::from_secs(10));
    assert_eq!(
        page.eval("heard"),
        json!(["play", "playing", "started", "ended"])
    );
    let seconds = page.eval("document.getElementById('tone').duration");
    let seconds = seconds.as_f64().expect("a duration");
    assert!((0.19..0.21).contains(&seconds), "{seconds} s");
    // Later, from a script (as the display calls a number on an event): no gesture either.
    let again = page.eval(
        "new Promise((done) => {
            const again = new Audio('/tone.wav');
            again.onended = () => done('ended');
            again.play().catch((error) => done('refused ' + error.name));
        })",
    );
    assert_eq!(again, "ended");
}

#[test]
fn secure_cookies_work_over_plain_http_on_loopback() {
    let Some(browser) = Browser::launch() else {
        return;
    };
    let server = Server::start();
    let page = browser.open(&server.url("/cookie"), 1366, 768);
    page.set_cookie("__Host-mpp_session", "abc", &server.url("/"));
    let sent = page.eval("fetch('/echo').then((answer) => answer.text())");
    let sent = sent.as_str().unwrap_or_default();
    assert!(sent.contains("__Host-server=s1"), "{sent}");
    assert!(sent.contains("__Host-mpp_session=abc"), "{sent}");
    // HttpOnly: the server's is not for scripts.
    assert_eq!(page.eval("document.cookie"), "__Host-mpp_session=abc");
}

#[test]
fn a_screenshot_is_a_png_of_the_whole_page() {
    let Some(browser) = Browser::launch() else {
        return;
    };
    let server = Server::start();
    let page = browser.open(&server.url("/tall"), 390, 600);
    let folder = tempfile::tempdir().expect("temp dir");
    let path = folder.path().join("tall.png");
    page.screenshot(&path);
    let png = std::fs::read(&path).expect("the screenshot");
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    assert_eq!(&png[12..16], b"IHDR");
    let number = |at: usize| u32::from_be_bytes(png[at..at + 4].try_into().expect("4 bytes"));
    assert_eq!((number(16), number(20)), (390, 1500));
}

/// A server in the test's own runtime, the browser on a blocking thread beside it.
#[tokio::test]
async fn usable_from_a_tokio_test() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let url = format!("http://{}/", listener.local_addr().expect("address"));
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let mut request = [0; 4096];
            let _ = stream.read(&mut request).await;
            let body = "<!doctype html><title>tokio</title><p id=said>served by tokio</p>";
            let answer = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = stream.write_all(answer.as_bytes()).await;
        }
    });
    let said = tokio::task::spawn_blocking(move || {
        let browser = Browser::launch()?;
        let page = browser.open(&url, 800, 600);
        Some(page.eval("document.getElementById('said').textContent"))
    })
    .await
    .expect("the browser's thread");
    if let Some(said) = said {
        assert_eq!(said, "served by tokio");
    }
}

#[test]
fn a_browser_and_its_pages_can_go_to_another_thread() {
    fn sendable<T: Send + Sync>() {}
    sendable::<Browser>();
    sendable::<Page>();
}

#[test]
fn keys_are_named_as_a_us_keyboard_names_them() {
    let key = |name: &str| {
        let press = keystroke(name).expect("a known key");
        (
            press.key,
            press.code,
            press.key_code,
            press.text,
            press.shift,
        )
    };
    let owned = |text: &str| text.to_owned();
    assert_eq!(
        key("n"),
        (owned("n"), owned("KeyN"), 78, Some(owned("n")), false)
    );
    assert_eq!(
        key("Q"),
        (owned("Q"), owned("KeyQ"), 81, Some(owned("Q")), true)
    );
    assert_eq!(
        key("0"),
        (owned("0"), owned("Digit0"), 48, Some(owned("0")), false)
    );
    assert_eq!(key("F12"), (owned("F12"), owned("F12"), 123, None, false));
    assert_eq!(key("Escape").2, 27);
    assert!(keystroke("F13").is_none());
    assert!(keystroke("é").is_none());
    assert!(keystroke("Ctrl+S").is_none());
}

/// A request as the test server read it.
#[derive(Clone, Debug)]
struct Request {
    path: String,
    /// Names in lower case.
    headers: Vec<(String, String)>,
}

impl Request {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }
}

/// The pages above on 127.0.0.1, a thread per connection, every request kept.
struct Server {
    address: SocketAddr,
    requests: Arc<Mutex<Vec<Request>>>,
    stop: Arc<AtomicBool>,
    accepter: Option<JoinHandle<()>>,
}

impl Server {
    fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let address = listener.local_addr().expect("address");
        let requests = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let accepter = {
            let (requests, stop) = (Arc::clone(&requests), Arc::clone(&stop));
            std::thread::spawn(move || {
                for stream in listener.incoming() {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let Ok(stream) = stream else { continue };
                    let (requests, stop) = (Arc::clone(&requests), Arc::clone(&stop));
                    std::thread::spawn(move || serve(stream, &requests, &stop));
                }
            })
        };
        Self {
            address,
            requests,
            stop,
            accepter: Some(accepter),
        }
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.address)
    }

    fn requests(&self, path: &str) -> Vec<Request> {
        let requests = self.requests.lock().expect("requests");
        requests
            .iter()
            .filter(|request| request.path == path)
            .cloned()
            .collect()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wakes the accepting thread.
        let _ = TcpStream::connect(self.address);
        if let Some(accepter) = self.accepter.take() {
            let _ = accepter.join();
        }
    }
}

/// Answers the one request on `stream` (every answer closes the connection).
fn serve(stream: TcpStream, requests: &Mutex<Vec<Request>>, stop: &AtomicBool) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    if reader.read_line(&mut line).is_err() {
        return;
    }
    let path = line
        .split_whitespace()
        .nth(1)
        .unwrap_or_default()
        .to_owned();
    let mut headers = Vec::new();
    loop {
        line.clear();
        if reader.read_line(&mut line).unwrap_or(0) == 0 || line.trim().is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            headers.push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
        }
    }
    let request = Request { path, headers };
    requests.lock().expect("requests").push(request.clone());
    let mut stream = reader.into_inner();
    let html = "text/html; charset=utf-8";
    let _ = match request.path.as_str() {
        "/keys" => respond(&mut stream, html, "", KEYS_PAGE.as_bytes()),
        "/live" => respond(&mut stream, html, "", LIVE_PAGE.as_bytes()),
        "/events" => stream_events(&mut stream, &request, stop),
        "/sound" => respond(&mut stream, html, "", SOUND_PAGE.as_bytes()),
        "/tone.wav" => respond(&mut stream, "audio/wav", "", &tone_wav()),
        "/tall" => respond(&mut stream, html, "", TALL_PAGE.as_bytes()),
        "/cookie" => respond(
            &mut stream,
            html,
            "Set-Cookie: __Host-server=s1; Path=/; Secure; HttpOnly; SameSite=Strict\r\n",
            b"<!doctype html><title>cookie</title>",
        ),
        // Chromium asks for it after each load; a 404 would be an error in the console.
        "/favicon.ico" => stream.write_all(b"HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n"),
        "/echo" => {
            let cookies = request.header("cookie").unwrap_or_default();
            respond(&mut stream, "text/plain", "", cookies.as_bytes())
        }
        _ => stream
            .write_all(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"),
    };
}

fn respond(stream: &mut TcpStream, kind: &str, headers: &str, body: &[u8]) -> std::io::Result<()> {
    let head = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nCache-Control: no-store\r\n{headers}Connection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes())?;
    stream.write_all(body)?;
    stream.flush()
}

/// `/events`: the first three events (with a retry of 50 ms) and the connection closed; on
/// the reconnection, the events after `Last-Event-ID` and an `end`, then held open until the
/// page closes it.
fn stream_events(
    stream: &mut TcpStream,
    request: &Request,
    stop: &AtomicBool,
) -> std::io::Result<()> {
    stream.write_all(
        b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: close\r\n\r\nretry: 50\n\n",
    )?;
    let after: usize = request
        .header("last-event-id")
        .and_then(|id| id.parse().ok())
        .unwrap_or(0);
    let until = if after == 0 { 3 } else { EVENTS.len() };
    for (index, data) in EVENTS.iter().enumerate().take(until).skip(after) {
        write!(stream, "id: {}\ndata: {data}\n\n", index + 1)?;
    }
    if until == EVENTS.len() {
        stream.write_all(b"event: end\ndata:\n\n")?;
        stream.flush()?;
        // Until the page closes the stream (or the test ends).
        let _ = stream.set_read_timeout(Some(Duration::from_millis(100)));
        let mut byte = [0; 1];
        while !stop.load(Ordering::SeqCst) {
            match stream.read(&mut byte) {
                Ok(0) => break,
                Ok(_) => {}
                Err(error) if error.kind() == std::io::ErrorKind::WouldBlock => {}
                Err(_) => break,
            }
        }
    }
    stream.flush()
}

/// A 0.2 s sine at 440 Hz: 8 kHz, 16-bit mono PCM WAV.
fn tone_wav() -> Vec<u8> {
    const RATE: u32 = 8000;
    let samples: Vec<i16> = (0..RATE / 5)
        .map(|at| {
            let phase = f64::from(at) * 440.0 * std::f64::consts::TAU / f64::from(RATE);
            (phase.sin() * 8000.0) as i16
        })
        .collect();
    let data_size = u32::try_from(samples.len() * 2).expect("small");
    let mut wav = Vec::new();
    wav.extend_from_slice(b"RIFF");
    wav.extend_from_slice(&(36 + data_size).to_le_bytes());
    wav.extend_from_slice(b"WAVEfmt ");
    wav.extend_from_slice(&16u32.to_le_bytes());
    wav.extend_from_slice(&1u16.to_le_bytes()); // PCM
    wav.extend_from_slice(&1u16.to_le_bytes()); // mono
    wav.extend_from_slice(&RATE.to_le_bytes());
    wav.extend_from_slice(&(RATE * 2).to_le_bytes());
    wav.extend_from_slice(&2u16.to_le_bytes());
    wav.extend_from_slice(&16u16.to_le_bytes());
    wav.extend_from_slice(b"data");
    wav.extend_from_slice(&data_size.to_le_bytes());
    for sample in samples {
        wav.extend_from_slice(&sample.to_le_bytes());
    }
    wav
}
