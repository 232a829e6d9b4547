package export

import (
	"math"
	"strings"
	"testing"
	"time"
)

func TestFormatNumbers(t *testing.T) {
	for _, tt := range []struct {
		cell Cell
		want string
	}{
		{Int(0), "0"},
		{Int(999), "999"},
		{Int(1000), "1.000"},
		{Int(1234567), "1.234.567"},
		{Int(-1234567), "-1.234.567"},
		{Number(1234.5, 1), "1.234,5"},
		{Number(-0.25, 2), "-0,25"},
		{Number(3, 0), "3"},
		{Percent(0.875), "87,5%"},
		{Percent(1), "100%"},
		{Percent(0), "0%"},
		{Percent(0.33333), "33,3%"},
		{Percent(0.9996), "100%"},
		{Percent(math.NaN()), ""},
		{Date(time.Date(2026, 2, 3, 23, 0, 0, 0, hcm)), "03/02/2026"},
		{Date(time.Time{}), ""},
		{Text("Xã Gia Viễn"), "Xã Gia Viễn"},
	} {
		if got := tt.cell.String(); got != tt.want {
			t.Errorf("%#v.String() = %q, want %q", tt.cell, got, tt.want)
		}
	}
}

func TestCellMachine(t *testing.T) {
	for _, tt := range []struct {
		cell Cell
		want string
	}{
		{Int(1234567), "1234567"},
		{Number(1234.5, 1), "1234.5"},
		{Percent(0.875), "0.875"},
		{Date(time.Date(2026, 12, 7, 0, 0, 0, 0, hcm)), "2026-12-07"},
		{Text("a,b"), "a,b"},
	} {
		if got := tt.cell.machine(); got != tt.want {
			t.Errorf("%#v.machine() = %q, want %q", tt.cell, got, tt.want)
		}
	}
}

// TestDateLine pins Appendix I, item 4: a leading zero for days below 10
// and for January and February only.
func TestDateLine(t *testing.T) {
	for _, tt := range []struct {
		place string
		date  time.Time
		want  string
	}{
		{"Hoa Lư", time.Date(2026, 12, 7, 0, 0, 0, 0, hcm), "Hoa Lư, ngày 07 tháng 12 năm 2026"},
		{"Hoa Lư", time.Date(2026, 1, 15, 0, 0, 0, 0, hcm), "Hoa Lư, ngày 15 tháng 01 năm 2026"},
		{"Hoa Lư", time.Date(2026, 2, 28, 0, 0, 0, 0, hcm), "Hoa Lư, ngày 28 tháng 02 năm 2026"},
		{"Hoa Lư", time.Date(2026, 3, 1, 0, 0, 0, 0, hcm), "Hoa Lư, ngày 01 tháng 3 năm 2026"},
		{"Gia Viễn", time.Date(2026, 10, 31, 0, 0, 0, 0, hcm), "Gia Viễn, ngày 31 tháng 10 năm 2026"},
		{"", time.Date(2026, 10, 31, 0, 0, 0, 0, hcm), "Ngày 31 tháng 10 năm 2026"},
		{"Hoa Lư", time.Time{}, "Hoa Lư, ngày ..... tháng ..... năm ......."},
	} {
		if got := DateLine(tt.place, tt.date); got != tt.want {
			t.Errorf("DateLine(%q, %v) = %q, want %q", tt.place, tt.date, got, tt.want)
		}
	}
}

func TestNumberLine(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"12/BC-MTTQ", "Số: 12/BC-MTTQ"},
		{"  05/MTTQ-BTT ", "Số: 05/MTTQ-BTT"},
		{"/BC-MTTQ", "Số:        /BC-MTTQ"},
		{"", ""},
	} {
		if got := numberLine(tt.in); got != tt.want {
			t.Errorf("numberLine(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestRecipientLines pins Appendix I, item 9a: a dash before each, ";" after
// each but the last, which ends with ".".
func TestRecipientLines(t *testing.T) {
	got := recipientLines([]string{"Thường trực Tỉnh ủy;", "- Ban Dân vận", "  ", "Lưu: VT, TH."})
	want := []string{"- Thường trực Tỉnh ủy;", "- Ban Dân vận;", "- Lưu: VT, TH."}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("recipientLines = %q, want %q", got, want)
	}
	if got := addresseeLines([]string{"Đảng ủy xã Gia Viễn"}); len(got) != 1 || got[0] != "Kính gửi: Đảng ủy xã Gia Viễn." {
		t.Errorf("addresseeLines(one) = %q", got)
	}
	got = addresseeLines([]string{"Đảng ủy xã Gia Viễn", "UBKT Đảng ủy xã Gia Viễn"})
	want = []string{"Kính gửi:", "- Đảng ủy xã Gia Viễn;", "- UBKT Đảng ủy xã Gia Viễn."}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("addresseeLines(two) = %q, want %q", got, want)
	}
}

func TestClean(t *testing.T) {
	nfd := "Vie\u0302\u0323t Nam" // NFD "Việt Nam"
	if got := clean(nfd); got != "Việt Nam" {
		t.Errorf("clean(NFD) = %q, want NFC %q", got, "Việt Nam")
	}
	if got := clean("a\x00b\x1bc\r\nd\te\xff"); got != "a b c\nd\te\uFFFD" {
		t.Errorf("clean(controls) = %q", got)
	}
	if got := upper("đảng ủy xã gia viễn"); got != "ĐẢNG ỦY XÃ GIA VIỄN" {
		t.Errorf("upper = %q", got)
	}
}

func TestFilename(t *testing.T) {
	for _, tt := range []struct {
		title string
		f     Format
		want  string
	}{
		{"Báo cáo tổng hợp tháng 12/2026", PDF, "bao-cao-tong-hop-thang-12-2026.pdf"},
		{"Đảng ủy", DOCX, "dang-uy.docx"},
		{"", XLSX, "van-ban.xlsx"},
		{"漢字", CSV, "van-ban.csv"},
	} {
		if got := Filename(tt.title, tt.f); got != tt.want {
			t.Errorf("Filename(%q, %s) = %q, want %q", tt.title, tt.f, got, tt.want)
		}
	}
	cd := ContentDisposition("Biên bản \"mở\" hòm thư", PDF)
	want := `attachment; filename="bien-ban-mo-hom-thu.pdf"; filename*=UTF-8''Bi%C3%AAn%20b%E1%BA%A3n%20m%E1%BB%9F%20h%C3%B2m%20th%C6%B0.pdf`
	if cd != want {
		t.Errorf("ContentDisposition = %q, want %q", cd, want)
	}
}

func TestParseFormat(t *testing.T) {
	for _, s := range []string{"pdf", "DOCX", " xlsx ", "csv"} {
		if _, err := ParseFormat(s); err != nil {
			t.Errorf("ParseFormat(%q): %v", s, err)
		}
	}
	if _, err := ParseFormat("odt"); err == nil {
		t.Error("ParseFormat(odt) succeeded")
	}
}

func TestColWidthsAndGroups(t *testing.T) {
	cols := []Column{{Title: "A", Width: 2}, {Title: "B", Group: "G"}, {Title: "C", Group: "G"}, {Title: "D", Group: "H"}, {Title: "E", Width: math.NaN()}}
	w := colWidths(cols, 120)
	if w[0] != 40 || w[1] != 20 || w[4] != 20 {
		t.Errorf("colWidths = %v", w)
	}
	g, any := headerGroups(cols)
	if !any || len(g) != 4 || g[1].name != "G" || g[1].span != 2 || g[2].name != "H" || g[2].first != 3 {
		t.Errorf("headerGroups = %+v, %v", g, any)
	}
}
