//! The SQLite schema, as the migrations that build it: `user_version` counts those applied.

/// Each entry moves the schema one version up. Never edit a shipped entry: add a new one.
pub(crate) const MIGRATIONS: &[&str] = &[
    r#"
-- Every ticket as its kiosk last reported it (the event with the highest event id wins),
-- and what a counter last said about it.
CREATE TABLE tickets (
    id              TEXT PRIMARY KEY,
    kiosk           TEXT NOT NULL,
    number          TEXT NOT NULL,
    queue           TEXT NOT NULL,
    lane            TEXT NOT NULL CHECK (lane IN ('regular', 'priority')),
    business_day    TEXT NOT NULL,
    issued_at       TEXT NOT NULL,
    status          TEXT NOT NULL,
    status_event    INTEGER NOT NULL,
    ticket_json     TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    counter_status  TEXT CHECK (counter_status IN ('called', 'served', 'no_show')),
    counter_name    TEXT,
    counter_at      TEXT
) STRICT;
CREATE INDEX tickets_by_day_queue ON tickets (business_day, queue, issued_at);
CREATE INDEX tickets_by_kiosk_day ON tickets (kiosk, business_day);

-- Every event received, exactly as it will be compared with a resend.
CREATE TABLE events (
    ticket_id    TEXT NOT NULL REFERENCES tickets (id),
    event_id     INTEGER NOT NULL,
    kiosk        TEXT NOT NULL,
    status       TEXT NOT NULL,
    at           TEXT NOT NULL,
    body         TEXT NOT NULL,
    received_at  TEXT NOT NULL,
    PRIMARY KEY (ticket_id, event_id)
) STRICT;

-- Events that contradict what was stored: never applied, kept for a person to look at.
CREATE TABLE conflicts (
    id           INTEGER PRIMARY KEY,
    kiosk        TEXT NOT NULL,
    ticket_id    TEXT NOT NULL,
    event_id     INTEGER NOT NULL,
    body         TEXT NOT NULL,
    received_at  TEXT NOT NULL,
    UNIQUE (kiosk, ticket_id, event_id, body)
) STRICT;
CREATE INDEX conflicts_by_kiosk ON conflicts (kiosk);

-- What counters reported, in order.
CREATE TABLE counter_reports (
    id           INTEGER PRIMARY KEY,
    ticket_id    TEXT NOT NULL REFERENCES tickets (id),
    status       TEXT NOT NULL,
    counter      TEXT NOT NULL,
    credential   TEXT NOT NULL,
    at           TEXT NOT NULL
) STRICT;

-- The latest word from each kiosk.
CREATE TABLE kiosks (
    id                     TEXT PRIMARY KEY,
    last_contact_at        TEXT NOT NULL,
    heartbeat_json         TEXT,
    heartbeat_received_at  TEXT
) STRICT;

-- The last catalog file that passed validation, served when the file is broken.
CREATE TABLE published_catalog (
    slot       INTEGER PRIMARY KEY CHECK (slot = 1),
    version    INTEGER NOT NULL,
    json       TEXT NOT NULL,
    stored_at  TEXT NOT NULL
) STRICT;
"#,
    r#"
-- Events refused for good (another kiosk's ticket, an impossible instant): never applied,
-- kept with the reason the kiosk was told, for a person to look at.
CREATE TABLE refusals (
    id           INTEGER PRIMARY KEY,
    kiosk        TEXT NOT NULL,
    ticket_id    TEXT NOT NULL,
    event_id     INTEGER NOT NULL,
    reason       TEXT NOT NULL,
    received_at  TEXT NOT NULL
) STRICT;
CREATE INDEX refusals_by_kiosk ON refusals (kiosk, id);
"#,
    r#"
-- Tickets are keyed by kiosk and id: an id another kiosk pushes is another ticket, never this
-- one. Events and counter reports follow. Conflicts and refusals already carry the kiosk.
-- Tickets also keep their sequence, to find a number printed twice. Old tables are renamed
-- first (foreign keys follow the rename), copied, then dropped children first.
ALTER TABLE tickets RENAME TO tickets_v2;
ALTER TABLE events RENAME TO events_v2;
ALTER TABLE counter_reports RENAME TO counter_reports_v2;

CREATE TABLE tickets (
    kiosk           TEXT NOT NULL,
    id              TEXT NOT NULL,
    number          TEXT NOT NULL,
    queue           TEXT NOT NULL,
    lane            TEXT NOT NULL CHECK (lane IN ('regular', 'priority')),
    sequence        INTEGER NOT NULL,
    business_day    TEXT NOT NULL,
    issued_at       TEXT NOT NULL,
    status          TEXT NOT NULL,
    status_event    INTEGER NOT NULL,
    ticket_json     TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    counter_status  TEXT CHECK (counter_status IN ('called', 'served', 'no_show')),
    counter_name    TEXT,
    counter_at      TEXT,
    PRIMARY KEY (kiosk, id)
) STRICT;
INSERT INTO tickets (kiosk, id, number, queue, lane, sequence, business_day, issued_at,
                     status, status_event, ticket_json, updated_at, counter_status,
                     counter_name, counter_at)
    SELECT kiosk, id, number, queue, lane, json_extract(ticket_json, '$.sequence'),
           business_day, issued_at, status, status_event, ticket_json, updated_at,
           counter_status, counter_name, counter_at
    FROM tickets_v2;

CREATE TABLE events (
    kiosk        TEXT NOT NULL,
    ticket_id    TEXT NOT NULL,
    event_id     INTEGER NOT NULL,
    status       TEXT NOT NULL,
    at           TEXT NOT NULL,
    body         TEXT NOT NULL,
    received_at  TEXT NOT NULL,
    PRIMARY KEY (kiosk, ticket_id, event_id),
    FOREIGN KEY (kiosk, ticket_id) REFERENCES tickets (kiosk, id)
) STRICT;
INSERT INTO events (kiosk, ticket_id, event_id, status, at, body, received_at)
    SELECT kiosk, ticket_id, event_id, status, at, body, received_at FROM events_v2;

CREATE TABLE counter_reports (
    id           INTEGER PRIMARY KEY,
    kiosk        TEXT NOT NULL,
    ticket_id    TEXT NOT NULL,
    status       TEXT NOT NULL,
    counter      TEXT NOT NULL,
    credential   TEXT NOT NULL,
    at           TEXT NOT NULL,
    FOREIGN KEY (kiosk, ticket_id) REFERENCES tickets (kiosk, id)
) STRICT;
INSERT INTO counter_reports (id, kiosk, ticket_id, status, counter, credential, at)
    SELECT report.id, ticket.kiosk, report.ticket_id, report.status, report.counter,
           report.credential, report.at
    FROM counter_reports_v2 AS report JOIN tickets_v2 AS ticket ON ticket.id = report.ticket_id;

DROP TABLE counter_reports_v2;
DROP TABLE events_v2;
DROP TABLE tickets_v2;
CREATE INDEX tickets_by_day_queue ON tickets (business_day, queue, issued_at);
CREATE INDEX tickets_by_kiosk_day ON tickets (kiosk, business_day);
CREATE INDEX tickets_by_number ON tickets (business_day, queue, lane, sequence);
CREATE INDEX tickets_by_id ON tickets (id);
"#,
    r#"
-- Numbers that should not exist on paper but do: a second ticket with the day, queue, lane and
-- sequence of another ('duplicate', naming the ticket that had it first), or a ticket outside
-- its kiosk's configured range ('out_of_range', with the range). The ticket is stored anyway.
CREATE TABLE flagged_numbers (
    id               INTEGER PRIMARY KEY,
    problem          TEXT NOT NULL CHECK (problem IN ('duplicate', 'out_of_range')),
    kiosk            TEXT NOT NULL,
    ticket_id        TEXT NOT NULL,
    number           TEXT NOT NULL,
    business_day     TEXT NOT NULL,
    first_kiosk      TEXT,
    first_ticket_id  TEXT,
    range_first      INTEGER,
    range_last       INTEGER,
    found_at         TEXT NOT NULL,
    UNIQUE (problem, kiosk, ticket_id),
    FOREIGN KEY (kiosk, ticket_id) REFERENCES tickets (kiosk, id)
) STRICT;
CREATE INDEX flagged_numbers_by_day ON flagged_numbers (business_day, id);
"#,
    r#"
-- Every ticket page counts the people ahead: an index that holds all the count needs, so a
-- long queue is counted in the index alone, never row by row.
CREATE INDEX tickets_waiting ON tickets
    (business_day, queue, lane, issued_at, kiosk, id, status, counter_status);
"#,
    r#"
-- One server for several MPPs: every row says whose it is. Rows written before are the one
-- implicit MPP's ('default', what a configuration without [[mpp]] serves). Queues, counts and
-- numbers are per MPP, so the indexes that serve them lead with it. The published catalog is
-- kept per MPP.
ALTER TABLE tickets ADD COLUMN mpp TEXT NOT NULL DEFAULT 'default';
ALTER TABLE events ADD COLUMN mpp TEXT NOT NULL DEFAULT 'default';
ALTER TABLE conflicts ADD COLUMN mpp TEXT NOT NULL DEFAULT 'default';
ALTER TABLE refusals ADD COLUMN mpp TEXT NOT NULL DEFAULT 'default';
ALTER TABLE counter_reports ADD COLUMN mpp TEXT NOT NULL DEFAULT 'default';
ALTER TABLE flagged_numbers ADD COLUMN mpp TEXT NOT NULL DEFAULT 'default';
ALTER TABLE kiosks ADD COLUMN mpp TEXT NOT NULL DEFAULT 'default';

CREATE TABLE published_catalogs (
    mpp        TEXT PRIMARY KEY,
    version    INTEGER NOT NULL,
    json       TEXT NOT NULL,
    stored_at  TEXT NOT NULL
) STRICT;
INSERT INTO published_catalogs (mpp, version, json, stored_at)
    SELECT 'default', version, json, stored_at FROM published_catalog;
DROP TABLE published_catalog;

DROP INDEX tickets_waiting;
CREATE INDEX tickets_waiting ON tickets
    (mpp, business_day, queue, lane, issued_at, kiosk, id, status, counter_status);
DROP INDEX tickets_by_number;
CREATE INDEX tickets_by_number ON tickets (mpp, business_day, queue, lane, sequence);
DROP INDEX tickets_by_day_queue;
CREATE INDEX tickets_by_day_queue ON tickets (mpp, business_day, queue, issued_at);
CREATE INDEX tickets_by_mpp_id ON tickets (mpp, id);
CREATE INDEX flagged_numbers_by_mpp ON flagged_numbers (mpp, id);
"#,
    AUDIT_LOG,
    crate::storage::survey_rows::MIGRATION,
    crate::storage::closures::MIGRATION,
    crate::storage::staff::MIGRATION,
    crate::storage::call_log::MIGRATION,
    crate::storage::points::MIGRATION,
    crate::storage::transfers::MIGRATION,
    crate::storage::waits::MIGRATION,
    crate::storage::rollups::MIGRATION,
];

/// The kiosks' audit logs (PostgreSQL's are in `postgres/schema.rs`).
const AUDIT_LOG: &str = r#"
-- The kiosks' audit logs, as they sent them: (kiosk, id) once.
CREATE TABLE audit_log (
    mpp          TEXT NOT NULL,
    kiosk        TEXT NOT NULL,
    id           INTEGER NOT NULL,
    at           TEXT NOT NULL,
    action       TEXT NOT NULL,
    detail       TEXT NOT NULL,
    outcome      TEXT NOT NULL,
    received_at  TEXT NOT NULL,
    PRIMARY KEY (kiosk, id)
) STRICT;
"#;
