-- Processing (issue 9): triage on items, agencies and their handlers,
-- referrals with deadlines and extensions, possible conflicts of interest,
-- the item's history, the submitter's rating, the consent a named
-- submitter gave, and the inbox's indexes at scale: a sort key and a
-- full-text index over the folded search key.

-- Agencies (cấp ủy, UBKT, cơ quan quản lý) at a unit, with their heads.
CREATE TABLE agencies (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    unit          TEXT NOT NULL REFERENCES units(code),
    kind          TEXT NOT NULL CHECK (kind IN ('party_committee', 'inspection', 'managing')),
    name          TEXT NOT NULL,
    head_name     TEXT NOT NULL DEFAULT '',
    head_position TEXT NOT NULL DEFAULT '',
    disabled      BOOLEAN NOT NULL DEFAULT FALSE,
    created       BIGINT NOT NULL,
    UNIQUE (unit, name)
);
CREATE INDEX agencies_unit ON agencies(unit, kind);

-- A handler account belongs to one agency; every account has a full name
-- and position, which the conflict-of-interest check compares.
ALTER TABLE users ADD COLUMN agency BIGINT REFERENCES agencies(id);
ALTER TABLE users ADD COLUMN full_name TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN position TEXT NOT NULL DEFAULT '';
CREATE INDEX users_agency ON users(agency);
CREATE INDEX users_unit ON users(unit);

-- Triage and processing state on items. sort_key orders the inbox: the
-- day of receipt (days since 2000-01-01) in the high bits and 47 random
-- bits below, so that the order within a day says nothing of arrival; it
-- is also the full-text index's rowid. due_on is the deadline of the
-- current step (NULL once the case is closed); agency is the agency of
-- the current referral; case_of links a duplicate to its case.
ALTER TABLE items ADD COLUMN sort_key BIGINT;
ALTER TABLE items ADD COLUMN kind TEXT NOT NULL DEFAULT '';
ALTER TABLE items ADD COLUMN priority TEXT NOT NULL DEFAULT 'normal';
ALTER TABLE items ADD COLUMN notes TEXT NOT NULL DEFAULT '';
ALTER TABLE items ADD COLUMN subject_party TEXT NOT NULL DEFAULT '';
ALTER TABLE items ADD COLUMN subject_managed TEXT NOT NULL DEFAULT '';
ALTER TABLE items ADD COLUMN subject_unit TEXT NOT NULL DEFAULT '';
ALTER TABLE items ADD COLUMN subject_fold TEXT NOT NULL DEFAULT '';
ALTER TABLE items ADD COLUMN denunciation_law BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE items ADD COLUMN inspection BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE items ADD COLUMN assignee BIGINT REFERENCES users(id);
ALTER TABLE items ADD COLUMN case_of TEXT COLLATE "C" REFERENCES items(id);
ALTER TABLE items ADD COLUMN agency BIGINT REFERENCES agencies(id);
ALTER TABLE items ADD COLUMN due_on TEXT COLLATE "C";
ALTER TABLE items ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
ALTER TABLE items ADD COLUMN consent_notice TEXT NOT NULL DEFAULT '';
ALTER TABLE items ADD COLUMN consent_at BIGINT;
ALTER TABLE items ADD COLUMN rating TEXT NOT NULL DEFAULT '';
ALTER TABLE items ADD COLUMN rating_comment TEXT NOT NULL DEFAULT '';
ALTER TABLE items ADD COLUMN rated_on TEXT;
UPDATE items SET sort_key = ((received_on::date - DATE '2000-01-01')::bigint << 47) | floor(random() * 140737488355328)::bigint,
    due_on = CASE WHEN status IN ('received', 'considering', 'referred', 'answered') THEN to_char(received_on::date + 15, 'YYYY-MM-DD') END;
CREATE UNIQUE INDEX items_sort ON items(sort_key);
CREATE INDEX items_scope_sort ON items(scope, sort_key);
CREATE INDEX items_status_sort ON items(status, sort_key);
CREATE INDEX items_area_sort ON items(area, sort_key);
CREATE INDEX items_kind_sort ON items(kind, sort_key);
CREATE INDEX items_agency_sort ON items(agency, sort_key);
CREATE INDEX items_assignee ON items(assignee, status);
CREATE INDEX items_due ON items(due_on);
CREATE INDEX items_case ON items(case_of);
CREATE INDEX items_subject ON items(subject_fold);
DROP INDEX items_scope;
DROP INDEX items_order;

-- The catalogue standards an item was classified under, each at the
-- version in force when it was chosen (0020's standards), with the item's
-- sort key so that one category's items come newest first from the index.
CREATE TABLE item_categories (
    item     TEXT COLLATE "C" NOT NULL REFERENCES items(id),
    code     TEXT COLLATE "C" NOT NULL,
    version  INTEGER NOT NULL,
    sort_key BIGINT NOT NULL,
    PRIMARY KEY (item, code),
    FOREIGN KEY (code, version) REFERENCES standards(code, version)
);
CREATE INDEX item_categories_code ON item_categories(code, sort_key);

-- The full-text index of the folded search key (vntext.Fold of the
-- content and the person concerned): a GIN index of its words as a
-- tsvector of the 'simple' configuration (the key is folded already), in
-- core PostgreSQL, no extension needed.
CREATE INDEX items_search_words ON items USING GIN (to_tsvector('simple', search));

-- Referrals to agencies, numbered per unit and year.
CREATE TABLE referrals (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    item            TEXT NOT NULL REFERENCES items(id),
    agency          BIGINT NOT NULL REFERENCES agencies(id),
    number          TEXT NOT NULL,
    sent_on         TEXT NOT NULL,
    due_on          TEXT NOT NULL,
    days            INTEGER NOT NULL,
    working         BOOLEAN NOT NULL DEFAULT FALSE,
    state           TEXT NOT NULL CHECK (state IN ('sent', 'acknowledged', 'answered', 'recalled')),
    letter          TEXT NOT NULL DEFAULT '',
    files           BOOLEAN NOT NULL DEFAULT FALSE,
    created_by      BIGINT REFERENCES users(id),
    created_at      BIGINT NOT NULL,
    acknowledged_at BIGINT,
    acknowledged_by BIGINT REFERENCES users(id),
    outcome         TEXT NOT NULL DEFAULT '',
    measures        TEXT NOT NULL DEFAULT '',
    answer          TEXT NOT NULL DEFAULT '',
    answer_sha256   TEXT NOT NULL DEFAULT '',
    answer_name     TEXT NOT NULL DEFAULT '',
    answer_type     TEXT NOT NULL DEFAULT '',
    answer_size     BIGINT NOT NULL DEFAULT 0,
    answered_at     BIGINT,
    answered_by     BIGINT REFERENCES users(id),
    published       BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX referrals_item ON referrals(item, id);
CREATE INDEX referrals_agency ON referrals(agency, state, due_on);
CREATE INDEX referrals_due ON referrals(state, due_on);

CREATE TABLE referral_numbers (
    unit TEXT NOT NULL REFERENCES units(code),
    year INTEGER NOT NULL,
    next INTEGER NOT NULL,
    PRIMARY KEY (unit, year)
);

-- An agency's requests for more time, decided by the Front.
CREATE TABLE extensions (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    referral     BIGINT NOT NULL REFERENCES referrals(id),
    days         INTEGER NOT NULL,
    reason       TEXT NOT NULL,
    state        TEXT NOT NULL CHECK (state IN ('requested', 'approved', 'refused')),
    requested_at BIGINT NOT NULL,
    requested_by BIGINT REFERENCES users(id),
    decided_at   BIGINT,
    decided_by   BIGINT REFERENCES users(id),
    note         TEXT NOT NULL DEFAULT ''
);
CREATE INDEX extensions_referral ON extensions(referral, id);

-- Possible conflicts of interest: the item's subject against a person it
-- could reach (an account, or an agency's head). While possible or
-- confirmed, the item is hidden from that account and the agency cannot
-- receive it.
CREATE TABLE conflicts (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    item       TEXT NOT NULL REFERENCES items(id),
    user_id    BIGINT REFERENCES users(id),
    agency     BIGINT REFERENCES agencies(id),
    head       BOOLEAN NOT NULL DEFAULT FALSE,
    name       TEXT NOT NULL,
    position   TEXT NOT NULL DEFAULT '',
    level      INTEGER NOT NULL,
    why        TEXT NOT NULL,
    state      TEXT NOT NULL CHECK (state IN ('possible', 'confirmed', 'dismissed')),
    created    BIGINT NOT NULL,
    decided_at BIGINT,
    decided_by BIGINT REFERENCES users(id),
    note       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX conflicts_item ON conflicts(item, user_id);
CREATE INDEX conflicts_user ON conflicts(user_id, item);

-- The item's history: every change, who, when, from what to what. Append
-- only, like the audit log. public marks the steps the submitter reads on
-- the receipt page, with public_note the text they read.
CREATE TABLE item_history (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    item        TEXT NOT NULL REFERENCES items(id),
    at          BIGINT NOT NULL,
    date_only   BOOLEAN NOT NULL DEFAULT FALSE,
    actor       BIGINT REFERENCES users(id),
    actor_name  TEXT NOT NULL,
    actor_role  TEXT NOT NULL,
    event       TEXT NOT NULL,
    from_status TEXT NOT NULL,
    to_status   TEXT NOT NULL,
    changes     TEXT NOT NULL DEFAULT '[]',
    note        TEXT NOT NULL DEFAULT '',
    public      BOOLEAN NOT NULL DEFAULT FALSE,
    public_note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX item_history_item ON item_history(item, id);
CREATE FUNCTION item_history_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'item history is append-only'; END $$;
CREATE TRIGGER item_history_no_change BEFORE UPDATE OR DELETE ON item_history FOR EACH ROW EXECUTE FUNCTION item_history_append_only();
CREATE TRIGGER item_history_no_truncate BEFORE TRUNCATE ON item_history FOR EACH STATEMENT EXECUTE FUNCTION item_history_append_only();
