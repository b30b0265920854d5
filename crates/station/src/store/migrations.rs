//! The kiosk's schema, one migration a version (applied by `mpp_common::sqlite::migrate`).

/// Each entry moves the schema one version up. Never edit a shipped entry: add a new one.
pub const MIGRATIONS: &[&str] = &[
    r#"
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE tickets (
    id            TEXT PRIMARY KEY,
    number        TEXT NOT NULL,
    queue         TEXT NOT NULL,
    lane          TEXT NOT NULL CHECK (lane IN ('regular', 'priority')),
    sequence      INTEGER NOT NULL CHECK (sequence > 0),
    agency        TEXT NOT NULL,
    service       TEXT NOT NULL,
    kiosk         TEXT NOT NULL,
    business_day  TEXT NOT NULL,
    issued_at     TEXT NOT NULL,
    people_ahead  INTEGER,
    status        TEXT NOT NULL,
    print_count   INTEGER NOT NULL DEFAULT 0,
    qr_payload    TEXT NOT NULL,
    UNIQUE (business_day, queue, lane, sequence)
) STRICT;
CREATE INDEX tickets_by_day_service ON tickets (business_day, service);

-- Every status a ticket passed through, with why.
CREATE TABLE ticket_events (
    id         INTEGER PRIMARY KEY,
    ticket_id  TEXT NOT NULL REFERENCES tickets (id),
    status     TEXT NOT NULL,
    reason     TEXT,
    at         TEXT NOT NULL
) STRICT;
CREATE INDEX ticket_events_by_ticket ON ticket_events (ticket_id);

-- Events still to reach the central server, in order.
CREATE TABLE outbox (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id   INTEGER NOT NULL UNIQUE REFERENCES ticket_events (id),
    created_at TEXT NOT NULL,
    sent_at    TEXT
) STRICT;
CREATE INDEX outbox_unsent ON outbox (seq) WHERE sent_at IS NULL;

-- How many people wait in each queue, as last heard from the central server.
CREATE TABLE queue_status (
    business_day      TEXT NOT NULL,
    queue             TEXT NOT NULL,
    waiting_regular   INTEGER NOT NULL,
    waiting_priority  INTEGER NOT NULL,
    updated_at        TEXT NOT NULL,
    PRIMARY KEY (business_day, queue)
) STRICT;

-- The last catalog that passed validation, from the central server.
CREATE TABLE catalog_cache (
    slot       INTEGER PRIMARY KEY CHECK (slot = 1),
    version    INTEGER NOT NULL,
    json       TEXT NOT NULL,
    stored_at  TEXT NOT NULL
) STRICT;
"#,
    r#"
-- Events the server refused as conflicting: kept, never resent, shown to technicians.
ALTER TABLE outbox ADD COLUMN conflict INTEGER NOT NULL DEFAULT 0;
DROP INDEX outbox_unsent;
CREATE INDEX outbox_unsent ON outbox (seq) WHERE sent_at IS NULL AND conflict = 0;
"#,
    r#"
-- Events the server refused for good, with its reason: kept, never resent, shown to
-- technicians, so one bad event never holds back the ones behind it.
ALTER TABLE outbox ADD COLUMN refused_reason TEXT;
ALTER TABLE outbox ADD COLUMN refused_at TEXT;
DROP INDEX outbox_unsent;
CREATE INDEX outbox_unsent ON outbox (seq)
    WHERE sent_at IS NULL AND conflict = 0 AND refused_reason IS NULL;
"#,
    r#"
-- The least number each queue and lane starts after on a day, learnt when the database is new
-- (from the numbers record beside it, the server or a technician): a replaced database never
-- hands a number of that day out twice. Queue and lane '*' stand for every queue.
CREATE TABLE number_floors (
    business_day  TEXT NOT NULL,
    queue         TEXT NOT NULL,
    lane          TEXT NOT NULL,
    sequence      INTEGER NOT NULL CHECK (sequence >= 0),
    source        TEXT NOT NULL,
    PRIMARY KEY (business_day, queue, lane)
) STRICT;

-- What was done to the kiosk's numbering and business day, by whom or what, and how it ended.
CREATE TABLE audit (
    id       INTEGER PRIMARY KEY,
    at       TEXT NOT NULL,
    action   TEXT NOT NULL,
    detail   TEXT NOT NULL,
    outcome  TEXT NOT NULL
) STRICT;

-- A database that already holds tickets is the truth about its numbers, and they are real.
INSERT INTO meta (key, value) SELECT 'numbering', 'database' WHERE EXISTS (SELECT 1 FROM tickets);
INSERT INTO meta (key, value) SELECT 'clock', 'real' WHERE EXISTS (SELECT 1 FROM tickets);
"#,
    r#"
-- Migration 5: the technician's PIN as an Argon2id PHC string (never the PIN), and the pad's
-- lock, so that wrong PINs counted before a restart or a power cut still count after it; and
-- which audit entries the central server has.
CREATE TABLE maintenance_pin (
    slot          INTEGER PRIMARY KEY CHECK (slot = 1),
    hash          TEXT,
    set_at        TEXT,
    failures      INTEGER NOT NULL DEFAULT 0 CHECK (failures >= 0),
    lockouts      INTEGER NOT NULL DEFAULT 0 CHECK (lockouts >= 0),
    locked_until  TEXT
) STRICT;

-- Audit entries reach the central server like ticket events: sent once confirmed.
ALTER TABLE audit ADD COLUMN sent_at TEXT;
CREATE INDEX audit_unsent ON audit (id) WHERE sent_at IS NULL;
"#,
    r#"
-- Survey responses (SKM): the raw answers by element code, one response per ticket; the
-- respondent's optional facts as category codes; never a name or a NIK.
CREATE TABLE survey_responses (
    id                TEXT PRIMARY KEY,
    ticket_id         TEXT NOT NULL UNIQUE REFERENCES tickets (id),
    requirements      INTEGER NOT NULL CHECK (requirements BETWEEN 1 AND 4),
    procedure         INTEGER NOT NULL CHECK (procedure BETWEEN 1 AND 4),
    completion_time   INTEGER NOT NULL CHECK (completion_time BETWEEN 1 AND 4),
    cost              INTEGER NOT NULL CHECK (cost BETWEEN 1 AND 4),
    product           INTEGER NOT NULL CHECK (product BETWEEN 1 AND 4),
    staff_competence  INTEGER NOT NULL CHECK (staff_competence BETWEEN 1 AND 4),
    staff_behaviour   INTEGER NOT NULL CHECK (staff_behaviour BETWEEN 1 AND 4),
    complaints        INTEGER NOT NULL CHECK (complaints BETWEEN 1 AND 4),
    facilities        INTEGER NOT NULL CHECK (facilities BETWEEN 1 AND 4),
    age               TEXT,
    sex               TEXT,
    education         TEXT,
    occupation        TEXT,
    suggestion        TEXT,
    language          TEXT NOT NULL,
    at                TEXT NOT NULL
) STRICT;

-- Responses still to reach the central server (POST /api/v1/surveys), in order; refused ones
-- are kept with the server's reason and never resent.
CREATE TABLE survey_outbox (
    seq             INTEGER PRIMARY KEY AUTOINCREMENT,
    response_id     TEXT NOT NULL UNIQUE REFERENCES survey_responses (id),
    created_at      TEXT NOT NULL,
    sent_at         TEXT,
    refused_reason  TEXT,
    refused_at      TEXT
) STRICT;
CREATE INDEX survey_outbox_unsent ON survey_outbox (seq)
    WHERE sent_at IS NULL AND refused_reason IS NULL;
"#,
    r#"
-- Services staff closed for the rest of a business day, with the notice visitors read (a code
-- from a fixed list: never free text). Reopening deletes the row; the audit log keeps both.
CREATE TABLE service_closures (
    business_day  TEXT NOT NULL,
    service       TEXT NOT NULL,
    notice        TEXT NOT NULL,
    closed_at     TEXT NOT NULL,
    PRIMARY KEY (business_day, service)
) STRICT;
"#,
    r#"
-- The closes and reopens done at this kiosk, in order, for the MPP's other kiosks: sent to
-- mpp-central by the sync round and marked sent once it holds them. `notice` NULL: reopened.
-- `refused_at`: the server will never take it (set aside; this kiosk's closure stands).
CREATE TABLE closure_outbox (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    business_day  TEXT NOT NULL,
    service       TEXT NOT NULL,
    notice        TEXT,
    at            TEXT NOT NULL,
    sent_at       TEXT,
    refused_at    TEXT
) STRICT;
CREATE INDEX closure_outbox_unsent ON closure_outbox (id) WHERE sent_at IS NULL;
"#,
    r#"
-- How long each queue takes per visitor, as the server measured it (NULL: not known then).
ALTER TABLE queue_status ADD COLUMN seconds_per_visitor INTEGER;
-- The wait expected when the ticket was issued, in minutes (NULL: not known).
ALTER TABLE tickets ADD COLUMN wait_low INTEGER;
ALTER TABLE tickets ADD COLUMN wait_high INTEGER;
"#,
];
