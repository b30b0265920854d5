//! Tests of the printer simulator itself: raw bytes written to the pty with `serialport`, checking
//! what the simulator decoded and what it answered.

use std::io::{ErrorKind, Read, Write};
use std::path::Path;
use std::time::{Duration, Instant};

use mpp_testkit::printer_sim::{Condition, CutKind, PrintedJob, PrintedLine, PrinterSim};
use serialport::{ClearBuffer, SerialPort, TTYPort};
use tempfile::TempDir;

const WAIT: Duration = Duration::from_secs(5);

/// A simulator with its link in a fresh temporary folder (dropped after the simulator).
struct Rig {
    sim: PrinterSim,
    _dir: TempDir,
}

fn rig() -> Rig {
    let dir = tempfile::tempdir().expect("temp dir");
    let sim = PrinterSim::start(&dir.path().join("kiosk-printer"));
    Rig { sim, _dir: dir }
}

fn open(path: &Path) -> serialport::Result<TTYPort> {
    serialport::new(path.to_str().expect("utf-8 path"), 9600)
        .timeout(Duration::from_millis(500))
        .open_native()
}

fn open_ok(path: &Path) -> TTYPort {
    open(path).expect("open the simulated printer")
}

/// Sends `DLE EOT n` and reads one byte; None when nothing came within the port timeout.
fn query(port: &mut TTYPort, n: u8) -> Option<u8> {
    port.write_all(&[0x10, 0x04, n]).expect("write DLE EOT");
    let mut reply = [0u8; 1];
    match port.read(&mut reply) {
        Ok(1) => Some(reply[0]),
        Ok(_) => None,
        Err(error) if error.kind() == ErrorKind::TimedOut => None,
        Err(error) => panic!("read status: {error}"),
    }
}

const URL: &str = "https://mpp.example.go.id/t/0193A-001?s=ab12";

fn qr_store(data: &str) -> Vec<u8> {
    let len = data.len() + 3;
    let mut bytes = vec![
        0x1D,
        0x28,
        0x6B,
        (len % 256) as u8,
        (len / 256) as u8,
        0x31,
        0x50,
        0x30,
    ];
    bytes.extend_from_slice(data.as_bytes());
    bytes
}

/// A hand-written ticket: init, code page, centred bold title, a big number, a WPC1252 'é',
/// a QR code (model 2, size 6, EC M), feed, partial cut with feed.
fn ticket_bytes() -> Vec<u8> {
    let mut b = Vec::new();
    b.extend_from_slice(&[0x1B, 0x40]); // ESC @
    b.extend_from_slice(&[0x1B, 0x74, 16]); // ESC t 16 (WPC1252)
    b.extend_from_slice(&[0x1B, 0x61, 0x01]); // centre
    b.extend_from_slice(&[0x1B, 0x45, 0x01]); // bold on
    b.extend_from_slice(b"MAL PELAYANAN PUBLIK\n");
    b.extend_from_slice(&[0x1B, 0x45, 0x00]); // bold off
    b.extend_from_slice(&[0x1D, 0x21, 0x33]); // 4x4
    b.extend_from_slice(b"A-001\r\n");
    b.extend_from_slice(&[0x1D, 0x21, 0x00]);
    b.extend_from_slice(&[0x1B, 0x61, 0x00]); // left
    b.extend_from_slice(b"Caf\xE9 ");
    b.extend_from_slice(&[0x1B, 0x21, 0x08]); // ESC ! bold
    b.extend_from_slice(b"buka\n");
    b.extend_from_slice(&[0x1B, 0x21, 0x00]);
    b.extend_from_slice(&[0x1B, 0x61, 0x01]);
    b.extend_from_slice(&[0x1D, 0x28, 0x6B, 0x04, 0x00, 0x31, 0x41, 0x32, 0x00]); // model 2
    b.extend_from_slice(&[0x1D, 0x28, 0x6B, 0x03, 0x00, 0x31, 0x43, 0x06]); // module 6
    b.extend_from_slice(&[0x1D, 0x28, 0x6B, 0x03, 0x00, 0x31, 0x45, 0x31]); // EC M
    b.extend_from_slice(&qr_store(URL));
    b.extend_from_slice(&[0x1D, 0x28, 0x6B, 0x03, 0x00, 0x31, 0x51, 0x30]); // print
    b.extend_from_slice(&[0x1B, 0x64, 0x02]); // ESC d 2
    b.extend_from_slice(&[0x1D, 0x56, 66, 3]); // GS V 66 3: feed + partial cut
    b
}

fn expected_ticket() -> PrintedJob {
    PrintedJob {
        lines: vec![
            PrintedLine::new("MAL PELAYANAN PUBLIK", true, 1, 1, 1),
            PrintedLine::new("A-001", false, 1, 4, 4),
            PrintedLine::new("Café buka", true, 0, 1, 1),
            PrintedLine::new("", false, 1, 1, 1),
            PrintedLine::new("", false, 1, 1, 1),
        ],
        qr_codes: vec![URL.into()],
        qr_model: Some(2),
        qr_module_size: Some(6),
        qr_error_correction: Some(0x31),
        cut: Some(CutKind::Partial),
        images: 0,
        complete: true,
        code_page: Some(16),
        non_ascii_bytes: 1,
        unknown_commands: Vec::new(),
    }
}

#[test]
fn decodes_a_hand_written_ticket() {
    let rig = rig();
    let mut port = open_ok(&rig.sim.device_path());
    let bytes = ticket_bytes();
    port.write_all(&bytes).expect("write ticket");

    let jobs = rig.sim.wait_for_jobs(1, WAIT);
    assert_eq!(jobs.len(), 1);
    let job = &jobs[0];
    assert_eq!(job, &expected_ticket());
    assert_eq!(
        job.text(),
        "MAL PELAYANAN PUBLIK\nA-001\nCafé buka\n\n",
        "text() joins the lines"
    );
    assert_eq!(rig.sim.received(), bytes);
    assert_eq!(rig.sim.status_queries(), 0);
    assert_eq!(
        rig.sim.current_job(),
        PrintedJob::default(),
        "nothing after the cut"
    );
}

#[test]
fn utf8_sent_raw_is_counted_and_printed_as_pc437_garbage() {
    let rig = rig();
    let mut port = open_ok(&rig.sim.device_path());
    // No ESC t: the printer is in PC437; "é" in UTF-8 is C3 A9.
    port.write_all("Café\n\x1dV\x00".as_bytes()).expect("write");
    let jobs = rig.sim.wait_for_jobs(1, WAIT);
    assert_eq!(jobs[0].lines[0].text, "Caf├⌐");
    assert_eq!(jobs[0].non_ascii_bytes, 2);
    assert_eq!(jobs[0].code_page, None);
    assert_eq!(jobs[0].cut, Some(CutKind::Full));
}

#[test]
fn status_replies_for_every_condition() {
    let rig = rig();
    let mut port = open_ok(&rig.sim.device_path());
    let table = [
        (Condition::Ready, [0x12, 0x12, 0x12, 0x12]),
        (Condition::PaperNearEnd, [0x12, 0x12, 0x12, 0x1E]),
        (Condition::PaperOut, [0x1A, 0x32, 0x12, 0x7E]),
        (Condition::CoverOpen, [0x1A, 0x16, 0x12, 0x12]),
        (Condition::CutterError, [0x1A, 0x52, 0x1A, 0x12]),
    ];
    for (condition, expected) in table {
        rig.sim.set(condition);
        for (n, &byte) in (1u8..=4).zip(expected.iter()) {
            let started = Instant::now();
            assert_eq!(query(&mut port, n), Some(byte), "{condition:?}, n = {n}");
            assert!(
                started.elapsed() < Duration::from_millis(100),
                "answered at once"
            );
        }
    }
    assert_eq!(rig.sim.status_queries(), 20);
    assert!(rig.sim.jobs().is_empty());
    assert!(rig.sim.current_job().unknown_commands.is_empty());
}

#[test]
fn silent_printer_never_answers_and_prints_nothing() {
    let rig = rig();
    let mut port = open_ok(&rig.sim.device_path());
    rig.sim.set(Condition::Silent);
    let started = Instant::now();
    assert_eq!(query(&mut port, 1), None);
    assert!(started.elapsed() >= Duration::from_millis(450));
    assert_eq!(rig.sim.status_queries(), 1, "the request arrived");

    port.write_all(b"\x1b@hello\n\x1dV\x01").expect("write");
    let jobs = rig.sim.wait_for_jobs(1, WAIT);
    assert_eq!(jobs.len(), 1);
    assert!(!jobs[0].complete);
    assert_eq!(jobs[0].cut, Some(CutKind::Partial));
    let mut stray = [0u8; 8];
    assert!(port.read(&mut stray).is_err(), "nothing comes back");

    rig.sim.set(Condition::Ready);
    assert_eq!(query(&mut port, 1), Some(0x12));
}

#[test]
fn set_after_runs_out_of_paper_mid_job() {
    let rig = rig();
    let mut port = open_ok(&rig.sim.device_path());
    let bytes = ticket_bytes();
    rig.sim.set_after(30, Condition::PaperOut);
    port.write_all(&bytes).expect("write");
    let jobs = rig.sim.wait_for_jobs(1, WAIT);
    assert_eq!(jobs.len(), 1);
    assert!(!jobs[0].complete);
    assert_eq!(jobs[0].text(), expected_ticket().text(), "still decoded");
    assert_eq!(rig.sim.condition(), Condition::PaperOut);
    assert_eq!(query(&mut port, 4), Some(0x7E));
    assert_eq!(query(&mut port, 1), Some(0x1A));

    // Set-up bytes and status queries while offline do not spoil the next job.
    port.write_all(&[0x1B, 0x40, 0x10, 0x04, 0x04])
        .expect("write");
    assert_eq!(port.read(&mut [0u8; 1]).expect("reply"), 1);
    rig.sim.set(Condition::Ready);
    port.write_all(&bytes).expect("write");
    let jobs = rig.sim.wait_for_jobs(2, WAIT);
    assert_eq!(jobs.len(), 2);
    assert_eq!(jobs[1], expected_ticket());
}

#[test]
fn set_after_switches_at_the_exact_byte() {
    let rig = rig();
    let mut port = open_ok(&rig.sim.device_path());
    // 5 bytes in Ready: the first job is whole; the switch happens before the next job.
    rig.sim.set_after(5, Condition::CoverOpen);
    port.write_all(b"a\n\x1dV\x00b\n\x1dV\x00").expect("write");
    let jobs = rig.sim.wait_for_jobs(2, WAIT);
    assert_eq!(jobs.len(), 2);
    assert!(jobs[0].complete);
    assert!(!jobs[1].complete);
    assert_eq!(rig.sim.condition(), Condition::CoverOpen);

    // One byte short: the cut arrives offline.
    rig.sim.set(Condition::Ready);
    rig.sim.set_after(4, Condition::CutterError);
    port.write_all(b"c\n\x1dV\x00").expect("write");
    let jobs = rig.sim.wait_for_jobs(3, WAIT);
    assert!(!jobs[2].complete);
}

#[test]
fn unplug_removes_the_device_and_replug_brings_a_new_one() {
    let rig = rig();
    let path = rig.sim.device_path();
    let mut port = open_ok(&path);
    rig.sim.set(Condition::PaperNearEnd);
    assert_eq!(query(&mut port, 4), Some(0x1E));
    let first_pty = rig.sim.pty_name().expect("plugged");

    port.write_all(b"half a tic").expect("write");
    assert_eq!(rig.sim.wait_for_bytes(13, WAIT), 13);
    rig.sim.unplug();
    assert!(!rig.sim.is_plugged());
    assert!(path.symlink_metadata().is_err(), "the link is gone");
    assert!(!Path::new(&first_pty).exists(), "the pty slave is gone");
    let write = port.write(b"more");
    assert_eq!(
        write.expect_err("write after unplug").kind(),
        ErrorKind::BrokenPipe
    );
    assert_eq!(
        port.read(&mut [0u8; 4])
            .expect_err("read after unplug")
            .kind(),
        ErrorKind::BrokenPipe
    );
    assert!(open(&path).is_err());
    let jobs = rig.sim.jobs();
    assert_eq!(jobs.len(), 1, "the job in progress is recorded");
    assert_eq!(jobs[0].cut, None);
    assert!(!jobs[0].complete);
    assert_eq!(jobs[0].text(), "half a tic");
    rig.sim.send_raw(b"dropped");

    rig.sim.replug();
    assert!(rig.sim.is_plugged());
    assert!(path.exists());
    drop(port);
    let mut port = open_ok(&path);
    assert_eq!(query(&mut port, 4), Some(0x1E), "same condition as before");
    port.write_all(b"whole\n\x1dV\x01").expect("write");
    let jobs = rig.sim.wait_for_jobs(2, WAIT);
    assert_eq!(jobs.len(), 2);
    assert_eq!(jobs[1].text(), "whole");
    assert!(jobs[1].complete);
    assert_eq!(rig.sim.status_queries(), 2);
}

#[test]
fn a_command_split_across_writes_decodes_the_same() {
    let bytes = ticket_bytes();
    // Split inside: ESC t, GS !, the QR store header, the QR data, GS V 66 n.
    let qr_at = bytes
        .windows(3)
        .position(|w| w == [0x31, 0x50, 0x30])
        .expect("QR store");
    let splits = [
        3,
        bytes.len() - 1,
        bytes.len() - 2,
        qr_at - 2,
        qr_at + 10,
        bytes.iter().position(|&b| b == 0x1D).expect("GS") + 1,
    ];
    for split in splits {
        let rig = rig();
        let mut port = open_ok(&rig.sim.device_path());
        port.write_all(&bytes[..split]).expect("write");
        assert_eq!(rig.sim.wait_for_bytes(split, WAIT), split);
        std::thread::sleep(Duration::from_millis(20));
        port.write_all(&bytes[split..]).expect("write");
        let jobs = rig.sim.wait_for_jobs(1, WAIT);
        assert_eq!(jobs, vec![expected_ticket()], "split at {split}");
    }

    // And one byte per read.
    let rig = rig();
    let mut port = open_ok(&rig.sim.device_path());
    for (i, byte) in bytes.iter().enumerate() {
        port.write_all(&[*byte]).expect("write");
        assert_eq!(rig.sim.wait_for_bytes(i + 1, WAIT), i + 1);
    }
    assert_eq!(rig.sim.wait_for_jobs(1, WAIT), vec![expected_ticket()]);
}

#[test]
fn status_query_split_across_writes_is_answered() {
    let rig = rig();
    let mut port = open_ok(&rig.sim.device_path());
    port.write_all(&[0x10]).expect("write");
    assert_eq!(rig.sim.wait_for_bytes(1, WAIT), 1);
    port.write_all(&[0x04]).expect("write");
    assert_eq!(rig.sim.wait_for_bytes(2, WAIT), 2);
    port.write_all(&[0x02]).expect("write");
    let mut reply = [0u8; 1];
    port.read_exact(&mut reply).expect("reply");
    assert_eq!(reply, [0x12]);
}

#[test]
fn unknown_commands_and_garbage_are_recorded_not_fatal() {
    let rig = rig();
    let mut port = open_ok(&rig.sim.device_path());
    let mut b = Vec::new();
    b.extend_from_slice(&[0x1B, 0x7E]); // ESC ~: unknown
    b.extend_from_slice(&[0x1B, 0x2D, 0x31]); // ESC - 1 (underline): known length, not decoded
    b.extend_from_slice(&[0x1D, 0x7F]); // GS DEL
    b.extend_from_slice(&[0x1C, 0x2E]); // FS .
    b.push(0x01); // stray control byte
    b.extend_from_slice(&[0x1D, 0x21, 0x99]); // GS ! out of range: ignored
    b.extend_from_slice(&[0x1D, 0x6B, 0x04]); // GS k 4 (CODE39) ... NUL
    b.extend_from_slice(b"*123*\x00");
    b.extend_from_slice(&[0x1D, 0x28, 0x6B, 0x03, 0x00, 0x30, 0x41, 0x00]); // PDF417 setting
    b.extend_from_slice(b"after garbage\n");
    b.extend_from_slice(b"oops\x1dV\x00\n"); // a cut mid-line is ignored by printers
    b.extend_from_slice(&[0x1D, 0x76, 0x30, 0x00, 0x02, 0x00, 0x02, 0x00]); // GS v 0, 2x2 bytes
    b.extend_from_slice(&[0x10, 0x04, 0x01, 0xFF]); // image data holding DLE EOT 1
    b.extend_from_slice(&[0x1D, 0x56, 0x30]); // GS V 48
    port.write_all(&b).expect("write");

    let jobs = rig.sim.wait_for_jobs(1, WAIT);
    assert_eq!(jobs.len(), 1);
    let job = &jobs[0];
    assert_eq!(
        job.unknown_commands,
        vec![
            vec![0x1B, 0x7E],
            vec![0x1B, 0x2D, 0x31],
            vec![0x1D, 0x7F],
            vec![0x1C, 0x2E],
            vec![0x01],
            vec![0x1D, 0x21, 0x99],
            b"\x1dk\x04*123*\x00".to_vec(),
            vec![0x1D, 0x28, 0x6B, 0x03, 0x00, 0x30, 0x41],
            vec![0x1D, 0x56, 0x00],
        ]
    );
    assert_eq!(job.text(), "after garbage\noops");
    assert_eq!(job.lines[0].width, 1);
    assert_eq!(job.images, 1);
    assert_eq!(job.cut, Some(CutKind::Full));
    assert!(job.complete);
    // Real printers answer DLE EOT even inside image data: one stray reply.
    assert_eq!(rig.sim.status_queries(), 1);
    let mut stray = [0u8; 1];
    port.read_exact(&mut stray).expect("stray reply");
    assert_eq!(stray, [0x12]);

    // Random noise: whatever state the decoder is left in, real-time status still works.
    let mut rng = fastrand::Rng::with_seed(7);
    let noise: Vec<u8> = (0..4096).map(|_| rng.u8(..)).collect();
    port.write_all(&noise).expect("write noise");
    let total = b.len() + noise.len();
    assert_eq!(rig.sim.wait_for_bytes(total, WAIT), total);
    std::thread::sleep(Duration::from_millis(50));
    port.clear(ClearBuffer::Input).expect("clear stray replies");
    assert_eq!(query(&mut port, 1), Some(0x12));
}

#[test]
fn send_raw_reaches_the_driver_unchanged() {
    let rig = rig();
    let mut port = open_ok(&rig.sim.device_path());
    let raw = [0x13, 0x11, 0x00, 0x0D, 0x0A, 0xFF, 0x12, 0x7F];
    rig.sim.send_raw(&raw);
    let mut got = [0u8; 8];
    port.read_exact(&mut got).expect("read raw bytes");
    assert_eq!(got, raw, "raw mode: no echo, no CR/LF or XON/XOFF handling");
    assert!(rig.sim.received().is_empty(), "no echo back to the printer");
}

#[test]
fn set_speed_holds_up_a_fast_writer() {
    let rig = rig();
    let mut port = open_ok(&rig.sim.device_path());
    let rate = 50_000;
    rig.sim.set_speed(Some(rate));
    let mut bytes = Vec::new();
    while bytes.len() < 100_000 {
        bytes.extend_from_slice(&[b'x'; 47]);
        bytes.push(b'\n');
    }
    bytes.extend_from_slice(&[0x1D, 0x56, 0x00]);
    let started = Instant::now();
    port.write_all(&bytes)
        .expect("a slow reader still takes everything");
    let writer_held = started.elapsed();
    let jobs = rig.sim.wait_for_jobs(1, Duration::from_secs(10));
    let decoded = started.elapsed();
    assert_eq!(jobs.len(), 1);
    assert_eq!(jobs[0].lines.len(), bytes.len() / 48);
    let expected = Duration::from_secs_f64(bytes.len() as f64 / f64::from(rate));
    eprintln!(
        "{} bytes at {rate} B/s: writer held {writer_held:?}, decoded after {decoded:?}",
        bytes.len()
    );
    assert!(
        decoded >= expected.mul_f64(0.9),
        "{decoded:?} < {expected:?}"
    );
    assert!(
        decoded <= expected.mul_f64(2.0),
        "{decoded:?} far above {expected:?}"
    );
    assert!(
        writer_held >= Duration::from_millis(300),
        "writer held {writer_held:?}"
    );

    rig.sim.set_speed(None);
    let started = Instant::now();
    port.write_all(&bytes).expect("write");
    assert_eq!(rig.sim.wait_for_jobs(2, WAIT).len(), 2);
    assert!(started.elapsed() < Duration::from_millis(800));
}

#[test]
fn drop_stops_quickly_and_removes_the_link() {
    let dir = tempfile::tempdir().expect("temp dir");
    let link = dir.path().join("kiosk-printer");
    let sim = PrinterSim::start(&link);
    let port = open_ok(&link);
    assert!(link.exists());
    let started = Instant::now();
    drop(sim);
    assert!(
        started.elapsed() < Duration::from_millis(100),
        "{:?}",
        started.elapsed()
    );
    assert!(link.symlink_metadata().is_err());
    drop(port);

    // Dropping while unplugged is fine too.
    let sim = PrinterSim::start(&link);
    sim.unplug();
    drop(sim);
    assert!(link.symlink_metadata().is_err());
}

#[test]
fn replies_wait_in_the_pty_for_the_next_opener() {
    // The simulator keeps the slave open, so what it sends while the driver has the port closed
    // stays queued: drivers should clear the input after opening.
    let rig = rig();
    let path = rig.sim.device_path();
    let mut port = open_ok(&path);
    port.write_all(&[0x10, 0x04, 0x01]).expect("write");
    assert_eq!(rig.sim.wait_for_bytes(3, WAIT), 3);
    std::thread::sleep(Duration::from_millis(20));
    drop(port);
    let mut port = open_ok(&path);
    assert_eq!(port.bytes_to_read().expect("bytes_to_read"), 1);
    port.clear(ClearBuffer::Input).expect("clear");
    assert_eq!(port.bytes_to_read().expect("bytes_to_read"), 0);
    assert_eq!(query(&mut port, 1), Some(0x12));
}
