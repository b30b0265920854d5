//! `mpp-central`: the reference central server the kiosks sync to.
//! Exit codes: 0 stopped cleanly, 1 refused or failed (the message says why), 2 wrong usage.

use std::io::BufRead;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use chrono::{DateTime, Utc};
use clap::{Parser, Subcommand};

use mpp_central::demo_secrets::{self, DemoSecret, Verdict};
use mpp_central::{self as central, Loaded};
use mpp_common::{exit, toml_config};

#[derive(Parser)]
#[command(
    name = "mpp-central",
    version,
    about = "Central server for mpp-kiosk: ticket sync, catalog, QR ticket pages, fleet page"
)]
struct Cli {
    /// Configuration file (default: ./mpp-central.toml, then /etc/mpp-central/mpp-central.toml).
    #[arg(long, global = true, value_name = "PATH")]
    config: Option<PathBuf>,
    /// Start even with the published demo tokens or signing key while listening beyond this
    /// machine (a closed test network only: anybody can read them).
    #[arg(long)]
    allow_demo_secrets: bool,
    /// Start the clock at this instant (RFC 3339) and let it tick from there: to rehearse a
    /// day, and for tests that must not depend on the hour they run at.
    #[arg(long, hide = true, value_name = "INSTANT")]
    now: Option<DateTime<Utc>>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Work with access tokens.
    #[command(subcommand)]
    Token(TokenCommand),
    /// Staff accounts (the password is asked for with echo off, or read from standard input).
    #[command(subcommand)]
    Staff(StaffCommand),
    /// Copy a regency's SQLite database into the province's PostgreSQL database, as one MPP:
    /// every ticket, event, conflict, refusal, counter report and the published catalog.
    CopyToPostgres {
        /// The SQLite file (`database` of the regency's mpp-central.toml); stop its server first.
        #[arg(long, value_name = "PATH")]
        from: PathBuf,
        /// The PostgreSQL database, e.g. postgres://central@127.0.0.1/mpp.
        #[arg(long, value_name = "URL")]
        to: String,
        /// The id of the MPP the rows become (its `[[mpp]]` id in the province's config).
        #[arg(long, value_name = "ID")]
        mpp: String,
    },
    /// The dashboard's per-day tallies.
    #[command(subcommand)]
    Dashboard(DashboardCommand),
}

#[derive(Subcommand)]
enum DashboardCommand {
    /// Sum every ticket afresh into the per-day tallies (after copy-to-postgres, or if in
    /// doubt); the server keeps them up to date itself.
    Rebuild {
        /// Only this MPP (its `[[mpp]]` id); every MPP of the config when left out.
        #[arg(long, value_name = "ID")]
        mpp: Option<String>,
    },
}

#[derive(Subcommand)]
enum StaffCommand {
    /// Create an account.
    Add {
        /// Lowercase letters, digits, '.', '-', '_' (e.g. sari.dukcapil).
        name: String,
        /// admin (the server), province (reads every MPP), head (runs one MPP), counter.
        #[arg(long)]
        role: String,
        /// The MPP of a head or counter staff (on a one-MPP server it may be left out).
        #[arg(long, value_name = "ID")]
        mpp: Option<String>,
        /// A counter point counter staff call visitors to; once per point.
        #[arg(long = "point", value_name = "POINT")]
        points: Vec<String>,
    },
    /// Set a new password; every session of the account ends.
    Passwd { name: String },
    /// Disable an account; every session of it ends.
    Disable { name: String },
    /// Enable a disabled account again.
    Enable { name: String },
    /// List the accounts.
    List,
    /// Print the Argon2id hash of a password, for `password_argon2` in an [[account]] entry.
    Hash,
}

#[derive(Subcommand)]
enum TokenCommand {
    /// Print the SHA-256 of a token, for `token_sha256` / `admin_token_sha256` in the config.
    Hash {
        /// The token; `-` or nothing reads it from the first line of standard input, which
        /// keeps it out of the shell history.
        token: Option<String>,
    },
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => return exit::usage_error(&error),
    };
    // The database holds every kiosk's tickets: this user's alone.
    mpp_common::permissions::restrict_new_files();
    mpp_common::logging::init("MPP_CENTRAL_LOG", "info");
    let result = match cli.command {
        Some(Command::Token(TokenCommand::Hash { token })) => hash(token),
        Some(Command::Staff(command)) => staff(cli.config, command, cli.now),
        Some(Command::CopyToPostgres { from, to, mpp }) => copy(&from, &to, &mpp),
        Some(Command::Dashboard(DashboardCommand::Rebuild { mpp })) => rebuild(cli.config, mpp),
        None => run(cli.config, cli.allow_demo_secrets, cli.now),
    };
    match result {
        Ok(()) => ExitCode::from(exit::SUCCESS),
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::from(exit::FAILURE)
        }
    }
}

fn hash(token: Option<String>) -> Result<()> {
    let token = match token.filter(|token| token != "-") {
        Some(token) => token,
        None => {
            let mut line = String::new();
            std::io::stdin()
                .lock()
                .read_line(&mut line)
                .context("cannot read the token from standard input")?;
            line.trim_end_matches(['\r', '\n']).to_owned()
        }
    };
    if token.trim().is_empty() {
        anyhow::bail!("the token is empty");
    }
    central::admin::token::check_strength(&token)?;
    println!("{}", central::hash_hex(&token));
    Ok(())
}

fn staff(config: Option<PathBuf>, command: StaffCommand, now: Option<DateTime<Utc>>) -> Result<()> {
    use central::admin::staff as accounts;
    let now = now.unwrap_or_else(Utc::now);
    if let StaffCommand::Hash = command {
        let password = new_password("the account")?;
        println!("{}", accounts::hash_new("", &password)?);
        return Ok(());
    }
    let loaded = Loaded::find(config.as_deref())?;
    let mut db = accounts::database(&loaded.config)?;
    match command {
        StaffCommand::Add {
            name,
            role,
            mpp,
            points,
        } => {
            let entry = central::config::AccountEntry {
                name: name.clone(),
                role,
                mpp,
                points,
                password_argon2: String::new(),
            };
            let password = new_password(&name)?;
            let account = accounts::add(db.as_mut(), &loaded.config, &entry, &password, now)?;
            println!("account {} created ({})", account.name, account.role.code());
        }
        StaffCommand::Passwd { name } => {
            let password = new_password(&name)?;
            accounts::passwd(db.as_mut(), &name, &password, now)?;
            println!("password of {name} changed; its sessions ended");
        }
        StaffCommand::Disable { name } => {
            accounts::set_disabled(db.as_mut(), &name, true, now)?;
            println!("account {name} disabled; its sessions ended");
        }
        StaffCommand::Enable { name } => {
            accounts::set_disabled(db.as_mut(), &name, false, now)?;
            println!("account {name} enabled");
        }
        StaffCommand::List => {
            for line in accounts::list(db.as_mut())? {
                println!("{line}");
            }
        }
        StaffCommand::Hash => {}
    }
    Ok(())
}

/// A new password: typed twice with echo off at a terminal, else the first line of standard
/// input (for scripts: `printf '%s\n' "$password" | mpp-central staff passwd sari`).
fn new_password(name: &str) -> Result<String> {
    use std::io::IsTerminal;
    if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password(format!("New password for {name}: "))
            .context("cannot read the password from the terminal")?;
        let again = rpassword::prompt_password("The same again: ")
            .context("cannot read the password from the terminal")?;
        if first != again {
            anyhow::bail!("the two passwords differ; nothing changed");
        }
        return Ok(first);
    }
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .context("cannot read the password from standard input")?;
    Ok(line.trim_end_matches(['\r', '\n']).to_owned())
}

fn rebuild(config: Option<PathBuf>, only: Option<String>) -> Result<()> {
    let loaded = Loaded::find(config.as_deref())?;
    let ids: Vec<String> = match only {
        Some(id) if loaded.config.mpp(&id).is_none() => {
            anyhow::bail!("--mpp {id}: no such MPP in the configuration")
        }
        Some(id) => vec![id],
        None => (loaded.config.mpps().iter().map(|mpp| mpp.id.clone())).collect(),
    };
    let rebuilt = central::admin::tallies::rebuild(&loaded.config, &ids)
        .context("cannot rebuild the dashboard's tallies")?;
    for (id, tallies) in rebuilt {
        println!("{id}: {tallies} tallies");
    }
    Ok(())
}

fn copy(from: &std::path::Path, to: &str, mpp: &str) -> Result<()> {
    if !from.exists() {
        anyhow::bail!("--from {}: no such file", from.display());
    }
    let copied = central::admin::copy::copy_to_postgres(from, to, mpp)?;
    for (table, rows) in copied {
        println!("{table}: {rows}");
    }
    Ok(())
}

fn run(
    config: Option<PathBuf>,
    allow_demo_secrets: bool,
    now: Option<DateTime<Utc>>,
) -> Result<()> {
    let loaded = Loaded::find(config.as_deref())?;
    tracing::info!(config = %loaded.path.display(), "configuration read");
    check_demo_secrets(&loaded, allow_demo_secrets)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    // The signal handlers are installed inside the runtime, before the server says READY=1.
    let clock = mpp_common::instant::clock_from(now);
    runtime.block_on(async { central::serve(loaded, clock, central::shutdown_signal()).await })?;
    Ok(())
}

/// Refuses the published demo secrets on an address the network can reach; warns on loopback.
fn check_demo_secrets(loaded: &Loaded, allowed: bool) -> Result<()> {
    let listen = loaded.config.listen;
    match demo_secrets::verdict(&loaded.config, allowed) {
        Verdict::Clean => Ok(()),
        Verdict::Warn(found) => {
            for secret in &found {
                tracing::warn!(
                    key = %secret.key,
                    %listen,
                    "a published demo secret is configured: {secret}; set your own before the server is reachable from the network"
                );
            }
            Ok(())
        }
        Verdict::Refuse(found) => {
            let text = std::fs::read_to_string(&loaded.path).unwrap_or_default();
            let path = loaded.path.display();
            let located: Vec<String> = found
                .iter()
                .map(|secret| located(&path, &text, secret))
                .collect();
            anyhow::bail!(
                "refusing to listen on {listen} with secrets everybody can read:\n  {}\n\
                 Make your own: tokens from `openssl rand -hex 32` (their hashes from `mpp-central \
                 token hash`), signing keys of 16 characters or more shared with each kiosk. Or keep \
                 `listen` on 127.0.0.1 behind the reverse proxy. --allow-demo-secrets starts anyway, \
                 for a closed test network.",
                located.join("\n  ")
            )
        }
    }
}

fn located(path: &impl std::fmt::Display, text: &str, secret: &DemoSecret) -> String {
    match toml_config::line_of_path(text, &secret.key) {
        0 => format!("{path}: key `{}` is {}", secret.key, secret.value),
        line => format!(
            "{path}, line {line}, key `{}`: {}",
            secret.key, secret.value
        ),
    }
}
