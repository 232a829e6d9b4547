-- The foundation: settings, units, items, messages, users, sessions,
-- idempotency, the transparency-log outbox. Times are unix milliseconds
-- (BIGINT) and days are 'YYYY-MM-DD' text on both engines.

CREATE TABLE settings (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE units (
    code       TEXT PRIMARY KEY,
    parent     TEXT REFERENCES units(code),
    kind       TEXT NOT NULL CHECK (kind IN ('province', 'district', 'commune', 'area')),
    name       TEXT NOT NULL,
    full_name  TEXT NOT NULL,
    fold       TEXT NOT NULL,
    path       TEXT COLLATE "C" NOT NULL,
    valid_to   TEXT,
    successor  TEXT,
    has_staff  BOOLEAN NOT NULL DEFAULT FALSE,
    next_child INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX units_parent ON units(parent);
CREATE INDEX units_path ON units(path);

CREATE TABLE unit_formers (
    unit      TEXT NOT NULL REFERENCES units(code),
    old_code  TEXT NOT NULL DEFAULT '',
    full_name TEXT NOT NULL,
    parent    TEXT NOT NULL DEFAULT '',
    until     TEXT NOT NULL DEFAULT '',
    fold      TEXT NOT NULL,
    PRIMARY KEY (unit, old_code, full_name)
);
CREATE INDEX unit_formers_fold ON unit_formers(fold);

-- Items have random ids, so neither the id nor the physical
-- order of ids tells when an anonymous item arrived within its day.
CREATE TABLE items (
    id                TEXT COLLATE "C" PRIMARY KEY,
    area              TEXT NOT NULL REFERENCES units(code),
    unit              TEXT NOT NULL REFERENCES units(code),
    scope             TEXT COLLATE "C" NOT NULL,
    channel           TEXT NOT NULL,
    status            TEXT NOT NULL,
    content           TEXT NOT NULL,
    subject_name      TEXT NOT NULL DEFAULT '',
    subject_position  TEXT NOT NULL DEFAULT '',
    subject_workplace TEXT NOT NULL DEFAULT '',
    search            TEXT NOT NULL,
    received_on       TEXT COLLATE "C" NOT NULL,
    received_at       BIGINT,
    anonymous         BOOLEAN NOT NULL,
    identity          BYTEA,
    receipt_hash      BYTEA UNIQUE,
    commit_salt       BYTEA NOT NULL,
    text_hash         BYTEA NOT NULL
);
CREATE INDEX items_scope ON items(scope, received_on, id);
CREATE INDEX items_order ON items(received_on, id);

CREATE TABLE attachments (
    item   TEXT NOT NULL REFERENCES items(id),
    pos    INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    name   TEXT NOT NULL,
    type   TEXT NOT NULL,
    size   BIGINT NOT NULL,
    PRIMARY KEY (item, pos)
);

CREATE TABLE messages (
    id        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    item      TEXT NOT NULL REFERENCES items(id),
    sender    TEXT NOT NULL CHECK (sender IN ('citizen', 'front')),
    author    BIGINT,
    body      TEXT NOT NULL,
    at        BIGINT NOT NULL,
    date_only BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX messages_item ON messages(item, id);

CREATE TABLE idempotency (
    key_hash  BYTEA PRIMARY KEY,
    body_hash BYTEA NOT NULL,
    response  BYTEA NOT NULL,
    created   BIGINT NOT NULL
);
CREATE INDEX idempotency_created ON idempotency(created);

CREATE TABLE users (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE,
    role          TEXT NOT NULL,
    unit          TEXT NOT NULL REFERENCES units(code),
    password_hash TEXT NOT NULL,
    disabled      BOOLEAN NOT NULL DEFAULT FALSE,
    created       BIGINT NOT NULL,
    failed        INTEGER NOT NULL DEFAULT 0,
    locked_until  BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE sessions (
    token_hash BYTEA PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users(id),
    created    BIGINT NOT NULL,
    expires    BIGINT NOT NULL,
    last_seen  BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

-- The durable outbox of the transparency log: a row is written in the same
-- transaction as the event it commits to, and the sequencer moves rows into
-- the tree in shuffled batches.
CREATE TABLE log_pending (
    id   BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    leaf BYTEA NOT NULL,
    ref  TEXT NOT NULL
);
