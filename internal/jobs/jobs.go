// Package jobs runs homthu's durable background jobs: mail, reminders of
// mailbox openings, deadline sweeps, long reports. A job is a row of the
// database (internal/store, table jobs), written in the same transaction as
// the change that causes it, so that a job exists if and only if its cause
// was committed, and survives any restart.
//
// A Runner, started by `homthu serve`, runs the handlers registered by
// kind. It claims due jobs under a lease, which its heartbeat extends while
// a handler runs; a job whose process died is claimed again when its lease
// runs out. Several `homthu serve` on one PostgreSQL database claim
// disjoint jobs (FOR UPDATE SKIP LOCKED). A failed attempt is retried with
// exponential backoff up to the job's maximum, after which the job stays in
// the table as failed, visible on the status page, until an administrator
// runs it again or the retention period ends (never deleted silently).
//
// An idle runner costs one indexed read every MaxIdle (30 s) and never
// takes SQLite's one writer: it sleeps until the next job is due, and an
// enqueue in this process wakes it at once.
//
// Delivery is at least once: a handler whose process dies after its work
// but before the runner recorded it runs again. Handlers make their effect
// idempotent where a repeat would matter (a mail is sent twice at worst;
// a notice has a key).
package jobs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"homthu/internal/store"
)

// Opt are the options of a job at enqueue.
type Opt struct {
	// Key names the job among the jobs of its kind (see store.NewJob.Key).
	Key string
	// At is when the job should run; zero means now.
	At time.Time
	// MaxAttempts bounds the attempts; 0 means store.DefaultMaxAttempts (10).
	MaxAttempts int
	// Secret is sealed data, erased from the database when the job ends.
	Secret []byte
	// StartedBy is the staff account that asked for the job, 0 for the system.
	StartedBy int64
}

func newJob(kind string, payload any, o Opt) (store.NewJob, error) {
	b, err := json.Marshal(payload)
	if err != nil {
		return store.NewJob{}, fmt.Errorf("jobs: payload of %s: %w", kind, err)
	}
	return store.NewJob{Kind: kind, Key: o.Key, Payload: b, Secret: o.Secret, RunAt: o.At, MaxAttempts: o.MaxAttempts, StartedBy: o.StartedBy}, nil
}

// Enqueue adds a job of the kind with payload (as JSON) in tx. With a key
// that a job of the kind already has, in any state, nothing changes and
// created is false: enqueuing "remind area X of May" twice sends one
// reminder.
func Enqueue(ctx context.Context, tx *store.Tx, kind string, payload any, o Opt) (id int64, created bool, err error) {
	j, err := newJob(kind, payload, o)
	if err != nil {
		return 0, false, err
	}
	return store.EnqueueJob(ctx, tx, j)
}

// Schedule adds the job with o.Key (required) or re-plans the job of the
// kind with that key, whatever its state, to run at o.At with payload: a
// deadline moved, a reminder planned again. A run in progress finishes and
// the job then runs again at the new time.
func Schedule(ctx context.Context, tx *store.Tx, kind string, payload any, o Opt) (int64, error) {
	j, err := newJob(kind, payload, o)
	if err != nil {
		return 0, err
	}
	return store.ScheduleJob(ctx, tx, j)
}

// Cancel cancels the job of the kind with the key, if it has not ended,
// and reports whether there was one.
func Cancel(ctx context.Context, tx *store.Tx, kind, key string) (bool, error) {
	return store.CancelJob(ctx, tx, kind, key)
}

// Job is a claimed job, as a handler gets it.
type Job struct {
	ID        int64
	Kind, Key string
	// Payload is the job's payload (JSON when enqueued through this
	// package); Decode reads it.
	Payload []byte
	// Secret is the sealed data given at enqueue, nil if none.
	Secret []byte
	// Attempt is 1 on the first run; MaxAttempts the last one.
	Attempt, MaxAttempts int
	// Planned is when the job was meant to run.
	Planned time.Time
	// StartedBy is the account that asked for the job, 0 for the system.
	StartedBy int64

	w *worker
}

// Decode unmarshals the JSON payload into v. A payload that does not
// decode is a permanent error: running the job again cannot fix it.
func (j *Job) Decode(v any) error {
	if err := json.Unmarshal(j.Payload, v); err != nil {
		return Permanent(fmt.Errorf("jobs: payload of %s job %d: %w", j.Kind, j.ID, err))
	}
	return nil
}

// Progress records how far the job is (done of total, with a message for
// people: "Đã tổng hợp 12/129 xã"), for the pages that show it. It writes
// at most once a second (the runner's heartbeat carries the latest values
// too), and always when done == total. It returns store.ErrLeaseLost if
// the job was taken away (cancelled, or retaken after a stall): the
// handler should then stop.
func (j *Job) Progress(ctx context.Context, done, total int64, msg string) error {
	return j.w.progress(ctx, done, total, msg)
}

// SetResult records a reference to what the job made (a stored file), kept
// with the job when it succeeds.
func (j *Job) SetResult(ref string) { j.w.setResult(ref) }

// permanent marks an error that retrying cannot fix.
type permanent struct{ err error }

func (p permanent) Error() string { return p.err.Error() }
func (p permanent) Unwrap() error { return p.err }

// Permanent wraps err so that the job fails at once instead of being
// retried: bad input, a payload that does not decode, an address refused
// by the mail server for good.
func Permanent(err error) error {
	if err == nil {
		return nil
	}
	return permanent{err}
}

// IsPermanent reports whether err was wrapped by Permanent.
func IsPermanent(err error) bool {
	var p permanent
	return errors.As(err, &p)
}

// Backoff is the default wait before retry number attempt (1 after the
// first failure): 30 s doubled each time, at most 6 h. With the default 10
// attempts a job is retried over about 8 hours before it fails.
func Backoff(attempt int) time.Duration {
	d := 30 * time.Second
	for i := 1; i < attempt && d < 6*time.Hour; i++ {
		d *= 2
	}
	return min(d, 6*time.Hour)
}

// PurgeKind is the periodic job that deletes old finished jobs.
const PurgeKind = "jobs.purge"

// Retention of finished jobs (PurgeKind): jobs that ended well for 30
// days (the mail status page counts what was sent in that time), failed
// jobs for a year.
const (
	KeepDone   = 30 * 24 * time.Hour
	KeepFailed = 365 * 24 * time.Hour
)

// Purge is the handler of PurgeKind.
func Purge(s *store.Store, now func() time.Time) Handler {
	return func(ctx context.Context, j *Job) error {
		t := now()
		_, err := s.PurgeJobs(ctx, t.Add(-KeepDone), t.Add(-KeepFailed))
		return err
	}
}
