//! The SQLite file's answers to [`BatchTransaction`]: a batch's events, conflicts, flagged
//! numbers, refusals and the kiosk's last contact, in the batch's one write transaction.

use mpp_common::instant;
use rusqlite::params;

use crate::model::numbers::FlaggedNumber;
use crate::storage::batches::{Arriving, Batch, BatchTransaction, TicketKey, sql};
use crate::storage::error::DbError;
use crate::storage::numbers::{self, columns};
use crate::storage::sqlite::Writing;
use crate::storage::sqlite::reads::Statements;

impl BatchTransaction for Writing<'_> {
    fn stored_body(&mut self, arriving: &Arriving<'_>) -> Result<Option<String>, DbError> {
        let (kiosk, event) = (arriving.batch.kiosk, arriving.event);
        let key = params![kiosk, event.ticket.id.as_str(), event.event_id];
        Ok(self.column(sql::STORED_BODY, key)?.into_iter().next())
    }

    fn apply_event(&mut self, arriving: &Arriving<'_>, ticket_json: &str) -> Result<bool, DbError> {
        let (batch, event, ticket) = (arriving.batch, arriving.event, &arriving.event.ticket);
        let (id, kiosk, status) = (ticket.id.as_str(), batch.kiosk, event.status.as_str());
        let received = instant::to_text(batch.now);
        let known: Option<(i64,)> = self.tuple(sql::KNOWN, params![kiosk, id])?;
        self.execute(
            sql::UPSERT_TICKET,
            params![
                id,
                kiosk,
                ticket.number,
                ticket.queue.as_str(),
                ticket.lane.as_str(),
                ticket.business_day.to_string(),
                instant::to_text(ticket.issued_at),
                status,
                event.event_id,
                ticket_json,
                received,
                ticket.sequence,
                batch.mpp,
            ],
        )?;
        self.execute(
            sql::APPEND_EVENT,
            params![
                id,
                event.event_id,
                kiosk,
                status,
                instant::to_text(event.at),
                arriving.body,
                received,
                batch.mpp,
            ],
        )?;
        Ok(known.is_none())
    }

    fn keep_conflict(&mut self, arriving: &Arriving<'_>) -> Result<(), DbError> {
        let (batch, event) = (arriving.batch, arriving.event);
        let (id, received) = (event.ticket.id.as_str(), instant::to_text(batch.now));
        let values = params![
            batch.mpp,
            batch.kiosk,
            id,
            event.event_id,
            arriving.body,
            received
        ];
        self.execute(sql::KEEP_CONFLICT, values).map(drop)
    }

    fn first_with_number(&mut self, arriving: &Arriving<'_>) -> Result<Option<TicketKey>, DbError> {
        let (batch, ticket) = (arriving.batch, &arriving.event.ticket);
        self.tuple(
            "SELECT kiosk, id FROM tickets WHERE mpp = ?1 AND business_day = ?2 \
             AND queue = ?3 AND lane = ?4 AND sequence = ?5 \
             AND NOT (kiosk = ?6 AND id = ?7) ORDER BY rowid LIMIT 1",
            params![
                batch.mpp,
                ticket.business_day.to_string(),
                ticket.queue.as_str(),
                ticket.lane.as_str(),
                ticket.sequence,
                batch.kiosk,
                ticket.id.as_str(),
            ],
        )
    }

    fn record_flagged(&mut self, mpp: &str, found: &FlaggedNumber) -> Result<(), DbError> {
        let (problem, first_kiosk, first_ticket, range) = columns(&found.problem);
        self.execute(
            numbers::sql::FLAG,
            params![
                mpp,
                problem,
                found.kiosk,
                found.ticket_id,
                found.number,
                found.business_day.to_string(),
                first_kiosk,
                first_ticket,
                range.map(|range| range.first),
                range.map(|range| range.last),
                instant::to_text(found.found_at),
            ],
        )
        .map(drop)
    }

    fn record_refusals(&mut self, batch: &Batch<'_>) -> Result<(), DbError> {
        let received = instant::to_text(batch.now);
        for event in batch.refused {
            let (id, refusal) = (&event.ticket_id, &event.refusal);
            let values = params![
                batch.mpp,
                batch.kiosk,
                id,
                refusal.event_id,
                refusal.reason,
                received
            ];
            self.execute(sql::REFUSE, values)?;
        }
        Ok(())
    }

    fn touch(&mut self, batch: &Batch<'_>) -> Result<(), DbError> {
        let at = instant::to_text(batch.now);
        self.execute(sql::TOUCH, params![batch.kiosk, batch.mpp, at])
            .map(drop)
    }
}
