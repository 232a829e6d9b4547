package translog

import (
	"fmt"
	"testing"

	"golang.org/x/mod/sumdb/tlog"
)

const testOrigin = "homthu.test/log"

// testKey returns a fresh signer and verifier key for testOrigin.
func testKey(t testing.TB) (skey, vkey string) {
	t.Helper()
	skey, vkey, err := GenerateKey(testOrigin)
	if err != nil {
		t.Fatal(err)
	}
	return skey, vkey
}

func newTestLog(t testing.TB, s Store, skey string) *Log {
	t.Helper()
	l, err := New(Config{Store: s, SignerKey: skey})
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// testLeaf returns leaf i of a test log, with the opening of its commitment.
func testLeaf(t testing.TB, i int) ([]byte, Opening) {
	t.Helper()
	l, op, err := NewLeaf(KindItem, fmt.Sprintf("14329-%03d", i%1000), "2025-07", fmt.Appendf(nil, "thư số %d", i))
	if err != nil {
		t.Fatal(err)
	}
	b, err := l.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	return b, op
}

// grow adds items from..to-1 to the outbox, sequences them and signs a
// checkpoint, and returns their openings by ref.
func grow(t testing.TB, l *Log, s *MemStore, from, to int) map[string]Opening {
	t.Helper()
	ops := make(map[string]Opening)
	for i := from; i < to; i++ {
		b, op := testLeaf(t, i)
		ref := fmt.Sprintf("item:%d", i)
		if _, err := s.AddPending(t.Context(), b, ref); err != nil {
			t.Fatal(err)
		}
		ops[ref] = op
	}
	for {
		n, err := l.Sequence(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			break
		}
	}
	if _, err := l.Sign(t.Context()); err != nil {
		t.Fatal(err)
	}
	return ops
}

// forge builds, as an attacker holding the database and the signing key
// would, a log whose leaves are exactly leaves, in that order, with every
// hash recomputed and a checkpoint signed for its size.
func forge(t testing.TB, skey string, leaves [][]byte) *MemStore {
	t.Helper()
	s := new(MemStore)
	for _, b := range leaves {
		if _, err := s.AddPending(t.Context(), b, ""); err != nil {
			t.Fatal(err)
		}
	}
	err := s.Sequence(t.Context(), len(leaves), func(p []Pending, size int64, r tlog.HashReader) (*Batch, error) {
		return appendBatch(p, size, r)
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := newTestLog(t, s, skey).Sign(t.Context()); err != nil {
		t.Fatal(err)
	}
	return s
}

// allLeaves reads every leaf of s.
func allLeaves(t testing.TB, s Store) [][]byte {
	t.Helper()
	n, err := s.TreeSize(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	out, err := s.ReadLeaves(t.Context(), 0, n)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// latestNote returns the latest checkpoint of s as served.
func latestNote(t testing.TB, s Store) []byte {
	t.Helper()
	c, err := s.LatestCheckpoint(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return c.Note()
}
