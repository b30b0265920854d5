//! A real `mpp-central` process for integration tests and benchmarks: its own temporary folder,
//! database, catalog file and port, killed when dropped. [`Server::builder`] chooses the
//! catalog, the kiosks, extra TOML, the port and the descriptor limit; `restart` keeps folder
//! and port, as a server restarted by systemd would. Plus (in `requests`) the tickets, events and requests to send it.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};

mod clerk;
mod morning;
mod province;
mod requests;
mod staff;
mod surveys;

pub use crate::fixtures::{BROKEN_CATALOG, SMALL_CATALOG};
pub use clerk::Clerk;
pub use morning::*;
pub use province::{MppAccount, clerk_of, head_of};
pub use requests::*;
pub use staff::*;
pub use surveys::*;

use crate::postgres::Cluster;
use crate::{free_port, sha256_hex};

pub const KIOSK: &str = "KIOSK-T1";
pub const OTHER_KIOSK: &str = "KIOSK-T2";
pub const KIOSK_TOKEN: &str = "kiosk-t1-token-0123456789";
pub const OTHER_KIOSK_TOKEN: &str = "kiosk-t2-token-0123456789";
pub const COUNTER_TOKEN: &str = "counter-token-0123456789";
/// The token of a second counter credential, serving queue SKC at "Loket 9" only.
pub const OTHER_COUNTER_TOKEN: &str = "counter-skc-token-0123456789";
/// The points [`COUNTER_TOKEN`] calls visitors to (it serves queues DKC and KTP).
pub const COUNTER_POINTS: [&str; 4] = ["Loket 1", "Loket 2", "Loket 3", "Loket 4"];
pub const ADMIN_TOKEN: &str = "admin-token-0123456789";
pub const SIGNING_KEY: &str = "test-signing-key-0001";
pub const OTHER_SIGNING_KEY: &str = "test-signing-key-0002";
/// The SQLite file the server keeps its data in, in its folder (unless on PostgreSQL).
pub const SQLITE_FILE: &str = "central.db";
/// `MPP_CENTRAL_TEST_BACKEND=postgres` runs every test server on PostgreSQL.
pub const BACKEND_VARIABLE: &str = "MPP_CENTRAL_TEST_BACKEND";
/// The config file [`Builder`] writes in the server's folder.
pub const CONFIG_FILE: &str = "central.toml";
/// How long a server gets to answer its first health check.
const READY_WITHIN: Duration = Duration::from_secs(20);
/// How long one health check may take.
const HEALTH_TIMEOUT: Duration = Duration::from_secs(2);

/// The `mpp-central` program beside the test binary (`target/<profile>/`), built first so a
/// test never runs a stale server (or the one [`BINARY_OVERRIDE`] names). Cargo sets `CARGO_BIN_EXE_*` only inside the package that
/// owns the binary; the kiosk's tests need it too.
pub fn binary() -> PathBuf {
    static BINARY: OnceLock<PathBuf> = OnceLock::new();
    BINARY
        .get_or_init(|| match std::env::var_os(BINARY_OVERRIDE) {
            Some(path) => PathBuf::from(path),
            None => build_binary(),
        })
        .clone()
}

/// An environment variable naming another `mpp-central` to run (a benchmark of an older
/// build, say) instead of building this one.
pub const BINARY_OVERRIDE: &str = "MPP_CENTRAL_BINARY";

fn build_binary() -> PathBuf {
    // Tests and benchmarks run from target/<profile>/deps/.
    let exe = std::env::current_exe().expect("the test binary's path");
    let profile_dir = exe
        .parent()
        .and_then(Path::parent)
        .expect("the target folder")
        .to_owned();
    let binary = profile_dir.join("mpp-central");
    // `cargo test` at the top builds the server itself (it has integration tests), with the
    // features of the whole workspace's tests; `cargo build -p mpp-central` would build it
    // again with its own (minutes on two cores) for nothing. Newer than every source file
    // that goes into it, it is this tree's server.
    if is_fresh(&binary) {
        return binary;
    }
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
    assert!(binary.exists(), "no mpp-central at {}", binary.display());
    binary
}

/// Whether `binary` was built after the last change to any source of the server: the
/// sources of central, core and common, their manifests and the lock file.
fn is_fresh(binary: &Path) -> bool {
    let Ok(built) = std::fs::metadata(binary).and_then(|meta| meta.modified()) else {
        return false;
    };
    let crates = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let workspace = crates.join("..");
    let mut sources = vec![workspace.join("Cargo.lock"), workspace.join("Cargo.toml")];
    for name in ["central", "core", "common"] {
        sources.push(crates.join(name).join("Cargo.toml"));
        sources.push(crates.join(name).join("src"));
    }
    sources.iter().all(|source| older_than(source, built))
}

/// Whether `path` (every file below it, for a folder) was last changed before `instant`.
fn older_than(path: &Path, instant: std::time::SystemTime) -> bool {
    let Ok(meta) = std::fs::metadata(path) else {
        return false;
    };
    if meta.is_dir() {
        let Ok(entries) = std::fs::read_dir(path) else {
            return false;
        };
        return entries
            .flatten()
            .all(|entry| older_than(&entry.path(), instant));
    }
    meta.modified().is_ok_and(|modified| modified < instant)
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

/// Runs `mpp-central` with `args` to completion, `input` on its standard input (a password).
pub fn run_with_input(args: &[&str], folder: &Path, input: &str) -> std::process::Output {
    use std::io::Write;
    let mut child = Command::new(binary())
        .args(args)
        .current_dir(folder)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run mpp-central");
    let mut stdin = child.stdin.take().expect("stdin");
    stdin.write_all(input.as_bytes()).expect("write input");
    drop(stdin);
    child.wait_with_output().expect("mpp-central ends")
}

/// A kiosk the server knows: the token it sends, the key its QR links are signed with and,
/// when given, the numbers it may print (`number_range`).
#[derive(Clone, Debug)]
pub struct KioskAccount {
    pub id: String,
    pub token: String,
    pub signing_key: String,
    pub number_range: Option<(u32, u32)>,
}

impl KioskAccount {
    pub fn new(id: &str, token: &str, signing_key: &str) -> Self {
        Self {
            id: id.into(),
            token: token.into(),
            signing_key: signing_key.into(),
            number_range: None,
        }
    }

    /// The same kiosk with `number_range = [first, last]` in the server's config.
    pub fn with_range(mut self, first: u32, last: u32) -> Self {
        self.number_range = Some((first, last));
        self
    }

    /// Its entry in the config, as a `table` (`[[kiosk]]`, or `[[mpp.kiosk]]` in a province).
    fn toml(&self, table: &str) -> String {
        let mut text = format!(
            "{table}\nid = \"{}\"\ntoken_sha256 = \"{}\"\nsigning_key = \"{}\"\n",
            self.id,
            sha256_hex(&self.token),
            self.signing_key
        );
        if let Some((first, last)) = self.number_range {
            text.push_str(&format!("number_range = [{first}, {last}]\n"));
        }
        text
    }
}

/// The counter credential `Loket 1-4` with `token`, serving DKC and KTP at [`COUNTER_POINTS`],
/// as a `table` (`[[counter]]`, or `[[mpp.counter]]` in a province).
fn counter_toml(table: &str, token: &str) -> String {
    let points: Vec<String> = COUNTER_POINTS.iter().map(|p| format!("{p:?}")).collect();
    format!(
        "{table}\nname = \"Loket 1-4\"\ntoken_sha256 = \"{}\"\n\
         points = [{}]\nqueues = [\"DKC\", \"KTP\"]\n",
        sha256_hex(token),
        points.join(", ")
    )
}

/// What a server starts with. By default: the small catalog, the kiosks [`KIOSK`] and
/// [`OTHER_KIOSK`], two counter credentials, a free port, the descriptor limit of the tests.
pub struct Builder {
    catalog: PathBuf,
    kiosks: Vec<KioskAccount>,
    /// A province's MPPs; when given, they replace the catalog, kiosks and counters.
    mpps: Vec<MppAccount>,
    /// Keep the data in a throwaway PostgreSQL cluster instead of `central.db`.
    postgres: bool,
    extra: String,
    port: Option<u16>,
    nofile: Option<u64>,
    now: Option<DateTime<Utc>>,
}

impl Builder {
    /// Starts the server's clock at `now` (`--now`); it ticks from there, across restarts. For
    /// a test whose kiosk issues at a fixed instant: the server's "today" is then the kiosk's,
    /// whatever the hour the test runs at (the real clock crosses midnight WIB at 17:00 UTC).
    pub fn now(mut self, now: DateTime<Utc>) -> Self {
        self.now = Some(now);
        self
    }

    /// Keeps the data in a throwaway PostgreSQL cluster of its own (see [`Cluster`]) instead
    /// of the SQLite file `central.db`. The default when [`BACKEND_VARIABLE`] says `postgres`.
    pub fn postgres(mut self) -> Self {
        self.postgres = true;
        self
    }

    /// A province's server: these `[[mpp]]` instead of one MPP's catalog, kiosks and
    /// counters (`extra` then goes at the top, before the first `[[mpp]]`).
    pub fn mpps(mut self, mpps: impl IntoIterator<Item = MppAccount>) -> Self {
        self.mpps = mpps.into_iter().collect();
        self
    }

    /// Publishes a copy of the catalog file at `path`.
    pub fn catalog(mut self, path: impl AsRef<Path>) -> Self {
        self.catalog = path.as_ref().to_owned();
        self
    }

    /// These kiosks instead of the two test kiosks.
    pub fn kiosks(mut self, kiosks: impl IntoIterator<Item = KioskAccount>) -> Self {
        self.kiosks = kiosks.into_iter().collect();
        self
    }

    /// TOML appended at the end of the config, after the `[[counter]]` table.
    pub fn extra(mut self, toml: &str) -> Self {
        self.extra = toml.into();
        self
    }

    /// Listens on `port` (e.g. one a kiosk was already told) instead of a free one.
    pub fn port(mut self, port: u16) -> Self {
        self.port = Some(port);
        self
    }

    /// Starts the server with this descriptor limit (`RLIMIT_NOFILE`, soft and hard), through
    /// util-linux's `prlimit`, as systemd's `LimitNOFILE=` would.
    pub fn nofile(mut self, limit: u64) -> Self {
        self.nofile = Some(limit);
        self
    }

    /// A fresh folder with the config and catalog written, and the server healthy on it.
    pub fn start(self) -> Server {
        let folder = tempfile::tempdir().expect("temp dir");
        let cluster = self.postgres.then(Cluster::start);
        let database = cluster
            .as_ref()
            .map_or_else(|| SQLITE_FILE.to_owned(), |cluster| cluster.url("mpp"));
        let port = self.write_with(folder.path(), &database);
        let mut server = Server {
            cluster,
            folder,
            port,
            nofile: self.nofile,
            clock: self.now.map(|now| (now, Instant::now())),
            child: None,
        };
        server.spawn();
        server
    }

    /// Writes `central.toml` and `catalog.json` into `folder` without starting anything, for
    /// a test that runs the binary itself (e.g. to see it refuse a configuration); the port.
    pub fn write_to(&self, folder: &Path) -> u16 {
        self.write_with(folder, SQLITE_FILE)
    }

    fn write_with(&self, folder: &Path, database: &str) -> u16 {
        let port = self.port.unwrap_or_else(free_port);
        let config = if self.mpps.is_empty() {
            std::fs::copy(&self.catalog, folder.join("catalog.json")).expect("copy catalog");
            config_text(port, database, &self.kiosks, &self.extra)
        } else {
            province::write(folder, port, database, &self.mpps, &self.extra)
        };
        std::fs::write(folder.join(CONFIG_FILE), config).expect("write config");
        port
    }
}

impl Default for Builder {
    fn default() -> Self {
        Self {
            catalog: SMALL_CATALOG.into(),
            kiosks: vec![
                KioskAccount::new(KIOSK, KIOSK_TOKEN, SIGNING_KEY),
                KioskAccount::new(OTHER_KIOSK, OTHER_KIOSK_TOKEN, OTHER_SIGNING_KEY),
            ],
            mpps: Vec::new(),
            postgres: std::env::var(BACKEND_VARIABLE).is_ok_and(|backend| backend == "postgres"),
            extra: String::new(),
            port: None,
            nofile: None,
            now: None,
        }
    }
}

fn config_text(port: u16, database: &str, kiosks: &[KioskAccount], extra: &str) -> String {
    let mut text = format!(
        "listen = \"127.0.0.1:{port}\"\n\
         database = \"{database}\"\n\
         catalog = \"catalog.json\"\n\
         name = \"MPP Uji\"\n\
         admin_token_sha256 = \"{admin}\"\n",
        admin = sha256_hex(ADMIN_TOKEN),
    );
    for kiosk in kiosks {
        text.push_str(&kiosk.toml("[[kiosk]]"));
    }
    text.push_str(&format!(
        "[[counter]]\nname = \"Loket SKC\"\ntoken_sha256 = \"{}\"\n\
         points = [\"Loket 9\"]\nqueues = [\"SKC\"]\n",
        sha256_hex(OTHER_COUNTER_TOKEN)
    ));
    text.push_str(&counter_toml("[[counter]]", COUNTER_TOKEN));
    text.push_str(&account_toml(ADMIN.name, "admin", None, ADMIN.phc));
    text.push_str(&account_toml(HEAD.name, "head", None, HEAD.phc));
    text.push_str(&account_toml(CLERK.name, "counter", None, CLERK.phc));
    text.push_str(extra);
    text
}

/// A running `mpp-central` (see the module documentation).
pub struct Server {
    /// Its PostgreSQL cluster, when it keeps its data there; stopped after the server.
    cluster: Option<Cluster>,
    folder: tempfile::TempDir,
    port: u16,
    nofile: Option<u64>,
    /// The server's clock: where it started, and when (for a restart, which keeps it going).
    clock: Option<(DateTime<Utc>, Instant)>,
    child: Option<Child>,
}

impl Server {
    /// The default server (see [`Builder`]).
    pub fn start() -> Self {
        Self::builder().start()
    }

    pub fn builder() -> Builder {
        Builder::default()
    }

    /// A file in the server's folder (`catalog.json`, `central.db`, `server.log`, ...).
    pub fn path(&self, name: &str) -> PathBuf {
        self.folder.path().join(name)
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The PostgreSQL cluster holding its data, if it is not in `central.db`.
    pub fn postgres(&self) -> Option<&Cluster> {
        self.cluster.as_ref()
    }

    /// `path` on this server, e.g. `url("/api/v1/health")`; `url("")` is the base address.
    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    /// A second process on this server's database, with its own folder and port: a province
    /// runs several behind one proxy. (Stopped when dropped; the database stays the first's.)
    pub fn sibling(&self) -> Server {
        let folder = tempfile::tempdir().expect("temp dir");
        for entry in std::fs::read_dir(self.folder.path())
            .expect("folder")
            .flatten()
        {
            let path = entry.path();
            if path
                .extension()
                .is_some_and(|extension| extension == "json")
            {
                std::fs::copy(&path, folder.path().join(entry.file_name())).expect("copy");
            }
        }
        let port = free_port();
        let config = std::fs::read_to_string(self.path(CONFIG_FILE)).expect("config");
        let config = config
            .replace(
                &format!("127.0.0.1:{}", self.port),
                &format!("127.0.0.1:{port}"),
            )
            .replace(
                &format!("database = \"{SQLITE_FILE}\""),
                &format!("database = \"{}\"", self.path(SQLITE_FILE).display()),
            );
        std::fs::write(folder.path().join(CONFIG_FILE), config).expect("write config");
        let mut sibling = Server {
            cluster: None,
            folder,
            port,
            nofile: self.nofile,
            clock: self.clock,
            child: None,
        };
        sibling.spawn();
        sibling
    }

    /// Runs `mpp-central --config <this server's config> <args>` with `input` on its standard
    /// input, as an operator beside the running server would.
    pub fn command(&self, args: &[&str], input: &str) -> std::process::Output {
        let config = self.path(CONFIG_FILE);
        let mut all = vec!["--config", config.to_str().expect("utf-8 path")];
        all.extend_from_slice(args);
        run_with_input(&all, self.folder.path(), input)
    }

    /// Kills the process and starts it again on the same folder, config and port.
    pub fn restart(&mut self) {
        self.kill();
        self.spawn();
    }

    /// Restarts the process with its clock at `now` (ticking from there): minutes pass for
    /// the server in a moment of the test's, e.g. a clerk's four minutes at the counter.
    pub fn restart_at(&mut self, now: DateTime<Utc>) {
        self.clock = Some((now, Instant::now()));
        self.restart();
    }

    /// Starts the process on the config in the folder and waits until it is healthy.
    fn spawn(&mut self) {
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.path("server.log"))
            .expect("log file");
        let mut command = match self.nofile {
            Some(limit) => {
                let mut command = Command::new("prlimit");
                command
                    .arg(format!("--nofile={limit}:{limit}"))
                    .arg("--")
                    .arg(binary());
                command
            }
            None => Command::new(binary()),
        };
        if let Some((start, began)) = self.clock {
            let now = start + began.elapsed();
            command.arg(format!("--now={}", now.to_rfc3339()));
        }
        let child = command
            .arg("--config")
            .arg(self.path(CONFIG_FILE))
            .env("MPP_CENTRAL_LOG", "info")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("start mpp-central");
        self.child = Some(child);
        self.wait_ready();
    }

    /// Blocks (briefly) even in async tests: nothing else runs while a server starts.
    fn wait_ready(&mut self) {
        let deadline = Instant::now() + READY_WITHIN;
        let address = SocketAddr::from(([127, 0, 0, 1], self.port));
        while !healthy(address) {
            if let Some(status) = self
                .child
                .as_mut()
                .and_then(|child| child.try_wait().ok().flatten())
            {
                panic!("mpp-central exited with {status}:\n{}", self.log());
            }
            assert!(
                Instant::now() < deadline,
                "mpp-central not ready:\n{}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(25));
        }
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(self.path("server.log")).unwrap_or_default()
    }

    pub fn pid(&self) -> u32 {
        self.child.as_ref().expect("running").id()
    }

    /// Resident memory of the process, from /proc (Linux), in bytes.
    pub fn rss_bytes(&self) -> Option<u64> {
        crate::rss_of(self.pid())
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

/// True when `GET /api/v1/health` answers 200. Plain HTTP/1.1 on a socket, so that starting a
/// server needs no async runtime.
fn healthy(address: SocketAddr) -> bool {
    let Ok(mut stream) = TcpStream::connect_timeout(&address, HEALTH_TIMEOUT) else {
        return false;
    };
    let request = "GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
    let mut answer = String::new();
    stream.set_read_timeout(Some(HEALTH_TIMEOUT)).is_ok()
        && stream.write_all(request.as_bytes()).is_ok()
        && stream.read_to_string(&mut answer).is_ok()
        && answer.starts_with("HTTP/1.1 200")
}
