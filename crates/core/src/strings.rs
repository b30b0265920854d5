//! Every sentence a visitor or the ticket shows, in each [`Language`], plus the formatting of
//! dates, times and rupiah the way Indonesians write them.

use chrono::{Datelike, NaiveDate, Weekday};

use super::catalog::Fee;
use super::lang::Language;
use super::schedule::{ClosedReason, Closure, Reopening};

pub mod maintenance;

/// Declares `enum Text` with one variant per sentence and its Indonesian and English wording,
/// `Text::ALL`, `Text::get(language)` and `Text::fill(language, values)` for sentences with
/// `{name}` placeholders.
#[macro_export]
macro_rules! texts {
    ($($key:ident => $id:literal, $en:literal;)*) => {
        /// A fixed sentence, looked up in a language with [`Text::get`].
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Text { $($key,)* }

        impl Text {
            #[allow(dead_code)]
            pub const ALL: &'static [Text] = &[$(Text::$key,)*];

            pub fn get(self, language: Language) -> &'static str {
                match (self, language) {
                    $(
                        (Text::$key, Language::Indonesian) => $id,
                        (Text::$key, Language::English) => $en,
                    )*
                }
            }

            /// The sentence in `language` with every `{name}` replaced by its value from
            /// `values`: numbers and names go inside whole sentences, never glued to fragments.
            #[allow(dead_code)]
            pub fn fill(self, language: Language, values: &[(&str, &str)]) -> String {
                $crate::strings::fill_placeholders(self.get(language), values)
            }
        }
    };
}

pub use texts;

/// `template` with each `{name}` that `values` names replaced, in one pass (a value that
/// itself contains braces is never filled again); unknown placeholders stay as written.
pub fn fill_placeholders(template: &str, values: &[(&str, &str)]) -> String {
    let mut filled = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        filled.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let value = after.find('}').and_then(|close| {
            let name = &after[..close];
            let value = values.iter().find(|(key, _)| *key == name)?.1;
            Some((value, close))
        });
        match value {
            Some((value, close)) => {
                filled.push_str(value);
                rest = &after[close + 1..];
            }
            None => {
                filled.push('{');
                rest = after;
            }
        }
    }
    filled.push_str(rest);
    filled
}

texts! {
    YourNumber => "NOMOR ANTREAN ANDA", "YOUR QUEUE NUMBER";
    PriorityTicket => "** LAYANAN PRIORITAS **", "** PRIORITY SERVICE **";
    Fee => "Biaya", "Fee";
    Free => "Gratis", "Free";
    PeopleAhead => "Antrean di depan Anda", "People ahead of you";
    People => "orang", "people";
    IssuedAt => "Diambil", "Issued";
    ScanToFollow => "Pindai untuk melihat posisi antrean Anda", "Scan to follow your place in the queue";
    ValidToday => "Berlaku hanya hari ini", "Valid today only";
    Complaints => "Pengaduan", "Complaints";
    Closed => "Tutup", "Closed";
    ClosedHoliday => "Libur", "Holiday";
    ClosedDate => "Tutup hari ini", "Closed today";
    NotOpenToday => "Tidak buka hari ini", "Not open today";
    BeforeOpening => "Belum buka", "Not open yet";
    OnBreak => "Istirahat", "On a break";
    CutoffPassed => "Pengambilan nomor hari ini sudah ditutup", "No more numbers today";
    QuotaFull => "Kuota hari ini sudah habis", "Today's quota is used up";
    OfficerAway => "Petugas layanan ini tidak hadir hari ini", "The officer for this service is not in today";
    SystemDown => "Sistem instansi sedang gangguan; layanan ini ditutup hari ini", "The agency's system is down; this service is closed today";
    FullToday => "Instansi sudah menerima semua pengunjung yang dapat dilayani hari ini", "The agency has taken all the visitors it can serve today";
    ClosedToday => "Layanan ini ditutup untuk sisa hari ini", "This service is closed for the rest of today";
    ComeBack => "Silakan datang kembali", "Please come back";
    NoReopening => "Belum ada jadwal buka; tanyakan petugas", "No opening scheduled; please ask an officer";
    At => "pukul", "at";
    Today => "hari ini", "today";
    PrinterStarting => "Menyiapkan printer…", "Getting the printer ready…";
    PrinterReady => "Printer siap", "Printer ready";
    PrinterPaperNearEnd => "Kertas printer hampir habis", "Printer paper is running low";
    PrinterPaperOut => "Kertas printer habis", "The printer is out of paper";
    PrinterCoverOpen => "Tutup printer terbuka", "The printer cover is open";
    PrinterCutterError => "Pemotong kertas printer macet", "The printer's paper cutter is stuck";
    PrinterError => "Printer mengalami gangguan", "The printer has a fault";
    PrinterOffline => "Printer sedang offline", "The printer is offline";
    PrinterNotResponding => "Printer tidak menjawab", "The printer does not respond";
    PrinterDisconnected => "Printer tidak tersambung", "The printer is not connected";
    PrinterFixPaper => "Petugas: pasang gulungan kertas baru lalu tutup penutupnya.", "Staff: load a new paper roll and close the cover.";
    PrinterFixCover => "Petugas: tutup penutup printer sampai berbunyi klik.", "Staff: close the printer cover until it clicks.";
    PrinterFixCutter => "Petugas: matikan printer, bersihkan pemotong, nyalakan lagi.", "Staff: switch the printer off, clear the cutter, switch it on.";
    PrinterFixPower => "Petugas: periksa daya dan kabel printer.", "Staff: check the printer's power and cable.";
    PrinterFixWait => "Tunggu sebentar atau panggil petugas.", "Wait a moment or call a staff member.";
    Welcome => "Selamat datang", "Welcome";
    TouchToStart => "Sentuh layar untuk mengambil nomor antrean", "Touch the screen to take a queue number";
    Start => "Ambil nomor antrean", "Take a queue number";
    PriorityTitle => "Layanan prioritas", "Priority service";
    PriorityExplain => "Penyandang disabilitas, lanjut usia, ibu hamil, anak-anak, dan korban bencana dilayani lebih dahulu (UU 25/2009 pasal 29). Pilih \"Nomor prioritas\" pada layanan yang Anda tuju.", "People with disabilities, the elderly, pregnant women, children and disaster victims are served first (Law 25/2009 art. 29). Choose \"Priority number\" on the service you need.";
    ChooseAgency => "Pilih instansi", "Choose an agency";
    ChooseService => "Pilih layanan", "Choose a service";
    Back => "Kembali", "Back";
    StartOver => "Ke awal", "Start over";
    PreviousPage => "Sebelumnya", "Previous";
    NextPage => "Berikutnya", "Next";
    PageOf => "Halaman {page} dari {pages}", "Page {page} of {pages}";
    Services => "layanan", "services";
    Requirements => "Persyaratan", "Requirements";
    Procedure => "Prosedur", "Procedure";
    Duration => "Waktu penyelesaian", "Time to complete";
    Product => "Produk layanan", "What you receive";
    Where => "Lokasi", "Where";
    ScrollForMore => "Geser ke atas untuk membaca selengkapnya", "Swipe up to read the rest";
    TakenToday => "Nomor yang sudah diambil hari ini di kios ini: {count}", "Numbers taken today at this kiosk: {count}";
    QuotaLeft => "Sisa kuota hari ini: {count}", "Numbers left today: {count}";
    OpenUntil => "Buka, pengambilan nomor sampai {time}", "Open, numbers until {time}";
    OpenUntilShort => "Buka s.d. {time}", "Open until {time}";
    TakeNumber => "Ambil nomor", "Take a number";
    TakePriority => "Nomor prioritas", "Priority number";
    PriorityWho => "Untuk penyandang disabilitas, lansia, ibu hamil, anak-anak, korban bencana", "For people with disabilities, the elderly, pregnant women, children, disaster victims";
    BringDocuments => "Pastikan Anda membawa semua persyaratan sebelum mengambil nomor.", "Make sure you have everything required before taking a number.";
    Printing => "Mencetak tiket Anda…", "Printing your ticket…";
    NumberSaved => "Nomor Anda sudah tercatat.", "Your number is saved.";
    YourNumberIs => "Nomor antrean Anda", "Your queue number";
    PleaseTakeTicket => "Silakan ambil tiket Anda di bawah layar.", "Please take your ticket below the screen.";
    GoToCounter => "Silakan menuju {counter}", "Please go to {counter}";
    Finish => "Selesai", "Done";
    ShowToOfficer => "Tunjukkan nomor ini kepada petugas, atau foto layar ini. Anda tetap dilayani.", "Show this number to an officer, or take a photo of this screen. You will still be served.";
    TicketNotPrinted => "Tiket tidak dapat dicetak", "The ticket could not be printed";
    ServiceClosedTitle => "Layanan ini tidak menerima nomor saat ini", "This service is not taking numbers now";
    OutOfNumbers => "Nomor antrean di kios ini sudah habis untuk hari ini. Silakan hubungi petugas informasi.", "This kiosk has no numbers left today. Please ask at the information desk.";
    KioskProblem => "Kios sedang bermasalah. Silakan hubungi petugas informasi.", "The kiosk has a problem. Please ask at the information desk.";
    ReturningIn => "Kembali ke awal dalam {seconds} detik.", "Returning to the start in {seconds} seconds.";
    TouchToContinue => "Sentuh layar untuk melanjutkan.", "Touch the screen to continue.";
    OutOfOrder => "Kios sedang tidak dapat digunakan", "This kiosk is out of order";
    OutOfOrderHelp => "Silakan minta nomor antrean di meja informasi.", "Please ask for a queue number at the information desk.";
    JustTook => "Nomor {number} untuk layanan ini baru saja diambil di kios ini", "Number {number} for this service was just taken at this kiosk";
    TakeAnotherAsk => "Satu orang cukup satu nomor. Ambil nomor untuk Anda?", "One number per person is enough. Take a number for yourself?";
    KeepMine => "Batal", "Cancel";
    TakeAnother => "Ya, ambil nomor", "Yes, take a number";
    CannotIssueTitle => "Kios ini sedang tidak dapat memberi nomor antrean", "This kiosk cannot give out queue numbers right now";
    CannotIssueAsk => "Silakan minta bantuan petugas informasi.", "Please ask the information desk for help.";
    CannotIssueShort => "Kios tidak dapat memberi nomor saat ini", "The kiosk cannot give out numbers now";
    HoldDayInDoubt => "Untuk petugas: tanggal kios diragukan — menu teknisi › Pemulihan.", "For staff: the kiosk's date is in doubt — technician's menu › Recovery.";
    HoldNumbersAwaited => "Untuk petugas: nomor awal hari ini belum diketahui — menu teknisi › Pemulihan.", "For staff: today's first number is not known yet — technician's menu › Recovery.";
    HoldFault => "Untuk petugas: nomor terakhir gagal disimpan — menu teknisi › Kios ini.", "For staff: the last number could not be saved — technician's menu › This kiosk.";
    PrinterBanner => "Printer sedang bermasalah: nomor Anda akan ditampilkan di layar.", "The printer has a problem: your number will be shown on screen.";
    // The central server's pages.
    PageYourNumber => "Nomor antrean Anda", "Your queue number";
    PagePriority => "Layanan prioritas", "Priority service";
    PageWaiting => "Menunggu dipanggil", "Waiting to be called";
    PageCalled => "Nomor Anda dipanggil — {counter}. Silakan menuju loket sekarang", "Your number is called — {counter}. Please go to the counter now";
    PageCalledTitle => "Dipanggil — {counter}", "Called — {counter}";
    PageServed => "Sudah dilayani", "Served";
    PageNoShow => "Tidak hadir saat dipanggil", "Not present when called";
    PageVoided => "Tiket dibatalkan", "Ticket cancelled";
    PagePeopleAhead => "Orang di depan Anda", "People ahead of you";
    PageCounter => "Loket", "Counter";
    PageIssued => "Diambil", "Issued";
    PageIssuedOn => "{date} pukul {time} {zone}", "{date} at {time} {zone}";
    PageValidToday => "Berlaku hanya hari ini", "Valid today only";
    PageExpired => "Tiket ini sudah tidak berlaku. Tiket hanya berlaku pada tanggal {date}.", "This ticket is no longer valid. It was valid only on {date}.";
    PageRefreshes => "Halaman ini diperbarui sendiri setiap {seconds} detik", "This page refreshes itself every {seconds} seconds";
    PageNotValid => "Bukan tiket yang sah", "Not a valid ticket";
    PageNotValidHelp => "Kode QR ini tidak cocok dengan tiket mana pun. Pindai lagi kode pada tiket Anda atau tanyakan petugas.", "This QR code does not match any ticket. Scan the code on your ticket again or ask an officer.";
    PageNotYetKnown => "Tiket belum tercatat", "Ticket not recorded yet";
    PageNotYetKnownHelp => "Tiket Anda sah tetapi belum sampai di server. Coba lagi beberapa menit lagi.", "Your ticket is valid but has not reached the server yet. Try again in a few minutes.";
    PageUnavailable => "Layanan sedang terganggu", "Service temporarily unavailable";
    PageUnavailableHelp => "Silakan coba lagi sebentar lagi atau tanyakan petugas.", "Please try again shortly or ask an officer.";
    FleetTitle => "Armada kios", "Kiosk fleet";
    FleetAdminTokenRequired => "Perlu token admin", "Admin token required";
    FleetPublishedCatalog => "Katalog terbit", "Published catalog";
    FleetNoValidCatalog => "Tidak ada katalog yang sah", "No valid catalog is published";
    FleetNoKiosk => "Belum ada kios di konfigurasi", "No kiosk is configured ([[kiosk]])";
    FleetNever => "belum pernah", "never";
    FleetDemoSecrets => "Rahasia demo yang diterbitkan masih dipakai: siapa pun bisa menyinkronkan sebagai kios atau memalsukan QR. Ganti kunci ini", "Published demo secrets are still configured: anybody can sync as a kiosk or forge a QR link. Replace these keys";
    FleetKiosk => "Kios", "Kiosk";
    FleetLastContact => "Kontak terakhir", "Last contact";
    FleetPrinter => "Status printer", "Printer status";
    FleetUnsent => "Belum terkirim", "Outbox unsent";
    FleetOldestUnsent => "Tertua", "Oldest unsent";
    FleetCatalog => "Katalog", "Catalog";
    FleetTicketsToday => "Tiket hari ini", "Tickets today";
    FleetConflicts => "Konflik", "Conflicts";
    FleetRefused => "Ditolak", "Refused";
    FleetLatestRefusals => "Peristiwa yang ditolak server (terbaru dulu)", "Events the server refused (latest first)";
    FleetRefusalLine => "Kios {kiosk}, tiket {ticket}, peristiwa {event}, {at}: {reason}", "Kiosk {kiosk}, ticket {ticket}, event {event}, {at}: {reason}";
    FleetVersion => "Versi", "Version";
    FleetNumbers => "Nomor bermasalah", "Numbers flagged";
    FleetFlaggedNumbers => "Nomor yang tercetak dua kali atau di luar rentang kiosnya (terbaru dulu)", "Numbers printed twice or outside their kiosk's range (latest first)";
    FleetDuplicateLine => "{day} {number}: tiket {ticket} dari kios {kiosk} bernomor sama dengan tiket {first_ticket} dari kios {first_kiosk}", "{day} {number}: ticket {ticket} of kiosk {kiosk} has the same number as ticket {first_ticket} of kiosk {first_kiosk}";
    FleetOutOfRangeLine => "{day} {number}: tiket {ticket} dari kios {kiosk} di luar rentang kios itu {range}", "{day} {number}: ticket {ticket} of kiosk {kiosk} is outside the kiosk's range {range}";
    FleetDayDoubts => "Kios yang tidak dapat menentukan hari layanan", "Kiosks that cannot tell the business day";
    FleetDayDoubtLine => "Kios {kiosk}: nomornya pada hari {held}, jam kios menunjukkan {clock}, server {server}. Teknisi harus memeriksa jam lalu menjalankan `mpp-kiosk day settle`.", "Kiosk {kiosk}: its numbers are on {held}, its clock says {clock}, the server {server}. A technician must check the clock and run `mpp-kiosk day settle`.";
    FleetServerDayUnknown => "belum terdengar", "not heard";
}

use super::printer_state::PrinterState;

/// What the printer's state means, in plain words.
pub fn printer_state_text(state: PrinterState) -> Text {
    match state {
        PrinterState::Starting => Text::PrinterStarting,
        PrinterState::Ready => Text::PrinterReady,
        PrinterState::PaperNearEnd => Text::PrinterPaperNearEnd,
        PrinterState::PaperOut => Text::PrinterPaperOut,
        PrinterState::CoverOpen => Text::PrinterCoverOpen,
        PrinterState::CutterError => Text::PrinterCutterError,
        PrinterState::Error => Text::PrinterError,
        PrinterState::Offline => Text::PrinterOffline,
        PrinterState::NotResponding => Text::PrinterNotResponding,
        PrinterState::Disconnected => Text::PrinterDisconnected,
    }
}

/// What a staff member should do about the printer's state.
pub fn printer_fix_text(state: PrinterState) -> Text {
    match state {
        PrinterState::PaperOut | PrinterState::PaperNearEnd => Text::PrinterFixPaper,
        PrinterState::CoverOpen => Text::PrinterFixCover,
        PrinterState::CutterError => Text::PrinterFixCutter,
        PrinterState::NotResponding | PrinterState::Disconnected | PrinterState::Error => {
            Text::PrinterFixPower
        }
        PrinterState::Starting | PrinterState::Ready | PrinterState::Offline => {
            Text::PrinterFixWait
        }
    }
}

pub fn weekday_name(weekday: Weekday, language: Language) -> &'static str {
    const ID: [&str; 7] = [
        "Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu",
    ];
    const EN: [&str; 7] = [
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
    ];
    let index = weekday.num_days_from_monday() as usize;
    match language {
        Language::Indonesian => ID[index],
        Language::English => EN[index],
    }
}

pub fn month_name(month: u32, language: Language) -> &'static str {
    const ID: [&str; 12] = [
        "Januari",
        "Februari",
        "Maret",
        "April",
        "Mei",
        "Juni",
        "Juli",
        "Agustus",
        "September",
        "Oktober",
        "November",
        "Desember",
    ];
    const EN: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let index = (month.clamp(1, 12) - 1) as usize;
    match language {
        Language::Indonesian => ID[index],
        Language::English => EN[index],
    }
}

/// `Senin, 23 November 2026` / `Monday, 23 November 2026`.
pub fn long_date(date: NaiveDate, language: Language) -> String {
    format!(
        "{}, {} {} {}",
        weekday_name(date.weekday(), language),
        date.day(),
        month_name(date.month(), language),
        date.year()
    )
}

/// `Rp 30.000`: Indonesian thousands are separated by dots in both languages on a ticket.
pub fn rupiah(amount: u64) -> String {
    let digits = amount.to_string();
    let mut grouped = String::new();
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            grouped.push('.');
        }
        grouped.push(digit);
    }
    format!("Rp {grouped}")
}

/// What a visitor reads for the fee: "Gratis" when free, said plainly.
pub fn fee_text(fee: &Fee, language: Language) -> String {
    match fee {
        Fee::Fixed(0) => Text::Free.get(language).to_owned(),
        Fee::Fixed(amount) => rupiah(*amount),
        Fee::Varies { varies } => varies.get(language).to_owned(),
    }
}

/// Why a service is closed, in a few words.
pub fn closed_reason(reason: &ClosedReason, language: Language) -> String {
    match reason {
        ClosedReason::Holiday(name) => {
            format!(
                "{}: {}",
                Text::ClosedHoliday.get(language),
                name.get(language)
            )
        }
        ClosedReason::ClosedDate => Text::ClosedDate.get(language).to_owned(),
        ClosedReason::NotOpenToday => Text::NotOpenToday.get(language).to_owned(),
        ClosedReason::BeforeOpening => Text::BeforeOpening.get(language).to_owned(),
        ClosedReason::OnBreak(name) => {
            format!("{}: {}", Text::OnBreak.get(language), name.get(language))
        }
        ClosedReason::CutoffPassed => Text::CutoffPassed.get(language).to_owned(),
        ClosedReason::QuotaFull => Text::QuotaFull.get(language).to_owned(),
        ClosedReason::ClosedByStaff(notice) => staff_notice_text(*notice).get(language).to_owned(),
    }
}

/// What visitors read on a service staff closed for today.
pub fn staff_notice_text(notice: crate::staff_notice::StaffNotice) -> Text {
    use crate::staff_notice::StaffNotice;
    match notice {
        StaffNotice::OfficerAway => Text::OfficerAway,
        StaffNotice::SystemDown => Text::SystemDown,
        StaffNotice::FullToday => Text::FullToday,
        StaffNotice::ClosedToday => Text::ClosedToday,
    }
}

/// When to come back: "pukul 13:00 hari ini" or "Senin, 30 November 2026 pukul 08:00".
pub fn reopening_text(reopens: Option<Reopening>, today: NaiveDate, language: Language) -> String {
    let Some(reopens) = reopens else {
        return Text::NoReopening.get(language).to_owned();
    };
    let at = Text::At.get(language);
    if reopens.date == today {
        format!("{at} {} {}", reopens.time, Text::Today.get(language))
    } else {
        format!(
            "{} {at} {}",
            long_date(reopens.date, language),
            reopens.time
        )
    }
}

/// The whole message for a closed service: reason, then when to come back.
pub fn closure_text(closure: &Closure, today: NaiveDate, language: Language) -> String {
    format!(
        "{}. {} {}.",
        closed_reason(&closure.reason, language),
        Text::ComeBack.get(language),
        reopening_text(closure.reopens, today, language)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::ClockTime;
    use crate::lang::Localized;

    #[test]
    fn every_text_exists_in_every_language() {
        for text in Text::ALL {
            for language in Language::ALL {
                assert!(
                    !text.get(language).trim().is_empty(),
                    "{text:?} in {language:?}"
                );
            }
            // Identical wording in both is a sign a translation was forgotten.
            let same = text.get(Language::Indonesian) == text.get(Language::English);
            assert!(!same, "{text:?} is not translated");
        }
    }

    /// The `{name}` placeholders of a sentence, in order.
    fn placeholders(template: &str) -> Vec<&str> {
        template
            .split('{')
            .skip(1)
            .filter_map(|part| part.split_once('}').map(|(name, _)| name))
            .collect()
    }

    #[test]
    fn every_sentence_has_the_same_placeholders_in_every_language() {
        for text in Text::ALL {
            let mut indonesian = placeholders(text.get(Language::Indonesian));
            let mut english = placeholders(text.get(Language::English));
            indonesian.sort_unstable();
            english.sort_unstable();
            assert_eq!(indonesian, english, "{text:?}");
        }
    }

    #[test]
    fn placeholders_are_filled_once_and_unknown_ones_stay() {
        let values = [("counter", "Loket {date}"), ("date", "Senin")];
        assert_eq!(
            Text::PageCalled.fill(Language::English, &values),
            "Your number is called — Loket {date}. Please go to the counter now"
        );
        assert_eq!(fill_placeholders("{a} {b} {", &[("a", "1")]), "1 {b} {");
        assert_eq!(placeholders("{date} at {time}"), ["date", "time"]);
    }

    #[test]
    fn fill_puts_values_where_each_language_wants_them() {
        assert_eq!(
            Text::PageOf.fill(Language::Indonesian, &[("page", "2"), ("pages", "3")]),
            "Halaman 2 dari 3"
        );
        assert_eq!(
            Text::ReturningIn.fill(Language::English, &[("seconds", "5")]),
            "Returning to the start in 5 seconds."
        );
        assert_eq!(
            Text::GoToCounter.fill(Language::English, &[]),
            "Please go to {counter}",
            "a missing value stays visible"
        );
    }

    #[test]
    fn rupiah_uses_dots_for_thousands() {
        assert_eq!(rupiah(0), "Rp 0");
        assert_eq!(rupiah(950), "Rp 950");
        assert_eq!(rupiah(30_000), "Rp 30.000");
        assert_eq!(rupiah(1_250_000), "Rp 1.250.000");
    }

    #[test]
    fn free_is_said_plainly() {
        assert_eq!(fee_text(&Fee::Fixed(0), Language::Indonesian), "Gratis");
        assert_eq!(fee_text(&Fee::Fixed(0), Language::English), "Free");
        assert_eq!(
            fee_text(&Fee::Fixed(30_000), Language::English),
            "Rp 30.000"
        );
    }

    #[test]
    fn closures_say_why_and_when() {
        let today: NaiveDate = "2026-11-27".parse().expect("date");
        let prayer = Closure {
            reason: ClosedReason::OnBreak(Localized::new(
                "Istirahat salat Jumat",
                "Friday prayer break",
            )),
            reopens: Some(Reopening {
                date: today,
                time: ClockTime::new(13, 0),
            }),
        };
        assert_eq!(
            closure_text(&prayer, today, Language::English),
            "On a break: Friday prayer break. Please come back at 13:00 today."
        );
        let full = Closure {
            reason: ClosedReason::QuotaFull,
            reopens: Some(Reopening {
                date: "2026-11-30".parse().expect("date"),
                time: ClockTime::new(8, 0),
            }),
        };
        assert_eq!(
            closure_text(&full, today, Language::Indonesian),
            "Kuota hari ini sudah habis. Silakan datang kembali Senin, 30 November 2026 pukul 08:00."
        );
    }
}
