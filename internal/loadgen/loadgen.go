// Package loadgen measures how many online submissions a homthu server takes
// a second, and how long each one waits, against the bare stack it is built
// on.
//
// Run is a closed-loop load generator: a fixed number of clients, each
// sending its next letter as soon as the answer to the last one arrives, for
// a duration or a number of requests. Closed-loop means the offered load
// adapts to the server, so the figures are the server's capacity at that
// concurrency, with queueing included in the latencies. It only talks to
// loopback addresses: it is a measuring tool, not a way to flood someone
// else's server.
//
// Baseline is the bare stack the performance target is stated
// against: net/http and SQLite in WAL mode with synchronous=FULL, in the two
// ways of committing (a group-commit writer, or one transaction per request).
package loadgen

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// Bounds on a run, so that a typo cannot turn the tool into a flood.
const (
	MaxClients     = 1024
	MaxDuration    = 10 * time.Minute
	MaxRequests    = 5_000_000
	DefaultArea    = "14329" // Phường Hoa Lư, Ninh Bình: a commune, which always accepts items
	FeedbackPath   = "/api/v1/feedback"
	defaultTimeout = 30 * time.Second
)

// Config describes a run.
type Config struct {
	// URL is the server's base URL, e.g. http://127.0.0.1:8080. Its host
	// must be a loopback address or "localhost".
	URL string
	// Clients is the number of concurrent clients, 1 to MaxClients.
	Clients int
	// Duration is how long to measure, after Warmup; Requests how many
	// requests to measure. The run ends when either is reached; at least one
	// must be set.
	Duration time.Duration
	Requests int
	// Warmup is sent before measuring starts and not counted: it fills the
	// connection pools and the page cache.
	Warmup time.Duration
	// Area is the code of the area (or commune) the letters are about;
	// DefaultArea if empty.
	Area string
	// Seed makes the letters repeatable.
	Seed uint64
	// Timeout bounds one request (default 30s).
	Timeout time.Duration
	// OnCreated, if set, is called (from the client goroutines, concurrently)
	// with the receipt of every measured 201 answer. Leaving it nil keeps the
	// client from parsing answers.
	OnCreated func(receipt string)
}

// Result is what a run measured.
type Result struct {
	Clients int
	// Elapsed is the measured time: from the end of the warm-up to the last
	// answer.
	Elapsed time.Duration
	// Created counts 201 answers; Statuses counts every other answer by
	// status, with 0 for requests that got no answer (FirstError says why).
	Created    int
	Statuses   map[int]int
	FirstError error
	// Latencies are those of the 201 answers, sorted.
	Latencies []time.Duration
}

// Rate is the number of 201 answers a second.
func (r *Result) Rate() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.Created) / r.Elapsed.Seconds()
}

// Quantile returns the latency below which a fraction q (0 to 1) of the
// created answers fall, by the nearest-rank method.
func (r *Result) Quantile(q float64) time.Duration {
	n := len(r.Latencies)
	if n == 0 {
		return 0
	}
	i := int(q*float64(n)+0.999999) - 1
	return r.Latencies[min(max(i, 0), n-1)]
}

// Errors is the number of requests not answered 201.
func (r *Result) Errors() int {
	n := 0
	for _, c := range r.Statuses {
		n += c
	}
	return n
}

// Merge adds o's counts, time and latencies to r, as if both had been
// measured in one run: a run split into rounds that alternate between
// servers sees the same background load on each of them.
func (r *Result) Merge(o *Result) {
	if r.Statuses == nil {
		r.Statuses = map[int]int{}
	}
	r.Clients = max(r.Clients, o.Clients)
	r.Elapsed += o.Elapsed
	r.Created += o.Created
	for k, v := range o.Statuses {
		r.Statuses[k] += v
	}
	r.FirstError = firstErr(r.FirstError, o.FirstError)
	r.Latencies = append(r.Latencies, o.Latencies...)
	slices.Sort(r.Latencies)
}

// CheckLoopback returns an error unless u's host is a loopback address.
func CheckLoopback(u *url.URL) error {
	host := u.Hostname()
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("loadgen: %s is not a loopback address: this tool only loads servers on this machine", host)
}

// NewClient returns an HTTP client that keeps one connection per concurrent
// client open, as browsers behind a reverse proxy would look to the server.
func NewClient(clients int, timeout time.Duration) *http.Client {
	return &http.Client{
		Timeout: timeout,
		Transport: &http.Transport{
			Proxy:               nil, // never through a proxy: loopback only
			MaxIdleConns:        clients,
			MaxIdleConnsPerHost: clients,
			IdleConnTimeout:     90 * time.Second,
			DisableCompression:  true,
		},
	}
}

// Post sends one JSON body to url and returns the status and the answer's
// body (read only when keep is true, otherwise discarded).
func Post(ctx context.Context, c *http.Client, url string, body []byte, keep bool) (int, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	res, err := c.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer res.Body.Close()
	if keep {
		b, err := io.ReadAll(res.Body)
		return res.StatusCode, b, err
	}
	_, err = io.Copy(io.Discard, res.Body)
	return res.StatusCode, nil, err
}

// Receipt returns the receipt in a 201 answer's body.
func Receipt(body []byte) (string, error) {
	var v struct {
		Receipt string `json:"receipt"`
	}
	if err := json.Unmarshal(body, &v); err != nil {
		return "", fmt.Errorf("loadgen: answer is not JSON: %w", err)
	}
	if v.Receipt == "" {
		return "", errors.New("loadgen: answer has no receipt")
	}
	return v.Receipt, nil
}

func (c *Config) check() (string, error) {
	u, err := url.Parse(c.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fmt.Errorf("loadgen: URL %q: want http://HOST:PORT", c.URL)
	}
	if err := CheckLoopback(u); err != nil {
		return "", err
	}
	if c.Clients < 1 || c.Clients > MaxClients {
		return "", fmt.Errorf("loadgen: %d clients: want 1 to %d", c.Clients, MaxClients)
	}
	if c.Duration <= 0 && c.Requests <= 0 {
		return "", errors.New("loadgen: set a duration or a number of requests")
	}
	if c.Duration > MaxDuration || c.Warmup > MaxDuration {
		return "", fmt.Errorf("loadgen: at most %v", MaxDuration)
	}
	if c.Requests > MaxRequests {
		return "", fmt.Errorf("loadgen: at most %d requests", MaxRequests)
	}
	if c.Duration <= 0 {
		c.Duration = MaxDuration
	}
	if c.Area == "" {
		c.Area = DefaultArea
	}
	if c.Timeout <= 0 {
		c.Timeout = defaultTimeout
	}
	return u.JoinPath(FeedbackPath).String(), nil
}

// clientStats is one client's share of a Result; clients never share one.
type clientStats struct {
	created   int
	statuses  map[int]int
	firstErr  error
	latencies []time.Duration
	last      time.Time
}

// Run loads the server with c.Clients clients and returns what it measured.
// Requests still in flight when the duration ends are waited for and counted.
// It returns an error only if the run could not start or ctx ended it.
func Run(ctx context.Context, c Config) (*Result, error) {
	target, err := c.check()
	if err != nil {
		return nil, err
	}
	bodies := Bodies(1024, c.Area, c.Seed)
	client := NewClient(c.Clients, c.Timeout)
	defer client.CloseIdleConnections()

	start := time.Now()
	from := start.Add(c.Warmup)
	until := from.Add(c.Duration)
	var remaining atomic.Int64
	remaining.Store(int64(c.Requests))
	stats := make([]clientStats, c.Clients)
	var wg sync.WaitGroup
	for i := range stats {
		st := &stats[i]
		st.statuses = map[int]int{}
		wg.Go(func() {
			for n := i; ctx.Err() == nil; n += c.Clients {
				t0 := time.Now()
				if !t0.Before(until) {
					return
				}
				measured := !t0.Before(from)
				if measured && c.Requests > 0 && remaining.Add(-1) < 0 {
					return
				}
				status, body, err := Post(ctx, client, target, bodies[n%len(bodies)], c.OnCreated != nil)
				t1 := time.Now()
				if !measured {
					continue
				}
				st.last = t1
				switch {
				case err != nil:
					if ctx.Err() != nil {
						return
					}
					st.statuses[0]++
					if st.firstErr == nil {
						st.firstErr = err
					}
				case status == http.StatusCreated:
					if c.OnCreated != nil {
						rc, err := Receipt(body)
						if err != nil {
							st.statuses[status]++ // a 201 without a receipt is a failure
							st.firstErr = firstErr(st.firstErr, err)
							continue
						}
						c.OnCreated(rc)
					}
					st.created++
					st.latencies = append(st.latencies, t1.Sub(t0))
				default:
					st.statuses[status]++
				}
			}
		})
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("loadgen: %w", err)
	}
	r := &Result{Clients: c.Clients, Statuses: map[int]int{}}
	end := from
	for _, st := range stats {
		r.Created += st.created
		for k, v := range st.statuses {
			r.Statuses[k] += v
		}
		r.FirstError = firstErr(r.FirstError, st.firstErr)
		r.Latencies = append(r.Latencies, st.latencies...)
		if st.last.After(end) {
			end = st.last
		}
	}
	r.Elapsed = end.Sub(from)
	slices.Sort(r.Latencies)
	return r, nil
}

// firstErr returns the first non-nil error.
func firstErr(a, b error) error {
	if a != nil {
		return a
	}
	return b
}
