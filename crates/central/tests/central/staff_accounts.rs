//! Staff accounts against a real `mpp-central` (both backends: `.ci/run` runs this module on
//! PostgreSQL too): two MPPs with a head each, counter staff and a province reader; each sees
//! only what the role allows, in pages, reports and CSV. Sessions are in the database: they
//! survive a restart and work on a second server process; a new password or a disabled
//! account ends them. `mpp-central staff …` reads the password from standard input, never
//! from its arguments.

use mpp_testkit::central::*;
use mpp_testkit::html;
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
    assert_eq!(signed_in.headers()[LOCATION], "/counter");

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

/// The value forms of a page carry (tied to the session).
fn form_value(page: &str) -> String {
    html::tags(page, "input")
        .into_iter()
        .find(|tag| tag.attribute("name") == Some("form"))
        .and_then(|tag| tag.attribute("value").map(str::to_owned))
        .expect("a form value")
}

/// `POST path` with the form `body` and the session `cookie`; status and page.
async fn post_form(server: &Server, path: &str, cookie: &str, body: &str) -> (StatusCode, String) {
    let answer = client_without_redirects()
        .post(server.url(path))
        .header(reqwest::header::COOKIE, cookie)
        .header(
            reqwest::header::CONTENT_TYPE,
            "application/x-www-form-urlencoded",
        )
        .body(body.to_owned())
        .send()
        .await
        .expect("POST");
    let status = answer.status();
    (status, answer.text().await.expect("page"))
}

#[tokio::test]
async fn a_head_adds_resets_and_disables_their_own_counter_staff_only() {
    let server = province();
    let head = session_of(&server, &head_of("kudus"), HEAD.password).await;
    let (status, page) = status_of(&server, "/staff", &head).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    html::keep("staff-page", &page);
    let token = form_value(&page);
    assert!(page.contains(&format!("data-account=\"{}\"", clerk_of("kudus"))));
    assert!(
        !page.contains(&clerk_of("demak")),
        "not Demak's staff: {page}"
    );
    assert!(
        !page.contains(&format!("data-account=\"{}\"", head_of("kudus"))),
        "a head does not manage themself here: {page}"
    );

    // Add counter staff for two Kudus points.
    let add = format!(
        "form={token}&name=dewi&password=ikan-terbang-22&point=kudus%7CLoket+1&point=kudus%7CLoket+2"
    );
    let (status, page) = post_form(&server, "/staff/add", &head, &add).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(page.contains("Account dewi added"), "{page}");
    let dewi = session_of(&server, "dewi", "ikan-terbang-22").await;
    let (_, account) = status_of(&server, "/account", &dewi).await;
    html::keep("account-page-counter", &account);
    assert!(
        account.contains("Loket 1, Loket 2") && account.contains("MPP Kabupaten Kudus"),
        "{account}"
    );

    // Refused: a Demak point, a weak password, a taken name, no form value, another MPP's staff.
    for (body, words) in [
        (
            format!("form={token}&name=eko&password=ikan-terbang-22&point=demak%7CLoket+1"),
            "Choose the points of one MPP of yours",
        ),
        (
            format!("form={token}&name=eko&password=pendek&point=kudus%7CLoket+1"),
            "at least 10",
        ),
        (
            format!("form={token}&name=dewi&password=ikan-terbang-22&point=kudus%7CLoket+1"),
            "taken",
        ),
        (
            format!("form={token}&name=Eko!&password=ikan-terbang-22&point=kudus%7CLoket+1"),
            "lowercase",
        ),
    ] {
        let (status, page) = post_form(&server, "/staff/add", &head, &body).await;
        assert_ne!(status, StatusCode::OK, "{body}");
        assert!(page.contains(words), "{body}: {page}");
    }
    let forged = "form=0000&name=eko&password=ikan-terbang-22&point=kudus%7CLoket+1";
    let (status, _) = post_form(&server, "/staff/add", &head, forged).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "a form from elsewhere");
    let other = format!("form={token}&name={}&action=disable", clerk_of("demak"));
    let (status, _) = post_form(&server, "/staff/change", &head, &other).await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "Demak's staff are not Kudus's head's"
    );
    let demak_clerk = sign_in(&server, &clerk_of("demak"), CLERK.password).await;
    assert_eq!(demak_clerk.status(), StatusCode::SEE_OTHER, "still enabled");

    // A new password ends dewi's session; disabling refuses her sign-in.
    let reset = format!("form={token}&name=dewi&action=password&password=burung-hantu-33");
    let (status, page) = post_form(&server, "/staff/change", &head, &reset).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    let (status, _) = status_of(&server, "/account", &dewi).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    session_of(&server, "dewi", "burung-hantu-33").await;
    let disable = format!("form={token}&name=dewi&action=disable");
    let (status, page) = post_form(&server, "/staff/change", &head, &disable).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(page.contains("disabled"), "{page}");
    let refused = sign_in(&server, "dewi", "burung-hantu-33").await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);

    // Counter staff and the province reader have no staff page.
    for (name, password) in [
        (clerk_of("kudus"), CLERK.password),
        (PROVINCE.name.to_owned(), PROVINCE.password),
    ] {
        let cookie = session_of(&server, &name, password).await;
        let (status, _) = status_of(&server, "/staff", &cookie).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{name}");
    }
}

#[tokio::test]
async fn people_change_their_own_password_and_their_other_sessions_end() {
    let server = Server::start();
    let here = session_of(&server, CLERK.name, CLERK.password).await;
    let elsewhere = session_of(&server, CLERK.name, CLERK.password).await;
    let (status, page) = status_of(&server, "/account", &here).await;
    assert_eq!(status, StatusCode::OK);
    let token = form_value(&page);
    for (current, new, again, words) in [
        (
            "wrong-password-1",
            "layang-layang-44",
            "layang-layang-44",
            "current password is wrong",
        ),
        (
            CLERK.password,
            "layang-layang-44",
            "layang-layang-45",
            "differ",
        ),
        (CLERK.password, "pendek", "pendek", "at least 10"),
    ] {
        let body = format!("form={token}&current={current}&new={new}&again={again}");
        let (status, page) = post_form(&server, "/account/password", &here, &body).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{words}");
        assert!(page.contains(words), "{words}: {page}");
    }
    let body = format!(
        "form={token}&current={}&new=layang-layang-44&again=layang-layang-44",
        CLERK.password
    );
    let (status, page) = post_form(&server, "/account/password", &here, &body).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    html::keep("account-password-changed", &page);
    assert!(page.contains("Password changed"), "{page}");
    let (status, _) = status_of(&server, "/account", &here).await;
    assert_eq!(
        status,
        StatusCode::OK,
        "the session it was changed from stays"
    );
    let (status, _) = status_of(&server, "/account", &elsewhere).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "the other session ended");
    session_of(&server, CLERK.name, "layang-layang-44").await;
    let login = get(&server, "/login").await.text().await.expect("page");
    html::keep("login", &login);
}
