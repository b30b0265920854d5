//! The survey's sentences on screen and on the ticket, in each language (the elements' own
//! questions and answers are in [`super::Element::wording`]).

use crate::lang::Language;

crate::texts! {
    OnTicket => "Survei kepuasan: kode {code}", "Satisfaction survey: code {code}";
    StartButton => "Isi survei kepuasan", "Rate our service";
    StartHint => "Sudah dilayani? Pakai nomor dan kode di tiket", "Served already? Use the number and code on your ticket";
    StartHintScan => "Sudah dilayani? Pindai kode QR tiket Anda di pemindai", "Served already? Scan your ticket's QR code at the scanner";
    Title => "Survei Kepuasan Masyarakat", "Public satisfaction survey";
    EntryExplain => "Ketik nomor antrean dan kode survei yang tercetak di bagian bawah tiket Anda.", "Type the queue number and the survey code printed at the foot of your ticket.";
    EntryExplainScan => "Dekatkan kode QR tiket Anda ke pemindai, atau ketik nomor antrean dan kode survei yang tercetak di bagian bawah tiket.", "Hold your ticket's QR code to the scanner, or type the queue number and the survey code printed at the foot of your ticket.";
    NumberLabel => "Nomor antrean", "Queue number";
    CodeLabel => "Kode survei", "Survey code";
    Continue => "Lanjut", "Continue";
    Back => "Kembali", "Back";
    Cancel => "Batal", "Cancel";
    Delete => "Hapus", "Delete";
    Space => "Spasi", "Space";
    Checking => "Memeriksa tiket…", "Checking the ticket…";
    WrongCode => "Nomor atau kode tidak cocok. Periksa lagi tiket Anda.", "The number or the code does not match. Check your ticket again.";
    Voided => "Tiket ini sudah dibatalkan, jadi tidak dapat dinilai.", "This ticket was cancelled, so it cannot be rated.";
    TooOld => "Tiket ini sudah terlalu lama. Survei hanya untuk tiket {days} hari terakhir.", "This ticket is too old. The survey takes tickets of the last {days} day(s) only.";
    Answered => "Survei untuk tiket ini sudah diisi. Terima kasih!", "The survey for this ticket has already been answered. Thank you!";
    CheckFailed => "Tiket tidak dapat diperiksa sekarang. Silakan beri tahu petugas.", "The ticket cannot be checked now. Please tell a member of staff.";
    ScanNotTicket => "Kode yang dipindai bukan tiket antrean. Pindai kode QR pada tiket Anda.", "The code scanned is not a queue ticket. Scan the QR code on your ticket.";
    ScanOtherKiosk => "Tiket ini dari kios {kiosk}. Isi survei di kios itu, atau di ponsel Anda lewat kode QR tiket.", "This ticket comes from kiosk {kiosk}. Rate it at that kiosk, or on your phone through the ticket's QR code.";
    ScanForged => "Keaslian tiket ini tidak dapat dipastikan. Silakan beri tahu petugas.", "This ticket could not be verified. Please tell a member of staff.";
    ScanNotOnRecord => "Tiket ini tidak tercatat di kios ini. Isi survei di ponsel Anda lewat kode QR tiket.", "This kiosk holds no record of this ticket. Rate it on your phone through the ticket's QR code.";
    Progress => "Pertanyaan {n} dari {total}", "Question {n} of {total}";
    AboutYou => "Tentang Anda (boleh dilewati)", "About you (you may skip this)";
    FactProgress => "Data {n} dari {total}", "Detail {n} of {total}";
    Age => "Usia", "Age";
    Sex => "Jenis kelamin", "Sex";
    Education => "Pendidikan", "Education";
    Occupation => "Pekerjaan", "Occupation";
    Skip => "Lewati", "Skip";
    SuggestionTitle => "Saran (boleh dikosongkan)", "Suggestion (optional)";
    SuggestionHint => "Jangan tulis nama, NIK, atau nomor telepon.", "Do not write a name, NIK or phone number.";
    CharactersLeft => "Sisa {left} huruf", "{left} characters left";
    Finish => "Selesai dan kirim", "Finish and send";
    SuggestionNik => "Saran tampak berisi NIK. Survei ini tanpa nama: hapus nomornya.", "The suggestion seems to hold a NIK. The survey is anonymous: remove the number.";
    SuggestionPhone => "Saran tampak berisi nomor telepon. Survei ini tanpa nama: hapus nomornya.", "The suggestion seems to hold a phone number. The survey is anonymous: remove the number.";
    SuggestionLong => "Saran terlalu panjang: paling banyak {max} huruf.", "The suggestion is too long: {max} characters at most.";
    Saving => "Menyimpan jawaban…", "Saving your answers…";
    Thanks => "Terima kasih!", "Thank you!";
    ThanksBody => "Penilaian Anda membantu kami memperbaiki pelayanan.", "Your rating helps us improve our service.";
    SaveFailed => "Jawaban tidak dapat disimpan. Silakan beri tahu petugas.", "The answers could not be saved. Please tell a member of staff.";
    Home => "Kembali ke awal", "Back to the start";
}

#[cfg(test)]
mod tests {
    use super::*;

    fn placeholders(template: &str) -> Vec<&str> {
        let mut names: Vec<&str> = template
            .split('{')
            .skip(1)
            .filter_map(|part| part.split_once('}').map(|(name, _)| name))
            .collect();
        names.sort_unstable();
        names
    }

    #[test]
    fn every_survey_sentence_is_translated_with_the_same_placeholders() {
        for text in Text::ALL {
            let (indonesian, english) =
                (text.get(Language::Indonesian), text.get(Language::English));
            assert!(!indonesian.trim().is_empty() && !english.trim().is_empty());
            assert_ne!(indonesian, english, "{text:?} is not translated");
            assert_eq!(placeholders(indonesian), placeholders(english), "{text:?}");
        }
        assert_eq!(
            Text::Progress.fill(Language::English, &[("n", "2"), ("total", "9")]),
            "Question 2 of 9"
        );
    }
}
