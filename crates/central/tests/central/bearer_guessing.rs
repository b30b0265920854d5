//! Guessing bearer tokens against a real `mpp-central`: past 30 refused tokens a minute an
//! address is answered 429 with `Retry-After` and its tokens are not looked at (the right one
//! included), other addresses are not held back, the log has a line or two per address with
//! counts and never a token; and 10,050 addresses guessing once each (through a trusted proxy's
//! `X-Forwarded-For`) do not keep a newcomer with the right token out.

use mpp_testkit::central::*;
use reqwest::StatusCode;
use reqwest::header::{AUTHORIZATION, RETRY_AFTER};

/// Refused tokens an address may send a minute (`http::auth::BAD_TOKENS_A_MINUTE`).
const ALLOWED: usize = 30;

/// A GET of `path` with `token` as the bearer, as if through a proxy from `client` (when given).
async fn get_from(
    http: &reqwest::Client,
    server: &Server,
    path: &str,
    token: &str,
    client: Option<&str>,
) -> StatusCode {
    let mut request = http
        .get(server.url(path))
        .header(AUTHORIZATION, bearer(token));
    if let Some(client) = client {
        request = request.header("x-forwarded-for", client);
    }
    request.send().await.expect("an answer").status()
}

fn queues_path() -> String {
    format!("/api/v1/queues?day={}", today())
}

#[tokio::test]
async fn past_30_refused_tokens_a_minute_an_address_is_answered_429_unchecked() {
    let server = Server::builder()
        .extra("[http]\ntrust_forwarded_for = true\n")
        .start();
    let http = client();
    let guess = |n: usize| format!("guess-{n:04}-of-a-kiosk-token-nobody-has");
    // Admin, counter and kiosk tokens count alike, per address.
    for n in 0..10 {
        let status = get_from(&http, &server, "/fleet", &guess(n), None).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    let counter_body = serde_json::json!({ "counter": "Loket 1" });
    for _ in 10..15 {
        let answer = post_as(
            &server,
            "/api/v1/counter/next",
            "not-a-counter",
            &counter_body,
        )
        .await;
        assert_eq!(answer.status(), StatusCode::UNAUTHORIZED);
    }
    for n in 15..ALLOWED {
        let status = get_from(&http, &server, &queues_path(), &guess(n), None).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "guess {n}");
    }
    let refused = http
        .get(server.url(&queues_path()))
        .header(AUTHORIZATION, bearer(&guess(ALLOWED)))
        .send()
        .await
        .expect("an answer");
    assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);
    let wait: u64 = refused.headers()[RETRY_AFTER]
        .to_str()
        .expect("text")
        .parse()
        .expect("seconds");
    assert!((1..=60).contains(&wait), "{wait}");
    assert!(error_of(refused).await.contains("try again in"));
    // Unchecked: the right token from this address waits too, for a minute at most.
    let right = get_from(&http, &server, &queues_path(), KIOSK_TOKEN, None).await;
    assert_eq!(right, StatusCode::TOO_MANY_REQUESTS);
    for n in 0..200 {
        let status = get_from(&http, &server, &queues_path(), &guess(n), None).await;
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    }
    // Another address is not held back; nor is what carries no token (the health check).
    let elsewhere = get_from(
        &http,
        &server,
        &queues_path(),
        KIOSK_TOKEN,
        Some("192.0.2.5"),
    )
    .await;
    assert_eq!(elsewhere, StatusCode::OK);
    assert_eq!(
        get(&server, "/api/v1/health").await.status(),
        StatusCode::OK
    );

    let log = server.log();
    let refused_lines: Vec<&str> = log
        .lines()
        .filter(|line| line.contains("bearer token"))
        .collect();
    assert_eq!(refused_lines.len(), 2, "the first and the limit:\n{log}");
    assert!(
        refused_lines
            .iter()
            .all(|line| line.contains("WARN") && line.contains("client=127.0.0.1")),
        "{refused_lines:?}"
    );
    assert!(
        refused_lines[0].contains("kind=\"admin\""),
        "{}",
        refused_lines[0]
    );
    assert!(
        refused_lines[1].contains("kind=\"kiosk\""),
        "{}",
        refused_lines[1]
    );
    assert!(
        !log.contains("guess-") && !log.contains("not-a-counter"),
        "no token in the log:\n{log}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn guesses_from_10050_addresses_never_keep_a_newcomer_with_the_right_token_out() {
    let server = Server::builder()
        .extra("[http]\ntrust_forwarded_for = true\n")
        .start();
    let url = server.url(&queues_path());
    let started = std::time::Instant::now();
    // Sixteen clients side by side, each guessing once from each of its addresses.
    let guessers: Vec<_> = (0..16u32)
        .map(|first| {
            let (http, url) = (client(), url.clone());
            tokio::spawn(async move {
                for n in (first..10_050).step_by(16) {
                    let address = format!("10.{}.{}.{}", n >> 16, (n >> 8) & 255, n & 255);
                    let status = http
                        .get(&url)
                        .header(AUTHORIZATION, bearer("a-wrong-token"))
                        .header("x-forwarded-for", address)
                        .send()
                        .await
                        .expect("an answer")
                        .status();
                    assert_eq!(status, StatusCode::UNAUTHORIZED);
                }
            })
        })
        .collect();
    for guesser in guessers {
        guesser.await.expect("every guess answered 401, none 429");
    }
    eprintln!("10,050 addresses guessed in {:?}", started.elapsed());
    let http = client();
    let newcomer = get_from(
        &http,
        &server,
        &queues_path(),
        KIOSK_TOKEN,
        Some("192.0.2.77"),
    )
    .await;
    assert_eq!(newcomer, StatusCode::OK, "a newcomer is never refused");
}
