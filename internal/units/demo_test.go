package units

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"

	"homthu/internal/homthu"
)

func TestDemoAreas(t *testing.T) {
	phuong := homthu.Unit{Code: "14329", Parent: "37", Kind: homthu.KindCommune, Name: "Hoa Lư", FullName: "Phường Hoa Lư"}
	xa := homthu.Unit{Code: "14536", Parent: "37", Kind: homthu.KindCommune, Name: "Gia Viễn", FullName: "Xã Gia Viễn"}
	for _, tt := range []struct {
		commune homthu.Unit
		n       int
		want    []string
	}{
		{phuong, 3, []string{"Tổ dân phố 1", "Tổ dân phố 2", "Tổ dân phố 3"}},
		{phuong, 0, nil},
		{xa, -1, nil},
		{homthu.Unit{Code: "26734", Parent: "79", FullName: "Phường Sài Gòn"}, 2, []string{"Khu phố 1", "Khu phố 2"}},
		{homthu.Unit{Code: "26732", Parent: "79", FullName: "Đặc khu Côn Đảo"}, 2, []string{"Khu dân cư số 1", "Khu dân cư số 2"}},
	} {
		if got := DemoAreas(tt.commune, tt.n); !slices.Equal(got, tt.want) {
			t.Errorf("DemoAreas(%s, %d) = %q, want %q", tt.commune.FullName, tt.n, got, tt.want)
		}
	}

	// A xã: the same names every time, a mix of thôn and xóm.
	got := DemoAreas(xa, 12)
	if again := DemoAreas(xa, 12); !slices.Equal(got, again) {
		t.Errorf("DemoAreas(%s, 12) = %q, then %q", xa.FullName, got, again)
	}
	joined := strings.Join(got, "|")
	if !strings.Contains(joined, "Thôn ") || !strings.Contains(joined, "Xóm ") {
		t.Errorf("DemoAreas(%s, 12) = %q, want both thôn and xóm", xa.FullName, got)
	}
	other := xa
	other.Code = "14539"
	if slices.Equal(got, DemoAreas(other, 12)) {
		t.Errorf("DemoAreas gives communes %s and %s the same areas %q", xa.Code, other.Code, got)
	}
	// In the South, ấp; in the north-west, bản.
	for _, tt := range []struct{ province, word string }{{"82", "Ấp "}, {"14", "Bản "}} {
		u := homthu.Unit{Code: "30259", Parent: tt.province, FullName: "Xã Tân Phú Trung"}
		for _, name := range DemoAreas(u, 5) {
			if !strings.HasPrefix(name, tt.word) {
				t.Errorf("DemoAreas(commune of province %s) gave %q, want it to start with %q", tt.province, name, tt.word)
			}
		}
	}
}

// TestDemoAreasNational runs DemoAreas over every commune of the national
// list, with more areas than there are village names.
func TestDemoAreasNational(t *testing.T) {
	rows, err := National()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if r.Unit.Kind != homthu.KindCommune {
			continue
		}
		names := DemoAreas(r.Unit, 30)
		if len(names) != 30 {
			t.Fatalf("DemoAreas(%s, 30) gave %d names", r.Unit.Code, len(names))
		}
		seen := map[string]bool{}
		for _, n := range names {
			switch {
			case seen[n]:
				t.Errorf("DemoAreas(%s %s): %q twice", r.Unit.Code, r.Unit.FullName, n)
			case !homthu.IsAreaName(n):
				t.Errorf("DemoAreas(%s %s): %q does not start with an area word", r.Unit.Code, r.Unit.FullName, n)
			case !norm.NFC.IsNormalString(n):
				t.Errorf("DemoAreas(%s %s): %q is not NFC", r.Unit.Code, r.Unit.FullName, n)
			}
			seen[n] = true
		}
	}
}

func ExampleDemoAreas() {
	fmt.Println(DemoAreas(homthu.Unit{Code: "14329", Parent: "37", FullName: "Phường Hoa Lư"}, 3))
	fmt.Println(DemoAreas(homthu.Unit{Code: "14536", Parent: "37", FullName: "Xã Gia Viễn"}, 6))
	// Output:
	// [Tổ dân phố 1 Tổ dân phố 2 Tổ dân phố 3]
	// [Thôn Trung Thôn Hạ Thôn An Bình Thôn Tân Tiến Xóm Đình Xóm 1]
}
