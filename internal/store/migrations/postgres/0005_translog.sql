-- The transparency log (internal/translog): its leaves, the stored hashes of
-- its Merkle tree numbered as golang.org/x/mod/sumdb/tlog numbers them, the
-- checkpoints it signed and the cosignatures witnesses gave them. Leaves and
-- hashes are append-only: triggers refuse UPDATE, DELETE and TRUNCATE. Rows
-- reach log_leaves only from log_pending (0001), moved by the sequencer under
-- an advisory lock.

CREATE TABLE log_leaves (
    idx  BIGINT PRIMARY KEY,
    leaf BYTEA NOT NULL,
    ref  TEXT NOT NULL
);
CREATE UNIQUE INDEX log_leaves_ref ON log_leaves(ref) WHERE ref <> '';

CREATE TABLE log_hashes (
    idx  BIGINT PRIMARY KEY,
    hash BYTEA NOT NULL
);

CREATE TABLE log_checkpoints (
    size    BIGINT PRIMARY KEY,
    signed  BYTEA NOT NULL,
    created BIGINT NOT NULL
);

CREATE FUNCTION log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'transparency log is append-only'; END $$;
CREATE TRIGGER log_leaves_no_change BEFORE UPDATE OR DELETE ON log_leaves FOR EACH ROW EXECUTE FUNCTION log_append_only();
CREATE TRIGGER log_leaves_no_truncate BEFORE TRUNCATE ON log_leaves FOR EACH STATEMENT EXECUTE FUNCTION log_append_only();
CREATE TRIGGER log_hashes_no_change BEFORE UPDATE OR DELETE ON log_hashes FOR EACH ROW EXECUTE FUNCTION log_append_only();
CREATE TRIGGER log_hashes_no_truncate BEFORE TRUNCATE ON log_hashes FOR EACH STATEMENT EXECUTE FUNCTION log_append_only();
CREATE TRIGGER log_checkpoints_no_change BEFORE UPDATE OR DELETE ON log_checkpoints FOR EACH ROW EXECUTE FUNCTION log_append_only();
CREATE TRIGGER log_checkpoints_no_truncate BEFORE TRUNCATE ON log_checkpoints FOR EACH STATEMENT EXECUTE FUNCTION log_append_only();

CREATE TABLE log_cosignatures (
    size    BIGINT NOT NULL REFERENCES log_checkpoints(size),
    key     TEXT NOT NULL,
    line    BYTEA NOT NULL,
    created BIGINT NOT NULL,
    PRIMARY KEY (size, key)
);
