package jobs

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	mrand "math/rand/v2"
	"os"
	"runtime/debug"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"homthu/internal/store"
)

// Handler runs one job. It returns nil when the job is done; an error
// retries it later (Permanent: fails it now). ctx ends when the runner
// shuts down or the job's lease is lost; a handler that returns ctx's
// error then is not counted as a failure.
type Handler func(ctx context.Context, j *Job) error

// Options configure a Runner. The zero value of each field is its default.
type Options struct {
	// Workers is how many jobs run at once, default 4.
	Workers int
	// Lease is how long a claimed job is held without a heartbeat, default
	// 2 minutes: a job whose process died is taken again after that long.
	// The heartbeat extends it every Lease/3 while the handler runs.
	Lease time.Duration
	// MaxIdle is the longest a runner sleeps between looks at the queue
	// when it knows of nothing due sooner, default 30 s. It bounds how late
	// a job enqueued by another process (another serve on PostgreSQL, a
	// command) is noticed; an enqueue in this process wakes it at once.
	MaxIdle time.Duration
	// Grace is how long a shutdown waits for running handlers before it
	// cancels their context, default 10 s.
	Grace time.Duration
	// Name identifies this process in the jobs it holds (the status page
	// shows it), default host:pid.
	Name string
	// Log receives failures and warnings; nil means slog.Default().
	Log *slog.Logger
	// Backoff is the wait before retry n; nil means Backoff.
	Backoff func(attempt int) time.Duration
	// Now is the clock, for tests; nil means time.Now.
	Now func() time.Time
}

// Runner runs the registered handlers on the jobs of a store.
type Runner struct {
	s        *store.Store
	o        Options
	log      *slog.Logger
	handlers map[string]Handler
	periodic map[string]Recurrence
	labels   map[string]string
	started  atomic.Bool

	looks, claims, runs, failures atomic.Int64

	mu      sync.Mutex
	ensured map[string]bool
}

// PeriodicKey is the key of the one job of a periodic kind.
const PeriodicKey = "periodic"

// New returns a runner of the jobs in s.
func New(s *store.Store, o Options) *Runner {
	if o.Workers <= 0 {
		o.Workers = 4
	}
	if o.Lease <= 0 {
		o.Lease = 2 * time.Minute
	}
	if o.MaxIdle <= 0 {
		o.MaxIdle = 30 * time.Second
	}
	if o.Grace <= 0 {
		o.Grace = 10 * time.Second
	}
	if o.Name == "" {
		host, _ := os.Hostname()
		o.Name = fmt.Sprintf("%s:%d", host, os.Getpid())
	}
	if o.Backoff == nil {
		o.Backoff = Backoff
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	log := o.Log
	if log == nil {
		log = slog.Default()
	}
	return &Runner{s: s, o: o, log: log, handlers: map[string]Handler{}, periodic: map[string]Recurrence{}, labels: map[string]string{}, ensured: map[string]bool{}}
}

// Handle registers the handler of a kind. It must be called before Run;
// registering a kind twice is a programming error and panics.
func (r *Runner) Handle(kind string, h Handler) {
	if r.started.Load() {
		panic("jobs.Runner.Handle(" + kind + ") after Run")
	}
	if !store.ValidJobKind(kind) {
		panic("jobs.Runner.Handle: bad kind " + kind)
	}
	if _, ok := r.handlers[kind]; ok {
		panic("jobs.Runner.Handle: kind " + kind + " registered twice")
	}
	r.handlers[kind] = h
}

// Periodic registers a handler that runs at every time of the recurrence,
// e.g. Periodic("deadlines.sweep", Daily(7, 0), h). The kind has one job
// (key PeriodicKey), shared by every process on the database: each run
// happens once, in one of them. A run missed while no process was up
// happens once when one starts, not once per missed time. A run that fails
// is retried with backoff; after its last attempt the error stays visible
// and the job waits for its next time.
func (r *Runner) Periodic(kind string, rec Recurrence, h Handler) {
	r.Handle(kind, h)
	r.periodic[kind] = rec
}

// SetLabel names a kind in Vietnamese for the status page ("Nhắc mở hòm
// thư"). Call it before Run.
func (r *Runner) SetLabel(kind, label string) {
	if r.started.Load() {
		panic("jobs.Runner.SetLabel(" + kind + ") after Run")
	}
	r.labels[kind] = label
}

// Label is the Vietnamese name of a kind, or the kind itself.
func (r *Runner) Label(kind string) string {
	if l, ok := r.labels[kind]; ok {
		return l
	}
	return kind
}

// Handles reports whether this runner has a handler for the kind.
func (r *Runner) Handles(kind string) bool {
	_, ok := r.handlers[kind]
	return ok
}

// Kinds returns the registered kinds, sorted.
func (r *Runner) Kinds() []string {
	out := make([]string, 0, len(r.handlers))
	for k := range r.handlers {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Recurrence returns the recurrence of a periodic kind, nil for others.
func (r *Runner) Recurrence(kind string) Recurrence { return r.periodic[kind] }

// Stats count what a runner did since it was made.
type Stats struct {
	// Looks are the reads "when is the next job due?" (the idle cost).
	Looks int64
	// Claims are the write transactions that claimed jobs.
	Claims int64
	// Runs are handler runs; Failures those that returned an error.
	Runs, Failures int64
}

// Stats returns the runner's counters.
func (r *Runner) Stats() Stats {
	return Stats{Looks: r.looks.Load(), Claims: r.claims.Load(), Runs: r.runs.Load(), Failures: r.failures.Load()}
}

// minIdle is the first wait after a look that found nothing; waits double
// up to MaxIdle while nothing happens.
const minIdle = time.Second

// Run runs jobs until ctx ends, then waits for the running handlers (their
// context is cancelled after Grace) and returns. It returns nil on a
// shutdown; database errors are logged and retried, never fatal.
func (r *Runner) Run(ctx context.Context) error {
	if r.started.Swap(true) {
		return errors.New("jobs.Runner.Run: already running")
	}
	kinds := r.Kinds()
	if len(kinds) == 0 {
		<-ctx.Done()
		return nil
	}
	workCtx, stopWork := context.WithCancel(context.WithoutCancel(ctx))
	defer stopWork()
	var wg sync.WaitGroup
	var busy atomic.Int64
	finished := make(chan struct{}, r.o.Workers)
	idle := minIdle
	for ctx.Err() == nil {
		if len(r.periodic) > 0 {
			r.ensurePeriodic(ctx)
		}
		wake := r.s.JobSignal()
		wait := r.o.MaxIdle
		if free := int(int64(r.o.Workers) - busy.Load()); free > 0 {
			now := r.o.Now()
			at, ok, err := r.s.JobDue(ctx, kinds)
			r.looks.Add(1)
			switch {
			case err != nil:
				if ctx.Err() == nil {
					r.log.Error("jobs: look for due jobs", "err", err)
				}
				wait, idle = idle, min(idle*2, r.o.MaxIdle)
			case ok && !at.After(now):
				js, err := r.s.ClaimJobs(ctx, kinds, free, r.o.Name, token(), now, r.o.Lease)
				r.claims.Add(1)
				if err != nil {
					if ctx.Err() == nil {
						r.log.Error("jobs: claim", "err", err)
					}
					wait, idle = idle, min(idle*2, r.o.MaxIdle)
					break
				}
				for _, c := range js {
					busy.Add(1)
					wg.Add(1)
					go func() {
						defer wg.Done()
						r.run(workCtx, c)
						busy.Add(-1)
						select {
						case finished <- struct{}{}:
						default: // the loop will look anyway
						}
					}()
				}
				idle = minIdle
				if len(js) > 0 {
					continue // more may be due
				}
				// Another process took them first: look again soon.
				wait = minIdle
			case ok:
				wait, idle = min(at.Sub(now), r.o.MaxIdle), minIdle
			default:
				wait, idle = idle, min(idle*2, r.o.MaxIdle)
			}
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
		case <-wake:
			idle = minIdle
		case <-finished:
		case <-t.C:
		}
		t.Stop()
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(r.o.Grace):
		stopWork()
		<-done
	}
	return nil
}

// ensurePeriodic makes sure each periodic kind has its job, planned at its
// next time; it is retried on every loop until it worked once per kind.
func (r *Runner) ensurePeriodic(ctx context.Context) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for kind, rec := range r.periodic {
		if r.ensured[kind] {
			continue
		}
		err := r.s.Transact(ctx, func(tx *store.Tx) error {
			_, _, err := store.EnqueueJob(ctx, tx, store.NewJob{Kind: kind, Key: PeriodicKey, Payload: []byte("{}"),
				RunAt: rec.Next(r.o.Now()), MaxAttempts: 5})
			return err
		})
		if err != nil {
			if ctx.Err() == nil {
				r.log.Error("jobs: plan periodic job", "kind", kind, "err", err)
			}
			continue
		}
		r.ensured[kind] = true
	}
}

// token returns a fresh lease token (128 bits).
func token() string { return rand.Text() }

// worker is the runner's side of one running job.
type worker struct {
	r      *Runner
	c      *store.ClaimedJob
	cancel context.CancelCauseFunc

	mu          sync.Mutex
	done, total int64
	msg, result string
	written     time.Time
	lost        bool
}

// maxErrorRunes bounds the error text kept with a job.
const maxErrorRunes = 1000

// run runs one claimed job and records its outcome.
func (r *Runner) run(workCtx context.Context, c *store.ClaimedJob) {
	ctx, cancel := context.WithCancelCause(workCtx)
	defer cancel(nil)
	w := &worker{r: r, c: c, cancel: cancel}
	j := &Job{ID: c.ID, Kind: c.Kind, Key: c.Key, Payload: c.Payload, Secret: c.Secret, Attempt: c.Attempt,
		MaxAttempts: c.MaxAttempts, Planned: c.Planned, StartedBy: c.StartedBy, w: w}
	hbDone := make(chan struct{})
	hbStop := make(chan struct{})
	go func() {
		defer close(hbDone)
		t := time.NewTicker(r.o.Lease / 3)
		defer t.Stop()
		for {
			select {
			case <-hbStop:
				return
			case <-t.C:
				w.heartbeat(ctx)
			}
		}
	}()
	r.runs.Add(1)
	err := r.call(ctx, j)
	close(hbStop)
	<-hbDone

	w.mu.Lock()
	lost, result := w.lost, w.result
	w.mu.Unlock()
	if lost || errors.Is(context.Cause(ctx), store.ErrLeaseLost) {
		r.log.Warn("jobs: lease lost; the job's outcome is not recorded", "kind", c.Kind, "job", c.ID)
		return
	}
	var o store.JobOutcome
	shutdown := workCtx.Err() != nil
	switch {
	case err == nil:
		o.Result = result
		if rec := r.periodic[c.Kind]; rec != nil {
			o.Next = rec.Next(r.o.Now())
		}
	case shutdown && ctx.Err() != nil:
		o.Released = true
	default:
		r.failures.Add(1)
		o.Err = errorText(err)
		o.Final = IsPermanent(err) || c.Attempt >= c.MaxAttempts
		if rec := r.periodic[c.Kind]; rec != nil && o.Final {
			o.Next = rec.Next(r.o.Now())
		} else if !o.Final {
			d := r.o.Backoff(c.Attempt)
			d += time.Duration(mrand.Int64N(int64(d)/5 + 1)) // up to 20% later, so that retries spread
			o.RetryAt = r.o.Now().Add(d)
		}
		level := slog.LevelWarn
		if o.Final {
			level = slog.LevelError
		}
		r.log.Log(context.Background(), level, "jobs: job failed", "kind", c.Kind, "job", c.ID, "attempt", c.Attempt,
			"of", c.MaxAttempts, "final", o.Final && o.Next.IsZero(), "err", o.Err)
	}
	// Record the outcome even during a shutdown: the store closes after the
	// runner returns.
	fctx, fcancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer fcancel()
	if err := r.s.FinishJob(fctx, c, o); errors.Is(err, store.ErrLeaseLost) {
		r.log.Warn("jobs: lease lost before the outcome was recorded", "kind", c.Kind, "job", c.ID)
	} else if err != nil {
		r.log.Error("jobs: record outcome; the job runs again when its lease ends", "kind", c.Kind, "job", c.ID, "err", err)
	}
}

// call runs the handler, turning a panic into an error.
func (r *Runner) call(ctx context.Context, j *Job) (err error) {
	defer func() {
		if p := recover(); p != nil {
			r.log.Error("jobs: handler panicked", "kind", j.Kind, "job", j.ID, "panic", p, "stack", string(debug.Stack()))
			err = fmt.Errorf("lỗi nghiêm trọng trong tác vụ (panic): %v", p)
		}
	}()
	return r.handlers[j.Kind](ctx, j)
}

// errorText is the text kept with a failed job: one line, bounded.
func errorText(err error) string {
	s := strings.Join(strings.Fields(err.Error()), " ")
	if s == "" {
		s = "lỗi không rõ"
	}
	if utf8.RuneCountInString(s) > maxErrorRunes {
		s = string([]rune(s)[:maxErrorRunes]) + "…"
	}
	return s
}

// heartbeat extends the lease and writes the latest progress.
func (w *worker) heartbeat(ctx context.Context) {
	w.mu.Lock()
	done, total, msg := w.done, w.total, w.msg
	w.mu.Unlock()
	w.write(ctx, done, total, msg)
}

func (w *worker) write(ctx context.Context, done, total int64, msg string) error {
	err := w.r.s.JobHeartbeat(ctx, w.c.ID, w.c.Lease, w.r.o.Now().Add(w.r.o.Lease), done, total, msg)
	if errors.Is(err, store.ErrLeaseLost) {
		w.mu.Lock()
		w.lost = true
		w.mu.Unlock()
		w.cancel(store.ErrLeaseLost)
		return err
	} else if err != nil && ctx.Err() == nil {
		w.r.log.Error("jobs: heartbeat", "kind", w.c.Kind, "job", w.c.ID, "err", err)
	}
	w.mu.Lock()
	w.written = w.r.o.Now()
	w.mu.Unlock()
	return nil
}

func (w *worker) progress(ctx context.Context, done, total int64, msg string) error {
	w.mu.Lock()
	if w.lost {
		w.mu.Unlock()
		return store.ErrLeaseLost
	}
	w.done, w.total, w.msg = done, total, msg
	due := w.r.o.Now().Sub(w.written) >= time.Second || done == total
	w.mu.Unlock()
	if !due {
		return nil
	}
	return w.write(ctx, done, total, msg)
}

func (w *worker) setResult(ref string) {
	w.mu.Lock()
	w.result = ref
	w.mu.Unlock()
}
