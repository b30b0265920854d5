//! Crash durability: a child process issues tickets as fast as it can and is killed with SIGKILL
//! at random moments, again and again. Afterwards the database must be intact, no number may
//! appear twice, each queue's numbers must be contiguous, and every ticket the child reported as
//! committed must be there.

use std::collections::{BTreeMap, HashSet};
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use crate::common::{KIOSK_BINARY, configured};
use mpp_core::ticket::Ticket;
use mpp_station::store::Store;

const KILLS: usize = 60;
/// The kill moments' seed unless `CRASH_SEED` names another (to explore): the same moments,
/// after the same head start, on every run.
const SEED: u64 = 1;

#[test]
fn sigkill_in_the_middle_of_issuing_loses_and_duplicates_nothing() {
    let (folder, config) = configured("");
    let seed = std::env::var("CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(SEED);
    println!("CRASH_SEED={seed}");
    let mut random = fastrand::Rng::with_seed(seed);
    let mut reported: HashSet<String> = HashSet::new();
    let mut kills_mid_stream = 0;
    for round in 0..KILLS {
        // Two services without quota in two queues, alternating, so more than one counter moves.
        let service = if round % 2 == 0 { "DKC-KK" } else { "SAM-PKB" };
        let mut child = Command::new(KIOSK_BINARY)
            .args(["--config", config.to_str().expect("utf-8 path")])
            .args(["--now", "2026-11-23T02:00:00Z", "ticket", "issue", "--json"])
            .args(["--service", service, "--count", "100000"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start the kiosk");
        let stdout = child.stdout.take().expect("stdout");
        let (lines, received) = mpsc::channel();
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = lines.send(line);
            }
        });
        std::thread::sleep(Duration::from_millis(random.u64(5..150)));
        child.kill().expect("SIGKILL");
        let _ = child.wait();
        reader.join().expect("reader");
        let before = reported.len();
        for line in received.try_iter() {
            let ticket: Ticket =
                serde_json::from_str(&line).expect("each reported line is a whole ticket");
            reported.insert(ticket.id.to_string());
        }
        kills_mid_stream += usize::from(reported.len() > before);
    }
    assert!(
        kills_mid_stream >= KILLS / 2,
        "most kills should land while tickets were being issued"
    );

    let store =
        Store::open(&folder.path().join("kiosk.db")).expect("the database opens after the kills");
    assert_eq!(store.integrity_check().expect("integrity check"), "ok");
    let tickets = store
        .tickets_on("2026-11-23".parse().expect("day"))
        .expect("tickets");
    let stored: HashSet<&str> = tickets.iter().map(|t| t.id.as_str()).collect();
    for id in &reported {
        assert!(
            stored.contains(id.as_str()),
            "ticket {id} was reported committed but is missing"
        );
    }
    let mut by_queue: BTreeMap<&str, Vec<u32>> = BTreeMap::new();
    let mut numbers = HashSet::new();
    for ticket in &tickets {
        assert!(
            numbers.insert(&ticket.number),
            "{} appears twice",
            ticket.number
        );
        by_queue
            .entry(&ticket.queue)
            .or_default()
            .push(ticket.sequence);
    }
    for (queue, mut sequences) in by_queue {
        sequences.sort_unstable();
        let expected: Vec<u32> = (1..=sequences.len() as u32).collect();
        assert_eq!(
            sequences, expected,
            "queue {queue} has a gap or does not start at 1"
        );
    }
    let depth = store.outbox_depth().expect("outbox");
    assert_eq!(
        depth.unsent as usize,
        tickets.len(),
        "every ticket has its outbox row"
    );
    println!(
        "{} tickets after {KILLS} kills; {} reported by the child",
        tickets.len(),
        reported.len()
    );
}
