package store_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"homthu/internal/homthu"
	"homthu/internal/store"
	"homthu/internal/store/storetest"
	"homthu/internal/translog"
	"homthu/internal/translog/translogtest"
)

// TestTransLog runs translog's storage suite on each engine.
func TestTransLog(t *testing.T) {
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			translogtest.Run(t, func(t *testing.T) translogtest.Harness {
				s := storetest.Open(t, engine)
				return translogtest.Harness{Store: s.TransLog(), AddPending: addPending(s)}
			})
		})
	}
}

func addPending(s *store.Store) func(ctx context.Context, leaf []byte, ref string) error {
	return func(ctx context.Context, leaf []byte, ref string) error {
		return s.Transact(ctx, func(tx *store.Tx) error {
			_, err := tx.Exec(ctx, `INSERT INTO log_pending (leaf, ref) VALUES (?, ?)`, leaf, ref)
			return err
		})
	}
}

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

// createItem stores an item with a real leaf, as the application does, and
// returns its id and opening.
func createItem(t *testing.T, s *store.Store, content string) (string, translog.Opening) {
	t.Helper()
	ctx := context.Background()
	leaf, op, err := translog.NewLeaf(translog.KindItem, "14329", translog.Month(time.Now()), []byte(content))
	if err != nil {
		t.Fatal(err)
	}
	enc, err := leaf.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	id := fmt.Sprintf("%x", op.Salt[:8])
	it := &store.NewItem{
		ID: id, Unit: "14329", ReceivedOn: time.Now().In(homthu.VNTime).Format(time.DateOnly),
		CommitSalt: op.Salt, TextHash: op.TextHash[:], Leaf: enc,
		Sub: homthu.Submission{Area: "14329-001", To: homthu.ToCommune, Channel: homthu.ChannelOnline, Content: content, Anonymous: true},
	}
	if err := s.Transact(ctx, func(tx *store.Tx) error { return store.CreateItem(ctx, tx, it) }); err != nil {
		t.Fatalf("CreateItem: %v", err)
	}
	return id, op
}

// TestTransLogItems follows an item from its transaction to a verified proof
// bundle, across a "crash": the store is closed with the leaf still in the
// outbox and the next process appends it.
func TestTransLogItems(t *testing.T) {
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			url := storetest.URL(t, engine)
			s, err := store.Open(ctx, url)
			if err != nil {
				t.Fatal(err)
			}
			if err := s.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			storetest.Tree(t, s)
			id, op := createItem(t, s, "Cán bộ phường nhận tiền khi làm thủ tục đất đai")
			s.Close() // the process dies before the sequencer ran

			s, err = store.Open(ctx, url)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			l, vkey := newLog(t, s.TransLog())
			if _, err := l.ProofByRef(ctx, "item:"+id, op); !errors.Is(err, translog.ErrPending) {
				t.Errorf("ProofByRef before sequencing: err = %v, want ErrPending", err)
			}
			if n, err := l.Sequence(ctx); n != 1 || err != nil {
				t.Fatalf("Sequence after restart = %d, %v; want 1, nil", n, err)
			}
			if _, err := l.Sign(ctx); err != nil {
				t.Fatal(err)
			}
			b, err := l.ProofByRef(ctx, "item:"+id, op)
			if err != nil {
				t.Fatalf("ProofByRef: %v", err)
			}
			if _, leaf, err := translog.Verify(b, vkey); err != nil || leaf.Unit != "14329" {
				t.Errorf("Verify = %+v, %v", leaf, err)
			}
		})
	}
}

// TestTransLogAppendOnly: the database itself refuses to change the log.
func TestTransLogAppendOnly(t *testing.T) {
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			s := storetest.Open(t, engine)
			storetest.Tree(t, s)
			createItem(t, s, "Nội dung")
			l, _ := newLog(t, s.TransLog())
			if _, err := l.Sequence(ctx); err != nil {
				t.Fatal(err)
			}
			if _, err := l.Sign(ctx); err != nil {
				t.Fatal(err)
			}
			for _, q := range []string{
				`UPDATE log_leaves SET leaf = leaf`,
				`DELETE FROM log_leaves`,
				`UPDATE log_hashes SET hash = hash`,
				`DELETE FROM log_hashes`,
				`UPDATE log_checkpoints SET signed = signed`,
				`DELETE FROM log_checkpoints`,
			} {
				err := s.Transact(ctx, func(tx *store.Tx) error {
					_, err := tx.Exec(ctx, q)
					return err
				})
				if err == nil {
					t.Errorf("%s succeeded", q)
				}
			}
		})
	}
}

// TestTransLogProcesses runs sequencers in several processes — here several
// stores opened on one database — while items arrive through each: every
// item is appended exactly once and the log audits clean.
func TestTransLogProcesses(t *testing.T) {
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			url := storetest.URL(t, engine)
			var stores []*store.Store
			for range 3 {
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
			storetest.Tree(t, stores[0])
			skey, vkey, err := translog.GenerateKey("homthu.test/log")
			if err != nil {
				t.Fatal(err)
			}
			const perProcess = 40
			var wg sync.WaitGroup
			errc := make(chan error, 2*len(stores))
			ids := make(chan string, perProcess*len(stores))
			for _, s := range stores {
				l, err := translog.New(translog.Config{Store: s.TransLog(), SignerKey: skey, MaxBatch: 5})
				if err != nil {
					t.Fatal(err)
				}
				wg.Add(2)
				go func() {
					defer wg.Done()
					for i := range perProcess {
						leaf, op, _ := translog.NewLeaf(translog.KindItem, "14329", "2025-07", fmt.Appendf(nil, "%d", i))
						enc, _ := leaf.MarshalBinary()
						id := fmt.Sprintf("%x", op.Salt[:8])
						it := &store.NewItem{
							ID: id, Unit: "14329", ReceivedOn: "2025-07-01", CommitSalt: op.Salt, TextHash: op.TextHash[:], Leaf: enc,
							Sub: homthu.Submission{Area: "14329-001", To: homthu.ToCommune, Channel: homthu.ChannelOnline, Content: "x", Anonymous: true},
						}
						if err := s.Transact(ctx, func(tx *store.Tx) error { return store.CreateItem(ctx, tx, it) }); err != nil {
							errc <- err
							return
						}
						ids <- id
					}
				}()
				go func() {
					defer wg.Done()
					for range 3 * perProcess {
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
			close(errc)
			for err := range errc {
				t.Fatalf("concurrent processes: %v", err)
			}
			close(ids)
			l, err := translog.New(translog.Config{Store: stores[1].TransLog(), SignerKey: skey})
			if err != nil {
				t.Fatal(err)
			}
			for {
				n, err := l.Sequence(ctx)
				if err != nil {
					t.Fatal(err)
				}
				if n == 0 {
					break
				}
			}
			if _, err := l.Sign(ctx); err != nil {
				t.Fatal(err)
			}
			seen := make(map[int64]bool)
			for id := range ids {
				i, err := stores[2].TransLog().LeafIndex(ctx, "item:"+id)
				if err != nil {
					t.Fatalf("LeafIndex(item:%s): %v", id, err)
				}
				if seen[i] {
					t.Errorf("two items at index %d", i)
				}
				seen[i] = true
			}
			rep, err := translog.Audit(ctx, stores[0].TransLog(), vkey)
			if err != nil || rep.Size != int64(len(seen)) || len(seen) != perProcess*len(stores) {
				t.Errorf("Audit = %+v, %v; want %d leaves", rep, err, perProcess*len(stores))
			}
		})
	}
}

// BenchmarkTransLogSequence appends shuffled batches of 1000 leaves to the
// database and reports leaves per second; the outbox rows are written
// outside the timer, as submissions write them in their own transactions.
func BenchmarkTransLogSequence(b *testing.B) {
	for _, engine := range storetest.Engines() {
		b.Run(engine, func(b *testing.B) {
			ctx := context.Background()
			s := storetest.Open(b, engine)
			skey, _, err := translog.GenerateKey("homthu.test/log")
			if err != nil {
				b.Fatal(err)
			}
			l, err := translog.New(translog.Config{Store: s.TransLog(), SignerKey: skey, MaxBatch: 1000})
			if err != nil {
				b.Fatal(err)
			}
			leaves := make([][]byte, 1000)
			for i := range leaves {
				leaf, _, _ := translog.NewLeaf(translog.KindItem, "14329", "2025-07", fmt.Appendf(nil, "%d", i))
				leaves[i], _ = leaf.MarshalBinary()
			}
			n := 0
			for b.Loop() {
				b.StopTimer()
				err := s.Transact(ctx, func(tx *store.Tx) error {
					for i, leaf := range leaves {
						if _, err := tx.Exec(ctx, `INSERT INTO log_pending (leaf, ref) VALUES (?, ?)`, leaf, fmt.Sprintf("item:%d", n+i)); err != nil {
							return err
						}
					}
					return nil
				})
				if err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				if got, err := l.Sequence(ctx); err != nil || got != len(leaves) {
					b.Fatalf("Sequence = %d, %v", got, err)
				}
				n += len(leaves)
			}
			b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "leaves/s")
		})
	}
}

// BenchmarkTransLogPending is what the log adds to a submission: a leaf and
// one INSERT into the outbox, measured as the cost per row of transactions
// of 100 rows (so that the commit's fsync, which the submission pays anyway,
// is mostly amortised away).
func BenchmarkTransLogPending(b *testing.B) {
	for _, engine := range storetest.Engines() {
		b.Run(engine, func(b *testing.B) {
			ctx := context.Background()
			s := storetest.Open(b, engine)
			i := 0
			for b.Loop() {
				err := s.Transact(ctx, func(tx *store.Tx) error {
					for range 100 {
						leaf, _, err := translog.NewLeaf(translog.KindItem, "14329", "2025-07", []byte("nội dung"))
						if err != nil {
							return err
						}
						enc, _ := leaf.MarshalBinary()
						i++
						if _, err := tx.Exec(ctx, `INSERT INTO log_pending (leaf, ref) VALUES (?, ?)`, enc, fmt.Sprintf("item:%d", i)); err != nil {
							return err
						}
					}
					return nil
				})
				if err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(i), "µs/row")
		})
	}
}
