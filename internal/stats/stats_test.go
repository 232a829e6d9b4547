package stats

import (
	"math/rand/v2"
	"testing"
)

func TestSuppress(t *testing.T) {
	for _, tt := range []struct {
		in   []int
		want []bool
	}{
		{[]int{10, 20, 30}, []bool{false, false, false}},
		{[]int{0, 20, 30}, []bool{false, false, false}},
		{[]int{3, 20, 30}, []bool{true, true, false}}, // 3 alone would be total − 50
		{[]int{3, 2, 30}, []bool{true, true, false}},  // two hidden: neither recoverable
		{[]int{4, 0, 0}, []bool{true, false, false}},  // nothing else to hide; the total is small too
		{[]int{7, 1, 9, 6}, []bool{false, true, false, true}},
	} {
		got := Suppress(tt.in)
		for i := range got {
			if got[i].Suppressed != tt.want[i] {
				t.Errorf("Suppress(%v) = %v, want suppressed %v", tt.in, got, tt.want)
				break
			}
		}
	}
	if Total(4).String() != "< 5" || Total(0).String() != "0" || Total(12).String() != "12" {
		t.Error("Total")
	}
	if Rate(Cell{N: 3}, Cell{N: 4}) != "75%" || Rate(Cell{N: 3, Suppressed: true}, Cell{N: 10}) != "" {
		t.Error("Rate")
	}
}

// TestNoRecovery: for random rows, no suppressed count can be recovered
// from the published counts and the total by subtraction.
func TestNoRecovery(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	for range 10000 {
		row := make([]int, 1+rng.IntN(8))
		for i := range row {
			row[i] = rng.IntN(12)
		}
		cells := Suppress(row)
		hidden := 0
		for i, c := range cells {
			if c.Suppressed {
				hidden++
			} else if c.N != row[i] {
				t.Fatalf("Suppress(%v) changed a shown count", row)
			} else if c.N > 0 && c.N < Threshold {
				t.Fatalf("Suppress(%v) shows a small count", row)
			}
		}
		if hidden == 1 {
			// Recoverable only if the row has a total bigger than the
			// threshold; a row whose only non-zero count is small has a
			// small, suppressed total.
			sum := 0
			for _, n := range row {
				sum += n
			}
			if !Total(sum).Suppressed {
				t.Fatalf("Suppress(%v): one hidden count, recoverable from the total %d", row, sum)
			}
		}
	}
}
