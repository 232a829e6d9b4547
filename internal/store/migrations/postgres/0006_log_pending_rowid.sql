-- Nothing to do on PostgreSQL: SQLite's outbox dropped AUTOINCREMENT in this
-- version (an identity column costs PostgreSQL no extra write).
SELECT 1;
