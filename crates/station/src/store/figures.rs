//! The day's figures: counts per service and status, live tickets per queue, and how many
//! people wait according to the central server.

use std::collections::HashMap;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use rusqlite::params;
use serde::Serialize;

use super::columns::parse_status;
use super::tickets::{QueueNow, queue_now};
use super::{Store, StoreError};
use mpp_common::instant;
use mpp_core::ids::{QueueCode, ServiceCode};
use mpp_core::numbering::Lane;
use mpp_core::ticket::TicketStatus;
use mpp_core::wait::Pace;

/// The server's count of people waiting (and the queue's pace) is not shown (on screen, or
/// printed as "people ahead") once it is older than this: better nothing than wrong.
pub(super) const QUEUE_STATUS_FRESHNESS: Duration = Duration::minutes(10);

impl Store {
    /// Numbers given out today per service and status, for the day's figures.
    pub fn day_summary(&self, day: NaiveDate) -> Result<DaySummary, StoreError> {
        let rows: Vec<(String, String, String, u32)> = self.all_rows(
            "SELECT agency, service, status, count(*) FROM tickets WHERE business_day = ?1 \
                 GROUP BY agency, service, status ORDER BY agency, service, status",
            params![day.to_string()],
            |row| row.try_into(),
        )?;
        let mut summary = DaySummary {
            business_day: day,
            services: Vec::new(),
        };
        for (agency, service, status, count) in rows {
            let status = parse_status(&status, &self.path)?;
            let entry = match summary.services.iter_mut().find(|s| s.service == service) {
                Some(entry) => entry,
                None => {
                    summary.services.push(ServiceCount {
                        agency,
                        service,
                        ..ServiceCount::default()
                    });
                    summary.services.last_mut().expect("just pushed")
                }
            };
            entry.add(status, count);
        }
        Ok(summary)
    }

    /// Live (not voided) tickets of a day per service and per queue, for the screen's figures.
    pub fn live_counts(
        &self,
        day: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<LiveCounts, StoreError> {
        let rows: Vec<(String, String, u32)> = self.all_rows(
            "SELECT service, queue, count(*) FROM tickets WHERE business_day = ?1 \
                 AND status != 'voided' GROUP BY service, queue",
            params![day.to_string()],
            |row| row.try_into(),
        )?;
        let mut counts = LiveCounts {
            business_day: day,
            closed_by_staff: self.closed_services(day)?,
            ..LiveCounts::default()
        };
        for (service, queue, count) in rows {
            *counts.by_service.entry(service.into()).or_default() += count;
            *counts.by_queue.entry(queue.into()).or_default() += count;
        }
        let queues: Vec<String> = self.all_rows(
            "SELECT queue FROM queue_status WHERE business_day = ?1",
            params![day.to_string()],
            |row| row.get(0),
        )?;
        for queue in queues {
            // What a regular ticket taken now would have ahead of it, as the ticket will say.
            let heard = queue_now(&self.connection, day, &queue, Lane::Regular, now)
                .map_err(|error| self.error(error))?;
            if let Some(heard) = heard {
                counts.waiting.insert(queue.into(), heard);
            }
        }
        Ok(counts)
    }

    /// Records how many people wait in a queue, as heard from the central server.
    pub fn record_queue_status(
        &mut self,
        day: NaiveDate,
        queue: &str,
        waiting_regular: u32,
        waiting_priority: u32,
        pace: Option<Pace>,
        heard_at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let seconds = pace.map(|pace| pace.seconds_per_visitor);
        self.connection
            .execute(
                "INSERT INTO queue_status (business_day, queue, waiting_regular, waiting_priority, \
                 updated_at, seconds_per_visitor) VALUES (?1, ?2, ?3, ?4, ?5, ?6) \
                 ON CONFLICT (business_day, queue) DO UPDATE SET \
                 waiting_regular = excluded.waiting_regular, waiting_priority = excluded.waiting_priority, \
                 updated_at = excluded.updated_at, seconds_per_visitor = excluded.seconds_per_visitor",
                params![day.to_string(), queue, waiting_regular, waiting_priority, instant::to_text(heard_at), seconds],
            )
            .map(drop)
            .map_err(|error| self.error(error))
    }
}

/// Tickets still held by visitors today, per service and per queue.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LiveCounts {
    pub business_day: NaiveDate,
    pub by_service: HashMap<ServiceCode, u32>,
    pub by_queue: HashMap<QueueCode, u32>,
    /// Per queue, the people a regular ticket taken now would have ahead and the queue's
    /// pace, from the server's recent report (absent when stale).
    pub waiting: HashMap<QueueCode, QueueNow>,
    /// Services staff closed for the rest of the day, with the notice visitors read.
    pub closed_by_staff: HashMap<ServiceCode, mpp_core::staff_notice::StaffNotice>,
    /// Why no number can be given at all now, if so.
    pub hold: Option<mpp_core::issue_hold::IssueHold>,
}

/// Counts of a day's tickets for one service.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ServiceCount {
    pub agency: String,
    pub service: String,
    pub issued: u32,
    pub printed: u32,
    pub print_failed: u32,
    pub voided: u32,
}

impl ServiceCount {
    fn add(&mut self, status: TicketStatus, count: u32) {
        self.issued += count;
        match status {
            TicketStatus::Printed | TicketStatus::Reprinted => self.printed += count,
            TicketStatus::PrintFailed => self.print_failed += count,
            TicketStatus::Voided => self.voided += count,
            TicketStatus::Issued => {}
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DaySummary {
    pub business_day: NaiveDate,
    pub services: Vec<ServiceCount>,
}
