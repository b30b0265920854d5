//! The DevTools connection: one WebSocket to the browser, every page's session multiplexed on
//! it (flatten mode, each message tagged with its `sessionId`). Nothing reads the socket
//! behind the caller's back: a command is sent, then messages are read until its answer comes,
//! and every event read on the way is kept, per session and method, for whoever waits for it.
//! Console messages and uncaught exceptions are collected apart, so they are never consumed.

use std::collections::{HashMap, HashSet, VecDeque};
use std::io::ErrorKind;
use std::net::TcpStream;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tungstenite::protocol::WebSocketConfig;
use tungstenite::{Message, WebSocket};

/// Events kept per session and method before the oldest are dropped: the waits here consume
/// what they need long before, so only never-awaited kinds reach it.
const QUEUE_LIMIT: usize = 1000;
/// Screenshots come back as one message of base64.
const MESSAGE_LIMIT: usize = 256 << 20;

/// A message a page wrote to its console, an uncaught exception, or the browser's own log
/// entry for the page (a failed resource load, a blocked request).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConsoleMessage {
    /// The console call's kind (`log`, `info`, `warning`, `error`, `debug`, …), `exception`
    /// for an uncaught exception (or an unhandled rejection), or the browser log's level
    /// (`verbose`, `info`, `warning`, `error`).
    pub level: String,
    /// `console`, `exception`, or the browser log's source (`network`, `security`,
    /// `javascript`, `violation`, …).
    pub source: String,
    pub text: String,
}

impl ConsoleMessage {
    /// An error: `console.error`, an uncaught exception, a failed load.
    pub fn is_error(&self) -> bool {
        matches!(self.level.as_str(), "error" | "exception" | "assert")
    }

    fn from_event(method: &str, params: &Value) -> Option<Self> {
        match method {
            "Runtime.consoleAPICalled" => {
                let args = params["args"].as_array().map(Vec::as_slice).unwrap_or(&[]);
                let text: Vec<String> = args.iter().map(remote_text).collect();
                Some(Self {
                    level: text_of(&params["type"]),
                    source: "console".to_owned(),
                    text: text.join(" "),
                })
            }
            "Runtime.exceptionThrown" => Some(Self {
                level: "exception".to_owned(),
                source: "exception".to_owned(),
                text: exception_text(&params["exceptionDetails"]),
            }),
            "Log.entryAdded" => {
                let entry = &params["entry"];
                let mut text = text_of(&entry["text"]);
                if let Some(url) = entry["url"].as_str() {
                    text = format!("{text} ({url})");
                }
                Some(Self {
                    level: text_of(&entry["level"]),
                    source: text_of(&entry["source"]),
                    text,
                })
            }
            _ => None,
        }
    }
}

/// The text of a `Runtime.ExceptionDetails`: the exception's description (message and stack),
/// else the details' own text (`Uncaught`).
pub(super) fn exception_text(details: &Value) -> String {
    details["exception"]["description"]
        .as_str()
        .or_else(|| details["exception"]["value"].as_str())
        .map_or_else(|| text_of(&details["text"]), str::to_owned)
}

/// A console argument as the console shows it: strings bare, others by value or description.
fn remote_text(object: &Value) -> String {
    if let Some(value) = object.get("value") {
        return value
            .as_str()
            .map_or_else(|| value.to_string(), str::to_owned);
    }
    for key in ["unserializableValue", "description"] {
        if let Some(text) = object[key].as_str() {
            return text.to_owned();
        }
    }
    text_of(&object["type"])
}

fn text_of(value: &Value) -> String {
    value.as_str().unwrap_or_default().to_owned()
}

/// The connection to one browser (see the module documentation).
pub(super) struct Connection {
    socket: WebSocket<TcpStream>,
    next_id: u64,
    responses: HashMap<u64, Result<Value, String>>,
    /// Events by (session id, "" for the browser's own; method), oldest first.
    events: HashMap<(String, String), VecDeque<Value>>,
    console: HashMap<String, Vec<ConsoleMessage>>,
    crashed: HashSet<String>,
    /// Why the connection is gone, once it is.
    closed: Option<String>,
}

impl Connection {
    /// Opens the WebSocket at `url` (`ws://127.0.0.1:PORT/devtools/browser/…`).
    pub fn open(url: &str, timeout: Duration) -> Result<Self, String> {
        let address = url
            .strip_prefix("ws://")
            .and_then(|rest| rest.split('/').next())
            .and_then(|host| host.parse().ok())
            .ok_or_else(|| format!("not a ws://address:port/… URL: {url}"))?;
        let stream = TcpStream::connect_timeout(&address, timeout)
            .map_err(|error| format!("cannot connect to {url}: {error}"))?;
        let _ = stream.set_nodelay(true);
        stream
            .set_read_timeout(Some(timeout))
            .and_then(|()| stream.set_write_timeout(Some(timeout)))
            .map_err(|error| format!("cannot set timeouts: {error}"))?;
        let config = WebSocketConfig::default()
            .max_message_size(Some(MESSAGE_LIMIT))
            .max_frame_size(Some(MESSAGE_LIMIT));
        let (socket, _) = tungstenite::client::client_with_config(url, stream, Some(config))
            .map_err(|error| format!("WebSocket handshake with {url} failed: {error}"))?;
        Ok(Self {
            socket,
            next_id: 0,
            responses: HashMap::new(),
            events: HashMap::new(),
            console: HashMap::new(),
            crashed: HashSet::new(),
            closed: None,
        })
    }

    /// Sends `method` (to the page of `session`, or to the browser) and waits for its answer.
    pub fn call(
        &mut self,
        session: Option<&str>,
        method: &str,
        params: Value,
        timeout: Duration,
    ) -> Result<Value, String> {
        self.check(session)?;
        self.next_id += 1;
        let id = self.next_id;
        let mut message = json!({"id": id, "method": method, "params": params});
        if let Some(session) = session {
            message["sessionId"] = json!(session);
        }
        if let Err(error) = self.socket.send(Message::text(message.to_string())) {
            return Err(self.lost(format!("cannot send {method}: {error}")));
        }
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(outcome) = self.responses.remove(&id) {
                return outcome.map_err(|error| format!("{method} failed: {error}"));
            }
            self.check(session)?;
            if Instant::now() >= deadline {
                return Err(format!("no answer to {method} within {timeout:?}"));
            }
            self.read_one(deadline)?;
        }
    }

    /// The oldest event `method` of `session` not yet taken, waiting until `deadline` for one.
    pub fn next_event(
        &mut self,
        session: &str,
        method: &str,
        deadline: Instant,
    ) -> Result<Option<Value>, String> {
        let key = (session.to_owned(), method.to_owned());
        loop {
            if let Some(event) = self.events.get_mut(&key).and_then(VecDeque::pop_front) {
                return Ok(Some(event));
            }
            self.check(Some(session))?;
            if Instant::now() >= deadline {
                return Ok(None);
            }
            self.read_one(deadline)?;
        }
    }

    /// Forgets the events `method` of `session` received so far (after reading what is there).
    pub fn discard(&mut self, session: &str, method: &str) {
        self.drain();
        self.events.remove(&(session.to_owned(), method.to_owned()));
    }

    /// The console messages of `session` so far, oldest first.
    pub fn console(&mut self, session: &str) -> Vec<ConsoleMessage> {
        self.drain();
        self.console.get(session).cloned().unwrap_or_default()
    }

    /// Forgets everything kept for `session` (its page is closed).
    pub fn forget(&mut self, session: &str) {
        self.events.retain(|(owner, _), _| owner != session);
        self.console.remove(session);
        self.crashed.remove(session);
    }

    /// Marks the connection closed (the browser is being shut down) and closes the socket.
    pub fn shut(&mut self) {
        if self.closed.is_none() {
            self.closed = Some("the browser was closed".to_owned());
            let _ = self.socket.close(None);
            let _ = self.socket.flush();
        }
    }

    /// Err when the connection is gone or the page of `session` crashed.
    fn check(&self, session: Option<&str>) -> Result<(), String> {
        if let Some(why) = &self.closed {
            return Err(format!("the connection to the browser is gone: {why}"));
        }
        match session {
            Some(session) if self.crashed.contains(session) => {
                Err("the page crashed (Inspector.targetCrashed)".to_owned())
            }
            _ => Ok(()),
        }
    }

    /// Reads everything already arrived, without waiting.
    fn drain(&mut self) {
        while self.closed.is_none() && matches!(self.read_one(Instant::now()), Ok(true)) {}
    }

    /// Reads and files one message, waiting until `deadline` at most: Ok(false) if none came.
    fn read_one(&mut self, deadline: Instant) -> Result<bool, String> {
        let wait = deadline
            .saturating_duration_since(Instant::now())
            .max(Duration::from_millis(1));
        if let Err(error) = self.socket.get_mut().set_read_timeout(Some(wait)) {
            return Err(self.lost(format!("cannot set a read timeout: {error}")));
        }
        match self.socket.read() {
            Ok(Message::Text(text)) => {
                self.file(text.as_str());
                Ok(true)
            }
            Ok(Message::Close(frame)) => {
                Err(self.lost(format!("the browser closed it ({frame:?})")))
            }
            Ok(_) => Ok(true),
            Err(tungstenite::Error::Io(error))
                if matches!(error.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) =>
            {
                Ok(false)
            }
            Err(error) => Err(self.lost(error.to_string())),
        }
    }

    fn lost(&mut self, why: String) -> String {
        let message = format!("the connection to the browser is gone: {why}");
        self.closed.get_or_insert(why);
        message
    }

    /// Files a message: an answer by its id, an event by session and method.
    fn file(&mut self, text: &str) {
        let Ok(mut message) = serde_json::from_str::<Value>(text) else {
            return;
        };
        if let Some(id) = message["id"].as_u64() {
            let outcome = match message.get("error") {
                Some(error) => Err(format!(
                    "{} (code {}{})",
                    text_of(&error["message"]),
                    error["code"],
                    error["data"]
                        .as_str()
                        .map(|data| format!(", {data}"))
                        .unwrap_or_default()
                )),
                None => Ok(message["result"].take()),
            };
            self.responses.insert(id, outcome);
            return;
        }
        let Some(method) = message["method"].as_str().map(str::to_owned) else {
            return;
        };
        let session = text_of(&message["sessionId"]);
        let params = message["params"].take();
        if method == "Inspector.targetCrashed" {
            self.crashed.insert(session);
        } else if let Some(entry) = ConsoleMessage::from_event(&method, &params) {
            self.console.entry(session).or_default().push(entry);
        } else {
            let queue = self.events.entry((session, method)).or_default();
            if queue.len() == QUEUE_LIMIT {
                queue.pop_front();
            }
            queue.push_back(params);
        }
    }
}
