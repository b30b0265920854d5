//! The few HTML pages the server shows: escaping, the shared frame, and every sentence in
//! Indonesian and English. Pages show the primary language with the other one beneath.

use axum::http::header::{
    CACHE_CONTROL, CONTENT_SECURITY_POLICY, CONTENT_TYPE, REFERRER_POLICY, WWW_AUTHENTICATE,
    X_CONTENT_TYPE_OPTIONS,
};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use mpp_core::lang::Language;

use mpp_core::strings::texts;

texts! {
    YourNumber => "Nomor antrian Anda", "Your queue number";
    Priority => "Layanan prioritas", "Priority service";
    Waiting => "Menunggu dipanggil", "Waiting to be called";
    CalledTo => "Dipanggil ke", "Called to";
    GoNow => "Silakan menuju loket sekarang", "Please go to the counter now";
    Served => "Sudah dilayani", "Served";
    NoShow => "Tidak hadir saat dipanggil", "Not present when called";
    Voided => "Tiket dibatalkan", "Ticket cancelled";
    PeopleAhead => "Orang di depan Anda", "People ahead of you";
    Counter => "Loket", "Counter";
    Issued => "Diambil", "Issued";
    At => "pukul", "at";
    ValidToday => "Berlaku hanya hari ini", "Valid today only";
    Expired => "Tiket ini sudah tidak berlaku. Tiket hanya berlaku pada tanggal", "This ticket is no longer valid. It was valid only on";
    Refreshes => "Halaman ini diperbarui sendiri setiap 30 detik", "This page refreshes itself every 30 seconds";
    NotValid => "Bukan tiket yang sah", "Not a valid ticket";
    NotValidHelp => "Kode QR ini tidak cocok dengan tiket mana pun. Pindai lagi kode pada tiket Anda atau tanyakan petugas.", "This QR code does not match any ticket. Scan the code on your ticket again or ask an officer.";
    NotYetKnown => "Tiket belum tercatat", "Ticket not recorded yet";
    NotYetKnownHelp => "Tiket Anda sah tetapi belum sampai di server. Coba lagi beberapa menit lagi.", "Your ticket is valid but has not reached the server yet. Try again in a few minutes.";
    Unavailable => "Layanan sedang terganggu", "Service temporarily unavailable";
    UnavailableHelp => "Silakan coba lagi sebentar lagi atau tanyakan petugas.", "Please try again shortly or ask an officer.";
}

/// The two languages of a page, the primary one first.
pub fn languages(english_first: bool) -> [Language; 2] {
    if english_first {
        [Language::English, Language::Indonesian]
    } else {
        [Language::Indonesian, Language::English]
    }
}

/// Text safe to put in HTML content and quoted attributes.
pub fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for character in text.chars() {
        match character {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            other => escaped.push(other),
        }
    }
    escaped
}

/// The primary text, with the other language beneath it in smaller type (both escaped).
pub fn both(primary: &str, secondary: &str, [_, second]: [Language; 2]) -> String {
    if primary == secondary {
        return escape(primary);
    }
    format!(
        "{}<span class=\"alt\" lang=\"{}\">{}</span>",
        escape(primary),
        second.code(),
        escape(secondary)
    )
}

/// A fixed sentence in both languages.
pub fn text(key: Text, languages: [Language; 2]) -> String {
    both(key.get(languages[0]), key.get(languages[1]), languages)
}

const STYLE: &str = "\
body{margin:0;font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;background:#f4f5f7;color:#111;line-height:1.4}\
main{max-width:34rem;margin:0 auto;padding:1rem}\
.card{background:#fff;border-radius:12px;padding:1rem 1.25rem;box-shadow:0 1px 3px rgba(0,0,0,.12)}\
.alt{display:block;font-size:.8em;color:#555;font-weight:normal}\
.mpp{font-weight:600;color:#333;margin:0 0 .5rem}\
.number{font-size:3.5rem;font-weight:800;letter-spacing:.04em;margin:.25rem 0;text-align:center}\
.label{text-align:center;margin:0}\
.badge{display:block;text-align:center;background:#7b1fa2;color:#fff;border-radius:8px;padding:.25rem}\
.badge .alt{color:#eee}\
.status{border-radius:8px;padding:.75rem;margin:1rem 0;font-size:1.3rem;font-weight:700;text-align:center}\
.waiting{background:#e3f2fd}.called{background:#fff3cd}.done{background:#e8f5e9}.gone{background:#eceff1}\
.bad{background:#fdecea;color:#8a1c1c}\
.ahead{font-size:2.5rem;font-weight:800;text-align:center;margin:0}\
dl{margin:.5rem 0}dt{font-weight:600;margin-top:.5rem}dd{margin:0}\
.valid{font-weight:700;text-align:center;margin-top:1rem}\
.small{font-size:.85rem;color:#555;text-align:center}\
table{border-collapse:collapse;width:100%;background:#fff;font-size:.9rem}\
th,td{border:1px solid #ccc;padding:.35rem .5rem;text-align:left;vertical-align:top}\
tr.warn td{background:#fff3cd}td.num{text-align:right}\
.wide{max-width:none}";

/// A whole page; `refresh` reloads it every so many seconds.
pub fn page(title: &str, language: Language, refresh: Option<u32>, body: &str) -> String {
    let refresh = refresh
        .map(|seconds| format!("<meta http-equiv=\"refresh\" content=\"{seconds}\">"))
        .unwrap_or_default();
    format!(
        "<!doctype html>\n<html lang=\"{lang}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <meta name=\"robots\" content=\"noindex\">{refresh}<title>{title}</title>\
         <style>{STYLE}</style></head><body>{body}</body></html>\n",
        lang = language.code(),
        title = escape(title),
    )
}

/// An HTML answer that is never cached, never leaks its address onwards and runs no script.
pub fn respond(status: StatusCode, html: String) -> Response {
    let mut response = (status, html).into_response();
    let headers = response.headers_mut();
    let set = [
        (CONTENT_TYPE, "text/html; charset=utf-8"),
        (CACHE_CONTROL, "no-store"),
        (REFERRER_POLICY, "no-referrer"),
        (X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (
            CONTENT_SECURITY_POLICY,
            "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'",
        ),
    ];
    for (name, value) in set {
        headers.insert(name, HeaderValue::from_static(value));
    }
    if status == StatusCode::UNAUTHORIZED {
        headers.insert(WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
    }
    response
}

/// A short page for a visitor who cannot be shown a ticket.
pub fn message_page(
    status: StatusCode,
    title: Text,
    help: Text,
    languages: [Language; 2],
) -> Response {
    let body = format!(
        "<main><div class=\"card\"><p class=\"status bad\">{}</p><p>{}</p></div></main>",
        text(title, languages),
        text(help, languages)
    );
    let heading = format!("{} / {}", title.get(languages[0]), title.get(languages[1]));
    respond(status, page(&heading, languages[0], None, &body))
}

/// `45 s`, `12 min`, `3 h 5 min`, `2 d 4 h`: how long ago, for people.
pub fn age(duration: chrono::TimeDelta) -> String {
    let seconds = duration.num_seconds().max(0);
    match seconds {
        0..60 => format!("{seconds} s"),
        60..3600 => format!("{} min", seconds / 60),
        3600..86400 => format!("{} h {} min", seconds / 3600, seconds % 3600 / 60),
        _ => format!("{} d {} h", seconds / 86400, seconds % 86400 / 3600),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_text_exists_in_every_language_and_differs() {
        for text in Text::ALL {
            for language in Language::ALL {
                assert!(
                    !text.get(language).trim().is_empty(),
                    "{text:?} {language:?}"
                );
            }
            assert_ne!(
                text.get(Language::Indonesian),
                text.get(Language::English),
                "{text:?} is not translated"
            );
        }
    }

    #[test]
    fn escaping_covers_markup_and_quotes() {
        assert_eq!(
            escape("<a href=\"x\">'&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
        let html = both("<b>", "<i>", languages(false));
        assert!(!html.contains("<b>") && !html.contains("<i>"));
    }

    #[test]
    fn ages_read_naturally() {
        let age_of = |seconds| age(chrono::TimeDelta::seconds(seconds));
        assert_eq!(age_of(-5), "0 s");
        assert_eq!(age_of(59), "59 s");
        assert_eq!(age_of(125), "2 min");
        assert_eq!(age_of(3 * 3600 + 300), "3 h 5 min");
        assert_eq!(age_of(2 * 86400 + 4 * 3600), "2 d 4 h");
    }
}
