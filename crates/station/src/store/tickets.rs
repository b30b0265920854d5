//! Issuing tickets and recording what happens to them.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Row, Transaction, TransactionBehavior, params};
use serde::Serialize;

use super::audit::record_audit;
use super::business_day::{BUSINESS_DAY_KEY, verdict};
use super::closures::closed_by_staff;
use super::columns::{corrupt, new_id, parse_day, parse_instant, parse_status};
use super::figures::QUEUE_STATUS_FRESHNESS;
use super::meta;
use super::numbering::{awaiting_numbers, floor_of};
use super::numbers_record::raise_numbers_record;
use super::{Store, StoreError};
use mpp_common::instant;
use mpp_core::day::TimeZone;
use mpp_core::day_check::DayVerdict;
use mpp_core::ids::{KioskId, ServiceCode, TicketId};
use mpp_core::numbering::{Lane, NumberRange, QueueNumber};
use mpp_core::schedule::Availability;
use mpp_core::staff_closure::availability_today;
use mpp_core::ticket::{Ticket, TicketStatus, qr_payload};
use mpp_core::validate::ValidCatalog;
use mpp_core::wait::{Pace, WaitRange, expected_wait};

/// What the store needs from the configuration to issue a ticket.
#[derive(Clone, Debug)]
pub struct IssueSettings {
    pub kiosk_id: KioskId,
    pub range: NumberRange,
    pub time_zone: TimeZone,
    pub qr_base_url: String,
    pub signing_key: Vec<u8>,
}

const TICKET_COLUMNS: &str = "id, number, queue, lane, sequence, agency, service, kiosk, business_day, \
     issued_at, people_ahead, status, print_count, qr_payload, wait_low, wait_high";

impl Store {
    /// Issues the next number of `service` in one `BEGIN IMMEDIATE` transaction: schedule and
    /// quota are checked, the number taken, the ticket and its outbox row written, and all of it
    /// committed before this returns. Nothing is printed before that.
    #[tracing::instrument(skip_all, err(level = "info"), fields(service = %service_code, lane = ?lane))]
    pub fn issue(
        &mut self,
        catalog: &ValidCatalog,
        settings: &IssueSettings,
        service_code: &ServiceCode,
        lane: Lane,
        now: DateTime<Utc>,
    ) -> Result<Ticket, StoreError> {
        let service = catalog
            .service(service_code)
            .ok_or_else(|| StoreError::UnknownService(service_code.clone()))?;
        if lane.is_priority() && !service.priority {
            return Err(StoreError::NoPriority(service_code.clone()));
        }
        let record_target = self.numbers_record.clone();
        let ticket = self.write(TransactionBehavior::Immediate, |transaction| {
            if awaiting_numbers(transaction)? {
                return Err(StoreError::NumbersUnknown {
                    path: transaction.path.to_owned(),
                }
                .into());
            }
            let local = settings.time_zone.local(now);
            let day = match verdict(transaction, settings.time_zone, now, transaction.path)? {
                DayVerdict::Serve(day) => day,
                DayVerdict::Return { from, to } => {
                    let detail = format!(
                        "numbering held on {from} returns to {to}: the server's clock agrees with the kiosk's; numbers given on {from} stay taken"
                    );
                    record_audit(transaction, now, "day_returned", &detail, "done")?;
                    to
                }
                DayVerdict::Doubt(doubt) => return Err(StoreError::DayInDoubt(doubt).into()),
            };
            let moment = NaiveDateTime::new(day, local.time());
            let issued_today = live_count(transaction, day, "service", &service.code)?;
            let staff = closed_by_staff(transaction, day, &service.code)?;
            if let Availability::Closed(closure) =
                availability_today(catalog, service, moment, issued_today, staff)
            {
                return Err(StoreError::Closed {
                    service: service.code.clone(),
                    day,
                    closure,
                }
                .into());
            }
            let used: Option<u32> = transaction
                .query_row(
                    "SELECT max(sequence) FROM tickets WHERE business_day = ?1 AND queue = ?2 AND lane = ?3",
                    params![day.to_string(), service.queue.as_str(), lane.as_str()],
                    |row| row.get(0),
                )?;
            let floor = floor_of(transaction, day, service.queue.as_str(), lane)?;
            let last = used.max(floor);
            let sequence = settings
                .range
                .next(last)
                .ok_or_else(|| StoreError::RangeExhausted {
                    queue: service.queue.clone(),
                    range: settings.range,
                })?;
            let id = TicketId::new(new_id(now));
            let heard = queue_now(transaction, day, &service.queue, lane, now)?;
            let ticket = Ticket {
                number: QueueNumber {
                    prefix: service.queue.clone(),
                    lane,
                    sequence,
                }
                .to_string(),
                queue: service.queue.clone(),
                lane,
                sequence,
                agency: service.agency.clone(),
                service: service.code.clone(),
                kiosk: settings.kiosk_id.clone(),
                business_day: day,
                issued_at: now,
                people_ahead: heard.map(|queue| queue.ahead),
                expected_wait: heard.and_then(|queue| expected_wait(queue.ahead, queue.pace)),
                status: TicketStatus::Issued,
                print_count: 0,
                qr_payload: qr_payload(
                    &settings.qr_base_url,
                    &settings.kiosk_id,
                    &id,
                    &settings.signing_key,
                ),
                id,
            };
            insert_ticket(transaction, &ticket)?;
            record_event(transaction, &ticket.id, TicketStatus::Issued, None, now)?;
            meta::set(transaction, BUSINESS_DAY_KEY, &day.to_string())?;
            // Raised before the commit: a record ahead of the database by one leaves a gap,
            // never a number printed twice.
            raise_numbers_record(&record_target, day, &service.queue, lane, sequence);
            Ok(ticket)
        })?;
        tracing::info!(number = %ticket.number, id = %ticket.id, "ticket issued");
        Ok(ticket)
    }

    /// Moves a ticket to `next`, with the reason kept in its history and sent to the server.
    #[tracing::instrument(skip_all, err(level = "info"), fields(id = id, next = next.as_str()))]
    pub fn set_status(
        &mut self,
        id: &str,
        next: TicketStatus,
        reason: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<Ticket, StoreError> {
        let ticket = self.write(TransactionBehavior::Immediate, |transaction| {
            let mut ticket = select_ticket(transaction, id, transaction.path)?
                .ok_or_else(|| StoreError::UnknownTicket(id.to_owned()))?;
            if !ticket.status.can_become(next) {
                return Err(StoreError::BadTransition {
                    id: id.into(),
                    from: ticket.status,
                    to: next,
                }
                .into());
            }
            let printed = matches!(next, TicketStatus::Printed | TicketStatus::Reprinted);
            ticket.status = next;
            ticket.print_count += u32::from(printed);
            transaction.execute(
                "UPDATE tickets SET status = ?2, print_count = ?3 WHERE id = ?1",
                params![id, next.as_str(), ticket.print_count],
            )?;
            record_event(transaction, id, next, reason, now)?;
            Ok(ticket)
        })?;
        tracing::info!(number = %ticket.number, status = next.as_str(), "ticket status changed");
        Ok(ticket)
    }

    /// A ticket by its id, or by its number on the latest business day (`DKC-014`).
    pub fn find_ticket(&self, id_or_number: &str) -> Result<Ticket, StoreError> {
        let by_id = self.query_tickets("WHERE id = ?1", params![id_or_number])?;
        if let Some(ticket) = by_id.into_iter().next() {
            return Ok(ticket);
        }
        let by_number = self.query_tickets(
            "WHERE number = ?1 ORDER BY business_day DESC, issued_at DESC LIMIT 1",
            params![id_or_number],
        )?;
        by_number
            .into_iter()
            .next()
            .ok_or_else(|| StoreError::UnknownTicket(id_or_number.to_owned()))
    }

    /// Every ticket of a business day, in the order issued.
    pub fn tickets_on(&self, day: NaiveDate) -> Result<Vec<Ticket>, StoreError> {
        self.query_tickets(
            "WHERE business_day = ?1 ORDER BY issued_at, rowid",
            params![day.to_string()],
        )
    }

    /// The history of a ticket, oldest first.
    pub fn ticket_history(&self, id: &str) -> Result<Vec<HistoryEntry>, StoreError> {
        let rows: Vec<(String, Option<String>, String)> = self.all_rows(
            "SELECT status, reason, at FROM ticket_events WHERE ticket_id = ?1 ORDER BY id",
            params![id],
            |row| row.try_into(),
        )?;
        rows.into_iter()
            .map(|(status, reason, at)| {
                Ok(HistoryEntry {
                    status: parse_status(&status, &self.path)?,
                    reason,
                    at: parse_instant(&at, &self.path)?,
                })
            })
            .collect()
    }

    pub(super) fn query_tickets(
        &self,
        clause: &str,
        parameters: impl rusqlite::Params,
    ) -> Result<Vec<Ticket>, StoreError> {
        let sql = format!("SELECT {TICKET_COLUMNS} FROM tickets {clause}");
        self.all_rows(&sql, parameters, RawTicket::from_row)?
            .into_iter()
            .map(|raw| raw.into_ticket(&self.path))
            .collect()
    }
}

/// One step in a ticket's life.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct HistoryEntry {
    pub status: TicketStatus,
    pub reason: Option<String>,
    pub at: DateTime<Utc>,
}

/// Tickets of the day still held by visitors, for one service or queue.
fn live_count(
    transaction: &Transaction,
    day: NaiveDate,
    column: &str,
    value: &str,
) -> rusqlite::Result<u32> {
    debug_assert!(matches!(column, "service" | "queue"));
    transaction.query_row(
        &format!("SELECT count(*) FROM tickets WHERE business_day = ?1 AND {column} = ?2 AND status != 'voided'"),
        params![day.to_string(), value],
        |row| row.get(0),
    )
}

/// A queue as this kiosk knows it now: the people ahead of a new ticket and the queue's pace.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct QueueNow {
    pub ahead: u32,
    pub pace: Option<Pace>,
}

/// People ahead: the server's last count of people waiting plus this kiosk's own tickets since,
/// with the pace it measured; `None` when the server has not been heard from recently.
pub(super) fn queue_now(
    connection: &Connection,
    day: NaiveDate,
    queue: &str,
    lane: Lane,
    now: DateTime<Utc>,
) -> rusqlite::Result<Option<QueueNow>> {
    let heard: Option<(u32, u32, String, Option<u32>)> = connection
        .query_row(
            "SELECT waiting_regular, waiting_priority, updated_at, seconds_per_visitor \
             FROM queue_status WHERE business_day = ?1 AND queue = ?2",
            params![day.to_string(), queue],
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?)),
        )
        .optional()?;
    let Some((regular, priority, updated_at, seconds)) = heard else {
        return Ok(None);
    };
    let Some(updated) = instant::parse(&updated_at) else {
        return Ok(None);
    };
    if now - updated > QUEUE_STATUS_FRESHNESS || updated > now {
        return Ok(None);
    }
    // Priority numbers are called first, so only other priority numbers stand before them.
    let lanes = match lane {
        Lane::Priority => "lane = 'priority'",
        Lane::Regular => "1 = 1",
    };
    let since: u32 = connection.query_row(
        &format!(
            "SELECT count(*) FROM tickets WHERE business_day = ?1 AND queue = ?2 AND {lanes} \
             AND status != 'voided' AND issued_at > ?3"
        ),
        params![day.to_string(), queue, instant::to_text(updated)],
        |row| row.get(0),
    )?;
    let waiting = match lane {
        Lane::Priority => priority,
        Lane::Regular => regular + priority,
    };
    Ok(Some(QueueNow {
        ahead: waiting + since,
        pace: seconds.map(|seconds_per_visitor| Pace {
            seconds_per_visitor,
        }),
    }))
}

fn insert_ticket(transaction: &Transaction, ticket: &Ticket) -> rusqlite::Result<()> {
    transaction.execute(
        &format!("INSERT INTO tickets ({TICKET_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)"),
        params![
            ticket.id.as_str(),
            ticket.number,
            ticket.queue.as_str(),
            ticket.lane.as_str(),
            ticket.sequence,
            ticket.agency.as_str(),
            ticket.service.as_str(),
            ticket.kiosk.as_str(),
            ticket.business_day.to_string(),
            instant::to_text(ticket.issued_at),
            ticket.people_ahead,
            ticket.status.as_str(),
            ticket.print_count,
            ticket.qr_payload,
            ticket.expected_wait.map(|wait| wait.low_minutes),
            ticket.expected_wait.map(|wait| wait.high_minutes),
        ],
    )?;
    Ok(())
}

/// Appends to the ticket's history and queues the event for the central server.
fn record_event(
    transaction: &Transaction,
    ticket_id: &str,
    status: TicketStatus,
    reason: Option<&str>,
    now: DateTime<Utc>,
) -> rusqlite::Result<()> {
    let at = instant::to_text(now);
    transaction.execute(
        "INSERT INTO ticket_events (ticket_id, status, reason, at) VALUES (?1, ?2, ?3, ?4)",
        params![ticket_id, status.as_str(), reason, at],
    )?;
    let event_id = transaction.last_insert_rowid();
    transaction.execute(
        "INSERT INTO outbox (event_id, created_at) VALUES (?1, ?2)",
        params![event_id, at],
    )?;
    Ok(())
}

fn select_ticket(
    transaction: &Transaction,
    id: &str,
    path: &std::path::Path,
) -> Result<Option<Ticket>, StoreError> {
    let raw = transaction
        .query_row(
            &format!("SELECT {TICKET_COLUMNS} FROM tickets WHERE id = ?1"),
            params![id],
            RawTicket::from_row,
        )
        .optional()
        .map_err(|error| StoreError::classify(path, error))?;
    raw.map(|raw| raw.into_ticket(path)).transpose()
}

/// A row as stored, before its text columns are parsed.
struct RawTicket {
    id: String,
    number: String,
    queue: String,
    lane: String,
    sequence: u32,
    agency: String,
    service: String,
    kiosk: String,
    business_day: String,
    issued_at: String,
    people_ahead: Option<u32>,
    status: String,
    print_count: u32,
    qr_payload: String,
    wait_low: Option<u32>,
    wait_high: Option<u32>,
}

impl RawTicket {
    fn from_row(row: &Row) -> rusqlite::Result<Self> {
        Ok(Self {
            id: row.get(0)?,
            number: row.get(1)?,
            queue: row.get(2)?,
            lane: row.get(3)?,
            sequence: row.get(4)?,
            agency: row.get(5)?,
            service: row.get(6)?,
            kiosk: row.get(7)?,
            business_day: row.get(8)?,
            issued_at: row.get(9)?,
            people_ahead: row.get(10)?,
            status: row.get(11)?,
            print_count: row.get(12)?,
            qr_payload: row.get(13)?,
            wait_low: row.get(14)?,
            wait_high: row.get(15)?,
        })
    }

    fn into_ticket(self, path: &std::path::Path) -> Result<Ticket, StoreError> {
        let lane = Lane::parse(&self.lane)
            .ok_or_else(|| corrupt(path, format!("ticket lane {:?}", self.lane)))?;
        Ok(Ticket {
            business_day: parse_day(&self.business_day, path)?,
            issued_at: parse_instant(&self.issued_at, path)?,
            status: parse_status(&self.status, path)?,
            id: self.id.into(),
            number: self.number,
            queue: self.queue.into(),
            lane,
            sequence: self.sequence,
            agency: self.agency.into(),
            service: self.service.into(),
            kiosk: self.kiosk.into(),
            people_ahead: self.people_ahead,
            expected_wait: match (self.wait_low, self.wait_high) {
                (Some(low_minutes), Some(high_minutes)) => Some(WaitRange {
                    low_minutes,
                    high_minutes,
                }),
                _ => None,
            },
            print_count: self.print_count,
            qr_payload: self.qr_payload,
        })
    }
}
