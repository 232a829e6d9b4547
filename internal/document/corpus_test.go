package document

import (
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"testing"

	"homthu/internal/vntext"
)

// corpusDir is the real test set beside the repository (../shared).
const corpusDir = "../../../shared/data/vn-legal-docs"

// corpusDoc is one document of the test set with its index row.
type corpusDoc struct {
	File, Type, Number, Issuer, Issued string
}

func loadCorpus(t testing.TB) []corpusDoc {
	t.Helper()
	f, err := os.Open(filepath.Join(corpusDir, "index.csv"))
	if err != nil {
		t.Fatalf("the test set %s is missing: %v", corpusDir, err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var out []corpusDoc
	for _, r := range rows[1:] {
		out = append(out, corpusDoc{File: r[0], Type: r[1], Number: r[2], Issuer: r[3], Issued: r[4]})
	}
	return out
}

// TestHeadersOfTheCorpus reads every document of the test set and
// compares the header fields found with the index made by hand.
func TestHeadersOfTheCorpus(t *testing.T) {
	docs := loadCorpus(t)
	var n, number, issued, issuer, typ int
	for _, d := range docs {
		data, err := os.ReadFile(filepath.Join(corpusDir, d.File))
		if err != nil {
			t.Fatal(err)
		}
		text, _, err := Read(context.Background(), d.File, data)
		if err != nil {
			t.Errorf("Read(%s): %v", d.File, err)
			continue
		}
		h := ParseHeader(text)
		n++
		if vntext.Fold(h.Number) == vntext.Fold(d.Number) {
			number++
		} else {
			t.Logf("%s: number %q, index %q", d.File, h.Number, d.Number)
		}
		if h.Issued == d.Issued {
			issued++
		} else {
			t.Logf("%s: issued %q, index %q", d.File, h.Issued, d.Issued)
		}
		if vntext.Fold(h.Issuer) == vntext.Fold(d.Issuer) {
			issuer++
		} else {
			t.Logf("%s: issuer %q, index %q", d.File, h.Issuer, d.Issuer)
		}
		if vntext.Fold(h.Type) == vntext.Fold(d.Type) || (d.Type == "Luật (ban bố bằng Sắc lệnh)" && h.Type == "Luật") {
			typ++
		} else {
			t.Logf("%s: type %q, index %q", d.File, h.Type, d.Type)
		}
		if h.Title == "" {
			t.Logf("%s: no title", d.File)
		}
	}
	t.Logf("%d documents: number %d, date %d, issuer %d, type %d agree with the index", n, number, issued, issuer, typ)
	for _, f := range []struct {
		name string
		got  int
	}{{"number", number}, {"date", issued}, {"issuer", issuer}, {"type", typ}} {
		if f.got*100 < n*95 {
			t.Errorf("%s agrees with the index for %d of %d documents, want ≥ 95%%", f.name, f.got, n)
		}
	}
}
