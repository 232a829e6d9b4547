package export

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// docxParts opens a DOCX and returns its parts by name, checking that every
// XML part is well-formed and every relationship's target exists.
func docxParts(t testing.TB, data []byte) map[string][]byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatalf("not a zip: %v", err)
	}
	parts := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		parts[f.Name] = b
		if strings.HasSuffix(f.Name, ".xml") || strings.HasSuffix(f.Name, ".rels") {
			dec := xml.NewDecoder(bytes.NewReader(b))
			for {
				if _, err := dec.Token(); err == io.EOF {
					break
				} else if err != nil {
					t.Fatalf("%s is not well-formed XML: %v", f.Name, err)
				}
			}
		}
	}
	for _, name := range []string{"[Content_Types].xml", "_rels/.rels", "word/document.xml", "word/styles.xml", "word/_rels/document.xml.rels"} {
		if parts[name] == nil {
			t.Fatalf("no part %s", name)
		}
	}
	var rels struct {
		Rel []struct {
			Target string `xml:"Target,attr"`
		} `xml:"Relationship"`
	}
	if err := xml.Unmarshal(parts["word/_rels/document.xml.rels"], &rels); err != nil {
		t.Fatal(err)
	}
	for _, r := range rels.Rel {
		if parts["word/"+r.Target] == nil {
			t.Errorf("relationship target word/%s is missing", r.Target)
		}
	}
	return parts
}

// TestDOCXStructure checks what Word needs to treat the file as an editable
// document in the state format: Times New Roman 14 pt, the margins of
// Appendix I, real tables with repeating header rows, and the page number
// header only from page 2 (a distinct, empty first-page header).
func TestDOCXStructure(t *testing.T) {
	var b bytes.Buffer
	if err := WriteDOCX(&b, sampleReport()); err != nil {
		t.Fatal(err)
	}
	parts := docxParts(t, b.Bytes())
	doc := string(parts["word/document.xml"])
	styles := string(parts["word/styles.xml"])
	for _, want := range []struct{ in, what, s string }{
		{styles, "Times New Roman", `w:ascii="Times New Roman"`},
		{styles, "14 pt", `<w:sz w:val="28"/>`},
		{styles, "first-line indent 1.27 cm", `<w:ind w:firstLine="720"/>`},
		{styles, "headings", `w:styleId="Heading1"`},
		{doc, "margins 20/15/20/30 mm", `<w:pgMar w:top="1134" w:right="850" w:bottom="1134" w:left="1701"`},
		{doc, "A4", `<w:pgSz w:w="11906" w:h="16838"/>`},
		{doc, "a distinct first page", `<w:titlePg/>`},
		{doc, "a first-page header", `w:type="first"`},
		{doc, "repeating header rows", `<w:tblHeader/>`},
		{doc, "merged group header", `<w:gridSpan w:val="3"/>`},
		{doc, "a chart picture", `<a:blip r:embed="rIdImg1"/>`},
		{doc, "the motto", "Độc lập - Tự do - Hạnh phúc"},
		{doc, "the number", "Số: 12/BC-MTTQ-BTT"},
		{doc, "the date", "Hoa Lư, ngày 07 tháng 12 năm 2026"},
		{doc, "the total", "Tổng cộng"},
		{doc, "numbers printed the Vietnamese way", "97,8%"},
		{doc, "recipients", "- Lưu: VT, TH."},
		{string(parts["word/header1.xml"]), "a PAGE field", "PAGE"},
	} {
		if !strings.Contains(want.in, want.s) {
			t.Errorf("document has no %s (%s)", want.what, want.s)
		}
	}
	if strings.Contains(string(parts["word/header2.xml"]), "PAGE") {
		t.Error("the first page's header carries a page number")
	}
	if _, ok := parts["word/media/chart3.png"]; !ok {
		t.Error("the three charts are not all embedded as pictures")
	}
	var again bytes.Buffer
	if err := WriteDOCX(&again, sampleReport()); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b.Bytes(), again.Bytes()) {
		t.Error("two renders of the same document differ")
	}
}

// TestDOCXLibreOffice opens every sample DOCX in LibreOffice (headless,
// converted to PDF) and checks the text it laid out and the page numbers.
// With HOMTHU_EXPORT_PNG=DIR it leaves PNGs of the pages in DIR to look at.
func TestDOCXLibreOffice(t *testing.T) {
	if testing.Short() {
		t.Skip("LibreOffice is slow; not in -short")
	}
	soffice := requireTool(t, "soffice")
	requireTool(t, "pdftotext")
	dir := t.TempDir()
	var files []string
	for _, s := range samples {
		files = append(files, renderFile(t, s.doc(), DOCX, dir, s.name))
	}
	out := filepath.Join(dir, "out")
	profile := "file://" + filepath.Join(dir, "profile")
	cmd := exec.Command(soffice, append([]string{"-env:UserInstallation=" + profile, "--headless", "--norestore", "--convert-to", "pdf", "--outdir", out}, files...)...)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v\n%s", err, b)
	}
	want := map[string][]string{
		"report": {"ỦY BAN MTTQ VIỆT NAM TỈNH", "BAN THƯỜNG TRỰC", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
			"Số: 12/BC-MTTQ-BTT", "Hoa Lư, ngày 07 tháng 12 năm 2026", "BÁO CÁO", "I. KẾT QUẢ TIẾP NHẬN Ý KIẾN, KIẾN NGHỊ",
			"Phường Nam Định", "Tổng cộng", "516", "91,3%", "TM. BAN THƯỜNG TRỰC", "Nguyễn Thị Thu Hà", "Nơi nhận:", "- Lưu: VT, TH."},
		"letter":  {"Số: 05/MTTQ-BTT", "V/v chuyển ý kiến phản ánh", "Kính gửi: Ủy ban Kiểm tra Đảng ủy xã Gia Viễn.", "Trần Văn Đức"},
		"minutes": {"BIÊN BẢN", "Mở hòm thư góp ý tháng 01 năm 2026", "TG-2026-0002", "NGƯỜI LẬP BIÊN BẢN", "Đinh Công Tráng", "(Ký, ghi rõ họ tên)"},
		"logbook": {"SỔ THEO DÕI MỞ HÒM THƯ GÓP Ý", "Người chứng kiến", "12/BB-BCTMT"},
	}
	pngDir := os.Getenv("HOMTHU_EXPORT_PNG")
	for _, s := range samples {
		pdf := filepath.Join(out, s.name+".pdf")
		text := string(run(t, "pdftotext", "-layout", pdf, "-"))
		flat := strings.Join(strings.Fields(text), " ")
		for _, w := range want[s.name] {
			if !strings.Contains(flat, w) {
				t.Errorf("%s.docx in LibreOffice: no %q in\n%s", s.name, w, text)
			}
		}
		pages := strings.Split(text, "\f")
		if s.name == "report" {
			if len(pages) < 3 {
				t.Fatalf("report.docx: %d pages in LibreOffice, want 3 or more", len(pages))
			}
			if first := strings.TrimSpace(strings.SplitN(pages[0], "\n", 2)[0]); first == "1" {
				t.Error("report.docx: page 1 carries a page number")
			}
			for i := 1; i < len(pages)-1; i++ {
				if first := strings.TrimSpace(strings.SplitN(strings.TrimLeft(pages[i], "\n"), "\n", 2)[0]); first != fmt.Sprint(i+1) {
					t.Errorf("report.docx: page %d starts with %q, want its number", i+1, first)
				}
			}
		}
		if s.name == "logbook" {
			words, pw, _ := pdfWords(t, pdf)
			if pw < 841 || len(words) == 0 {
				t.Errorf("logbook.docx: page width %.0f pt, want landscape A4", pw)
			}
		}
		if pngDir != "" {
			run(t, "pdftoppm", "-r", "70", "-png", pdf, filepath.Join(pngDir, "docx-"+s.name))
		}
	}
}
