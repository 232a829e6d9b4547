-- Document search (internal/document): documents with their header fields
-- and their folded text (vntext.Fold: number and title, summary, body), a
-- generated tsvector over the folded text (weights A for number and title,
-- B for the summary, D for the body) with a GIN index, and the vocabulary
-- of folded words for typo correction.

CREATE TABLE documents (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    number      TEXT NOT NULL DEFAULT '',
    number_key  TEXT COLLATE "C" NOT NULL DEFAULT '',
    doc_type    TEXT NOT NULL DEFAULT '',
    type_key    TEXT COLLATE "C" NOT NULL DEFAULT '',
    issuer      TEXT NOT NULL DEFAULT '',
    issuer_key  TEXT COLLATE "C" NOT NULL DEFAULT '',
    issued      TEXT COLLATE "C" NOT NULL DEFAULT '',
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
    updated     BIGINT NOT NULL,
    tsv         tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple', fold_head), 'A') ||
        setweight(to_tsvector('simple', fold_summary), 'B') ||
        setweight(to_tsvector('simple', fold_body), 'D')) STORED
);
CREATE INDEX documents_number ON documents(number_key);
CREATE INDEX documents_issued ON documents(issued);
CREATE INDEX documents_tsv ON documents USING GIN (tsv);

CREATE TABLE document_words (
    word TEXT COLLATE "C" PRIMARY KEY,
    docs INTEGER NOT NULL
);
