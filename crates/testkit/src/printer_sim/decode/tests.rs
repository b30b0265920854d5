//! Byte sequences fed straight to the decoder: no pty, no thread.

use super::*;

const INIT: &[u8] = &[0x1B, b'@'];
const PARTIAL_CUT: &[u8] = &[0x1D, b'V', 66, 3];

fn decoded(bytes: &[u8]) -> Decoder {
    let mut decoder = Decoder::new();
    decoder.feed(bytes, Condition::Ready);
    decoder
}

/// `GS ( k` with function `function` of the QR symbol (cn = 0x31) and its parameters.
fn qr(function: u8, params: &[u8]) -> Vec<u8> {
    let len = params.len() + 2;
    let mut bytes = vec![0x1D, b'(', b'k', (len % 256) as u8, (len / 256) as u8];
    bytes.extend_from_slice(&[0x31, function]);
    bytes.extend_from_slice(params);
    bytes
}

/// A small ticket: init, centred double-size bold number, a QR code (model 2), a partial cut.
fn ticket() -> Vec<u8> {
    let mut bytes = INIT.to_vec();
    bytes.extend_from_slice(&[0x1B, b'a', 1, 0x1B, b'E', 1, 0x1D, b'!', 0x11]);
    bytes.extend_from_slice(b"DKC-001\n");
    bytes.extend_from_slice(&[0x1B, b'E', 0, 0x1D, b'!', 0, 0x1B, b'a', 0]);
    bytes.extend_from_slice(b"Loket 3\n");
    bytes.extend(qr(0x41, &[0x32, 0x00]));
    bytes.extend(qr(0x43, &[6]));
    bytes.extend(qr(0x45, &[49]));
    bytes.extend(qr(0x50, b"0https://mpp.example.go.id/t/1"));
    bytes.extend(qr(0x51, b"0"));
    bytes.extend_from_slice(PARTIAL_CUT);
    bytes
}

fn expected_ticket() -> PrintedJob {
    PrintedJob {
        lines: vec![
            PrintedLine::new("DKC-001", true, 1, 2, 2),
            PrintedLine::new("Loket 3", false, 0, 1, 1),
        ],
        qr_codes: vec!["https://mpp.example.go.id/t/1".into()],
        qr_model: Some(2),
        qr_module_size: Some(6),
        qr_error_correction: Some(49),
        cut: Some(CutKind::Partial),
        ..PrintedJob::default()
    }
}

#[test]
fn a_ticket_decodes_into_one_job_with_styles_and_its_qr_code() {
    let mut decoder = decoded(&ticket());
    assert_eq!(decoder.jobs(), [expected_ticket()]);
    assert_eq!(decoder.current_job(), &PrintedJob::default());
    assert!(decoder.take_requests().is_empty());
}

#[test]
fn a_stream_split_anywhere_decodes_the_same() {
    let bytes = ticket();
    for split in 1..bytes.len() {
        let mut decoder = Decoder::new();
        decoder.feed(&bytes[..split], Condition::Ready);
        decoder.feed(&bytes[split..], Condition::Ready);
        assert_eq!(decoder.jobs(), [expected_ticket()], "split at {split}");
    }
    let mut decoder = Decoder::new();
    for byte in &bytes {
        decoder.feed(std::slice::from_ref(byte), Condition::Ready);
    }
    assert_eq!(decoder.jobs(), [expected_ticket()], "one byte at a time");
}

#[test]
fn init_resets_the_style_and_drops_text_not_yet_printed() {
    let mut bytes = vec![0x1B, b'!', 0x38];
    bytes.extend_from_slice(b"lost");
    bytes.extend_from_slice(INIT);
    bytes.extend_from_slice(b"kept\n");
    bytes.extend_from_slice(PARTIAL_CUT);
    let decoder = decoded(&bytes);
    assert_eq!(
        decoder.jobs()[0].lines,
        [PrintedLine::new("kept", false, 0, 1, 1)]
    );
}

#[test]
fn esc_bang_and_feeds_make_bold_wide_lines_and_blank_ones() {
    let mut bytes = vec![0x1B, b'!', 0x38];
    bytes.extend_from_slice(b"big");
    bytes.extend_from_slice(&[0x1B, b'd', 3]);
    let decoder = decoded(&bytes);
    assert_eq!(
        decoder.current_job().lines,
        [
            PrintedLine::new("big", true, 0, 2, 2),
            PrintedLine::new("", true, 0, 2, 2),
            PrintedLine::new("", true, 0, 2, 2),
        ]
    );
}

#[test]
fn a_full_cut_ends_the_job_and_a_cut_mid_line_is_ignored() {
    let mut bytes = b"half".to_vec();
    bytes.extend_from_slice(&[0x1D, b'V', 0]);
    bytes.extend_from_slice(b"\n");
    bytes.extend_from_slice(&[0x1D, b'V', 48]);
    let decoder = decoded(&bytes);
    let job = &decoder.jobs()[0];
    assert_eq!(job.cut, Some(CutKind::Full));
    assert_eq!(job.text(), "half");
    assert_eq!(job.unknown_commands, [vec![0x1D, b'V', 0]]);
}

#[test]
fn code_pages_decide_how_high_bytes_print() {
    let mut bytes = vec![0x82];
    bytes.extend_from_slice(&[0x1B, b't', 19, 0xD5]);
    bytes.extend_from_slice(&[0x1B, b't', 16, 0x80, 0xE9, b'\n']);
    let decoder = decoded(&bytes);
    let job = decoder.current_job();
    assert_eq!(job.lines[0].text, "é€€é");
    assert_eq!((job.code_page, job.non_ascii_bytes), (Some(16), 4));
}

#[test]
fn status_requests_are_found_anywhere_and_kept_in_reply_order() {
    let mut decoder = Decoder::new();
    // DLE EOT 2 split over two feeds, then inside a raster image's data, then GS r 1.
    decoder.feed(&[0x10], Condition::Ready);
    decoder.feed(
        &[0x04, 2, 0x1D, b'v', b'0', 0, 1, 0, 3, 0],
        Condition::Ready,
    );
    decoder.feed(
        &[0x10, 0x04, 4, 0x1D, b'r', 1, 0x10, 0x04, 9],
        Condition::Ready,
    );
    assert_eq!(
        decoder.take_requests(),
        [
            StatusRequest::RealTime(2),
            StatusRequest::RealTime(4),
            StatusRequest::Transmit(1),
        ]
    );
    assert!(decoder.take_requests().is_empty(), "taken once");
    assert_eq!(decoder.status_queries(), 2);
    assert_eq!(decoder.current_job().images, 1);
    assert_eq!(
        decoder.current_job().unknown_commands,
        [vec![0x10, 0x04, 9]]
    );
}

#[test]
fn conditions_answer_requests_like_a_serial_printer() {
    let real_time = StatusRequest::RealTime(4);
    assert_eq!(Condition::Ready.answer(real_time), Some(0x12));
    assert_eq!(Condition::PaperOut.answer(real_time), Some(0x7E));
    assert_eq!(Condition::Silent.answer(real_time), None);
    let transmit = StatusRequest::Transmit(1);
    assert_eq!(Condition::PaperNearEnd.answer(transmit), Some(0x03));
    assert_eq!(Condition::Ready.answer(StatusRequest::Transmit(7)), None);
}

#[test]
fn paper_bytes_while_offline_spoil_the_job_but_set_up_does_not() {
    let mut decoder = Decoder::new();
    decoder.feed(&[0x1B, b'@', 0x1B, b'E', 1], Condition::PaperOut);
    decoder.feed(b"ok\n", Condition::Ready);
    decoder.feed(PARTIAL_CUT, Condition::Ready);
    decoder.feed(b"lost\n", Condition::CoverOpen);
    decoder.feed(PARTIAL_CUT, Condition::Ready);
    let jobs = decoder.jobs();
    assert!(jobs[0].complete);
    assert!(!jobs[1].complete);
    assert_eq!(jobs[1].text(), "lost", "still decoded");
}

#[test]
fn a_disconnect_records_the_started_job_as_cut_short() {
    let mut decoder = Decoder::new();
    decoder.feed(b"line\nhalf", Condition::Ready);
    decoder.feed(&[0x1D, b'('], Condition::Ready);
    decoder.disconnect();
    let job = &decoder.jobs()[0];
    assert_eq!(
        (job.text(), job.cut, job.complete),
        ("line\nhalf".into(), None, false)
    );
    decoder.feed(b"new\n", Condition::Ready);
    assert_eq!(
        decoder.current_job().text(),
        "new",
        "the half command is gone"
    );
}
