//! Reading the display's page through Chromium's DevTools protocol, from outside cage: the
//! port the browser wrote into its profile (`DevToolsActivePort`), the page found in
//! `/json/list`, one `Runtime.evaluate` at a time over its WebSocket. Evaluations carry no user
//! gesture (`userGesture` is false by default), so they cannot unlock sound themselves.

use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tungstenite::{Message, WebSocket};

const TIMEOUT: Duration = Duration::from_secs(10);

/// A connection to one page.
pub struct PageConnection {
    socket: WebSocket<TcpStream>,
    next_id: u64,
}

impl PageConnection {
    /// Waits up to `within` for the browser whose profile is `profile` to show a page whose
    /// address holds `url_part`, and connects to it.
    pub fn open(profile: &Path, url_part: &str, within: Duration) -> Result<Self, String> {
        let deadline = Instant::now() + within;
        let mut last = String::from("no DevToolsActivePort yet");
        while Instant::now() < deadline {
            match page_socket_url(profile, url_part) {
                Ok(url) => return connect(&url),
                Err(why) => last = why,
            }
            std::thread::sleep(Duration::from_millis(250));
        }
        Err(last)
    }

    /// The value of `expression` (a promise is awaited).
    pub fn eval(&mut self, expression: &str) -> Result<Value, String> {
        self.next_id += 1;
        let id = self.next_id;
        let params = json!({"expression": expression, "returnByValue": true, "awaitPromise": true});
        let message = json!({"id": id, "method": "Runtime.evaluate", "params": params});
        self.socket
            .send(Message::text(message.to_string()))
            .map_err(|error| format!("cannot send: {error}"))?;
        let deadline = Instant::now() + TIMEOUT;
        while Instant::now() < deadline {
            let text = match self.socket.read() {
                Ok(Message::Text(text)) => text,
                Ok(_) => continue,
                Err(tungstenite::Error::Io(error))
                    if matches!(error.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) =>
                {
                    continue;
                }
                Err(error) => return Err(format!("the page's connection is gone: {error}")),
            };
            let answer: Value = serde_json::from_str(text.as_str()).unwrap_or_default();
            if answer["id"] != id {
                continue;
            }
            if let Some(thrown) = answer["result"].get("exceptionDetails") {
                return Err(format!("{expression} threw: {thrown}"));
            }
            return Ok(answer["result"]["result"]["value"].clone());
        }
        Err(format!("no answer to {expression} within {TIMEOUT:?}"))
    }

    /// Evaluates `condition` until it is true or `within` has passed; its last value.
    pub fn wait_for(&mut self, condition: &str, within: Duration) -> Result<Value, String> {
        let deadline = Instant::now() + within;
        loop {
            let value = self.eval(condition)?;
            if value == json!(true) || Instant::now() >= deadline {
                return Ok(value);
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

/// The WebSocket address of the page showing `url_part`.
fn page_socket_url(profile: &Path, url_part: &str) -> Result<String, String> {
    let written = std::fs::read_to_string(profile.join("DevToolsActivePort"))
        .map_err(|error| format!("no DevToolsActivePort: {error}"))?;
    let port: u16 = (written.lines().next().unwrap_or_default().trim().parse())
        .map_err(|_| format!("no port in DevToolsActivePort: {written:?}"))?;
    let list = http_get(port, "/json/list")?;
    let pages: Value = serde_json::from_str(&list).map_err(|error| format!("{error}: {list}"))?;
    pages
        .as_array()
        .into_iter()
        .flatten()
        .find(|page| {
            page["type"] == "page" && page["url"].as_str().is_some_and(|u| u.contains(url_part))
        })
        .and_then(|page| page["webSocketDebuggerUrl"].as_str())
        .map(str::to_owned)
        .ok_or_else(|| format!("no page at {url_part} yet: {list}"))
}

/// The body of `GET path` on the DevTools port, read to its `Content-Length` (Chromium keeps
/// the connection open, and refuses HTTP/1.0).
fn http_get(port: u16, path: &str) -> Result<String, String> {
    let mut stream = TcpStream::connect(("127.0.0.1", port))
        .map_err(|error| format!("cannot connect to DevTools on {port}: {error}"))?;
    stream
        .set_read_timeout(Some(TIMEOUT))
        .map_err(|e| e.to_string())?;
    let request = format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n");
    stream
        .write_all(request.as_bytes())
        .map_err(|e| e.to_string())?;
    let mut answer = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        let text = String::from_utf8_lossy(&answer);
        if let Some((head, body)) = text.split_once("\r\n\r\n") {
            let length = head
                .lines()
                .find_map(|line| {
                    line.to_ascii_lowercase()
                        .strip_prefix("content-length:")
                        .map(|n| n.trim().parse::<usize>())
                })
                .and_then(Result::ok)
                .ok_or_else(|| format!("no Content-Length: {head}"))?;
            if body.len() >= length {
                return Ok(body.to_owned());
            }
        }
        let read = stream
            .read(&mut chunk)
            .map_err(|e| format!("reading {path}: {e}"))?;
        if read == 0 {
            return Err(format!("{path}: the answer ended early: {text}"));
        }
        answer.extend_from_slice(&chunk[..read]);
    }
}

fn connect(url: &str) -> Result<PageConnection, String> {
    let host = url
        .strip_prefix("ws://")
        .and_then(|rest| rest.split('/').next())
        .ok_or_else(|| format!("not a ws:// address: {url}"))?;
    let stream =
        TcpStream::connect(host).map_err(|error| format!("cannot connect to {url}: {error}"))?;
    stream
        .set_read_timeout(Some(TIMEOUT))
        .map_err(|error| error.to_string())?;
    let (socket, _) = tungstenite::client::client(url, stream)
        .map_err(|error| format!("WebSocket handshake with {url} failed: {error}"))?;
    // Short reads from here on, so that `eval` keeps an eye on its own deadline.
    (socket
        .get_ref()
        .set_read_timeout(Some(Duration::from_millis(500))))
    .map_err(|error| error.to_string())?;
    Ok(PageConnection { socket, next_id: 0 })
}
