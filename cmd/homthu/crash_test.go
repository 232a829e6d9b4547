package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"homthu/internal/loadgen"
	"homthu/internal/store"
	"homthu/internal/store/storetest"
)

// The issue's promise: "A crash (kill -9) at any moment loses no item that
// the server acknowledged, and leaves no half-written item." TestCrash holds
// the real binary to it: it kills `homthu serve` with SIGKILL while 32
// clients submit, three times, restarting it on the same data each time, and
// checks after each kill that
//
//   - the database is intact (SQLite's integrity_check, no orphan rows);
//   - every receipt answered 201 before the kill is found by /api/v1/track;
//   - a request cut off by the kill and retried with its Idempotency-Key
//     makes exactly one item, whether or not the first attempt was committed;
//
// and at the end that the items are exactly the acknowledged letters plus
// some of those cut off (never one twice, never one nobody sent), each with
// its idempotency answer if it had a key.
func TestCrash(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and kills it: not under -short")
	}
	bin := buildHomthu(t)
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) { crashRounds(t, bin, engine) })
	}
}

const (
	killRounds     = 3
	crashClients   = 32
	killAfterMin   = 700 * time.Millisecond
	killAfterRange = 800 * time.Millisecond
)

// markerRE finds the marker each test letter carries in its text.
var markerRE = regexp.MustCompile(`\[mã kiểm tra (k\d+-\d+-\d+)\]`)

// letter is one submission the test sent.
type letter struct {
	marker string
	key    string // Idempotency-Key, or "" for none
	body   []byte
}

// ledger is what the clients learned: which letters were acknowledged, and
// which were cut off by a kill.
type ledger struct {
	mu       sync.Mutex
	acked    map[string]string // marker → receipt
	fresh    []string          // receipts acknowledged since the last checkTracked
	receipts map[string]bool
	cut      map[string]letter // sent, no answer: committed or not
	keyed    map[string]bool   // markers sent with an Idempotency-Key
}

func (l *ledger) ack(t *testing.T, lt letter, receipt string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.receipts[receipt] {
		t.Errorf("receipt %s given for two letters", receipt)
	}
	if prev, ok := l.acked[lt.marker]; ok && prev != receipt {
		t.Errorf("letter %s acknowledged twice, with receipts %s and %s", lt.marker, prev, receipt)
	}
	l.receipts[receipt] = true
	l.acked[lt.marker] = receipt
	l.fresh = append(l.fresh, receipt)
	delete(l.cut, lt.marker)
}

func crashRounds(t *testing.T, bin, engine string) {
	data := t.TempDir()
	database := ""
	dbURL := filepath.Join(data, "homthu.db")
	if engine == "postgres" {
		database = storetest.URL(t, engine)
		dbURL = database
	}
	importUnits(t, bin, data, database)

	l := &ledger{acked: map[string]string{}, receipts: map[string]bool{}, cut: map[string]letter{}, keyed: map[string]bool{}}
	srv := startServer(t, bin, data, database)
	for round := range killRounds {
		var killed atomic.Bool
		var wg sync.WaitGroup
		client := loadgen.NewClient(crashClients, 10*time.Second)
		for c := range crashClients {
			wg.Go(func() { submitUntilKilled(t, srv.url, client, l, &killed, round, c) })
		}
		time.Sleep(killAfterMin + rand.N(killAfterRange))
		killed.Store(true)
		srv.kill()
		wg.Wait()
		client.CloseIdleConnections()
		l.mu.Lock()
		acked, cut := len(l.acked), len(l.cut)
		l.mu.Unlock()
		t.Logf("round %d: %d letters acknowledged so far, %d cut off by a kill and not retried", round+1, acked, cut)
		if acked == 0 {
			t.Fatalf("round %d: no letter acknowledged before the kill", round+1)
		}

		// The database as the kill left it, before homthu touches it again.
		t0 := time.Now()
		checkDatabase(t, dbURL, engine, round == killRounds-1)
		t1 := time.Now()
		srv = startServer(t, bin, data, database)
		t2 := time.Now()
		checkTracked(t, srv.url, l)
		t3 := time.Now()
		retryCut(t, srv.url, l)
		t.Logf("round %d: database checked in %v, restarted in %v, receipts tracked in %v, cut-off letters retried in %v",
			round+1, t1.Sub(t0).Round(time.Millisecond), t2.Sub(t1).Round(time.Millisecond), t3.Sub(t2).Round(time.Millisecond), time.Since(t3).Round(time.Millisecond))
		if t.Failed() {
			return
		}
	}
	checkTracked(t, srv.url, l) // the last retried letters
	srv.term()
	checkDatabase(t, dbURL, engine, false)
	checkItems(t, dbURL, l)
}

// submitUntilKilled sends letters in a closed loop until the server dies.
func submitUntilKilled(t *testing.T, url string, client *http.Client, l *ledger, killed *atomic.Bool, round, c int) {
	r := rand.New(rand.NewPCG(uint64(round), uint64(c)))
	areas := []string{"14329", "14329-001", "14330"}
	for n := 0; ; n++ {
		lt := newLetter(r, areas[n%len(areas)], fmt.Sprintf("k%d-%d-%d", round, c, n), n%2 == 0)
		l.mu.Lock()
		l.cut[lt.marker] = lt // until answered
		if lt.key != "" {
			l.keyed[lt.marker] = true
		}
		l.mu.Unlock()
		status, body, err := post(client, url+"/api/v1/feedback", lt.body, lt.key)
		switch {
		case err != nil && killed.Load():
			return // cut off: stays in l.cut
		case err != nil:
			t.Errorf("POST /api/v1/feedback before the kill: %v", err)
			return
		case status == http.StatusCreated:
			rc, err := loadgen.Receipt(body)
			if err != nil {
				t.Errorf("POST /api/v1/feedback = 201 %s: %v", body, err)
				return
			}
			l.ack(t, lt, rc)
		case killed.Load() && status >= 500:
			return // the server may answer 5xx while it dies
		default:
			t.Errorf("POST /api/v1/feedback = %d %s, want 201", status, body)
			return
		}
	}
}

func newLetter(r *rand.Rand, area, marker string, keyed bool) letter {
	f := loadgen.NewFeedback(r, area)
	f.Content += " [mã kiểm tra " + marker + "]"
	b, err := json.Marshal(f)
	if err != nil {
		panic(err)
	}
	lt := letter{marker: marker, body: b}
	if keyed {
		lt.key = "crash-" + marker
	}
	return lt
}

func post(client *http.Client, url string, body []byte, key string) (int, []byte, error) {
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	if key != "" {
		req.Header.Set("Idempotency-Key", key)
	}
	res, err := client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	return res.StatusCode, b, err
}

// checkTracked checks that every receipt acknowledged since the last check
// is found, and a sample of the earlier ones (each was checked after the
// restart that followed it, and checkItems finds every acknowledged letter
// in the database at the end).
func checkTracked(t *testing.T, url string, l *ledger) {
	t.Helper()
	const earlier = 300
	l.mu.Lock()
	receipts := make(chan string, len(l.fresh)+earlier)
	fresh := map[string]bool{}
	for _, rc := range l.fresh {
		receipts <- rc
		fresh[rc] = true
	}
	n := 0
	for _, rc := range l.acked { // map order: a random sample
		if n == earlier {
			break
		}
		if !fresh[rc] {
			receipts <- rc
			n++
		}
	}
	l.fresh = nil
	l.mu.Unlock()
	close(receipts)
	client := loadgen.NewClient(8, 10*time.Second)
	defer client.CloseIdleConnections()
	var missing atomic.Int64
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for rc := range receipts {
				b, _ := json.Marshal(map[string]string{"receipt": rc})
				status, body, err := post(client, url+"/api/v1/track", b, "")
				if err != nil || status != http.StatusOK {
					if missing.Add(1) <= 5 {
						t.Errorf("POST /api/v1/track %s after restart = %d %s %v, want 200", rc, status, body, err)
					}
				}
			}
		})
	}
	wg.Wait()
	if n := missing.Load(); n > 0 {
		t.Errorf("%d acknowledged receipts not found after restart", n)
	}
}

// retryCut retries every cut-off letter that had an Idempotency-Key, as a
// client that saw no answer would: it must get a receipt, the first one if
// the cut-off attempt was committed.
func retryCut(t *testing.T, url string, l *ledger) {
	t.Helper()
	l.mu.Lock()
	var retry []letter
	for _, lt := range l.cut {
		if lt.key != "" {
			retry = append(retry, lt)
		}
	}
	l.mu.Unlock()
	client := loadgen.NewClient(1, 10*time.Second)
	defer client.CloseIdleConnections()
	for _, lt := range retry {
		status, body, err := post(client, url+"/api/v1/feedback", lt.body, lt.key)
		if err != nil || status != http.StatusCreated {
			t.Errorf("retry of cut-off letter %s = %d %s %v, want 201", lt.marker, status, body, err)
			continue
		}
		rc, err := loadgen.Receipt(body)
		if err != nil {
			t.Errorf("retry of %s: %v", lt.marker, err)
			continue
		}
		l.ack(t, lt, rc)
	}
}

// checkDatabase checks the database for damage: SQLite's integrity check
// (the full one if full, else quick_check, which checks the structure but
// not that the indexes match the tables, and is much faster under the race
// detector) and foreign-key check, and on both engines no row left without
// its item.
func checkDatabase(t *testing.T, dbURL, engine string, full bool) {
	t.Helper()
	ctx := context.Background()
	s, err := store.Open(ctx, dbURL)
	if err != nil {
		t.Fatalf("open the database after the kill: %v", err)
	}
	defer s.Close()
	db := s.DB()
	if engine == "sqlite" {
		check := "PRAGMA quick_check"
		if full {
			check = "PRAGMA integrity_check"
		}
		var res string
		if err := db.QueryRowContext(ctx, check).Scan(&res); err != nil || res != "ok" {
			t.Errorf("%s = %q, %v; want ok", check, res, err)
		}
		rows, err := db.QueryContext(ctx, "PRAGMA foreign_key_check")
		if err != nil {
			t.Fatalf("PRAGMA foreign_key_check: %v", err)
		}
		for rows.Next() {
			var table string
			var rowid, parent, fk any
			if err := rows.Scan(&table, &rowid, &parent, &fk); err != nil {
				t.Fatalf("PRAGMA foreign_key_check: %v", err)
			}
			t.Errorf("foreign key violation: %s row %v → %v", table, rowid, parent)
		}
		rows.Close()
	}
	for _, q := range []struct{ what, sql string }{
		{"attachments without their item", `SELECT count(*) FROM attachments a WHERE NOT EXISTS (SELECT 1 FROM items i WHERE i.id = a.item)`},
		{"messages without their item", `SELECT count(*) FROM messages m WHERE NOT EXISTS (SELECT 1 FROM items i WHERE i.id = m.item)`},
		{"log entries without their item", `SELECT count(*) FROM log_pending l WHERE l.ref LIKE 'item:%' AND NOT EXISTS (SELECT 1 FROM items i WHERE i.id = substr(l.ref, 6))`},
	} {
		var n int
		if err := db.QueryRowContext(ctx, q.sql).Scan(&n); err != nil {
			t.Errorf("%s: %v", q.what, err)
		} else if n != 0 {
			t.Errorf("%d %s", n, q.what)
		}
	}
}

// checkItems checks that the stored items are exactly the letters the
// server acknowledged plus some of those cut off, each once, and that every
// stored letter sent with an Idempotency-Key has its kept answer.
func checkItems(t *testing.T, dbURL string, l *ledger) {
	t.Helper()
	ctx := context.Background()
	s, err := store.Open(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	rows, err := s.DB().QueryContext(ctx, "SELECT content FROM items")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	seen := map[string]int{}
	items, keyed := 0, 0
	for rows.Next() {
		var content string
		if err := rows.Scan(&content); err != nil {
			t.Fatal(err)
		}
		items++
		m := markerRE.FindStringSubmatch(content)
		if m == nil {
			t.Errorf("item with no test marker: %.80q…", content)
			continue
		}
		seen[m[1]]++
		if seen[m[1]] == 1 && l.keyed[m[1]] {
			keyed++
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	committedCut := 0
	for marker, n := range seen {
		_, acked := l.acked[marker]
		_, cut := l.cut[marker]
		switch {
		case n > 1:
			t.Errorf("letter %s stored %d times", marker, n)
		case !acked && !cut:
			t.Errorf("letter %s stored but never sent", marker)
		case cut:
			committedCut++
		}
	}
	for marker, rc := range l.acked {
		if seen[marker] == 0 {
			t.Errorf("acknowledged letter %s (receipt %s) is not stored", marker, rc)
		}
	}
	if items != len(l.acked)+committedCut {
		t.Errorf("%d items stored, want %d acknowledged + %d cut off but committed", items, len(l.acked), committedCut)
	}
	var kept int
	if err := s.DB().QueryRowContext(ctx, "SELECT count(*) FROM idempotency").Scan(&kept); err != nil {
		t.Fatal(err)
	}
	if kept != keyed {
		t.Errorf("%d idempotency answers kept, want one for each of the %d stored letters sent with a key", kept, keyed)
	}
	t.Logf("%d items: %d acknowledged, %d committed as the server died (not acknowledged), %d with an idempotency key",
		items, len(l.acked), committedCut, keyed)
}

// buildHomthu builds this command into a temporary directory: the test kills
// a real process, not a goroutine.
func buildHomthu(t *testing.T) string {
	t.Helper()
	goBin, err := exec.LookPath("go")
	if err != nil {
		goBin = filepath.Join(runtime.GOROOT(), "bin", "go")
	}
	bin := filepath.Join(t.TempDir(), "homthu")
	out, err := exec.Command(goBin, "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// storageArgs are the flags that name the data.
func storageArgs(data, database string) []string {
	args := []string{"--data", data}
	if database != "" {
		args = append(args, "--database", database)
	}
	return args
}

func importUnits(t *testing.T, bin, data, database string) {
	t.Helper()
	csv := filepath.Join(t.TempDir(), "units.csv")
	err := os.WriteFile(csv, []byte(`code,parent_code,kind,name,full_name,valid_to,successor,former_of,former_parent
37,,province,Ninh Bình,Tỉnh Ninh Bình,,,,
14329,37,commune,Hoa Lư,Phường Hoa Lư,,,,
14330,37,commune,Gia Viễn,Xã Gia Viễn,,,,
14329-001,14329,area,Tổ dân phố 1,Tổ dân phố 1,,,,
`), 0o600)
	if err != nil {
		t.Fatal(err)
	}
	args := append(append([]string{"units", "import"}, storageArgs(data, database)...), csv)
	if out, err := exec.Command(bin, args...).CombinedOutput(); err != nil {
		t.Fatalf("homthu %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

// server is a running `homthu serve`.
type server struct {
	t      *testing.T
	cmd    *exec.Cmd
	url    string
	out    *lockedBuffer
	exited chan struct{} // closed when the process has ended
	err    error         // its exit, once exited is closed
}

// startServer starts homthu serve on a free loopback port and waits until
// /healthz answers.
func startServer(t *testing.T, bin, data, database string) *server {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	// All the clients share one address; the per-address limit would refuse
	// them, and it is not what this test is about.
	args := append([]string{"serve", "--addr", addr, "--rate-limit", "0"}, storageArgs(data, database)...)
	s := &server{t: t, cmd: exec.Command(bin, args...), url: "http://" + addr, out: &lockedBuffer{}, exited: make(chan struct{})}
	s.cmd.Stdout, s.cmd.Stderr = s.out, s.out
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { s.err = s.cmd.Wait(); close(s.exited) }()
	t.Cleanup(s.kill)
	deadline := time.Now().Add(20 * time.Second)
	for {
		res, err := http.Get(s.url + "/healthz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return s
			}
		}
		select {
		case <-s.exited:
			t.Fatalf("homthu serve exited at start: %v\n%s", s.err, s.out)
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("homthu serve did not answer /healthz in 20s\n%s", s.out)
		}
	}
}

// kill sends SIGKILL and waits for the process to end. Killing a process
// that already ended does nothing.
func (s *server) kill() {
	s.cmd.Process.Kill()
	<-s.exited
}

// term sends SIGTERM, which must drain requests and exit 0.
func (s *server) term() {
	s.t.Helper()
	s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.exited:
		if s.err != nil {
			s.t.Errorf("homthu serve after SIGTERM: %v, want exit 0\n%s", s.err, s.out)
		}
	case <-time.After(30 * time.Second):
		s.kill()
		s.t.Errorf("homthu serve did not stop within 30s of SIGTERM\n%s", s.out)
	}
}

// lockedBuffer collects a process's output for failure messages.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	s := b.b.String()
	if len(s) > 4000 {
		s = "…" + s[len(s)-4000:]
	}
	return s
}
