// Command homthu-load measures online submission: it loads one or more
// homthu servers, and the bare baseline stack, with the same closed-loop
// clients in one run, and prints submissions a second and latencies side by
// side with the ratio to the group-commit baseline. docs/performance.md has
// the commands and the figures on the reference machine.
//
//	homthu-load --url sqlite=http://127.0.0.1:8080 --baseline groupcommit,pertx --clients 64 --duration 20s
//	homthu-load --serve-baseline groupcommit --addr 127.0.0.1:8090 --dir /tmp/baseline
//
// With --baseline, each baseline runs in a child process (this same binary
// with --serve-baseline) on a fresh temporary directory, so that it is
// measured exactly as a homthu server is: a separate process over loopback.
// Only loopback addresses are accepted.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"text/tabwriter"
	"time"

	"homthu/internal/loadgen"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// target is one server to load.
type target struct {
	name, url string
	baseline  string // the mode, for a baseline this run starts
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	// Baseline children write to stderr too, from exec's copying goroutines.
	stderr = &syncWriter{w: stderr}
	fs := flag.NewFlagSet("homthu-load", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: homthu-load [--url [NAME=]URL,...] [--baseline groupcommit,pertx] [--clients N] [--duration D | --requests N]")
		fmt.Fprintln(stderr, "       homthu-load --serve-baseline MODE --addr HOST:PORT [--dir DIR]")
		fs.PrintDefaults()
	}
	urls := fs.String("url", "", "homthu servers to load, comma-separated, each `[NAME=]URL` (loopback only)")
	baselines := fs.String("baseline", "", "bare baselines to run in this run, comma-separated: groupcommit, pertx")
	clients := fs.Int("clients", 64, "concurrent clients (closed loop)")
	duration := fs.Duration("duration", 20*time.Second, "how long to measure each target")
	requests := fs.Int("requests", 0, "stop each target after this many measured requests (0: by duration only)")
	warmup := fs.Duration("warmup", 2*time.Second, "load sent before measuring each target in each round, not counted")
	rounds := fs.Int("rounds", 1, "split each target's duration into this many rounds, taking the targets in turn in each, so that\nchanging background load on a shared machine weighs on every target alike")
	area := fs.String("area", loadgen.DefaultArea, "area or commune code the letters are about")
	serve := fs.String("serve-baseline", "", "only serve the bare baseline in `MODE` (groupcommit or pertx) until interrupted")
	addr := fs.String("addr", "127.0.0.1:0", "with --serve-baseline: the address to listen on")
	dir := fs.String("dir", "", "with --serve-baseline: the directory for its database (default: a temporary one, removed at exit)")
	mix := fs.String("mix", "", "drive a mix of request kinds, `KIND=WEIGHT,...` (\"default\": "+loadgen.DefaultMix+"),\nmeasured per kind; kinds: "+strings.Join(loadgen.Kinds, ", "))
	staff := fs.String("staff", "", "with --mix: a Front account `USER:PASSWORD` for the staff kinds (inbox, search, board, digest)")
	unit := fs.String("unit", "37", "with --mix: the unit code the board and the digest are asked for")
	jsonOut := fs.String("json", "", "also write the results as JSON to `FILE` (\"-\": standard output)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return 2
	}
	if *serve != "" {
		if err := serveBaseline(ctx, *serve, *addr, *dir, stdout); err != nil {
			fmt.Fprintln(stderr, "homthu-load:", err)
			return 1
		}
		return 0
	}

	var targets []target
	for _, u := range splitList(*urls) {
		name, url, ok := strings.Cut(u, "=")
		if !ok {
			name, url = u, u
		}
		targets = append(targets, target{name: name, url: url})
	}
	for _, m := range splitList(*baselines) {
		if m != loadgen.GroupCommit && m != loadgen.PerTx {
			fmt.Fprintf(stderr, "homthu-load: --baseline %q: want %s\n", m, strings.Join(loadgen.Modes, ", "))
			return 2
		}
		targets = append(targets, target{name: "baseline " + m, baseline: m})
	}
	if len(targets) == 0 {
		fmt.Fprintln(stderr, "homthu-load: nothing to load: give --url or --baseline")
		fs.Usage()
		return 2
	}

	if *rounds < 1 || *rounds > 100 {
		fmt.Fprintln(stderr, "homthu-load: --rounds: want 1 to 100")
		return 2
	}
	if *mix != "" {
		spec := *mix
		if spec == "default" {
			spec = loadgen.DefaultMix
		}
		w, err := loadgen.ParseMix(spec)
		if err != nil {
			fmt.Fprintln(stderr, "homthu-load:", err)
			return 2
		}
		for _, t := range targets {
			if t.baseline != "" {
				fmt.Fprintln(stderr, "homthu-load: --mix loads homthu servers only: the bare baselines take submissions alone")
				return 2
			}
		}
		base := loadgen.Config{Clients: *clients, Duration: *duration / time.Duration(*rounds), Warmup: *warmup, Area: *area}
		if *requests > 0 {
			base.Requests = max(1, *requests / *rounds)
		}
		return runMix(ctx, targets, loadgen.MixConfig{Config: base, Weights: w, Staff: *staff, Unit: *unit}, *rounds, *jsonOut, stdout, stderr)
	}
	for i, t := range targets {
		if t.baseline == "" {
			continue
		}
		ch, err := startChild(ctx, t.baseline, stderr)
		if err != nil {
			fmt.Fprintf(stderr, "homthu-load: %s: %v\n", t.name, err)
			return 1
		}
		defer ch.stop()
		targets[i].url = ch.url
	}

	fmt.Fprintf(stdout, "%d clients, %v measured per target in %d round(s), %v warm-up each; %d CPUs\n",
		*clients, *duration, *rounds, *warmup, runtime.NumCPU())
	rows := make([]row, len(targets))
	for round := range *rounds {
		for i, t := range targets {
			c := loadgen.Config{URL: t.url, Clients: *clients, Duration: *duration / time.Duration(*rounds), Warmup: *warmup, Area: *area}
			if *requests > 0 {
				c.Requests = max(1, *requests / *rounds)
			}
			r, err := loadgen.Run(ctx, c)
			if err != nil {
				fmt.Fprintf(stderr, "homthu-load: %s: %v\n", t.name, err)
				return 1
			}
			fmt.Fprintf(stdout, "  round %d, %s: %.0f/s, p99 %v\n", round+1, t.name, r.Rate(), ms(r.Quantile(0.99)))
			rows[i].name = t.name
			if rows[i].res == nil {
				rows[i].res = r
			} else {
				rows[i].res.Merge(r)
			}
		}
	}
	fmt.Fprintln(stdout)
	printTable(stdout, rows)
	if *jsonOut != "" {
		var out []jsonRow
		for _, r := range rows {
			out = append(out, jsonOf(r.name, "submit", r.res.Clients, r.res.Elapsed, r.res.Created, r.res.Statuses, r.res.Quantile))
		}
		if err := writeJSON(*jsonOut, out, stdout); err != nil {
			fmt.Fprintln(stderr, "homthu-load:", err)
			return 1
		}
	}
	for _, r := range rows {
		if r.res.Errors() > 0 {
			return 1
		}
	}
	return 0
}

func splitList(s string) []string {
	var out []string
	for _, v := range strings.Split(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

type row struct {
	name string
	res  *loadgen.Result
}

func printTable(w io.Writer, rows []row) {
	var group float64
	for _, r := range rows {
		if r.name == "baseline "+loadgen.GroupCommit {
			group = r.res.Rate()
		}
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprint(tw, "target\tclients\tseconds\tcreated\treq/s\tp50\tp90\tp99\tmax\terrors\tvs groupcommit\t\n")
	for _, r := range rows {
		res := r.res
		ratio := "–"
		if group > 0 {
			ratio = fmt.Sprintf("%.0f %%", 100*res.Rate()/group)
		}
		fmt.Fprintf(tw, "%s\t%d\t%.1f\t%d\t%.0f\t%v\t%v\t%v\t%v\t%s\t%s\t\n", r.name, res.Clients, res.Elapsed.Seconds(), res.Created,
			res.Rate(), ms(res.Quantile(0.5)), ms(res.Quantile(0.9)), ms(res.Quantile(0.99)), ms(res.Quantile(1)), errorSummary(res), ratio)
	}
	tw.Flush()
}

// ms rounds a latency for the table.
func ms(d time.Duration) string { return fmt.Sprintf("%.1fms", float64(d)/float64(time.Millisecond)) }

func errorSummary(r *loadgen.Result) string {
	if r.Errors() == 0 {
		return "0"
	}
	var parts []string
	for status, n := range r.Statuses {
		if status == 0 {
			parts = append(parts, fmt.Sprintf("%d no answer (%v)", n, r.FirstError))
		} else {
			parts = append(parts, fmt.Sprintf("%d×%d", n, status))
		}
	}
	return strings.Join(parts, " ")
}

// serveBaseline serves the bare baseline until ctx ends. Its first line of
// output is the base URL it listens on, which startChild reads.
func serveBaseline(ctx context.Context, mode, addr, dir string, stdout io.Writer) error {
	if dir == "" {
		d, err := os.MkdirTemp("", "homthu-baseline-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(d)
		dir = d
	}
	b, err := loadgen.OpenBaseline(dir+"/baseline.db", mode)
	if err != nil {
		return err
	}
	defer b.Close()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	if tcp, ok := ln.Addr().(*net.TCPAddr); !ok || !tcp.IP.IsLoopback() {
		ln.Close()
		return fmt.Errorf("--addr %s: the baseline listens on loopback only", addr)
	}
	srv := &http.Server{Handler: b.Handler(), ReadHeaderTimeout: 10 * time.Second}
	fmt.Fprintf(stdout, "http://%s\n", ln.Addr())
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shut, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return srv.Shutdown(shut)
}

// syncWriter serialises writes to w.
type syncWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}
