-- News of the public portal (internal/news): posts in Markdown, drafts and
-- scheduled publication, a category and a unit, a unique Vietnamese slug.

CREATE TABLE posts (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug       TEXT COLLATE "C" NOT NULL UNIQUE,
    title      TEXT NOT NULL,
    summary    TEXT NOT NULL DEFAULT '',
    body       TEXT NOT NULL,
    category   TEXT NOT NULL,
    unit       TEXT REFERENCES units(code),
    draft      BOOLEAN NOT NULL DEFAULT TRUE,
    publish_at BIGINT,
    author     TEXT NOT NULL DEFAULT '',
    created    BIGINT NOT NULL,
    updated    BIGINT NOT NULL
);
CREATE INDEX posts_public ON posts(draft, publish_at, id);

-- The images editors upload for posts: only these are served at
-- /tin-tuc/anh/{sha256} (citizens' attachments share the blob store).
CREATE TABLE post_images (
    sha256  TEXT COLLATE "C" PRIMARY KEY,
    type    TEXT NOT NULL,
    author  TEXT NOT NULL,
    created BIGINT NOT NULL
);
