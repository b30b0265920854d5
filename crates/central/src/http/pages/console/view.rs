//! The console as the counter clerk sees it: big buttons a thumb or a key reaches, what just
//! happened in one line, the point's queues beneath. Indonesian with English beneath.

use chrono::{DateTime, Utc};
use maud::{Markup, html};

use super::Point;
use crate::http::html::{both, page};
use crate::http::pages::login::StaffText;
use crate::http::sessions::Signed;
use crate::rules::counter::{OutOfTurn, Pause};
use crate::storage::console::{Current, QueueNow};
use crate::storage::points::Paused;
use mpp_core::day::TimeZone;
use mpp_core::lang::Language;

const LANGUAGES: [Language; 2] = [Language::Indonesian, Language::English];
/// The page reloads itself this often, so the queues stay current without a key press.
const REFRESH_SECONDS: u32 = 15;

fn say(indonesian: &str, english: &str) -> Markup {
    both(indonesian, english, LANGUAGES)
}

/// What came of the last move.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Said {
    Called(String),
    Recalled(String),
    Served(String),
    NoShow(String),
    NobodyWaits,
    NobodyCalled,
    FinishFirst(String),
    RecallTooSoon(u64),
    /// Number, times called, calls needed.
    CallAgainFirst(String, u32, u32),
    Refused(String),
    Unknown,
    NoReason,
    NumberUnknown(String),
    /// Number, its queue.
    NumberOtherQueue(String, String),
    /// Number, where it stands.
    NumberNotWaiting(String, String),
    /// Number, queue.
    Transferred(String, String),
    TransferSameQueue(String, String),
    TransferWhere,
    /// "Next" refused: the point is paused.
    Paused(Pause),
    PausedNow(Pause),
    Opened,
}

impl Said {
    pub fn refused(&self) -> bool {
        matches!(
            self,
            Said::FinishFirst(_)
                | Said::RecallTooSoon(_)
                | Said::CallAgainFirst(..)
                | Said::Refused(_)
                | Said::Unknown
                | Said::NobodyCalled
                | Said::NoReason
                | Said::NumberUnknown(_)
                | Said::NumberOtherQueue(..)
                | Said::NumberNotWaiting(..)
                | Said::Paused(_)
                | Said::TransferSameQueue(..)
                | Said::TransferWhere
        )
    }

    fn line(&self) -> Markup {
        match self {
            Said::Called(number) => say(
                &format!("{number} dipanggil."),
                &format!("{number} called."),
            ),
            Said::Recalled(number) => say(
                &format!("{number} dipanggil ulang."),
                &format!("{number} called again."),
            ),
            Said::Served(number) => say(
                &format!("{number} selesai dilayani."),
                &format!("{number} served."),
            ),
            Said::NoShow(number) => say(
                &format!("{number} dicatat tidak hadir."),
                &format!("{number} marked as a no-show."),
            ),
            Said::NobodyWaits => say("Tidak ada yang menunggu.", "Nobody is waiting."),
            Said::NobodyCalled => say(
                "Belum ada nomor yang dipanggil di loket ini.",
                "No number is called at this point.",
            ),
            Said::FinishFirst(number) => say(
                &format!("Selesaikan {number} dulu: dilayani atau tidak hadir."),
                &format!("Finish {number} first: served or no-show."),
            ),
            Said::RecallTooSoon(seconds) => say(
                &format!("Tunggu {seconds} detik sebelum memanggil ulang."),
                &format!("Wait {seconds} s before calling again."),
            ),
            Said::CallAgainFirst(number, times, needed) => say(
                &format!(
                    "{number} baru dipanggil {times} kali: panggil ulang dulu (tidak hadir setelah {needed} kali)."
                ),
                &format!(
                    "{number} was called {times} time(s): call again first (no-show after {needed})."
                ),
            ),
            Said::Refused(why) => say("Tidak dapat dicatat.", why),
            Said::Unknown => say("Perintah tidak dikenal.", "Unknown action."),
            Said::NoReason => say(
                "Pilih alasan memanggil di luar urutan.",
                "Choose why the number is called out of turn.",
            ),
            Said::NumberUnknown(number) => say(
                &format!("Tidak ada nomor {number} hari ini."),
                &format!("No number {number} today."),
            ),
            Said::NumberOtherQueue(number, queue) => say(
                &format!("{number} ada di antrean {queue}, yang tidak dilayani loket ini."),
                &format!("{number} is in queue {queue}, which this point does not serve."),
            ),
            Said::Paused(pause) => say(
                &format!(
                    "Loket ditutup sementara ({}): buka dulu untuk memanggil.",
                    pause.label().0
                ),
                &format!(
                    "The point is paused ({}): open it to call.",
                    pause.label().1
                ),
            ),
            Said::PausedNow(pause) => say(
                &format!("Loket ditutup sementara: {}.", pause.label().0),
                &format!("Point paused: {}.", pause.label().1),
            ),
            Said::Opened => say("Loket dibuka lagi.", "Point open again."),
            Said::Transferred(number, queue) => say(
                &format!("{number} dipindahkan ke antrean {queue}, dengan waktu ambil nomornya."),
                &format!("{number} sent on to queue {queue}, keeping when it was issued."),
            ),
            Said::TransferSameQueue(number, queue) => say(
                &format!("{number} sudah di antrean {queue}."),
                &format!("{number} is in queue {queue} already."),
            ),
            Said::TransferWhere => say(
                "Pilih layanan tujuan.",
                "Choose the service to send the visitor on to.",
            ),
            Said::NumberNotWaiting(number, standing) => say(
                &format!("{number} tidak sedang menunggu ({standing})."),
                &format!("{number} is not waiting ({standing})."),
            ),
        }
    }
}

pub struct Page<'a> {
    pub signed: &'a Signed,
    pub point: &'a Point<'a>,
    pub queues: &'a [QueueNow],
    pub current: Option<&'a Current>,
    pub paused: Option<Paused>,
    /// The MPP's queues a visitor may be sent on to: prefix, name.
    pub targets: &'a [(String, String)],
    pub said: Option<Said>,
    pub now: DateTime<Utc>,
    pub zone: TimeZone,
}

/// The four moves: action, key, Indonesian, English.
const MOVES: [(&str, &str, &str, &str); 4] = [
    ("next", "N", "Panggil berikutnya", "Call next"),
    ("recall", "R", "Panggil ulang", "Call again"),
    ("served", "S", "Selesai dilayani", "Served"),
    ("no_show", "X", "Tidak hadir", "No-show"),
];

impl Page<'_> {
    pub fn render(&self) -> String {
        let point = self.point;
        let account = &self.signed.account;
        let refresh_to = format!(
            "{REFRESH_SECONDS};url=/counter?point={}",
            mpp_core::url::encoded(&point.name)
        );
        let body = html! {
            main class="console" data-point=(point.name) {
                div class="card" {
                    p class="mpp" { (point.mpp.name) " · " (account.name) }
                    h1 { (point.name) }
                    @if let Some(said) = &self.said {
                        p class={ "status " @if said.refused() { "bad" } @else { "done" } }
                            role="status" data-said=(format!("{said:?}")) { (said.line()) }
                    }
                    (self.pause_banner())
                    (self.current_ticket())
                    div class="moves" {
                        @for (action, key, indonesian, english) in MOVES {
                            form method="post" action="/counter" {
                                input type="hidden" name="form" value=(self.signed.form_token());
                                input type="hidden" name="point" value=(point.name);
                                input type="hidden" name="action" value=(action);
                                button type="submit" class={ "move " (action) } data-key=(key)
                                    accesskey=(key.to_lowercase()) {
                                    (say(indonesian, english))
                                    kbd { (key) }
                                }
                            }
                        }
                    }
                    (self.transfer_form())
                    (self.by_number())
                    (self.queue_table())
                    (self.pause_form())
                    (self.other_points())
                    form method="post" action="/logout" {
                        a href="/account" { (say("Akun saya", "My account")) } " "
                        button type="submit" { (StaffText::SignOut.both()) }
                    }
                }
            }
            script src="/assets/console.js" defer {}
        };
        let html = page(
            &format!("{} — loket / counter", point.name),
            Language::Indonesian,
            None,
            body,
        );
        // The refresh goes back to the plain page, never repeating a move.
        html.replacen(
            "<title>",
            &format!("<meta http-equiv=\"refresh\" content=\"{refresh_to}\"><title>"),
            1,
        )
    }

    fn current_ticket(&self) -> Markup {
        html! {
            div class="current" {
                @match self.current {
                    Some(current) => {
                        p class="label" { (say("Sedang dipanggil", "Called now")) }
                        p class="number" data-current=(current.number) { (current.number) }
                        p class="small" {
                            (say(
                                &format!("dipanggil {} kali, terakhir {} menit lalu", current.times, (self.now - current.called_at).num_minutes().max(0)),
                                &format!("called {} time(s), last {} min ago", current.times, (self.now - current.called_at).num_minutes().max(0)),
                            ))
                        }
                    }
                    None => {
                        p class="label" data-current="" { (say("Belum ada yang dipanggil", "Nobody called yet")) }
                    }
                }
            }
        }
    }

    fn form_fields(&self, action: &str) -> Markup {
        html! {
            input type="hidden" name="form" value=(self.signed.form_token());
            input type="hidden" name="point" value=(self.point.name);
            input type="hidden" name="action" value=(action);
        }
    }

    /// While paused: why, since when, and the way back.
    fn pause_banner(&self) -> Markup {
        html! {
            @if let Some(paused) = &self.paused {
                div class="status bad paused" data-paused=(paused.reason.code()) {
                    (say(
                        &format!("Loket ditutup sementara: {} · sejak {}", paused.reason.label().0, self.zone.local(paused.since).format("%H:%M")),
                        &format!("Point paused: {} · since {}", paused.reason.label().1, self.zone.local(paused.since).format("%H:%M")),
                    ))
                    form method="post" action="/counter" {
                        (self.form_fields("open"))
                        button type="submit" class="open" { (say("Buka lagi", "Open again")) }
                    }
                }
            }
        }
    }

    /// Sending the called visitor on to another service's queue.
    fn transfer_form(&self) -> Markup {
        html! {
            @if self.current.is_some() && !self.targets.is_empty() {
                form method="post" action="/counter" class="transfer" {
                    h2 { (say("Pindahkan ke layanan lain", "Send on to another service")) }
                    (self.form_fields("transfer"))
                    p {
                        label for="to" { (say("Antrean tujuan", "To the queue")) }
                        select id="to" name="to" required {
                            option value="" { "—" }
                            @for (prefix, name) in self.targets {
                                option value=(prefix) { (prefix) " — " (name) }
                            }
                        }
                    }
                    p { button type="submit" { (say("Pindahkan", "Send on")) } }
                }
            }
        }
    }

    /// Pausing the point, with the reason.
    fn pause_form(&self) -> Markup {
        html! {
            @if self.paused.is_none() {
                form method="post" action="/counter" class="pause" {
                    h2 { (say("Tutup loket sementara", "Pause this point")) }
                    (self.form_fields("pause"))
                    p {
                        label for="pause-reason" { (say("Alasan", "Reason")) }
                        select id="pause-reason" name="reason" required {
                            option value="" { "—" }
                            @for pause in Pause::ALL {
                                option value=(pause.code()) { (pause.label().0) " / " (pause.label().1) }
                            }
                        }
                    }
                    p { button type="submit" { (say("Tutup sementara", "Pause")) } }
                }
            }
        }
    }

    /// Calling a ticket out of turn: its number and why (kept in the call log).
    fn by_number(&self) -> Markup {
        html! {
            form method="post" action="/counter" class="by-number" {
                h2 { (say("Panggil nomor tertentu", "Call a specific number")) }
                input type="hidden" name="form" value=(self.signed.form_token());
                input type="hidden" name="point" value=(self.point.name);
                input type="hidden" name="action" value="number";
                p {
                    label for="number" { (say("Nomor", "Number")) }
                    input id="number" name="number" type="text" placeholder="DKC-014"
                        autocomplete="off" autocapitalize="characters" required;
                }
                p {
                    label for="reason" { (say("Alasan", "Reason")) }
                    select id="reason" name="reason" required {
                        option value="" { "—" }
                        @for reason in OutOfTurn::ALL {
                            option value=(reason.code()) { (reason.label().0) " / " (reason.label().1) }
                        }
                    }
                }
                p { button type="submit" { (say("Panggil nomor ini", "Call this number")) } }
            }
        }
    }

    fn queue_table(&self) -> Markup {
        html! {
            table class="queues" {
                thead { tr {
                    th { (say("Antrean", "Queue")) }
                    th { (say("Menunggu", "Waiting")) }
                    th { (say("Terlama", "Longest")) }
                } }
                tbody {
                    @for queue in self.queues {
                        tr data-queue=(queue.queue) {
                            td { (queue.queue) }
                            td class="num" data-waiting=(queue.waiting) { (queue.waiting) }
                            td class="num" {
                                @match queue.since {
                                    Some(since) => { ((self.now - since).num_minutes().max(0)) " min" }
                                    None => { "—" }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    fn other_points(&self) -> Markup {
        let points = &self.signed.account.points;
        html! {
            @if points.len() > 1 {
                p class="links" {
                    (say("Loket lain:", "Other points:")) " "
                    @for other in points.iter().filter(|other| **other != self.point.name) {
                        a href={ "/counter?point=" (mpp_core::url::encoded(other)) } { (other) } " "
                    }
                }
            }
        }
    }
}
