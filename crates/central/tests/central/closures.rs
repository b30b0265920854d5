//! `POST` and `GET /api/v1/closures` on the real server (SQLite, and PostgreSQL with
//! `MPP_CENTRAL_TEST_BACKEND=postgres`): a province with Kudus (kiosks [`KIOSK`] and
//! [`THIRD_KIOSK`]) and Demak ([`OTHER_KIOSK`]). A close at one kiosk is seen at the other, a
//! later reopen ends it, an old close arriving late does not undo it, a resend is a duplicate,
//! Demak never sees Kudus's; every order of arrival ends in the same state, and so do changes
//! sent at the same moment; it survives a restart; wrong batches are refused with what is
//! wrong; `/fleet` lists today's closures.

use chrono::{DateTime, NaiveDate, SubsecRound, TimeDelta, Utc};
use mpp_core::closure_sync::{
    CLOSURES_PATH, ClosureBatch, ClosureChange, ClosureOutcome, DayClosures, SharedClosure,
};
use mpp_core::staff_closure::StaffNotice;
use mpp_testkit::central::*;
use reqwest::StatusCode;

/// Kudus's second kiosk (its id sorts after [`KIOSK`]'s: it wins a tie on time).
const THIRD_KIOSK: &str = "KIOSK-T3";
const THIRD_KIOSK_TOKEN: &str = "kiosk-t3-token-0123456789";
const SERVICE: &str = "DKC-KK";

fn province() -> Server {
    let kudus = MppAccount::new(
        "kudus",
        "MPP Kabupaten Kudus",
        SMALL_CATALOG,
        "counter-kudus-0123456789",
    )
    .kiosk(KioskAccount::new(KIOSK, KIOSK_TOKEN, SIGNING_KEY))
    .kiosk(KioskAccount::new(
        THIRD_KIOSK,
        THIRD_KIOSK_TOKEN,
        "test-signing-key-0003",
    ));
    let demak = MppAccount::new(
        "demak",
        "MPP Kabupaten Demak",
        SMALL_CATALOG,
        "counter-demak-0123456789",
    )
    .kiosk(KioskAccount::new(
        OTHER_KIOSK,
        OTHER_KIOSK_TOKEN,
        OTHER_SIGNING_KEY,
    ));
    Server::builder().mpps([kudus, demak]).start()
}

/// `minutes` before now, to the second (the server keeps microseconds).
fn ago(minutes: i64) -> DateTime<Utc> {
    Utc::now().trunc_subsecs(0) - TimeDelta::minutes(minutes)
}

fn change(
    id: i64,
    day: NaiveDate,
    notice: Option<StaffNotice>,
    at: DateTime<Utc>,
) -> ClosureChange {
    ClosureChange {
        id,
        business_day: day,
        service: SERVICE.into(),
        notice,
        at,
    }
}

async fn send(server: &Server, token: &str, body: &impl serde::Serialize) -> reqwest::Response {
    post_as(server, CLOSURES_PATH, token, body).await
}

/// `kiosk`'s batch of `changes`.
fn batch_of(kiosk: &str, changes: Vec<ClosureChange>) -> ClosureBatch {
    ClosureBatch {
        kiosk: kiosk.into(),
        changes,
    }
}

/// Sends `changes` as `kiosk`'s batch and expects them taken.
async fn push_changes(
    server: &Server,
    (kiosk, token): (&str, &str),
    changes: Vec<ClosureChange>,
) -> ClosureOutcome {
    post_ok(server, CLOSURES_PATH, token, &batch_of(kiosk, changes)).await
}

/// Sends `changes` as [`KIOSK`]'s batch and expects it refused as a whole (422); the error.
async fn refused(server: &Server, changes: Vec<ClosureChange>) -> String {
    let answer = send(server, KIOSK_TOKEN, &batch_of(KIOSK, changes)).await;
    assert_eq!(answer.status(), StatusCode::UNPROCESSABLE_ENTITY);
    error_of(answer).await
}

/// The closures of `day` as the kiosk with `token` is given them.
async fn closed(server: &Server, token: &str, day: NaiveDate) -> Vec<SharedClosure> {
    let answer = get_as(server, &format!("{CLOSURES_PATH}?day={day}"), token).await;
    assert_eq!(answer.status(), StatusCode::OK);
    let closures: DayClosures = answer.json().await.expect("the day's closures");
    assert_eq!(closures.day, day);
    closures.closed
}

const K1: (&str, &str) = (KIOSK, KIOSK_TOKEN);
const K3: (&str, &str) = (THIRD_KIOSK, THIRD_KIOSK_TOKEN);

/// The fleet page's closures section of `mpp`.
async fn fleet_closures(server: &Server, mpp: &str) -> String {
    let page = get_as(server, &format!("/fleet?mpp={mpp}"), ADMIN_TOKEN).await;
    assert_eq!(page.status(), StatusCode::OK);
    let page = page.text().await.expect("html");
    let (_, section) = page
        .split_once("Services closed by staff today")
        .expect("a closures section");
    section.split("<h2").next().expect("the section").to_owned()
}

#[tokio::test]
async fn a_close_is_shared_until_a_later_reopen_and_a_late_old_close_does_not_undo_it() {
    let server = province();
    let day = today();
    let close = change(1, day, Some(StaffNotice::FullToday), ago(30));
    let outcome = push_changes(&server, K1, vec![close.clone()]).await;
    assert_eq!((outcome.stored, outcome.duplicates), (vec![1], vec![]));
    let shared = closed(&server, THIRD_KIOSK_TOKEN, day).await;
    assert_eq!(
        shared,
        [SharedClosure {
            service: SERVICE.into(),
            notice: StaffNotice::FullToday,
            kiosk: KIOSK.into(),
            at: close.at,
        }]
    );
    let section = fleet_closures(&server, "kudus").await;
    assert!(
        section.contains(SERVICE) && section.contains(KIOSK),
        "{section}"
    );
    assert!(closed(&server, OTHER_KIOSK_TOKEN, day).await.is_empty());
    assert!(fleet_closures(&server, "demak").await.contains("none"));

    let reopen = change(1, day, None, ago(10));
    push_changes(&server, K3, vec![reopen]).await;
    assert!(closed(&server, KIOSK_TOKEN, day).await.is_empty());
    assert!(closed(&server, THIRD_KIOSK_TOKEN, day).await.is_empty());
    assert!(fleet_closures(&server, "kudus").await.contains("none"));

    // K1 was offline: its close made before K3's reopen arrives after it.
    let stale = change(2, day, Some(StaffNotice::OfficerAway), ago(20));
    let outcome = push_changes(&server, K1, vec![stale.clone()]).await;
    assert_eq!(outcome.stored, [2], "recorded, though it does not win");
    assert!(
        closed(&server, THIRD_KIOSK_TOKEN, day).await.is_empty(),
        "the later reopen stands"
    );

    let again = push_changes(&server, K1, vec![close, stale]).await;
    assert_eq!((again.stored, again.duplicates), (vec![], vec![1, 2]));
    assert!(closed(&server, KIOSK_TOKEN, day).await.is_empty());
}

#[tokio::test]
async fn wrong_batches_are_refused_with_what_is_wrong() {
    let server = province();
    let day = today();
    let good = change(1, day, Some(StaffNotice::FullToday), ago(5));

    let foreign = batch_of(THIRD_KIOSK, vec![good.clone()]);
    let refused_foreign = send(&server, KIOSK_TOKEN, &foreign).await;
    assert_eq!(refused_foreign.status(), StatusCode::FORBIDDEN);
    let error = error_of(refused_foreign).await;
    assert!(
        error.contains(KIOSK) && error.contains(THIRD_KIOSK),
        "{error}"
    );

    let many = (0..1001).map(|id| change(id, day, None, ago(5))).collect();
    assert!(refused(&server, many).await.contains("1001"));

    let mut far = change(7, day, None, ago(5));
    far.business_day = day - TimeDelta::days(400);
    let error = refused(&server, vec![far]).await;
    assert!(
        error.contains("id 7") && error.contains("business_day"),
        "{error}"
    );

    let mut unnamed = change(8, day, None, ago(5));
    unnamed.service = "".into();
    let error = refused(&server, vec![unnamed]).await;
    assert!(
        error.contains("id 8") && error.contains("service"),
        "{error}"
    );

    // PostgreSQL cannot hold a NUL: named here, never a failed batch there.
    let mut nul = change(9, day, None, ago(5));
    nul.service = "DKC-\u{0}KK".into();
    let error = refused(&server, vec![nul]).await;
    assert!(
        error.contains("id 9") && error.contains("NUL character"),
        "{error}"
    );

    let mut lunch = serde_json::to_value(batch_of(KIOSK, vec![good.clone()])).expect("json");
    lunch["changes"][0]["notice"] = "lunch".into();
    let refused_lunch = send(&server, KIOSK_TOKEN, &lunch).await;
    assert!(
        refused_lunch.status().is_client_error(),
        "{}",
        refused_lunch.status()
    );
    let error = error_of(refused_lunch).await;
    assert!(error.contains("lunch"), "{error}");

    for query in ["", "?day=", "?day=2026-13-40", "?day=tomorrow"] {
        let answer = get_as(&server, &format!("{CLOSURES_PATH}{query}"), KIOSK_TOKEN).await;
        assert_eq!(answer.status(), StatusCode::BAD_REQUEST, "{query}");
        assert!(error_of(answer).await.contains("day"), "{query}");
    }

    let anonymous = client()
        .post(server.url(CLOSURES_PATH))
        .json(&batch_of(KIOSK, vec![good]))
        .send()
        .await
        .expect("send");
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    let anonymous = get(&server, &format!("{CLOSURES_PATH}?day={day}")).await;
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);

    assert!(
        closed(&server, KIOSK_TOKEN, day).await.is_empty(),
        "nothing of a refused batch is applied"
    );
}

/// Every order of `items`, each once.
fn orders<T: Clone>(items: &[T]) -> Vec<Vec<T>> {
    if items.len() <= 1 {
        return vec![items.to_vec()];
    }
    let mut all = Vec::new();
    for (index, first) in items.iter().enumerate() {
        let mut rest = items.to_vec();
        rest.remove(index);
        for mut order in orders(&rest) {
            order.insert(0, first.clone());
            all.push(order);
        }
    }
    all
}

#[tokio::test]
async fn every_order_of_arrival_ends_in_the_same_state() {
    let server = province();
    let (t0, t1, t2) = (ago(60), ago(40), ago(20));
    // (kiosk, id, notice, at): K3's two changes at t2 tie with K1's reopen at t2; K3 has the
    // larger kiosk id and its change 3 the larger id: the close "closed today" wins.
    let changes = [
        (K1, 1, Some(StaffNotice::FullToday), t1),
        (K3, 1, Some(StaffNotice::SystemDown), t2),
        (K1, 2, None, t2),
        (K3, 2, Some(StaffNotice::OfficerAway), t0),
        (K3, 3, Some(StaffNotice::ClosedToday), t2),
    ];
    let all = orders(&changes);
    assert_eq!(all.len(), 120);
    // Each order on a business day of its own, with ids of its own (in the same order).
    for (number, order) in all.iter().enumerate() {
        let day = today() - TimeDelta::days(number as i64 + 1);
        for (kiosk, id, notice, at) in order {
            let id = number as i64 * 10 + id;
            let outcome = push_changes(&server, *kiosk, vec![change(id, day, *notice, *at)]).await;
            assert_eq!(outcome.stored, [id]);
        }
    }
    for (number, order) in all.iter().enumerate() {
        let day = today() - TimeDelta::days(number as i64 + 1);
        let shared = closed(&server, KIOSK_TOKEN, day).await;
        let expected = SharedClosure {
            service: SERVICE.into(),
            notice: StaffNotice::ClosedToday,
            kiosk: THIRD_KIOSK.into(),
            at: t2,
        };
        assert_eq!(shared, [expected], "order {order:?}");
    }
}

#[tokio::test]
async fn closures_survive_a_restart() {
    let mut server = province();
    let day = today();
    let close = change(1, day, Some(StaffNotice::SystemDown), ago(15));
    push_changes(&server, K1, vec![close.clone()]).await;
    server.restart();
    let shared = closed(&server, THIRD_KIOSK_TOKEN, day).await;
    assert_eq!(shared.len(), 1);
    assert_eq!(
        (shared[0].kiosk.as_str(), shared[0].notice, shared[0].at),
        (KIOSK, StaffNotice::SystemDown, close.at)
    );
    let again = push_changes(&server, K1, vec![close]).await;
    assert_eq!(again.duplicates, [1], "still known after the restart");
}

#[tokio::test]
async fn changes_sent_at_the_same_moment_from_both_kiosks_end_in_the_latest() {
    let server = province();
    let (t0, t1, t2) = (ago(60), ago(40), ago(20));
    for round in 0..20 {
        let day = today() - TimeDelta::days(round + 1);
        let id = round * 10;
        let close = change(id + 1, day, Some(StaffNotice::FullToday), t2);
        let reopen = change(id + 1, day, None, t1);
        let old_close = change(id + 2, day, Some(StaffNotice::OfficerAway), t0);
        tokio::join!(
            push_changes(&server, K1, vec![close]),
            push_changes(&server, K3, vec![reopen]),
            push_changes(&server, K3, vec![old_close]),
        );
        let shared = closed(&server, KIOSK_TOKEN, day).await;
        let winner: Vec<_> = shared
            .iter()
            .map(|c| (c.kiosk.as_str(), c.notice, c.at))
            .collect();
        assert_eq!(
            winner,
            [(KIOSK, StaffNotice::FullToday, t2)],
            "round {round}"
        );
    }
}
