package export

import (
	"bytes"
	"encoding/csv"
	"encoding/xml"
	"strings"
	"testing"
	"time"
)

// FuzzRender puts outside text — a letter's summary, a unit's name, a
// signer's name — everywhere a document takes text, and renders it in every
// format: nothing may fail or panic, the DOCX's XML must stay well-formed
// and the CSV must read back the same text.
func FuzzRender(f *testing.F) {
	for _, s := range []string{
		"",
		"Phản ánh việc cán bộ thôn nhận quà biếu",
		"Vie\u0302\u0323t Nam NFD",
		strings.Repeat("Nghiêng", 200), // one very long word
		"a\x00b\x01c\x7f\u2028\uFFFE<w:t>&amp;</w:t>]]>",
		"\n\n\t \n",
		"漢字 العربية 😀",
		"\xff\xfe invalid UTF-8",
		"- ; . /",
	} {
		f.Add(s, uint8(3))
	}
	f.Fuzz(func(t *testing.T, s string, n uint8) {
		rows := int(n % 8)
		tb := &Table{Caption: s, Columns: []Column{{Title: s, Group: s}, {Title: s, Width: -1}}, Note: s}
		for i := 0; i < rows; i++ {
			tb.Rows = append(tb.Rows, []Cell{Text(s), Int(int64(i)), Percent(float64(i) / 3)})
		}
		if rows%2 == 1 {
			tb.Total = []Cell{Text(s)}
		}
		ch := &Chart{Kind: ChartKind(n % 3), Horizontal: n%2 == 0, Title: s, Unit: s, Categories: []string{s, s + s}, Series: []Series{{Name: s, Values: []float64{float64(n), 1}}}}
		d := &Document{
			Managing: s, Issuer: s, Number: s, Place: s, Date: time.Date(2026, 1, int(n%28)+1, 0, 0, 0, 0, hcm),
			Kind: s, Summary: s, Addressees: []string{s, s},
			Body:       []Block{Heading{Level: int(n % 4), Text: s}, P(s), Paragraph{Runs: []Run{{Text: s, Bold: true}, {Text: s, Italic: true}}}, List{Items: []string{s}}, tb, &Table{}},
			Signatures: []Signature{{Authority: s, Position: s, Name: s, Hint: s}},
			Recipients: []string{s},
		}
		if n%4 == 0 { // charts are slow to rasterise: in one input of four
			d.Body = append(d.Body, ch)
		}
		if n%5 == 0 {
			d.Signatures = append(d.Signatures, d.Signatures[0], d.Signatures[0])
		}
		var b bytes.Buffer
		if err := WritePDF(&b, d); err != nil {
			t.Fatalf("PDF: %v", err)
		}
		if !bytes.HasPrefix(b.Bytes(), []byte("%PDF-")) {
			t.Fatal("PDF does not start with %PDF-")
		}
		b.Reset()
		if err := WriteDOCX(&b, d); err != nil {
			t.Fatalf("DOCX: %v", err)
		}
		docxParts(t, b.Bytes())
		b.Reset()
		if err := WriteXLSX(&b, d); err != nil {
			t.Fatalf("XLSX: %v", err)
		}
		b.Reset()
		if err := WriteCSV(&b, tb); err != nil {
			t.Fatalf("CSV: %v", err)
		}
		recs, err := csv.NewReader(bytes.NewReader(b.Bytes()[3:])).ReadAll()
		if err != nil {
			t.Fatalf("CSV does not read back: %v", err)
		}
		if rows > 0 && recs[1][0] != strings.ReplaceAll(clean(s), "\r", "") {
			t.Errorf("CSV cell read back as %q, want %q", recs[1][0], clean(s))
		}
		svg, err := ch.SVG(320, 0)
		if err != nil {
			t.Fatalf("SVG: %v", err)
		}
		dec := xml.NewDecoder(strings.NewReader(string(svg)))
		for {
			if _, err := dec.Token(); err != nil {
				if err.Error() != "EOF" {
					t.Fatalf("SVG is not well-formed: %v", err)
				}
				break
			}
		}
	})
}
