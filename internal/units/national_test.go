package units

import (
	"bytes"
	"compress/gzip"
	"io"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/unicode/norm"

	"homthu/internal/homthu"
	"homthu/internal/vntext"
)

// loadNational parses the shipped list.
func loadNational(t *testing.T) (rows []homthu.UnitImport, byCode map[string]homthu.UnitImport) {
	t.Helper()
	rows, err := National()
	if err != nil {
		t.Fatalf("National: %v", err)
	}
	byCode = map[string]homthu.UnitImport{}
	for _, r := range rows {
		byCode[r.Unit.Code] = r
	}
	return rows, byCode
}

func TestNationalCounts(t *testing.T) {
	rows, byCode := loadNational(t)
	kinds := map[homthu.UnitKind]int{}
	perProvince := map[string]int{}
	formers := 0
	for _, r := range rows {
		u := r.Unit
		kinds[u.Kind]++
		formers += len(r.Formers)
		if u.Kind == homthu.KindCommune {
			perProvince[u.Parent]++
			if p, ok := byCode[u.Parent]; !ok || p.Unit.Kind != homthu.KindProvince {
				t.Errorf("commune %s %s: parent %q is not a province of the list", u.Code, u.FullName, u.Parent)
			}
		}
		if !u.ValidTo.IsZero() || u.Successor != "" {
			t.Errorf("unit %s %s is not in force: valid to %v, successor %q", u.Code, u.FullName, u.ValidTo, u.Successor)
		}
		if !norm.NFC.IsNormalString(u.FullName) || !strings.HasSuffix(u.FullName, " "+u.Name) {
			t.Errorf("unit %s: full name %q, name %q", u.Code, u.FullName, u.Name)
		}
	}
	for _, tt := range []struct {
		what      string
		got, want int
	}{
		{"units", len(rows), 34 + 3321},
		{"distinct codes", len(byCode), 34 + 3321},
		{"provinces", kinds[homthu.KindProvince], 34},
		{"communes", kinds[homthu.KindCommune], 3321},
		{"districts", kinds[homthu.KindDistrict], 0},
		{"areas", kinds[homthu.KindArea], 0},
		{"communes of Ninh Bình (37)", perProvince["37"], 129},
		{"communes of Hà Nội (01)", perProvince["01"], 126},
		{"former names", formers, 10676},
	} {
		if tt.got != tt.want {
			t.Errorf("National: %d %s, want %d", tt.got, tt.what, tt.want)
		}
	}
	if got := byCode["37"].Unit.FullName; got != "Tỉnh Ninh Bình" {
		t.Errorf("unit 37 = %q, want Tỉnh Ninh Bình", got)
	}
	// Full names start with a capital: the source has "xã Bắc Sơn".
	if got := byCode["06325"].Unit.FullName; got != "Xã Bắc Sơn" {
		t.Errorf("unit 06325 = %q, want Xã Bắc Sơn", got)
	}
}

// formerOf returns the units whose former names include one with the given
// old code and full name.
func formerOf(rows []homthu.UnitImport, code, fullName string) []string {
	var out []string
	for _, r := range rows {
		for _, f := range r.Formers {
			if f.Code == code && f.FullName == fullName {
				out = append(out, r.Unit.Code)
			}
		}
	}
	return out
}

func TestNationalFormers(t *testing.T) {
	rows, byCode := loadNational(t)
	for _, tt := range []struct {
		unit string
		want []homthu.Former // in the list's order: by old code
	}{
		{"37", []homthu.Former{
			{Code: "35", FullName: "Tỉnh Hà Nam", Until: day(2025, 7, 1)},
			{Code: "36", FullName: "Tỉnh Nam Định", Until: day(2025, 7, 1)},
			{Code: "37", FullName: "Tỉnh Ninh Bình", Until: day(2025, 7, 1)},
		}},
		// Phường Hoa Lư, seat of the province: the old city of Hoa Lư and
		// Xã Ninh Khang, with part of Phường Tân Thành.
		{"14329", formers(day(2025, 7, 1), "Thành phố Hoa Lư, Tỉnh Ninh Bình",
			"14320", "Phường Đông Thành", "14323", "Phường Tân Thành", "14329", "Phường Vân Giang",
			"14332", "Phường Bích Đào", "14338", "Phường Nam Bình", "14341", "Phường Nam Thành",
			"14344", "Phường Ninh Khánh", "14347", "Xã Ninh Nhất", "14350", "Xã Ninh Tiến",
			"14527", "Phường Ninh Mỹ", "14536", "Xã Ninh Khang")},
		// The other part of Phường Tân Thành went to Xã Lai Thành.
		{"14674", append(
			formers(day(2025, 7, 1), "Thành phố Hoa Lư, Tỉnh Ninh Bình", "14323", "Phường Tân Thành"),
			formers(day(2025, 7, 1), "Huyện Kim Sơn, Tỉnh Ninh Bình",
				"14668", "Xã Tân Thành", "14671", "Xã Yên Lộc", "14674", "Xã Lai Thành")...)},
		// The old island district became a đặc khu.
		{"20333", formers(day(2025, 7, 1), "Thành phố Đà Nẵng", "498", "Huyện Hoàng Sa")},
		// The mapping gives Xã Ba Chẽ the code 06970; the official code is 06978.
		{"06978", append(
			formers(day(2025, 7, 1), "Huyện Tiên Yên, Tỉnh Quảng Ninh", "06886", "Xã Hải Lạng"),
			formers(day(2025, 7, 1), "Huyện Ba Chẽ, Tỉnh Quảng Ninh",
				"06970", "Thị trấn Ba Chẽ", "06973", "Xã Thanh Sơn", "06982", "Xã Nam Sơn", "06988", "Xã Đồn Đạc")...)},
		// Renamed on 30 April 2026; Tỉnh Đồng Nai was also a name before the
		// 2025 merger, and is listed once, with the later date.
		{"75", []homthu.Former{
			{Code: "70", FullName: "Tỉnh Bình Phước", Until: day(2025, 7, 1)},
			{Code: "75", FullName: "Tỉnh Đồng Nai", Until: day(2026, 4, 30)},
		}},
		{"26116", []homthu.Former{
			{Code: "26116", FullName: "Thị trấn Tân Phú", Parent: "Huyện Tân Phú, Tỉnh Đồng Nai", Until: day(2025, 7, 1)},
			{Code: "26116", FullName: "Xã Tân Phú", Parent: "Tỉnh Đồng Nai", Until: day(2026, 4, 30)},
			{Code: "26149", FullName: "Xã Phú Xuân", Parent: "Huyện Tân Phú, Tỉnh Đồng Nai", Until: day(2025, 7, 1)},
			{Code: "26152", FullName: "Xã Phú Lộc", Parent: "Huyện Tân Phú, Tỉnh Đồng Nai", Until: day(2025, 7, 1)},
			{Code: "26161", FullName: "Xã Phú Thanh", Parent: "Huyện Tân Phú, Tỉnh Đồng Nai", Until: day(2025, 7, 1)},
			{Code: "26164", FullName: "Xã Trà Cổ", Parent: "Huyện Tân Phú, Tỉnh Đồng Nai", Until: day(2025, 7, 1)},
		}},
	} {
		got := byCode[tt.unit].Formers
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("formers of %s %s =\n%+v\nwant\n%+v", tt.unit, byCode[tt.unit].Unit.FullName, got, tt.want)
		}
	}

	for _, tt := range []struct {
		code, fullName string
		want           []string // the units it leads to, in the list's order
	}{
		// Two different communes of the same name, in two provinces.
		{"14536", "Xã Ninh Khang", []string{"14329"}},
		{"15385", "Xã Ninh Khang", []string{"15349"}},
		// Split between two, and between five communes.
		{"14323", "Phường Tân Thành", []string{"14329", "14674"}},
		{"13285", "Phường Quang Trung", []string{"13285", "13366"}},
		{"00634", "Phường Đại Mỗ", []string{"00622", "00634", "00637", "09556", "09886"}},
		// The mapping puts this An Giang commune into Đồng Tháp: dropped.
		{"30622", "Xã Tân Phú", nil},
	} {
		got := formerOf(rows, tt.code, tt.fullName)
		if !slices.Equal(got, tt.want) {
			t.Errorf("old %s %s leads to %v, want %v", tt.code, tt.fullName, got, tt.want)
		}
	}

	// Old names are official and clean: no double spaces or "Thị Trấn".
	for _, r := range rows {
		for _, f := range r.Formers {
			if strings.Contains(f.FullName, "  ") || strings.HasPrefix(f.FullName, "Thị Trấn") || !norm.NFC.IsNormalString(f.FullName) {
				t.Errorf("former name %q of %s", f.FullName, r.Unit.Code)
			}
		}
	}
}

// formers returns old units with the same parent and date, from pairs of
// code and full name.
func formers(until time.Time, parent string, codeName ...string) []homthu.Former {
	var out []homthu.Former
	for i := 0; i < len(codeName); i += 2 {
		out = append(out, homthu.Former{Code: codeName[i], FullName: codeName[i+1], Parent: parent, Until: until})
	}
	return out
}

// TestNationalSplits checks the mapping's split communes: an old commune
// split between several new communes is a former name of each.
func TestNationalSplits(t *testing.T) {
	rows, _ := loadNational(t)
	leadsTo := map[string]map[string]bool{} // old code → new codes
	for _, r := range rows {
		if r.Unit.Kind != homthu.KindCommune {
			continue
		}
		for _, f := range r.Formers {
			if f.Until.Equal(homthu.ReformDate) {
				if leadsTo[f.Code] == nil {
					leadsTo[f.Code] = map[string]bool{}
				}
				leadsTo[f.Code][r.Unit.Code] = true
			}
		}
	}
	split := 0
	for _, to := range leadsTo {
		if len(to) > 1 {
			split++
		}
	}
	// 10,047 old communes and 5 island districts, less the one dropped
	// link; 460 old communes were split.
	if len(leadsTo) != 10051 || split != 460 {
		t.Errorf("%d old units lead to a commune, %d of them to several; want 10051 and 460", len(leadsTo), split)
	}
}

// TestNationalSearchKeys checks that the tone-mark variants of the sources
// (Hòa/Hoà) meet in one search key, by which the store matches names.
func TestNationalSearchKeys(t *testing.T) {
	_, byCode := loadNational(t)
	u := byCode["56"] // Tỉnh Khánh Hoà, formerly Tỉnh Khánh Hòa
	if u.Unit.FullName != "Tỉnh Khánh Hoà" || len(u.Formers) != 2 {
		t.Fatalf("unit 56 = %+v", u)
	}
	if vntext.Fold(u.Unit.FullName) != vntext.Fold(u.Formers[0].FullName) {
		t.Errorf("Fold(%q) != Fold(%q)", u.Unit.FullName, u.Formers[0].FullName)
	}
}

// TestNationalRoundTrip checks that the shipped file is exactly what Write
// makes of what Parse reads from it: the generator writes the documented
// format, and nothing in it is lost or changed on import.
func TestNationalRoundTrip(t *testing.T) {
	rows, _ := loadNational(t)
	zr, err := gzip.NewReader(strings.NewReader(national))
	if err != nil {
		t.Fatal(err)
	}
	file, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := Write(&out, rows); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(out.Bytes(), file) {
		a, b := strings.Split(out.String(), "\n"), strings.Split(string(file), "\n")
		for i := range min(len(a), len(b)) {
			if a[i] != b[i] {
				t.Fatalf("Write(National()) differs from vn-2026.csv.gz at line %d:\n%s\nwant\n%s", i+1, a[i], b[i])
			}
		}
		t.Fatalf("Write(National()) has %d lines, vn-2026.csv.gz %d", len(a), len(b))
	}
}
