//! Printing a ticket and recording the outcome: the one place where the store and the printer
//! meet, shared by the screen and the command line.

use chrono::{DateTime, Utc};

use crate::printer::{Layout, PrintOutcome, PrinterHandle};
use crate::store::{Store, StoreError};
use mpp_core::catalog::Catalog;
use mpp_core::ticket::{Ticket, TicketStatus};

/// Prints `ticket` and records what happened. A first print happens only for a ticket still
/// `issued`; anything else needs `reprint`. The number is never reused: a failed print leaves
/// the ticket `print_failed` with the printer's state as the reason, to reprint or void.
pub fn print_ticket(
    store: &mut Store,
    printer: &PrinterHandle,
    layout: &Layout,
    catalog: &Catalog,
    ticket: &Ticket,
    reprint: bool,
    now: impl Fn() -> DateTime<Utc>,
) -> Result<(Ticket, PrintOutcome), StoreError> {
    let current = store.find_ticket(&ticket.id)?;
    if current.status == TicketStatus::Voided {
        return Err(StoreError::BadTransition {
            id: current.id,
            from: TicketStatus::Voided,
            to: TicketStatus::Reprinted,
        });
    }
    let first_print = current.status == TicketStatus::Issued;
    if !first_print && !reprint {
        return Ok((current, PrintOutcome::AlreadyPrinted));
    }
    let outcome = printer.print_and_wait(layout.ticket_job(&current, catalog), !first_print);
    let updated = match &outcome {
        PrintOutcome::Printed { .. } => {
            let status = if first_print {
                TicketStatus::Printed
            } else {
                TicketStatus::Reprinted
            };
            store.set_status(&current.id, status, None, now())?
        }
        PrintOutcome::NotPrinted { state } | PrintOutcome::Failed { state, .. } => {
            let reason = match &outcome {
                PrintOutcome::Failed { reason, .. } => format!("{}: {reason}", state.as_str()),
                _ => state.as_str().to_owned(),
            };
            store.set_status(&current.id, TicketStatus::PrintFailed, Some(&reason), now())?
        }
        PrintOutcome::AlreadyPrinted => current,
    };
    Ok((updated, outcome))
}
