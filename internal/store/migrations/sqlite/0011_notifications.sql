-- In-app notifications for staff, one row per recipient account, and the
-- address at which an account also gets them by mail.
CREATE TABLE notifications (
    id         INTEGER PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users(id),
    notice_key TEXT,
    text       TEXT NOT NULL,
    link       TEXT NOT NULL DEFAULT '',
    created    BIGINT NOT NULL,
    read_at    BIGINT,
    UNIQUE (user_id, notice_key)
);
CREATE INDEX notifications_user ON notifications(user_id, id);
CREATE INDEX notifications_unread ON notifications(user_id, id) WHERE read_at IS NULL;

ALTER TABLE users ADD COLUMN email TEXT NOT NULL DEFAULT '';
