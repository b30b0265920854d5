//! Every HTML page of a real `mpp-central`, whatever it answers (the page, a refusal, the
//! sign-in first), with the headers that keep it out of frames and other sites' reach: a
//! Content-Security-Policy without inline script, `X-Frame-Options: DENY`,
//! `Referrer-Policy: no-referrer`; and no page holds a script or an event handler the policy
//! would block (its one stylesheet is allowed by hash, see `http::html`).

use mpp_testkit::central::*;
use mpp_testkit::html;
use reqwest::StatusCode;
use reqwest::header::{
    AUTHORIZATION, CONTENT_SECURITY_POLICY, CONTENT_TYPE, REFERRER_POLICY, X_FRAME_OPTIONS,
};

/// What each page's policy must say.
const DIRECTIVES: [&str; 6] = [
    "default-src 'self'",
    "script-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
];

/// Checks one answer's headers and HTML; its status, for the caller to check.
async fn checked(what: &str, response: reqwest::Response) -> StatusCode {
    let status = response.status();
    let headers = response.headers().clone();
    let html = response.text().await.expect("html");
    let header = |name: reqwest::header::HeaderName| {
        headers
            .get(&name)
            .and_then(|value| value.to_str().ok())
            .unwrap_or_else(|| panic!("{what}: no {name} header"))
            .to_owned()
    };
    assert!(header(CONTENT_TYPE).starts_with("text/html"), "{what}");
    assert_eq!(header(X_FRAME_OPTIONS), "DENY", "{what}");
    assert_eq!(header(REFERRER_POLICY), "no-referrer", "{what}");
    let policy = header(CONTENT_SECURITY_POLICY);
    let directives: Vec<&str> = policy.split(';').map(str::trim).collect();
    for wanted in DIRECTIVES {
        assert!(directives.contains(&wanted), "{what}: {wanted} in {policy}");
    }
    let styles: Vec<&str> = directives
        .iter()
        .filter(|directive| directive.starts_with("style-src "))
        .copied()
        .collect();
    assert_eq!(styles.len(), 1, "{what}: {policy}");
    assert!(
        styles[0].starts_with("style-src 'sha256-") && !styles[0].contains("unsafe"),
        "{what}: the stylesheet by its hash alone: {policy}"
    );
    if html.is_empty() {
        return status;
    }
    assert!(html::tags(&html, "script").is_empty(), "{what}: a script");
    for tag in html::start_tags(&html) {
        let handlers: Vec<&String> = tag
            .attributes
            .keys()
            .filter(|name| name.starts_with("on"))
            .collect();
        assert!(handlers.is_empty(), "{what}: <{} {handlers:?}>", tag.name);
        if let Some(href) = tag.attribute("href") {
            assert!(!href.starts_with("javascript:"), "{what}: {href}");
        }
    }
    assert_eq!(html.matches("<style>").count(), 1, "{what}: one stylesheet");
    status
}

#[tokio::test]
async fn every_page_answers_with_the_framing_referrer_and_script_policy() {
    let server = Server::start();
    pushed(&server, KIOSK, KIOSK_TOKEN, "h-1", 1).await;
    served_at(&server, "h-2", 2, "Loket 1").await;
    let http = client_without_redirects();
    let get = |path: &str| http.get(server.url(path));
    let staff = |path: &str| {
        http.get(server.url(path))
            .header(AUTHORIZATION, bearer(ADMIN_TOKEN))
    };
    let legacy = legacy_signature(KIOSK, "h-1");
    let survey = survey_path(KIOSK, "h-2", "id");
    let unserved = survey_path(KIOSK, "h-1", "en");
    let pages = [
        ("sign-in", get("/login"), StatusCode::OK),
        (
            "sign-in, token in the address",
            get("/login?token=x"),
            StatusCode::BAD_REQUEST,
        ),
        ("fleet, anonymous", get("/fleet"), StatusCode::UNAUTHORIZED),
        ("fleet", staff("/fleet"), StatusCode::OK),
        (
            "IKM, anonymous",
            get("/reports/ikm"),
            StatusCode::UNAUTHORIZED,
        ),
        ("IKM", staff("/reports/ikm"), StatusCode::OK),
        (
            "ticket",
            get(&format!("/t/{KIOSK}/h-1?s={}", signature("h-1"))),
            StatusCode::OK,
        ),
        (
            "ticket, forged",
            get(&format!("/t/{KIOSK}/h-1?s=x")),
            StatusCode::NOT_FOUND,
        ),
        (
            "ticket, legacy link",
            get(&format!("/t/h-1?s={legacy}")),
            StatusCode::OK,
        ),
        ("survey", get(&survey), StatusCode::OK),
        ("survey, not served", get(&unserved), StatusCode::CONFLICT),
    ];
    for (what, request, expected) in pages {
        let response = request.send().await.expect("an answer");
        let status = checked(what, response).await;
        assert_eq!(status, expected, "{what}");
    }
    let posted = [
        (
            "sign-in, wrong token",
            http.post(server.url("/login"))
                .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body("password=wrong"),
        ),
        (
            "survey, incomplete",
            http.post(server.url(&survey))
                .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body("requirements=4"),
        ),
        ("sign-out", http.post(server.url("/logout"))),
    ];
    for (what, request) in posted {
        let response = request.send().await.expect("an answer");
        checked(what, response).await;
    }
}
