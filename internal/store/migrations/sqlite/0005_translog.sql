-- The transparency log (internal/translog): its leaves, the stored hashes of
-- its Merkle tree numbered as golang.org/x/mod/sumdb/tlog numbers them, the
-- checkpoints it signed and the cosignatures witnesses gave them. Leaves and
-- hashes are append-only: triggers refuse UPDATE and DELETE. Rows reach
-- log_leaves only from log_pending (0001), moved by the sequencer.

CREATE TABLE log_leaves (
    idx  INTEGER PRIMARY KEY,
    leaf BLOB NOT NULL,
    ref  TEXT NOT NULL
);
CREATE UNIQUE INDEX log_leaves_ref ON log_leaves(ref) WHERE ref <> '';
CREATE TRIGGER log_leaves_no_update BEFORE UPDATE ON log_leaves BEGIN SELECT RAISE(ABORT, 'transparency log is append-only'); END;
CREATE TRIGGER log_leaves_no_delete BEFORE DELETE ON log_leaves BEGIN SELECT RAISE(ABORT, 'transparency log is append-only'); END;

CREATE TABLE log_hashes (
    idx  INTEGER PRIMARY KEY,
    hash BLOB NOT NULL
);
CREATE TRIGGER log_hashes_no_update BEFORE UPDATE ON log_hashes BEGIN SELECT RAISE(ABORT, 'transparency log is append-only'); END;
CREATE TRIGGER log_hashes_no_delete BEFORE DELETE ON log_hashes BEGIN SELECT RAISE(ABORT, 'transparency log is append-only'); END;

CREATE TABLE log_checkpoints (
    size    BIGINT PRIMARY KEY,
    signed  BLOB NOT NULL,
    created BIGINT NOT NULL
);
CREATE TRIGGER log_checkpoints_no_update BEFORE UPDATE ON log_checkpoints BEGIN SELECT RAISE(ABORT, 'signed checkpoints never change'); END;
CREATE TRIGGER log_checkpoints_no_delete BEFORE DELETE ON log_checkpoints BEGIN SELECT RAISE(ABORT, 'signed checkpoints never change'); END;

CREATE TABLE log_cosignatures (
    size    BIGINT NOT NULL REFERENCES log_checkpoints(size),
    key     TEXT NOT NULL,
    line    BLOB NOT NULL,
    created BIGINT NOT NULL,
    PRIMARY KEY (size, key)
);
