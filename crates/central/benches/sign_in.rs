//! `cargo bench -p mpp-central --bench sign_in`: a real `mpp-central` on loopback (SQLite; the
//! release build when given as `MPP_CENTRAL_BINARY`). Prints the time a right sign-in takes
//! (Argon2id on the server) at p50 and p99 over 100 sequential sign-ins from a known browser;
//! and how many wrong passwords a second reach the check against one account for 20 s from one
//! client address and from 1,000 (127.0.0.0/8 addresses), guessing as fast as 8 connections
//! can. Asserts only that the right password still gets in from the owner's browser afterwards.

use std::net::{IpAddr, Ipv4Addr};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use mpp_testkit::central::*;

const SIGN_INS: usize = 100;
const GUESSING: Duration = Duration::from_secs(20);
const CONNECTIONS: usize = 8;

fn main() {
    let server = Server::start();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    println!("server: {}", binary().display());
    runtime.block_on(async {
        let first = sign_in(&server, HEAD.name, HEAD.password).await;
        let device = cookie_named(&first, DEVICE_COOKIE).expect("device cookie");
        let mut times = Vec::with_capacity(SIGN_INS);
        for _ in 0..SIGN_INS {
            let started = Instant::now();
            let answer = sign_in_from(&server, HEAD.name, HEAD.password, Some(&device)).await;
            assert_eq!(answer.status(), 303);
            times.push(started.elapsed());
        }
        times.sort();
        let at = |share: f64| times[((times.len() as f64 * share) as usize).min(times.len() - 1)];
        println!(
            "right sign-in (Argon2id m=19 MiB t=2): p50 {:.1} ms, p99 {:.1} ms",
            at(0.50).as_secs_f64() * 1000.0,
            at(0.99).as_secs_f64() * 1000.0
        );
        for addresses in [1usize, 1000] {
            let (checked, refused) = guess(&server, addresses).await;
            println!(
                "{addresses} address(es), {CONNECTIONS} connections, {} s: {:.2} wrong passwords \
                 checked a second ({checked} in all), {refused} refused unchecked",
                GUESSING.as_secs(),
                checked as f64 / GUESSING.as_secs_f64()
            );
            // The owner signs in: the account starts afresh for the next measurement.
            let own = sign_in_from(&server, HEAD.name, HEAD.password, Some(&device)).await;
            assert_eq!(own.status(), 303, "the owner's browser gets in");
        }
    });
}

/// Guesses the head's password from `addresses` loopback addresses for [`GUESSING`]: how many
/// guesses were checked (401) and how many refused without a check (429).
async fn guess(server: &Server, addresses: usize) -> (u64, u64) {
    let checked = Arc::new(AtomicU64::new(0));
    let refused = Arc::new(AtomicU64::new(0));
    let until = Instant::now() + GUESSING;
    let mut tasks = Vec::new();
    for connection in 0..CONNECTIONS {
        let (checked, refused) = (Arc::clone(&checked), Arc::clone(&refused));
        let url = server.url("/login");
        tasks.push(tokio::spawn(async move {
            let mut n = connection;
            while Instant::now() < until {
                let address = 1 + (n % addresses) as u32;
                let local = Ipv4Addr::from(0x7f00_0000 + 256 + address);
                let client = reqwest::Client::builder()
                    .local_address(IpAddr::V4(local))
                    .redirect(reqwest::redirect::Policy::none())
                    .build()
                    .expect("client");
                let answer = client
                    .post(&url)
                    .header("content-type", "application/x-www-form-urlencoded")
                    .body(format!("name={}&password=guess-{n}", HEAD.name))
                    .send()
                    .await;
                match answer.map(|answer| answer.status().as_u16()) {
                    Ok(401) => checked.fetch_add(1, Ordering::Relaxed),
                    Ok(429) => refused.fetch_add(1, Ordering::Relaxed),
                    _ => 0,
                };
                n += CONNECTIONS;
            }
        }));
    }
    for task in tasks {
        task.await.expect("guessing task");
    }
    (
        checked.load(Ordering::Relaxed),
        refused.load(Ordering::Relaxed),
    )
}
