package web

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestStandardsPoster: the poster on A4 and A3 carries the 27 manifestations
// in their three groups and the 19 prohibitions, on the page size asked
// (pdfinfo), with the Vietnamese text extractable (the font is embedded
// with its Unicode map); a size that does not exist is a Vietnamese 400;
// /niem-yet links both.
func TestStandardsPoster(t *testing.T) {
	pdftotext, pdfinfo := pdfTool(t, "pdftotext"), pdfTool(t, "pdfinfo")
	e := newEnv(t)
	if r := e.do("GET", "/niem-yet", nil, nil); !strings.Contains(r.Body, `href="/niem-yet/ap-phich.pdf?kho=A4"`) || !strings.Contains(r.Body, `href="/niem-yet/ap-phich.pdf?kho=A3"`) {
		t.Error("/niem-yet does not link the A4 and A3 posters")
	}
	for _, tt := range []struct {
		kho  string
		size string // pdfinfo's "Page size", in points
	}{
		{"A4", "595.28 x 841.89"},
		{"a3", "841.89 x 1190.55"},
		{"", "595.28 x 841.89"},
	} {
		r := e.do("GET", "/niem-yet/ap-phich.pdf?kho="+tt.kho, nil, nil)
		if r.StatusCode != 200 || r.Header.Get("Content-Type") != "application/pdf" {
			t.Fatalf("GET poster %q = %d %s", tt.kho, r.StatusCode, r.Header.Get("Content-Type"))
		}
		path := filepath.Join(t.TempDir(), "poster.pdf")
		if err := os.WriteFile(path, []byte(r.Body), 0o644); err != nil {
			t.Fatal(err)
		}
		info, err := exec.Command(pdfinfo, path).Output()
		if err != nil {
			t.Fatal(err)
		}
		if !regexp.MustCompile(`Page size:\s+` + regexp.QuoteMeta(tt.size) + ` `).Match(info) {
			t.Errorf("poster %q: pdfinfo says\n%s\nwant page size %s", tt.kho, info, tt.size)
		}
		out, err := exec.Command(pdftotext, "-raw", path, "-").Output()
		if err != nil {
			t.Fatal(err)
		}
		text := string(out)
		flat := strings.Join(strings.Fields(text), " ")
		for _, w := range []string{"NHỮNG ĐIỀU CẦN BIẾT ĐỂ GIÁM SÁT", "Biểu hiện 1.", "Biểu hiện 27.", "Điều 1.", "Điều 19.", "CÁCH PHẢN ÁNH", "/gui"} {
			if !strings.Contains(flat, w) {
				t.Errorf("poster %q lacks %q", tt.kho, w)
			}
		}
		if n := len(regexp.MustCompile(`Biểu hiện \d+\.`).FindAllString(flat, -1)); n != 27 {
			t.Errorf("poster %q has %d manifestations, want 27", tt.kho, n)
		}
		if n := len(regexp.MustCompile(`Điều \d+\.`).FindAllString(flat, -1)); n != 19 {
			t.Errorf("poster %q has %d prohibitions, want 19", tt.kho, n)
		}
		if n := len(regexp.MustCompile(`(?m)^[abc]\) `).FindAllString(text, -1)); n != 3 {
			t.Errorf("poster %q has %d groups of manifestations, want 3", tt.kho, n)
		}
	}
	if r := e.do("GET", "/niem-yet/ap-phich.pdf?kho=A5", nil, nil); r.StatusCode != 400 || !strings.Contains(r.Body, "xin chọn A4 hoặc A3") {
		t.Errorf("GET poster A5 = %d, want a Vietnamese 400", r.StatusCode)
	}
}
