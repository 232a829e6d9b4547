-- When a pending log leaf may be appended. Anonymous items wait for the end
-- of their day (Vietnam time) and go into the tree in one shuffled batch
-- with every other anonymous item of that day, so that the log's order and
-- timing tell no more than the date; other leaves are due at once.
ALTER TABLE log_pending ADD COLUMN due BIGINT NOT NULL DEFAULT 0;
