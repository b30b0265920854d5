//! Staff accounts against a real `mpp-central` (both backends: `.ci/run` runs this module on
//! PostgreSQL too): two MPPs with a head each, counter staff and a province reader; each sees
//! only what the role allows, in pages, reports and CSV. Sessions are in the database: they
//! survive a restart and work on a second server process; a new password or a disabled
//! account ends them. `mpp-central staff …` reads the password from standard input, never
//! from its arguments.

use mpp_testkit::central::*;
use reqwest::StatusCode;
use reqwest::header::LOCATION;

const KUDUS_COUNTER: &str = "counter-kudus-token-0123456789";
const DEMAK_COUNTER: &str = "counter-demak-token-0123456789";

fn province() -> Server {
    let kudus = MppAccount::new("kudus", "MPP Kabupaten Kudus", SMALL_CATALOG, KUDUS_COUNTER)
        .kiosk(KioskAccount::new(KIOSK, KIOSK_TOKEN, SIGNING_KEY));
    let demak =
        MppAccount::new("demak", "MPP Kabupaten Demak", SMALL_CATALOG, DEMAK_COUNTER).kiosk(
            KioskAccount::new(OTHER_KIOSK, OTHER_KIOSK_TOKEN, OTHER_SIGNING_KEY),
        );
    Server::builder().mpps([kudus, demak]).start()
}

async fn status_of(server: &Server, path: &str, cookie: &str) -> (StatusCode, String) {
    let answer = get_with_cookie(server, path, cookie).await;
    let status = answer.status();
    (status, answer.text().await.expect("body"))
}

#[tokio::test]
async fn each_role_sees_only_its_mpps_in_pages_reports_and_csv() {
    let server = province();
    let kudus_head = session_of(&server, &head_of("kudus"), HEAD.password).await;
    let province_reader = session_of(&server, PROVINCE.name, PROVINCE.password).await;
    let clerk = session_of(&server, &clerk_of("kudus"), CLERK.password).await;

    let (status, fleet) = status_of(&server, "/fleet", &kudus_head).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        fleet.contains(&format!("data-kiosk=\"{KIOSK}\"")),
        "{fleet}"
    );
    assert!(
        !fleet.contains(OTHER_KIOSK),
        "Demak's kiosk is not Kudus's head's: {fleet}"
    );
    assert!(
        !fleet.contains("MPP Kabupaten Demak"),
        "no link to Demak: {fleet}"
    );
    for path in [
        "/fleet?mpp=demak",
        "/reports/ikm?mpp=demak",
        "/reports/ikm.csv?mpp=demak",
    ] {
        let (status, body) = status_of(&server, path, &kudus_head).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{path}: {body}");
        assert!(!body.contains(OTHER_KIOSK), "{path}");
        let (status, _) = status_of(&server, path, &province_reader).await;
        assert_eq!(status, StatusCode::OK, "the province reads {path}");
    }
    for path in ["/reports/ikm", "/reports/ikm.csv?mpp=kudus"] {
        let (status, body) = status_of(&server, path, &kudus_head).await;
        assert_eq!(status, StatusCode::OK, "{path}: {body}");
    }
    let (_, province_fleet) = status_of(&server, "/fleet?mpp=demak", &province_reader).await;
    assert!(province_fleet.contains(&format!("data-kiosk=\"{OTHER_KIOSK}\"")));
    assert!(
        province_fleet.contains("MPP Kabupaten Kudus"),
        "links to both"
    );
    for path in ["/fleet", "/reports/ikm", "/reports/ikm.csv"] {
        let (status, body) = status_of(&server, path, &clerk).await;
        assert_eq!(
            status,
            StatusCode::FORBIDDEN,
            "counter staff: {path}: {body}"
        );
    }
    // The admin token still opens everything, for scripts.
    let script = get_as(&server, "/fleet?mpp=demak", ADMIN_TOKEN).await;
    assert_eq!(script.status(), StatusCode::OK);
}

#[tokio::test]
async fn sessions_survive_a_restart_and_work_on_a_second_process() {
    let mut server = Server::start();
    let cookie = session_of(&server, HEAD.name, HEAD.password).await;
    server.restart();
    let (status, _) = status_of(&server, "/fleet", &cookie).await;
    assert_eq!(status, StatusCode::OK, "still signed in after a restart");
    let sibling = server.sibling();
    let (status, body) = status_of(&sibling, "/fleet", &cookie).await;
    assert_eq!(
        status,
        StatusCode::OK,
        "the other process knows the session: {body}"
    );
    let logout = client_without_redirects()
        .post(sibling.url("/logout"))
        .header(reqwest::header::COOKIE, &cookie)
        .send()
        .await
        .expect("logout");
    assert_eq!(logout.status(), StatusCode::SEE_OTHER);
    let (status, _) = status_of(&server, "/fleet", &cookie).await;
    assert_eq!(
        status,
        StatusCode::UNAUTHORIZED,
        "signed out on one is out on both"
    );
}

#[tokio::test]
async fn a_new_password_or_a_disabled_account_ends_every_session() {
    let server = Server::start();
    let first = session_of(&server, HEAD.name, HEAD.password).await;
    let second = session_of(&server, HEAD.name, HEAD.password).await;
    let clerk = session_of(&server, CLERK.name, CLERK.password).await;
    let new_password = "kuda-lari-kencang-7";
    let changed = server.command(
        &["staff", "passwd", HEAD.name],
        &format!("{new_password}\n"),
    );
    assert!(changed.status.success(), "{changed:?}");
    for cookie in [&first, &second] {
        let (status, _) = status_of(&server, "/fleet", cookie).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "signed out");
    }
    let (status, _) = status_of(&server, "/account", &clerk).await;
    assert_eq!(status, StatusCode::OK, "another account stays signed in");
    let old = sign_in(&server, HEAD.name, HEAD.password).await;
    assert_eq!(
        old.status(),
        StatusCode::UNAUTHORIZED,
        "the old password is gone"
    );
    session_of(&server, HEAD.name, new_password).await;

    let disabled = server.command(&["staff", "disable", CLERK.name], "");
    assert!(disabled.status.success(), "{disabled:?}");
    let (status, _) = status_of(&server, "/account", &clerk).await;
    assert_eq!(
        status,
        StatusCode::UNAUTHORIZED,
        "a disabled account is signed out"
    );
    let refused = sign_in(&server, CLERK.name, CLERK.password).await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let html = refused.text().await.expect("html");
    assert!(html.contains("This account is disabled"), "{html}");
    let enabled = server.command(&["staff", "enable", CLERK.name], "");
    assert!(enabled.status.success(), "{enabled:?}");
    let again = sign_in(&server, CLERK.name, CLERK.password).await;
    assert_eq!(again.status(), StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn the_staff_command_takes_passwords_from_standard_input_and_checks_them() {
    let server = Server::start();
    let added = server.command(
        &[
            "staff", "add", "sari", "--role", "counter", "--point", "Loket 3",
        ],
        "tiga-ekor-kucing-9\n",
    );
    let said = String::from_utf8_lossy(&added.stdout);
    assert!(added.status.success(), "{added:?}");
    assert!(said.contains("account sari created (counter)"), "{said}");
    let signed_in = sign_in(&server, "sari", "tiga-ekor-kucing-9").await;
    assert_eq!(signed_in.status(), StatusCode::SEE_OTHER);
    assert_eq!(signed_in.headers()[LOCATION], "/account");

    for (args, input, words) in [
        (
            vec![
                "staff", "add", "budi", "--role", "counter", "--point", "Loket 3",
            ],
            "pendek\n",
            "at least 10",
        ),
        (
            vec!["staff", "add", "Budi", "--role", "head"],
            "tiga-ekor-kucing-9\n",
            "NAME an account name",
        ),
        (
            vec!["staff", "add", "budi", "--role", "boss"],
            "tiga-ekor-kucing-9\n",
            "--role is \"boss\"",
        ),
        (
            vec![
                "staff", "add", "budi", "--role", "counter", "--point", "Loket 99",
            ],
            "tiga-ekor-kucing-9\n",
            "--point \"Loket 99\"",
        ),
        (
            vec!["staff", "add", "sari", "--role", "head"],
            "tiga-ekor-kucing-9\n",
            "exists already",
        ),
        (
            vec!["staff", "passwd", "nobody"],
            "tiga-ekor-kucing-9\n",
            "no account is named",
        ),
    ] {
        let refused = server.command(&args, input);
        let error = String::from_utf8_lossy(&refused.stderr);
        assert_eq!(refused.status.code(), Some(1), "{args:?}: {error}");
        assert!(error.contains(words), "{args:?}: {error}");
    }
    let listed = server.command(&["staff", "list"], "");
    let list = String::from_utf8_lossy(&listed.stdout);
    for words in ["admin", "kepala", "loket", "sari", "Loket 3", "active"] {
        assert!(list.contains(words), "{words}: {list}");
    }
    assert!(!list.contains("argon2"), "no hash in the list: {list}");
    let hashed = server.command(&["staff", "hash"], "tiga-ekor-kucing-9\n");
    let phc = String::from_utf8_lossy(&hashed.stdout);
    assert!(phc.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{phc}");
}
