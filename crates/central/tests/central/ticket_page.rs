//! The page a ticket's QR code opens, on the real server: only for a link signed with the
//! kiosk's key.

use mpp_core::numbering::Lane;
use mpp_core::ticket::TicketStatus;
use mpp_testkit::central::*;
use reqwest::StatusCode;
use reqwest::header::CONTENT_TYPE;

#[tokio::test]
async fn the_qr_page_opens_only_for_a_signed_link() {
    let server = Server::start();
    let mine = ticket(
        KIOSK,
        "0192f0c2-aaaa-7000-8000-000000000001",
        7,
        Lane::Priority,
        5,
    );
    let theirs = ticket(
        OTHER_KIOSK,
        "0192f0c2-bbbb-7000-8000-000000000002",
        8,
        Lane::Regular,
        6,
    );
    let pushed = push(
        &server,
        &batch(KIOSK, vec![event(1, &mine, TicketStatus::Printed)]),
    )
    .await;
    assert_eq!(pushed.0, StatusCode::OK);
    let other = batch(OTHER_KIOSK, vec![event(1, &theirs, TicketStatus::Printed)]);
    let other = post_events(&server, OTHER_KIOSK_TOKEN, &other).await;
    assert_eq!(other.status(), StatusCode::OK);

    let link = mine
        .qr_payload
        .split_once("/t/")
        .expect("a QR link")
        .1
        .to_owned();
    let response = get(&server, &format!("/t/{link}")).await;
    assert_eq!(response.status(), StatusCode::OK);
    let content_type = response.headers()[CONTENT_TYPE].to_str().expect("type");
    assert!(content_type.starts_with("text/html"));
    let html = response.text().await.expect("html");
    let expected = [
        "DKC-P007",
        "Dinas Kependudukan",
        "Berlaku hanya hari ini",
        "Valid today only",
        "Layanan prioritas",
        "MPP Uji",
    ];
    for words in expected {
        assert!(html.contains(words), "{words} missing:\n{html}");
    }
    assert!(html.find("Menunggu").expect("id") < html.find("Waiting").expect("en"));
    let english = get(&server, &format!("/t/{link}&lang=en")).await;
    let english = english.text().await.expect("html");
    assert!(english.find("Waiting").expect("en") < english.find("Menunggu").expect("id"));

    let good = signature(&mine.id);
    let flipped = if good.starts_with('0') { "1" } else { "0" };
    let altered = format!("{flipped}{}", &good[1..]);
    for bad in [altered.as_str(), "", "zz"] {
        let (status, html) = page(&server, &mine.id, bad).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{bad:?}");
        assert!(html.contains("Not a valid ticket") && html.contains("Bukan tiket yang sah"));
        assert!(!html.contains("DKC-P007"));
    }
    let wrong_key = format!("/t/{OTHER_KIOSK}/{}?s={}", theirs.id, signature(&theirs.id));
    let (status, _) = page_at(&server, &wrong_key).await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "signed with the wrong kiosk's key"
    );

    let unknown = "0192f0c2-cccc-7000-8000-00000000dead";
    let (status, html) = page(&server, unknown, "0123456789abcdef").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(html.contains("Not a valid ticket"));
    let unsynced = "0192f0c2-dddd-7000-8000-000000000003";
    let (status, html) = genuine_page(&server, unsynced).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(html.contains("not reached the server"), "{html}");
    let (status, html) = page(&server, "%3Cscript%3E", "x").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(!html.contains("<script>"));
}

#[tokio::test]
async fn no_page_can_be_framed_cached_or_sniffed() {
    let server = Server::start();
    for path in [
        "/fleet",
        "/reports/ikm",
        "/t/KIOSK-T1/no-such-ticket?s=0000",
        "/login",
    ] {
        let response = client().get(server.url(path)).send().await.expect("page");
        let headers = response.headers();
        let header = |name: &str| {
            headers
                .get(name)
                .and_then(|value| value.to_str().ok())
                .unwrap_or_default()
                .to_owned()
        };
        assert_eq!(header("x-frame-options"), "DENY", "{path}");
        assert!(
            header("content-security-policy").contains("frame-ancestors 'none'"),
            "{path}: {}",
            header("content-security-policy")
        );
        assert_eq!(header("x-content-type-options"), "nosniff", "{path}");
        assert_eq!(header("cache-control"), "no-store", "{path}");
    }
}
