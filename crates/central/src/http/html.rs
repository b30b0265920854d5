//! The few HTML pages the server shows: the shared frame, both languages of a sentence, and
//! the answer's headers. Pages show the primary language with the other one beneath. Every
//! page is a `maud` template, so text from the catalog or a kiosk is escaped by construction.

use axum::http::header::{
    CACHE_CONTROL, CONTENT_SECURITY_POLICY, CONTENT_TYPE, REFERRER_POLICY, WWW_AUTHENTICATE,
    X_CONTENT_TYPE_OPTIONS, X_FRAME_OPTIONS,
};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use maud::{Markup, PreEscaped, html};
use sha2::{Digest, Sha256};
use std::sync::LazyLock;

use mpp_core::lang::Language;
pub use mpp_core::strings::Text;

/// The two languages of a page, the primary one first.
pub fn languages(english_first: bool) -> [Language; 2] {
    if english_first {
        [Language::English, Language::Indonesian]
    } else {
        [Language::Indonesian, Language::English]
    }
}

/// The primary text, with the other language beneath it in smaller type.
pub fn both(primary: &str, secondary: &str, [_, second]: [Language; 2]) -> Markup {
    html! {
        (primary)
        @if primary != secondary {
            span class="alt" lang=(second.code()) { (secondary) }
        }
    }
}

/// Text made in each of the page's languages, primary first.
pub fn in_both(languages: [Language; 2], make: impl Fn(Language) -> String) -> Markup {
    both(&make(languages[0]), &make(languages[1]), languages)
}

/// A fixed sentence in both languages.
pub fn text(key: Text, languages: [Language; 2]) -> Markup {
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
.waiting{background:#e3f2fd}.called{background:#fff3cd;border:3px solid #b45309;font-size:1.7rem}.done{background:#e8f5e9}.gone{background:#eceff1}\
.bad{background:#fdecea;color:#8a1c1c}\
.ahead{font-size:2.5rem;font-weight:800;text-align:center;margin:0}\
.wait{font-size:1.15rem;font-weight:700;text-align:center;margin:.5rem 0 1rem}\
dl{margin:.5rem 0}dt{font-weight:600;margin-top:.5rem}dd{margin:0}\
.valid{font-weight:700;text-align:center;margin-top:1rem}\
.small{font-size:.85rem;color:#555;text-align:center}\
table{border-collapse:collapse;width:100%;background:#fff;font-size:.9rem}\
th,td{border:1px solid #ccc;padding:.35rem .5rem;text-align:left;vertical-align:top;overflow-wrap:break-word}\
tr.warn td{background:#fff3cd}td.num{text-align:right}.figure,td.nrr{white-space:nowrap}.scroll{overflow-x:auto}\
.wide{max-width:none}\
fieldset{border:1px solid #ddd;border-radius:8px;margin:.75rem 0;padding:.5rem .75rem}legend{font-weight:600;float:left;width:100%;padding:0;margin-bottom:.25rem}legend+*{clear:both}\
label.choice{display:flex;align-items:center;gap:.6rem;min-height:2.75rem;padding:.15rem 0}label.choice input{width:1.3rem;height:1.3rem;margin:0;flex:none}\
textarea,select{width:100%;font:inherit;box-sizing:border-box}select{padding:.4rem;background:#fff;border:1px solid #767676;border-radius:6px}\
input:not([type=radio]):not([type=checkbox]):not([type=hidden]),select,button{min-height:2.75rem}\
a[href]{display:inline-flex;flex-direction:column;justify-content:center;min-height:2.75rem}\
input[type=text],input[type=password]{display:block;width:100%;max-width:24rem;font:inherit;padding:.45rem;box-sizing:border-box}\
button.primary{display:block;width:100%;min-height:3.25rem;background:#1565c0;color:#fff;border:0;border-radius:10px;font-weight:700;font-size:1.15rem}button.primary .alt{color:#e3f2fd}\
.switch{text-align:right;margin:0}\
form.filter{display:grid;grid-template-columns:repeat(auto-fill,minmax(10rem,1fr));gap:.5rem;align-items:end}form.filter label{display:flex;flex-direction:column}\
form.filter input{font:inherit;padding:.4rem;box-sizing:border-box;width:100%}\
.person{border:1px solid #ddd;border-radius:8px;padding:.5rem .75rem;margin:.75rem 0}.person h3{margin:.1rem 0}\
.person form{display:inline-block;margin:.25rem .5rem .25rem 0;vertical-align:bottom}.person form input{display:inline-block;width:14rem}\
button{font:inherit;padding:.6rem 1.2rem}.survey{text-align:center;font-weight:700;font-size:1.1rem}\
.track{min-width:6rem}.bar{background:#1565c0;height:1rem;border-radius:3px}\
.console .moves{display:grid;grid-template-columns:1fr 1fr;gap:.6rem;margin:1rem 0}.console .moves form{margin:0}\
.console button.move{width:100%;min-height:5.5rem;font-size:1.25rem;font-weight:700;border-radius:10px;border:0;color:#fff;position:relative}\
.console button.move .alt{color:#eef}.console button.next{background:#1565c0}.console button.recall{background:#6a1b9a}\
.console button.served{background:#2e7d32}.console button.no_show{background:#8a1c1c}.console button:disabled{opacity:.5}\
.console kbd{position:absolute;top:.35rem;right:.5rem;font-size:.8rem;background:rgba(255,255,255,.25);border-radius:4px;padding:0 .3rem}\
.console .current{text-align:center;margin:.5rem 0}.console h1{margin:.25rem 0}\
.display{max-width:none;min-height:100vh;box-sizing:border-box;padding:2vh 3vw;background:#0d1b2a;color:#fff;display:grid;grid-template-columns:minmax(0,3fr) minmax(0,2fr);grid-template-rows:auto 1fr auto;gap:2vh 3vw}\
.display header{grid-column:1/-1;display:flex;justify-content:space-between;font-size:max(1.5rem,3vh);font-weight:700}\
.display .now{text-align:center;align-self:center}.display .caption{font-size:max(1.4rem,3.5vh);margin:0;color:#cfd8dc}\
.display .caption .alt,.display h2 .alt,.display .offline-note .alt,.display #sound .alt{color:#90a4ae}\
.display .call-number{font-size:clamp(3rem,min(16vh,10vw),20rem);white-space:nowrap;font-weight:800;letter-spacing:.04em;margin:0;line-height:1.1;color:#ffd54f}\
.display .call-point{font-size:clamp(2.5rem,min(9vh,16vw),12rem);font-weight:800;margin:0}\
.display .recent h2{font-size:max(1.3rem,3vh);margin:0 0 1vh}.display ol{list-style:none;margin:0;padding:0}\
.display li{display:flex;justify-content:space-between;align-items:baseline;gap:1rem;font-size:max(1.6rem,4.5vh);font-weight:700;padding:.6vh 0;border-bottom:1px solid #345}\
.display .recent-number{white-space:nowrap}.display .recent-point{text-align:right;min-width:0;overflow-wrap:anywhere}\
.display .offline-note{grid-column:1/-1;font-size:max(1rem,2vh);color:#ffab91;margin:0}\
.display.fresh .call-number{animation:blink 1s 3}@keyframes blink{50%{opacity:.3}}\
.display #sound{grid-column:1/-1;font-size:1.5rem}\
@media (max-width:960px){table.fleet thead{display:none}table.fleet,table.fleet tbody,table.fleet tr{display:block}table.fleet tr{border:1px solid #bbb;border-radius:8px;margin:0 0 .75rem;overflow:hidden}table.fleet td{display:flow-root;border:0;border-bottom:1px solid #e3e3e3}table.fleet td:last-child{border-bottom:0}table.fleet td::before{content:attr(data-label);float:left;width:45%;padding-right:.5rem;box-sizing:border-box;font-weight:600;color:#333}table.fleet td[data-col=kiosk]{font-size:1.15rem;font-weight:700;background:#e8eaf6}table.fleet tr.warn td[data-col=kiosk]{background:#ffe08a}}\
@media (max-width:700px){.track{min-width:3rem}.scroll table{font-size:.8rem}.scroll th,.scroll td{padding:.3rem}}\
@media (max-width:700px){.display{grid-template-columns:1fr}.display .call-number{font-size:clamp(3rem,17vw,20rem)}.display li{font-size:1.4rem}.display header{font-size:1.2rem}.console .moves{grid-template-columns:1fr}}";

/// A whole page; `refresh` reloads it every so many seconds.
pub fn page(title: &str, language: Language, refresh: Option<u32>, body: Markup) -> String {
    let page = html! {
        (PreEscaped("<!doctype html>\n"))
        html lang=(language.code()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="robots" content="noindex";
                @if let Some(seconds) = refresh {
                    meta http-equiv="refresh" content=(seconds);
                }
                title { (title) }
                style { (PreEscaped(STYLE)) }
            }
            body { (body) }
        }
        "\n"
    };
    page.into_string()
}

/// What every page may load and run: no script but the server's own files (there are none
/// today), no inline script at all, the one inline stylesheet by its hash ([`STYLE`]), style
/// attributes (the IKM report's bar widths), forms only to this server, never in a frame.
static CONTENT_SECURITY_POLICY_VALUE: LazyLock<HeaderValue> = LazyLock::new(|| {
    let policy = format!(
        "default-src 'self'; script-src 'self'; style-src 'sha256-{}'; \
         style-src-attr 'unsafe-inline'; object-src 'none'; base-uri 'none'; \
         form-action 'self'; frame-ancestors 'none'",
        base64(&Sha256::digest(STYLE.as_bytes()))
    );
    HeaderValue::from_str(&policy).expect("the policy is ASCII")
});

/// An HTML answer that is never cached, never leaks its address onwards, runs no inline script
/// and is never shown inside another site's frame (where a sign-in could be clicked through).
pub fn respond(status: StatusCode, html: String) -> Response {
    let mut response = (status, html).into_response();
    let headers = response.headers_mut();
    let set = [
        (CONTENT_TYPE, "text/html; charset=utf-8"),
        (CACHE_CONTROL, "no-store"),
        (REFERRER_POLICY, "no-referrer"),
        (X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (X_FRAME_OPTIONS, "DENY"),
    ];
    for (name, value) in set {
        headers.insert(name, HeaderValue::from_static(value));
    }
    headers.insert(
        CONTENT_SECURITY_POLICY,
        CONTENT_SECURITY_POLICY_VALUE.clone(),
    );
    if status == StatusCode::UNAUTHORIZED {
        headers.insert(WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
    }
    response
}

/// Standard base64 with padding, as a CSP hash source is written.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut text = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let group = chunk.iter().enumerate().fold(0u32, |group, (at, byte)| {
            group | u32::from(*byte) << (16 - 8 * at)
        });
        for at in 0..4 {
            if at <= chunk.len() {
                text.push(char::from(ALPHABET[(group >> (18 - 6 * at) & 63) as usize]));
            } else {
                text.push('=');
            }
        }
    }
    text
}

/// A short page for a visitor who cannot be shown a ticket.
pub fn message_page(
    status: StatusCode,
    title: Text,
    help: Text,
    languages: [Language; 2],
) -> Response {
    let body = html! {
        main {
            div class="card" {
                p class="status bad" { (text(title, languages)) }
                p { (text(help, languages)) }
            }
        }
    };
    let heading = format!("{} / {}", title.get(languages[0]), title.get(languages[1]));
    respond(status, page(&heading, languages[0], None, body))
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
    fn both_languages_are_escaped_and_the_same_text_is_said_once() {
        let html = both("<b>", "\"<i>'", languages(false)).into_string();
        assert_eq!(
            html,
            "&lt;b&gt;<span class=\"alt\" lang=\"en\">&quot;&lt;i&gt;'</span>"
        );
        assert_eq!(both("OK", "OK", languages(true)).into_string(), "OK");
    }

    #[test]
    fn pages_escape_the_title_and_refresh_only_when_asked() {
        let body = html! { p { "<script>" } };
        let html = page("<script>", Language::English, Some(30), body);
        assert!(!html.contains("<script>"), "{html}");
        assert!(html.starts_with("<!doctype html>\n<html lang=\"en\">"));
        assert!(html.contains("<meta http-equiv=\"refresh\" content=\"30\">"));
        let still = page("t", Language::Indonesian, None, html! {});
        assert!(!still.contains("http-equiv"));
    }

    #[test]
    fn the_policy_allows_the_page_style_by_its_hash_and_no_inline_script() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
        let html = page("t", Language::Indonesian, None, html! {});
        let style = html
            .split_once("<style>")
            .and_then(|(_, rest)| rest.split_once("</style>"))
            .map(|(style, _)| style)
            .expect("one stylesheet");
        let hash = format!("'sha256-{}'", base64(&Sha256::digest(style.as_bytes())));
        let response = respond(StatusCode::OK, html.clone());
        let policy = response.headers()[CONTENT_SECURITY_POLICY]
            .to_str()
            .expect("text");
        assert!(policy.contains(&format!("style-src {hash};")), "{policy}");
        assert!(policy.contains("script-src 'self';"), "{policy}");
        assert_eq!(policy.matches("'unsafe-inline'").count(), 1, "{policy}");
        assert!(
            policy.contains("style-src-attr 'unsafe-inline'"),
            "{policy}"
        );
        assert!(!html.contains("<script"), "{html}");
        assert_eq!(response.headers()[REFERRER_POLICY], "no-referrer");
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
