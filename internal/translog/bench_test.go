package translog

import (
	"encoding/json"
	"fmt"
	"testing"

	"golang.org/x/mod/sumdb/tlog"
)

// BenchmarkNewLeaf is what committing a record adds to its transaction,
// besides one INSERT into log_pending: a salt, two SHA-256 and the encoding.
func BenchmarkNewLeaf(b *testing.B) {
	text := []byte("Tôi phản ánh việc cán bộ thôn nhận tiền của người dân khi làm thủ tục.")
	for b.Loop() {
		l, _, err := NewLeaf(KindItem, "14329-005", "2025-07", text)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := l.MarshalBinary(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSequence appends shuffled batches of 1000 leaves to a MemStore
// and reports leaves per second.
func BenchmarkSequence(b *testing.B) {
	skey, _ := testKey(b)
	s := new(MemStore)
	l, err := New(Config{Store: s, SignerKey: skey, MaxBatch: 1000})
	if err != nil {
		b.Fatal(err)
	}
	leaves := make([][]byte, 1000)
	for i := range leaves {
		leaves[i], _ = testLeaf(b, i)
	}
	n := 0
	for b.Loop() {
		b.StopTimer()
		for _, lf := range leaves {
			s.AddPending(b.Context(), lf, "")
		}
		b.StartTimer()
		if got, err := l.Sequence(b.Context()); err != nil || got != len(leaves) {
			b.Fatalf("Sequence = %d, %v", got, err)
		}
		n += len(leaves)
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "leaves/s")
}

// BenchmarkSign signs a checkpoint after each one-leaf growth: the tree
// hash, the consistency check against the previous checkpoint, the Ed25519
// signature and saving it.
func BenchmarkSign(b *testing.B) {
	skey, _ := testKey(b)
	s := new(MemStore)
	l := newTestLog(b, s, skey)
	grow(b, l, s, 0, 100_000)
	leaf, _ := testLeaf(b, 0)
	for b.Loop() {
		b.StopTimer()
		s.AddPending(b.Context(), leaf, "")
		if _, err := l.Sequence(b.Context()); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if _, err := l.Sign(b.Context()); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSignNote is the Ed25519 signature of a checkpoint alone.
func BenchmarkSignNote(b *testing.B) {
	skey, _ := testKey(b)
	l := newTestLog(b, new(MemStore), skey)
	c := Checkpoint{Origin: testOrigin, Size: 1_000_000, Hash: emptyTreeHash()}
	for b.Loop() {
		if _, err := signCheckpoint(c, l.signer); err != nil {
			b.Fatal(err)
		}
	}
}

// buildMillion returns a log of 1,000,000 leaves over a MemStore, appended
// in order (shuffling changes nothing to the sizes measured).
func buildMillion(b *testing.B) *Log {
	skey, _ := testKey(b)
	s := new(MemStore)
	l := newTestLog(b, s, skey)
	var salt [SaltSize]byte
	const batch = 1 << 14
	for start := 0; start < 1_000_000; start += batch {
		var p []Pending
		for i := start; i < min(start+batch, 1_000_000); i++ {
			p = append(p, Pending{Leaf: millionLeaf(salt[:], i), Ref: fmt.Sprintf("item:%d", i)})
		}
		err := s.Sequence(b.Context(), 0, func(_ []Pending, size int64, r tlog.HashReader) (*Batch, error) {
			batch, err := appendBatch(p, size, r)
			if err == nil {
				batch.Done = nil // the rows never were in the outbox
			}
			return batch, err
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	if _, err := l.Sign(b.Context()); err != nil {
		b.Fatal(err)
	}
	return l
}

func millionLeaf(salt []byte, i int) []byte {
	lf := Leaf{KindItem, fmt.Sprintf("14329-%03d", i%1000), "2025-07", Commit(KindItem, salt, HashText(fmt.Appendf(nil, "%d", i)))}
	enc, _ := lf.MarshalBinary()
	return enc
}

// BenchmarkMillion measures a log of 1,000,000 leaves: building a proof
// bundle (and its size), verifying it, and auditing the whole log.
func BenchmarkMillion(b *testing.B) {
	l := buildMillion(b)
	var salt [SaltSize]byte
	op := func(i int) Opening { return Opening{Salt: salt[:], TextHash: HashText(fmt.Appendf(nil, "%d", i))} }

	b.Run("Proof", func(b *testing.B) {
		var bundle *Bundle
		var err error
		for b.Loop() {
			if bundle, err = l.Proof(b.Context(), 123456, op(123456)); err != nil {
				b.Fatal(err)
			}
		}
		js, _ := json.Marshal(bundle)
		b.ReportMetric(float64(len(bundle.Proof)), "proof-hashes")
		b.ReportMetric(float64(len(bundle.Proof)*tlog.HashSize), "proof-bytes")
		b.ReportMetric(float64(len(js)), "bundle-bytes")
	})
	b.Run("Verify", func(b *testing.B) {
		bundle, err := l.Proof(b.Context(), 999_999, op(999_999))
		if err != nil {
			b.Fatal(err)
		}
		for b.Loop() {
			if _, _, err := Verify(bundle, l.VerifierKey()); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Audit", func(b *testing.B) {
		for b.Loop() {
			if _, err := Audit(b.Context(), l.store, l.VerifierKey()); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(1e6*float64(b.N)/b.Elapsed().Seconds(), "leaves/s")
	})
}
