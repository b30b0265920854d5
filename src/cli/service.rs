//! `mpp-kiosk service …`: the maintenance menu's services page over SSH — close a service for
//! the rest of today with a notice visitors read, reopen it, list what is closed. The same
//! store calls as the menu, audited the same way.

use std::process::ExitCode;

use anyhow::{Context as _, Result, bail};
use clap::Subcommand;

use mpp_core::ids::ServiceCode;
use mpp_core::staff_notice::StaffNotice;
use mpp_core::strings::staff_notice_text;

use super::Invocation;
use super::output::say;

#[derive(Subcommand)]
pub enum ServiceCommand {
    /// The services closed by staff today, with their notices.
    Closed,
    /// Close SERVICE for the rest of today; visitors read the notice on it. Audited.
    Close {
        #[arg(value_name = "SERVICE")]
        service: String,
        /// officer_away, system_down, full_today or closed_today.
        #[arg(long, default_value = "closed_today")]
        notice: String,
    },
    /// Open SERVICE again today. Audited.
    Reopen {
        #[arg(value_name = "SERVICE")]
        service: String,
    },
}

pub fn run(command: ServiceCommand, invocation: &Invocation) -> Result<ExitCode> {
    let loaded = invocation.config()?;
    let mut store = invocation.store(&loaded)?;
    let now = invocation.now();
    let day = store.current_day(loaded.config.mpp.time_zone, now)?;
    let catalog = invocation.catalog(&loaded, &mut store)?.catalog;
    let known = |code: &str| -> Result<ServiceCode> {
        match catalog.service(code) {
            Some(service) => Ok(service.code.clone()),
            None => bail!(
                "there is no service {code:?} in the catalog in use (`mpp-kiosk catalog show` lists them)"
            ),
        }
    };
    match command {
        ServiceCommand::Closed => {
            let closed = store.closed_services(day)?;
            if closed.is_empty() {
                say!("no service is closed by staff on {day}")?;
            }
            let mut closed: Vec<_> = closed.into_iter().collect();
            closed.sort_by(|a, b| a.0.cmp(&b.0));
            for (service, notice) in closed {
                let words = staff_notice_text(notice).get(mpp_core::lang::Language::English);
                say!("{service}  {}  ({words})", notice.code())?;
            }
        }
        ServiceCommand::Close { service, notice } => {
            let service = known(&service)?;
            let notice = StaffNotice::from_code(&notice).with_context(|| {
                format!("--notice {notice:?} is not one of officer_away, system_down, full_today, closed_today")
            })?;
            store.close_service(day, &service, notice, now)?;
            say!(
                "{service} is closed for the rest of {day} ({})",
                notice.code()
            )?;
        }
        ServiceCommand::Reopen { service } => {
            let service = known(&service)?;
            if store.reopen_service(day, &service, now)? {
                say!("{service} is open again on {day}")?;
            } else {
                say!("{service} was not closed on {day}: nothing to do")?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
