-- Catalogues of standards (internal/catalog): the 27 manifestations, the 19
-- prohibitions and any catalogue an administrator loads. Every version is a
-- complete snapshot, kept for ever: an item of feedback classified under
-- (code, version) keeps its meaning, and a retired standard stays readable.
-- Triggers refuse to change or delete a version once written.

CREATE TABLE catalogs (
    code    TEXT COLLATE "C" PRIMARY KEY,
    version INTEGER NOT NULL, -- the version in force
    pos     INTEGER NOT NULL  -- order on the posted page
);

CREATE TABLE catalog_versions (
    catalog     TEXT COLLATE "C" NOT NULL REFERENCES catalogs(code),
    version     INTEGER NOT NULL,
    title       TEXT NOT NULL,
    short_title TEXT NOT NULL,
    source      TEXT NOT NULL,
    label       TEXT NOT NULL,
    note        TEXT NOT NULL,
    origin      TEXT NOT NULL CHECK (origin IN ('shipped', 'file', 'retire')),
    sha256      TEXT NOT NULL, -- of the version in the catalogue file format
    author      BIGINT,        -- the staff account; NULL from the command line
    author_name TEXT NOT NULL,
    created     BIGINT NOT NULL,
    PRIMARY KEY (catalog, version)
);

CREATE TABLE catalog_groups (
    catalog TEXT COLLATE "C" NOT NULL,
    version INTEGER NOT NULL,
    code    TEXT COLLATE "C" NOT NULL,
    pos     INTEGER NOT NULL,
    title   TEXT NOT NULL,
    PRIMARY KEY (catalog, version, code),
    FOREIGN KEY (catalog, version) REFERENCES catalog_versions(catalog, version)
);

CREATE TABLE standards (
    code           TEXT COLLATE "C" NOT NULL,
    version        INTEGER NOT NULL,
    catalog        TEXT COLLATE "C" NOT NULL,
    grp            TEXT COLLATE "C" NOT NULL,
    pos            INTEGER NOT NULL,
    title          TEXT NOT NULL,
    explanation    TEXT NOT NULL,
    official       TEXT NOT NULL,
    source         TEXT NOT NULL,
    retired        BOOLEAN NOT NULL DEFAULT FALSE,
    retired_reason TEXT NOT NULL DEFAULT '',
    retired_in     INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (code, version),
    FOREIGN KEY (catalog, version) REFERENCES catalog_versions(catalog, version),
    FOREIGN KEY (catalog, version, grp) REFERENCES catalog_groups(catalog, version, code)
);
CREATE INDEX standards_catalog ON standards(catalog, version, pos);

CREATE FUNCTION catalog_versions_immutable() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'catalogue versions are never changed'; END $$;
CREATE TRIGGER catalog_versions_no_change BEFORE UPDATE OR DELETE ON catalog_versions FOR EACH ROW EXECUTE FUNCTION catalog_versions_immutable();
CREATE TRIGGER catalog_groups_no_change BEFORE UPDATE OR DELETE ON catalog_groups FOR EACH ROW EXECUTE FUNCTION catalog_versions_immutable();
CREATE TRIGGER standards_no_change BEFORE UPDATE OR DELETE ON standards FOR EACH ROW EXECUTE FUNCTION catalog_versions_immutable();
