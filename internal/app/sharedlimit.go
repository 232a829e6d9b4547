package app

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"homthu/internal/store"
)

// SharedLimiter counts hits for several instances on one database without
// a committed write per request. Each instance counts in memory and, every
// Interval, adds what it counted to the shared counters in one statement
// (store.RateAdd), learning from the answer what the other instances
// counted. A key an instance has not seen in the current window is read
// from the database first, so a fresh instance starts from the shared
// count.
//
// The price is bounded and stated: another instance's hits are seen at
// most one Interval late, so a client spreading its requests over n
// instances can get at most (n-1) × (its rate × Interval) hits beyond a
// limit. With the default 250 ms and the limits of ratelimit.go (per
// minute and per quarter hour) that is a few requests, against a committed
// upsert — a WAL flush — saved on every submission.
type SharedLimiter struct {
	Store interface {
		RateAdd(ctx context.Context, deltas []store.RateDelta) ([]int, error)
		RateCount(ctx context.Context, key []byte, win int64) (int, error)
	}
	// Interval is how often the counts are shared; 250 ms if 0.
	Interval time.Duration
	// Log receives the errors of the background flush; none if nil.
	Log *slog.Logger

	mu     sync.Mutex
	counts map[string]*sharedCount
}

type sharedCount struct {
	win     int64
	span    int64     // the window's length in milliseconds
	shared  int       // the shared count as of the last flush or read
	pending int       // this instance's hits not yet added to it
	seen    bool      // used since the last flush
	fresh   time.Time // when shared was last learnt from the database
}

func (l *SharedLimiter) every() time.Duration {
	if l.Interval <= 0 {
		return 250 * time.Millisecond
	}
	return l.Interval
}

// count returns key's counter for window win, read from the store when the
// instance has none for that window or has not learnt the shared count for
// an Interval (a counter unused for a while is not refreshed by Flush). It
// is called with l.mu held and releases it around the read.
func (l *SharedLimiter) count(ctx context.Context, key string, win, span int64, now time.Time) (*sharedCount, error) {
	if l.counts == nil {
		l.counts = map[string]*sharedCount{}
	}
	c := l.counts[key]
	if c != nil && (c.win > win || c.win == win && now.Sub(c.fresh) < l.every()) {
		return c, nil
	}
	l.mu.Unlock()
	n, err := l.Store.RateCount(ctx, []byte(key), win)
	l.mu.Lock()
	if err != nil {
		return nil, err
	}
	if c = l.counts[key]; c != nil && c.win > win {
		return c, nil // another request moved it on while the lock was free
	}
	if c == nil || c.win < win {
		c = &sharedCount{win: win, span: span}
		l.counts[key] = c
	}
	// n counts what this instance flushed, never what is pending.
	c.shared, c.fresh = n, now
	return c, nil
}

// Hit implements Limiter.
func (l *SharedLimiter) Hit(ctx context.Context, key []byte, window time.Duration, now time.Time) (int, error) {
	k := string(windowKey(key, window))
	win := now.UnixMilli() / window.Milliseconds()
	l.mu.Lock()
	defer l.mu.Unlock()
	c, err := l.count(ctx, k, win, window.Milliseconds(), now)
	if err != nil {
		return 0, err
	}
	// (c.win > win only if the clock went back across a window: the hit
	// counts in the newer one.)
	c.pending++
	c.seen = true
	return c.shared + c.pending, nil
}

// Count implements Limiter.
func (l *SharedLimiter) Count(ctx context.Context, key []byte, window time.Duration, now time.Time) (int, error) {
	k := string(windowKey(key, window))
	win := now.UnixMilli() / window.Milliseconds()
	l.mu.Lock()
	defer l.mu.Unlock()
	c, err := l.count(ctx, k, win, window.Milliseconds(), now)
	if err != nil {
		return 0, err
	}
	c.seen = true
	return c.shared + c.pending, nil
}

// Flush adds the hits counted since the last flush to the shared counters
// and refreshes the counters used since then with the other instances'
// hits. Counters of ended windows with nothing pending are dropped.
func (l *SharedLimiter) Flush(ctx context.Context, now time.Time) error {
	type sent struct {
		key string
		c   *sharedCount
		n   int
	}
	l.mu.Lock()
	var batch []sent
	var deltas []store.RateDelta
	for k, c := range l.counts {
		if c.pending == 0 && !c.seen {
			// Unused since the last flush: forget it once its window has
			// ended (a read brings a counter back if it is used again).
			if now.UnixMilli()/c.span > c.win {
				delete(l.counts, k)
			}
			continue
		}
		batch = append(batch, sent{k, c, c.pending})
		deltas = append(deltas, store.RateDelta{Key: []byte(k), Win: c.win, N: c.pending})
		c.seen = false
	}
	l.mu.Unlock()
	if len(deltas) == 0 {
		return nil
	}
	counts, err := l.Store.RateAdd(ctx, deltas)
	l.mu.Lock()
	defer l.mu.Unlock()
	for i, b := range batch {
		if err != nil {
			b.c.seen = true // try again at the next flush; the hits stay pending
			continue
		}
		b.c.pending -= b.n
		b.c.shared, b.c.fresh = counts[i], now
	}
	return err
}

// Run flushes every Interval until ctx ends, then once more, so that an
// instance that stops leaves its counts behind.
func (l *SharedLimiter) Run(ctx context.Context) {
	t := time.NewTicker(l.every())
	defer t.Stop()
	for {
		select {
		case <-t.C:
			if err := l.Flush(ctx, time.Now()); err != nil && l.Log != nil && ctx.Err() == nil {
				l.Log.Error("rate limits: sharing the counts", "err", err)
			}
		case <-ctx.Done():
			fin, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			l.Flush(fin, time.Now())
			cancel()
			return
		}
	}
}
