package translog

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

func TestNew(t *testing.T) {
	skey, _ := testKey(t)
	_, wvkey, _ := GenerateCosignerKey(witnessName)
	for _, tt := range []struct {
		name string
		c    Config
		ok   bool
	}{
		{"ok", Config{Store: new(MemStore), SignerKey: skey}, true},
		{"with witness", Config{Store: new(MemStore), SignerKey: skey, Witnesses: []string{wvkey}}, true},
		{"no store", Config{SignerKey: skey}, false},
		{"no key", Config{Store: new(MemStore)}, false},
		{"bad witness", Config{Store: new(MemStore), SignerKey: skey, Witnesses: []string{"nope"}}, false},
	} {
		l, err := New(tt.c)
		if (err == nil) != tt.ok {
			t.Errorf("New(%s): err = %v, want ok=%v", tt.name, err, tt.ok)
		}
		if err == nil && (l.Origin() != testOrigin || l.RetryAfter() != DefaultInterval) {
			t.Errorf("New(%s): origin %q, retry after %v", tt.name, l.Origin(), l.RetryAfter())
		}
	}
}

// TestSequenceShuffles checks that a batch is not appended in arrival order.
func TestSequenceShuffles(t *testing.T) {
	firsts := make(map[int64]bool)
	for range 10 {
		skey, _ := testKey(t)
		s := new(MemStore)
		l := newTestLog(t, s, skey)
		grow(t, l, s, 0, 50)
		sorted := true
		for i := range 50 {
			n, err := s.LeafIndex(t.Context(), fmt.Sprintf("item:%d", i))
			if err != nil {
				t.Fatal(err)
			}
			if n != int64(i) {
				sorted = false
			}
			if i == 0 {
				firsts[n] = true
			}
		}
		if sorted {
			t.Fatalf("a batch of 50 was appended in arrival order")
		}
	}
	if len(firsts) < 3 {
		t.Errorf("the first record landed at only %d distinct indexes in 10 batches", len(firsts))
	}
}

func TestSequenceSkipsBadLeaf(t *testing.T) {
	ctx := t.Context()
	skey, vkey := testKey(t)
	s := new(MemStore)
	l := newTestLog(t, s, skey)
	good, _ := testLeaf(t, 1)
	s.AddPending(ctx, []byte("not a leaf\n"), "item:bad")
	s.AddPending(ctx, good, "item:good")
	n, err := l.Sequence(ctx)
	if n != 1 || err == nil || !strings.Contains(err.Error(), "item:bad") {
		t.Errorf("Sequence = %d, %v; want 1 and an error naming item:bad", n, err)
	}
	if got := s.Pending(); len(got) != 1 || got[0] != "item:bad" {
		t.Errorf("outbox after Sequence = %v, want [item:bad]", got)
	}
	if _, err := l.Sign(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := Audit(ctx, s, vkey); err != nil {
		t.Errorf("Audit: %v", err)
	}
}

func TestSign(t *testing.T) {
	ctx := t.Context()
	skey, vkey := testKey(t)
	s := new(MemStore)
	l := newTestLog(t, s, skey)
	c0, err := l.Sign(ctx)
	if err != nil || c0.Size != 0 || c0.Hash != emptyTreeHash() {
		t.Fatalf("Sign(empty) = %+v, %v", c0, err)
	}
	grow(t, l, s, 0, 5)
	first := latestNote(t, s)
	c, err := l.Sign(ctx)
	if err != nil || c.Size != 5 {
		t.Fatalf("Sign = %+v, %v", c, err)
	}
	if again := latestNote(t, s); string(again) != string(first) {
		t.Errorf("Sign without growth changed the checkpoint")
	}
	v, _ := note.NewVerifier(vkey)
	n, err := note.Open(first, note.VerifierList(v))
	if err != nil {
		t.Fatalf("note.Open: %v", err)
	}
	root, err := tlog.TreeHash(5, hashReader(ctx, s))
	if err != nil {
		t.Fatal(err)
	}
	if want := fmt.Sprintf("%s\n5\n%s\n", testOrigin, encodeHash(root)); n.Text != want {
		t.Errorf("checkpoint text = %q, want %q", n.Text, want)
	}
}

// TestSignRefusesInconsistent: a damaged store must not get a checkpoint
// that contradicts the previous one.
func TestSignRefusesInconsistent(t *testing.T) {
	skey, _ := testKey(t)
	s := new(MemStore)
	l := newTestLog(t, s, skey)
	grow(t, l, s, 0, 10)
	s.mu.Lock()
	s.hashes[tlog.StoredHashIndex(3, 0)][0] ^= 1
	s.mu.Unlock()
	for i := 10; i < 15; i++ {
		b, _ := testLeaf(t, i)
		s.AddPending(t.Context(), b, fmt.Sprintf("item:%d", i))
	}
	if _, err := l.Sequence(t.Context()); err != nil {
		t.Fatal(err)
	}
	if _, err := l.Sign(t.Context()); !errors.Is(err, ErrInconsistent) {
		t.Errorf("Sign over a damaged store: err = %v, want ErrInconsistent", err)
	}
	if c, _ := s.LatestCheckpoint(t.Context()); c.Size != 10 {
		t.Errorf("latest checkpoint size = %d, want 10", c.Size)
	}
}

func TestRun(t *testing.T) {
	skey, _ := testKey(t)
	s := new(MemStore)
	for i := range 30 {
		b, _ := testLeaf(t, i)
		s.AddPending(t.Context(), b, fmt.Sprintf("item:%d", i))
	}
	l, err := New(Config{Store: s, SignerKey: skey, Interval: 40 * time.Millisecond, BatchInterval: 10 * time.Millisecond, MaxBatch: 7})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error)
	go func() { done <- l.Run(ctx) }()

	// The first round, at start, moves what is in the outbox and signs.
	waitFor(t, func() bool {
		c, err := s.LatestCheckpoint(t.Context())
		return err == nil && c.Size == 30
	})
	// Later arrivals are appended and signed on the schedule.
	for i := 30; i < 40; i++ {
		b, _ := testLeaf(t, i)
		s.AddPending(t.Context(), b, fmt.Sprintf("item:%d", i))
	}
	waitFor(t, func() bool {
		c, err := s.LatestCheckpoint(t.Context())
		return err == nil && c.Size == 40
	})
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Run = %v, want nil after cancel", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not stop with its context")
	}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("timed out")
		}
		time.Sleep(5 * time.Millisecond)
	}
}
