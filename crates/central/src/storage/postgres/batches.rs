//! PostgreSQL's answers to [`BatchTransaction`]: a batch's events, conflicts, flagged numbers,
//! refusals and the kiosk's last contact, in the batch's one transaction under its MPP's lock
//! (so numbers printed twice are found across the MPP's kiosks).

use mpp_common::instant;

use crate::model::numbers::FlaggedNumber;
use crate::storage::batches::{Arriving, Batch, BatchTransaction, TicketKey, sql};
use crate::storage::error::DbError;
use crate::storage::numbers::{self, columns};
use crate::storage::postgres::Writing;
use crate::storage::postgres::reads::Reads;

impl BatchTransaction for Writing<'_> {
    fn stored_body(&mut self, arriving: &Arriving<'_>) -> Result<Option<String>, DbError> {
        let (kiosk, event) = (arriving.batch.kiosk, arriving.event);
        let id = event.ticket.id.as_str();
        let body = self.column(sql::STORED_BODY, &[&kiosk, &id, &event.event_id])?;
        Ok(body.into_iter().next())
    }

    fn apply_event(&mut self, arriving: &Arriving<'_>, ticket_json: &str) -> Result<bool, DbError> {
        let (batch, event, ticket) = (arriving.batch, arriving.event, &arriving.event.ticket);
        let (id, kiosk, status) = (ticket.id.as_str(), batch.kiosk, event.status.as_str());
        let received = instant::to_text(batch.now);
        let known: Option<(i32,)> = self.tuple(sql::KNOWN, &[&kiosk, &id])?;
        self.execute(
            sql::UPSERT_TICKET,
            &[
                &id,
                &kiosk,
                &ticket.number,
                &ticket.queue.as_str(),
                &ticket.lane.as_str(),
                &ticket.business_day.to_string(),
                &instant::to_text(ticket.issued_at),
                &status,
                &event.event_id,
                &ticket_json,
                &received,
                &i64::from(ticket.sequence),
                &batch.mpp,
            ],
        )?;
        self.execute(
            sql::APPEND_EVENT,
            &[
                &id,
                &event.event_id,
                &kiosk,
                &status,
                &instant::to_text(event.at),
                &arriving.body,
                &received,
                &batch.mpp,
            ],
        )?;
        Ok(known.is_none())
    }

    fn keep_conflict(&mut self, arriving: &Arriving<'_>) -> Result<(), DbError> {
        let (batch, event) = (arriving.batch, arriving.event);
        self.execute(
            sql::KEEP_CONFLICT,
            &[
                &batch.mpp,
                &batch.kiosk,
                &event.ticket.id.as_str(),
                &event.event_id,
                &arriving.body,
                &instant::to_text(batch.now),
            ],
        )
        .map(drop)
    }

    fn first_with_number(&mut self, arriving: &Arriving<'_>) -> Result<Option<TicketKey>, DbError> {
        let (batch, ticket) = (arriving.batch, &arriving.event.ticket);
        self.tuple(
            "SELECT kiosk, id FROM tickets WHERE mpp = $1 AND business_day = $2 AND queue = $3 \
             AND lane = $4 AND sequence = $5 AND NOT (kiosk = $6 AND id = $7) \
             ORDER BY seen LIMIT 1",
            &[
                &batch.mpp,
                &ticket.business_day.to_string(),
                &ticket.queue.as_str(),
                &ticket.lane.as_str(),
                &i64::from(ticket.sequence),
                &batch.kiosk,
                &ticket.id.as_str(),
            ],
        )
    }

    fn record_flagged(&mut self, mpp: &str, found: &FlaggedNumber) -> Result<(), DbError> {
        let (problem, first_kiosk, first_ticket, range) = columns(&found.problem);
        self.execute(
            numbers::sql::FLAG,
            &[
                &mpp,
                &problem,
                &found.kiosk,
                &found.ticket_id,
                &found.number,
                &found.business_day.to_string(),
                &first_kiosk,
                &first_ticket,
                &range.map(|range| i64::from(range.first)),
                &range.map(|range| i64::from(range.last)),
                &instant::to_text(found.found_at),
            ],
        )
        .map(drop)
    }

    fn record_refusals(&mut self, batch: &Batch<'_>) -> Result<(), DbError> {
        let received = instant::to_text(batch.now);
        for event in batch.refused {
            self.execute(
                sql::REFUSE,
                &[
                    &batch.mpp,
                    &batch.kiosk,
                    &event.ticket_id,
                    &event.refusal.event_id,
                    &event.refusal.reason,
                    &received,
                ],
            )?;
        }
        Ok(())
    }

    fn touch(&mut self, batch: &Batch<'_>) -> Result<(), DbError> {
        let at = instant::to_text(batch.now);
        self.execute(sql::TOUCH, &[&batch.kiosk, &batch.mpp, &at])
            .map(drop)
    }
}
