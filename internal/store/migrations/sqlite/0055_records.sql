-- The Front's records of its work (issue 10): coordination programmes, the
-- activities it holds, pilot units. Each belongs to a unit and is read in
-- that unit's scope; files are in the blob store, sanitised.

CREATE TABLE programmes (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    unit        TEXT NOT NULL REFERENCES units(code),
    number      TEXT NOT NULL,
    signed_on   TEXT NOT NULL,
    title       TEXT NOT NULL,
    parties     TEXT NOT NULL,
    scope       TEXT NOT NULL DEFAULT '',
    period_from TEXT NOT NULL,
    period_to   TEXT NOT NULL DEFAULT '',
    file_sha256 TEXT,
    file_name   TEXT,
    file_type   TEXT,
    file_size   BIGINT,
    author      TEXT NOT NULL,
    created     BIGINT NOT NULL
);
CREATE INDEX programmes_unit ON programmes(unit, signed_on);

CREATE TABLE activities (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    unit         TEXT NOT NULL REFERENCES units(code),
    kind         TEXT NOT NULL CHECK (kind IN ('dialogue', 'training', 'briefing', 'supervision')),
    held_on      TEXT NOT NULL,
    topic        TEXT NOT NULL,
    participants INTEGER NOT NULL DEFAULT 0,
    by_org       TEXT NOT NULL DEFAULT '',
    outcome      TEXT NOT NULL DEFAULT '',
    author       TEXT NOT NULL,
    created      BIGINT NOT NULL
);
CREATE INDEX activities_unit ON activities(unit, held_on);
CREATE INDEX activities_held ON activities(held_on);

CREATE TABLE activity_files (
    activity BIGINT NOT NULL REFERENCES activities(id),
    seq      INTEGER NOT NULL,
    sha256   TEXT NOT NULL,
    name     TEXT NOT NULL,
    type     TEXT NOT NULL,
    size     BIGINT NOT NULL,
    PRIMARY KEY (activity, seq)
);
CREATE INDEX activity_files_sha ON activity_files(sha256);

CREATE TABLE pilots (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    unit        TEXT NOT NULL REFERENCES units(code),
    period_from TEXT NOT NULL,
    period_to   TEXT NOT NULL DEFAULT '',
    note        TEXT NOT NULL DEFAULT '',
    author      TEXT NOT NULL,
    created     BIGINT NOT NULL
);
CREATE INDEX pilots_unit ON pilots(unit, period_from);
