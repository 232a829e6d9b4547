-- Security: the audit log (append-only in fact: a hash chain, and triggers
-- that refuse UPDATE and DELETE), TOTP second factors, rate-limit counters
-- shared by every instance.

CREATE TABLE audit (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    at        BIGINT NOT NULL,
    actor     BIGINT,
    actor_name TEXT NOT NULL,
    unit      TEXT NOT NULL,
    scope     TEXT NOT NULL,
    action    TEXT NOT NULL,
    item      TEXT NOT NULL DEFAULT '',
    reason    TEXT NOT NULL DEFAULT '',
    prev      BLOB NOT NULL,
    hash      BLOB NOT NULL
);
CREATE INDEX audit_scope ON audit(scope, id);
CREATE INDEX audit_item ON audit(item, id);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;

ALTER TABLE users ADD COLUMN totp_secret BLOB;
ALTER TABLE users ADD COLUMN totp_last BIGINT NOT NULL DEFAULT 0;

CREATE TABLE rate_limits (
    key    BLOB PRIMARY KEY,
    win    BIGINT NOT NULL,
    count  INTEGER NOT NULL
);
