//! The maintenance menu's way to the store and the printer: the PIN check, the printer's test
//! page, the audit log. Each runs on a blocking thread and is audited with its outcome; the
//! command line calls the same library functions (`maintenance::check_pin`, `Layout::test_page`).

use super::{Backend, BackendError, poisoned};
use crate::maintenance::{Pin, PinCheck, PinError, check_pin};
use crate::printer::PrintOutcome;

/// How long "sync now" waits for the round before saying it did not finish.
const SYNC_PATIENCE: std::time::Duration = std::time::Duration::from_secs(30);

/// What a menu action ended with, in words fit for the audit log (never shown raw on screen).
pub type Outcome = Result<String, BackendError>;

impl Backend {
    /// Checks the technician's PIN against the stored hash and lock (audited by the store).
    pub async fn check_pin(self, pin: Pin) -> Result<PinCheck, BackendError> {
        tokio::task::spawn_blocking(move || {
            let clock = self.clock.clone();
            check_pin(&self.store, &pin, move || clock()).map_err(|error| match error {
                PinError::Store(error) => BackendError::Store(error),
                other => BackendError::Maintenance(other.to_string()),
            })
        })
        .await?
    }

    /// Writes one line to the audit log: a menu action and how it ended.
    pub async fn audit(self, action: &'static str, detail: String, outcome: String) -> Outcome {
        tokio::task::spawn_blocking(move || {
            let store = self.store.lock().map_err(|_| poisoned())?;
            store.audit(self.now(), action, &detail, &outcome)?;
            Ok(outcome)
        })
        .await?
    }

    /// Whether the sync loop runs (a kiosk without sync shows so on the menu's sync page).
    pub fn syncs(&self) -> bool {
        self.sync.is_some()
    }

    /// What `mpp-kiosk sync status` says, from the same function.
    pub async fn sync_status(self) -> Result<crate::sync::Status, BackendError> {
        tokio::task::spawn_blocking(move || {
            let store = self.store.lock().map_err(|_| poisoned())?;
            Ok(crate::sync::status(&store)?)
        })
        .await?
    }

    /// One sync round now (the loop's own round, nudged), audited with how it went.
    pub async fn sync_now(self) -> Outcome {
        let finished = match &self.sync {
            Some(link) => link.round_now(SYNC_PATIENCE).await,
            None => false,
        };
        let status = self.clone().sync_status().await?;
        let said = match (&self.sync, finished) {
            (None, _) => "refused: sync is off".to_owned(),
            (Some(_), false) => "no round finished within 30 s".to_owned(),
            (Some(_), true) => format!("round done; {} unsent", status.unsent),
        };
        self.clone()
            .audit("sync_now", String::new(), said.clone())
            .await?;
        if finished {
            Ok(said)
        } else {
            Err(BackendError::Maintenance(said))
        }
    }

    /// Today's figures per service and the last ticket, from the store.
    pub async fn today(self) -> Result<crate::ui::screen::maintenance::today::Today, BackendError> {
        tokio::task::spawn_blocking(move || {
            let store = self.store.lock().map_err(|_| poisoned())?;
            let day = store.current_day(self.time_zone(), self.now())?;
            let summary = store.day_summary(day)?;
            let last = store
                .tickets_on(day)?
                .into_iter()
                .max_by_key(|ticket| ticket.issued_at);
            Ok(crate::ui::screen::maintenance::today::Today { summary, last })
        })
        .await?
    }

    /// Prints ticket `id` again, as `mpp-kiosk ticket reprint` does (the same
    /// `print_ticket`); audited with its number and how it went.
    pub async fn reprint(self, id: String) -> Outcome {
        let backend = self.clone();
        let printed = tokio::task::spawn_blocking(move || {
            let catalog = backend.catalog();
            let mut store = backend.store.lock().map_err(|_| poisoned())?;
            let ticket = store.find_ticket(&id)?;
            let clock = backend.clock.clone();
            let (ticket, outcome) = crate::printing::print_ticket(
                &mut store,
                &backend.printer,
                &backend.layout,
                &catalog,
                &ticket,
                true,
                move || clock(),
            )?;
            Ok::<_, BackendError>((ticket.number, outcome))
        })
        .await?;
        let (number, outcome) = match printed {
            Ok(printed) => printed,
            Err(error) => return self.refusal_audited("ticket_reprint", Err(error)).await,
        };
        let said = describe(&outcome);
        self.clone()
            .audit("ticket_reprint", number, said.clone())
            .await?;
        if outcome.is_printed() {
            Ok(said)
        } else {
            Err(BackendError::Maintenance(said))
        }
    }

    /// Voids ticket `id` for `reason`, as `mpp-kiosk ticket void` does; audited.
    pub async fn void(self, id: String, reason: mpp_core::maintenance::VoidReason) -> Outcome {
        let backend = self.clone();
        let voided = tokio::task::spawn_blocking(move || {
            let mut store = backend.store.lock().map_err(|_| poisoned())?;
            let ticket = store.set_status(
                &id,
                mpp_core::ticket::TicketStatus::Voided,
                Some(reason.code()),
                backend.now(),
            )?;
            Ok::<_, BackendError>(ticket.number)
        })
        .await?;
        match voided {
            Ok(number) => {
                self.audit("ticket_void", number, reason.code().to_owned())
                    .await
            }
            Err(error) => self.refusal_audited("ticket_void", Err(error)).await,
        }
    }

    /// The database's size (with its write-ahead log) and the free space on its disk.
    pub async fn storage_figures(self) -> Result<(u64, Option<u64>), BackendError> {
        let path = self.store.lock().map_err(|_| poisoned())?.path().to_owned();
        tokio::task::spawn_blocking(move || {
            let size = |path: &std::path::Path| std::fs::metadata(path).map_or(0, |m| m.len());
            let mut wal = path.clone().into_os_string();
            wal.push("-wal");
            let bytes = size(&path) + size(std::path::Path::new(&wal));
            Ok((bytes, free_space(&path)))
        })
        .await?
    }

    /// Which day tickets go on now, or the doubt that stops them.
    pub async fn day_verdict(self) -> Result<mpp_core::day_check::DayVerdict, BackendError> {
        tokio::task::spawn_blocking(move || {
            let store = self.store.lock().map_err(|_| poisoned())?;
            Ok(store.day_verdict(self.time_zone(), self.now())?)
        })
        .await?
    }

    /// `mpp-kiosk day settle`'s action (audited by the store; a refusal audited here).
    pub async fn settle_day(self) -> Outcome {
        let backend = self.clone();
        let settled = tokio::task::spawn_blocking(move || {
            let mut store = backend.store.lock().map_err(|_| poisoned())?;
            Ok::<_, BackendError>(store.settle_day(backend.time_zone(), backend.now())?)
        })
        .await?;
        self.refusal_audited("day_settle", settled.map(|settled| format!("{settled:?}")))
            .await
    }

    /// `mpp-kiosk day start-at N`'s action on today's business day (audited by the store).
    pub async fn start_numbers_at(self, first: u32) -> Outcome {
        let backend = self.clone();
        let started = tokio::task::spawn_blocking(move || {
            let mut store = backend.store.lock().map_err(|_| poisoned())?;
            let now = backend.now();
            let day = store.current_day(backend.time_zone(), now)?;
            store.start_numbers_at(day, first, backend.settings.range, now)?;
            Ok::<_, BackendError>(format!("{day}: from {first}"))
        })
        .await?;
        self.refusal_audited("day_start_at", started).await
    }

    /// A refused action goes to the audit log too, with why (the store audits what it did).
    async fn refusal_audited(self, action: &'static str, result: Outcome) -> Outcome {
        if let Err(error) = &result {
            self.audit(action, String::new(), format!("refused: {error}"))
                .await?;
        }
        result
    }

    /// Prints the technician's test page, as `mpp-kiosk printer test` does; audited.
    pub async fn print_test_page(self) -> Outcome {
        let printer = self.printer.clone();
        let job = self
            .layout
            .test_page(self.settings.kiosk_id.as_str(), self.now());
        let outcome =
            tokio::task::spawn_blocking(move || printer.print_and_wait(job, true)).await?;
        let said = describe(&outcome);
        let recorded = self
            .clone()
            .audit("printer_test_page", String::new(), said.clone())
            .await;
        match (outcome.is_printed(), recorded) {
            (true, Ok(_)) => Ok(said),
            (false, Ok(_)) => Err(BackendError::Maintenance(said)),
            (_, Err(error)) => Err(error),
        }
    }
}

/// A print's outcome in a few words for the audit log.
fn describe(outcome: &PrintOutcome) -> String {
    match outcome {
        PrintOutcome::Printed { .. } => "printed".into(),
        PrintOutcome::AlreadyPrinted => "already printed".into(),
        PrintOutcome::NotPrinted { state } => format!("not printed: {}", state.as_str()),
        PrintOutcome::Failed { state, reason } => {
            format!("failed ({reason}): {}", state.as_str())
        }
    }
}

/// Free bytes on the disk holding `path`, from `df` (no unsafe `statvfs` needed); `None` when
/// `df` cannot say.
fn free_space(path: &std::path::Path) -> Option<u64> {
    let folder = path
        .parent()
        .filter(|folder| !folder.as_os_str().is_empty())?;
    let output = std::process::Command::new("df")
        .arg("-Pk")
        .arg(folder)
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&output.stdout);
    let kib: u64 = text
        .lines()
        .nth(1)?
        .split_whitespace()
        .nth(3)?
        .parse()
        .ok()?;
    Some(kib * 1024)
}
