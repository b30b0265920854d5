//! The real `mpp-central` with the demo secrets its own shipped file publishes: refused on an
//! address the network reaches (naming each key and line), started with
//! `--allow-demo-secrets`, and started with a warning on loopback, in the log and on /fleet.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

const SHIPPED: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../mpp-central.toml"
));
const BINARY: &str = env!("CARGO_BIN_EXE_mpp-central");

/// The shipped demo file listening on `listen`, with its data in `folder`.
fn demo_config(folder: &Path, listen: &str) -> PathBuf {
    let catalog = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/catalog.json");
    std::fs::copy(catalog, folder.join("catalog.json")).expect("copy the catalog");
    let text = SHIPPED
        .replace(
            "listen = \"127.0.0.1:8787\"",
            &format!("listen = \"{listen}\""),
        )
        .replace("database = \"var/central.db\"", "database = \"central.db\"")
        .replace(
            "catalog = \"assets/catalog.json\"",
            "catalog = \"catalog.json\"",
        );
    assert!(
        text.contains(listen),
        "the shipped file changed its listen line"
    );
    let path = folder.join("mpp-central.toml");
    std::fs::write(&path, text).expect("write the config");
    path
}

/// A fresh folder with the demo file listening on `host` at a free port: folder, port, file.
fn demo_folder(host: &str) -> (tempfile::TempDir, u16, PathBuf) {
    let folder = tempfile::tempdir().expect("temp dir");
    let port = mpp_testkit::free_port();
    let config = demo_config(folder.path(), &format!("{host}:{port}"));
    (folder, port, config)
}

/// Kills the server; what it logged.
fn stop(mut child: Child, log: &Path) -> String {
    let _ = child.kill();
    let _ = child.wait();
    std::fs::read_to_string(log).expect("log")
}

fn start(config: &Path, extra: &[&str], log: &Path) -> Child {
    Command::new(BINARY)
        .arg("--config")
        .arg(config)
        .args(extra)
        .env("MPP_CENTRAL_LOG", "info")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(log).expect("log"))
        .spawn()
        .expect("start mpp-central")
}

fn wait_exit(child: &mut Child, within: Duration) -> Option<ExitStatus> {
    let deadline = Instant::now() + within;
    while Instant::now() < deadline {
        if let Some(status) = child.try_wait().expect("wait") {
            return Some(status);
        }
        std::thread::sleep(Duration::from_millis(25));
    }
    None
}

/// The whole answer to a GET of `path` with `headers`, or `None` when there is none.
fn get(port: u16, path: &str, headers: &str) -> Option<String> {
    let address = SocketAddr::from(([127, 0, 0, 1], port));
    let mut stream = TcpStream::connect_timeout(&address, Duration::from_secs(1)).ok()?;
    let request = format!("GET {path} HTTP/1.1\r\nHost: x\r\n{headers}Connection: close\r\n\r\n");
    let mut answer = String::new();
    stream.set_read_timeout(Some(Duration::from_secs(2))).ok()?;
    stream.write_all(request.as_bytes()).ok()?;
    stream.read_to_string(&mut answer).ok()?;
    Some(answer)
}

fn healthy(port: u16) -> bool {
    get(port, "/api/v1/health", "").is_some_and(|answer| answer.starts_with("HTTP/1.1 200"))
}

/// Waits until the server answers, failing if it exits first.
fn expect_serving(child: &mut Child, port: u16, log: &Path) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while !healthy(port) {
        let said = || std::fs::read_to_string(log).unwrap_or_default();
        if let Some(status) = child.try_wait().expect("wait") {
            panic!("mpp-central exited with {status}:\n{}", said());
        }
        assert!(Instant::now() < deadline, "not serving:\n{}", said());
        std::thread::sleep(Duration::from_millis(25));
    }
}

fn line_of(text: &str, start: &str) -> usize {
    text.lines()
        .position(|line| line.starts_with(start))
        .expect("present")
        + 1
}

#[test]
fn demo_secrets_beyond_loopback_are_refused_unless_allowed() {
    let (folder, port, config) = demo_folder("0.0.0.0");
    let log = folder.path().join("refused.log");
    let mut child = start(&config, &[], &log);
    let status = wait_exit(&mut child, Duration::from_secs(30));
    let said = std::fs::read_to_string(&log).expect("log");
    assert_eq!(status.and_then(|s| s.code()), Some(1), "{said}");
    let text = std::fs::read_to_string(&config).expect("config");
    let key_line = line_of(&text, "signing_key = ");
    for expected in [
        format!("line {key_line}, key `kiosk[0].signing_key`"),
        "key `admin_token_sha256`".to_owned(),
        "key `kiosk[0].token_sha256`".to_owned(),
        "key `counter[0].token_sha256`".to_owned(),
        format!("0.0.0.0:{port}"),
        "--allow-demo-secrets".to_owned(),
    ] {
        assert!(said.contains(&expected), "{expected:?} in:\n{said}");
    }
    assert!(!healthy(port));

    let log = folder.path().join("allowed.log");
    let mut child = start(&config, &["--allow-demo-secrets"], &log);
    expect_serving(&mut child, port, &log);
    let said = stop(child, &log);
    assert!(said.contains("published demo secret"), "{said}");
}

#[test]
fn demo_secrets_on_loopback_start_with_a_warning() {
    let (folder, port, config) = demo_folder("127.0.0.1");
    let log = folder.path().join("loopback.log");
    let mut child = start(&config, &[], &log);
    expect_serving(&mut child, port, &log);
    let fleet = get(port, "/fleet", "Authorization: Bearer demo-admin-token\r\n");
    let said = stop(child, &log);
    assert!(
        said.contains("WARN") && said.contains("kiosk[0].signing_key"),
        "{said}"
    );
    // The staff page says it too, naming each key and never a secret's value.
    let fleet = fleet.expect("the fleet page answers");
    assert!(fleet.starts_with("HTTP/1.1 200"), "{fleet}");
    let warning = fleet
        .split("class=\"card demo-secrets\"")
        .nth(1)
        .and_then(|rest| rest.split("</div>").next())
        .unwrap_or_else(|| panic!("no demo-secret warning on /fleet:\n{fleet}"));
    for key in [
        "admin_token_sha256",
        "kiosk[0].token_sha256",
        "kiosk[0].signing_key",
    ] {
        assert!(warning.contains(key), "{key} not named:\n{warning}");
    }
    assert!(!fleet.contains("demo-signing-key-change-me"), "{fleet}");
}
