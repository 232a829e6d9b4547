-- Security: the audit log (append-only in fact: a hash chain, and triggers
-- that refuse UPDATE, DELETE and TRUNCATE), TOTP second factors, rate-limit
-- counters shared by every instance.

CREATE TABLE audit (
    id        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at        BIGINT NOT NULL,
    actor     BIGINT,
    actor_name TEXT NOT NULL,
    unit      TEXT NOT NULL,
    scope     TEXT COLLATE "C" NOT NULL,
    action    TEXT NOT NULL,
    item      TEXT NOT NULL DEFAULT '',
    reason    TEXT NOT NULL DEFAULT '',
    prev      BYTEA NOT NULL,
    hash      BYTEA NOT NULL
);
CREATE INDEX audit_scope ON audit(scope, id);
CREATE INDEX audit_item ON audit(item, id);
CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit log is append-only'; END $$;
CREATE TRIGGER audit_no_change BEFORE UPDATE OR DELETE ON audit FOR EACH ROW EXECUTE FUNCTION audit_append_only();
CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();

ALTER TABLE users ADD COLUMN totp_secret BYTEA;
ALTER TABLE users ADD COLUMN totp_last BIGINT NOT NULL DEFAULT 0;

CREATE TABLE rate_limits (
    key    BYTEA PRIMARY KEY,
    win    BIGINT NOT NULL,
    count  INTEGER NOT NULL
);
