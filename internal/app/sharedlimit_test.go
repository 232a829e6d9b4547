package app

import (
	"context"
	"testing"
	"time"

	"homthu/internal/store/storetest"
)

// Two instances on one database: each counts in memory, shares every flush,
// and starts from the shared count for a key it has not seen.
func TestSharedLimiter(t *testing.T) {
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			s := storetest.Open(t, engine)
			a, b := &SharedLimiter{Store: s}, &SharedLimiter{Store: s}
			now := time.Date(2026, 12, 7, 10, 0, 30, 0, time.UTC)
			key := []byte("client-1")
			hit := func(l *SharedLimiter, want int) {
				t.Helper()
				if n, err := l.Hit(ctx, key, time.Minute, now); err != nil || n != want {
					t.Errorf("Hit = %d, %v; want %d", n, err, want)
				}
			}
			for i := 1; i <= 3; i++ {
				hit(a, i)
			}
			// Nothing shared yet: b reads 0 from the database.
			hit(b, 1)
			if err := a.Flush(ctx, now); err != nil {
				t.Fatal(err)
			}
			if err := b.Flush(ctx, now); err != nil {
				t.Fatal(err)
			}
			// b has learnt a's three hits from its flush.
			hit(b, 5)
			// Within an Interval a counts on what it knew; after it, a reads
			// the shared count again (b's flushed hit, not its pending one).
			hit(a, 4)
			now = now.Add(time.Second)
			hit(a, 6) // 3 + 1 of a, 1 of b shared, + this one
			if err := b.Flush(ctx, now); err != nil {
				t.Fatal(err)
			}
			if err := a.Flush(ctx, now); err != nil {
				t.Fatal(err)
			}
			if n, _ := a.Count(ctx, key, time.Minute, now); n != 7 {
				t.Errorf("a.Count after both flushed = %d, want 7", n)
			}
			// A third instance, started now, begins at the shared count.
			c := &SharedLimiter{Store: s}
			if n, _ := c.Count(ctx, key, time.Minute, now); n != 7 {
				t.Errorf("a new instance's Count = %d, want 6", n)
			}
			// The next window starts at 0; the ended one is forgotten.
			later := now.Add(time.Minute)
			if n, _ := a.Hit(ctx, key, time.Minute, later); n != 1 {
				t.Errorf("Hit in the next window = %d, want 1", n)
			}
			if err := a.Flush(ctx, later.Add(time.Hour)); err != nil {
				t.Fatal(err)
			}
			if err := a.Flush(ctx, later.Add(time.Hour)); err != nil {
				t.Fatal(err)
			}
			a.mu.Lock()
			left := len(a.counts)
			a.mu.Unlock()
			if left != 0 {
				t.Errorf("%d counters kept after their windows ended, want 0", left)
			}
		})
	}
}
