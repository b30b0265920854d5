//! `cargo bench -p mpp-station --bench speech`: speech mode's figures (issue #27). A key's phrase asked for →
//! its first samples written to ALSA (the `null` device: the time is ours, not a sound card's),
//! p50/p99, with the phrase rendered anew (cold) and from the speaker's cache; the key presses a
//! practised visitor needs to reach each service of the shipped catalog (the worst named);
//! the memory speech mode adds. Prints figures; asserts nothing about time. Needs espeak-ng
//! and libasound2 (it says so and stops without them).

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use mpp_core::lang::Language;
use mpp_core::speech::kiosk;
use mpp_station::config::SpeechSection;
use mpp_station::speaker::Speaker;

const PHRASES: usize = 200;
const PAGE: usize = 10;

fn main() {
    if !mpp_audio::probe("null", mpp_voice::RATE).is_ready() {
        println!("speech: ALSA's null device does not open (apt-get install libasound2); skipped");
        return;
    }
    let before = resident_kb();
    let speaker = Speaker::start(&SpeechSection {
        device: "null".into(),
        ..SpeechSection::default()
    });
    for cached in [false, true] {
        let mut latencies = Vec::with_capacity(PHRASES);
        for index in 0..PHRASES {
            // Cold: another position every time; cached: the same ten items over again.
            let position = if cached { index % 10 } else { index + 1_000 };
            let phrase = kiosk::item(
                Language::Indonesian,
                position + 1,
                270,
                "Akta Kelahiran",
                None,
            );
            if cached && index < 10 {
                time_phrase(&speaker, phrase.clone());
            }
            match time_phrase(&speaker, phrase) {
                Some(latency) => latencies.push(latency),
                None => {
                    println!("speech: no sound started (is espeak-ng installed?); skipped");
                    return;
                }
            }
        }
        latencies.sort();
        let at = |p: f64| latencies[((latencies.len() as f64 - 1.0) * p).round() as usize];
        println!(
            "key → start of speech ({PHRASES} phrases, {}): p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
            if cached {
                "cached"
            } else {
                "cold: espeak-ng renders each"
            },
            ms(at(0.50)),
            ms(at(0.99)),
            ms(*latencies.last().expect("phrases"))
        );
    }
    println!(
        "memory: {} kB resident before the speaker, {} kB after {} phrases (cache included)",
        before,
        resident_kb(),
        2 * PHRASES
    );
    presses_to_every_service();
}

/// Asks for `phrase` and waits until its first samples reach the device.
fn time_phrase(speaker: &Speaker, phrase: mpp_core::speech::Utterance) -> Option<Duration> {
    let previous = speaker.last_start();
    let asked = Instant::now();
    speaker.say(phrase);
    let deadline = asked + Duration::from_secs(5);
    while Instant::now() < deadline {
        if let Some(started) = speaker.last_start()
            && Some(started) != previous
            && started >= asked
        {
            // Let it finish (the null device takes it at once) before the next key.
            while speaker.is_speaking() {
                std::thread::sleep(Duration::from_micros(200));
            }
            return Some(started - asked);
        }
        std::thread::sleep(Duration::from_micros(200));
    }
    None
}

/// For each service: the key that starts speech mode, Enter on "take a number", the moves to
/// its agency in the alphabetical list and Enter, the moves to it among the agency's services
/// (the catalog's order: a kiosk's first visitor of the day) and Enter, Enter on "regular".
fn presses_to_every_service() {
    let catalog = mpp_station::catalog_source::builtin().expect("built-in catalog");
    let mut agencies: Vec<_> = catalog.agencies.iter().collect();
    agencies.sort_by_key(|agency| agency.short_name.to_lowercase());
    let agency_labels: Vec<String> = agencies.iter().map(|a| a.short_name.clone()).collect();
    let mut worst = (0, String::new());
    let mut total = 0;
    let mut count = 0;
    for (at, agency) in agencies.iter().enumerate() {
        let services: Vec<String> = catalog
            .services_of(&agency.code)
            .map(|service| service.name.get(Language::Indonesian).to_owned())
            .collect();
        for (index, name) in services.iter().enumerate() {
            let presses = 2 + moves(&agency_labels, at) + 1 + moves(&services, index) + 2;
            total += presses;
            count += 1;
            if presses > worst.0 {
                worst = (presses, format!("{} / {name}", agency.short_name));
            }
        }
    }
    println!(
        "key presses to a service ({count} services, {} agencies): mean {:.1}, worst {} ({})",
        agencies.len(),
        total as f64 / count as f64,
        worst.0,
        worst.1
    );
}

/// The fewest moves from the first choice to `target`: next, previous, ten on or back, next or
/// previous first letter (as speech mode moves).
fn moves(labels: &[String], target: usize) -> usize {
    let letter = |at: usize| labels[at].chars().next().map(|c| c.to_ascii_uppercase());
    let last = labels.len().saturating_sub(1);
    let mut seen = vec![usize::MAX; labels.len()];
    let mut queue = VecDeque::from([0]);
    seen[0] = 0;
    while let Some(at) = queue.pop_front() {
        if at == target {
            return seen[at];
        }
        let here = letter(at);
        let mut next = vec![
            (at + 1).min(last),
            at.saturating_sub(1),
            (at + PAGE).min(last),
            at.saturating_sub(PAGE),
        ];
        if let Some(to) = (at + 1..labels.len()).find(|&i| letter(i) != here) {
            next.push(to);
        }
        if let Some(before) = (0..at).rev().find(|&i| letter(i) != here) {
            let previous = letter(before);
            let start = (0..=before)
                .rev()
                .take_while(|&i| letter(i) == previous)
                .last()
                .unwrap_or(before);
            next.push(start);
        }
        for to in next {
            if seen[to] == usize::MAX {
                seen[to] = seen[at] + 1;
                queue.push_back(to);
            }
        }
    }
    usize::MAX / 4
}

fn resident_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find_map(|line| line.strip_prefix("VmRSS:"))
                .and_then(|value| value.split_whitespace().next()?.parse().ok())
        })
        .unwrap_or(0)
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1e3
}
