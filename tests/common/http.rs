//! HTTP as the sync tests speak it beside the kiosk's own client: one request read off a raw
//! socket (for stand-in servers and proxies), and what a real `mpp-central` says it holds.

use mpp_core::protocol::QueueReport;
use mpp_testkit::central::{Server, get_as};
use tokio::io::AsyncReadExt;

/// Reads one request off `stream` by its Content-Length: its request line and headers, and
/// its body; `None` where the stream ends (or fails) before the whole request came.
pub async fn read_request(stream: &mut tokio::net::TcpStream) -> Option<(String, Vec<u8>)> {
    let mut seen = Vec::new();
    let mut buffer = [0u8; 8192];
    while let Ok(read @ 1..) = stream.read(&mut buffer).await {
        seen.extend_from_slice(&buffer[..read]);
        let text = String::from_utf8_lossy(&seen).into_owned();
        let Some(end) = text.find("\r\n\r\n") else {
            continue;
        };
        let length = text[..end]
            .lines()
            .find_map(|line| {
                let line = line.to_ascii_lowercase();
                line.strip_prefix("content-length:")
                    .and_then(|value| value.trim().parse::<usize>().ok())
            })
            .unwrap_or(0);
        if seen.len() >= end + 4 + length {
            return Some((
                text[..end].to_owned(),
                seen[end + 4..end + 4 + length].to_vec(),
            ));
        }
    }
    None
}

/// Tickets `central` knows for `day` while nobody has been served: the waiting in its queue
/// report, asked for with a kiosk's `token`.
pub async fn tickets_known(central: &Server, day: &str, token: &str) -> u32 {
    let path = format!("/api/v1/queues?day={day}");
    let report: QueueReport = get_as(central, &path, token)
        .await
        .json()
        .await
        .expect("a queue report");
    report
        .queues
        .iter()
        .map(|queue| queue.waiting_regular + queue.waiting_priority)
        .sum()
}
