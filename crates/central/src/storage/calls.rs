//! "Next" at a counter point, as both backends write it: inside one write transaction (the
//! MPP's lock on PostgreSQL, SQLite's one writer), the first ticket of the point's queues that
//! nobody has called yet becomes called to the point, so two points pressing "next" together
//! never get the same visitor; the same point pressing twice within [`SAME_PRESS`] gets the
//! ticket it already called. Who comes first is [`first_to_call`]'s rule. The backends answer
//! [`CallTransaction`] in their own SQL.

use chrono::{DateTime, NaiveDate, Utc};

use crate::model::calls::CallKind;
use crate::rules::counter::{OutOfTurn, SAME_PRESS, Waiting, first_to_call};
use crate::storage::call_log::{self, NewCall};
use crate::storage::counters::{CounterTransaction, Mark};
use crate::storage::error::DbError;
use crate::storage::rollups::Tracked;
use mpp_common::instant;
use mpp_core::protocol::{Called, CounterStatus};
use mpp_core::ticket::Ticket;

/// The statements both backends run, with SQLite's `?N` (`shared::for_postgres` makes them `$N`).
pub(crate) mod sql {
    /// The point's latest call of the day still standing at "called": kiosk, id, when. MPP
    /// `?1`, day `?2`, point `?3`.
    pub const LATEST_CALL: &str = "SELECT kiosk, id, counter_at FROM tickets \
        WHERE mpp = ?1 AND business_day = ?2 AND counter_name = ?3 \
        AND counter_status = 'called' ORDER BY counter_at DESC LIMIT 1";
    /// The first ticket of queue `?3` nobody has called yet (MPP `?1`, day `?2`), priority
    /// lane first: kiosk, id, lane, issued. Within the `tickets_waiting` index.
    pub fn first_waiting() -> String {
        format!(
            "SELECT kiosk, id, lane, issued_at FROM tickets \
             WHERE mpp = ?1 AND business_day = ?2 AND {} = ?3 AND status != 'voided' \
             AND counter_status IS NULL \
             ORDER BY CASE lane WHEN 'priority' THEN 0 ELSE 1 END, issued_at, kiosk, id LIMIT 1",
            crate::storage::shared::QUEUE_NOW
        )
    }
    /// Kiosk `?1`'s ticket `?2` as the kiosk sent it.
    pub const TICKET_JSON: &str = "SELECT ticket_json FROM tickets WHERE kiosk = ?1 AND id = ?2";
}

/// A point's "next": who presses it, for which queues, when.
pub struct Next<'a> {
    pub mpp: &'a str,
    pub today: NaiveDate,
    pub point: &'a str,
    pub queues: &'a [String],
    /// The counter credential's name, kept with the call.
    pub credential: &'a str,
    /// The point's zone ("" for none): which lobby displays show the call.
    pub zone: &'a str,
    pub now: DateTime<Utc>,
}

/// What [`call_next`] asks of a backend's write transaction.
pub trait CallTransaction: CounterTransaction {
    /// [`sql::LATEST_CALL`].
    fn latest_call(&mut self, next: &Next<'_>)
    -> Result<Option<(String, String, String)>, DbError>;
    /// [`sql::first_waiting`] for `queue`, the row kept from changing until the end.
    fn first_waiting(
        &mut self,
        next: &Next<'_>,
        queue: &str,
    ) -> Result<Option<(String, String, String, String)>, DbError>;
    /// [`sql::TICKET_JSON`].
    fn ticket_json(&mut self, kiosk: &str, id: &str) -> Result<Option<String>, DbError>;
}

/// Calls the next visitor to `next.point`; `None` when nobody waits in its queues.
pub(crate) fn call_next(
    transaction: &mut dyn CallTransaction,
    next: &Next<'_>,
) -> Result<Option<Called>, DbError> {
    if let Some(called) = same_press(transaction, next)? {
        return Ok(Some(called));
    }
    let mut candidates = Vec::new();
    for queue in next.queues {
        if let Some((kiosk, id, lane, issued_at)) = transaction.first_waiting(next, queue)? {
            let priority = lane == "priority";
            candidates.push(Waiting {
                kiosk,
                id,
                priority,
                issued_at,
            });
        }
    }
    let Some(chosen) = first_to_call(candidates) else {
        return Ok(None);
    };
    let tracked = Tracked::before(transaction, &chosen.kiosk, &chosen.id)?;
    transaction.mark_and_keep(&Mark {
        mpp: next.mpp,
        kiosk: &chosen.kiosk,
        id: &chosen.id,
        status: CounterStatus::Called.as_str(),
        counter: next.point,
        credential: next.credential,
        at: instant::to_text(next.now),
    })?;
    let called = called(transaction, &chosen.kiosk, &chosen.id, next.point, next.now)?;
    call_log::append(
        transaction,
        &NewCall {
            mpp: next.mpp,
            kiosk: &chosen.kiosk,
            ticket: &chosen.id,
            number: &called.ticket.number,
            point: next.point,
            zone: next.zone,
            kind: CallKind::Call,
            at: next.now,
            reason: "",
            account: next.credential,
        },
    )?;
    tracked.settle(transaction)?;
    Ok(Some(called))
}

/// The ticket this point called a moment ago, if this press is the same one again.
fn same_press(
    transaction: &mut dyn CallTransaction,
    next: &Next<'_>,
) -> Result<Option<Called>, DbError> {
    let Some((kiosk, id, at)) = transaction.latest_call(next)? else {
        return Ok(None);
    };
    let at =
        instant::parse(&at).ok_or_else(|| transaction.corrupt(format!("counter_at {at:?}")))?;
    // Either side: a press that read the clock just before another took the lock finds that
    // other's call a moment in its future, and it is still the same press.
    if (next.now - at).abs() >= SAME_PRESS {
        return Ok(None);
    }
    called(transaction, &kiosk, &id, next.point, at).map(Some)
}

fn called(
    transaction: &mut dyn CallTransaction,
    kiosk: &str,
    id: &str,
    point: &str,
    at: DateTime<Utc>,
) -> Result<Called, DbError> {
    let json = transaction
        .ticket_json(kiosk, id)?
        .ok_or_else(|| transaction.corrupt(format!("ticket {kiosk}/{id} vanished")))?;
    let ticket: Ticket = serde_json::from_str(&json)
        .map_err(|error| transaction.corrupt(format!("ticket {kiosk}/{id}: {error}")))?;
    Ok(Called {
        ticket,
        counter: point.to_owned(),
        called_at: at,
    })
}

/// A ticket called out of turn by its number (a visitor back after a no-show, an appointment),
/// with the reason kept in the call log.
pub struct ByNumber<'a> {
    pub next: Next<'a>,
    pub number: &'a str,
    pub reason: OutOfTurn,
}

/// What calling a number came to.
#[derive(Clone, Debug, PartialEq)]
pub enum NumberOutcome {
    Called(Box<Called>),
    /// No ticket of today has that number (or it was voided).
    Unknown,
    /// It is in a queue this point does not serve.
    OtherQueue(String),
    /// It is called already or served: nothing to call.
    NotWaiting(CounterStatus),
}

/// Today's ticket numbered `?3` of MPP `?1` (day `?2`), not voided: kiosk, id, queue, its
/// counter status (NULL while waiting).
fn by_number() -> String {
    format!(
        "SELECT kiosk, id, {}, counter_status FROM tickets \
         WHERE mpp = ?1 AND business_day = ?2 AND number = ?3 AND status != 'voided' \
         ORDER BY issued_at, kiosk, id LIMIT 1",
        crate::storage::shared::QUEUE_NOW
    )
}

/// Calls the ticket numbered `call.number` to the point, out of turn, if it waits (or was
/// missed: a visitor back after a no-show is called again) in one of the point's queues.
pub(crate) fn call_number(
    transaction: &mut dyn CallTransaction,
    call: &ByNumber<'_>,
) -> Result<NumberOutcome, DbError> {
    let next = &call.next;
    let day = next.today.to_string();
    let values = [Some(next.mpp), Some(day.as_str()), Some(call.number)];
    let rows = transaction.text_rows(&by_number(), &values)?;
    let Some(row) = rows.into_iter().next() else {
        return Ok(NumberOutcome::Unknown);
    };
    let text = |index: usize| row.get(index).cloned().flatten();
    let (kiosk, id, queue) = (
        text(0).unwrap_or_default(),
        text(1).unwrap_or_default(),
        text(2).unwrap_or_default(),
    );
    if !next.queues.contains(&queue) {
        return Ok(NumberOutcome::OtherQueue(queue));
    }
    match text(3).as_deref().map(CounterStatus::parse) {
        None | Some(Some(CounterStatus::NoShow)) => {}
        Some(Some(standing)) => return Ok(NumberOutcome::NotWaiting(standing)),
        Some(None) => return Err(transaction.corrupt(format!("counter status of {kiosk}/{id}"))),
    }
    let tracked = Tracked::before(transaction, &kiosk, &id)?;
    transaction.mark_and_keep(&Mark {
        mpp: next.mpp,
        kiosk: &kiosk,
        id: &id,
        status: CounterStatus::Called.as_str(),
        counter: next.point,
        credential: next.credential,
        at: instant::to_text(next.now),
    })?;
    let called = called(transaction, &kiosk, &id, next.point, next.now)?;
    call_log::append(
        transaction,
        &NewCall {
            mpp: next.mpp,
            kiosk: &kiosk,
            ticket: &id,
            number: &called.ticket.number,
            point: next.point,
            zone: next.zone,
            kind: CallKind::Call,
            at: next.now,
            reason: call.reason.code(),
            account: next.credential,
        },
    )?;
    tracked.settle(transaction)?;
    Ok(NumberOutcome::Called(Box::new(called)))
}
