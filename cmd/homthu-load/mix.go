package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"text/tabwriter"
	"time"

	"homthu/internal/loadgen"
)

// runMix loads each target with the mix, in rounds taken in turn, and
// prints a row per target and kind.
func runMix(ctx context.Context, targets []target, c loadgen.MixConfig, rounds int, jsonOut string, stdout, stderr io.Writer) int {
	fmt.Fprintf(stdout, "mixed load: %d clients, %v measured per target in %d round(s)\n", c.Clients, c.Duration*time.Duration(rounds), rounds)
	res := make([]*loadgen.MixResult, len(targets))
	for round := range rounds {
		for i, t := range targets {
			mc := c
			mc.URL = t.url
			r, err := loadgen.RunMix(ctx, mc)
			if err != nil {
				fmt.Fprintf(stderr, "homthu-load: %s: %v\n", t.name, err)
				return 1
			}
			fmt.Fprintf(stdout, "  round %d, %s: %d kinds in %.1f s\n", round+1, t.name, len(r.Kinds), r.Elapsed.Seconds())
			if res[i] == nil {
				res[i] = r
				continue
			}
			res[i].Elapsed += r.Elapsed
			for j, k := range r.Kinds {
				m := res[i].Kinds[j]
				m.OK += k.OK
				for s, n := range k.Statuses {
					m.Statuses[s] += n
				}
				if m.FirstErr == nil {
					m.FirstErr = k.FirstErr
				}
				m.Latencies = append(m.Latencies, k.Latencies...)
			}
		}
	}
	fmt.Fprintln(stdout)
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprint(tw, "target\tkind\tok\treq/s\tp50\tp95\tp99\tmax\terrors\t\n")
	var out []jsonRow
	failed := false
	for i, t := range targets {
		r := res[i]
		for _, k := range r.Kinds {
			slices.Sort(k.Latencies) // rounds were appended one after another
			fmt.Fprintf(tw, "%s\t%s\t%d\t%.0f\t%s\t%s\t%s\t%s\t%s\t\n", t.name, k.Kind, k.OK, k.Rate(r.Elapsed),
				ms(k.Quantile(0.5)), ms(k.Quantile(0.95)), ms(k.Quantile(0.99)), ms(k.Quantile(1)), statusSummary(k.Statuses))
			out = append(out, jsonOf(t.name, k.Kind, r.Clients, r.Elapsed, k.OK, k.Statuses, k.Quantile))
			if k.Errors() > 0 {
				failed = true
			}
		}
	}
	tw.Flush()
	for i, t := range targets {
		for _, k := range res[i].Kinds {
			if k.FirstErr != nil {
				fmt.Fprintf(stderr, "homthu-load: %s %s: first error: %v\n", t.name, k.Kind, k.FirstErr)
			}
		}
	}
	if jsonOut != "" {
		if err := writeJSON(jsonOut, out, stdout); err != nil {
			fmt.Fprintln(stderr, "homthu-load:", err)
			return 1
		}
	}
	if failed {
		return 1
	}
	return 0
}

func statusSummary(st map[int]int) string {
	n := 0
	s := ""
	for code, c := range st {
		n += c
		if s != "" {
			s += " "
		}
		s += strconv.Itoa(c) + "×" + strconv.Itoa(code)
	}
	if n == 0 {
		return "0"
	}
	return s
}

// jsonRow is one target and kind in the JSON output; latencies in milliseconds.
type jsonRow struct {
	Target    string         `json:"target"`
	Kind      string         `json:"kind"`
	Clients   int            `json:"clients"`
	Seconds   float64        `json:"seconds"`
	OK        int            `json:"ok"`
	PerSecond float64        `json:"per_second"`
	P50       float64        `json:"p50_ms"`
	P95       float64        `json:"p95_ms"`
	P99       float64        `json:"p99_ms"`
	Max       float64        `json:"max_ms"`
	Errors    map[string]int `json:"errors"`
}

func jsonOf(target, kind string, clients int, elapsed time.Duration, ok int, statuses map[int]int, q func(float64) time.Duration) jsonRow {
	msf := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	r := jsonRow{Target: target, Kind: kind, Clients: clients, Seconds: elapsed.Seconds(), OK: ok,
		P50: msf(q(0.5)), P95: msf(q(0.95)), P99: msf(q(0.99)), Max: msf(q(1)), Errors: map[string]int{}}
	if elapsed > 0 {
		r.PerSecond = float64(ok) / elapsed.Seconds()
	}
	for code, n := range statuses {
		r.Errors[strconv.Itoa(code)] = n
	}
	return r
}

func writeJSON(path string, rows []jsonRow, stdout io.Writer) error {
	b, err := json.MarshalIndent(struct {
		Results []jsonRow `json:"results"`
	}{rows}, "", "  ")
	if err != nil {
		return err
	}
	b = append(b, '\n')
	if path == "-" {
		_, err = stdout.Write(b)
		return err
	}
	return os.WriteFile(path, b, 0o644)
}
