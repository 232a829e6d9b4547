-- Catalogues of standards (internal/catalog): the 27 manifestations, the 19
-- prohibitions and any catalogue an administrator loads. Every version is a
-- complete snapshot, kept for ever: an item of feedback classified under
-- (code, version) keeps its meaning, and a retired standard stays readable.
-- Triggers refuse to change or delete a version once written.

CREATE TABLE catalogs (
    code    TEXT PRIMARY KEY,
    version INTEGER NOT NULL, -- the version in force
    pos     INTEGER NOT NULL  -- order on the posted page
);

CREATE TABLE catalog_versions (
    catalog     TEXT NOT NULL REFERENCES catalogs(code),
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
    catalog TEXT NOT NULL,
    version INTEGER NOT NULL,
    code    TEXT NOT NULL,
    pos     INTEGER NOT NULL,
    title   TEXT NOT NULL,
    PRIMARY KEY (catalog, version, code),
    FOREIGN KEY (catalog, version) REFERENCES catalog_versions(catalog, version)
);

CREATE TABLE standards (
    code           TEXT NOT NULL,
    version        INTEGER NOT NULL,
    catalog        TEXT NOT NULL,
    grp            TEXT NOT NULL,
    pos            INTEGER NOT NULL,
    title          TEXT NOT NULL,
    explanation    TEXT NOT NULL,
    official       TEXT NOT NULL,
    source         TEXT NOT NULL,
    retired        INTEGER NOT NULL DEFAULT 0,
    retired_reason TEXT NOT NULL DEFAULT '',
    retired_in     INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (code, version),
    FOREIGN KEY (catalog, version) REFERENCES catalog_versions(catalog, version),
    FOREIGN KEY (catalog, version, grp) REFERENCES catalog_groups(catalog, version, code)
);
CREATE INDEX standards_catalog ON standards(catalog, version, pos);

CREATE TRIGGER catalog_versions_no_update BEFORE UPDATE ON catalog_versions BEGIN SELECT RAISE(ABORT, 'catalogue versions are never changed'); END;
CREATE TRIGGER catalog_versions_no_delete BEFORE DELETE ON catalog_versions BEGIN SELECT RAISE(ABORT, 'catalogue versions are never changed'); END;
CREATE TRIGGER catalog_groups_no_update BEFORE UPDATE ON catalog_groups BEGIN SELECT RAISE(ABORT, 'catalogue versions are never changed'); END;
CREATE TRIGGER catalog_groups_no_delete BEFORE DELETE ON catalog_groups BEGIN SELECT RAISE(ABORT, 'catalogue versions are never changed'); END;
CREATE TRIGGER standards_no_update BEFORE UPDATE ON standards BEGIN SELECT RAISE(ABORT, 'catalogue versions are never changed'); END;
CREATE TRIGGER standards_no_delete BEFORE DELETE ON standards BEGIN SELECT RAISE(ABORT, 'catalogue versions are never changed'); END;
