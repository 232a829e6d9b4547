// Package translogtest is the test suite that every implementation of
// translog.Store runs, as golang.org/x/mod/sumdb/tlog's users test their
// storage against one contract: the in-memory MemStore here, the database
// (SQLite and PostgreSQL) in internal/store.
package translogtest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"

	"homthu/internal/translog"
)

// Harness is one fresh, empty log store under test.
type Harness struct {
	Store translog.Store
	// AddPending inserts a row into the outbox log_pending, as the store
	// does in the transaction of the record the leaf commits to.
	AddPending func(ctx context.Context, leaf []byte, ref string) error
}

// Run runs the suite. newHarness must return a new, empty store each time it
// is called; it may register cleanups on t.
func Run(t *testing.T, newHarness func(t *testing.T) Harness) {
	for _, tt := range []struct {
		name string
		f    func(*testing.T, Harness)
	}{
		{"Empty", testEmpty},
		{"SequenceAppends", testSequenceAppends},
		{"SequenceOldestFirst", testSequenceOldestFirst},
		{"SequenceRollsBack", testSequenceRollsBack},
		{"SequenceRejectsBadBatch", testSequenceRejectsBadBatch},
		{"SequenceConcurrent", testSequenceConcurrent},
		{"Checkpoints", testCheckpoints},
		{"Cosignatures", testCosignatures},
		{"ReadLeavesBounds", testReadLeavesBounds},
	} {
		t.Run(tt.name, func(t *testing.T) { tt.f(t, newHarness(t)) })
	}
}

// newLog returns a Log over the store with a fresh key.
func newLog(t *testing.T, s translog.Store) (*translog.Log, string) {
	t.Helper()
	skey, vkey, err := translog.GenerateKey("homthu.test/log")
	if err != nil {
		t.Fatal(err)
	}
	l, err := translog.New(translog.Config{Store: s, SignerKey: skey})
	if err != nil {
		t.Fatal(err)
	}
	return l, vkey
}

// leaf returns a valid encoded leaf, distinct for each i.
func leaf(t *testing.T, i int) []byte {
	t.Helper()
	l, _, err := translog.NewLeaf(translog.KindItem, fmt.Sprintf("14329-%03d", i%1000), "2025-07", fmt.Appendf(nil, "text %d", i))
	if err != nil {
		t.Fatal(err)
	}
	b, err := l.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func addPending(t *testing.T, h Harness, from, to int) map[string][]byte {
	t.Helper()
	want := make(map[string][]byte)
	for i := from; i < to; i++ {
		ref := fmt.Sprintf("item:%d", i)
		b := leaf(t, i)
		if err := h.AddPending(t.Context(), b, ref); err != nil {
			t.Fatalf("AddPending(%s): %v", ref, err)
		}
		want[ref] = b
	}
	return want
}

// checkTree checks that the store's leaves are exactly want, each at the
// index LeafIndex gives, and that its stored hashes are the ones the leaves
// give, with tlog alone.
func checkTree(t *testing.T, s translog.Store, want map[string][]byte) {
	t.Helper()
	ctx := t.Context()
	size, err := s.TreeSize(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if size != int64(len(want)) {
		t.Fatalf("TreeSize = %d, want %d", size, len(want))
	}
	var leaves [][]byte
	for start := int64(0); start < size; start += 256 {
		got, err := s.ReadLeaves(ctx, start, min(start+256, size))
		if err != nil {
			t.Fatalf("ReadLeaves(%d): %v", start, err)
		}
		leaves = append(leaves, got...)
	}
	if int64(len(leaves)) != size {
		t.Fatalf("read %d leaves, want %d", len(leaves), size)
	}
	for ref, b := range want {
		i, err := s.LeafIndex(ctx, ref)
		if err != nil {
			t.Fatalf("LeafIndex(%q): %v", ref, err)
		}
		if string(leaves[i]) != string(b) {
			t.Errorf("leaf %d (%s) = %q, want %q", i, ref, leaves[i], b)
		}
	}
	var hashes []tlog.Hash
	read := tlog.HashReaderFunc(func(idx []int64) ([]tlog.Hash, error) {
		out := make([]tlog.Hash, len(idx))
		for i, x := range idx {
			out[i] = hashes[x]
		}
		return out, nil
	})
	for n, l := range leaves {
		hs, err := tlog.StoredHashes(int64(n), l, read)
		if err != nil {
			t.Fatal(err)
		}
		hashes = append(hashes, hs...)
	}
	for lo := 0; lo < len(hashes); lo += 500 {
		hi := min(lo+500, len(hashes))
		idx := make([]int64, hi-lo)
		for i := range idx {
			idx[i] = int64(lo + i)
		}
		got, err := s.ReadHashes(ctx, idx)
		if err != nil {
			t.Fatalf("ReadHashes(%d..%d): %v", lo, hi, err)
		}
		if !slices.Equal(got, hashes[lo:hi]) {
			t.Fatalf("stored hashes %d..%d differ from the ones the leaves give", lo, hi)
		}
	}
}

func testEmpty(t *testing.T, h Harness) {
	ctx := t.Context()
	s := h.Store
	if n, err := s.TreeSize(ctx); n != 0 || err != nil {
		t.Errorf("TreeSize = %d, %v, want 0, nil", n, err)
	}
	if _, err := s.LatestCheckpoint(ctx); !errors.Is(err, translog.ErrNotFound) {
		t.Errorf("LatestCheckpoint: err = %v, want ErrNotFound", err)
	}
	if _, err := s.Checkpoint(ctx, 0); !errors.Is(err, translog.ErrNotFound) {
		t.Errorf("Checkpoint(0): err = %v, want ErrNotFound", err)
	}
	if _, err := s.LeafIndex(ctx, "item:1"); !errors.Is(err, translog.ErrNotFound) {
		t.Errorf("LeafIndex: err = %v, want ErrNotFound", err)
	}
	if got, err := s.ReadLeaves(ctx, 0, 0); len(got) != 0 || err != nil {
		t.Errorf("ReadLeaves(0, 0) = %d leaves, %v; want none, nil", len(got), err)
	}
	if _, err := s.ReadHashes(ctx, []int64{0}); err == nil {
		t.Errorf("ReadHashes([0]) of an empty tree succeeded")
	}
	called := false
	err := s.Sequence(ctx, 10, func(p []translog.Pending, size int64, r tlog.HashReader) (*translog.Batch, error) {
		called = true
		if len(p) != 0 || size != 0 {
			t.Errorf("Sequence on an empty outbox: %d pending, size %d", len(p), size)
		}
		return nil, nil
	})
	if err != nil {
		t.Errorf("Sequence on an empty outbox: %v", err)
	}
	_ = called // a store may skip f when the outbox is empty
	l, vkey := newLog(t, s)
	c, err := l.Sign(ctx)
	if err != nil {
		t.Fatalf("Sign of the empty tree: %v", err)
	}
	if c.Size != 0 {
		t.Errorf("Sign of the empty tree: size %d", c.Size)
	}
	if _, err := translog.Audit(ctx, s, vkey); err != nil {
		t.Errorf("Audit of the empty log: %v", err)
	}
}

func testSequenceAppends(t *testing.T, h Harness) {
	ctx := t.Context()
	l, vkey := newLog(t, h.Store)
	want := addPending(t, h, 0, 300)
	n, err := l.Sequence(ctx)
	if n != 300 || err != nil {
		t.Fatalf("Sequence = %d, %v, want 300, nil", n, err)
	}
	checkTree(t, h.Store, want)
	if n, err := l.Sequence(ctx); n != 0 || err != nil {
		t.Errorf("second Sequence = %d, %v, want 0, nil (outbox emptied)", n, err)
	}
	c, err := l.Sign(ctx)
	if err != nil {
		t.Fatal(err)
	}
	stored, err := h.Store.LatestCheckpoint(ctx)
	if err != nil {
		t.Fatal(err)
	}
	v, err := note.NewVerifier(vkey)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := note.Open(stored.Note(), note.VerifierList(v)); err != nil {
		t.Errorf("note.Open(latest checkpoint): %v", err)
	}
	if stored.Size != 300 || c.Size != 300 {
		t.Errorf("checkpoint size = %d (stored %d), want 300", c.Size, stored.Size)
	}
	r := tlog.HashReaderFunc(func(idx []int64) ([]tlog.Hash, error) { return h.Store.ReadHashes(ctx, idx) })
	for _, i := range []int64{0, 1, 255, 256, 299} {
		p, err := tlog.ProveRecord(300, i, r)
		if err != nil {
			t.Fatalf("ProveRecord(%d): %v", i, err)
		}
		lv, err := h.Store.ReadLeaves(ctx, i, i+1)
		if err != nil {
			t.Fatal(err)
		}
		if err := tlog.CheckRecord(p, 300, c.Hash, i, tlog.RecordHash(lv[0])); err != nil {
			t.Errorf("CheckRecord(%d): %v", i, err)
		}
	}
	addPending(t, h, 300, 310)
	if n, err := l.Sequence(ctx); n != 10 || err != nil {
		t.Fatalf("Sequence = %d, %v, want 10, nil", n, err)
	}
	if _, err := l.Sign(ctx); err != nil {
		t.Fatal(err)
	}
	if rep, err := translog.Audit(ctx, h.Store, vkey, stored.Note()); err != nil || rep.Size != 310 {
		t.Errorf("Audit = %+v, %v; want size 310, nil", rep, err)
	}
}

func testSequenceOldestFirst(t *testing.T, h Harness) {
	ctx := t.Context()
	addPending(t, h, 0, 20)
	var got []string
	var ids []int64
	err := h.Store.Sequence(ctx, 5, func(p []translog.Pending, size int64, r tlog.HashReader) (*translog.Batch, error) {
		for _, x := range p {
			got = append(got, x.Ref)
			ids = append(ids, x.ID)
		}
		return nil, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"item:0", "item:1", "item:2", "item:3", "item:4"}; !slices.Equal(got, want) {
		t.Errorf("Sequence(max 5) saw %v, want %v", got, want)
	}
	if !slices.IsSorted(ids) {
		t.Errorf("pending ids %v not in increasing order", ids)
	}
}

func testSequenceRollsBack(t *testing.T, h Harness) {
	ctx := t.Context()
	l, _ := newLog(t, h.Store)
	want := addPending(t, h, 0, 3)
	boom := errors.New("boom")
	err := h.Store.Sequence(ctx, 10, func(p []translog.Pending, size int64, r tlog.HashReader) (*translog.Batch, error) {
		return nil, boom
	})
	if !errors.Is(err, boom) {
		t.Errorf("Sequence with a failing f: err = %v, want %v", err, boom)
	}
	if n, _ := h.Store.TreeSize(ctx); n != 0 {
		t.Errorf("TreeSize after a failed Sequence = %d, want 0", n)
	}
	if n, err := l.Sequence(ctx); n != 3 || err != nil {
		t.Fatalf("Sequence = %d, %v, want 3, nil: the failed Sequence must leave the outbox", n, err)
	}
	checkTree(t, h.Store, want)
}

func testSequenceRejectsBadBatch(t *testing.T, h Harness) {
	ctx := t.Context()
	addPending(t, h, 0, 2)
	for _, tt := range []struct {
		name  string
		batch func(p []translog.Pending, good *translog.Batch) *translog.Batch
	}{
		{"index gap", func(p []translog.Pending, good *translog.Batch) *translog.Batch {
			good.Leaves[1].Index = 5
			return good
		}},
		{"too few hashes", func(p []translog.Pending, good *translog.Batch) *translog.Batch {
			good.Hashes = good.Hashes[:1]
			return good
		}},
		{"duplicate ref", func(p []translog.Pending, good *translog.Batch) *translog.Batch {
			good.Leaves[1].Ref = good.Leaves[0].Ref
			return good
		}},
	} {
		err := h.Store.Sequence(ctx, 10, func(p []translog.Pending, size int64, r tlog.HashReader) (*translog.Batch, error) {
			good := &translog.Batch{}
			var hashes []tlog.Hash
			for i, x := range p {
				hs, err := tlog.StoredHashes(int64(i), x.Leaf, tlog.HashReaderFunc(func(idx []int64) ([]tlog.Hash, error) {
					out := make([]tlog.Hash, len(idx))
					for j, k := range idx {
						out[j] = hashes[k]
					}
					return out, nil
				}))
				if err != nil {
					return nil, err
				}
				hashes = append(hashes, hs...)
				good.Leaves = append(good.Leaves, translog.Entry{Index: int64(i), Leaf: x.Leaf, Ref: x.Ref})
				good.Done = append(good.Done, x.ID)
			}
			good.Hashes = hashes
			return tt.batch(p, good), nil
		})
		if err == nil {
			t.Errorf("Sequence accepted a batch with %s", tt.name)
		}
		if n, _ := h.Store.TreeSize(ctx); n != 0 {
			t.Fatalf("TreeSize after a rejected batch (%s) = %d, want 0", tt.name, n)
		}
	}
}

// testSequenceConcurrent runs several sequencers at once, as several homthu
// serve processes do, while records keep arriving: every record must end up
// in the tree exactly once and the tree must audit clean.
func testSequenceConcurrent(t *testing.T, h Harness) {
	ctx := t.Context()
	const writers, perWriter, sequencers = 4, 50, 4
	var logs []*translog.Log
	skey, vkey, err := translog.GenerateKey("homthu.test/log")
	if err != nil {
		t.Fatal(err)
	}
	for range sequencers {
		l, err := translog.New(translog.Config{Store: h.Store, SignerKey: skey, MaxBatch: 7})
		if err != nil {
			t.Fatal(err)
		}
		logs = append(logs, l)
	}
	want := make(map[string][]byte)
	var mu sync.Mutex
	var wg sync.WaitGroup
	errc := make(chan error, writers+sequencers)
	done := make(chan struct{})
	leaves := make([][]byte, writers*perWriter)
	for i := range leaves {
		leaves[i] = leaf(t, i)
	}
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range perWriter {
				ref := fmt.Sprintf("item:%d-%d", w, i)
				b := leaves[w*perWriter+i]
				if err := h.AddPending(ctx, b, ref); err != nil {
					errc <- err
					return
				}
				mu.Lock()
				want[ref] = b
				mu.Unlock()
			}
		}()
	}
	var sg sync.WaitGroup
	for _, l := range logs {
		sg.Add(1)
		go func() {
			defer sg.Done()
			for {
				select {
				case <-done:
					return
				default:
				}
				if _, err := l.Sequence(ctx); err != nil {
					errc <- err
					return
				}
				if _, err := l.Sign(ctx); err != nil {
					errc <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	for {
		if len(errc) > 0 {
			break
		}
		n, err := h.Store.TreeSize(ctx)
		if err != nil || n == writers*perWriter {
			break
		}
		if _, err := logs[0].Sequence(ctx); err != nil {
			t.Fatal(err)
		}
	}
	close(done)
	sg.Wait()
	close(errc)
	for err := range errc {
		t.Fatalf("concurrent sequencing: %v", err)
	}
	checkTree(t, h.Store, want)
	if _, err := logs[0].Sign(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := translog.Audit(ctx, h.Store, vkey); err != nil {
		t.Errorf("Audit after concurrent sequencing: %v", err)
	}
}

func testCheckpoints(t *testing.T, h Harness) {
	ctx := t.Context()
	s := h.Store
	for _, c := range []struct {
		size int64
		note string
	}{{2, "two"}, {5, "five"}, {3, "three"}, {5, "five again"}} {
		if err := s.SaveCheckpoint(ctx, c.size, []byte(c.note)); err != nil {
			t.Fatalf("SaveCheckpoint(%d): %v", c.size, err)
		}
	}
	latest, err := s.LatestCheckpoint(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if latest.Size != 5 || string(latest.Signed) != "five" {
		t.Errorf("LatestCheckpoint = %d %q, want 5 \"five\" (a second save of one size is a no-op)", latest.Size, latest.Signed)
	}
	c3, err := s.Checkpoint(ctx, 3)
	if err != nil || c3.Size != 3 || string(c3.Signed) != "three" {
		t.Errorf("Checkpoint(3) = %+v, %v", c3, err)
	}
	if _, err := s.Checkpoint(ctx, 4); !errors.Is(err, translog.ErrNotFound) {
		t.Errorf("Checkpoint(4): err = %v, want ErrNotFound", err)
	}
}

func testCosignatures(t *testing.T, h Harness) {
	ctx := t.Context()
	s := h.Store
	if err := s.AddCosignature(ctx, 7, "w+00000001", []byte("— w AAAA\n")); !errors.Is(err, translog.ErrNotFound) {
		t.Errorf("AddCosignature for a missing checkpoint: err = %v, want ErrNotFound", err)
	}
	if err := s.SaveCheckpoint(ctx, 7, []byte("seven\n")); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ key, line string }{
		{"a+00000001", "— a first\n"},
		{"b+00000002", "— b only\n"},
		{"a+00000001", "— a second\n"},
	} {
		if err := s.AddCosignature(ctx, 7, c.key, []byte(c.line)); err != nil {
			t.Fatalf("AddCosignature(%s): %v", c.key, err)
		}
	}
	c, err := s.LatestCheckpoint(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, l := range c.Cosignatures {
		got = append(got, string(l))
	}
	slices.Sort(got)
	if want := []string{"— a second\n", "— b only\n"}; !slices.Equal(got, want) {
		t.Errorf("cosignatures = %q, want %q", got, want)
	}
	if got := string(c.Note()); got != "seven\n— a second\n— b only\n" && got != "seven\n— b only\n— a second\n" {
		t.Errorf("Note() = %q", got)
	}
}

func testReadLeavesBounds(t *testing.T, h Harness) {
	ctx := t.Context()
	l, _ := newLog(t, h.Store)
	addPending(t, h, 0, 5)
	if _, err := l.Sequence(ctx); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		start, end int64
		n          int
		ok         bool
	}{
		{0, 5, 5, true},
		{2, 4, 2, true},
		{5, 5, 0, true},
		{0, 6, 0, false},
		{4, 7, 0, false},
	} {
		got, err := h.Store.ReadLeaves(ctx, tt.start, tt.end)
		if (err == nil) != tt.ok || len(got) != tt.n {
			t.Errorf("ReadLeaves(%d, %d) = %d leaves, %v; want %d, ok=%v", tt.start, tt.end, len(got), err, tt.n, tt.ok)
		}
	}
}
