package export

import (
	"bytes"
	"encoding/csv"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// TestXLSXReadBack opens the report's workbook with excelize: the header is
// frozen, numbers are numbers (type, value and format), dates are dates,
// the total adds up and the columns have widths.
func TestXLSXReadBack(t *testing.T) {
	d := sampleReport()
	var b bytes.Buffer
	if err := WriteXLSX(&b, d); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&b)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) != 1 || sheets[0] != "Bảng 1. Tiếp nhận và xử lý ý ki" {
		t.Fatalf("sheets = %q", sheets)
	}
	sh := sheets[0]
	get := func(cell string) string {
		t.Helper()
		v, err := f.GetCellValue(sh, cell)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	// Rows: issuer, title, caption, date line, blank, group header, titles.
	if got := get("A1"); got != "BAN THƯỜNG TRỰC" {
		t.Errorf("A1 = %q", got)
	}
	if got := get("A4"); got != "Hoa Lư, ngày 07 tháng 12 năm 2026" {
		t.Errorf("A4 = %q", got)
	}
	if got := get("C6"); got != "Số ý kiến tiếp nhận" {
		t.Errorf("C6 (group) = %q", got)
	}
	if got := get("D7"); got != "Thư giấy" {
		t.Errorf("D7 = %q", got)
	}
	panes, err := f.GetPanes(sh)
	if err != nil || !panes.Freeze || panes.YSplit != 7 || panes.XSplit != 1 {
		t.Errorf("panes = %+v, %v; want frozen below row 7 and after column A", panes, err)
	}
	// First data row is 8: 40 online, 12 paper, 52 in all, a percentage and a date.
	for _, tt := range []struct {
		cell string
		typ  excelize.CellType
		raw  string
	}{
		{"C8", excelize.CellTypeNumber, "40"},
		{"E8", excelize.CellTypeNumber, "52"},
		{"G9", excelize.CellTypeNumber, "0.978260869565217"}, // 45/46, to 15 digits
		{"H8", excelize.CellTypeNumber, "46357"},             // 2026-12-01 as an Excel serial date
		{"B8", excelize.CellTypeSharedString, "Xã Gia Viễn"},
	} {
		typ, err := f.GetCellType(sh, tt.cell)
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := f.GetCellValue(sh, tt.cell, excelize.Options{RawCellValue: true})
		if typ != tt.typ && !(tt.typ == excelize.CellTypeNumber && typ == excelize.CellTypeUnset) {
			t.Errorf("%s: type %v, want %v", tt.cell, typ, tt.typ)
		}
		if raw != tt.raw {
			t.Errorf("%s: raw %q, want %q", tt.cell, raw, tt.raw)
		}
	}
	if got := get("G9"); got != "97.8%" {
		t.Errorf("G9 formatted = %q, want 97.8%%", got)
	}
	if got := get("H8"); got != "01/12/2026" {
		t.Errorf("H8 formatted = %q, want 01/12/2026", got)
	}
	// The total row (16) is the sum of the rows, as numbers.
	rows, err := f.GetRows(sh, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	if got := rows[15][1]; got != "Tổng cộng" {
		t.Fatalf("row 16 = %q", rows[15])
	}
	sum := 0
	for _, r := range rows[7:15] {
		n, err := strconv.Atoi(r[4])
		if err != nil {
			t.Fatalf("E %q is not a number", r[4])
		}
		sum += n
	}
	if rows[15][4] != "696" || sum != 696 {
		t.Errorf("total %s, rows sum to %d", rows[15][4], sum)
	}
	if w, _ := f.GetColWidth(sh, "B"); w < 15 {
		t.Errorf("column B is %.1f wide, want room for the unit names", w)
	}
	if err := WriteXLSX(&b, &Document{Body: []Block{P("no table")}}); !errors.Is(err, ErrNoTable) {
		t.Errorf("WriteXLSX(no table) = %v, want ErrNoTable", err)
	}
}

func TestSheetName(t *testing.T) {
	used := map[string]bool{}
	for _, tt := range []struct{ caption, want string }{
		{"Bảng 1: Tổng hợp [tháng] 12/2026", "Bảng 1 Tổng hợp tháng 12 2026"},
		{"Bảng 1: Tổng hợp [tháng] 12/2026 của tỉnh", "Bảng 1 Tổng hợp tháng 12 2026 c"},
		{"", "Bảng 2"},
		{"Bảng 2", "Bảng 2 (2)"},
		{strings.Repeat("Đ", 40), strings.Repeat("Đ", 31)},
		{strings.Repeat("Đ", 40), strings.Repeat("Đ", 27) + " (2)"},
	} {
		got := sheetName(tt.caption, 1, used)
		want := strings.Join(strings.Fields(tt.want), " ")
		if got != want {
			t.Errorf("sheetName(%q) = %q, want %q", tt.caption, got, want)
		}
	}
}

// TestCSVReadBack reads the CSV back with encoding/csv: the byte-order mark,
// the header with the groups, machine-readable values, CRLF line ends.
func TestCSVReadBack(t *testing.T) {
	d := sampleReport()
	var b bytes.Buffer
	if err := Render(&b, CSV, d); err != nil {
		t.Fatal(err)
	}
	data := b.Bytes()
	if !bytes.HasPrefix(data, []byte("\xEF\xBB\xBF")) {
		t.Fatal("no UTF-8 byte-order mark")
	}
	if !bytes.Contains(data, []byte("\r\n")) {
		t.Error("lines do not end with CRLF (RFC 4180)")
	}
	recs, err := csv.NewReader(bytes.NewReader(data[3:])).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 1+8+1 {
		t.Fatalf("%d records, want header, 8 rows and the total", len(recs))
	}
	if got := recs[0][2]; got != "Số ý kiến tiếp nhận - Trực tuyến" {
		t.Errorf("header[2] = %q", got)
	}
	if got := strings.Join(recs[2], "|"); got != "2|Phường Hoa Lư|47|15|62|46|0.9782608695652174|2026-12-02" {
		t.Errorf("row 2 = %q", got)
	}
	if got := recs[9][4]; got != "696" {
		t.Errorf("total = %q", got)
	}
	tricky := &Table{Columns: []Column{{Title: "Nội dung"}}, Rows: [][]Cell{{Text("Dòng 1, \"trích\"\nDòng 2")}}}
	b.Reset()
	if err := WriteCSV(&b, tricky); err != nil {
		t.Fatal(err)
	}
	recs, err = csv.NewReader(bytes.NewReader(b.Bytes()[3:])).ReadAll()
	if err != nil || len(recs) != 2 || recs[1][0] != "Dòng 1, \"trích\"\nDòng 2" {
		t.Errorf("quoted field read back as %q, %v", recs, err)
	}
	if err := Render(&b, CSV, &Document{}); !errors.Is(err, ErrNoTable) {
		t.Errorf("Render(CSV, no table) = %v, want ErrNoTable", err)
	}
}

func TestDateCellTimeZone(t *testing.T) {
	// 23:30 on 31 December in Hanoi is still the 31st in the workbook.
	late := time.Date(2026, 12, 31, 23, 30, 0, 0, hcm)
	d := &Document{Body: []Block{&Table{Columns: []Column{{Title: "Ngày"}}, Rows: [][]Cell{{Date(late)}}}}}
	var b bytes.Buffer
	if err := WriteXLSX(&b, d); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&b)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	v, _ := f.GetCellValue(f.GetSheetList()[0], "A2")
	if v != "31/12/2026" {
		t.Errorf("date cell = %q, want 31/12/2026", v)
	}
}
