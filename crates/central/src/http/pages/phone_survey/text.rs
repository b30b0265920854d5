//! The phone survey's own sentences, in each language (the questions, answers, facts and the
//! suggestion's refusals are the kiosk's, from `mpp_core::survey`).

use mpp_core::lang::Language;

mpp_core::strings::texts! {
    Link => "Isi survei kepuasan", "Rate this service";
    RatedThanks => "Terima kasih, penilaian Anda sudah kami terima.", "Thank you, we have received your rating.";
    Intro => "Penilaian Anda tanpa nama dan dihitung satu kali untuk tiket ini.", "Your rating is anonymous and counts once for this ticket.";
    TicketLine => "Tiket {number}", "Ticket {number}";
    AnswerAll => "Jawab semua pertanyaan: {missing} belum dijawab.", "Please answer every question: {missing} not answered yet.";
    NotGiven => "Tidak diisi", "Not given";
    NotServedTitle => "Belum dilayani", "Not served yet";
    NotServedHelp => "Survei dapat diisi setelah Anda dilayani di loket.", "The survey opens once you have been served at the counter.";
    AlreadyRated => "Tiket ini sudah dinilai", "This ticket has already been rated";
    AlreadyRatedHelp => "Setiap tiket dinilai satu kali, di kiosk atau di ponsel. Terima kasih!", "Each ticket is rated once, at the kiosk or on a phone. Thank you!";
    VoidedTitle => "Tiket dibatalkan", "Ticket cancelled";
    TooOldTitle => "Tiket sudah terlalu lama", "Ticket too old";
    NotTakenTitle => "Jawaban tidak dapat diterima", "The answers cannot be taken";
    BadForm => "Formulir tidak terbaca. Silakan isi lagi.", "The form could not be read. Please fill it in again.";
    BackToTicket => "Kembali ke tiket", "Back to the ticket";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_phone_sentence_is_translated() {
        for text in Text::ALL {
            let (indonesian, english) =
                (text.get(Language::Indonesian), text.get(Language::English));
            assert!(
                !indonesian.trim().is_empty() && indonesian != english,
                "{text:?}"
            );
            assert_eq!(
                indonesian.matches('{').count(),
                english.matches('{').count(),
                "{text:?}"
            );
        }
    }
}
