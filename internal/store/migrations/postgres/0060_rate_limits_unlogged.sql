-- Rate-limit counters are worth nothing after a crash (a window is at most
-- an hour) and are written often: an unlogged table writes no WAL, so a
-- transaction that only adds to them commits without waiting for a WAL flush.
-- After a crash PostgreSQL empties it, which forgives one window's hits.
ALTER TABLE rate_limits SET UNLOGGED;
