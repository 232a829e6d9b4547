-- The outbox without AUTOINCREMENT: every submission inserts a row here,
-- and AUTOINCREMENT costs a write to sqlite_sequence each time. Outbox ids
-- only need to be unique while a row waits (the sequencer shuffles each
-- batch anyway), so a plain rowid key does.
CREATE TABLE log_pending_new (
    id   INTEGER PRIMARY KEY,
    leaf BLOB NOT NULL,
    ref  TEXT NOT NULL,
    due  BIGINT NOT NULL DEFAULT 0
);
INSERT INTO log_pending_new (id, leaf, ref, due) SELECT id, leaf, ref, due FROM log_pending;
DROP TABLE log_pending;
ALTER TABLE log_pending_new RENAME TO log_pending;
