//! The real printer driver against a simulated ESC/POS printer on a pseudo-terminal: tickets
//! decoded back from the bytes, paper out before and during a job, cover open, a printer that
//! never answers, the port vanishing and coming back, noise on the line, and double requests.

use std::time::{Duration, Instant};

use crate::common::{instant, issue_as_k1, layout, serial_settings, settings, small_catalog};
use mpp_core::numbering::Lane;
use mpp_core::printer_state::PrinterState;
use mpp_core::receipt::PaperWidth;
use mpp_core::ticket::{Ticket, TicketStatus};
use mpp_station::printer::transport::SerialTransport;
use mpp_station::printer::{Layout, PrintOutcome, PrinterHandle};
use mpp_station::printing::print_ticket;
use mpp_station::store::Store;
use mpp_testkit::printer_sim::{Condition, CutKind, PrinterSim};

const MONDAY: &str = "2026-11-23T09:00:00+07:00";

struct Bench {
    _folder: tempfile::TempDir,
    sim: PrinterSim,
    printer: PrinterHandle,
    store: Store,
    layout: Layout,
}

impl Bench {
    fn new() -> Self {
        let folder = tempfile::tempdir().expect("temp dir");
        let sim = PrinterSim::start(&folder.path().join("kiosk-printer"));
        let transport = SerialTransport::new(serial_settings(sim.device_path(), 9600));
        let printer = PrinterHandle::start(Box::new(transport));
        let store = Store::open(&folder.path().join("kiosk.db")).expect("store");
        Self {
            _folder: folder,
            sim,
            printer,
            store,
            layout: layout(PaperWidth::Mm80),
        }
    }

    /// A bench whose printer has said it is ready.
    fn ready() -> Self {
        let bench = Self::new();
        bench.wait_for_state(PrinterState::Ready, Duration::from_secs(2));
        bench
    }

    fn issue(&mut self, service: &str) -> Ticket {
        issue_as_k1(&mut self.store, service, Lane::Regular, instant(MONDAY)).expect("issued")
    }

    /// Issues a DKC-KK ticket and prints it to a printer that is `state`: it is not printed,
    /// and the printer's state is said. The ticket as issued and as the store has it after.
    fn print_refused(&mut self, state: PrinterState) -> (Ticket, Ticket) {
        let ticket = self.issue("DKC-KK");
        let (updated, outcome) = self.print(&ticket, false);
        assert_eq!(outcome, PrintOutcome::NotPrinted { state });
        (ticket, updated)
    }

    fn print(&mut self, ticket: &Ticket, reprint: bool) -> (Ticket, PrintOutcome) {
        let catalog = small_catalog();
        print_ticket(
            &mut self.store,
            &self.printer,
            &self.layout,
            &catalog,
            ticket,
            reprint,
            || instant(MONDAY),
        )
        .expect("store updated")
    }

    /// Waits for the driver to report `state`, returning how long it took.
    fn wait_for_state(&self, state: PrinterState, timeout: Duration) -> Duration {
        let began = Instant::now();
        while self.printer.state() != state {
            assert!(
                began.elapsed() < timeout,
                "printer stayed {:?}, expected {state:?}",
                self.printer.state()
            );
            std::thread::sleep(Duration::from_millis(10));
        }
        began.elapsed()
    }
}

#[test]
fn a_ticket_is_printed_and_reads_back_from_the_paper() {
    let mut bench = Bench::ready();
    let ticket = bench.issue("POL-SKCK");
    let (updated, outcome) = bench.print(&ticket, false);
    assert!(outcome.is_printed(), "{outcome:?}");
    assert_eq!(updated.status, TicketStatus::Printed);
    assert_eq!(updated.print_count, 1);
    let jobs = bench.sim.wait_for_jobs(1, Duration::from_secs(2));
    assert_eq!(jobs.len(), 1);
    let job = &jobs[0];
    assert!(job.complete);
    assert_eq!(job.cut, Some(CutKind::Partial));
    assert_eq!(job.qr_codes, std::slice::from_ref(&ticket.qr_payload));
    assert_eq!(job.qr_model, Some(2));
    assert_eq!(job.non_ascii_bytes, 0, "no UTF-8 reaches the paper");
    assert!(
        job.unknown_commands.is_empty(),
        "{:?}",
        job.unknown_commands
    );
    let number = job
        .lines
        .iter()
        .find(|line| line.text == "SKC-001")
        .expect("the number is printed");
    assert!(number.bold && number.width >= 4 && number.height >= 4 && number.align == 1);
    let text = job.text();
    assert!(
        text.contains("Surat Keterangan Catatan Kepolisian (SKCK) baru"),
        "{text}"
    );
    assert!(text.contains("Rp 30.000"), "{text}");
    assert!(text.contains("Loket 8"), "{text}");
}

#[test]
fn paper_out_before_a_job_prints_nothing_and_says_so() {
    let mut bench = Bench::ready();
    bench.sim.set(Condition::PaperOut);
    bench.wait_for_state(PrinterState::PaperOut, Duration::from_secs(3));
    let (ticket, updated) = bench.print_refused(PrinterState::PaperOut);
    assert_eq!(updated.status, TicketStatus::PrintFailed);
    let history = bench.store.ticket_history(&ticket.id).expect("history");
    assert_eq!(
        history.last().and_then(|entry| entry.reason.as_deref()),
        Some("paper_out")
    );
    assert!(
        bench
            .sim
            .wait_for_jobs(1, Duration::from_millis(300))
            .is_empty()
    );
    assert!(
        !bench.sim.received().windows(2).any(|w| w == [0x1D, 0x56]),
        "no job bytes were sent"
    );

    // New roll: the same number prints, as a reprint, and is not reissued.
    bench.sim.set(Condition::Ready);
    bench.wait_for_state(PrinterState::Ready, Duration::from_secs(3));
    let (again, outcome) = bench.print(&updated, true);
    assert!(outcome.is_printed(), "{outcome:?}");
    assert_eq!(again.status, TicketStatus::Reprinted);
    assert_eq!(again.number, ticket.number);
}

#[test]
fn paper_running_out_mid_job_marks_the_ticket_failed() {
    let mut bench = Bench::ready();
    let ticket = bench.issue("DKC-KK");
    // Let the opening status queries through, then run out partway into the ticket.
    bench.sim.set_after(12 + 120, Condition::PaperOut);
    let (updated, outcome) = bench.print(&ticket, false);
    assert!(
        matches!(
            outcome,
            PrintOutcome::Failed {
                state: PrinterState::PaperOut,
                ..
            }
        ),
        "{outcome:?}"
    );
    assert_eq!(updated.status, TicketStatus::PrintFailed);
    let jobs = bench.sim.wait_for_jobs(1, Duration::from_secs(2));
    assert!(!jobs[0].complete, "the paper shows a half ticket");
}

#[test]
fn an_open_cover_is_reported_and_blocks_printing() {
    let mut bench = Bench::ready();
    bench.sim.set(Condition::CoverOpen);
    let took = bench.wait_for_state(PrinterState::CoverOpen, Duration::from_secs(3));
    println!("cover open noticed after {took:?}");
    bench.print_refused(PrinterState::CoverOpen);
}

#[test]
fn a_printer_that_never_answers_is_not_responding_within_a_second() {
    let folder = tempfile::tempdir().expect("temp dir");
    let sim = PrinterSim::start(&folder.path().join("kiosk-printer"));
    sim.set(Condition::Silent);
    let began = Instant::now();
    let printer = PrinterHandle::start(Box::new(SerialTransport::new(serial_settings(
        sim.device_path(),
        9600,
    ))));
    let state = printer.wait_first_status(Duration::from_secs(3));
    let took = began.elapsed();
    assert_eq!(state, PrinterState::NotResponding);
    assert!(took < Duration::from_millis(1500), "took {took:?}");
    let job = layout(PaperWidth::Mm58).test_page("K1", instant(MONDAY));
    let began = Instant::now();
    let outcome = printer.print_and_wait(job, true);
    assert_eq!(
        outcome,
        PrintOutcome::NotPrinted {
            state: PrinterState::NotResponding
        }
    );
    assert!(
        began.elapsed() < Duration::from_secs(3),
        "a silent printer must not hang a print"
    );
    assert!(sim.wait_for_jobs(1, Duration::from_millis(200)).is_empty());
}

#[test]
fn an_unplugged_printer_is_picked_up_again_when_it_returns() {
    let mut bench = Bench::ready();
    bench.sim.unplug();
    bench.wait_for_state(PrinterState::Disconnected, Duration::from_secs(3));
    let (_, updated) = bench.print_refused(PrinterState::Disconnected);
    assert_eq!(updated.status, TicketStatus::PrintFailed);
    bench.sim.replug();
    let took = bench.wait_for_state(PrinterState::Ready, Duration::from_secs(5));
    println!("printer back after {took:?}");
    let (again, outcome) = bench.print(&updated, true);
    assert!(outcome.is_printed(), "{outcome:?}");
    assert_eq!(again.status, TicketStatus::Reprinted);
    assert_eq!(bench.sim.wait_for_jobs(1, Duration::from_secs(2)).len(), 1);
}

#[test]
fn noise_on_the_line_does_not_confuse_the_driver() {
    let mut bench = Bench::ready();
    // XON/XOFF, automatic-status-back-shaped bytes, garbage, a stray status byte for paper out.
    bench
        .sim
        .send_raw(&[0x11, 0x13, 0x00, 0xFF, 0x14, 0x7E, b'?', 0x10, 0x04]);
    std::thread::sleep(Duration::from_millis(1200));
    assert_eq!(bench.printer.state(), PrinterState::Ready);
    let ticket = bench.issue("DKC-KK");
    let (_, outcome) = bench.print(&ticket, false);
    assert!(outcome.is_printed(), "{outcome:?}");
}

#[test]
fn a_double_request_prints_the_ticket_once() {
    let mut bench = Bench::ready();
    let ticket = bench.issue("DKC-KK");
    let (_, first) = bench.print(&ticket, false);
    let (_, second) = bench.print(&ticket, false);
    assert!(first.is_printed());
    assert_eq!(second, PrintOutcome::AlreadyPrinted);
    // The driver refuses a repeated job for the same ticket on its own too.
    let catalog = small_catalog();
    let job = bench.layout.ticket_job(&ticket, &catalog);
    assert_eq!(
        bench.printer.print_and_wait(job, false),
        PrintOutcome::AlreadyPrinted
    );
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(bench.sim.jobs().len(), 1);
}

#[test]
fn a_slow_wire_still_delivers_the_whole_ticket() {
    let mut bench = Bench::ready();
    bench.sim.set_speed(Some(960));
    let ticket = bench.issue("DKC-KK");
    let (updated, outcome) = bench.print(&ticket, false);
    assert!(outcome.is_printed(), "{outcome:?}");
    assert_eq!(updated.status, TicketStatus::Printed);
    let jobs = bench.sim.wait_for_jobs(1, Duration::from_secs(3));
    assert!(jobs[0].complete && jobs[0].text().contains(&ticket.number));
}

#[test]
fn a_full_ticket_fits_in_600_bytes_without_logo() {
    let catalog = small_catalog();
    let mut store =
        Store::open(&tempfile::tempdir().expect("dir").path().join("k.db")).expect("store");
    let ticket = store
        .issue(
            &catalog,
            &settings("KIOSK-01", 1, 999),
            &"POL-SKCK".into(),
            Lane::Regular,
            instant(MONDAY),
        )
        .expect("issued");
    for width in [PaperWidth::Mm58, PaperWidth::Mm80] {
        let job = layout(width).ticket_job(&ticket, &catalog);
        assert!(
            job.bytes.len() <= 600,
            "{width:?}: {} bytes",
            job.bytes.len()
        );
    }
}

/// A fixed ticket, so its bytes never change unless the layout or encoding does.
fn golden_ticket() -> Ticket {
    Ticket {
        id: "0192f0c2-7d4e-7000-8000-000000000001".into(),
        number: "SKC-014".into(),
        queue: "SKC".into(),
        lane: Lane::Regular,
        sequence: 14,
        agency: "POLRES".into(),
        service: "POL-SKCK".into(),
        kiosk: "KIOSK-01".into(),
        business_day: "2026-11-23".parse().expect("day"),
        issued_at: instant("2026-11-23T09:14:00+07:00"),
        people_ahead: Some(3),
        expected_wait: None,
        status: TicketStatus::Issued,
        print_count: 0,
        qr_payload:
            "https://mpp.example.go.id/t/0192f0c2-7d4e-7000-8000-000000000001?s=0123456789abcdef"
                .into(),
    }
}

/// The whole ticket, byte for byte. After a deliberate change to the layout or encoding,
/// regenerate with `UPDATE_GOLDEN=1 cargo test --test kiosk byte_exact` and review the diff.
#[test]
fn a_whole_ticket_is_byte_exact() {
    let golden = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/ticket-skc-014-80mm.bin"
    );
    let bytes = layout(PaperWidth::Mm80)
        .ticket_job(&golden_ticket(), &small_catalog())
        .bytes;
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(golden, &bytes).expect("write golden");
    }
    let expected = std::fs::read(golden).expect("golden file");
    assert_eq!(bytes, expected, "the ticket's bytes changed");
    // And the golden bytes are what a printer reads as this ticket.
    assert!(bytes.starts_with(&[0x1B, 0x40, 0x1B, 0x74, 0x00]));
    assert!(bytes.ends_with(&[0x1D, 0x56, 0x42, 0x00]));
    assert!(bytes.windows(7).any(|w| w == b"SKC-014"));
    // The survey code at the foot, cut from the kiosk's key.
    let code = mpp_core::survey::code::survey_code(
        "KIOSK-01",
        "0192f0c2-7d4e-7000-8000-000000000001",
        b"test-signing-key-0001",
    );
    let line = format!("Survei kepuasan: kode {code}");
    assert!(
        bytes.windows(line.len()).any(|w| w == line.as_bytes()),
        "{line}"
    );
    assert!(
        bytes.iter().all(|&b| b < 0x80),
        "plain ASCII and commands only"
    );
}
