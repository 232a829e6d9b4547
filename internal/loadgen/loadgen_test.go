package loadgen_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	"homthu/internal/api"
	"homthu/internal/app"
	"homthu/internal/loadgen"
	"homthu/internal/secret"
	"homthu/internal/store/storetest"
)

// homthuServer serves homthu's JSON API over a fresh store on engine, with
// the test tree of units (commune 14329 exists).
func homthuServer(t testing.TB, engine string) *httptest.Server {
	t.Helper()
	s := storetest.Open(t, engine)
	storetest.Tree(t, s)
	keys := &secret.Keys{Receipt: make([]byte, 32), Identity: make([]byte, 32)}
	a := &app.App{Store: s, Keys: keys, SessionTTL: time.Hour, IdleTTL: time.Hour}
	srv := httptest.NewServer((&api.API{App: a}).Handler())
	t.Cleanup(srv.Close)
	return srv
}

// baselineServer serves the bare baseline in mode on a fresh database.
func baselineServer(t testing.TB, mode string) (*httptest.Server, *loadgen.Baseline) {
	t.Helper()
	b, err := loadgen.OpenBaseline(filepath.Join(t.TempDir(), "baseline.db"), mode)
	if err != nil {
		t.Fatalf("OpenBaseline(%s): %v", mode, err)
	}
	srv := httptest.NewServer(b.Handler())
	t.Cleanup(func() {
		srv.Close()
		if err := b.Close(); err != nil {
			t.Errorf("Baseline.Close: %v", err)
		}
	})
	return srv, b
}

// run loads url with a fixed number of requests and checks that every one
// was answered 201 with a distinct receipt.
func run(t *testing.T, url string, clients, requests int) *loadgen.Result {
	t.Helper()
	var mu sync.Mutex
	receipts := map[string]bool{}
	r, err := loadgen.Run(context.Background(), loadgen.Config{
		URL: url, Clients: clients, Requests: requests, Duration: time.Minute,
		OnCreated: func(rc string) {
			mu.Lock()
			defer mu.Unlock()
			if receipts[rc] {
				t.Errorf("receipt %s given twice", rc)
			}
			receipts[rc] = true
		},
	})
	if err != nil {
		t.Fatalf("Run(%s): %v", url, err)
	}
	if r.Created != requests || r.Errors() != 0 || len(receipts) != requests {
		t.Fatalf("Run(%s, %d requests) = %d created, %d receipts, errors %v (first: %v)", url, requests, r.Created, len(receipts), r.Statuses, r.FirstError)
	}
	if len(r.Latencies) != requests || !slices.IsSorted(r.Latencies) || r.Quantile(0.5) <= 0 || r.Quantile(0.99) < r.Quantile(0.5) {
		t.Errorf("Run(%s): latencies %d, p50 %v, p99 %v: want %d sorted and positive", url, len(r.Latencies), r.Quantile(0.5), r.Quantile(0.99), requests)
	}
	if r.Rate() <= 0 || r.Elapsed <= 0 {
		t.Errorf("Run(%s): rate %v over %v", url, r.Rate(), r.Elapsed)
	}
	return r
}

// TestRunHomthu checks that every letter the generator writes is one homthu
// accepts: a load run that measured 400 answers would measure nothing.
func TestRunHomthu(t *testing.T) {
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			srv := homthuServer(t, engine)
			run(t, srv.URL, 16, 300)
		})
	}
}

func TestRunBaseline(t *testing.T) {
	for _, mode := range loadgen.Modes {
		t.Run(mode, func(t *testing.T) {
			srv, b := baselineServer(t, mode)
			run(t, srv.URL, 16, 300)
			var n int
			if err := b.DB().QueryRow("SELECT count(*) FROM items").Scan(&n); err != nil {
				t.Fatal(err)
			}
			if n != 300 {
				t.Errorf("baseline %s stored %d rows after 300 answers, want 300", mode, n)
			}
		})
	}
}

// TestBaselineDurable checks that the baseline really commits with a full
// fsync: without it, it would measure the page cache, and homthu's ratio to
// it would be meaningless.
func TestBaselineDurable(t *testing.T) {
	for _, mode := range loadgen.Modes {
		_, b := baselineServer(t, mode)
		var jm string
		var sync int
		if err := b.DB().QueryRow("PRAGMA journal_mode").Scan(&jm); err != nil {
			t.Fatal(err)
		}
		if err := b.DB().QueryRow("PRAGMA synchronous").Scan(&sync); err != nil {
			t.Fatal(err)
		}
		if jm != "wal" || sync != 2 {
			t.Errorf("baseline %s: journal_mode=%s synchronous=%d, want wal and 2 (FULL)", mode, jm, sync)
		}
	}
}

func TestRunRefuses(t *testing.T) {
	for _, tt := range []struct {
		name string
		c    loadgen.Config
	}{
		{"remote host", loadgen.Config{URL: "http://example.com", Clients: 1, Requests: 1}},
		{"remote IP", loadgen.Config{URL: "http://192.0.2.1:8080", Clients: 1, Requests: 1}},
		{"not a URL", loadgen.Config{URL: "127.0.0.1:8080", Clients: 1, Requests: 1}},
		{"no clients", loadgen.Config{URL: "http://127.0.0.1:1", Clients: 0, Requests: 1}},
		{"too many clients", loadgen.Config{URL: "http://127.0.0.1:1", Clients: loadgen.MaxClients + 1, Requests: 1}},
		{"unbounded", loadgen.Config{URL: "http://127.0.0.1:1", Clients: 1}},
		{"too long", loadgen.Config{URL: "http://127.0.0.1:1", Clients: 1, Duration: loadgen.MaxDuration + time.Second}},
		{"too many requests", loadgen.Config{URL: "http://127.0.0.1:1", Clients: 1, Requests: loadgen.MaxRequests + 1}},
	} {
		if _, err := loadgen.Run(context.Background(), tt.c); err == nil {
			t.Errorf("Run(%s: %+v) = nil error, want refusal", tt.name, tt.c)
		}
	}
	for _, ok := range []string{"http://127.0.0.1:8080", "http://localhost:8080", "http://[::1]:8080", "http://127.1.2.3"} {
		u, _ := url.Parse(ok)
		if err := loadgen.CheckLoopback(u); err != nil {
			t.Errorf("CheckLoopback(%s) = %v, want nil", ok, err)
		}
	}
}

// TestRunCountsErrors checks that failures are counted by status and kept
// out of the rate and the latencies.
func TestRunCountsErrors(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "no", http.StatusServiceUnavailable)
	}))
	defer srv.Close()
	r, err := loadgen.Run(context.Background(), loadgen.Config{URL: srv.URL, Clients: 4, Requests: 40})
	if err != nil {
		t.Fatal(err)
	}
	if r.Created != 0 || r.Statuses[503] != 40 || r.Errors() != 40 || len(r.Latencies) != 0 || r.Rate() != 0 {
		t.Errorf("Run(always 503) = created %d, statuses %v, %d latencies, rate %v; want 0, 40×503, 0, 0",
			r.Created, r.Statuses, len(r.Latencies), r.Rate())
	}
}

func TestQuantile(t *testing.T) {
	var r loadgen.Result
	for i := 1; i <= 100; i++ {
		r.Latencies = append(r.Latencies, time.Duration(i)*time.Millisecond)
	}
	for _, tt := range []struct {
		q    float64
		want time.Duration
	}{{0, time.Millisecond}, {0.5, 50 * time.Millisecond}, {0.99, 99 * time.Millisecond}, {1, 100 * time.Millisecond}} {
		if got := r.Quantile(tt.q); got != tt.want {
			t.Errorf("Quantile(%v) = %v, want %v", tt.q, got, tt.want)
		}
	}
	if got := (&loadgen.Result{}).Quantile(0.99); got != 0 {
		t.Errorf("Quantile of nothing = %v, want 0", got)
	}
}

func TestMerge(t *testing.T) {
	r := &loadgen.Result{Clients: 4, Elapsed: time.Second, Created: 2, Statuses: map[int]int{503: 1},
		Latencies: []time.Duration{1, 3}}
	r.Merge(&loadgen.Result{Clients: 4, Elapsed: 3 * time.Second, Created: 2, Statuses: map[int]int{503: 2, 0: 1},
		Latencies: []time.Duration{2, 4}})
	if r.Created != 4 || r.Elapsed != 4*time.Second || r.Rate() != 1 || r.Statuses[503] != 3 || r.Statuses[0] != 1 ||
		!slices.Equal(r.Latencies, []time.Duration{1, 2, 3, 4}) {
		t.Errorf("Merge = %+v, want 4 created in 4s, 3×503 and 1 unanswered, latencies 1 2 3 4", r)
	}
}

// BenchmarkSubmit measures online submission through homthu's JSON API on a
// real store (SQLite, and PostgreSQL when HOMTHU_TEST_POSTGRES is set) and
// through the bare baselines, at 64 concurrent clients, and reports
// submissions a second and the p50 and p99 latencies:
//
//	go test -run '^$' -bench Submit -benchtime 20000x ./internal/loadgen
func BenchmarkSubmit(b *testing.B) {
	for _, engine := range storetest.Engines() {
		b.Run("homthu/"+engine, func(b *testing.B) { benchSubmit(b, homthuServer(b, engine).URL) })
	}
	for _, mode := range loadgen.Modes {
		b.Run("baseline/"+mode, func(b *testing.B) {
			srv, _ := baselineServer(b, mode)
			benchSubmit(b, srv.URL)
		})
	}
}

// benchClients is the concurrency the target is stated at.
const benchClients = 64

func benchSubmit(b *testing.B, base string) {
	target := base + loadgen.FeedbackPath
	bodies := loadgen.Bodies(1024, loadgen.DefaultArea, 1)
	client := loadgen.NewClient(benchClients, 30*time.Second)
	defer client.CloseIdleConnections()
	procs := runtime.GOMAXPROCS(0)
	b.SetParallelism((benchClients + procs - 1) / procs)
	var mu sync.Mutex
	var lat []time.Duration
	var failed []string
	ctx := context.Background()
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		var mine []time.Duration
		var bad []string
		for i := 0; pb.Next(); i++ {
			t0 := time.Now()
			status, _, err := loadgen.Post(ctx, client, target, bodies[i%len(bodies)], false)
			if err != nil || status != http.StatusCreated {
				bad = append(bad, fmt.Sprintf("%d %v", status, err))
				continue
			}
			mine = append(mine, time.Since(t0))
		}
		mu.Lock()
		lat = append(lat, mine...)
		failed = append(failed, bad...)
		mu.Unlock()
	})
	elapsed := time.Since(start)
	b.StopTimer()
	if len(failed) > 0 {
		b.Fatalf("%d of %d submissions failed, first: %s", len(failed), b.N, failed[0])
	}
	r := loadgen.Result{Latencies: lat, Created: len(lat), Elapsed: elapsed}
	slices.Sort(r.Latencies)
	b.ReportMetric(r.Rate(), "submissions/s")
	b.ReportMetric(float64(r.Quantile(0.5))/1e6, "p50-ms")
	b.ReportMetric(float64(r.Quantile(0.99))/1e6, "p99-ms")
}
