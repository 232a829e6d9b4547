-- When an item's processing ended (closed or out of scope), for retention:
-- identities and attachments of items closed longer ago than the retention
-- period are erased.
ALTER TABLE items ADD COLUMN closed_at BIGINT;
CREATE INDEX items_closed ON items(closed_at);
