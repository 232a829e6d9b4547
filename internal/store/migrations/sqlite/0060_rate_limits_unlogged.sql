-- PostgreSQL makes rate_limits unlogged here; SQLite has no such tables, and
-- a single SQLite instance keeps its counters in memory.
SELECT 1;
