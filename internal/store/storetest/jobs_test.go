package storetest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"homthu/internal/jobs"
	"homthu/internal/store"
)

// quiet is a logger for runners whose failures are the point of a test.
var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// enqueue adds a job in its own transaction.
func enqueue(t testing.TB, s *store.Store, kind string, payload any, o jobs.Opt) int64 {
	t.Helper()
	var id int64
	err := s.Transact(context.Background(), func(tx *store.Tx) error {
		var err error
		id, _, err = jobs.Enqueue(context.Background(), tx, kind, payload, o)
		return err
	})
	if err != nil {
		t.Fatalf("Enqueue(%s): %v", kind, err)
	}
	return id
}

// startRunner runs r until the test ends (or stop is called) and returns stop,
// which waits for Run to return.
func startRunner(t testing.TB, r *jobs.Runner) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- r.Run(ctx) }()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			if err := <-done; err != nil {
				t.Errorf("Runner.Run = %v", err)
			}
		})
	}
	t.Cleanup(stop)
	return stop
}

// waitJob waits until the job is in state (a liveness bound, not a timing).
func waitJob(t testing.TB, s *store.Store, id int64, state string) *store.JobInfo {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		j, err := s.FindJob(context.Background(), id)
		if err != nil {
			t.Fatalf("FindJob(%d): %v", id, err)
		}
		if j.State == state {
			return j
		}
		if time.Now().After(deadline) {
			t.Fatalf("job %d is %s (attempts %d, error %q), want %s", id, j.State, j.Attempts, j.LastError, state)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestJobsUniqueKey(t *testing.T) {
	for _, engine := range Engines() {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			s := Open(t, engine)
			a := enqueue(t, s, "test.remind", map[string]string{"area": "X"}, jobs.Opt{Key: "X:2026-05"})
			b := enqueue(t, s, "test.remind", map[string]string{"area": "X", "again": "1"}, jobs.Opt{Key: "X:2026-05"})
			if a != b {
				t.Errorf("Enqueue with one key twice = jobs %d and %d, want one job", a, b)
			}
			if j, _ := s.FindJob(ctx, a); string(j.Payload) != `{"area":"X"}` {
				t.Errorf("payload after the second Enqueue = %s, want the first one's", j.Payload)
			}
			other := enqueue(t, s, "test.other", nil, jobs.Opt{Key: "X:2026-05"})
			if other == a {
				t.Errorf("the same key of another kind is the same job")
			}
			if c, d := enqueue(t, s, "test.remind", nil, jobs.Opt{}), enqueue(t, s, "test.remind", nil, jobs.Opt{}); c == d {
				t.Errorf("two jobs without a key are one")
			}

			// Schedule re-plans; Cancel cancels; Schedule again brings it back.
			later := time.Now().Add(48 * time.Hour).Truncate(time.Millisecond)
			err := s.Transact(ctx, func(tx *store.Tx) error {
				id, err := jobs.Schedule(ctx, tx, "test.remind", map[string]int{"v": 2}, jobs.Opt{Key: "X:2026-05", At: later})
				if id != a {
					t.Errorf("Schedule of an existing key = job %d, want %d", id, a)
				}
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			j, _ := s.FindJob(ctx, a)
			if !j.Planned.Equal(later) || string(j.Payload) != `{"v":2}` || j.State != store.JobWaiting {
				t.Errorf("after Schedule: planned %v payload %s state %s; want %v {\"v\":2} waiting", j.Planned, j.Payload, j.State, later)
			}
			var cancelled bool
			s.Transact(ctx, func(tx *store.Tx) error {
				cancelled, err = jobs.Cancel(ctx, tx, "test.remind", "X:2026-05")
				return err
			})
			if !cancelled || err != nil {
				t.Fatalf("Cancel = %v, %v", cancelled, err)
			}
			if j := waitJob(t, s, a, store.JobCancelled); j.Finished.IsZero() {
				t.Errorf("a cancelled job has no end time")
			}
			s.Transact(ctx, func(tx *store.Tx) error {
				cancelled, err = jobs.Cancel(ctx, tx, "test.remind", "X:2026-05")
				return err
			})
			if cancelled {
				t.Errorf("Cancel of a cancelled job = true")
			}
			if err := s.Transact(ctx, func(tx *store.Tx) error {
				_, err := jobs.Schedule(ctx, tx, "test.remind", nil, jobs.Opt{Key: "X:2026-05"})
				return err
			}); err != nil {
				t.Fatal(err)
			}
			waitJob(t, s, a, store.JobWaiting)
			if err := s.Transact(ctx, func(tx *store.Tx) error {
				_, err := jobs.Schedule(ctx, tx, "test.remind", nil, jobs.Opt{})
				return err
			}); err == nil {
				t.Errorf("Schedule without a key succeeded")
			}
			for _, kind := range []string{"", "Thư", "mail submitter", string(make([]byte, 65))} {
				if err := s.Transact(ctx, func(tx *store.Tx) error {
					_, _, err := jobs.Enqueue(ctx, tx, kind, nil, jobs.Opt{})
					return err
				}); err == nil {
					t.Errorf("Enqueue(kind %q) succeeded", kind)
				}
			}

			// A rolled-back transaction leaves no job.
			var n int
			s.DB().QueryRowContext(ctx, `SELECT COUNT(*) FROM jobs`).Scan(&n)
			s.Transact(ctx, func(tx *store.Tx) error {
				jobs.Enqueue(ctx, tx, "test.remind", nil, jobs.Opt{})
				return errors.New("the cause failed")
			})
			var m int
			s.DB().QueryRowContext(ctx, `SELECT COUNT(*) FROM jobs`).Scan(&m)
			if m != n {
				t.Errorf("jobs %d → %d after a rolled-back enqueue", n, m)
			}
		})
	}
}

func TestJobsRunAndSurviveRestart(t *testing.T) {
	for _, engine := range Engines() {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			url := URL(t, engine)
			s1, err := store.Open(ctx, url)
			if err != nil {
				t.Fatal(err)
			}
			if err := s1.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			id := enqueue(t, s1, "test.echo", map[string]string{"say": "xin chào"}, jobs.Opt{Key: "echo-1", Secret: []byte("sealed")})
			s1.Close() // the process stops before any runner ran the job

			s2, err := store.Open(ctx, url)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { s2.Close() })
			if err := s2.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			got := make(chan string, 1)
			r := jobs.New(s2, jobs.Options{Log: quiet})
			r.Handle("test.echo", func(ctx context.Context, j *jobs.Job) error {
				var p struct{ Say string }
				if err := j.Decode(&p); err != nil {
					return err
				}
				if string(j.Secret) != "sealed" {
					return jobs.Permanent(fmt.Errorf("secret = %q", j.Secret))
				}
				if err := j.Progress(ctx, 1, 2, "nửa đường"); err != nil {
					return err
				}
				j.SetResult("blob:abc")
				got <- p.Say
				return nil
			})
			startRunner(t, r)
			select {
			case say := <-got:
				if say != "xin chào" {
					t.Errorf("payload after restart = %q", say)
				}
			case <-time.After(20 * time.Second):
				t.Fatal("the job enqueued before the restart never ran")
			}
			j := waitJob(t, s2, id, store.JobDone)
			if j.Result != "blob:abc" || j.Attempts != 1 || j.Done != 2 || j.Total != 2 || j.Message != "nửa đường" {
				t.Errorf("done job: result %q attempts %d progress %d/%d %q", j.Result, j.Attempts, j.Done, j.Total, j.Message)
			}
			var secret []byte
			s2.DB().QueryRowContext(ctx, s2Rebind(engine, `SELECT secret FROM jobs WHERE id = ?`), id).Scan(&secret)
			if secret != nil || !j.Erased {
				t.Errorf("the secret of a done job = %q (erased %v), want erased", secret, j.Erased)
			}
		})
	}
}

// s2Rebind writes a one-placeholder query for the engine's raw pool.
func s2Rebind(engine, q string) string {
	if engine == "postgres" {
		for i := 0; i < len(q); i++ {
			if q[i] == '?' {
				return q[:i] + "$1" + q[i+1:]
			}
		}
	}
	return q
}

// TestJobsWakeOnEnqueue: a runner that would otherwise sleep for an hour
// runs a job as soon as a transaction of its process that enqueued it
// commits — through Transact and through the group commit of Batch.
func TestJobsWakeOnEnqueue(t *testing.T) {
	for _, engine := range Engines() {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			s := Open(t, engine)
			ran := make(chan int64, 2)
			r := jobs.New(s, jobs.Options{MaxIdle: time.Hour, Log: quiet})
			r.Handle("test.wake", func(ctx context.Context, j *jobs.Job) error { ran <- j.ID; return nil })
			startRunner(t, r)
			time.Sleep(50 * time.Millisecond) // let it look once and go to sleep
			for _, via := range []string{"Transact", "Batch"} {
				var id int64
				fn := func(tx *store.Tx) error {
					var err error
					id, _, err = jobs.Enqueue(ctx, tx, "test.wake", nil, jobs.Opt{})
					return err
				}
				var err error
				if via == "Batch" {
					err = s.Batch(ctx, fn)
				} else {
					err = s.Transact(ctx, fn)
				}
				if err != nil {
					t.Fatal(err)
				}
				select {
				case got := <-ran:
					if got != id {
						t.Errorf("%s: ran job %d, want %d", via, got, id)
					}
				case <-time.After(20 * time.Second):
					t.Fatalf("%s: the runner did not wake on enqueue", via)
				}
			}
		})
	}
}

// TestJobsCrashedLease: a job claimed by a process that died (its lease
// ran out, nobody finished it) is taken again by another runner, as a
// second attempt; one that died on its last attempt fails, visibly.
func TestJobsCrashedLease(t *testing.T) {
	for _, engine := range Engines() {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			s := Open(t, engine)
			id := enqueue(t, s, "test.crash", nil, jobs.Opt{})
			last := enqueue(t, s, "test.crash", nil, jobs.Opt{MaxAttempts: 1})
			claimed, err := s.ClaimJobs(ctx, []string{"test.crash"}, 10, "dead-process:1", "dead-lease", time.Now(), 300*time.Millisecond)
			if err != nil || len(claimed) != 2 {
				t.Fatalf("ClaimJobs = %d jobs, %v", len(claimed), err)
			}
			// While the lease runs, nobody else gets the jobs.
			if again, err := s.ClaimJobs(ctx, []string{"test.crash"}, 10, "other", "other-lease", time.Now(), time.Minute); err != nil || len(again) != 0 {
				t.Fatalf("ClaimJobs during the lease = %d jobs, %v; want none", len(again), err)
			}
			ran := make(chan *jobs.Job, 2)
			r := jobs.New(s, jobs.Options{Lease: 300 * time.Millisecond, Log: quiet})
			r.Handle("test.crash", func(ctx context.Context, j *jobs.Job) error { ran <- j; return nil })
			startRunner(t, r)
			select {
			case j := <-ran:
				if j.ID != id || j.Attempt != 2 {
					t.Errorf("retaken job %d attempt %d, want job %d attempt 2", j.ID, j.Attempt, id)
				}
			case <-time.After(20 * time.Second):
				t.Fatal("the crashed job was never retaken")
			}
			waitJob(t, s, id, store.JobDone)
			if j := waitJob(t, s, last, store.JobFailed); j.LastError == "" {
				t.Errorf("a job that died on its last attempt failed without an error text")
			}
			// The dead process's late answer is refused.
			if err := s.FinishJob(ctx, claimed[0], store.JobOutcome{}); !errors.Is(err, store.ErrLeaseLost) {
				t.Errorf("FinishJob with a lost lease = %v, want ErrLeaseLost", err)
			}
		})
	}
}

// TestJobsRetryAndFail: a failing job is retried with backoff up to its
// maximum and then fails, with its error kept and its secret erased; a
// permanent error fails at once; a failed job can be run again unless its
// secret is gone.
func TestJobsRetryAndFail(t *testing.T) {
	for _, engine := range Engines() {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			s := Open(t, engine)
			var mu sync.Mutex
			attempts := map[int64][]int{}
			var backoffs []int
			r := jobs.New(s, jobs.Options{Log: quiet, Backoff: func(n int) time.Duration {
				mu.Lock()
				backoffs = append(backoffs, n)
				mu.Unlock()
				return 10 * time.Millisecond
			}})
			var healed atomic.Bool
			r.Handle("test.flaky", func(ctx context.Context, j *jobs.Job) error {
				mu.Lock()
				attempts[j.ID] = append(attempts[j.ID], j.Attempt)
				mu.Unlock()
				if healed.Load() {
					return nil
				}
				return errors.New("máy chủ thư không trả lời")
			})
			r.Handle("test.bad", func(ctx context.Context, j *jobs.Job) error {
				var v struct{ N int }
				return j.Decode(&v) // the payload is a string: permanent
			})
			flaky := enqueue(t, s, "test.flaky", nil, jobs.Opt{MaxAttempts: 3})
			secret := enqueue(t, s, "test.flaky", nil, jobs.Opt{Key: "with-secret", MaxAttempts: 2, Secret: []byte("địa chỉ")})
			bad := enqueue(t, s, "test.bad", "not an object", jobs.Opt{})
			startRunner(t, r)
			j := waitJob(t, s, flaky, store.JobFailed)
			if j.Attempts != 3 || j.LastError != "máy chủ thư không trả lời" || j.ErrorAt.IsZero() {
				t.Errorf("failed job: attempts %d error %q at %v", j.Attempts, j.LastError, j.ErrorAt)
			}
			mu.Lock()
			if got := fmt.Sprint(attempts[flaky]); got != "[1 2 3]" {
				t.Errorf("attempts = %s, want [1 2 3]", got)
			}
			mu.Unlock()
			if j := waitJob(t, s, bad, store.JobFailed); j.Attempts != 1 {
				t.Errorf("a permanent error was retried: %d attempts", j.Attempts)
			}
			if j := waitJob(t, s, secret, store.JobFailed); !j.Erased {
				t.Errorf("the secret of a job that failed for good was not erased")
			}

			stats, err := s.JobStats(ctx, "test.")
			if err != nil {
				t.Fatal(err)
			}
			if len(stats) != 2 || stats[1].Kind != "test.flaky" || stats[1].Failed != 2 || stats[1].LastError == "" {
				t.Errorf("JobStats = %+v", stats)
			}
			failed, _, err := s.ListJobs(ctx, store.JobFilter{KindPrefix: "test.flaky", State: store.JobFailed})
			if err != nil || len(failed) != 2 {
				t.Errorf("ListJobs(failed) = %d, %v", len(failed), err)
			}

			healed.Store(true)
			if err := s.RetryFailedJob(ctx, flaky); err != nil {
				t.Fatalf("RetryFailedJob: %v", err)
			}
			if j := waitJob(t, s, flaky, store.JobDone); j.Attempts != 1 {
				t.Errorf("the job run again has attempts %d, want 1", j.Attempts)
			}
			if err := s.RetryFailedJob(ctx, secret); err == nil {
				t.Errorf("RetryFailedJob of a job whose secret was erased succeeded")
			}
			if err := s.RetryFailedJob(ctx, flaky); err == nil {
				t.Errorf("RetryFailedJob of a done job succeeded")
			}
		})
	}
}

// TestJobsReplanWhileRunning: a job re-planned while it runs finishes that
// run and then runs again at its new time, with the new payload.
func TestJobsReplanWhileRunning(t *testing.T) {
	for _, engine := range Engines() {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			s := Open(t, engine)
			started, release := make(chan struct{}), make(chan struct{})
			var mu sync.Mutex
			var seen []string
			r := jobs.New(s, jobs.Options{Log: quiet})
			r.Handle("test.deadline", func(ctx context.Context, j *jobs.Job) error {
				var p struct{ V string }
				j.Decode(&p)
				mu.Lock()
				seen = append(seen, p.V)
				first := len(seen) == 1
				mu.Unlock()
				if first {
					close(started)
					<-release
				}
				return nil
			})
			sched := func(v string) int64 {
				var id int64
				err := s.Transact(ctx, func(tx *store.Tx) error {
					var err error
					id, err = jobs.Schedule(ctx, tx, "test.deadline", map[string]string{"V": v}, jobs.Opt{Key: "item-1"})
					return err
				})
				if err != nil {
					t.Fatal(err)
				}
				return id
			}
			id := sched("30 ngày")
			startRunner(t, r)
			<-started
			sched("gia hạn 45 ngày")
			close(release)
			deadline := time.Now().Add(20 * time.Second)
			for {
				mu.Lock()
				n := len(seen)
				mu.Unlock()
				if n == 2 {
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("the re-planned job did not run again: runs %v", seen)
				}
				time.Sleep(10 * time.Millisecond)
			}
			waitJob(t, s, id, store.JobDone)
			mu.Lock()
			defer mu.Unlock()
			if seen[1] != "gia hạn 45 ngày" {
				t.Errorf("second run payload = %q", seen[1])
			}
		})
	}
}

// TestJobsShutdownAndCancel: a handler interrupted by a shutdown gives its
// job back without counting the attempt; a running job that is cancelled
// loses its lease and its handler's context ends.
func TestJobsShutdownAndCancel(t *testing.T) {
	for _, engine := range Engines() {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			s := Open(t, engine)
			started := make(chan int64, 2)
			stopped := make(chan error, 2)
			block := func(ctx context.Context, j *jobs.Job) error {
				started <- j.ID
				<-ctx.Done()
				stopped <- context.Cause(ctx)
				return ctx.Err()
			}
			r := jobs.New(s, jobs.Options{Grace: 50 * time.Millisecond, Log: quiet})
			r.Handle("test.long", block)
			id := enqueue(t, s, "test.long", nil, jobs.Opt{})
			stop := startRunner(t, r)
			<-started
			stop()
			<-stopped
			j, _ := s.FindJob(ctx, id)
			if j.State != store.JobWaiting || j.Attempts != 0 {
				t.Errorf("after a shutdown: state %s attempts %d, want waiting 0", j.State, j.Attempts)
			}

			r2 := jobs.New(s, jobs.Options{Lease: 300 * time.Millisecond, Grace: 50 * time.Millisecond, Log: quiet})
			r2.Handle("test.long", block)
			cancelled := enqueue(t, s, "test.long", nil, jobs.Opt{Key: "report-7"})
			startRunner(t, r2)
			for got := map[int64]bool{}; !got[cancelled]; {
				got[<-started] = true
			}
			s.Transact(ctx, func(tx *store.Tx) error {
				_, err := jobs.Cancel(ctx, tx, "test.long", "report-7")
				return err
			})
			select {
			case cause := <-stopped:
				if !errors.Is(cause, store.ErrLeaseLost) {
					t.Errorf("cancelled handler's context ended with %v, want ErrLeaseLost", cause)
				}
			case <-time.After(20 * time.Second):
				t.Fatal("the handler of a cancelled job kept running")
			}
			waitJob(t, s, cancelled, store.JobCancelled)
		})
	}
}

// TestJobsPeriodic: a periodic kind has one job, shared by every runner,
// that runs at each time of its recurrence and is planned again after each
// run, also after a failed last attempt.
func TestJobsPeriodic(t *testing.T) {
	for _, engine := range Engines() {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			s := Open(t, engine)
			var runs atomic.Int64
			h := func(ctx context.Context, j *jobs.Job) error {
				if runs.Add(1) == 2 {
					return errors.New("lần chạy thứ hai lỗi")
				}
				return nil
			}
			every := soon(100 * time.Millisecond)
			for i := 0; i < 2; i++ { // two runners, as two processes
				r := jobs.New(s, jobs.Options{Log: quiet, Backoff: func(int) time.Duration { return time.Millisecond }})
				r.Periodic("test.sweep", every, h)
				startRunner(t, r)
			}
			deadline := time.Now().Add(20 * time.Second)
			for runs.Load() < 4 {
				if time.Now().After(deadline) {
					t.Fatalf("periodic job ran %d times", runs.Load())
				}
				time.Sleep(10 * time.Millisecond)
			}
			list, _, err := s.ListJobs(ctx, store.JobFilter{KindPrefix: "test.sweep"})
			if err != nil || len(list) != 1 {
				t.Fatalf("periodic kind has %d jobs (%v), want 1", len(list), err)
			}
			if j := list[0]; j.Key != jobs.PeriodicKey || (j.State != store.JobWaiting && j.State != store.JobRunning) {
				t.Errorf("periodic job: key %q state %s", j.Key, j.State)
			}
		})
	}
}

// soon is a recurrence every d from now, for tests.
type soon time.Duration

func (d soon) Next(t time.Time) time.Time { return t.Add(time.Duration(d)) }
func (d soon) String() string             { return "soon" }

// TestJobsDisjointClaims: two runners on one database — two processes on
// PostgreSQL, two pools on one SQLite file — run each of many jobs exactly
// once.
func TestJobsDisjointClaims(t *testing.T) {
	for _, engine := range Engines() {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			url := URL(t, engine)
			var stores []*store.Store
			for i := 0; i < 2; i++ {
				s, err := store.Open(ctx, url)
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { s.Close() })
				if err := s.Migrate(ctx); err != nil {
					t.Fatal(err)
				}
				stores = append(stores, s)
			}
			const n = 300
			ids := make([]int64, 0, n)
			err := stores[0].Transact(ctx, func(tx *store.Tx) error {
				for i := 0; i < n; i++ {
					id, _, err := jobs.Enqueue(ctx, tx, "test.once", i, jobs.Opt{})
					if err != nil {
						return err
					}
					ids = append(ids, id)
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			var mu sync.Mutex
			count := map[int64]int{}
			by := map[string]int{}
			var total atomic.Int64
			for i, s := range stores {
				name := fmt.Sprintf("runner-%d", i)
				r := jobs.New(s, jobs.Options{Name: name, Workers: 4, Log: quiet})
				r.Handle("test.once", func(ctx context.Context, j *jobs.Job) error {
					mu.Lock()
					count[j.ID]++
					by[name]++
					mu.Unlock()
					time.Sleep(time.Millisecond)
					total.Add(1)
					return nil
				})
				startRunner(t, r)
			}
			deadline := time.Now().Add(60 * time.Second)
			for total.Load() < n {
				if time.Now().After(deadline) {
					t.Fatalf("ran %d of %d jobs", total.Load(), n)
				}
				time.Sleep(10 * time.Millisecond)
			}
			time.Sleep(100 * time.Millisecond) // a duplicate run would show now
			mu.Lock()
			defer mu.Unlock()
			for _, id := range ids {
				if count[id] != 1 {
					t.Errorf("job %d ran %d times", id, count[id])
				}
			}
			t.Logf("runs by runner: %v", by)
		})
	}
}

// TestJobsReseal: a key rotation (Store.Reseal) re-seals the secrets of
// jobs not yet ended, with the additional data that binds each to its job,
// and leaves ended jobs (whose secrets are erased) alone.
func TestJobsReseal(t *testing.T) {
	for _, engine := range Engines() {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			s := Open(t, engine)
			id := enqueue(t, s, "mail.staff", nil, jobs.Opt{Key: "m-1", Secret: []byte("old")})
			enqueue(t, s, "mail.staff", nil, jobs.Opt{Key: "m-2"})
			var ads []string
			n, err := s.Reseal(ctx, func(sealed, ad []byte) ([]byte, error) {
				if string(sealed) == "old" {
					ads = append(ads, string(ad))
					return []byte("new"), nil
				}
				return sealed, nil
			})
			if err != nil || n < 1 {
				t.Fatalf("Reseal = %d, %v", n, err)
			}
			if len(ads) != 1 || ads[0] != string(store.JobSecretAD("mail.staff", "m-1")) {
				t.Errorf("Reseal passed the job secret with %q, want %q", ads, store.JobSecretAD("mail.staff", "m-1"))
			}
			var secret []byte
			s.DB().QueryRowContext(ctx, s2Rebind(engine, `SELECT secret FROM jobs WHERE id = ?`), id).Scan(&secret)
			if string(secret) != "new" {
				t.Errorf("secret after Reseal = %q", secret)
			}
		})
	}
}
