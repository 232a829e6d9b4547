-- The digest's counts of items (issue 10), maintained per addressee
-- (scope) and month of receipt: one row per unit and month with a column
-- per channel, kind and status, so that a province's digest of a year
-- reads 12 rows a commune (36,000 for 3,000 communes) instead of a million
-- items. Channels and kinds count items that are not spam; statuses count
-- every item (s_spam is the spam counted apart). Triggers keep the rows in
-- step with items on every insert, change and delete, in the same
-- transaction; a restore recomputes them (Loader.Commit). A status, kind
-- or channel added to homthu later adds its column here.
--
-- A period that starts or ends inside a month counts its partial months
-- from items_digest_day instead (store/digest.go).

CREATE TABLE digest_counts (
    scope TEXT COLLATE "C" NOT NULL,
    month TEXT COLLATE "C" NOT NULL,
    c_online BIGINT NOT NULL DEFAULT 0,
    c_paper BIGINT NOT NULL DEFAULT 0,
    c_in_person BIGINT NOT NULL DEFAULT 0,
    c_phone BIGINT NOT NULL DEFAULT 0,
    k_none BIGINT NOT NULL DEFAULT 0,
    k_report BIGINT NOT NULL DEFAULT 0,
    k_proposal BIGINT NOT NULL DEFAULT 0,
    k_comment BIGINT NOT NULL DEFAULT 0,
    k_denunciation BIGINT NOT NULL DEFAULT 0,
    k_outside BIGINT NOT NULL DEFAULT 0,
    s_received BIGINT NOT NULL DEFAULT 0,
    s_considering BIGINT NOT NULL DEFAULT 0,
    s_referred BIGINT NOT NULL DEFAULT 0,
    s_answered BIGINT NOT NULL DEFAULT 0,
    s_reopened BIGINT NOT NULL DEFAULT 0,
    s_closed BIGINT NOT NULL DEFAULT 0,
    s_out_of_scope BIGINT NOT NULL DEFAULT 0,
    s_linked BIGINT NOT NULL DEFAULT 0,
    s_spam BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (scope, month)
);

INSERT INTO digest_counts (scope, month, c_online, c_paper, c_in_person, c_phone, k_none, k_report, k_proposal, k_comment, k_denunciation, k_outside, s_received, s_considering, s_referred, s_answered, s_reopened, s_closed, s_out_of_scope, s_linked, s_spam)
SELECT i.scope, substr(i.received_on, 1, 7), SUM(CASE WHEN i.status <> 'spam' AND i.channel = 'online' THEN 1 ELSE 0 END), SUM(CASE WHEN i.status <> 'spam' AND i.channel = 'paper' THEN 1 ELSE 0 END), SUM(CASE WHEN i.status <> 'spam' AND i.channel = 'in_person' THEN 1 ELSE 0 END), SUM(CASE WHEN i.status <> 'spam' AND i.channel = 'phone' THEN 1 ELSE 0 END), SUM(CASE WHEN i.status <> 'spam' AND i.kind = '' THEN 1 ELSE 0 END), SUM(CASE WHEN i.status <> 'spam' AND i.kind = 'report' THEN 1 ELSE 0 END), SUM(CASE WHEN i.status <> 'spam' AND i.kind = 'proposal' THEN 1 ELSE 0 END), SUM(CASE WHEN i.status <> 'spam' AND i.kind = 'comment' THEN 1 ELSE 0 END), SUM(CASE WHEN i.status <> 'spam' AND i.kind = 'denunciation' THEN 1 ELSE 0 END), SUM(CASE WHEN i.status <> 'spam' AND i.kind = 'outside' THEN 1 ELSE 0 END), SUM(CASE WHEN i.status = 'received' THEN 1 ELSE 0 END), SUM(CASE WHEN i.status = 'considering' THEN 1 ELSE 0 END), SUM(CASE WHEN i.status = 'referred' THEN 1 ELSE 0 END), SUM(CASE WHEN i.status = 'answered' THEN 1 ELSE 0 END), SUM(CASE WHEN i.status = 'reopened' THEN 1 ELSE 0 END), SUM(CASE WHEN i.status = 'closed' THEN 1 ELSE 0 END), SUM(CASE WHEN i.status = 'out_of_scope' THEN 1 ELSE 0 END), SUM(CASE WHEN i.status = 'linked' THEN 1 ELSE 0 END), SUM(CASE WHEN i.status = 'spam' THEN 1 ELSE 0 END) FROM items i GROUP BY i.scope, substr(i.received_on, 1, 7);

DROP INDEX items_digest;
CREATE INDEX items_digest_day ON items(sort_key, scope, channel, kind, status);

CREATE FUNCTION items_digest_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        INSERT INTO digest_counts (scope, month, c_online, c_paper, c_in_person, c_phone, k_none, k_report, k_proposal, k_comment, k_denunciation, k_outside, s_received, s_considering, s_referred, s_answered, s_reopened, s_closed, s_out_of_scope, s_linked, s_spam)
        VALUES (OLD.scope, substr(OLD.received_on, 1, 7), -CASE WHEN OLD.status <> 'spam' AND OLD.channel = 'online' THEN 1 ELSE 0 END, -CASE WHEN OLD.status <> 'spam' AND OLD.channel = 'paper' THEN 1 ELSE 0 END, -CASE WHEN OLD.status <> 'spam' AND OLD.channel = 'in_person' THEN 1 ELSE 0 END, -CASE WHEN OLD.status <> 'spam' AND OLD.channel = 'phone' THEN 1 ELSE 0 END, -CASE WHEN OLD.status <> 'spam' AND OLD.kind = '' THEN 1 ELSE 0 END, -CASE WHEN OLD.status <> 'spam' AND OLD.kind = 'report' THEN 1 ELSE 0 END, -CASE WHEN OLD.status <> 'spam' AND OLD.kind = 'proposal' THEN 1 ELSE 0 END, -CASE WHEN OLD.status <> 'spam' AND OLD.kind = 'comment' THEN 1 ELSE 0 END, -CASE WHEN OLD.status <> 'spam' AND OLD.kind = 'denunciation' THEN 1 ELSE 0 END, -CASE WHEN OLD.status <> 'spam' AND OLD.kind = 'outside' THEN 1 ELSE 0 END, -CASE WHEN OLD.status = 'received' THEN 1 ELSE 0 END, -CASE WHEN OLD.status = 'considering' THEN 1 ELSE 0 END, -CASE WHEN OLD.status = 'referred' THEN 1 ELSE 0 END, -CASE WHEN OLD.status = 'answered' THEN 1 ELSE 0 END, -CASE WHEN OLD.status = 'reopened' THEN 1 ELSE 0 END, -CASE WHEN OLD.status = 'closed' THEN 1 ELSE 0 END, -CASE WHEN OLD.status = 'out_of_scope' THEN 1 ELSE 0 END, -CASE WHEN OLD.status = 'linked' THEN 1 ELSE 0 END, -CASE WHEN OLD.status = 'spam' THEN 1 ELSE 0 END)
        ON CONFLICT (scope, month) DO UPDATE SET c_online = digest_counts.c_online + excluded.c_online, c_paper = digest_counts.c_paper + excluded.c_paper, c_in_person = digest_counts.c_in_person + excluded.c_in_person, c_phone = digest_counts.c_phone + excluded.c_phone, k_none = digest_counts.k_none + excluded.k_none, k_report = digest_counts.k_report + excluded.k_report, k_proposal = digest_counts.k_proposal + excluded.k_proposal, k_comment = digest_counts.k_comment + excluded.k_comment, k_denunciation = digest_counts.k_denunciation + excluded.k_denunciation, k_outside = digest_counts.k_outside + excluded.k_outside, s_received = digest_counts.s_received + excluded.s_received, s_considering = digest_counts.s_considering + excluded.s_considering, s_referred = digest_counts.s_referred + excluded.s_referred, s_answered = digest_counts.s_answered + excluded.s_answered, s_reopened = digest_counts.s_reopened + excluded.s_reopened, s_closed = digest_counts.s_closed + excluded.s_closed, s_out_of_scope = digest_counts.s_out_of_scope + excluded.s_out_of_scope, s_linked = digest_counts.s_linked + excluded.s_linked, s_spam = digest_counts.s_spam + excluded.s_spam; -- ;;
    END IF; -- ;;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO digest_counts (scope, month, c_online, c_paper, c_in_person, c_phone, k_none, k_report, k_proposal, k_comment, k_denunciation, k_outside, s_received, s_considering, s_referred, s_answered, s_reopened, s_closed, s_out_of_scope, s_linked, s_spam)
        VALUES (NEW.scope, substr(NEW.received_on, 1, 7), CASE WHEN NEW.status <> 'spam' AND NEW.channel = 'online' THEN 1 ELSE 0 END, CASE WHEN NEW.status <> 'spam' AND NEW.channel = 'paper' THEN 1 ELSE 0 END, CASE WHEN NEW.status <> 'spam' AND NEW.channel = 'in_person' THEN 1 ELSE 0 END, CASE WHEN NEW.status <> 'spam' AND NEW.channel = 'phone' THEN 1 ELSE 0 END, CASE WHEN NEW.status <> 'spam' AND NEW.kind = '' THEN 1 ELSE 0 END, CASE WHEN NEW.status <> 'spam' AND NEW.kind = 'report' THEN 1 ELSE 0 END, CASE WHEN NEW.status <> 'spam' AND NEW.kind = 'proposal' THEN 1 ELSE 0 END, CASE WHEN NEW.status <> 'spam' AND NEW.kind = 'comment' THEN 1 ELSE 0 END, CASE WHEN NEW.status <> 'spam' AND NEW.kind = 'denunciation' THEN 1 ELSE 0 END, CASE WHEN NEW.status <> 'spam' AND NEW.kind = 'outside' THEN 1 ELSE 0 END, CASE WHEN NEW.status = 'received' THEN 1 ELSE 0 END, CASE WHEN NEW.status = 'considering' THEN 1 ELSE 0 END, CASE WHEN NEW.status = 'referred' THEN 1 ELSE 0 END, CASE WHEN NEW.status = 'answered' THEN 1 ELSE 0 END, CASE WHEN NEW.status = 'reopened' THEN 1 ELSE 0 END, CASE WHEN NEW.status = 'closed' THEN 1 ELSE 0 END, CASE WHEN NEW.status = 'out_of_scope' THEN 1 ELSE 0 END, CASE WHEN NEW.status = 'linked' THEN 1 ELSE 0 END, CASE WHEN NEW.status = 'spam' THEN 1 ELSE 0 END)
        ON CONFLICT (scope, month) DO UPDATE SET c_online = digest_counts.c_online + excluded.c_online, c_paper = digest_counts.c_paper + excluded.c_paper, c_in_person = digest_counts.c_in_person + excluded.c_in_person, c_phone = digest_counts.c_phone + excluded.c_phone, k_none = digest_counts.k_none + excluded.k_none, k_report = digest_counts.k_report + excluded.k_report, k_proposal = digest_counts.k_proposal + excluded.k_proposal, k_comment = digest_counts.k_comment + excluded.k_comment, k_denunciation = digest_counts.k_denunciation + excluded.k_denunciation, k_outside = digest_counts.k_outside + excluded.k_outside, s_received = digest_counts.s_received + excluded.s_received, s_considering = digest_counts.s_considering + excluded.s_considering, s_referred = digest_counts.s_referred + excluded.s_referred, s_answered = digest_counts.s_answered + excluded.s_answered, s_reopened = digest_counts.s_reopened + excluded.s_reopened, s_closed = digest_counts.s_closed + excluded.s_closed, s_out_of_scope = digest_counts.s_out_of_scope + excluded.s_out_of_scope, s_linked = digest_counts.s_linked + excluded.s_linked, s_spam = digest_counts.s_spam + excluded.s_spam; -- ;;
    END IF; -- ;;
    RETURN NULL; -- ;;
END $$;
CREATE TRIGGER items_digest_insert_delete AFTER INSERT OR DELETE ON items FOR EACH ROW EXECUTE FUNCTION items_digest_count();
CREATE TRIGGER items_digest_update AFTER UPDATE OF scope, channel, kind, status, received_on ON items FOR EACH ROW EXECUTE FUNCTION items_digest_count();
