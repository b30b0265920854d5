//! Debian's headless Chromium driven over the DevTools protocol (CDP), for tests of the pages
//! mpp-central serves: the lobby display (server-sent events, sound) and the counter console
//! (buttons, keyboard shortcuts). Synchronous, with a timeout on every wait, no runtime: call
//! it from a plain `#[test]`, or straight from a `#[tokio::test]` whose server is another
//! process ([`crate::central::Server`]); a server in the test's own runtime needs the browser
//! on `spawn_blocking` (a skip line then names the thread, not the test).
//!
//! [`Browser::launch`] starts `chromium --headless=new` on a throwaway profile, or says loudly
//! that the test was skipped when Chromium is missing (`apt-get install chromium`; a failure
//! under `CI=true`, see [`crate::skip`]). [`Browser::open`] opens a [`Page`] of a given size;
//! several can be open at once (the display and the console side by side). Dropping the
//! browser closes it and removes its profile, a panicking test too; and should the test
//! process itself be killed, a watcher shell kills the browser (its stdin closes).
//!
//! What Chromium does here (156, Debian): with `--autoplay-policy=no-user-gesture-required` a
//! page's `play()` needs no click, and with `--mute-audio` a sound still plays through to
//! `ended` (no sound card needed). `http://127.0.0.1` and `http://localhost` count as secure:
//! `Secure` and `__Host-` cookies are kept and sent over plain HTTP there, whether set by the
//! server (`Set-Cookie`) or by [`Page::set_cookie`]. Pages in the background are not
//! throttled (the flags below), so a display keeps its live updates while a console is used.

mod cdp;
mod page;
#[cfg(test)]
mod tests;

use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use cdp::Connection;
pub use cdp::ConsoleMessage;
pub use page::Page;

/// Names the Chromium program to run instead of `chromium` on the `PATH`.
pub const PROGRAM_OVERRIDE: &str = "MPP_CHROMIUM";
/// Starting the browser, and a page's load.
pub const LOAD_TIMEOUT: Duration = Duration::from_secs(20);
/// Any one DevTools command.
const COMMAND_TIMEOUT: Duration = Duration::from_secs(15);
/// How often [`Page::wait_for`] asks.
const POLL: Duration = Duration::from_millis(50);

/// Runs the browser (`$@`) and waits for it. When this shell's stdin closes first (the test
/// process died, however it died, or the browser would not close), kills it and removes the
/// temporary folder (`$1`) after its helpers are gone.
const WATCHER: &str = r#"folder=$1
shift
exec 3<&0 </dev/null
"$@" &
browser=$!
{ read -r _ <&3; : >"$folder/orphaned"; kill -KILL "$browser"; } 2>/dev/null &
watcher=$!
wait "$browser"
status=$?
kill "$watcher" 2>/dev/null
if [ -e "$folder/orphaned" ]; then sleep 1; rm -rf -- "$folder"; fi
exit "$status""#;

/// A headless Chromium (see the module documentation).
pub struct Browser {
    connection: Arc<Mutex<Connection>>,
    /// The watcher shell; the browser is its child.
    process: Child,
    /// Its stdin: dropping it kills the browser.
    lifeline: Option<ChildStdin>,
    /// The profile (`profile/`) and the browser's output (`chromium.log`).
    folder: tempfile::TempDir,
}

impl Browser {
    /// A new browser, or `None` (said loudly on stderr, a panic under `CI=true`) when Chromium
    /// is not installed. Panics, with the browser's output, when it is there but fails to start.
    pub fn launch() -> Option<Self> {
        let program = match program() {
            Ok(program) => program,
            Err(missing) => {
                let thread = std::thread::current();
                crate::skip::skipped(thread.name().unwrap_or("a browser test"), &missing);
                return None;
            }
        };
        let folder = tempfile::Builder::new()
            .prefix("mpp-chromium-")
            .tempdir()
            .expect("temp dir");
        let profile = folder.path().join("profile");
        let log_path = folder.path().join("chromium.log");
        let log = std::fs::File::create(&log_path).expect("chromium.log");
        let mut process = Command::new("/bin/sh")
            .args(["-c", WATCHER, "sh"])
            .arg(folder.path())
            .arg(&program)
            .args([
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--remote-debugging-port=0",
                "--autoplay-policy=no-user-gesture-required",
                "--mute-audio",
                "--no-first-run",
                // A page in the background keeps its timers and live updates at full speed.
                "--disable-background-timer-throttling",
                "--disable-renderer-backgrounding",
                "--disable-backgrounding-occluded-windows",
            ])
            .arg(format!("--user-data-dir={}", profile.display()))
            .arg("about:blank")
            .stdin(Stdio::piped())
            .stdout(log.try_clone().expect("log file"))
            .stderr(log)
            .spawn()
            .unwrap_or_else(|error| panic!("cannot start {}: {error}", program.display()));
        let lifeline = process.stdin.take();
        let url = match devtools_url(&profile, &mut process) {
            Ok(url) => url,
            Err(why) => {
                drop(lifeline);
                if !exited_within(&mut process, Duration::from_secs(3)) {
                    let _ = process.kill();
                    let _ = process.wait();
                }
                panic!("Chromium did not start: {why}\n{}", tail(&log_path));
            }
        };
        let connection = Connection::open(&url, LOAD_TIMEOUT).unwrap_or_else(|why| {
            panic!("cannot drive Chromium: {why}\n{}", tail(&log_path));
        });
        Some(Self {
            connection: Arc::new(Mutex::new(connection)),
            process,
            lifeline,
            folder,
        })
    }

    /// Opens `url` in a new page of `width` x `height` CSS pixels (a phone's, `mobile`, at 480
    /// or less) and waits for its load event.
    pub fn open(&self, url: &str, width: u32, height: u32) -> Page {
        let target = self
            .browser_call(
                "Target.createTarget",
                json!({"url": "about:blank", "newWindow": true, "width": width, "height": height}),
            )
            .unwrap_or_else(|why| panic!("cannot open a page for {url}: {why}"));
        let target = text(&target["targetId"]);
        let session = self
            .browser_call(
                "Target.attachToTarget",
                json!({"targetId": target, "flatten": true}),
            )
            .unwrap_or_else(|why| panic!("cannot attach to the page for {url}: {why}"));
        let session = text(&session["sessionId"]);
        Page::attach(
            Arc::clone(&self.connection),
            target,
            session,
            url,
            width,
            height,
        )
    }

    /// The browser's output so far (its stderr: mostly D-Bus complaints here).
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.folder.path().join("chromium.log")).unwrap_or_default()
    }

    fn browser_call(&self, method: &str, params: Value) -> Result<Value, String> {
        lock(&self.connection).call(None, method, params, COMMAND_TIMEOUT)
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        {
            let mut connection = lock(&self.connection);
            // Closing cleanly lets the browser's helpers end before the profile is removed; the
            // answer may not come before the socket closes.
            let _ = connection.call(None, "Browser.close", json!({}), Duration::from_secs(2));
            connection.shut();
        }
        if !exited_within(&mut self.process, Duration::from_secs(5)) {
            drop(self.lifeline.take());
            if !exited_within(&mut self.process, Duration::from_secs(2)) {
                let _ = self.process.kill();
                let _ = self.process.wait();
            }
        }
        drop(self.lifeline.take());
        // `folder` goes after this, the browser gone.
    }
}

/// The connection, even after a panic while another page held it.
fn lock(connection: &Mutex<Connection>) -> MutexGuard<'_, Connection> {
    connection
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn text(value: &Value) -> String {
    value.as_str().unwrap_or_default().to_owned()
}

/// `MPP_CHROMIUM`, else `chromium` on the `PATH`; Err names the package to install.
fn program() -> Result<PathBuf, String> {
    if let Some(program) = std::env::var_os(PROGRAM_OVERRIDE) {
        let program = PathBuf::from(program);
        return if program.is_file() {
            Ok(program)
        } else {
            Err(format!(
                "{PROGRAM_OVERRIDE}={} is not a file",
                program.display()
            ))
        };
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .map(|folder| folder.join("chromium"))
        .find(|program| program.is_file())
        .ok_or_else(|| "Chromium is not installed (apt-get install chromium)".to_owned())
}

/// The browser's DevTools address, from the `DevToolsActivePort` file it writes into the
/// profile (the port, then the path), once it does.
fn devtools_url(profile: &Path, process: &mut Child) -> Result<String, String> {
    let deadline = Instant::now() + LOAD_TIMEOUT;
    loop {
        let written = std::fs::read_to_string(profile.join("DevToolsActivePort")).ok();
        if let Some((port, path)) = written.as_deref().and_then(|text| {
            let mut lines = text.lines();
            Some((lines.next()?.trim(), lines.next()?.trim()))
        }) && !port.is_empty()
            && path.starts_with('/')
        {
            return Ok(format!("ws://127.0.0.1:{port}{path}"));
        }
        if let Ok(Some(status)) = process.try_wait() {
            return Err(format!("it ended at once ({status})"));
        }
        if Instant::now() >= deadline {
            return Err(format!("no DevToolsActivePort within {LOAD_TIMEOUT:?}"));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Whether `process` ended within `timeout`.
fn exited_within(process: &mut Child, timeout: Duration) -> bool {
    let deadline = Instant::now() + timeout;
    loop {
        match process.try_wait() {
            Ok(Some(_)) | Err(_) => return true,
            Ok(None) if Instant::now() >= deadline => return false,
            Ok(None) => std::thread::sleep(Duration::from_millis(10)),
        }
    }
}

/// The last lines of the browser's output, for a panic message.
fn tail(log: &Path) -> String {
    let text = std::fs::read_to_string(log).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    let tail = lines[lines.len().saturating_sub(30)..].join("\n");
    format!("--- the end of chromium.log ---\n{tail}")
}
