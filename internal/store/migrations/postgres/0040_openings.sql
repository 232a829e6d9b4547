-- The paper mailbox (issue 8): mailboxes, their monthly openings with the
-- people present, the letters found (drafts until the opening is sealed,
-- then feedback items with channel 'paper'), and corrections of sealed
-- minutes. Sealed means sealed in the database too: the triggers below
-- refuse to change or delete a sealed opening, its participants, its
-- letters, or any correction. The `sealed` flag on participant and letter
-- rows is set in the transaction that seals the opening, so that the guard
-- needs no look-up, and so that a restore (which inserts sealed rows) is
-- not refused while a draft row can never be added to sealed minutes.
-- TRUNCATE is refused too.

-- The day a unit came into existence (YYYY-MM-DD; NULL: it always
-- existed, as far as homthu knows): areas created mid-month are not
-- expected to open a box that month.
ALTER TABLE units ADD COLUMN valid_from TEXT;

CREATE TABLE mailboxes (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    unit         TEXT NOT NULL REFERENCES units(code),
    place        TEXT NOT NULL,
    installed_on TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('in_use', 'damaged', 'removed')),
    removed_on   TEXT,
    day          INTEGER NOT NULL CHECK (day BETWEEN 0 AND 31),
    note         TEXT NOT NULL DEFAULT '',
    -- One byte a month since 2000-01 ('-' none, 'l' late, 'o' on time),
    -- derived from the sealed openings (homthu.Marks) for the board.
    marks        TEXT NOT NULL DEFAULT '',
    created      BIGINT NOT NULL,
    updated      BIGINT NOT NULL,
    CHECK ((status = 'removed') = (removed_on IS NOT NULL))
);
CREATE INDEX mailboxes_unit ON mailboxes(unit);

CREATE TABLE openings (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    mailbox      BIGINT NOT NULL REFERENCES mailboxes(id),
    unit         TEXT NOT NULL REFERENCES units(code),
    opened_at    BIGINT NOT NULL,
    seal         TEXT NOT NULL CHECK (seal IN ('intact', 'broken', 'none')),
    seal_note    TEXT NOT NULL DEFAULT '',
    state        TEXT NOT NULL CHECK (state IN ('open', 'sealed')),
    -- Keyed hash of the account and the client's key of the start request,
    -- so that a repeated start returns the opening it made.
    start_key    BYTEA UNIQUE,
    created      BIGINT NOT NULL,
    created_by   BIGINT REFERENCES users(id),
    created_name TEXT NOT NULL,
    sealed_at    BIGINT,
    sealed_by    BIGINT REFERENCES users(id),
    sealed_name  TEXT,
    year         INTEGER,
    number       INTEGER,
    letters      INTEGER,
    on_time      BOOLEAN,
    day          INTEGER,
    record       TEXT,
    commit_salt  BYTEA,
    UNIQUE (unit, year, number),
    CHECK (state = 'open' OR (sealed_at IS NOT NULL AND number IS NOT NULL AND letters IS NOT NULL
        AND record IS NOT NULL AND commit_salt IS NOT NULL))
);
CREATE INDEX openings_mailbox ON openings(mailbox, opened_at);
CREATE INDEX openings_unit ON openings(unit, opened_at);
-- One opening at a time per box: a second start while one is open is refused.
CREATE UNIQUE INDEX openings_one_open ON openings(mailbox) WHERE state = 'open';

CREATE TABLE opening_participants (
    opening BIGINT NOT NULL REFERENCES openings(id),
    pos     INTEGER NOT NULL,
    name    TEXT NOT NULL,
    role    TEXT NOT NULL DEFAULT '',
    org     TEXT NOT NULL DEFAULT '',
    chair   BOOLEAN NOT NULL DEFAULT FALSE,
    sealed  BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (opening, pos)
);

-- A letter's item id is drawn when it is registered (its identity is
-- sealed to it), and the item is created when the opening is sealed; the
-- text, the person concerned and the identity then live only in the item
-- and are cleared here.
CREATE TABLE opening_letters (
    opening           BIGINT NOT NULL REFERENCES openings(id),
    seq               INTEGER NOT NULL,
    item              TEXT NOT NULL UNIQUE,
    client_key        TEXT NOT NULL,
    body_hash         BYTEA NOT NULL,
    content           TEXT NOT NULL,
    full_text         BOOLEAN NOT NULL,
    signed            BOOLEAN NOT NULL,
    addressed         TEXT NOT NULL CHECK (addressed IN ('commune', 'province')),
    subject_name      TEXT NOT NULL DEFAULT '',
    subject_position  TEXT NOT NULL DEFAULT '',
    subject_workplace TEXT NOT NULL DEFAULT '',
    identity          BYTEA,
    pages             INTEGER NOT NULL DEFAULT 0,
    registered        BIGINT NOT NULL,
    registered_by     BIGINT REFERENCES users(id),
    number            INTEGER,
    record            TEXT,
    commit_salt       BYTEA,
    sealed            BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (opening, seq),
    UNIQUE (opening, client_key)
);

-- Photos and scans of a draft letter's pages; at sealing they become the
-- item's attachments and these rows go.
CREATE TABLE opening_pages (
    opening BIGINT NOT NULL,
    seq     INTEGER NOT NULL,
    page    INTEGER NOT NULL,
    sha256  TEXT NOT NULL,
    name    TEXT NOT NULL,
    type    TEXT NOT NULL,
    size    BIGINT NOT NULL,
    PRIMARY KEY (opening, seq, page),
    FOREIGN KEY (opening, seq) REFERENCES opening_letters(opening, seq)
);

CREATE TABLE opening_corrections (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    opening     BIGINT NOT NULL REFERENCES openings(id),
    kind        TEXT NOT NULL CHECK (kind IN ('opened_at', 'participants', 'seal', 'letter', 'other')),
    letter      INTEGER NOT NULL DEFAULT 0,
    opened_at   BIGINT,
    body        TEXT NOT NULL,
    reason      TEXT NOT NULL,
    author      BIGINT REFERENCES users(id),
    author_name TEXT NOT NULL,
    at          BIGINT NOT NULL,
    record      TEXT NOT NULL,
    commit_salt BYTEA NOT NULL
);
CREATE INDEX opening_corrections_opening ON opening_corrections(opening, id);

CREATE FUNCTION openings_sealed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.state = 'sealed' THEN
        RAISE EXCEPTION 'sealed opening %: it never changes; add a correction', OLD.id; -- ;;
    END IF; -- ;;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; -- ;;
    RETURN NEW; -- ;;
END $$;
CREATE TRIGGER openings_sealed BEFORE UPDATE OR DELETE ON openings FOR EACH ROW EXECUTE FUNCTION openings_sealed();

CREATE FUNCTION openings_seal_whole() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.state = 'sealed' AND (
        EXISTS (SELECT 1 FROM opening_letters WHERE opening = NEW.id AND NOT sealed) OR
        EXISTS (SELECT 1 FROM opening_participants WHERE opening = NEW.id AND NOT sealed) OR
        EXISTS (SELECT 1 FROM opening_pages WHERE opening = NEW.id)) THEN
        RAISE EXCEPTION 'opening %: an opening is sealed with all its rows', NEW.id; -- ;;
    END IF; -- ;;
    RETURN NEW; -- ;;
END $$;
CREATE TRIGGER openings_seal_whole AFTER UPDATE OF state ON openings FOR EACH ROW EXECUTE FUNCTION openings_seal_whole();

-- Participants and letters: a sealed row never changes, and no draft row
-- is added to a sealed opening.
CREATE FUNCTION opening_rows_sealed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NOT NEW.sealed AND EXISTS (SELECT 1 FROM openings WHERE id = NEW.opening AND state = 'sealed') THEN
            RAISE EXCEPTION 'sealed opening %: it never changes; add a correction', NEW.opening; -- ;;
        END IF; -- ;;
        RETURN NEW; -- ;;
    END IF; -- ;;
    IF OLD.sealed THEN
        RAISE EXCEPTION 'sealed opening %: it never changes; add a correction', OLD.opening; -- ;;
    END IF; -- ;;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; -- ;;
    RETURN NEW; -- ;;
END $$;
CREATE TRIGGER opening_participants_sealed BEFORE INSERT OR UPDATE OR DELETE ON opening_participants
    FOR EACH ROW EXECUTE FUNCTION opening_rows_sealed();
CREATE TRIGGER opening_letters_sealed BEFORE INSERT OR UPDATE OR DELETE ON opening_letters
    FOR EACH ROW EXECUTE FUNCTION opening_rows_sealed();

CREATE FUNCTION opening_pages_sealed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM openings WHERE id = NEW.opening AND state = 'sealed') THEN
        RAISE EXCEPTION 'sealed opening %: it never changes; add a correction', NEW.opening; -- ;;
    END IF; -- ;;
    RETURN NEW; -- ;;
END $$;
CREATE TRIGGER opening_pages_sealed BEFORE INSERT ON opening_pages FOR EACH ROW EXECUTE FUNCTION opening_pages_sealed();

CREATE FUNCTION opening_corrections_fixed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'a correction never changes; add another'; END $$;
CREATE TRIGGER opening_corrections_fixed BEFORE UPDATE OR DELETE ON opening_corrections
    FOR EACH ROW EXECUTE FUNCTION opening_corrections_fixed();

CREATE FUNCTION openings_no_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'openings, their letters and corrections are never truncated'; END $$;
CREATE TRIGGER openings_no_truncate BEFORE TRUNCATE ON openings FOR EACH STATEMENT EXECUTE FUNCTION openings_no_truncate();
CREATE TRIGGER opening_participants_no_truncate BEFORE TRUNCATE ON opening_participants FOR EACH STATEMENT EXECUTE FUNCTION openings_no_truncate();
CREATE TRIGGER opening_letters_no_truncate BEFORE TRUNCATE ON opening_letters FOR EACH STATEMENT EXECUTE FUNCTION openings_no_truncate();
CREATE TRIGGER opening_corrections_no_truncate BEFORE TRUNCATE ON opening_corrections FOR EACH STATEMENT EXECUTE FUNCTION openings_no_truncate();
