package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"time"

	"homthu/internal/homthu"
)

// Durable jobs (table jobs, migration 0010). The runner is internal/jobs;
// this file is its storage: enqueue in the caller's transaction, claim
// under a lease, finish, and the queries the status pages read.

// Job states.
const (
	JobWaiting   = "waiting"
	JobRunning   = "running"
	JobDone      = "done"
	JobFailed    = "failed"
	JobCancelled = "cancelled"
)

// DefaultMaxAttempts is a job's number of attempts when NewJob leaves it 0.
const DefaultMaxAttempts = 10

// NewJob is a job to enqueue.
type NewJob struct {
	// Kind names the handler that runs the job, e.g. "mail.submitter".
	Kind string
	// Key, when set, names the job among the jobs of its kind: enqueuing a
	// key that exists changes nothing (EnqueueJob) or re-plans that job
	// (ScheduleJob), and CancelJob finds it. A key names one row for as
	// long as the row is kept (see PurgeJobs).
	Key string
	// Payload is what the handler reads (internal/jobs writes JSON).
	Payload []byte
	// Secret is data sealed by the caller (secret.Keys.Seal) with the
	// additional data JobSecretAD(Kind, Key), such as a mail's address: a
	// job with a secret needs a key. It is erased from the database when
	// the job ends (done, failed for good or cancelled), and re-sealed by
	// an identity-key rotation (Reseal).
	Secret []byte
	// RunAt is when the job should run; zero means now.
	RunAt time.Time
	// MaxAttempts bounds the attempts before the job fails for good; 0
	// means DefaultMaxAttempts.
	MaxAttempts int
	// StartedBy is the staff account that asked for the job (a report),
	// 0 for the system.
	StartedBy int64
}

// jobSignal wakes the runners of this process when a transaction that
// enqueued a job commits. A runner takes the channel before looking for
// due jobs and waits on it; fire closes it.
type jobSignal struct {
	mu sync.Mutex
	ch chan struct{}
}

func (g *jobSignal) wait() <-chan struct{} {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.ch == nil {
		g.ch = make(chan struct{})
	}
	return g.ch
}

func (g *jobSignal) fire() {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.ch != nil {
		close(g.ch)
		g.ch = nil
	}
}

// JobSignal returns a channel that is closed when a transaction of this
// process that enqueued or re-planned a job has committed. Take it before
// looking for due jobs, so that no enqueue is missed in between.
func (s *Store) JobSignal() <-chan struct{} { return s.jobs.wait() }

// ValidJobKind reports whether kind is a job kind: 1 to 64 of a–z, 0–9,
// '.', '-' and '_' (kinds are names in code, and the status pages select
// them by prefix).
func ValidJobKind(kind string) bool {
	if kind == "" || len(kind) > 64 {
		return false
	}
	for _, c := range kind {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

func (j *NewJob) check() error {
	if !ValidJobKind(j.Kind) {
		return fmt.Errorf("job kind %q: want 1 to 64 of a-z, 0-9, '.', '-', '_'", j.Kind)
	}
	if len(j.Key) > 200 {
		return fmt.Errorf("job key of kind %s is %d bytes long; at most 200", j.Kind, len(j.Key))
	}
	if j.Secret != nil && j.Key == "" {
		return fmt.Errorf("job of kind %s has a secret but no key to bind it to", j.Kind)
	}
	if j.MaxAttempts < 0 {
		return fmt.Errorf("job of kind %s: MaxAttempts %d < 0", j.Kind, j.MaxAttempts)
	}
	return nil
}

// JobSecretAD is the additional data a job's secret is sealed with: it
// binds the sealed value to its job, so that it cannot be moved to another.
func JobSecretAD(kind, key string) []byte { return []byte("job:" + kind + ":" + key) }

func (j *NewJob) args(now time.Time) []any {
	at := j.RunAt
	if at.IsZero() {
		at = now
	}
	max := j.MaxAttempts
	if max == 0 {
		max = DefaultMaxAttempts
	}
	var key, by any
	if j.Key != "" {
		key = j.Key
	}
	if j.StartedBy != 0 {
		by = j.StartedBy
	}
	payload := j.Payload
	if payload == nil {
		payload = []byte{}
	}
	return []any{j.Kind, key, payload, j.Secret, at.UnixMilli(), at.UnixMilli(), max, by, now.UnixMilli(), now.UnixMilli()}
}

const insertJobSQL = `INSERT INTO jobs (kind, unique_key, payload, secret, state, planned, run_at, max_attempts, started_by, created, updated)
VALUES (?, ?, ?, ?, 'waiting', ?, ?, ?, ?, ?, ?)`

// EnqueueJob adds a job in tx, so that it exists if and only if tx
// commits. If j.Key names a job of the kind that exists (in any state),
// nothing changes: created is false and id is that job's. The runners of
// this process are woken when tx commits.
func EnqueueJob(ctx context.Context, tx *Tx, j NewJob) (id int64, created bool, err error) {
	if err := j.check(); err != nil {
		return 0, false, fmt.Errorf("store.EnqueueJob: %w", err)
	}
	err = tx.QueryRow(ctx, insertJobSQL+` ON CONFLICT (kind, unique_key) DO NOTHING RETURNING id`, j.args(tx.now())...).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) && j.Key != "" {
		if err := tx.QueryRow(ctx, `SELECT id FROM jobs WHERE kind = ? AND unique_key = ?`, j.Kind, j.Key).Scan(&id); err != nil {
			return 0, false, fmt.Errorf("store.EnqueueJob: %w", err)
		}
		return id, false, nil
	} else if err != nil {
		return 0, false, fmt.Errorf("store.EnqueueJob: %w", err)
	}
	tx.jobs = true
	return id, true, nil
}

// scheduleJobSQL inserts a job or re-plans the one with its key: a job that
// is not running becomes waiting at the new time with the new payload, its
// attempts and error forgotten; a running job keeps running and, through its
// bumped version, is waiting again when that run ends.
const scheduleJobSQL = insertJobSQL + `
ON CONFLICT (kind, unique_key) DO UPDATE SET
    payload = excluded.payload, secret = excluded.secret, erased = FALSE, planned = excluded.planned,
    max_attempts = excluded.max_attempts, started_by = excluded.started_by, version = jobs.version + 1, updated = excluded.updated,
    state = CASE WHEN jobs.state = 'running' THEN jobs.state ELSE 'waiting' END,
    run_at = CASE WHEN jobs.state = 'running' THEN jobs.run_at ELSE excluded.run_at END,
    attempts = CASE WHEN jobs.state = 'running' THEN jobs.attempts ELSE 0 END,
    finished = CASE WHEN jobs.state = 'running' THEN jobs.finished ELSE NULL END,
    last_error = CASE WHEN jobs.state = 'running' THEN jobs.last_error ELSE '' END,
    error_at = CASE WHEN jobs.state = 'running' THEN jobs.error_at ELSE NULL END,
    progress_done = 0, progress_total = 0, progress_msg = '', result = ''
RETURNING id`

// ScheduleJob adds a job in tx, or re-plans the job of the kind with the
// same key, whatever its state: a deadline moved, a reminder re-planned, a
// news mail delayed until a burst of changes is over. It needs a key. A
// job that is running when tx commits finishes its run and then runs again
// at the new time (so nothing planned after it started is lost).
func ScheduleJob(ctx context.Context, tx *Tx, j NewJob) (int64, error) {
	if err := j.check(); err != nil {
		return 0, fmt.Errorf("store.ScheduleJob: %w", err)
	}
	if j.Key == "" {
		return 0, fmt.Errorf("store.ScheduleJob: a job of kind %s without a key cannot be re-planned; use EnqueueJob", j.Kind)
	}
	var id int64
	if err := tx.QueryRow(ctx, scheduleJobSQL, j.args(tx.now())...).Scan(&id); err != nil {
		return 0, fmt.Errorf("store.ScheduleJob: %w", err)
	}
	tx.jobs = true
	return id, nil
}

// CancelJob cancels the job of the kind with the key unless it already
// ended, and reports whether there was one to cancel. A running job loses
// its lease: its handler's context is cancelled at its next heartbeat and
// what it does after that is not recorded.
func CancelJob(ctx context.Context, tx *Tx, kind, key string) (bool, error) {
	now := tx.now().UnixMilli()
	res, err := tx.Exec(ctx, `UPDATE jobs SET state = 'cancelled', lease = NULL, finished = ?, updated = ?, version = version + 1,
    erased = (secret IS NOT NULL), secret = NULL
WHERE kind = ? AND unique_key = ? AND state IN ('waiting', 'running')`, now, now, kind, key)
	if err != nil {
		return false, fmt.Errorf("store.CancelJob: %w", err)
	}
	n, _ := res.RowsAffected()
	return n > 0, nil
}

// ClaimedJob is a job a runner holds under a lease.
type ClaimedJob struct {
	ID          int64
	Kind, Key   string
	Payload     []byte
	Secret      []byte
	Attempt     int // 1 for the first run
	MaxAttempts int
	Planned     time.Time
	StartedBy   int64
	// Lease is the token that the runner's later calls must show.
	Lease   string
	version int64
}

// JobDue returns the earliest time at which a job of one of the kinds is
// due (waiting) or its lease runs out (running), and ok == false when no
// such job exists. It reads on the read pool: on SQLite an idle runner asks
// only this, and never takes the writer.
func (s *Store) JobDue(ctx context.Context, kinds []string) (at time.Time, ok bool, err error) {
	if len(kinds) == 0 {
		return time.Time{}, false, nil
	}
	var v sql.NullInt64
	args := make([]any, len(kinds))
	for i, k := range kinds {
		args[i] = k
	}
	err = s.queryRow(ctx, `SELECT MIN(run_at) FROM jobs WHERE state IN ('waiting', 'running') AND kind IN (`+placeholders(len(kinds))+`)`, args...).Scan(&v)
	if err != nil {
		return time.Time{}, false, fmt.Errorf("store.JobDue: %w", err)
	}
	return fromMS(v), v.Valid, nil
}

// errDiedMessage is the error recorded for a job whose last attempt's
// process stopped without finishing it.
const errDiedMessage = "Tiến trình đang chạy tác vụ đã dừng đột ngột (lần thử cuối cùng không kết thúc)."

// ClaimJobs takes up to max jobs of the kinds that are due at now — waiting
// jobs whose time has come, and running jobs whose lease ran out (their
// process died) — and leases them to owner until now+lease. On PostgreSQL
// several processes claim at once and get disjoint jobs (FOR UPDATE SKIP
// LOCKED); on SQLite the one writer does the same. A job whose lease ran
// out on its last attempt fails instead.
func (s *Store) ClaimJobs(ctx context.Context, kinds []string, max int, owner, lease string, now time.Time, leaseFor time.Duration) ([]*ClaimedJob, error) {
	if len(kinds) == 0 || max <= 0 {
		return nil, nil
	}
	in := placeholders(len(kinds))
	var out []*ClaimedJob
	err := s.Transact(ctx, func(tx *Tx) error {
		out = out[:0]
		args := []any{errDiedMessage, now.UnixMilli(), now.UnixMilli(), now.UnixMilli(), now.UnixMilli()}
		for _, k := range kinds {
			args = append(args, k)
		}
		if _, err := tx.Exec(ctx, `UPDATE jobs SET state = 'failed', lease = NULL, last_error = ?, error_at = ?, finished = ?, updated = ?,
    erased = (secret IS NOT NULL), secret = NULL
WHERE state = 'running' AND run_at <= ? AND attempts >= max_attempts AND kind IN (`+in+`)`, args...); err != nil {
			return err
		}
		args = []any{lease, owner, now.Add(leaseFor).UnixMilli(), now.UnixMilli(), now.UnixMilli()}
		for _, k := range kinds {
			args = append(args, k)
		}
		args = append(args, max)
		rows, err := tx.Query(ctx, `UPDATE jobs SET state = 'running', lease = ?, owner = ?, run_at = ?, attempts = attempts + 1, updated = ?
WHERE id IN (SELECT id FROM jobs WHERE state IN ('waiting', 'running') AND run_at <= ? AND kind IN (`+in+`)
    ORDER BY run_at, id LIMIT ?`+s.d.skipLocked()+`)
RETURNING id, kind, unique_key, payload, secret, attempts, max_attempts, planned, started_by, version`, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			j := &ClaimedJob{Lease: lease}
			var key sql.NullString
			var by sql.NullInt64
			var planned int64
			if err := rows.Scan(&j.ID, &j.Kind, &key, &j.Payload, &j.Secret, &j.Attempt, &j.MaxAttempts, &planned, &by, &j.version); err != nil {
				return err
			}
			j.Key, j.StartedBy, j.Planned = key.String, by.Int64, time.UnixMilli(planned)
			out = append(out, j)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("store.ClaimJobs: %w", err)
	}
	return out, nil
}

// ErrLeaseLost is returned by the calls of a runner whose lease on a job
// is gone: it ran out and another runner took the job, or the job was
// cancelled. What the runner did is then not recorded.
var ErrLeaseLost = errors.New("store: job lease lost")

// JobHeartbeat extends a running job's lease to until and records its
// progress (done of total, and a message for people).
func (s *Store) JobHeartbeat(ctx context.Context, id int64, lease string, until time.Time, done, total int64, msg string) error {
	res, err := s.exec(ctx, `UPDATE jobs SET run_at = ?, progress_done = ?, progress_total = ?, progress_msg = ?, updated = ?
WHERE id = ? AND lease = ? AND state = 'running'`, until.UnixMilli(), done, total, msg, s.now().UnixMilli(), id, lease)
	if err != nil {
		return fmt.Errorf("store.JobHeartbeat: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrLeaseLost
	}
	return nil
}

// JobOutcome is how a run ended.
type JobOutcome struct {
	// Err is the handler's error, nil on success. Its text is kept for
	// people to read (internal/jobs makes it safe).
	Err string
	// Final, with Err, fails the job now (a permanent error, or the last
	// attempt); otherwise it is retried at RetryAt.
	Final   bool
	RetryAt time.Time
	// Next, when set, re-arms the job for its next run (periodic jobs)
	// instead of ending it; its attempts start again.
	Next time.Time
	// Result is a reference to what the job made (a stored file).
	Result string
	// Released puts the job back as it was before this attempt: the run was
	// interrupted by a shutdown, not by a failure.
	Released bool
}

// FinishJob records how a run of a claimed job ended. A job re-planned
// while it ran (its version changed) is waiting again at its new time,
// whatever the outcome. A job that ends for good (done, failed) loses its
// secret.
func (s *Store) FinishJob(ctx context.Context, j *ClaimedJob, o JobOutcome) error {
	err := s.Transact(ctx, func(tx *Tx) error {
		var version, planned int64
		err := tx.QueryRow(ctx, `SELECT version, planned FROM jobs WHERE id = ? AND lease = ? AND state = 'running'`, j.ID, j.Lease).Scan(&version, &planned)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrLeaseLost
		} else if err != nil {
			return err
		}
		now := tx.now().UnixMilli()
		var errAt any
		if o.Err != "" {
			errAt = now
		}
		switch {
		case version != j.version:
			// Re-planned during the run: the new plan wins.
			_, err = tx.Exec(ctx, `UPDATE jobs SET state = 'waiting', lease = NULL, run_at = planned, attempts = 0, updated = ?,
    last_error = ?, error_at = ? WHERE id = ?`, now, o.Err, errAt, j.ID)
		case o.Released:
			_, err = tx.Exec(ctx, `UPDATE jobs SET state = 'waiting', lease = NULL, run_at = ?, attempts = attempts - 1, updated = ? WHERE id = ?`,
				now, now, j.ID)
		case !o.Next.IsZero():
			_, err = tx.Exec(ctx, `UPDATE jobs SET state = 'waiting', lease = NULL, planned = ?, run_at = ?, attempts = 0, updated = ?,
    last_error = ?, error_at = ?, finished = ?, result = ? WHERE id = ?`,
				o.Next.UnixMilli(), o.Next.UnixMilli(), now, o.Err, errAt, now, o.Result, j.ID)
		case o.Err == "":
			_, err = tx.Exec(ctx, `UPDATE jobs SET state = 'done', lease = NULL, updated = ?, finished = ?, result = ?,
    erased = (secret IS NOT NULL), secret = NULL,
    progress_done = CASE WHEN progress_total > 0 THEN progress_total ELSE progress_done END WHERE id = ?`, now, now, o.Result, j.ID)
		case o.Final || j.Attempt >= j.MaxAttempts:
			_, err = tx.Exec(ctx, `UPDATE jobs SET state = 'failed', lease = NULL, updated = ?, finished = ?, last_error = ?, error_at = ?,
    erased = (secret IS NOT NULL), secret = NULL WHERE id = ?`, now, now, o.Err, now, j.ID)
		default:
			_, err = tx.Exec(ctx, `UPDATE jobs SET state = 'waiting', lease = NULL, run_at = ?, updated = ?, last_error = ?, error_at = ? WHERE id = ?`,
				o.RetryAt.UnixMilli(), now, o.Err, now, j.ID)
		}
		return err
	})
	if errors.Is(err, ErrLeaseLost) {
		return ErrLeaseLost
	} else if err != nil {
		return fmt.Errorf("store.FinishJob: %w", err)
	}
	return nil
}

// JobInfo is a job as the status pages and progress pages show it. It
// never carries the job's secret.
type JobInfo struct {
	ID                   int64
	Kind, Key, State     string
	Payload              []byte
	Attempts, MaxAttempt int
	Planned, RunAt       time.Time
	Owner                string
	StartedBy            int64
	LastError            string
	ErrorAt              time.Time
	Done, Total          int64
	Message              string
	Result               string
	// Erased: the job had a secret, erased when it ended.
	Erased                     bool
	Created, Updated, Finished time.Time
}

const jobInfoCols = `id, kind, unique_key, state, payload, attempts, max_attempts, planned, run_at, owner, started_by, last_error, error_at,
    progress_done, progress_total, progress_msg, result, erased, created, updated, finished`

func scanJobInfo(sc interface{ Scan(...any) error }) (*JobInfo, error) {
	var j JobInfo
	var key sql.NullString
	var by, errAt, fin sql.NullInt64
	var planned, runAt, created, updated int64
	if err := sc.Scan(&j.ID, &j.Kind, &key, &j.State, &j.Payload, &j.Attempts, &j.MaxAttempt, &planned, &runAt, &j.Owner, &by, &j.LastError, &errAt,
		&j.Done, &j.Total, &j.Message, &j.Result, &j.Erased, &created, &updated, &fin); err != nil {
		return nil, err
	}
	j.Key, j.StartedBy = key.String, by.Int64
	j.Planned, j.RunAt, j.Created, j.Updated = time.UnixMilli(planned), time.UnixMilli(runAt), time.UnixMilli(created), time.UnixMilli(updated)
	j.ErrorAt, j.Finished = fromMS(errAt), fromMS(fin)
	return &j, nil
}

// FindJob returns a job by id, ENOTFOUND if there is none. Callers that
// show a job to a person check that it is theirs (StartedBy, or what the
// payload names).
func (s *Store) FindJob(ctx context.Context, id int64) (*JobInfo, error) {
	j, err := scanJobInfo(s.queryRow(ctx, `SELECT `+jobInfoCols+` FROM jobs WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, homthu.Errorf(homthu.ENOTFOUND, "Không tìm thấy tác vụ này.")
	} else if err != nil {
		return nil, fmt.Errorf("store.FindJob: %w", err)
	}
	return j, nil
}

// FindJobByKey returns the job of the kind with the key, ENOTFOUND if
// there is none.
func (s *Store) FindJobByKey(ctx context.Context, kind, key string) (*JobInfo, error) {
	j, err := scanJobInfo(s.queryRow(ctx, `SELECT `+jobInfoCols+` FROM jobs WHERE kind = ? AND unique_key = ?`, kind, key))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, homthu.Errorf(homthu.ENOTFOUND, "Không tìm thấy tác vụ này.")
	} else if err != nil {
		return nil, fmt.Errorf("store.FindJobByKey: %w", err)
	}
	return j, nil
}

// JobFilter selects jobs for a list.
type JobFilter struct {
	// KindPrefix selects kinds that start with it ("mail." for the mail
	// queue); empty selects all.
	KindPrefix string
	// State selects one state; empty selects all. "failing" selects
	// waiting jobs whose last attempt failed.
	State string
	// Before is the id the page starts below (keyset pagination, newest
	// first); 0 starts at the newest.
	Before int64
	// Limit bounds the page: 1 to 200, default 50.
	Limit int
}

// ListJobs returns a page of jobs, newest first, and the Before of the next
// page (0 at the end).
func (s *Store) ListJobs(ctx context.Context, f JobFilter) ([]*JobInfo, int64, error) {
	limit := f.Limit
	if limit <= 0 || limit > 200 {
		limit = 50
	}
	kw, args := kindPrefix(f.KindPrefix)
	q := `SELECT ` + jobInfoCols + ` FROM jobs WHERE ` + kw
	switch f.State {
	case "":
	case "failing":
		q += ` AND state = 'waiting' AND last_error <> ''`
	case JobWaiting, JobRunning, JobDone, JobFailed, JobCancelled:
		q += ` AND state = ?`
		args = append(args, f.State)
	default:
		return nil, 0, homthu.Errorf(homthu.EINVALID, "Trạng thái tác vụ %q không có.", f.State)
	}
	if f.Before > 0 {
		q += ` AND id < ?`
		args = append(args, f.Before)
	}
	q += ` ORDER BY id DESC LIMIT ?`
	args = append(args, limit+1)
	rows, err := s.query(ctx, q, args...)
	if err != nil {
		return nil, 0, fmt.Errorf("store.ListJobs: %w", err)
	}
	defer rows.Close()
	var out []*JobInfo
	for rows.Next() {
		j, err := scanJobInfo(rows)
		if err != nil {
			return nil, 0, fmt.Errorf("store.ListJobs: %w", err)
		}
		out = append(out, j)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("store.ListJobs: %w", err)
	}
	var next int64
	if len(out) > limit {
		out = out[:limit]
		next = out[limit-1].ID
	}
	return out, next, nil
}

// JobKindStats are the counts of one kind of job.
type JobKindStats struct {
	Kind string
	// Waiting counts jobs not yet run or waiting for a retry; Failing those
	// of them whose last attempt failed.
	Waiting, Failing, Running, Done, Failed, Cancelled int
	// LastSuccess is when a job of the kind last ended well; LastErrorAt
	// and LastError the latest error recorded.
	LastSuccess, LastErrorAt time.Time
	LastError                string
	// OldestWaiting is the planned time of the oldest job still waiting.
	OldestWaiting time.Time
}

// JobStats returns the counts per kind of the kinds that start with
// prefix ("" for every kind), in kind order.
func (s *Store) JobStats(ctx context.Context, prefix string) ([]JobKindStats, error) {
	kw, args := kindPrefix(prefix)
	rows, err := s.query(ctx, `SELECT kind,
    SUM(CASE WHEN state = 'waiting' THEN 1 ELSE 0 END),
    SUM(CASE WHEN state = 'waiting' AND last_error <> '' THEN 1 ELSE 0 END),
    SUM(CASE WHEN state = 'running' THEN 1 ELSE 0 END),
    SUM(CASE WHEN state = 'done' THEN 1 ELSE 0 END),
    SUM(CASE WHEN state = 'failed' THEN 1 ELSE 0 END),
    SUM(CASE WHEN state = 'cancelled' THEN 1 ELSE 0 END),
    MAX(CASE WHEN state = 'done' THEN finished END),
    MAX(error_at),
    MIN(CASE WHEN state = 'waiting' THEN planned END)
FROM jobs WHERE `+kw+` GROUP BY kind ORDER BY kind`, args...)
	if err != nil {
		return nil, fmt.Errorf("store.JobStats: %w", err)
	}
	var out []JobKindStats
	for rows.Next() {
		var k JobKindStats
		var ok, errAt, oldest sql.NullInt64
		if err := rows.Scan(&k.Kind, &k.Waiting, &k.Failing, &k.Running, &k.Done, &k.Failed, &k.Cancelled, &ok, &errAt, &oldest); err != nil {
			rows.Close()
			return nil, fmt.Errorf("store.JobStats: %w", err)
		}
		k.LastSuccess, k.LastErrorAt, k.OldestWaiting = fromMS(ok), fromMS(errAt), fromMS(oldest)
		out = append(out, k)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store.JobStats: %w", err)
	}
	for i := range out {
		if out[i].LastErrorAt.IsZero() {
			continue
		}
		err := s.queryRow(ctx, `SELECT last_error FROM jobs WHERE kind = ? AND error_at = ? ORDER BY id DESC LIMIT 1`,
			out[i].Kind, out[i].LastErrorAt.UnixMilli()).Scan(&out[i].LastError)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return nil, fmt.Errorf("store.JobStats: %w", err)
		}
	}
	return out, nil
}

// RetryJobsNow makes every waiting job of the kinds that start with prefix
// due now (an administrator fixed the mail server and does not want to wait
// for the next retry), and returns how many.
func (s *Store) RetryJobsNow(ctx context.Context, prefix string) (int, error) {
	var n int64
	err := s.Transact(ctx, func(tx *Tx) error {
		now := tx.now().UnixMilli()
		kw, kargs := kindPrefix(prefix)
		res, err := tx.Exec(ctx, `UPDATE jobs SET run_at = ?, updated = ? WHERE state = 'waiting' AND run_at > ? AND `+kw,
			append([]any{now, now, now}, kargs...)...)
		if err != nil {
			return err
		}
		n, _ = res.RowsAffected()
		tx.jobs = n > 0
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("store.RetryJobsNow: %w", err)
	}
	return int(n), nil
}

// RetryFailedJob puts a failed job back in the queue with fresh attempts.
// A job whose secret was erased when it failed (a mail's address) cannot
// run again: ECONFLICT.
func (s *Store) RetryFailedJob(ctx context.Context, id int64) error {
	err := s.Transact(ctx, func(tx *Tx) error {
		var state string
		var erased bool
		err := tx.QueryRow(ctx, `SELECT state, erased FROM jobs WHERE id = ?`, id).Scan(&state, &erased)
		if errors.Is(err, sql.ErrNoRows) {
			return homthu.Errorf(homthu.ENOTFOUND, "Không tìm thấy tác vụ này.")
		} else if err != nil {
			return err
		}
		if state != JobFailed {
			return homthu.Errorf(homthu.ECONFLICT, "Chỉ chạy lại được tác vụ đã thất bại.")
		}
		if erased {
			return homthu.Errorf(homthu.ECONFLICT, "Không chạy lại được: dữ liệu bảo mật của tác vụ (ví dụ địa chỉ người nhận) đã được xóa khi tác vụ thất bại hẳn.")
		}
		now := tx.now().UnixMilli()
		_, err = tx.Exec(ctx, `UPDATE jobs SET state = 'waiting', attempts = 0, run_at = ?, planned = ?, finished = NULL, updated = ? WHERE id = ?`,
			now, now, now, id)
		tx.jobs = true
		return err
	})
	if err != nil {
		return fmt.Errorf("store.RetryFailedJob: %w", err)
	}
	return nil
}

// PurgeJobs deletes jobs that ended well (done, cancelled) before doneBefore
// and failed jobs that ended before failedBefore, and returns how many. A
// failed job stays visible for the longer period; a waiting or running job
// is never purged.
func (s *Store) PurgeJobs(ctx context.Context, doneBefore, failedBefore time.Time) (int, error) {
	res, err := s.exec(ctx, `DELETE FROM jobs WHERE finished IS NOT NULL AND
    ((state IN ('done', 'cancelled') AND finished < ?) OR (state = 'failed' AND finished < ?))`, doneBefore.UnixMilli(), failedBefore.UnixMilli())
	if err != nil {
		return 0, fmt.Errorf("store.PurgeJobs: %w", err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}

// kindPrefix is the condition that selects the kinds starting with prefix
// (every kind for "").
func kindPrefix(prefix string) (string, []any) {
	if prefix == "" {
		return "1 = 1", nil
	}
	return "substr(kind, 1, ?) = ?", []any{len(prefix), prefix}
}
