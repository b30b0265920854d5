//! The PostgreSQL backend (`database = "postgres://…"`): the same tables as the SQLite file,
//! its own migrations (in `mpp_central_schema`, applied under an advisory lock so two server
//! processes starting together migrate once), one connection per pooled [`Postgres`] that
//! reconnects when the server went away: a connection PostgreSQL closed while it sat in the pool
//! (a restart) is noticed before it is used, and a read that finds it closed under it all the
//! same is tried once more on a new one, so the first request after a restart does not fail. Writes take a per-MPP advisory lock in their
//! transaction: within one MPP they follow one another as in SQLite (numbers printed twice are
//! found across kiosks), while twenty MPPs write side by side. Instants are kept as the same
//! fixed-width UTC text as in SQLite, in the C collation, so text order is time order and a
//! copied row is the row. No TLS: the server is on loopback or a private network.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use postgres::error::SqlState;
use postgres::fallible_iterator::FallibleIterator;
use postgres::{Client, NoTls, Statement, Transaction};

use crate::storage::error::{Corrupt, DbError};
use crate::storage::{Database, Transact, Writes};

mod audit;
mod batches;
mod catalog;
mod closures;
mod counters;
mod fleet;
mod numbers;
mod reads;
mod schema;
mod staff;
mod surveys;
mod tickets;

/// One connection to the PostgreSQL server, made again on first use after it broke.
pub struct Postgres {
    url: String,
    client: Option<Client>,
    /// Reads prepared on this connection, by their text: a page's query costs one round trip.
    prepared: HashMap<String, Statement>,
    /// Connections made so far: tells a read that failed on the connection it found from one
    /// that failed to make a new one.
    connects: u64,
    /// When the connection was last asked for.
    used: Instant,
}

/// A connection left alone this long is asked whether the server closed it before it is used:
/// a PostgreSQL restart takes longer than this, and a busy connection is never asked.
const LOOK_AFTER: Duration = Duration::from_millis(50);

impl Postgres {
    /// Connects to `url`, whose schema [`Postgres::migrate`] brought up to date.
    pub fn connect(url: &str) -> Result<Self, DbError> {
        let client = Client::connect(url, NoTls).map_err(|error| classify(url, &error))?;
        Ok(Self {
            url: url.to_owned(),
            client: Some(client),
            prepared: HashMap::new(),
            connects: 1,
            used: Instant::now(),
        })
    }

    /// Applies the migrations the database lacks, each in one transaction; refuses a newer schema.
    #[tracing::instrument(skip_all, err)]
    pub fn migrate(url: &str) -> Result<(), DbError> {
        let mut store = Self::connect(url)?;
        schema::migrate(&mut store)
    }

    /// The live connection, made again if the last one broke (the server restarted). What the
    /// server said since the connection was last used is read first, without waiting: a
    /// restarted PostgreSQL closed it (and said so), which the client notices only then, so a
    /// request after a restart gets a new connection instead of failing on the old one.
    fn client(&mut self) -> Result<&mut Client, DbError> {
        let quiet = self.used.elapsed() >= LOOK_AFTER;
        self.used = Instant::now();
        if quiet && let Some(client) = self.client.as_mut().filter(|client| !client.is_closed()) {
            // A zero wait still turns the client's event loop once, so what arrived on the
            // socket is read: a closed connection shows as an error here and as `is_closed`
            // from now on. (Without a turn, the client would not see it until a request.)
            let _ = client.notifications().timeout_iter(Duration::ZERO).next();
        }
        if self.client.as_ref().is_none_or(Client::is_closed) {
            self.client = None;
            // Statements belong to the connection that prepared them.
            self.prepared.clear();
            let client =
                Client::connect(&self.url, NoTls).map_err(|error| classify(&self.url, &error))?;
            self.client = Some(client);
            self.connects += 1;
        }
        let server = server_of(&self.url);
        self.client.as_mut().ok_or(DbError::Postgres {
            server,
            detail: "no connection".into(),
            temporary: true,
        })
    }

    /// Runs `work` (a read: it did nothing when it fails on a lost connection) on the
    /// connection, and when the connection it found turned out closed under it, once more on a
    /// new one. A failure to connect is not tried again: PostgreSQL is away, not restarted.
    fn retrying<T>(
        &mut self,
        mut work: impl FnMut(&mut Self) -> Result<T, DbError>,
    ) -> Result<T, DbError> {
        let (reused, connects) = (self.client.is_some(), self.connects);
        match work(self) {
            Err(error)
                if reused
                    && self.connects == connects
                    && self.client.as_ref().is_some_and(Client::is_closed) =>
            {
                tracing::info!(
                    %error,
                    "the database connection was closed under a read (PostgreSQL restarted?): \
                     reading again on a new connection"
                );
                work(self)
            }
            done => done,
        }
    }

    /// A transaction holding `mpp`'s write lock (released when it ends).
    fn locked(&mut self, mpp: &str) -> Result<Transaction<'_>, DbError> {
        let url = self.url.clone();
        let fail = |error: postgres::Error| classify(&url, &error);
        let client = self.client()?;
        let mut transaction = client.transaction().map_err(fail)?;
        transaction
            .execute(
                "SELECT pg_advisory_xact_lock(hashtextextended($1, 7))",
                &[&mpp],
            )
            .map_err(fail)?;
        Ok(transaction)
    }

    fn fail(&self, error: &postgres::Error) -> DbError {
        classify(&self.url, error)
    }
}

impl Corrupt for Postgres {
    fn corrupt(&self, detail: String) -> DbError {
        DbError::Corrupt {
            path: server_of(&self.url).into(),
            detail,
        }
    }
}

impl Transact for Postgres {
    fn begin(&mut self, mpp: &str) -> Result<Box<dyn Writes + '_>, DbError> {
        let url = self.url.clone();
        let transaction = self.locked(mpp)?;
        Ok(Box::new(Writing { transaction, url }))
    }
}

/// A write transaction under an MPP's lock, with the address for its errors: what a decision
/// made inside it (a batch, a survey response, a closure) reads and writes through.
struct Writing<'a> {
    transaction: Transaction<'a>,
    url: String,
}

impl Writing<'_> {
    fn fail(&self, error: &postgres::Error) -> DbError {
        classify(&self.url, error)
    }
}

impl Corrupt for Writing<'_> {
    fn corrupt(&self, detail: String) -> DbError {
        DbError::Corrupt {
            path: server_of(&self.url).into(),
            detail,
        }
    }
}

impl Writes for Writing<'_> {
    fn commit(self: Box<Self>) -> Result<(), DbError> {
        let Writing { transaction, url } = *self;
        transaction.commit().map_err(|error| classify(&url, &error))
    }
}

/// "Try again" (the server is away, restarting, out of connections, or the transaction lost a
/// race) or "fix this" (anything else: a broken schema, a refused login).
fn classify(url: &str, error: &postgres::Error) -> DbError {
    let temporary = match error.code() {
        None => true,
        Some(code) => {
            let class = &code.code()[..2];
            matches!(class, "08" | "53" | "57" | "40")
                || *code == SqlState::LOCK_NOT_AVAILABLE
                || *code == SqlState::QUERY_CANCELED
        }
    };
    let temporary = temporary && !is_login_refused(error);
    DbError::Postgres {
        server: server_of(url),
        detail: detail_of(error),
        temporary,
    }
}

/// What PostgreSQL said (its message, code and detail), not only the client's "db error".
fn detail_of(error: &postgres::Error) -> String {
    match error.as_db_error() {
        Some(db) => {
            let detail = db.detail().map(|detail| format!(": {detail}"));
            format!(
                "{} (SQLSTATE {}){}",
                db.message(),
                db.code().code(),
                detail.unwrap_or_default()
            )
        }
        None => {
            let source = std::error::Error::source(error).map(|source| format!(": {source}"));
            format!("{error}{}", source.unwrap_or_default())
        }
    }
}

/// A wrong password or an unknown database is for a person to fix, not to retry.
fn is_login_refused(error: &postgres::Error) -> bool {
    error.code().is_some_and(|code| {
        *code == SqlState::INVALID_PASSWORD
            || *code == SqlState::INVALID_AUTHORIZATION_SPECIFICATION
            || *code == SqlState::INVALID_CATALOG_NAME
    })
}

/// The address without its user and password, for messages and logs.
pub fn server_of(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let rest = rest.rsplit_once('@').map_or(rest, |(_, host)| host);
    format!("postgres://{rest}")
}

/// How often the health check asks before it says the database does not answer.
const ANSWER_TRIES: usize = 3;

impl Database for Postgres {
    fn checkpoint(&mut self) -> Result<(), DbError> {
        Ok(())
    }

    /// A connection the server dropped (it restarted) fails its next statement or two before
    /// it shows as closed and is made again: a few tries say whether the database answers now.
    fn answers(&mut self) -> Result<(), DbError> {
        let mut answer = Ok(0);
        for _ in 0..ANSWER_TRIES {
            answer = reads::Reads::value::<i32>(self, "SELECT 1", &[]);
            if answer.is_ok() {
                break;
            }
        }
        answer.map(drop)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_address_in_messages_has_no_password() {
        assert_eq!(
            server_of("postgres://central:s3cret@db.local:5432/mpp"),
            "postgres://db.local:5432/mpp"
        );
        assert_eq!(
            server_of("postgres://127.0.0.1/mpp"),
            "postgres://127.0.0.1/mpp"
        );
    }
}
