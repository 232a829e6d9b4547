package export

import (
	"bytes"
	"encoding/xml"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// requireTool returns the path of an external program the test needs. It
// skips the test where the program is missing, except in CI (CI set), where
// a missing tool is a failure: .ci/run installs them.
func requireTool(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s is not installed; .ci/run installs it (poppler-utils, libreoffice-writer-nogui)", name)
		}
		t.Skipf("%s is not installed", name)
	}
	return p
}

func run(t *testing.T, name string, args ...string) []byte {
	t.Helper()
	out, err := exec.Command(requireTool(t, name), args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return out
}

func renderFile(t *testing.T, d *Document, f Format, dir, name string) string {
	t.Helper()
	var b bytes.Buffer
	if err := Render(&b, f, d); err != nil {
		t.Fatalf("Render(%s, %s): %v", name, f, err)
	}
	path := filepath.Join(dir, name+"."+string(f))
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (run with -update if the change is intended):\n--- got\n%s", name, got)
	}
}

var samples = []struct {
	name string
	doc  func() *Document
}{
	{"report", sampleReport},
	{"letter", sampleLetter},
	{"minutes", sampleMinutes},
	{"logbook", sampleLogbook},
}

// TestPDFGolden pins the text and layout of the sample documents: the
// output of pdftotext -layout against testdata/*.pdf.txt, and byte-for-byte
// reproducibility.
func TestPDFGolden(t *testing.T) {
	dir := t.TempDir()
	for _, s := range samples {
		t.Run(s.name, func(t *testing.T) {
			var a, b bytes.Buffer
			if err := WritePDF(&a, s.doc()); err != nil {
				t.Fatal(err)
			}
			if err := WritePDF(&b, s.doc()); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(a.Bytes(), b.Bytes()) {
				t.Error("two renders of the same document differ")
			}
			path := filepath.Join(dir, s.name+".pdf")
			if err := os.WriteFile(path, a.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			golden(t, s.name+".pdf.txt", run(t, "pdftotext", "-layout", path, "-"))
		})
	}
}

// bbox is a word of pdftotext -bbox output with its page.
type bbox struct {
	page                   int
	text                   string
	xMin, yMin, xMax, yMax float64
}

// words returns the words of a PDF with their boxes, in points.
func pdfWords(t *testing.T, path string) (words []bbox, pageW, pageH float64) {
	t.Helper()
	out := run(t, "pdftotext", "-bbox", path, "-")
	dec := xml.NewDecoder(bytes.NewReader(out))
	dec.Strict = false
	dec.AutoClose = xml.HTMLAutoClose
	dec.Entity = xml.HTMLEntity
	page := 0
	for {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		attr := func(n string) float64 {
			for _, a := range se.Attr {
				if a.Name.Local == n {
					v, _ := strconv.ParseFloat(a.Value, 64)
					return v
				}
			}
			return 0
		}
		switch se.Name.Local {
		case "page":
			page++
			pageW, pageH = attr("width"), attr("height")
		case "word":
			var text string
			if err := dec.DecodeElement(&text, &se); err != nil {
				t.Fatal(err)
			}
			words = append(words, bbox{page, text, attr("xMin"), attr("yMin"), attr("xMax"), attr("yMax")})
		}
	}
	return words, pageW, pageH
}

func find(words []bbox, page int, text string) (bbox, bool) {
	for _, w := range words {
		if w.page == page && w.text == text {
			return w, true
		}
	}
	return bbox{}, false
}

// TestPDFLayout checks the positions Appendix I fixes: the issuer on the
// left and the motto on the right on the same lines, the number and the
// date on one line, the kind centred, the text inside the margins, page
// numbers centred in the top margin from page 2 only, and the fonts
// embedded.
func TestPDFLayout(t *testing.T) {
	dir := t.TempDir()
	path := renderFile(t, sampleReport(), PDF, dir, "report")
	words, pw, ph := pdfWords(t, path)
	if pw < 594 || pw > 596 || ph < 841 || ph > 843 {
		t.Errorf("page is %.1f × %.1f pt, want A4 (595 × 842)", pw, ph)
	}
	mm := func(v float64) float64 { return v * 25.4 / 72 }
	must := func(page int, text string) bbox {
		t.Helper()
		w, ok := find(words, page, text)
		if !ok {
			t.Fatalf("no %q on page %d", text, page)
		}
		return w
	}
	issuer := must(1, "THƯỜNG")
	country := must(1, "CỘNG")
	if !(issuer.xMax < country.xMin) {
		t.Errorf("issuer (x %.0f–%.0f) is not left of the motto (x %.0f)", issuer.xMin, issuer.xMax, country.xMin)
	}
	if man := must(1, "ỦY"); mm(man.yMin) < 19 || mm(man.yMin) > 26 {
		t.Errorf("heading starts %.1f mm from the top, want the 20 mm margin", mm(man.yMin))
	}
	num := must(1, "Số:")
	date := must(1, "ngày")
	if d := num.yMin - date.yMin; d < -2 || d > 2 {
		t.Errorf("number (y %.1f) and date (y %.1f) are not on one line", num.yMin, date.yMin)
	}
	kind := must(1, "BÁO")
	centre := mm(kind.xMin + (kind.xMax-kind.xMin)/2 + (must(1, "CÁO").xMax-kind.xMax)/2)
	if want := marginLeft + (210-marginLeft-marginRight)/2; centre < want-3 || centre > want+3 {
		t.Errorf("kind centred at %.1f mm, want %.1f", centre, want)
	}
	for _, w := range words {
		if mm(w.xMin) < marginLeft-0.5 || mm(w.xMax) > 210-marginRight+0.5 {
			t.Errorf("page %d: %q at x %.1f–%.1f mm is outside the margins", w.page, w.text, mm(w.xMin), mm(w.xMax))
		}
	}
	if _, ok := find(words, 1, "1"); ok {
		for _, w := range words {
			if w.page == 1 && w.text == "1" && mm(w.yMax) < marginTop {
				t.Error("page 1 carries a page number")
			}
		}
	}
	for page := 2; page <= 3; page++ {
		n, ok := find(words, page, strconv.Itoa(page))
		if !ok || mm(n.yMax) > marginTop {
			t.Errorf("page %d: no page number in the top margin (%+v)", page, n)
			continue
		}
		if c := mm((n.xMin + n.xMax) / 2); c < 103 || c > 107 {
			t.Errorf("page %d: number centred at %.1f mm, want 105", page, c)
		}
	}
	// Every face is embedded (pdffonts' "emb" column), and as a subset: the
	// whole report is far smaller than the 2.3 MB of the font files.
	fonts := string(run(t, "pdffonts", path))
	for _, face := range []string{"utf8serif", "utf8serifB", "utf8serifI", "utf8serifBI", "utf8sans", "utf8sansB"} {
		if !regexp.MustCompile(`(?m)^` + face + `\s+CID TrueType\s+Identity-H\s+yes\b`).MatchString(fonts) {
			t.Errorf("font %s not embedded:\n%s", face, fonts)
		}
	}
	if fi, err := os.Stat(path); err != nil || fi.Size() > 300_000 {
		t.Errorf("report.pdf is %d bytes: the fonts are not subset", fi.Size())
	}
}

// TestPDFLandscape checks the logbook's landscape A4 page and its header
// repeated on the second page.
func TestPDFLandscape(t *testing.T) {
	d := sampleLogbook()
	tb := d.Body[0].(*Table)
	for i := 0; i < 12; i++ { // two years: the table runs onto page 2
		tb.Rows = append(tb.Rows, tb.Rows[i])
	}
	path := renderFile(t, d, PDF, t.TempDir(), "logbook")
	words, pw, ph := pdfWords(t, path)
	if pw < 841 || pw > 843 || ph < 594 || ph > 596 {
		t.Errorf("page is %.1f × %.1f pt, want landscape A4", pw, ph)
	}
	pages := 0
	for _, w := range words {
		pages = max(pages, w.page)
	}
	if pages < 2 {
		t.Fatalf("%d pages, want the table to run onto a second page", pages)
	}
	for page := 1; page <= pages; page++ {
		if _, ok := find(words, page, "chứng"); !ok {
			t.Errorf("page %d has no table header (Người chứng kiến)", page)
		}
	}
	if _, ok := find(words, 1, "Số:"); ok {
		t.Error("a document without a number prints \"Số:\"")
	}
}
