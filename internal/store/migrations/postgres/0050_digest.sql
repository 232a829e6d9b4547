-- The digest (issue 10: tổng hợp ý kiến, kiến nghị): what it counts is read
-- from indexes alone, never by joining a million items to their units.
--
-- items_digest covers the digest's count of items by addressee (scope),
-- channel, kind and status in index order, with the sort key (the day of
-- receipt in its high bits) to bound the period.
CREATE INDEX items_digest ON items(scope, channel, kind, status, sort_key);

-- An item's categories and referrals carry what the digest filters them
-- by: digest_scope is the item's scope, or '' while the item is spam (spam
-- is counted apart, never by category or body); item_sort is the item's
-- sort key. The store writes both with the item (CreateItem, SaveItem,
-- InsertReferral). answered_on is the local day (Asia/Ho_Chi_Minh) of a
-- referral's answer, compared with its due_on for "answered on time".
ALTER TABLE item_categories ADD COLUMN digest_scope TEXT COLLATE "C" NOT NULL DEFAULT '';
UPDATE item_categories SET digest_scope = COALESCE((SELECT CASE WHEN i.status = 'spam' THEN '' ELSE i.scope END FROM items i WHERE i.id = item_categories.item), '');
CREATE INDEX item_categories_digest ON item_categories(digest_scope, sort_key, code);

ALTER TABLE referrals ADD COLUMN digest_scope TEXT COLLATE "C" NOT NULL DEFAULT '';
ALTER TABLE referrals ADD COLUMN item_sort BIGINT NOT NULL DEFAULT 0;
ALTER TABLE referrals ADD COLUMN answered_on TEXT COLLATE "C";
UPDATE referrals SET
    digest_scope = COALESCE((SELECT CASE WHEN i.status = 'spam' THEN '' ELSE i.scope END FROM items i WHERE i.id = referrals.item), ''),
    item_sort = COALESCE((SELECT i.sort_key FROM items i WHERE i.id = referrals.item), 0),
    answered_on = CASE WHEN answered_at IS NOT NULL THEN to_char(to_timestamp(answered_at / 1000.0) AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYYY-MM-DD') END;
CREATE INDEX referrals_digest ON referrals(digest_scope, item_sort, agency, state);

-- The items staff chose to quote in a unit's digest (their text, never
-- who sent them).
CREATE TABLE digest_quotes (
    unit     TEXT COLLATE "C" NOT NULL REFERENCES units(code),
    item     TEXT COLLATE "C" NOT NULL REFERENCES items(id),
    sort_key BIGINT NOT NULL,
    note     TEXT NOT NULL DEFAULT '',
    added_by BIGINT REFERENCES users(id),
    added_at BIGINT NOT NULL,
    PRIMARY KEY (unit, item)
);
CREATE INDEX digest_quotes_unit ON digest_quotes(unit, sort_key);
