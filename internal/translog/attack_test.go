package translog

import (
	"bytes"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// world is an honest log served over HTTP, which a test can swap for the
// log an attacker serves instead.
type world struct {
	skey, vkey string
	honest     *MemStore
	log        *Log
	serving    atomic.Pointer[http.Handler]
	srv        *httptest.Server
	cps        map[int64][]byte // the honest log's checkpoints, as served
}

func newWorld(t *testing.T) *world {
	w := &world{honest: new(MemStore), cps: make(map[int64][]byte)}
	w.skey, w.vkey = testKey(t)
	w.log = newTestLog(t, w.honest, w.skey)
	w.serve(t, w.honest)
	w.srv = httptest.NewServer(http.StripPrefix("/log", http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		(*w.serving.Load()).ServeHTTP(rw, r)
	})))
	t.Cleanup(w.srv.Close)
	return w
}

// grow appends honest records up to size n and signs.
func (w *world) grow(t *testing.T, n int) {
	size, _ := w.honest.TreeSize(t.Context())
	grow(t, w.log, w.honest, int(size), n)
	w.cps[int64(n)] = latestNote(t, w.honest)
}

// serve makes the server serve store s, signed with the log's key.
func (w *world) serve(t *testing.T, s Store) {
	h := newTestLog(t, s, w.skey).Handler()
	w.serving.Store(&h)
}

func (w *world) monitor(t *testing.T, full bool) *Monitor {
	return &Monitor{URL: w.srv.URL + "/log", VerifierKey: w.vkey, Dir: t.TempDir(), Full: full}
}

// otherLeaf is a valid leaf that is in no honest log.
func otherLeaf(t testing.TB, i int) []byte {
	b, _ := testLeaf(t, 1_000_000+i)
	return b
}

func TestMonitorFollows(t *testing.T) {
	ctx := t.Context()
	w := newWorld(t)
	cosigner, wvkey := testCosigner(t, time.Unix(1750000000, 0))
	m := w.monitor(t, false)
	m.Cosigner = cosigner
	for _, step := range []struct {
		size    int
		entries int64
	}{{0, 0}, {1, 1}, {3, 2}, {300, 297}, {300, 0}, {700, 400}} {
		w.grow(t, step.size)
		res, err := m.Check(ctx)
		if err != nil {
			t.Fatalf("Check at %d: %v", step.size, err)
		}
		if res.Checkpoint.Size != int64(step.size) || res.Entries != step.entries {
			t.Errorf("Check at %d: size %d, %d entries checked; want %d entries", step.size, res.Checkpoint.Size, res.Entries, step.entries)
		}
		saved, err := os.ReadFile(m.statePath(testOrigin, "checkpoint"))
		if err != nil || !bytes.Equal(saved, w.cps[int64(step.size)]) {
			t.Errorf("saved state after %d = %q, %v", step.size, saved, err)
		}
		// The cosigned checkpoint verifies with the log's key and the
		// witness's, and the log records it.
		lv, _ := note.NewVerifier(w.vkey)
		wv, _ := NewCosignatureVerifier(wvkey)
		if n, err := note.Open(res.Cosigned, note.VerifierList(lv, wv)); err != nil || len(n.Sigs) != 2 {
			t.Errorf("cosigned checkpoint at %d: %v", step.size, err)
		}
	}
	full := w.monitor(t, true)
	if res, err := full.Check(ctx); err != nil || res.Entries != 700 {
		t.Errorf("full Check = %+v, %v; want 700 entries", res, err)
	}
	// The saved state is what Audit takes as an outside checkpoint.
	saved, _ := os.ReadFile(m.statePath(testOrigin, "checkpoint"))
	if _, err := Audit(ctx, w.honest, w.vkey, saved); err != nil {
		t.Errorf("Audit with the monitor's state: %v", err)
	}
}

func TestMonitorTransientErrors(t *testing.T) {
	ctx := t.Context()
	w := newWorld(t)
	w.grow(t, 10)
	m := w.monitor(t, false)
	if _, err := m.Check(ctx); err != nil {
		t.Fatal(err)
	}
	down := http.Handler(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		http.Error(rw, "maintenance", http.StatusServiceUnavailable)
	}))
	w.serving.Store(&down)
	if _, err := m.Check(ctx); err == nil || errors.Is(err, ErrInconsistent) {
		t.Errorf("Check of a log that is down: err = %v, want a transient error", err)
	}
	wrongKey := &Monitor{URL: m.URL, VerifierKey: func() string { _, v := testKey(t); return v }(), Dir: t.TempDir()}
	w.serve(t, w.honest)
	if _, err := wrongKey.Check(ctx); err == nil {
		t.Errorf("Check with another log's key succeeded")
	}
}

// TestAttacks: every way of changing the past is caught by Audit given a
// checkpoint held outside, and by a Monitor that saw the past — including
// by an attacker who holds the database and the signing key, whom Audit
// without outside checkpoints cannot catch.
func TestAttacks(t *testing.T) {
	for _, tt := range []struct {
		name   string
		seen   int  // the size the outside world saw last (100 or 150)
		full   bool // the monitor rechecks all entries
		alone  bool // Audit without outside checkpoints catches it too
		attack func(t *testing.T, w *world) Store
	}{
		{"tampered old leaf (database only)", 100, true, true, func(t *testing.T, w *world) Store {
			w.honest.leaves[10] = otherLeaf(t, 10)
			return w.honest
		}},
		{"tampered new leaf (database only)", 100, false, true, func(t *testing.T, w *world) Store {
			w.honest.leaves[120] = otherLeaf(t, 120)
			return w.honest
		}},
		{"tampered hash (database only)", 100, false, true, func(t *testing.T, w *world) Store {
			w.honest.hashes[tlog.StoredHashIndex(0, 120)][0] ^= 1
			return w.honest
		}},
		{"rewritten history (database and key)", 100, false, false, func(t *testing.T, w *world) Store {
			leaves := allLeaves(t, w.honest)
			leaves[10] = otherLeaf(t, 10)
			return forge(t, w.skey, leaves)
		}},
		{"leaf removed (database and key)", 100, false, false, func(t *testing.T, w *world) Store {
			leaves := allLeaves(t, w.honest)
			return forge(t, w.skey, append(leaves[:10:10], leaves[11:]...))
		}},
		{"fork at the same size (database and key)", 150, false, false, func(t *testing.T, w *world) Store {
			leaves := allLeaves(t, w.honest)[:100]
			for i := range 50 {
				leaves = append(leaves, otherLeaf(t, i))
			}
			return forge(t, w.skey, leaves)
		}},
		{"fork grown further (database and key)", 150, false, false, func(t *testing.T, w *world) Store {
			leaves := allLeaves(t, w.honest)[:100]
			for i := range 60 {
				leaves = append(leaves, otherLeaf(t, i))
			}
			return forge(t, w.skey, leaves)
		}},
		{"truncated (database and key)", 100, false, false, func(t *testing.T, w *world) Store {
			return forge(t, w.skey, allLeaves(t, w.honest)[:80])
		}},
		{"restored from an old backup (database only)", 150, false, false, func(t *testing.T, w *world) Store {
			return forge(t, w.skey, allLeaves(t, w.honest)[:100]) // the backup had C100, signed then
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ctx := t.Context()
			w := newWorld(t)
			w.grow(t, tt.seen)
			m := w.monitor(t, tt.full)
			if _, err := m.Check(ctx); err != nil {
				t.Fatalf("Check of the honest log: %v", err)
			}
			if tt.seen < 150 {
				w.grow(t, 150)
			}
			statePath := m.statePath(testOrigin, "checkpoint")
			before, _ := os.ReadFile(statePath)

			s := tt.attack(t, w)
			w.serve(t, s)

			_, err := Audit(ctx, s, w.vkey)
			if tt.alone && !errors.Is(err, ErrInconsistent) {
				t.Errorf("Audit without outside checkpoints: err = %v, want ErrInconsistent", err)
			}
			if !tt.alone && err != nil {
				t.Errorf("Audit without outside checkpoints: err = %v; this attack should pass it (else the test is not testing the outside checkpoint)", err)
			}
			_, err = Audit(ctx, s, w.vkey, w.cps[int64(tt.seen)])
			if !errors.Is(err, ErrInconsistent) {
				t.Errorf("Audit with the checkpoint seen at %d: err = %v, want ErrInconsistent", tt.seen, err)
			}
			t.Logf("Audit: %v", err)
			_, err = m.Check(ctx)
			if !errors.Is(err, ErrInconsistent) {
				t.Errorf("Monitor.Check: err = %v, want ErrInconsistent", err)
			}
			t.Logf("Monitor: %v", err)
			if after, _ := os.ReadFile(statePath); !bytes.Equal(before, after) {
				t.Errorf("Monitor saved the inconsistent checkpoint as its state")
			}
			if err := m.Run(ctx, time.Millisecond); !errors.Is(err, ErrInconsistent) {
				t.Errorf("Monitor.Run: err = %v, want ErrInconsistent", err)
			}
		})
	}
}

func TestAudit(t *testing.T) {
	ctx := t.Context()
	skey, vkey := testKey(t)
	s := new(MemStore)
	l := newTestLog(t, s, skey)
	var outside [][]byte
	for _, n := range []int{1, 2, 3, 255, 256, 257, 1000} {
		size, _ := s.TreeSize(ctx)
		grow(t, l, s, int(size), n)
		outside = append(outside, latestNote(t, s))
	}
	rep, err := Audit(ctx, s, vkey, outside...)
	if err != nil {
		t.Fatalf("Audit: %v", err)
	}
	root, _ := tlog.TreeHash(1000, hashReader(ctx, s))
	if rep.Size != 1000 || rep.Root != root || rep.Checkpoints != len(outside)+1 {
		t.Errorf("Audit = %+v, want size 1000, root %x, %d checkpoints", rep, root, len(outside)+1)
	}

	_, otherVkey := testKey(t)
	other := forge(t, skey, [][]byte{otherLeaf(t, 1)})
	for _, tt := range []struct {
		name    string
		vkey    string
		outside [][]byte
	}{
		{"another log's key", otherVkey, nil},
		{"outside checkpoint unsigned", vkey, [][]byte{[]byte("homthu.test/log\n1\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n")}},
		{"outside checkpoint of a fork", vkey, [][]byte{latestNote(t, other)}},
	} {
		if _, err := Audit(ctx, s, tt.vkey, tt.outside...); err == nil {
			t.Errorf("Audit(%s) succeeded", tt.name)
		}
	}
}

func TestFrontier(t *testing.T) {
	// Replaying through the frontier gives every root tlog gives over all
	// stored hashes, for every size, in logarithmic memory.
	skey, _ := testKey(t)
	s := new(MemStore)
	l := newTestLog(t, s, skey)
	grow(t, l, s, 0, 600)
	leaves := allLeaves(t, s)
	f := make(frontier)
	for n, b := range leaves {
		if _, err := f.add(int64(n), b); err != nil {
			t.Fatal(err)
		}
		got, err := tlog.TreeHash(int64(n+1), f)
		if err != nil {
			t.Fatalf("TreeHash(%d) over the frontier: %v", n+1, err)
		}
		want, _ := tlog.TreeHash(int64(n+1), hashReader(t.Context(), s))
		if got != want {
			t.Fatalf("TreeHash(%d) over the frontier = %x, want %x", n+1, got, want)
		}
		if len(f) > 64 {
			t.Fatalf("frontier of %d leaves holds %d hashes", n+1, len(f))
		}
	}
	if len(f) != 4 { // 600 = 512 + 64 + 16 + 8
		t.Errorf("frontier of 600 leaves holds %d hashes, want 4", len(f))
	}
}
