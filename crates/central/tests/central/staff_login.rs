//! The staff sign-in against a real `mpp-central`: a wrong token refused, the right one sets a
//! `HttpOnly; Secure; SameSite=Strict` session cookie that opens /fleet until logout; a bearer
//! header for scripts; a token in the address refused, pointing at /login; a few attempts a
//! minute per client address. (Browsers keep `Secure` cookies off plain http: the test sends the
//! `Cookie` header itself, as a browser behind the HTTPS proxy would.)

use mpp_testkit::central::*;
use reqwest::StatusCode;
use reqwest::header::{CONTENT_TYPE, LOCATION, RETRY_AFTER};

#[tokio::test]
async fn signing_in_sets_a_strict_session_cookie_that_opens_the_fleet_until_logout() {
    let server = Server::start();
    let form = get(&server, "/login").await;
    assert_eq!(form.status(), StatusCode::OK);
    let html = form.text().await.expect("html");
    for words in [
        "Masuk petugas",
        "Staff sign-in",
        "name=\"password\"",
        "type=\"password\"",
    ] {
        assert!(html.contains(words), "{words}:\n{html}");
    }
    assert!(html.contains("method=\"post\" action=\"/login\""), "{html}");

    let wrong = sign_in(&server, "not-the-admin-token").await;
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    assert!(set_cookie(&wrong).is_none(), "no cookie for a wrong token");
    let html = wrong.text().await.expect("html");
    assert!(html.contains("Token admin salah") && html.contains("Wrong admin token"));
    let log = server.log();
    assert!(
        log.contains("a staff sign-in with a wrong token was refused")
            && log.contains("client=127.0.0.1"),
        "the failed sign-in is logged with its address:\n{log}"
    );
    let not_admin = sign_in(&server, KIOSK_TOKEN).await;
    assert_eq!(
        not_admin.status(),
        StatusCode::UNAUTHORIZED,
        "another token is not the admin's"
    );

    let signed_in = sign_in(&server, ADMIN_TOKEN).await;
    assert_eq!(signed_in.status(), StatusCode::SEE_OTHER);
    assert_eq!(signed_in.headers()[LOCATION], "/fleet");
    let line = set_cookie(&signed_in).expect("a session cookie");
    let attributes: Vec<&str> = line.split(';').map(str::trim).collect();
    for wanted in ["HttpOnly", "Secure", "SameSite=Strict", "Path=/"] {
        assert!(attributes.contains(&wanted), "{wanted} missing: {line}");
    }
    assert!(!line.contains("Domain"), "{line}");
    let cookie = cookie_of(&line);
    let id = cookie.split_once('=').expect("name=value").1;
    assert_eq!(id.len(), 64, "a 256-bit id in hex: {id}");
    assert!(id.bytes().all(|b| b.is_ascii_hexdigit()));
    assert!(!line.contains(ADMIN_TOKEN), "the cookie is not the token");

    let fleet = get_with_cookie(&server, "/fleet", &cookie).await;
    assert_eq!(fleet.status(), StatusCode::OK);
    let html = fleet.text().await.expect("html");
    assert!(html.contains("<tr data-kiosk=\"KIOSK-T1\""), "{html}");
    assert!(html.contains("action=\"/logout\""), "a way out: {html}");
    assert!(
        html.contains("http-equiv=\"refresh\" content=\"30\""),
        "{html}"
    );
    assert!(
        !html.contains("token="),
        "nothing secret in the page: {html}"
    );

    let again = sign_in(&server, ADMIN_TOKEN).await;
    let other_cookie = cookie_of(&set_cookie(&again).expect("cookie"));
    assert_ne!(other_cookie, cookie, "every sign-in has its own session");

    let logout = client_without_redirects()
        .post(server.url("/logout"))
        .header(reqwest::header::COOKIE, &cookie)
        .send()
        .await
        .expect("logout");
    assert_eq!(logout.status(), StatusCode::SEE_OTHER);
    assert_eq!(logout.headers()[LOCATION], "/login");
    let cleared = set_cookie(&logout).expect("the cookie is cleared");
    assert!(cleared.contains("Max-Age=0"), "{cleared}");
    let after = get_with_cookie(&server, "/fleet", &cookie).await;
    assert_eq!(
        after.status(),
        StatusCode::UNAUTHORIZED,
        "the session ended"
    );
    let html = after.text().await.expect("html");
    assert!(html.contains("href=\"/login\""), "{html}");
    let other = get_with_cookie(&server, "/fleet", &other_cookie).await;
    assert_eq!(other.status(), StatusCode::OK, "only that session ended");

    let forged = format!("{SESSION_COOKIE}={}", "0".repeat(64));
    let refused = get_with_cookie(&server, "/fleet", &forged).await;
    assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_token_in_the_address_is_refused_pointing_at_the_login_and_scripts_use_a_bearer() {
    let server = Server::start();
    for path in [
        format!("/fleet?token={ADMIN_TOKEN}"),
        "/fleet?token=wrong".to_owned(),
        format!("/login?password={ADMIN_TOKEN}"),
    ] {
        let response = get(&server, &path).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{path}");
        let html = response.text().await.expect("html");
        assert!(
            html.contains("no longer accepted") && html.contains("/login"),
            "{path}: {html}"
        );
        assert!(!html.contains("<td data-col"), "{path} shows no fleet");
    }
    // Even with a session, the address with the token is refused.
    let cookie = cookie_of(&set_cookie(&sign_in(&server, ADMIN_TOKEN).await).expect("cookie"));
    let with_both = get_with_cookie(&server, &format!("/fleet?token={ADMIN_TOKEN}"), &cookie).await;
    assert_eq!(with_both.status(), StatusCode::BAD_REQUEST);

    let script = get_as(&server, "/fleet", ADMIN_TOKEN).await;
    assert_eq!(script.status(), StatusCode::OK);
    assert!(
        script.headers()[CONTENT_TYPE]
            .to_str()
            .expect("type")
            .starts_with("text/html")
    );
    for token in [KIOSK_TOKEN, COUNTER_TOKEN, "wrong"] {
        let refused = get_as(&server, "/fleet", token).await;
        assert_eq!(refused.status(), StatusCode::UNAUTHORIZED, "{token}");
    }
    let shipped = include_str!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../mpp-central.toml"
    ));
    assert!(
        !shipped.contains("/fleet?token=<"),
        "the docs no longer say so"
    );
}

#[tokio::test]
async fn sign_in_attempts_are_limited_per_client_address() {
    let server = Server::start();
    for attempt in 1..=5 {
        let response = sign_in(&server, &format!("guess-{attempt}")).await;
        assert_eq!(
            response.status(),
            StatusCode::UNAUTHORIZED,
            "attempt {attempt}"
        );
    }
    let limited = sign_in(&server, "guess-6").await;
    assert_eq!(limited.status(), StatusCode::TOO_MANY_REQUESTS);
    let wait: u64 = limited.headers()[RETRY_AFTER]
        .to_str()
        .expect("text")
        .parse()
        .expect("seconds");
    assert!((1..=60).contains(&wait), "{wait}");
    let html = limited.text().await.expect("html");
    assert!(html.contains("Too many attempts"), "{html}");
    let right = sign_in(&server, ADMIN_TOKEN).await;
    assert_eq!(
        right.status(),
        StatusCode::TOO_MANY_REQUESTS,
        "even the right token waits: guessing gains nothing"
    );
    assert!(set_cookie(&right).is_none());
    // Scripts with the bearer header are not signing in: unaffected.
    assert_eq!(
        get_as(&server, "/fleet", ADMIN_TOKEN).await.status(),
        StatusCode::OK
    );
}
