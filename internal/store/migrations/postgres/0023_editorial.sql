-- Messages to the editorial board of the public portal ("Gửi ban biên tập"):
-- no address of the sender's device is stored, only what they typed, the
-- optional sanitised attachment (in the blob store) and the editors' work.

CREATE TABLE editorial_messages (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    received   BIGINT NOT NULL,
    name       TEXT NOT NULL,
    contact    TEXT NOT NULL,
    subject    TEXT NOT NULL,
    body       TEXT NOT NULL,
    att_sha256 TEXT COLLATE "C",
    att_name   TEXT,
    att_type   TEXT,
    att_size   BIGINT,
    status     TEXT NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'replied', 'done')),
    reply      TEXT NOT NULL DEFAULT '',
    replied_at BIGINT,
    replied_by TEXT NOT NULL DEFAULT '',
    done_at    BIGINT,
    done_by    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX editorial_messages_status ON editorial_messages(status, id);
