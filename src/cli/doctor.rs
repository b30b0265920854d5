//! `mpp-kiosk doctor`: what is wrong with this kiosk and how to fix it, one line each.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Result;

use mpp_core::day_check::{DayVerdict, describe_offset};
use mpp_core::lang::Language;
use mpp_core::printer_state::PrinterState;
use mpp_core::strings::{printer_fix_text, printer_state_text};
use mpp_station::catalog_source;
use mpp_station::config::{Config, Loaded};
use mpp_station::printer::settings::TransportKind as Transport;
use mpp_station::store::{NumberingOrigin, Store, StoreError};

use super::Invocation;
use super::output::{OutputError, say};

/// The demo key shipped in kiosk.toml: fine on a laptop, never on a kiosk in a lobby.
const DEMO_SIGNING_KEY: &str = "demo-signing-key-change-me";

#[derive(Default)]
struct Findings {
    problems: usize,
}

impl Findings {
    fn ok(&self, what: &str, detail: impl AsRef<str>) -> Result<(), OutputError> {
        say!("ok       {what}: {}", detail.as_ref())
    }

    fn warn(&self, what: &str, detail: impl AsRef<str>) -> Result<(), OutputError> {
        say!("warning  {what}: {}", detail.as_ref())
    }

    fn problem(&mut self, what: &str, detail: impl AsRef<str>) -> Result<(), OutputError> {
        self.problems += 1;
        say!("PROBLEM  {what}: {}", detail.as_ref())
    }
}

pub fn run(invocation: &Invocation) -> Result<ExitCode> {
    let mut findings = Findings::default();
    let loaded = match Loaded::find(invocation_path(invocation)) {
        Ok(loaded) => loaded,
        Err(error) => {
            findings.problem(
                "configuration",
                format!("{error}; fix it and run doctor again"),
            )?;
            return Ok(ExitCode::FAILURE);
        }
    };
    check_config(&loaded, &mut findings)?;
    let store = check_database(&loaded.config, invocation, &mut findings)?;
    check_catalog(&loaded.config, store.as_ref(), &mut findings)?;
    check_printer(&loaded.config, &mut findings)?;
    check_scanner(&loaded.config, &mut findings)?;
    super::speech::print_doctor_lines(&loaded.config)?;
    check_sync(&loaded.config, invocation.now(), &mut findings)?;
    if findings.problems == 0 {
        say!("\nno problems found")?;
        Ok(ExitCode::SUCCESS)
    } else {
        say!("\n{} problem(s) found", findings.problems)?;
        Ok(ExitCode::FAILURE)
    }
}

fn invocation_path(invocation: &Invocation) -> Option<&Path> {
    invocation.config_path.as_deref()
}

fn check_config(loaded: &Loaded, findings: &mut Findings) -> Result<(), OutputError> {
    let config = &loaded.config;
    findings.ok(
        "configuration",
        format!(
            "{} (kiosk {}, numbers {}–{})",
            loaded.origin,
            config.kiosk.id,
            config.kiosk.number_range.first,
            config.kiosk.number_range.last
        ),
    )?;
    for key in &loaded.unknown_keys {
        findings.warn(
            "configuration",
            format!("unknown key `{key}` is ignored: a typo?"),
        )?;
    }
    for key in &loaded.retired_keys {
        findings.problem(
            "configuration",
            format!(
                "`{key}` is set: {}",
                mpp_station::config::RETIRED_PIN_ADVICE
            ),
        )?;
    }
    if config.ticket.signing_key == DEMO_SIGNING_KEY {
        findings.warn(
            "configuration",
            "ticket.signing_key is the demo key: set a secret of your own, shared with the central server",
        )?;
    }
    Ok(())
}

fn check_database(
    config: &Config,
    invocation: &Invocation,
    findings: &mut Findings,
) -> Result<Option<Store>, OutputError> {
    let path = &config.storage.database;
    let store = match Store::open(path) {
        Ok(store) => store,
        Err(error) => {
            findings.problem("database", error.to_string())?;
            return Ok(None);
        }
    };
    match store.integrity_check() {
        Ok(result) if result == "ok" => findings.ok(
            "database",
            format!("{} (WAL, synchronous=FULL, integrity ok)", path.display()),
        ),
        Ok(result) => findings.problem(
            "database",
            format!("{} is damaged: {result}", path.display()),
        ),
        Err(error) => findings.problem("database", error.to_string()),
    }?;
    check_day(&store, config, invocation.now(), findings)?;
    check_numbering(&store, findings)?;
    match store.has_pin() {
        Ok(true) => findings.ok("maintenance", "the technician's menu has a PIN"),
        Ok(false) => findings.warn(
            "maintenance",
            "no PIN: the technician's menu stays shut until `mpp-kiosk maintenance set-pin`",
        ),
        Err(error) => findings.problem("maintenance", error.to_string()),
    }?;
    match store.outbox_depth() {
        Ok(depth) if depth.unsent == 0 => {
            findings.ok("outbox", "nothing waiting for the central server")
        }
        Ok(depth) => findings.warn(
            "outbox",
            format!(
                "{} event(s) not yet sent, oldest from {}",
                depth.unsent,
                depth
                    .oldest_unsent
                    .map(|at| at.to_rfc3339())
                    .unwrap_or_default()
            ),
        ),
        Err(error) => findings.problem("outbox", error.to_string()),
    }?;
    Ok(Some(store))
}

fn check_catalog(
    config: &Config,
    store: Option<&Store>,
    findings: &mut Findings,
) -> Result<(), OutputError> {
    let result = match store {
        Some(store) => catalog_source::active(&config.catalog.source, store),
        None => catalog_source::from_source(&config.catalog.source).map(|catalog| {
            catalog_source::Active {
                catalog,
                origin: "the configured catalog".into(),
            }
        }),
    };
    match result {
        Ok(active) => findings.ok(
            "catalog",
            format!(
                "version {} from {}: {} agencies, {} services",
                active.catalog.version,
                active.origin,
                active.catalog.agencies.len(),
                active.catalog.services.len()
            ),
        ),
        Err(error) => findings.problem("catalog", error.to_string()),
    }
}

fn check_printer(config: &Config, findings: &mut Findings) -> Result<(), OutputError> {
    let printer = &config.printer;
    match printer.transport {
        Transport::Virtual | Transport::File => match writable_folder(&printer.output_dir) {
            Ok(()) => findings.ok(
                "printer",
                // The transport's name in lower case, the folder as it is spelt.
                format!(
                    "{} transport writing to {}",
                    format!("{:?}", printer.transport).to_lowercase(),
                    printer.output_dir.display()
                ),
            ),
            Err(error) => findings.problem(
                "printer",
                format!(
                    "cannot write tickets to {}: {error}",
                    printer.output_dir.display()
                ),
            ),
        },
        Transport::Serial => check_serial_port(config, findings),
    }
}

fn writable_folder(folder: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(folder)?;
    let probe = folder.join(".doctor-probe");
    std::fs::write(&probe, b"probe")?;
    std::fs::remove_file(probe)
}

fn check_serial_port(config: &Config, findings: &mut Findings) -> Result<(), OutputError> {
    let port = config.printer.port.as_str();
    match serial_device_problem(Path::new(port), "the printer plugged in and switched on") {
        Some(problem) => findings.problem("printer", problem),
        None => check_printer_answers(config, findings),
    }
}

/// Why `port` cannot be opened as a serial device, in words that say what to look at
/// (`device` names it: "the printer plugged in and switched on"); None when it opens.
fn serial_device_problem(path: &Path, device: &str) -> Option<String> {
    use std::os::unix::fs::FileTypeExt;
    let port = path.display();
    match std::fs::metadata(path) {
        Err(_) => Some(format!(
            "{port} does not exist: is {device}? (see packaging/ for the udev rule that names it)"
        )),
        Ok(metadata) if !metadata.file_type().is_char_device() => {
            Some(format!("{port} is not a serial device"))
        }
        Ok(_) => match std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .open(path)
        {
            Ok(_) => None,
            // TIOCEXCL: a driver has it open (the kiosk, while it runs).
            Err(error) if error.kind() == std::io::ErrorKind::ResourceBusy => Some(format!(
                "{port} is in use by another program (the kiosk itself, while it runs?): {error}"
            )),
            Err(error) => Some(format!(
                "cannot open {port}: {error} (is the kiosk user in the dialout group?)"
            )),
        },
    }
}

/// `[scanner]`, when fitted: its port opens as the driver opens it. A scanner sends only when
/// it reads a code, so there is nothing to ask it.
fn check_scanner(config: &Config, findings: &mut Findings) -> Result<(), OutputError> {
    let Some(scanner) = &config.scanner else {
        return findings.ok(
            "scanner",
            "none configured: the survey starts from the typed ticket number and code",
        );
    };
    if let Some(problem) = serial_device_problem(&scanner.port, "the scanner plugged in") {
        return findings.problem("scanner", problem);
    }
    match mpp_station::scanner::serial::open_port(scanner) {
        Ok(_) => findings.ok("scanner", format!("{} opens", scanner.describe())),
        Err(error) => findings.problem(
            "scanner",
            format!(
                "cannot open {}: {error} (is the kiosk itself running and holding it?)",
                scanner.port.display()
            ),
        ),
    }
}

/// Asks the printer itself, as the app's driver does.
fn check_printer_answers(config: &Config, findings: &mut Findings) -> Result<(), OutputError> {
    let printer = super::printer::start_printer(config);
    let state = printer.wait_first_status(std::time::Duration::from_secs(3));
    let words = printer_state_text(state).get(Language::English);
    let port = &config.printer.port;
    match state {
        PrinterState::Ready => findings.ok("printer", format!("{port}: {words}")),
        PrinterState::PaperNearEnd => findings.warn("printer", format!("{port}: {words}; bring a new roll")),
        PrinterState::NotResponding => findings.problem(
            "printer",
            format!(
                "{port} opens but the printer does not answer: is it switched on, and set to {} baud?",
                config.printer.baud
            ),
        ),
        _ => findings.problem(
            "printer",
            format!("{port}: {words}. {}", printer_fix_text(state).get(Language::English)),
        ),
    }
}

/// The business day tickets go on, and how the kiosk's clock stands against the server's.
fn check_day(
    store: &Store,
    config: &Config,
    now: chrono::DateTime<chrono::Utc>,
    findings: &mut Findings,
) -> Result<(), OutputError> {
    let zone = config.mpp.time_zone;
    let offset = store.server_sample().ok().flatten().and_then(|sample| {
        sample
            .server_now(now)
            .map(|server_now| describe_offset(server_now - now))
    });
    let clock = match &offset {
        Some(words) => format!("the clock {words}"),
        None => "the server's clock not heard from in the last 15 minutes".into(),
    };
    match store.day_verdict(zone, now) {
        Ok(DayVerdict::Doubt(doubt)) => {
            findings.problem("business day", StoreError::DayInDoubt(doubt).to_string())
        }
        Ok(DayVerdict::Return { from, to }) => findings.warn(
            "business day",
            format!("numbering held on {from} returns to {to} with the next ticket ({clock})"),
        ),
        Ok(DayVerdict::Serve(day)) => {
            let clock_day = zone.local(now).date();
            if day > clock_day {
                findings.warn(
                    "business day",
                    format!("the clock says {clock_day} but tickets were already issued on {day}: numbering stays on {day}; check the clock and NTP ({clock})"),
                )
            } else {
                findings.ok("business day", format!("{day} ({zone}; {clock})"))
            }
        }
        Err(error) => findings.problem("database", error.to_string()),
    }
}

/// Where this database's numbers start, and whether the record beside it can be written.
fn check_numbering(store: &Store, findings: &mut Findings) -> Result<(), OutputError> {
    match store.numbering_origin() {
        Ok(Some(NumberingOrigin::Awaiting)) => findings.problem(
            "numbering",
            StoreError::NumbersUnknown {
                path: store.path().to_owned(),
            }
            .to_string(),
        ),
        Ok(origin) => {
            let origin = origin.map_or("not yet prepared", <&str>::from);
            findings.ok("numbering", format!("numbers of this database: {origin}"))
        }
        Err(error) => findings.problem("numbering", error.to_string()),
    }
}

/// Longest wait for the central server's answer.
const SYNC_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);
/// A kiosk clock this far from the server's is worth a look...
const CLOCK_WARN: chrono::TimeDelta = chrono::TimeDelta::minutes(1);
/// ...and this far puts tickets on the wrong day or makes the server refuse them.
const CLOCK_PROBLEM: chrono::TimeDelta = chrono::TimeDelta::hours(1);

/// `[sync]`, when enabled: the server's address answers, it accepts this kiosk's token (an
/// authenticated read of today's queues), and the kiosk's clock against the server's `Date`.
fn check_sync(
    config: &Config,
    now: chrono::DateTime<chrono::Utc>,
    findings: &mut Findings,
) -> Result<(), OutputError> {
    let sync = &config.sync;
    if !sync.enabled {
        return findings.ok("sync", "off: tickets stay on this kiosk");
    }
    let server = sync.server_url.trim_end_matches('/');
    let day = config.mpp.time_zone.local(now).date();
    let url = format!("{server}{}/queues?day={day}", mpp_core::protocol::API);
    let (status, date) = match ask_server(&url, &sync.token) {
        Ok(answer) => answer,
        Err(error) => {
            return findings.problem(
                "sync",
                format!("cannot reach the central server at {server}: {error}; is it running, and is sync.server_url right?"),
            );
        }
    };
    match status {
        200 => findings.ok("sync", format!("{server} accepts this kiosk's token")),
        401 => findings.problem(
            "sync",
            format!("{server} refuses this kiosk's token: check sync.token here and token_sha256 of kiosk {} in the server's mpp-central.toml", config.kiosk.id),
        ),
        status => findings.problem(
            "sync",
            format!("{server} answered HTTP {status} to an authenticated read: is it an mpp-central server?"),
        ),
    }?;
    check_clock(date, now, findings)
}

/// Status and `Date` header of an authenticated GET of `url`.
fn ask_server(
    url: &str,
    token: &str,
) -> Result<(u16, Option<chrono::DateTime<chrono::Utc>>), String> {
    // TLS through rustls with ring, as the sync loop does; Err: already installed.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|error| format!("cannot start the async runtime: {error}"))?;
    runtime.block_on(async {
        let client = reqwest::Client::builder()
            .timeout(SYNC_TIMEOUT)
            .user_agent(concat!("mpp-kiosk-doctor/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|error| error_chain(&error))?;
        let response = client
            .get(url)
            .bearer_auth(token)
            .send()
            .await
            .map_err(|error| error_chain(&error))?;
        let date = response
            .headers()
            .get(reqwest::header::DATE)
            .and_then(|value| value.to_str().ok())
            .and_then(|text| chrono::DateTime::parse_from_rfc2822(text).ok())
            .map(|date| date.with_timezone(&chrono::Utc));
        Ok((response.status().as_u16(), date))
    })
}

/// An error and its causes on one line (reqwest's own message hides the cause).
fn error_chain(error: &dyn std::error::Error) -> String {
    let mut words = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        words.push_str(": ");
        words.push_str(&cause.to_string());
        source = cause.source();
    }
    words
}

/// The kiosk's clock against the server's `Date` (which has whole seconds).
fn check_clock(
    server: Option<chrono::DateTime<chrono::Utc>>,
    now: chrono::DateTime<chrono::Utc>,
    findings: &mut Findings,
) -> Result<(), OutputError> {
    let Some(server) = server else {
        return findings.warn("clock", "the server sent no Date header to compare with");
    };
    let offset = server - now;
    let words = format!("this kiosk's clock {}", describe_offset(offset));
    if offset.abs() > CLOCK_PROBLEM {
        findings.problem(
            "clock",
            format!("{words}: tickets go on the wrong day and the server refuses them; set the time (timedatectl, NTP)"),
        )
    } else if offset.abs() > CLOCK_WARN {
        findings.warn("clock", format!("{words}: check NTP (timedatectl status)"))
    } else {
        findings.ok("clock", words)
    }
}
