// Package stats is the open statistics of the public portal (issue 11):
// per province and commune, items received and answered, as tables,
// charts and CSV, with no figure small enough to identify a person.
//
// Small counts are suppressed as statistical offices do for small areas:
// a count from 1 to Threshold−1 is shown as "< Threshold" (primary
// suppression), and when a row of counts has a total, a single suppressed
// cell could be recovered by subtraction, so the next smallest count of
// the row is suppressed too (secondary suppression). Zero is shown: it
// tells nothing about anyone.
package stats

import (
	"fmt"
	"sort"
)

// Threshold is the smallest count shown.
const Threshold = 5

// Cell is a count as published.
type Cell struct {
	N          int  // the count; meaningless when Suppressed
	Suppressed bool // shown as "< Threshold"
}

// String is the cell as a page and the CSV show it.
func (c Cell) String() string {
	if c.Suppressed {
		return fmt.Sprintf("< %d", Threshold)
	}
	return fmt.Sprint(c.N)
}

// Suppress publishes counts that add up to a published total: counts
// from 1 to Threshold−1 are suppressed, and if exactly one is, the
// smallest other non-zero count is suppressed as well, so that no
// suppressed count can be recovered from the total.
func Suppress(counts []int) []Cell {
	out := make([]Cell, len(counts))
	var hidden []int
	for i, n := range counts {
		out[i] = Cell{N: n}
		if n > 0 && n < Threshold {
			out[i].Suppressed = true
			hidden = append(hidden, i)
		}
	}
	if len(hidden) == 1 {
		order := make([]int, 0, len(counts))
		for i, n := range counts {
			if !out[i].Suppressed && n > 0 {
				order = append(order, i)
			}
		}
		sort.SliceStable(order, func(a, b int) bool { return counts[order[a]] < counts[order[b]] })
		if len(order) > 0 {
			out[order[0]].Suppressed = true
		}
	}
	return out
}

// Total publishes a total: suppressed when it is itself small.
func Total(n int) Cell { return Cell{N: n, Suppressed: n > 0 && n < Threshold} }

// Rate is a share published only when both counts are shown: "" otherwise.
func Rate(part, whole Cell) string {
	if part.Suppressed || whole.Suppressed || whole.N == 0 {
		return ""
	}
	return fmt.Sprintf("%.0f%%", 100*float64(part.N)/float64(whole.N))
}
