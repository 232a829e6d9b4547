package storetest

import (
	"context"
	"strings"
	"testing"

	"homthu/internal/homthu"
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

func TestRateLimitCounters(t *testing.T) {
	for _, engine := range Engines() {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			s := Open(t, engine)
			for i := 1; i <= 3; i++ {
				if n, err := s.RateHit(ctx, []byte("k"), 7); err != nil || n != i {
					t.Fatalf("RateHit #%d = %d, %v", i, n, err)
				}
			}
			if n, err := s.RateHit(ctx, []byte("k"), 8); err != nil || n != 1 {
				t.Errorf("RateHit in a new window = %d, %v; want 1", n, err)
			}
			if n, _ := s.RateCount(ctx, []byte("k"), 8); n != 1 {
				t.Errorf("RateCount = %d, want 1", n)
			}
			if n, _ := s.RateCount(ctx, []byte("k"), 7); n != 0 {
				t.Errorf("RateCount of an old window = %d, want 0", n)
			}
		})
	}
}
