-- Document search (internal/document): documents with their header fields
-- and their folded text (vntext.Fold: number and title, summary, body), a
-- full-text index over the folded text (FTS5 with documents as its external
-- content, kept by triggers; a backup leaves the index out and a restore
-- rebuilds it), and the vocabulary of folded words for typo correction.

CREATE TABLE documents (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    number      TEXT NOT NULL DEFAULT '',
    number_key  TEXT NOT NULL DEFAULT '',
    doc_type    TEXT NOT NULL DEFAULT '',
    type_key    TEXT NOT NULL DEFAULT '',
    issuer      TEXT NOT NULL DEFAULT '',
    issuer_key  TEXT NOT NULL DEFAULT '',
    issued      TEXT NOT NULL DEFAULT '',
    year        INTEGER NOT NULL DEFAULT 0,
    effective   TEXT NOT NULL DEFAULT '',
    status      TEXT NOT NULL DEFAULT '',
    replaced_by TEXT NOT NULL DEFAULT '',
    title       TEXT NOT NULL,
    summary     TEXT NOT NULL DEFAULT '',
    body        TEXT NOT NULL,
    fold_head   TEXT NOT NULL DEFAULT '',
    fold_summary TEXT NOT NULL DEFAULT '',
    fold_body   TEXT NOT NULL DEFAULT '',
    file_sha256 TEXT NOT NULL DEFAULT '',
    file_name   TEXT NOT NULL DEFAULT '',
    file_type   TEXT NOT NULL DEFAULT '',
    encoding    TEXT NOT NULL DEFAULT '',
    text_sha256 TEXT NOT NULL UNIQUE,
    author_name TEXT NOT NULL DEFAULT '',
    created     BIGINT NOT NULL,
    updated     BIGINT NOT NULL
);
CREATE INDEX documents_number ON documents(number_key);
CREATE INDEX documents_issued ON documents(issued);

CREATE VIRTUAL TABLE documents_fts USING fts5(fold_head, fold_summary, fold_body, content='documents', content_rowid='id', tokenize='ascii');
CREATE TRIGGER documents_fts_insert AFTER INSERT ON documents BEGIN
    INSERT INTO documents_fts (rowid, fold_head, fold_summary, fold_body) VALUES (new.id, new.fold_head, new.fold_summary, new.fold_body); -- ;;
END;
CREATE TRIGGER documents_fts_delete AFTER DELETE ON documents BEGIN
    INSERT INTO documents_fts (documents_fts, rowid, fold_head, fold_summary, fold_body) VALUES ('delete', old.id, old.fold_head, old.fold_summary, old.fold_body); -- ;;
END;
CREATE TRIGGER documents_fts_update AFTER UPDATE OF fold_head, fold_summary, fold_body ON documents BEGIN
    INSERT INTO documents_fts (documents_fts, rowid, fold_head, fold_summary, fold_body) VALUES ('delete', old.id, old.fold_head, old.fold_summary, old.fold_body); -- ;;
    INSERT INTO documents_fts (rowid, fold_head, fold_summary, fold_body) VALUES (new.id, new.fold_head, new.fold_summary, new.fold_body); -- ;;
END;

CREATE TABLE document_words (
    word TEXT PRIMARY KEY,
    docs INTEGER NOT NULL
);
