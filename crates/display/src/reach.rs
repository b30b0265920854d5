//! Whether the configured server takes a connection, for `mpp-display check`: a technician
//! behind the TV learns at once that a wrong address or a closed port would leave the screen
//! blank; and at start the display waits for its server. (Once open, the page reconnects on
//! its own when the server comes back.)

use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::time::Duration;

use crate::config::address;

/// How long to wait between attempts while the server is not there.
const RETRY_EVERY: Duration = Duration::from_secs(2);
/// How often a server still missing is logged again.
const LOG_EVERY: u32 = 30;
/// How long one connection attempt may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(3);

/// The address that took a connection, or why none did.
pub fn server(url: &str) -> Result<SocketAddr, String> {
    let address = address(url)?;
    let target = with_port(address.authority, address.scheme);
    let candidates: Vec<SocketAddr> = target
        .to_socket_addrs()
        .map_err(|error| format!("cannot resolve {target}: {error}"))?
        .collect();
    let mut last = format!("{target} has no address");
    for candidate in candidates {
        match TcpStream::connect_timeout(&candidate, CONNECT_TIMEOUT) {
            Ok(_) => return Ok(candidate),
            Err(error) => last = format!("cannot connect to {candidate}: {error}"),
        }
    }
    Err(last)
}

/// Returns once the server of `url` takes a connection, trying every [`RETRY_EVERY`]: at
/// boot the TV is often up before the server (after a power cut both start at once), and
/// Chromium would keep its error page.
pub fn wait_for_server(url: &str) {
    for attempt in 0u32.. {
        match server(url) {
            Ok(address) => {
                if attempt > 0 {
                    tracing::info!(%address, "the server answers now");
                }
                return;
            }
            Err(why) if attempt % LOG_EVERY == 0 => {
                tracing::warn!(%why, "waiting for the server before opening the page")
            }
            Err(_) => {}
        }
        std::thread::sleep(RETRY_EVERY);
    }
}

/// `host:port` for an authority, with the scheme's port when none is written (and any
/// `user@` left out).
fn with_port(authority: &str, scheme: &str) -> String {
    let host = authority.rsplit('@').next().unwrap_or(authority);
    let has_port = match host.rfind(']') {
        Some(bracket) => host[bracket..].contains(':'),
        None => host.contains(':'),
    };
    if has_port {
        host.to_owned()
    } else {
        let port = if scheme == "https" { 443 } else { 80 };
        format!("{host}:{port}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_schemes_port_is_added_when_none_is_written() {
        assert_eq!(with_port("mpp.local", "http"), "mpp.local:80");
        assert_eq!(with_port("mpp.local", "https"), "mpp.local:443");
        assert_eq!(with_port("10.0.0.2:8080", "http"), "10.0.0.2:8080");
        assert_eq!(with_port("[::1]", "http"), "[::1]:80");
        assert_eq!(with_port("[::1]:8080", "http"), "[::1]:8080");
        assert_eq!(with_port("tv@mpp.local", "https"), "mpp.local:443");
    }

    #[test]
    fn a_listening_server_is_reached_and_a_closed_port_is_not() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("listen");
        let port = listener.local_addr().expect("address").port();
        let url = format!("http://127.0.0.1:{port}/display");
        assert_eq!(server(&url).expect("reached").port(), port);
        drop(listener);
        let why = server(&url).expect_err("closed");
        assert!(why.contains(&format!("127.0.0.1:{port}")), "{why}");
    }
}
