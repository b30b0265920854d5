//! A page of the browser: a target of its own (a window of the page's size), attached in
//! flatten mode; JavaScript, the mouse and the keyboard, cookies, screenshots, its console.

use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use super::cdp::{Connection, ConsoleMessage, exception_text};
use super::{COMMAND_TIMEOUT, LOAD_TIMEOUT, POLL, lock, text};

/// One page (a target of its own, attached in flatten mode). Closed when dropped.
pub struct Page {
    connection: Arc<Mutex<Connection>>,
    target: String,
    session: String,
    /// The main frame.
    frame: String,
    /// The latest URL asked for, for messages.
    url: Mutex<String>,
}

impl Page {
    /// Sets up the page of `target`, attached as `session`, at `width` x `height`, and opens `url`.
    pub(super) fn attach(
        connection: Arc<Mutex<Connection>>,
        target: String,
        session: String,
        url: &str,
        width: u32,
        height: u32,
    ) -> Self {
        let mut page = Self {
            connection,
            target,
            session,
            frame: String::new(),
            url: Mutex::new(url.to_owned()),
        };
        let metrics = json!({
            "width": width,
            "height": height,
            "deviceScaleFactor": 1,
            "mobile": width <= 480,
        });
        page.call("Emulation.setDeviceMetricsOverride", metrics);
        for domain in ["Page", "Runtime", "Log"] {
            page.call(&format!("{domain}.enable"), json!({}));
        }
        page.call("Page.setLifecycleEventsEnabled", json!({"enabled": true}));
        let tree = page.call("Page.getFrameTree", json!({}));
        page.frame = text(&tree["frameTree"]["frame"]["id"]);
        page.goto(url);
        page
    }

    /// The value of JavaScript expression `js` (a promise awaited), as JSON: `null` for
    /// `undefined`, `NaN` and values JSON has no room for. Panics with the message when it throws.
    pub fn eval(&self, js: &str) -> Value {
        self.try_eval(js).unwrap_or_else(|thrown| {
            panic!("JavaScript threw on {}: {thrown}\n  in: {js}", self.url())
        })
    }

    /// Asks `js_condition` every 50 ms until its value is truthy, and returns that value. A
    /// throw counts as not yet. Panics after `timeout` with the last value (or exception).
    pub fn wait_for(&self, js_condition: &str, timeout: Duration) -> Value {
        let deadline = Instant::now() + timeout;
        loop {
            let last = match self.try_eval(js_condition) {
                Ok(value) if truthy(&value) => return value,
                Ok(value) => value.to_string(),
                Err(thrown) => format!("threw {thrown}"),
            };
            assert!(
                Instant::now() < deadline,
                "still not true after {timeout:?} on {}: {js_condition}\n  last: {last}",
                self.url()
            );
            std::thread::sleep(POLL);
        }
    }

    /// Clicks the middle of the first element matching `css_selector` with the mouse (scrolled
    /// into view first); panics when there is none, it has no size, or something covers it.
    pub fn click(&self, css_selector: &str) {
        let selector = json!(css_selector);
        let point = self.eval(&format!(
            "(() => {{
                const element = document.querySelector({selector});
                if (!element) return 'no element matches';
                element.scrollIntoView({{block: 'center', inline: 'center'}});
                const box = element.getBoundingClientRect();
                if (box.width === 0 || box.height === 0) return 'it has no size (hidden?)';
                const x = box.left + box.width / 2, y = box.top + box.height / 2;
                const top = document.elementFromPoint(x, y);
                if (!top || !(top === element || element.contains(top)))
                    return 'it is covered by ' + (top ? top.outerHTML.slice(0, 120) : 'nothing');
                return [x, y];
            }})()"
        ));
        let Some([x, y]) = point
            .as_array()
            .and_then(|xy| <&[Value; 2]>::try_from(&xy[..]).ok())
        else {
            let why = point
                .as_str()
                .map_or_else(|| point.to_string(), str::to_owned);
            panic!("cannot click {css_selector} on {}: {why}", self.url());
        };
        let mouse = |kind: &str, button: &str, buttons: u8| {
            let event = json!({"type": kind, "x": x, "y": y, "button": button,
                               "buttons": buttons, "clickCount": 1});
            self.call("Input.dispatchMouseEvent", event);
        };
        mouse("mouseMoved", "none", 0);
        mouse("mousePressed", "left", 1);
        mouse("mouseReleased", "left", 0);
    }

    /// Focuses the element matching `css_selector` and types `text` into it, as an input
    /// method does (`beforeinput` and `input` events, no key events).
    pub fn type_text(&self, css_selector: &str, text: &str) {
        let selector = json!(css_selector);
        let focused = self.eval(&format!(
            "(() => {{
                const element = document.querySelector({selector});
                if (!element) return 'no element matches';
                element.focus();
                return document.activeElement === element || 'it takes no focus';
            }})()"
        ));
        assert!(
            focused == Value::Bool(true),
            "cannot type into {css_selector} on {}: {focused}",
            self.url()
        );
        self.call("Input.insertText", json!({"text": text}));
    }

    /// Presses and releases `key` where the focus is: a letter or digit (`"n"`, `"N"`, `"7"`),
    /// `" "`, or a named key (`"Enter"`, `"Escape"`, `"Tab"`, `"Backspace"`, `"Delete"`,
    /// arrows as `"ArrowUp"`, `"Home"`, `"End"`, `"PageUp"`, `"PageDown"`, `"F1"`…`"F12"`), with
    /// the `key`, `code` and `keyCode` a US keyboard gives. No modifiers beyond Shift for capitals.
    pub fn press_key(&self, key: &str) {
        let press = keystroke(key).unwrap_or_else(|| panic!("press_key: unknown key {key:?}"));
        let mut down = json!({
            "type": if press.text.is_some() { "keyDown" } else { "rawKeyDown" },
            "key": press.key,
            "code": press.code,
            "windowsVirtualKeyCode": press.key_code,
            "nativeVirtualKeyCode": press.key_code,
            "modifiers": if press.shift { 8 } else { 0 },
        });
        if let Some(text) = &press.text {
            down["text"] = json!(text);
            down["unmodifiedText"] = json!(text);
        }
        let mut up = down.clone();
        up["type"] = json!("keyUp");
        if let Some(up) = up.as_object_mut() {
            up.remove("text");
            up.remove("unmodifiedText");
        }
        self.call("Input.dispatchKeyEvent", down);
        self.call("Input.dispatchKeyEvent", up);
    }

    /// Sets cookie `name` for `url` (a host-only cookie with `Path=/`), as the server's
    /// `Set-Cookie` would. `__Host-` and `__Secure-` names get `Secure`, which Chromium keeps
    /// and sends over plain `http://127.0.0.1` and `http://localhost` (secure contexts), not
    /// over another host's plain HTTP. Panics if the browser refuses it.
    pub fn set_cookie(&self, name: &str, value: &str, url: &str) {
        let secure = name.starts_with("__Host-") || name.starts_with("__Secure-");
        let cookie =
            json!({"name": name, "value": value, "url": url, "path": "/", "secure": secure});
        let answer = self.call("Network.setCookie", cookie);
        assert!(
            answer["success"] != Value::Bool(false),
            "Chromium refused cookie {name} for {url}"
        );
        let kept = self.call("Network.getCookies", json!({"urls": [url]}));
        let kept = kept["cookies"].as_array().is_some_and(|cookies| {
            cookies
                .iter()
                .any(|cookie| cookie["name"] == name && cookie["value"] == value)
        });
        assert!(kept, "Chromium did not keep cookie {name} for {url}");
    }

    /// Opens `url` in this page and waits for its load event.
    pub fn goto(&self, url: &str) {
        *self
            .url
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = url.to_owned();
        self.discard("Page.lifecycleEvent");
        let answer = self
            .try_call("Page.navigate", json!({"url": url}), LOAD_TIMEOUT)
            .unwrap_or_else(|why| panic!("cannot open {url}: {why}"));
        if let Some(error) = answer["errorText"]
            .as_str()
            .filter(|error| !error.is_empty())
        {
            panic!("cannot open {url}: {error}");
        }
        // No loader when the navigation stays within the document (a #fragment).
        if let Some(loader) = answer["loaderId"].as_str() {
            self.wait_loaded(Some(loader.to_owned()));
        }
    }

    /// Reloads the page and waits for its load event.
    pub fn reload(&self) {
        self.discard("Page.lifecycleEvent");
        self.call("Page.reload", json!({"ignoreCache": true}));
        self.wait_loaded(None);
    }

    /// Saves a PNG of the whole page (beyond the window's height too) at `path`.
    pub fn screenshot(&self, path: &Path) {
        let metrics = self.call("Page.getLayoutMetrics", json!({}));
        let size = match metrics.get("cssContentSize") {
            Some(size) => size,
            None => &metrics["contentSize"],
        };
        let (width, height) = (size["width"].as_f64(), size["height"].as_f64());
        let (Some(width), Some(height)) = (width, height) else {
            panic!("no page size in {metrics}");
        };
        let shot = self.call(
            "Page.captureScreenshot",
            json!({
                "format": "png",
                "captureBeyondViewport": true,
                "clip": {"x": 0, "y": 0, "width": width.ceil(), "height": height.ceil(), "scale": 1},
            }),
        );
        let png = data_encoding::BASE64
            .decode(shot["data"].as_str().unwrap_or_default().as_bytes())
            .unwrap_or_else(|error| panic!("a screenshot that is not base64: {error}"));
        std::fs::write(path, png)
            .unwrap_or_else(|error| panic!("cannot write {}: {error}", path.display()));
    }

    /// Everything the page wrote to its console so far, its uncaught exceptions and the
    /// browser's log entries for it (failed loads), oldest first.
    pub fn console_messages(&self) -> Vec<ConsoleMessage> {
        lock(&self.connection).console(&self.session)
    }

    fn url(&self) -> String {
        self.url
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }

    fn try_eval(&self, js: &str) -> Result<Value, String> {
        let answer = self
            .try_call(
                "Runtime.evaluate",
                json!({"expression": js, "returnByValue": true, "awaitPromise": true}),
                COMMAND_TIMEOUT,
            )
            .unwrap_or_else(|why| panic!("cannot evaluate on {}: {why}\n  {js}", self.url()));
        if answer.get("exceptionDetails").is_some() {
            return Err(exception_text(&answer["exceptionDetails"]));
        }
        let result = &answer["result"];
        Ok(
            match (result.get("value"), result["unserializableValue"].as_str()) {
                (Some(value), _) => value.clone(),
                (None, Some("-0")) => json!(0),
                (None, Some("NaN")) | (None, None) => Value::Null,
                (None, Some(other)) => json!(other),
            },
        )
    }

    /// Waits for the main frame's load event of the document loader `loader`, or of the next
    /// document when `None` (a reload).
    fn wait_loaded(&self, mut loader: Option<String>) {
        let deadline = Instant::now() + LOAD_TIMEOUT;
        loop {
            let event = lock(&self.connection)
                .next_event(&self.session, "Page.lifecycleEvent", deadline)
                .unwrap_or_else(|why| panic!("while {} loads: {why}", self.url()));
            let Some(event) = event else {
                panic!(
                    "{} did not finish loading within {LOAD_TIMEOUT:?}",
                    self.url()
                );
            };
            if event["frameId"] != self.frame.as_str() {
                continue;
            }
            let this = event["loaderId"].as_str().map(str::to_owned);
            match event["name"].as_str() {
                Some("init") if this.is_some() => loader = this,
                Some("load") if this.is_some() && this == loader => return,
                _ => {}
            }
        }
    }

    fn discard(&self, method: &str) {
        lock(&self.connection).discard(&self.session, method);
    }

    fn call(&self, method: &str, params: Value) -> Value {
        self.try_call(method, params, COMMAND_TIMEOUT)
            .unwrap_or_else(|why| panic!("on {}: {why}", self.url()))
    }

    fn try_call(&self, method: &str, params: Value, timeout: Duration) -> Result<Value, String> {
        lock(&self.connection).call(Some(&self.session), method, params, timeout)
    }
}

impl Drop for Page {
    fn drop(&mut self) {
        let mut connection = lock(&self.connection);
        let close = json!({"targetId": self.target});
        let _ = connection.call(None, "Target.closeTarget", close, Duration::from_secs(2));
        connection.forget(&self.session);
    }
}

/// JavaScript's truthiness, for a value come back as JSON.
fn truthy(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::Bool(flag) => *flag,
        Value::Number(number) => number.as_f64().is_some_and(|number| number != 0.0),
        Value::String(text) => !text.is_empty(),
        Value::Array(_) | Value::Object(_) => true,
    }
}

/// A key press as a US keyboard makes it.
pub(super) struct Keystroke {
    pub key: String,
    pub code: String,
    pub key_code: u32,
    pub text: Option<String>,
    pub shift: bool,
}

pub(super) fn keystroke(name: &str) -> Option<Keystroke> {
    let stroke = |key: &str, code: &str, key_code: u32, text: Option<&str>| Keystroke {
        key: key.to_owned(),
        code: code.to_owned(),
        key_code,
        text: text.map(str::to_owned),
        shift: false,
    };
    let mut chars = name.chars();
    if let (Some(one), None) = (chars.next(), chars.next()) {
        let text = one.to_string();
        return match one {
            'a'..='z' | 'A'..='Z' => {
                let upper = one.to_ascii_uppercase();
                Some(Keystroke {
                    shift: one.is_ascii_uppercase(),
                    ..stroke(&text, &format!("Key{upper}"), u32::from(upper), Some(&text))
                })
            }
            '0'..='9' => Some(stroke(
                &text,
                &format!("Digit{one}"),
                u32::from(one),
                Some(&text),
            )),
            ' ' => Some(stroke(" ", "Space", 32, Some(" "))),
            _ => None,
        };
    }
    if let Some(number) = name.strip_prefix('F').and_then(|n| n.parse::<u32>().ok())
        && (1..=12).contains(&number)
    {
        return Some(stroke(name, name, 111 + number, None));
    }
    let (key_code, text) = match name {
        "Enter" => (13, Some("\r")),
        "Escape" => (27, None),
        "Tab" => (9, None),
        "Backspace" => (8, None),
        "Delete" => (46, None),
        "ArrowLeft" => (37, None),
        "ArrowUp" => (38, None),
        "ArrowRight" => (39, None),
        "ArrowDown" => (40, None),
        "Home" => (36, None),
        "End" => (35, None),
        "PageUp" => (33, None),
        "PageDown" => (34, None),
        _ => return None,
    };
    Some(stroke(name, name, key_code, text))
}
