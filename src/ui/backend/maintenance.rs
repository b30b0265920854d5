//! The maintenance menu's way to the store and the printer: the PIN check, the printer's test
//! page, the audit log. Each runs on a blocking thread and is audited with its outcome; the
//! command line calls the same library functions (`maintenance::check_pin`, `Layout::test_page`).

use super::{Backend, BackendError, poisoned};
use mpp_station::maintenance::{Pin, PinCheck, PinError, check_pin};
use mpp_station::printer::PrintOutcome;

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
    pub async fn sync_status(self) -> Result<mpp_station::sync::Status, BackendError> {
        tokio::task::spawn_blocking(move || {
            let store = self.store.lock().map_err(|_| poisoned())?;
            Ok(mpp_station::sync::status(&store)?)
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

    /// Today's figures per service, the last ticket and ticket `found` (by id), from the store.
    pub async fn today(
        self,
        found: Option<String>,
    ) -> Result<crate::ui::screen::maintenance::today::Today, BackendError> {
        tokio::task::spawn_blocking(move || {
            let store = self.store.lock().map_err(|_| poisoned())?;
            let day = store.current_day(self.time_zone(), self.now())?;
            let summary = store.day_summary(day)?;
            let tickets = store.tickets_on(day)?;
            let found = found.and_then(|id| tickets.iter().find(|t| t.id.as_str() == id).cloned());
            let last = tickets.into_iter().max_by_key(|ticket| ticket.issued_at);
            Ok(crate::ui::screen::maintenance::today::Today {
                summary,
                last,
                found,
            })
        })
        .await?
    }

    /// Today's ticket whose number is `typed` (however it is written), if any.
    pub async fn find_today(
        self,
        typed: String,
    ) -> Result<Option<mpp_core::ticket::Ticket>, BackendError> {
        tokio::task::spawn_blocking(move || {
            let store = self.store.lock().map_err(|_| poisoned())?;
            let day = store.current_day(self.time_zone(), self.now())?;
            let tickets = store.tickets_on(day)?;
            Ok(tickets
                .into_iter()
                .rev()
                .find(|ticket| mpp_core::maintenance::same_number(&typed, &ticket.number)))
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
            let (ticket, outcome) = mpp_station::printing::print_ticket(
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

    /// Voids ticket `id` for `reason` (and a checked note), as `mpp-kiosk ticket void` does;
    /// audited.
    pub async fn void(
        self,
        id: String,
        reason: mpp_core::maintenance::VoidReason,
        note: Option<mpp_core::maintenance::VoidNote>,
    ) -> Outcome {
        let backend = self.clone();
        let why = mpp_core::maintenance::void_reason_text(reason, note.as_ref());
        let stored = why.clone();
        let voided = tokio::task::spawn_blocking(move || {
            let mut store = backend.store.lock().map_err(|_| poisoned())?;
            let ticket = store.set_status(
                &id,
                mpp_core::ticket::TicketStatus::Voided,
                Some(&stored),
                backend.now(),
            )?;
            Ok::<_, BackendError>(ticket.number)
        })
        .await?;
        match voided {
            Ok(number) => self.audit("ticket_void", number, why).await,
            Err(error) => self.refusal_audited("ticket_void", Err(error)).await,
        }
    }

    /// Closes `service` for the rest of today with `notice` (audited by the store).
    pub async fn close_service(
        self,
        service: mpp_core::ids::ServiceCode,
        notice: mpp_core::staff_notice::StaffNotice,
    ) -> Outcome {
        let backend = self.clone();
        let closed = tokio::task::spawn_blocking(move || {
            let mut store = backend.store.lock().map_err(|_| poisoned())?;
            let now = backend.now();
            let day = store.current_day(backend.time_zone(), now)?;
            store.close_service(day, &service, notice, now)?;
            Ok::<_, BackendError>(format!("{service} closed on {day}"))
        })
        .await?;
        self.refusal_audited("service_close", closed).await
    }

    /// Opens `service` again today (audited by the store).
    pub async fn reopen_service(self, service: mpp_core::ids::ServiceCode) -> Outcome {
        let backend = self.clone();
        let reopened = tokio::task::spawn_blocking(move || {
            let mut store = backend.store.lock().map_err(|_| poisoned())?;
            let now = backend.now();
            let day = store.current_day(backend.time_zone(), now)?;
            // Not closed (another way reopened it): open either way, as asked.
            let was_closed = store.reopen_service(day, &service, now)?;
            let how = if was_closed { "reopened" } else { "was open" };
            Ok::<_, BackendError>(format!("{service} {how} on {day}"))
        })
        .await?;
        self.refusal_audited("service_reopen", reopened).await
    }

    /// The catalog read again from where it is configured (or the newer synced copy), shown
    /// from the next welcome screen on; a broken file leaves the catalog in use as it is.
    pub async fn reload_catalog(self) -> Outcome {
        let backend = self.clone();
        let loaded = tokio::task::spawn_blocking(move || {
            let store = backend.store.lock().map_err(|_| poisoned())?;
            mpp_station::catalog_source::active(&backend.catalog_source, &store)
                .map_err(|error| BackendError::Maintenance(format!("refused: {error}")))
        })
        .await?;
        let said = loaded.map(|active| {
            let said = format!(
                "version {} from {} ({} services)",
                active.catalog.version,
                active.origin,
                active.catalog.services.len()
            );
            self.catalog_sender
                .send_replace(std::sync::Arc::new(active.catalog));
            said
        });
        let outcome = match &said {
            Ok(said) => said.clone(),
            Err(error) => error.to_string(),
        };
        tracing::info!(%outcome, "catalog reloaded from the menu");
        self.audit("catalog_reload", String::new(), outcome).await?;
        said
    }

    /// The ticket as the printer will print it: today's last ticket, or a sample of the first
    /// service when none was issued yet.
    pub async fn ticket_preview(self) -> Result<iced::widget::image::Handle, BackendError> {
        tokio::task::spawn_blocking(move || {
            let catalog = self.catalog();
            let store = self.store.lock().map_err(|_| poisoned())?;
            let day = store.current_day(self.time_zone(), self.now())?;
            let last = store
                .tickets_on(day)?
                .into_iter()
                .max_by_key(|ticket| ticket.issued_at);
            drop(store);
            let ticket = match last {
                Some(ticket) => ticket,
                None => sample_ticket(&catalog, &self.settings, day, self.now())?,
            };
            let job = self.layout.ticket_job(&ticket, &catalog);
            let picture = mpp_station::printer::render::render(&job.receipt, &job.options);
            let (width, height) = picture.dimensions();
            let rgba = image::DynamicImage::ImageLuma8(picture).to_rgba8();
            Ok(iced::widget::image::Handle::from_rgba(
                width,
                height,
                rgba.into_raw(),
            ))
        })
        .await?
    }

    /// Sets a new PIN from the menu (Argon2id, off the UI thread), audited by the store.
    pub async fn change_pin(self, pin: mpp_station::maintenance::Pin) -> Outcome {
        let backend = self.clone();
        let set = tokio::task::spawn_blocking(move || {
            let hash = mpp_station::maintenance::hash_pin(&pin)
                .map_err(|error| BackendError::Maintenance(error.to_string()))?;
            let mut store = backend.store.lock().map_err(|_| poisoned())?;
            store.set_pin_hash(&hash, "menu", backend.now())?;
            Ok::<_, BackendError>("done".to_owned())
        })
        .await?;
        self.refusal_audited("maintenance_pin_set", set).await
    }

    /// Asks for the program to start itself again once its window has closed.
    pub fn request_restart(&self) {
        self.restart
            .store(true, std::sync::atomic::Ordering::SeqCst);
    }

    /// Whether the menu asked for a restart.
    pub fn restart_requested(&self) -> bool {
        self.restart.load(std::sync::atomic::Ordering::SeqCst)
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

/// A ticket of the catalog's first service, numbered 0, for the preview before any was issued.
fn sample_ticket(
    catalog: &mpp_core::validate::ValidCatalog,
    settings: &mpp_station::store::IssueSettings,
    day: chrono::NaiveDate,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<mpp_core::ticket::Ticket, BackendError> {
    use mpp_core::numbering::{Lane, QueueNumber};
    let service = catalog
        .services
        .first()
        .ok_or_else(|| BackendError::Maintenance("the catalog has no service".into()))?;
    let number = QueueNumber {
        prefix: service.queue.clone(),
        lane: Lane::Regular,
        sequence: 0,
    };
    Ok(mpp_core::ticket::Ticket {
        id: mpp_core::ids::TicketId::new("preview"),
        number: number.to_string(),
        queue: service.queue.clone(),
        lane: Lane::Regular,
        sequence: 0,
        agency: service.agency.clone(),
        service: service.code.clone(),
        kiosk: settings.kiosk_id.clone(),
        business_day: day,
        issued_at: now,
        people_ahead: Some(0),
        expected_wait: None,
        status: mpp_core::ticket::TicketStatus::Issued,
        print_count: 0,
        qr_payload: "https://mpp.example/preview".into(),
    })
}
