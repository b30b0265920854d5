//! A real `mpp-central` process for integration tests: its own temporary folder, database,
//! catalog file and free port, killed when dropped. Plus tickets and events to send it.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use mpp_core::day::TimeZone;
use mpp_core::numbering::Lane;
use mpp_core::protocol::{ApiError, BatchOutcome, EventBatch, QueueReport, TicketEvent};
use mpp_core::ticket::{Ticket, TicketStatus, qr_payload, sign};
use reqwest::StatusCode;
use reqwest::header::AUTHORIZATION;
use serde_json::json;

pub use crate::fixtures::{BROKEN_CATALOG, SMALL_CATALOG};
use crate::{free_port, sha256_hex as hash_hex};

pub const KIOSK: &str = "KIOSK-T1";
pub const OTHER_KIOSK: &str = "KIOSK-T2";
pub const KIOSK_TOKEN: &str = "kiosk-t1-token-0123456789";
pub const OTHER_KIOSK_TOKEN: &str = "kiosk-t2-token-0123456789";
pub const COUNTER_TOKEN: &str = "counter-token-0123456789";
pub const ADMIN_TOKEN: &str = "admin-token-0123456789";
pub const SIGNING_KEY: &str = "test-signing-key-0001";
pub const OTHER_SIGNING_KEY: &str = "test-signing-key-0002";
/// How long a server gets to answer its first health check.
const READY_WITHIN: Duration = Duration::from_secs(20);

/// The `mpp-central` program beside the test binary (`target/<profile>/`), built first so a
/// test never runs a stale server. Cargo sets `CARGO_BIN_EXE_*` only inside the package that
/// owns the binary; the kiosk's tests need it too.
pub fn binary() -> PathBuf {
    static BINARY: OnceLock<PathBuf> = OnceLock::new();
    BINARY.get_or_init(build_binary).clone()
}

fn build_binary() -> PathBuf {
    // Tests and benchmarks run from target/<profile>/deps/.
    let exe = std::env::current_exe().expect("the test binary's path");
    let profile_dir = exe
        .parent()
        .and_then(Path::parent)
        .expect("the target folder")
        .to_owned();
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut build = Command::new(cargo);
    build.args([
        "build",
        "--quiet",
        "-p",
        "mpp-central",
        "--bin",
        "mpp-central",
    ]);
    if profile_dir.ends_with("release") {
        build.arg("--release");
    }
    let status = build.status().expect("run cargo to build mpp-central");
    assert!(status.success(), "cargo could not build mpp-central");
    let binary = profile_dir.join("mpp-central");
    assert!(binary.exists(), "no mpp-central at {}", binary.display());
    binary
}

pub struct Server {
    pub folder: tempfile::TempDir,
    pub base: String,
    child: Option<Child>,
}

impl Server {
    /// A fresh folder with the small catalog published, and a server on it.
    pub async fn start() -> Self {
        Self::start_with(SMALL_CATALOG, "").await
    }

    /// A fresh folder publishing a copy of `catalog`, with `extra` TOML appended to the config.
    pub async fn start_with(catalog: &str, extra: &str) -> Self {
        let folder = tempfile::tempdir().expect("temp dir");
        std::fs::copy(catalog, folder.path().join("catalog.json")).expect("copy catalog");
        let mut server = Self {
            folder,
            base: String::new(),
            child: None,
        };
        server.launch(extra).await;
        server
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.folder.path().join(name)
    }

    /// Writes the config with a new free port and starts the process; waits until it is healthy.
    pub async fn launch(&mut self, extra: &str) {
        let port = free_port();
        let config = config_text(port, extra);
        std::fs::write(self.path("central.toml"), config).expect("write config");
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.path("server.log"))
            .expect("log file");
        let child = Command::new(binary())
            .arg("--config")
            .arg(self.path("central.toml"))
            .env("MPP_CENTRAL_LOG", "info")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("start mpp-central");
        self.child = Some(child);
        self.base = format!("http://127.0.0.1:{port}");
        self.wait_ready().await;
    }

    async fn wait_ready(&mut self) {
        let client = client();
        let deadline = Instant::now() + READY_WITHIN;
        loop {
            if let Ok(response) = client.get(self.url("/api/v1/health")).send().await
                && response.status() == 200
            {
                return;
            }
            if let Some(status) = self
                .child
                .as_mut()
                .and_then(|c| c.try_wait().ok().flatten())
            {
                panic!("mpp-central exited with {status}:\n{}", self.log());
            }
            assert!(
                Instant::now() < deadline,
                "mpp-central not ready:\n{}",
                self.log()
            );
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(self.path("server.log")).unwrap_or_default()
    }

    pub fn pid(&self) -> u32 {
        self.child.as_ref().expect("running").id()
    }

    /// SIGKILL: no chance to finish anything.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            child.kill().expect("kill");
            child.wait().expect("reap");
        }
    }

    /// Waits for the process to end by itself.
    pub fn wait_exit(&mut self, within: Duration) -> ExitStatus {
        let mut child = self.child.take().expect("running");
        let deadline = Instant::now() + within;
        loop {
            if let Some(status) = child.try_wait().expect("wait") {
                return status;
            }
            if Instant::now() > deadline {
                let _ = child.kill();
                panic!("mpp-central did not stop:\n{}", self.log());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}

fn config_text(port: u16, extra: &str) -> String {
    format!(
        "listen = \"127.0.0.1:{port}\"\n\
         database = \"central.db\"\n\
         catalog = \"catalog.json\"\n\
         name = \"MPP Uji\"\n\
         admin_token_sha256 = \"{admin}\"\n\
         [[kiosk]]\nid = \"{KIOSK}\"\ntoken_sha256 = \"{kiosk}\"\nsigning_key = \"{SIGNING_KEY}\"\n\
         [[kiosk]]\nid = \"{OTHER_KIOSK}\"\ntoken_sha256 = \"{other}\"\nsigning_key = \"{OTHER_SIGNING_KEY}\"\n\
         [[counter]]\nname = \"Loket 1-4\"\ntoken_sha256 = \"{counter}\"\n{extra}",
        admin = hash_hex(ADMIN_TOKEN),
        kiosk = hash_hex(KIOSK_TOKEN),
        other = hash_hex(OTHER_KIOSK_TOKEN),
        counter = hash_hex(COUNTER_TOKEN),
    )
}

pub fn client() -> reqwest::Client {
    crate::install_tls_provider();
    reqwest::Client::builder()
        .timeout(Duration::from_secs(20))
        .build()
        .expect("HTTP client")
}

/// Today's business day where the MPP is.
pub fn today() -> NaiveDate {
    TimeZone::JAKARTA.local(Utc::now()).date()
}

/// A printed ticket of `kiosk` in queue DKC (service DKC-KK), issued `minute` minutes into today.
pub fn ticket(kiosk: &str, id: &str, sequence: u32, lane: Lane, minute: i64) -> Ticket {
    let day = today();
    let start: DateTime<Utc> = day.and_hms_opt(1, 0, 0).expect("time").and_utc();
    let marker = if lane.is_priority() { "P" } else { "" };
    let key = if kiosk == KIOSK {
        SIGNING_KEY
    } else {
        OTHER_SIGNING_KEY
    };
    Ticket {
        id: id.into(),
        number: format!("DKC-{marker}{sequence:03}"),
        queue: "DKC".into(),
        lane,
        sequence,
        agency: "DUKCAPIL".into(),
        service: "DKC-KK".into(),
        kiosk: kiosk.into(),
        business_day: day,
        issued_at: start + TimeDelta::minutes(minute),
        people_ahead: Some(0),
        status: TicketStatus::Printed,
        print_count: 1,
        qr_payload: qr_payload("https://mpp.example.go.id", id, key.as_bytes()),
    }
}

/// The event that moved `ticket` to `status`.
pub fn event(event_id: i64, ticket: &Ticket, status: TicketStatus) -> TicketEvent {
    let mut ticket = ticket.clone();
    ticket.status = status;
    TicketEvent {
        event_id,
        status,
        reason: None,
        at: ticket.issued_at,
        ticket,
    }
}

pub fn batch(kiosk: &str, events: Vec<TicketEvent>) -> EventBatch {
    EventBatch {
        kiosk: kiosk.into(),
        events,
    }
}

/// The signature a kiosk prints in the QR link of `id`.
pub fn signature(id: &str) -> String {
    sign(id, SIGNING_KEY.as_bytes())
}

/// Runs `mpp-central` with `args` to completion.
pub fn run(args: &[&str], folder: &Path) -> std::process::Output {
    Command::new(binary())
        .args(args)
        .current_dir(folder)
        .stdin(Stdio::null())
        .output()
        .expect("run mpp-central")
}

// Requests the tests make again and again.

pub fn bearer(token: &str) -> String {
    format!("Bearer {token}")
}

pub async fn error_of(response: reqwest::Response) -> String {
    response
        .json::<ApiError>()
        .await
        .expect("an ApiError body")
        .error
}

pub async fn push(server: &Server, body: &impl serde::Serialize) -> (StatusCode, BatchOutcome) {
    let response = post_events(server, KIOSK_TOKEN, body).await;
    let status = response.status();
    (status, response.json().await.expect("an outcome"))
}

pub async fn queues(server: &Server) -> QueueReport {
    client()
        .get(server.url(&format!("/api/v1/queues?day={}", today())))
        .header(AUTHORIZATION, bearer(KIOSK_TOKEN))
        .send()
        .await
        .expect("queues")
        .json()
        .await
        .expect("a queue report")
}

pub fn waiting(report: &QueueReport, queue: &str) -> (u32, u32) {
    let entry = report
        .queues
        .iter()
        .find(|entry| entry.queue == queue)
        .expect("queue listed");
    (entry.waiting_regular, entry.waiting_priority)
}

pub async fn fleet(server: &Server) -> String {
    let response = client()
        .get(server.url(&format!("/fleet?token={ADMIN_TOKEN}")))
        .send()
        .await
        .expect("fleet");
    assert_eq!(response.status(), StatusCode::OK);
    response.text().await.expect("html")
}

pub async fn page(server: &Server, id: &str, signature: &str) -> (StatusCode, String) {
    let response = client()
        .get(server.url(&format!("/t/{id}?s={signature}")))
        .send()
        .await
        .expect("ticket page");
    let status = response.status();
    (status, response.text().await.expect("html"))
}

/// The number shown under "people ahead" on a ticket page.
pub fn ahead(html: &str) -> u32 {
    let start = html.find("<p class=\"ahead\">").expect("an ahead count") + 17;
    html[start..]
        .split('<')
        .next()
        .expect("number")
        .parse()
        .expect("a count")
}

pub async fn counter(server: &Server, token: &str, id: &str, status: &str) -> StatusCode {
    client()
        .post(server.url(&format!("/api/v1/counter/tickets/{id}")))
        .header(AUTHORIZATION, bearer(token))
        .json(&json!({ "status": status, "counter": "Loket 2" }))
        .send()
        .await
        .expect("counter report")
        .status()
}

pub async fn post_events(
    server: &Server,
    token: &str,
    body: &impl serde::Serialize,
) -> reqwest::Response {
    client()
        .post(server.url("/api/v1/events"))
        .header(AUTHORIZATION, bearer(token))
        .json(body)
        .send()
        .await
        .expect("send batch")
}

pub async fn get_catalog(server: &Server, etag: Option<&str>) -> reqwest::Response {
    let mut request = client()
        .get(server.url("/api/v1/catalog"))
        .header(AUTHORIZATION, bearer(KIOSK_TOKEN));
    if let Some(etag) = etag {
        request = request.header(reqwest::header::IF_NONE_MATCH, etag);
    }
    request.send().await.expect("catalog")
}

/// A plain GET without a token.
pub async fn get(server: &Server, path: &str) -> reqwest::Response {
    client().get(server.url(path)).send().await.expect("GET")
}

/// One printed ticket of `kiosk` in a batch of its own.
pub fn one(kiosk: &str, event_id: i64, id: &str) -> EventBatch {
    let ticket = ticket(kiosk, id, 1, Lane::Regular, 0);
    batch(kiosk, vec![event(event_id, &ticket, TicketStatus::Printed)])
}
