//! The words of the technician's PIN pad and menu, in each [`Language`], declared like the
//! visitor's in [`super`]: a technician may read either language, and the screen switches with
//! the visitor's language buttons.

use crate::lang::Language;

crate::texts! {
    PadTitle => "Menu teknisi", "Technician's menu";
    EnterPin => "Masukkan PIN teknisi", "Enter the technician's PIN";
    Checking => "Memeriksa PIN…", "Checking the PIN…";
    WrongPin => "PIN salah. Sisa percobaan sebelum terkunci: {tries}", "Wrong PIN. Tries left before the pad locks: {tries}";
    PadLockedFor => "Terlalu banyak PIN salah. Tombol terkunci, coba lagi dalam {time}.", "Too many wrong PINs. The keys are locked; try again in {time}.";
    PadLocked => "Terlalu banyak PIN salah. Coba lagi dalam {minutes} menit.", "Too many wrong PINs. Try again in {minutes} minute(s).";
    NoPinSet => "Belum ada PIN. Atur lewat SSH: mpp-kiosk maintenance set-pin", "No PIN is set. Set one over SSH: mpp-kiosk maintenance set-pin";
    PadFault => "PIN tidak dapat diperiksa sekarang. Lihat log kios.", "The PIN cannot be checked now. See the kiosk's log.";
    ClearDigit => "Hapus", "Delete";
    EnterDigits => "Masuk", "Enter";
    Cancel => "Batal", "Cancel";
    CloseMenu => "Tutup menu", "Close the menu";
    PagePrinter => "Printer tiket", "Ticket printer";
    PageKiosk => "Kios ini", "This kiosk";
    PageServices => "Layanan", "Services";
    NoServiceClosed => "Tidak ada layanan yang ditutup petugas hari ini.", "No service is closed by staff today.";
    ClosedTodayList => "Ditutup petugas hari ini:", "Closed by staff today:";
    PickAgency => "Pilih instansi untuk menutup atau membuka layanannya:", "Pick an agency to close or reopen its services:";
    ServiceOpen => "buka", "open";
    ServiceClosedWith => "ditutup hari ini: {notice}", "closed today: {notice}";
    CloseService => "Tutup hari ini", "Close for today";
    ReopenService => "Buka lagi", "Reopen";
    CloseWithNotice => "Pesan untuk pengunjung:", "The message visitors read:";
    KeepOpen => "Tetap buka", "Keep it open";
    ShowClosed => "Layanan yang ditutup hari ini ({count})", "Services closed today ({count})";
    AgencyClosedCount => "{agency} ({closed} ditutup)", "{agency} ({closed} closed)";
    BackToAgencies => "‹ Kembali", "‹ Back";
    ClosingService => "Tutup hari ini: {service}", "Close for today: {service}";
    NoticeOfficerAway => "Petugas tidak hadir", "Officer away";
    NoticeSystemDown => "Sistem instansi gangguan", "Agency system down";
    NoticeFullToday => "Instansi penuh hari ini", "Agency full today";
    NoticeClosedToday => "Tutup tanpa alasan", "Closed, no reason";
    PrinterStateNow => "Keadaan printer sekarang", "The printer now";
    PrinterPort => "Sambungan: {port}", "Connection: {port}";
    ScannerConnected => "Pemindai tiket: tersambung. Pindai tiket untuk mengujinya.", "Ticket scanner: connected. Scan a ticket to test it.";
    ScannerLastRead => "Pemindai tiket: tersambung, kode terakhir terbaca pukul {time}.", "Ticket scanner: connected, last code read at {time}.";
    ScannerAbsent => "Pemindai tiket: tidak tersambung ({reason}).", "Ticket scanner: not connected ({reason}).";
    PrintTestPage => "Cetak halaman uji", "Print a test page";
    PaperLoaded => "Gulungan kertas baru sudah dipasang", "New paper roll loaded";
    ActionWorking => "Sedang dikerjakan…", "Working on it…";
    ActionDone => "Selesai.", "Done.";
    ActionFailed => "Tidak berhasil. Lihat log kios untuk rinciannya.", "It did not work. The kiosk's log has the details.";
    KioskVersion => "Versi program: {version}", "Program version: {version}";
    KioskId => "Kios {id} · nomor {first}–{last}", "Kiosk {id} · numbers {first}–{last}";
    ExitFullScreen => "Keluar dari layar penuh", "Leave full screen";
    ExitToDesktop => "Tutup aplikasi kios", "Close the kiosk app";
    PageSync => "Sinkronisasi", "Sync";
    SyncOff => "Sinkronisasi tidak aktif di kios ini ([sync] enabled = false).", "Sync is off on this kiosk ([sync] enabled = false).";
    SyncReachable => "Server pusat terjangkau", "The central server is reachable";
    SyncUnreachable => "Server pusat tidak terjangkau pada percobaan terakhir", "The central server was not reachable at the last try";
    SyncLastOk => "Terakhir berhasil: {time}", "Last success: {time}";
    SyncNever => "Belum pernah berhasil", "Never succeeded yet";
    SyncUnsent => "Belum terkirim: {count}", "Not sent yet: {count}";
    SyncOldest => "Yang tertua menunggu sejak {time}", "The oldest has waited since {time}";
    SyncRefused => "Ditolak server (disisihkan): {count}", "Refused by the server (set aside): {count}";
    CatalogVersion => "Versi katalog: {version}", "Catalog version: {version}";
    SyncNow => "Sinkronkan sekarang (termasuk katalog)", "Sync now (the catalog too)";
    Loading => "Memuat…", "Loading…";
    PageRecovery => "Pemulihan", "Recovery";
    DayServing => "Nomor diberikan pada hari {day}; jam kios dan hari kerja cocok.", "Numbers go on {day}; the kiosk's clock and the business day agree.";
    DayReturning => "Nomor kembali ke hari jam ({to}); nomor hari {from} tetap terpakai.", "Numbering returns to the clock's day ({to}); the numbers of {from} stay taken.";
    DayInDoubt => "Hari kerja diragukan: nomor pada {held}, jam kios {clock}, server {server}. Periksa jam; bila jam benar, tekan tombol di bawah.", "The business day is in doubt: numbers on {held}, the kiosk's clock {clock}, the server {server}. Check the clock; if it is right, press the button below.";
    ServerUnknown => "tidak diketahui", "unknown";
    SettleDay => "Jam sudah benar: lanjut di hari jam", "The clock is right: go on on its day";
    StartAtLabel => "Nomor hari ini mulai dari: {first}", "Today's numbers start at: {first}";
    StartAt => "Mulai dari nomor ini", "Start at this number";
    CleanScreen => "Bersihkan layar (30 detik)", "Clean the screen (30 s)";
    Cleaning => "Membersihkan layar: sentuhan diabaikan {seconds} detik lagi.", "Cleaning the screen: touches are ignored for {seconds} more seconds.";
    PageToday => "Hari ini", "Today";
    TodayTotal => "Nomor hari ini ({day}): {count}", "Numbers today ({day}): {count}";
    TodayService => "{service}: {issued} diambil, {printed} tercetak, {failed} gagal cetak, {voided} dibatalkan", "{service}: {issued} taken, {printed} printed, {failed} not printed, {voided} voided";
    StatusIssued => "belum dicetak", "not printed yet";
    StatusPrinted => "tercetak", "printed";
    StatusPrintFailed => "gagal cetak", "not printed";
    StatusReprinted => "dicetak ulang", "reprinted";
    StatusVoided => "dibatalkan", "voided";
    LastTicket => "Nomor terakhir: {number}, pukul {time} ({status})", "Last ticket: {number} at {time} ({status})";
    NoTicketYet => "Belum ada nomor hari ini.", "No number yet today.";
    ReprintLast => "Cetak ulang nomor ini", "Reprint this ticket";
    VoidBecause => "Batalkan nomor ini karena:", "Void this ticket because:";
    VoidPrintFailed => "Gagal tercetak", "It did not print";
    VoidVisitorLeft => "Pengunjung pergi", "The visitor left";
    VoidWrongService => "Salah layanan", "Wrong service";
    VoidTest => "Uji coba", "A test";
    FoundTicket => "Nomor {number}, pukul {time} ({status})", "Ticket {number} at {time} ({status})";
    VoidOpen => "Batalkan nomor ini…", "Void this ticket…";
    FindNumber => "Cari nomor lain", "Find another number";
    ShowLast => "Kembali ke nomor terakhir", "Back to the last ticket";
    TypeNumber => "Nomor yang dicari: {number}", "Number to find: {number}";
    NumberNotFound => "Tidak ada nomor {number} hari ini.", "There is no ticket {number} today.";
    FindIt => "Cari", "Find";
    VoidNote => "Catatan (≤ {limit} huruf, tanpa nama/NIK/telepon): {note}", "Note (≤ {limit} characters, no name/NIK/phone): {note}";
    AddNote => "Tambah catatan…", "Add a note…";
    NoteTooLong => "Catatan terlalu panjang.", "The note is too long.";
    NoteNik => "Catatan tampak berisi NIK. Catatan dikirim ke server dan disimpan: hapus angkanya.", "The note seems to hold a NIK. Notes are synced and kept: remove the number.";
    NotePhone => "Catatan tampak berisi nomor telepon. Hapus angkanya.", "The note seems to hold a phone number. Remove the number.";
    VoidIt => "Batalkan", "Void it";
    SpaceKey => "spasi", "space";
    NewPin => "PIN baru (4–8 angka):", "New PIN (4–8 digits):";
    NewPinAgain => "Ketik PIN baru sekali lagi:", "Type the new PIN once more:";
    ChangePin => "Ganti PIN", "Change the PIN";
    NextStep => "Lanjut", "Next";
    RestartApp => "Mulai ulang aplikasi", "Restart the app";
    TestSound => "Uji suara", "Test sound";
    RecentLog => "Catatan log terakhir:", "Recent log lines:";
    NoLogLines => "Belum ada catatan log sejak aplikasi dimulai.", "Nothing logged since the app started.";
    ShowPreview => "Pratinjau tiket", "Ticket preview";
    PreviewNote => "Seperti ini tiket akan tercetak (nomor terakhir hari ini, atau contoh):", "The ticket as it will print (today's last number, or a sample):";
    ReloadCatalog => "Muat ulang katalog layanan", "Reload the service catalog";
    DatabaseSize => "Basis data: {size} · ruang kosong disk: {free}", "Database: {size} · free disk space: {free}";
    MenuClosesIn => "Menu tertutup sendiri setelah {minutes} menit tanpa sentuhan.", "The menu closes itself after {minutes} minute(s) without a touch.";
}

/// A ticket's state in the menu's words.
pub fn status_text(status: crate::ticket::TicketStatus) -> Text {
    use crate::ticket::TicketStatus;
    match status {
        TicketStatus::Issued => Text::StatusIssued,
        TicketStatus::Printed => Text::StatusPrinted,
        TicketStatus::PrintFailed => Text::StatusPrintFailed,
        TicketStatus::Reprinted => Text::StatusReprinted,
        TicketStatus::Voided => Text::StatusVoided,
    }
}

/// A size in bytes as a technician reads it: MB below a gigabyte, GB above, one decimal,
/// with the language's decimal mark ("43,7 GB" in Indonesian, "43.7 GB" in English).
pub fn size_text(bytes: u64, language: crate::lang::Language) -> String {
    const MB: f64 = 1024.0 * 1024.0;
    let (amount, unit) = match bytes as f64 / MB {
        megabytes if megabytes >= 1024.0 => (megabytes / 1024.0, "GB"),
        megabytes => (megabytes, "MB"),
    };
    let figure = format!("{amount:.1}");
    match language {
        crate::lang::Language::Indonesian => format!("{} {unit}", figure.replace('.', ",")),
        crate::lang::Language::English => format!("{figure} {unit}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_are_in_megabytes_or_gigabytes_with_the_languages_decimal_mark() {
        use crate::lang::Language::{English, Indonesian};
        assert_eq!(size_text(409_600, Indonesian), "0,4 MB");
        assert_eq!(size_text(83_250_000_000, Indonesian), "77,5 GB");
        assert_eq!(size_text(83_250_000_000, English), "77.5 GB");
        assert_eq!(size_text(1024 * 1024 * 1023, Indonesian), "1023,0 MB");
        assert_eq!(size_text(1024 * 1024 * 1024, English), "1.0 GB");
    }

    #[test]
    fn every_text_exists_translated_with_the_same_placeholders() {
        let placeholders = |template: &str| {
            let mut names: Vec<String> = template
                .split('{')
                .skip(1)
                .filter_map(|part| part.split_once('}').map(|(name, _)| name.to_owned()))
                .collect();
            names.sort();
            names
        };
        for text in Text::ALL {
            let indonesian = text.get(Language::Indonesian);
            let english = text.get(Language::English);
            assert!(!indonesian.trim().is_empty() && !english.trim().is_empty());
            assert_ne!(indonesian, english, "{text:?} is not translated");
            assert_eq!(placeholders(indonesian), placeholders(english), "{text:?}");
        }
    }
}
