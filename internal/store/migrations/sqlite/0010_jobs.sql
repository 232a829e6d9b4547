-- Durable background jobs (internal/jobs): mail, reminders, deadline
-- sweeps, long reports. A job is written in the same transaction as the
-- change that causes it; runners claim due jobs under a lease, so that a job
-- taken by a process that died is taken again when its lease runs out.
--
-- state:   waiting → running → done | failed | cancelled (running → waiting
--          again on a retry, a re-plan or a shutdown)
-- planned: when the job is meant to run (shown to people)
-- run_at:  when a runner next looks at it: planned, or the time of the next
--          retry for a waiting job; the lease's expiry for a running one
-- version: bumped by every re-plan, so that a run that started before a
--          re-plan ends with the job waiting again instead of done
-- secret:  sealed data (a mail's address); erased when the job finishes
CREATE TABLE jobs (
    id             INTEGER PRIMARY KEY,
    kind           TEXT NOT NULL,
    unique_key     TEXT,
    payload        BLOB NOT NULL,
    secret         BLOB,
    erased         INTEGER NOT NULL DEFAULT 0,
    state          TEXT NOT NULL CHECK (state IN ('waiting', 'running', 'done', 'failed', 'cancelled')),
    planned        BIGINT NOT NULL,
    run_at         BIGINT NOT NULL,
    attempts       INTEGER NOT NULL DEFAULT 0,
    max_attempts   INTEGER NOT NULL,
    version        INTEGER NOT NULL DEFAULT 0,
    lease          TEXT,
    owner          TEXT NOT NULL DEFAULT '',
    started_by     BIGINT,
    last_error     TEXT NOT NULL DEFAULT '',
    error_at       BIGINT,
    progress_done  BIGINT NOT NULL DEFAULT 0,
    progress_total BIGINT NOT NULL DEFAULT 0,
    progress_msg   TEXT NOT NULL DEFAULT '',
    result         TEXT NOT NULL DEFAULT '',
    created        BIGINT NOT NULL,
    updated        BIGINT NOT NULL,
    finished       BIGINT,
    UNIQUE (kind, unique_key)
);
-- The runners' one question, "what is due?", reads only this index.
CREATE INDEX jobs_due ON jobs(run_at) WHERE state IN ('waiting', 'running');
CREATE INDEX jobs_kind ON jobs(kind, state);
CREATE INDEX jobs_finished ON jobs(finished) WHERE finished IS NOT NULL;
