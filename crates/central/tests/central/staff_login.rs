//! The staff sign-in against a real `mpp-central`: a wrong name or password refused, the right
//! ones set a `HttpOnly; Secure; SameSite=Strict` session cookie that opens /fleet until logout;
//! a bearer header for scripts; a token in the address refused, pointing at /login; a few
//! attempts a minute per client address and a growing wait per account, which the person's
//! own browser passes. (Browsers keep `Secure` cookies off plain http: the test sends the
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
        "name=\"name\"",
        "name=\"password\"",
        "type=\"password\"",
    ] {
        assert!(html.contains(words), "{words}:\n{html}");
    }
    assert!(html.contains("method=\"post\" action=\"/login\""), "{html}");

    let wrong = sign_in(&server, HEAD.name, "not-the-password").await;
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    assert!(
        set_cookie(&wrong).is_none(),
        "no cookie for a wrong password"
    );
    let html = wrong.text().await.expect("html");
    assert!(
        html.contains("Nama akun atau kata sandi salah")
            && html.contains("Wrong account name or password")
    );
    let log = server.log();
    assert!(
        log.contains("a staff sign-in with a wrong name or password was refused")
            && log.contains("client=127.0.0.1")
            && log.contains("account=\"kepala\""),
        "the failed sign-in is logged with its address and account:\n{log}"
    );
    assert!(!log.contains("not-the-password"), "never the password");
    for (name, password) in [("nobody", HEAD.password), (CLERK.name, HEAD.password)] {
        let refused = sign_in(&server, name, password).await;
        assert_eq!(refused.status(), StatusCode::UNAUTHORIZED, "{name}");
        let html = refused.text().await.expect("html");
        assert!(
            html.contains("Wrong account name or password"),
            "the same words: {html}"
        );
    }
    let token = sign_in(&server, ADMIN.name, ADMIN_TOKEN).await;
    assert_eq!(
        token.status(),
        StatusCode::UNAUTHORIZED,
        "the admin token is no password"
    );

    let signed_in = sign_in(&server, HEAD.name, HEAD.password).await;
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
    assert!(
        !line.contains(HEAD.password),
        "the cookie is not the password"
    );

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

    let again = sign_in(&server, HEAD.name, HEAD.password).await;
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
    let cookie = session_of(&server, HEAD.name, HEAD.password).await;
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
        let response = sign_in(&server, &format!("guess-{attempt}"), "guess").await;
        assert_eq!(
            response.status(),
            StatusCode::UNAUTHORIZED,
            "attempt {attempt}"
        );
    }
    let limited = sign_in(&server, "guess-6", "guess").await;
    assert_eq!(limited.status(), StatusCode::TOO_MANY_REQUESTS);
    let wait: u64 = limited.headers()[RETRY_AFTER]
        .to_str()
        .expect("text")
        .parse()
        .expect("seconds");
    assert!((1..=60).contains(&wait), "{wait}");
    let html = limited.text().await.expect("html");
    assert!(html.contains("Too many attempts"), "{html}");
    let right = sign_in(&server, HEAD.name, HEAD.password).await;
    assert_eq!(
        right.status(),
        StatusCode::TOO_MANY_REQUESTS,
        "a new browser waits too: guessing gains nothing"
    );
    assert!(set_cookie(&right).is_none());
    // Scripts with the bearer header are not signing in: unaffected.
    assert_eq!(
        get_as(&server, "/fleet", ADMIN_TOKEN).await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn a_strangers_guesses_hold_an_account_back_but_not_its_owners_browser() {
    let server = Server::start();
    // The head signed in from this browser yesterday: it keeps its device cookie.
    let first = sign_in(&server, HEAD.name, HEAD.password).await;
    let device = cookie_named(&first, DEVICE_COOKIE).expect("a device cookie");
    let line = first
        .headers()
        .get_all(reqwest::header::SET_COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .find(|line| line.starts_with(DEVICE_COOKIE))
        .expect("device cookie line")
        .to_owned();
    for wanted in ["HttpOnly", "Secure", "SameSite=Strict", "Path=/"] {
        assert!(line.contains(wanted), "{wanted}: {line}");
    }
    // A stranger guesses the head's password from many addresses (each under its limit): three
    // are free, then each try waits twice as long as the one before: 1 s, 2 s, 4 s, then 8 s.
    for guess in 1..=7u8 {
        if guess > 4 {
            let wait = 1000u64 << (guess - 5);
            tokio::time::sleep(std::time::Duration::from_millis(wait + 300)).await;
        }
        let from = std::net::Ipv4Addr::new(127, 0, 0, 10 + guess);
        let refused = sign_in_at(&server, from, HEAD.name, &format!("guess-{guess}")).await;
        assert_eq!(refused.status(), StatusCode::UNAUTHORIZED, "guess {guess}");
    }
    let held = sign_in(&server, HEAD.name, "guess-8").await;
    assert_eq!(held.status(), StatusCode::TOO_MANY_REQUESTS);
    let wait: u64 = held.headers()[RETRY_AFTER]
        .to_str()
        .expect("text")
        .parse()
        .expect("seconds");
    assert!(
        (5..=8).contains(&wait),
        "about 8 s after the seventh: {wait}"
    );
    let html = held.text().await.expect("html");
    assert!(
        html.contains("Too many wrong passwords for this account"),
        "{html}"
    );
    assert!(
        server.log().contains("staff sign-in held back"),
        "{}",
        server.log()
    );
    // The right password from a new browser waits too; from the head's own browser it passes.
    let new_browser = sign_in(&server, HEAD.name, HEAD.password).await;
    assert_eq!(new_browser.status(), StatusCode::TOO_MANY_REQUESTS);
    // A device cookie of another account does not pass the hold-back.
    let clerk_first = sign_in_from(&server, CLERK.name, CLERK.password, None).await;
    let clerk_device = cookie_named(&clerk_first, DEVICE_COOKIE).expect("device");
    let borrowed = sign_in_from(&server, HEAD.name, HEAD.password, Some(&clerk_device)).await;
    assert_eq!(borrowed.status(), StatusCode::TOO_MANY_REQUESTS);
    let own = sign_in_from(&server, HEAD.name, HEAD.password, Some(&device)).await;
    assert_eq!(
        own.status(),
        StatusCode::SEE_OTHER,
        "the owner's browser gets in"
    );
    // Another account is not held back.
    assert_eq!(clerk_first.status(), StatusCode::SEE_OTHER);
    let clerk = sign_in(&server, CLERK.name, CLERK.password).await;
    assert_eq!(clerk.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        clerk.headers()[LOCATION],
        "/counter",
        "counter staff start at their console"
    );
}
