//! Under systemd (`Type=notify`) the real server says READY=1 only once it answers on its port,
//! and STOPPING=1 when told to stop; without `$NOTIFY_SOCKET` it says nothing and runs the same
//! (every other test).

use std::net::{SocketAddr, TcpStream};
use std::os::unix::net::UnixDatagram;
use std::process::{Command, Stdio};
use std::time::Duration;

use mpp_testkit::central::{Builder, CONFIG_FILE};

const BINARY: &str = env!("CARGO_BIN_EXE_mpp-central");
/// Long enough for a debug build to open its database on a busy two-core machine.
const WITHIN: Duration = Duration::from_secs(60);

#[test]
fn ready_is_sent_once_the_port_answers_and_stopping_on_sigterm() {
    let folder = tempfile::tempdir().expect("temp dir");
    let port = Builder::default().write_to(folder.path());
    let socket_path = folder.path().join("notify");
    let socket = UnixDatagram::bind(&socket_path).expect("notify socket");
    socket.set_read_timeout(Some(WITHIN)).expect("timeout");
    let log = folder.path().join("server.log");
    let mut server = Command::new(BINARY)
        .arg("--config")
        .arg(folder.path().join(CONFIG_FILE))
        .env("NOTIFY_SOCKET", &socket_path)
        .env("MPP_CENTRAL_LOG", "info")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&log).expect("log"))
        .spawn()
        .expect("start mpp-central");

    let said = || std::fs::read_to_string(&log).unwrap_or_default();
    let ready = receive(&socket).unwrap_or_else(|| panic!("no READY=1:\n{}", said()));
    let address = SocketAddr::from(([127, 0, 0, 1], port));
    let answers = TcpStream::connect_timeout(&address, Duration::from_secs(2)).is_ok();
    Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status()
        .expect("kill");
    let stopping = receive(&socket).unwrap_or_else(|| panic!("no STOPPING=1:\n{}", said()));
    let status = server.wait().expect("wait");

    assert!(ready.lines().any(|line| line == "READY=1"), "{ready:?}");
    assert!(
        ready.contains(&format!("STATUS=listening on http://127.0.0.1:{port}")),
        "{ready:?}"
    );
    assert!(answers, "READY=1 came before the port answered");
    assert!(
        stopping.lines().any(|line| line == "STOPPING=1"),
        "{stopping:?}"
    );
    assert!(status.success(), "{status}");
}

fn receive(socket: &UnixDatagram) -> Option<String> {
    let mut buffer = [0u8; 4096];
    let length = socket.recv(&mut buffer).ok()?;
    Some(String::from_utf8_lossy(&buffer[..length]).into_owned())
}
