package storetest

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"homthu/internal/homthu"
	"homthu/internal/store"
)

func TestUnits(t *testing.T) {
	for _, engine := range Engines() {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			s := Open(t, engine)
			Tree(t, s)
			if err := s.Migrate(ctx); err != nil {
				t.Fatalf("second Migrate: %v", err)
			}

			for _, tt := range []struct {
				q    string
				kind homthu.UnitKind
				want string // codes of the results, in order
			}{
				{"hoa lu", "", "14329"},
				{"Hoa Lư", "", "14329"},
				{"hoà lư", "", "14329"},
				{"HÒA LƯ", "commune", "14329"},
				{"ninh khanh", "", "14329"},  // the pre-2025 name leads to the new commune
				{"gia hoa", "", "14330"},     // the same, with tone-mark placement folded
				{"ha nam", "province", "37"}, // a merged province
				{"hoa binh", "area", "14329-001"},
				{"dong", "area", "14330-001"},
				{"ninh binh", "", "37"},
				{"khong co dau", "", ""},
				{"hoa lu", "area", ""},
			} {
				us, err := s.SearchUnits(ctx, homthu.UnitFilter{Query: tt.q, Kind: tt.kind})
				if err != nil {
					t.Fatalf("SearchUnits(%q): %v", tt.q, err)
				}
				var got []string
				for _, u := range us {
					got = append(got, u.Code)
				}
				if strings.Join(got, ",") != tt.want {
					t.Errorf("SearchUnits(%q, %q) = %v, want %v", tt.q, tt.kind, got, tt.want)
				}
			}

			u, err := s.FindUnit(ctx, "14329-001")
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.Join(u.Path, "/"); got != "37/14329/14329-001" {
				t.Errorf("Path = %q", got)
			}
			if got := strings.Join(u.PathNames, " › "); got != "Tỉnh Ninh Bình › Phường Hoa Lư › Tổ dân phố Hòa Bình" {
				t.Errorf("PathNames = %q", got)
			}
			c, _ := s.FindUnit(ctx, "14329")
			if len(c.Formerly) != 1 || !strings.HasPrefix(c.Formerly[0], "Phường Ninh Khánh") {
				t.Errorf("Formerly = %q", c.Formerly)
			}

			a2, err := s.AddArea(ctx, "14329", "Thôn Mới")
			if err != nil || a2.Code != "14329-002" {
				t.Errorf("AddArea = %v, %v; want code 14329-002", a2, err)
			}
			for _, tt := range []struct{ parent, name, code string }{
				{"14329", "thôn mới", homthu.ECONFLICT},
				{"37", "Thôn X", homthu.EINVALID},
				{"99999", "Thôn X", homthu.ENOTFOUND},
				{"14329", "  ", homthu.EINVALID},
				{"14329", "a\x00b", homthu.EINVALID},
			} {
				if _, err := s.AddArea(ctx, tt.parent, tt.name); homthu.ErrorCode(err) != tt.code {
					t.Errorf("AddArea(%q, %q) = %v, want code %s", tt.parent, tt.name, err, tt.code)
				}
			}

			// An import with an unknown parent changes nothing.
			_, err = s.ImportUnits(ctx, []homthu.UnitImport{
				{Unit: homthu.Unit{Code: "02", Kind: homthu.KindProvince, Name: "X", FullName: "Tỉnh X"}},
				{Unit: homthu.Unit{Code: "55555", Parent: "98", Kind: homthu.KindCommune, Name: "Y", FullName: "Xã Y"}},
			})
			if homthu.ErrorCode(err) != homthu.EINVALID {
				t.Errorf("ImportUnits(bad parent) = %v, want EINVALID", err)
			}
			if _, err := s.FindUnit(ctx, "02"); homthu.ErrorCode(err) != homthu.ENOTFOUND {
				t.Errorf("a failed import left unit 02 behind: %v", err)
			}

			nostaff, err := s.UnitsWithoutStaff(ctx, "37", 0)
			if err != nil || len(nostaff) != 3 {
				t.Errorf("UnitsWithoutStaff = %d units, %v; want 3", len(nostaff), err)
			}
		})
	}
}

func TestRateAdd(t *testing.T) {
	for _, engine := range Engines() {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			s := Open(t, engine)
			for _, tt := range []struct {
				name   string
				deltas []store.RateDelta
				want   []int
			}{
				{"new keys", []store.RateDelta{{Key: []byte("a"), Win: 7, N: 3}, {Key: []byte("b"), Win: 7, N: 1}}, []int{3, 1}},
				{"added, and a read", []store.RateDelta{{Key: []byte("a"), Win: 7, N: 2}, {Key: []byte("b"), Win: 7, N: 0}}, []int{5, 1}},
				{"a new window restarts", []store.RateDelta{{Key: []byte("a"), Win: 8, N: 1}}, []int{1}},
				{"an older window is dropped", []store.RateDelta{{Key: []byte("a"), Win: 7, N: 4}}, []int{0}},
				{"the newer window kept", []store.RateDelta{{Key: []byte("a"), Win: 8, N: 0}}, []int{1}},
			} {
				got, err := s.RateAdd(ctx, tt.deltas)
				if err != nil || !slices.Equal(got, tt.want) {
					t.Errorf("%s: RateAdd = %v, %v; want %v", tt.name, got, err, tt.want)
				}
			}
			if n, _ := s.RateCount(ctx, []byte("a"), 8); n != 1 {
				t.Errorf("RateCount(a, 8) = %d, want 1", n)
			}
			// More rows than one statement takes.
			var many []store.RateDelta
			for i := range 1200 {
				many = append(many, store.RateDelta{Key: fmt.Appendf(nil, "k%d", i), Win: 1, N: i % 5})
			}
			got, err := s.RateAdd(ctx, many)
			if err != nil || len(got) != 1200 || got[1199] != 1199%5 || got[3] != 3 {
				t.Errorf("RateAdd of 1,200 keys: %d counts, %v", len(got), err)
			}
		})
	}
}
