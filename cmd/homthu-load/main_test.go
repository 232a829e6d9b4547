package main

import (
	"bytes"
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"homthu/internal/loadgen"
)

// TestMain lets the test binary stand in for homthu-load when run loads a
// baseline in a child process: the child is os.Executable() with
// --serve-baseline.
func TestMain(m *testing.M) {
	if len(os.Args) > 1 && os.Args[1] == "--serve-baseline" {
		os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

func TestRunTable(t *testing.T) {
	b, err := loadgen.OpenBaseline(filepath.Join(t.TempDir(), "b.db"), loadgen.GroupCommit)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(b.Handler())
	defer b.Close()
	defer srv.Close()

	var out, errOut bytes.Buffer
	args := []string{"--url", "inproc=" + srv.URL, "--baseline", "groupcommit,pertx", "--clients", "4", "--requests", "100", "--rounds", "2", "--warmup", "0s"}
	if code := run(context.Background(), args, &out, &errOut); code != 0 {
		t.Fatalf("homthu-load %s = exit %d\n%s%s", strings.Join(args, " "), code, out.String(), errOut.String())
	}
	for _, name := range []string{"inproc", "baseline groupcommit", "baseline pertx"} {
		// Each target has a row: name, 4 clients, seconds, 100 created,
		// and the ratio column (100 % for the group-commit baseline itself).
		re := regexp.MustCompile(`(?m)^\s*` + regexp.QuoteMeta(name) + `\s+4\s+[0-9.]+\s+100\s+.*\s+0\s+\d+ %$`)
		if !re.MatchString(out.String()) {
			t.Errorf("table has no row for %q with 100 created and 0 errors:\n%s", name, out.String())
		}
	}
}

func TestRunUsage(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want int
	}{
		{nil, 2},
		{[]string{"--baseline", "nosync"}, 2},
		{[]string{"--url", "http://example.com:8080", "--requests", "1"}, 1},
		{[]string{"extra"}, 2},
		{[]string{"--baseline", "pertx", "--rounds", "0"}, 2},
		{[]string{"--help"}, 0},
		{[]string{"--url", "http://127.0.0.1:1", "--mix", "post=1"}, 2},
		{[]string{"--baseline", "pertx", "--mix", "default"}, 2},
		{[]string{"--url", "http://127.0.0.1:1", "--mix", "inbox=1", "--requests", "1"}, 1}, // no --staff
	} {
		var out, errOut bytes.Buffer
		if got := run(context.Background(), tt.args, &out, &errOut); got != tt.want {
			t.Errorf("homthu-load %s = exit %d, want %d\n%s", strings.Join(tt.args, " "), got, tt.want, errOut.String())
		}
	}
}
