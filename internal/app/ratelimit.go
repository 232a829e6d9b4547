package app

import (
	"context"
	"fmt"
	"sync"
	"time"

	"homthu/internal/homthu"
)

// Rate limits protect receipts from guessing and the service from floods
// without locking out a commune whose people all reach us through one
// mobile carrier's address (carrier-grade NAT): the per-address limits are
// generous, failures are counted more tightly than successes, and each
// receipt has its own limit. Addresses are never stored: a counter's key is
// a keyed hash of the address, kept only for the counter's window.
//
// With several instances on one PostgreSQL database the counters are
// shared through the database (a balancer must not multiply the limits),
// without a write per request (SharedLimiter); on SQLite, which has one
// instance, they live in memory (MemLimiter).

// Limiter counts hits of a key within a fixed window.
type Limiter interface {
	// Hit adds one hit to key's counter for the window that contains now
	// and returns the count so far in that window.
	Hit(ctx context.Context, key []byte, window time.Duration, now time.Time) (int, error)
	// Count returns the count of key in the window that contains now.
	Count(ctx context.Context, key []byte, window time.Duration, now time.Time) (int, error)
}

type clientKey struct{}

// WithClient returns a context carrying the client's address, as the
// server determined it (the peer, or the first untrusted X-Forwarded-For hop).
func WithClient(ctx context.Context, addr string) context.Context {
	return context.WithValue(ctx, clientKey{}, addr)
}

func clientOf(ctx context.Context) string {
	s, _ := ctx.Value(clientKey{}).(string)
	return s
}

// limit counts a hit of (purpose, value) and returns ERATELIMITED when the
// count exceeds n within per. An empty value (no known client) is not limited.
func (a *App) limit(ctx context.Context, purpose, value string, n int, per time.Duration) error {
	if a.Limiter == nil || value == "" || n <= 0 {
		return nil
	}
	c, err := a.Limiter.Hit(ctx, a.Keys.Hash("ratelimit:"+purpose, value), per, a.now())
	if err != nil {
		return err
	}
	if c > n {
		return homthu.Errorf(homthu.ERATELIMITED, "Bạn (hoặc mạng bạn đang dùng) đã gửi quá nhiều yêu cầu. Xin thử lại sau %s.", humanDuration(per))
	}
	return nil
}

// over returns ERATELIMITED if (purpose, value) already has n hits within
// per, without adding one: failures are counted after the fact, and checked
// before the next attempt.
func (a *App) over(ctx context.Context, purpose, value string, n int, per time.Duration) error {
	if a.Limiter == nil || value == "" || n <= 0 {
		return nil
	}
	c, err := a.Limiter.Count(ctx, a.Keys.Hash("ratelimit:"+purpose, value), per, a.now())
	if err != nil {
		return err
	}
	if c >= n {
		return homthu.Errorf(homthu.ERATELIMITED, "Có quá nhiều lần nhập sai từ mạng bạn đang dùng. Xin thử lại sau %s.", humanDuration(per))
	}
	return nil
}

func humanDuration(d time.Duration) string {
	if d >= time.Hour {
		return fmt.Sprintf("%d giờ", int(d.Hours()))
	}
	if d >= time.Minute {
		return fmt.Sprintf("%d phút", int(d.Minutes()))
	}
	return fmt.Sprintf("%d giây", int(d.Seconds()))
}

// MemLimiter keeps counters in memory, for a single instance.
type MemLimiter struct {
	mu     sync.Mutex
	counts map[string]memCount
	sweep  time.Time
}

type memCount struct {
	win int64
	n   int
}

// Hit implements Limiter.
func (m *MemLimiter) Hit(ctx context.Context, key []byte, window time.Duration, now time.Time) (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.counts == nil {
		m.counts = map[string]memCount{}
	}
	win := now.UnixMilli() / window.Milliseconds()
	if now.Sub(m.sweep) > time.Minute {
		// Drop counters of past windows (windows are at most an hour).
		for k, c := range m.counts {
			if now.UnixMilli()-c.win*window.Milliseconds() > 2*time.Hour.Milliseconds() {
				delete(m.counts, k)
			}
		}
		m.sweep = now
	}
	key = windowKey(key, window)
	c := m.counts[string(key)]
	if c.win != win {
		c = memCount{win: win}
	}
	c.n++
	m.counts[string(key)] = c
	return c.n, nil
}

// Count implements Limiter.
func (m *MemLimiter) Count(ctx context.Context, key []byte, window time.Duration, now time.Time) (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	c := m.counts[string(windowKey(key, window))]
	if c.win != now.UnixMilli()/window.Milliseconds() {
		return 0, nil
	}
	return c.n, nil
}

// windowKey keeps counters of different window sizes for the same key apart.
func windowKey(key []byte, window time.Duration) []byte {
	return append(append([]byte{}, key...), []byte(window.String())...)
}
