//! `mpp-central copy-to-postgres`: a regency's SQLite file copied into the province's
//! PostgreSQL database as one named MPP, in one transaction: every ticket, event, conflict,
//! refusal, counter report, flagged number, kiosk, audit entry, survey response, closure change
//! and closed service, the published catalog, and the MPP's staff accounts (heads and counter
//! staff; they sign in again). Rows keep their
//! order (tickets and events in the order first heard, the rest by id); PostgreSQL numbers the
//! kept-aside rows anew, so two regencies' files never collide. A kiosk whose tickets are
//! already there is refused: the copy is made once.

use std::path::Path;

use postgres::types::ToSql;
use postgres::{Client, NoTls};
use rusqlite::types::Value;

use crate::storage::error::DbError;
use crate::storage::postgres as pg;
use crate::storage::postgres::Postgres;
use crate::storage::sqlite::Sqlite;

/// How a column is written in both databases.
#[derive(Clone, Copy)]
enum Kind {
    Text,
    Integer,
}

use Kind::{Integer, Text};

/// A table to copy: its columns besides `mpp`, and the order its rows are read in.
struct Table {
    name: &'static str,
    columns: &'static [(&'static str, Kind)],
    order: &'static str,
    /// What the PostgreSQL insert adds (e.g. `ON CONFLICT DO NOTHING`).
    tail: &'static str,
    /// Which rows are copied (a `WHERE` clause, or empty for all).
    only: &'static str,
}

const TABLES: [Table; 13] = [
    Table {
        name: "tickets",
        columns: &[
            ("kiosk", Text),
            ("id", Text),
            ("number", Text),
            ("queue", Text),
            ("lane", Text),
            ("sequence", Integer),
            ("business_day", Text),
            ("issued_at", Text),
            ("status", Text),
            ("status_event", Integer),
            ("ticket_json", Text),
            ("updated_at", Text),
            ("counter_status", Text),
            ("counter_name", Text),
            ("counter_at", Text),
            ("transferred_queue", Text),
        ],
        order: "rowid",
        tail: "",
        only: "",
    },
    Table {
        name: "events",
        columns: &[
            ("kiosk", Text),
            ("ticket_id", Text),
            ("event_id", Integer),
            ("status", Text),
            ("at", Text),
            ("body", Text),
            ("received_at", Text),
        ],
        order: "rowid",
        tail: "",
        only: "",
    },
    Table {
        name: "conflicts",
        columns: &[
            ("kiosk", Text),
            ("ticket_id", Text),
            ("event_id", Integer),
            ("body", Text),
            ("received_at", Text),
        ],
        order: "id",
        tail: "",
        only: "",
    },
    Table {
        name: "refusals",
        columns: &[
            ("kiosk", Text),
            ("ticket_id", Text),
            ("event_id", Integer),
            ("reason", Text),
            ("received_at", Text),
        ],
        order: "id",
        tail: "",
        only: "",
    },
    Table {
        name: "counter_reports",
        columns: &[
            ("kiosk", Text),
            ("ticket_id", Text),
            ("status", Text),
            ("counter", Text),
            ("credential", Text),
            ("at", Text),
        ],
        order: "id",
        tail: "",
        only: "",
    },
    Table {
        name: "flagged_numbers",
        columns: &[
            ("problem", Text),
            ("kiosk", Text),
            ("ticket_id", Text),
            ("number", Text),
            ("business_day", Text),
            ("first_kiosk", Text),
            ("first_ticket_id", Text),
            ("range_first", Integer),
            ("range_last", Integer),
            ("found_at", Text),
        ],
        order: "id",
        tail: "",
        only: "",
    },
    Table {
        name: "kiosks",
        columns: &[
            ("id", Text),
            ("last_contact_at", Text),
            ("heartbeat_json", Text),
            ("heartbeat_received_at", Text),
        ],
        order: "id",
        tail: "",
        only: "",
    },
    Table {
        name: "audit_log",
        columns: &[
            ("kiosk", Text),
            ("id", Integer),
            ("at", Text),
            ("action", Text),
            ("detail", Text),
            ("outcome", Text),
            ("received_at", Text),
        ],
        order: "kiosk, id",
        tail: "",
        only: "",
    },
    Table {
        name: "survey_responses",
        columns: &[
            ("response_id", Text),
            ("kiosk", Text),
            ("ticket_id", Text),
            ("channel", Text),
            ("business_day", Text),
            ("agency", Text),
            ("service", Text),
            ("counter", Text),
            ("requirements", Integer),
            ("procedure", Integer),
            ("completion_time", Integer),
            ("cost", Integer),
            ("product", Integer),
            ("staff_competence", Integer),
            ("staff_behaviour", Integer),
            ("complaints", Integer),
            ("facilities", Integer),
            ("age", Text),
            ("sex", Text),
            ("education", Text),
            ("occupation", Text),
            ("suggestion", Text),
            ("language", Text),
            ("answered_at", Text),
            ("received_at", Text),
        ],
        order: "received_at, response_id",
        tail: "",
        only: "",
    },
    Table {
        name: "closure_changes",
        columns: &[
            ("kiosk", Text),
            ("id", Integer),
            ("business_day", Text),
            ("service", Text),
            ("notice", Text),
            ("at", Text),
            ("received_at", Text),
        ],
        order: "kiosk, id",
        tail: "",
        only: "",
    },
    Table {
        name: "service_closures",
        columns: &[
            ("business_day", Text),
            ("service", Text),
            ("notice", Text),
            ("kiosk", Text),
            ("at", Text),
            ("change_id", Integer),
        ],
        order: "business_day, service",
        tail: "",
        only: "",
    },
    Table {
        name: "published_catalogs",
        columns: &[("version", Integer), ("json", Text), ("stored_at", Text)],
        order: "mpp",
        // The province may have published this MPP's catalog already: that one stays.
        tail: "ON CONFLICT (mpp) DO NOTHING",
        only: "",
    },
    Table {
        name: "staff_accounts",
        columns: &[
            ("name", Text),
            ("role", Text),
            ("points", Text),
            ("password", Text),
            ("disabled_at", Text),
            ("created_at", Text),
            ("changed_at", Text),
        ],
        order: "name",
        // A name the province has already stays the province's (the count shows it).
        tail: "ON CONFLICT (name) DO NOTHING",
        // The regency's heads and counter staff become the MPP's; its administrators do not
        // become the province's.
        only: "WHERE role IN ('head', 'counter')",
    },
];

#[derive(Debug, thiserror::Error)]
pub enum CopyError {
    #[error(transparent)]
    Sqlite(#[from] DbError),
    #[error("cannot read {table} from the SQLite file: {source}")]
    Read {
        table: &'static str,
        source: rusqlite::Error,
    },
    #[error("cannot write {table} into {server}: {source}")]
    Write {
        table: &'static str,
        server: String,
        source: postgres::Error,
    },
    #[error(
        "{server} already holds tickets of kiosk {kiosk} (MPP {mpp}): this file was copied before, \
         or the kiosk id is taken; nothing was copied"
    )]
    AlreadyThere {
        server: String,
        kiosk: String,
        mpp: String,
    },
}

/// How many rows of each table were copied, in [`TABLES`] order.
pub type Copied = Vec<(&'static str, u64)>;

/// Copies the SQLite database at `sqlite` (upgraded to the current schema first) into the
/// PostgreSQL database at `url` (migrated first) as the rows of MPP `mpp`.
#[tracing::instrument(skip_all, err, fields(mpp))]
pub fn copy_to_postgres(sqlite: &Path, url: &str, mpp: &str) -> Result<Copied, CopyError> {
    let source = Sqlite::open(sqlite)?;
    Postgres::migrate(url)?;
    let server = pg::server_of(url);
    let mut client = Client::connect(url, NoTls).map_err(|source| CopyError::Write {
        table: "(connect)",
        server: server.clone(),
        source,
    })?;
    let mut transaction = client.transaction().map_err(|source| CopyError::Write {
        table: "(begin)",
        server: server.clone(),
        source,
    })?;
    refuse_kiosks_already_there(&source, &mut transaction, &server)?;
    let mut copied = Vec::new();
    for table in &TABLES {
        let rows = read(&source, table)?;
        let written =
            write(&mut transaction, table, mpp, &rows).map_err(|source| CopyError::Write {
                table: table.name,
                server: server.clone(),
                source,
            })?;
        copied.push((table.name, written));
    }
    transaction.commit().map_err(|source| CopyError::Write {
        table: "(commit)",
        server,
        source,
    })?;
    Ok(copied)
}

/// A kiosk of the file with tickets in PostgreSQL already means it was copied before.
fn refuse_kiosks_already_there(
    source: &Sqlite,
    transaction: &mut postgres::Transaction<'_>,
    server: &str,
) -> Result<(), CopyError> {
    let kiosks: Vec<String> = source
        .connection
        .prepare("SELECT DISTINCT kiosk FROM tickets ORDER BY kiosk")
        .and_then(|mut statement| statement.query_map([], |row| row.get(0))?.collect())
        .map_err(|source| CopyError::Read {
            table: "tickets",
            source,
        })?;
    for kiosk in kiosks {
        let there = transaction
            .query_opt(
                "SELECT mpp FROM tickets WHERE kiosk = $1 LIMIT 1",
                &[&kiosk],
            )
            .map_err(|source| CopyError::Write {
                table: "tickets",
                server: server.to_owned(),
                source,
            })?;
        if let Some(row) = there {
            return Err(CopyError::AlreadyThere {
                server: server.to_owned(),
                kiosk,
                mpp: row.get(0),
            });
        }
    }
    Ok(())
}

/// One table's rows as SQLite holds them, every column as text or integer (or null).
fn read(source: &Sqlite, table: &Table) -> Result<Vec<Vec<Value>>, CopyError> {
    let columns: Vec<&str> = table.columns.iter().map(|(name, _)| *name).collect();
    let sql = format!(
        "SELECT {} FROM {} {} ORDER BY {}",
        columns.join(", "),
        table.name,
        table.only,
        table.order
    );
    let fail = |source| CopyError::Read {
        table: table.name,
        source,
    };
    let mut statement = source.connection.prepare(&sql).map_err(fail)?;
    let rows = statement
        .query_map([], |row| {
            (0..columns.len())
                .map(|index| row.get::<_, Value>(index))
                .collect::<Result<Vec<_>, _>>()
        })
        .map_err(fail)?;
    rows.collect::<Result<_, _>>().map_err(fail)
}

/// Inserts `rows` into `table` as `mpp`'s; how many.
fn write(
    transaction: &mut postgres::Transaction<'_>,
    table: &Table,
    mpp: &str,
    rows: &[Vec<Value>],
) -> Result<u64, postgres::Error> {
    let columns: Vec<&str> = table.columns.iter().map(|(name, _)| *name).collect();
    let placeholders: Vec<String> = (1..=columns.len() + 1).map(|n| format!("${n}")).collect();
    let sql = format!(
        "INSERT INTO {} (mpp, {}) VALUES ({}) {}",
        table.name,
        columns.join(", "),
        placeholders.join(", "),
        table.tail
    );
    let statement = transaction.prepare(&sql)?;
    let mut written = 0;
    for row in rows {
        let mut values: Vec<Box<dyn ToSql + Sync>> = vec![Box::new(mpp.to_owned())];
        for (value, (_, kind)) in row.iter().zip(table.columns) {
            values.push(as_postgres(value, *kind));
        }
        let params: Vec<&(dyn ToSql + Sync)> = values.iter().map(|value| &**value).collect();
        written += transaction.execute(&statement, &params)?;
    }
    Ok(written)
}

/// A SQLite value as the PostgreSQL column of `kind` takes it.
fn as_postgres(value: &Value, kind: Kind) -> Box<dyn ToSql + Sync> {
    match (value, kind) {
        (Value::Integer(number), Kind::Integer) => Box::new(*number),
        (Value::Integer(number), Kind::Text) => Box::new(number.to_string()),
        (Value::Text(text), Kind::Text) => Box::new(text.clone()),
        (Value::Text(text), Kind::Integer) => Box::new(text.parse::<i64>().ok()),
        (Value::Real(real), Kind::Integer) => Box::new(*real as i64),
        (_, Kind::Integer) => Box::new(None::<i64>),
        (_, Kind::Text) => Box::new(None::<String>),
    }
}
