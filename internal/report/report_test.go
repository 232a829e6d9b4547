package report

import (
	"bytes"
	"encoding/csv"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"homthu/internal/app"
	"homthu/internal/export"
	"homthu/internal/homthu"
)

// sample is a province's digest of a quarter with two communes, as
// app.BuildDigest returns it (its figures are checked by the app's golden
// test; here, how they are written).
func sample() *app.Digest {
	p, _ := homthu.ParsePeriod(homthu.PeriodQuarter, "2026-Q1", "", "")
	counts := func(received, answered, spam, refs, refAns, onTime int) *homthu.DigestCounts {
		c := homthu.NewDigestCounts()
		c.Received, c.Answered, c.Spam, c.Referrals, c.RefAnswered, c.RefOnTime = received, answered, spam, refs, refAns, onTime
		return c
	}
	d := &app.Digest{
		Unit:      &homthu.Unit{Code: "37", Kind: homthu.KindProvince, FullName: "Tỉnh Ninh Bình"},
		Period:    p,
		Generated: time.Date(2026, 4, 2, 9, 0, 0, 0, homthu.VNTime),
		Total:     counts(1234, 1000, 12, 700, 650, 600),
		Rows: []app.DigestRow{
			{Code: "37", Name: "Tỉnh Ninh Bình", Own: true, Counts: counts(34, 20, 2, 10, 10, 9)},
			{Code: "14329", Name: "Phường Hoa Lư", Counts: counts(700, 600, 6, 400, 380, 350), Openings: homthu.Tally{OnTime: 40, Late: 3, Missed: 2}},
			{Code: "14330", Name: "Xã Gia Viễn", Counts: counts(500, 380, 4, 290, 260, 241), Openings: homthu.Tally{OnTime: 30, Missed: 6}},
		},
		Channels: []app.Figure{{Key: "online", Label: "Trực tuyến", N: 800}, {Key: "paper", Label: "Thư qua hòm thư", N: 400},
			{Key: "in_person", Label: "Trực tiếp", N: 30}, {Key: "phone", Label: "Điện thoại", N: 4}},
		Kinds:      []app.Figure{{Label: "Phản ánh", N: 600}, {Label: "Kiến nghị", N: 634}},
		Statuses:   []app.Figure{{Label: "Đã kết thúc xử lý", N: 1000}, {Label: "Đã tiếp nhận, chờ xem xét", N: 234}},
		Categories: []app.CategoryFigure{{Code: "NQ4-12", CatalogShort: "27 biểu hiện suy thoái", Number: 12, Title: "Tham nhũng, tham ô, lãng phí", N: 77}},
		Agencies:   []app.Figure{{Label: "Đảng ủy phường Hoa Lư", N: 400}, {Label: "Ủy ban Kiểm tra Tỉnh ủy Ninh Bình", N: 300}},
		Openings:   homthu.Tally{OnTime: 70, Late: 3, Missed: 8},
		Quotes: []app.Quote{{Item: "x", ReceivedOn: "2026-03-02", AreaName: "Thôn Đông", Channel: homthu.ChannelOnline, Kind: homthu.KindProposal,
			Content: "Đề nghị xã công bố danh sách hộ nghèo được hỗ trợ năm nay.", Note: "Nhiều hộ cùng kiến nghị."}},
	}
	for i, m := range p.Months() {
		d.OpeningMonths = append(d.OpeningMonths, m)
		d.Months = append(d.Months, app.DigestMonth{Month: m, Received: 400 + i, Answered: 300 + i, Spam: 4, OpeningsKnown: true,
			Openings: homthu.Tally{OnTime: 23 + i, Late: 1, Missed: 3 - i}})
	}
	return d
}

func render(t *testing.T, f export.Format, dir string) string {
	t.Helper()
	var b bytes.Buffer
	if err := Render(&b, f, sample()); err != nil {
		t.Fatalf("Render(%s): %v", f, err)
	}
	path := filepath.Join(dir, "digest."+string(f))
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func tool(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s is not installed (poppler-utils, libreoffice-writer-nogui)", name)
		}
		t.Skipf("%s is not installed", name)
	}
	return p
}

func run(t *testing.T, name string, args ...string) string {
	t.Helper()
	out, err := exec.Command(tool(t, name), args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return string(out)
}

// wantText is what the report says, whichever program lays it out.
var wantText = []string{"ỦY BAN MTTQ VIỆT NAM TỈNH NINH BÌNH", "BAN THƯỜNG TRỰC", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
	"Độc lập - Tự do - Hạnh phúc", "/BC-MTTQ", "Ninh Bình, ngày", "BÁO CÁO", "quý I năm 2026", "I. KẾT QUẢ TIẾP NHẬN",
	"1.234", "Phường Hoa Lư", "Xã Gia Viễn", "Tổng cộng", "Đúng hạn", "TM. BAN THƯỜNG TRỰC", "CHỦ TỊCH", "Nơi nhận:",
	"Thôn Đông", "Đề nghị xã công bố danh sách hộ nghèo"}

// TestPDF: the PDF renders (pdftoppm), carries its fonts and says what it
// must. With HOMTHU_EXPORT_PNG=DIR it leaves the pages as PNGs there.
func TestPDF(t *testing.T) {
	dir := t.TempDir()
	pdf := render(t, export.PDF, dir)
	flat := strings.Join(strings.Fields(run(t, "pdftotext", "-layout", pdf, "-")), " ")
	for _, w := range wantText {
		if !strings.Contains(flat, w) {
			t.Errorf("PDF: no %q in\n%s", w, flat)
		}
	}
	fonts := run(t, "pdffonts", pdf)
	if !strings.Contains(fonts, "yes") {
		t.Errorf("PDF fonts are not embedded:\n%s", fonts)
	}
	out := os.Getenv("HOMTHU_EXPORT_PNG")
	if out == "" {
		out = dir
	}
	run(t, "pdftoppm", "-r", "60", "-png", pdf, filepath.Join(out, "digest-pdf"))
	if m, _ := filepath.Glob(filepath.Join(out, "digest-pdf*.png")); len(m) < 2 {
		t.Errorf("pdftoppm made %d pages, want 2 or more", len(m))
	}
}

// TestDOCXLibreOffice: the DOCX converts with LibreOffice, in Times New
// Roman, and says what it must.
func TestDOCXLibreOffice(t *testing.T) {
	if testing.Short() {
		t.Skip("LibreOffice is slow; not in -short")
	}
	soffice := tool(t, "soffice")
	dir := t.TempDir()
	docx := render(t, export.DOCX, dir)
	out := filepath.Join(dir, "out")
	cmd := exec.Command(soffice, "-env:UserInstallation=file://"+filepath.Join(dir, "profile"), "--headless", "--norestore",
		"--convert-to", "pdf", "--outdir", out, docx)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v\n%s", err, b)
	}
	pdf := filepath.Join(out, "digest.pdf")
	flat := strings.Join(strings.Fields(run(t, "pdftotext", "-layout", pdf, "-")), " ")
	for _, w := range wantText {
		if !strings.Contains(flat, w) {
			t.Errorf("DOCX in LibreOffice: no %q in\n%s", w, flat)
		}
	}
	if fonts := run(t, "pdffonts", pdf); !strings.Contains(fonts, "Times") && !strings.Contains(fonts, "LiberationSerif") && !strings.Contains(fonts, "Tinos") {
		t.Errorf("DOCX is not set in Times New Roman (or its metric twin):\n%s", fonts)
	}
	if png := os.Getenv("HOMTHU_EXPORT_PNG"); png != "" {
		run(t, "pdftoppm", "-r", "60", "-png", pdf, filepath.Join(png, "digest-docx"))
	}
}

// TestXLSX: the spreadsheet opens with excelize and its figures are
// numbers, not text.
func TestXLSX(t *testing.T) {
	path := render(t, export.XLSX, t.TempDir())
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var found bool
	for _, sh := range f.GetSheetList() {
		rows, err := f.GetRows(sh)
		if err != nil {
			t.Fatal(err)
		}
		for r, row := range rows {
			for c, v := range row {
				if v != "Phường Hoa Lư" || sh == "" {
					continue
				}
				cell, _ := excelize.CoordinatesToCellName(c+2, r+1)
				typ, err := f.GetCellType(sh, cell)
				if err != nil {
					t.Fatal(err)
				}
				raw, _ := f.GetCellValue(sh, cell, excelize.Options{RawCellValue: true})
				if typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber || raw != "700" {
					t.Errorf("%s!%s (Phường Hoa Lư received) = %q of type %v, want the number 700", sh, cell, raw, typ)
				}
				found = true
			}
		}
	}
	if !found {
		t.Errorf("no sheet has the row of Phường Hoa Lư: %v", f.GetSheetList())
	}
}

// TestCSV: the open-data table is the roll-up, machine-readable.
func TestCSV(t *testing.T) {
	b, err := os.ReadFile(render(t, export.CSV, t.TempDir()))
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte("\uFEFF")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var hoaLu []string
	for _, r := range recs {
		if len(r) > 2 && r[1] == "Phường Hoa Lư" {
			hoaLu = r
		}
	}
	if hoaLu == nil || hoaLu[2] != "700" || hoaLu[3] != "600" || !strings.HasPrefix(hoaLu[4], "0.857") {
		t.Errorf("CSV row of Phường Hoa Lư = %q, want 700, 600, 0.857…\n%s", hoaLu, b)
	}
}
