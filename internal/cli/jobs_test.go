package cli

import (
	"context"
	"database/sql"
	"net/http"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"homthu/internal/store/storetest"
)

// startServe runs `homthu serve` with args on a free port until the test
// ends, and returns its base URL and a stop function that returns its
// exit status.
func startServe(t *testing.T, args ...string) (base string, stop func() int) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var out, errb syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- Run(ctx, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...), strings.NewReader(""), &out, &errb)
	}()
	re := regexp.MustCompile(`https?://(127\.0\.0\.1:\d+)`)
	for i := 0; i < 400 && base == ""; i++ {
		if m := re.FindStringSubmatch(out.String()); m != nil {
			base = "http://" + m[1]
		}
		select {
		case code := <-done:
			t.Fatalf("serve exited %d: %s %s", code, out.String(), errb.String())
		case <-time.After(50 * time.Millisecond):
		}
	}
	if base == "" {
		cancel()
		t.Fatalf("serve did not start: %s %s", out.String(), errb.String())
	}
	stopped := false
	var code int
	stop = func() int {
		if !stopped {
			stopped = true
			cancel()
			select {
			case code = <-done:
			case <-time.After(60 * time.Second):
				t.Fatalf("serve did not stop: %s", errb.String())
			}
		}
		return code
	}
	t.Cleanup(func() { stop() })
	return base, stop
}

// TestServeTwoOnPostgres starts two serve processes on one PostgreSQL
// database (the deployment docs/jobs-and-mail.md describes): both answer,
// both run a job runner, and the periodic jobs exist once, not once per
// process.
func TestServeTwoOnPostgres(t *testing.T) {
	if os.Getenv("HOMTHU_TEST_POSTGRES") == "" {
		t.Skip("HOMTHU_TEST_POSTGRES is not set (CI sets it)")
	}
	db := storetest.URL(t, "postgres")
	dir := t.TempDir()
	var bases []string
	var stops []func() int
	for i := 0; i < 2; i++ {
		b, stop := startServe(t, "--data", dir, "--database", db)
		bases, stops = append(bases, b), append(stops, stop)
	}
	for _, b := range bases {
		res, err := http.Get(b + "/healthz")
		if err != nil || res.StatusCode != 200 {
			t.Fatalf("%s/healthz = %v, %v", b, res, err)
		}
		res.Body.Close()
	}
	raw, err := sql.Open("pgx", db)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var n int
	deadline := time.Now().Add(20 * time.Second)
	for {
		if err := raw.QueryRow(`SELECT COUNT(*) FROM jobs WHERE kind = 'jobs.purge'`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n > 0 || time.Now().After(deadline) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if n != 1 {
		t.Errorf("two serve processes planned %d purge jobs, want 1", n)
	}
	for i, stop := range stops {
		if code := stop(); code != 0 {
			t.Errorf("serve %d exited %d", i, code)
		}
	}
}
