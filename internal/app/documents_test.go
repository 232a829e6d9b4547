package app

import (
	"bufio"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"

	"homthu/internal/homthu"
	"homthu/internal/store/storetest"
	"homthu/internal/vntext"
)

// corpusDir is the real test set beside the repository (../shared).
const corpusDir = "../../../shared/data/vn-legal-docs"

// importCorpus imports every document of the test set and returns the
// document id of each file.
func importCorpus(t testing.TB, a *App) map[string]int64 {
	t.Helper()
	var files []NamedFile
	for _, dir := range []string{"vlc-laws", "resolutions-2025"} {
		names, err := filepath.Glob(filepath.Join(corpusDir, dir, "*"))
		if err != nil || len(names) == 0 {
			t.Fatalf("the test set %s is missing: %v", corpusDir, err)
		}
		for _, n := range names {
			if strings.HasSuffix(n, "SOURCE_README.md") || strings.HasSuffix(n, ".csv") {
				continue
			}
			b, err := os.ReadFile(n)
			if err != nil {
				t.Fatal(err)
			}
			files = append(files, NamedFile{Name: dir + "/" + filepath.Base(n), Data: b})
		}
	}
	res, err := a.ImportDocumentFiles(context.Background(), files, "thử")
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]int64{}
	for _, r := range res {
		if r.Err != nil {
			t.Errorf("import %s: %v", r.Name, r.Err)
			continue
		}
		ids[r.Name] = r.ID
	}
	return ids
}

type searchCase struct{ query, file, kind string }

func loadQueries(t testing.TB) []searchCase {
	f, err := os.Open("testdata/search-queries.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []searchCase
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if l := sc.Text(); l != "" && !strings.HasPrefix(l, "#") {
			p := strings.Split(l, "\t")
			q := p[0]
			if rest, ok := strings.CutPrefix(q, "NFD:"); ok {
				q = norm.NFD.String(rest)
			}
			out = append(out, searchCase{q, p[1], p[2]})
		}
	}
	return out
}

// TestDocumentSearchQuality runs the test set of queries (diacritic-free,
// tone-mark variants, NFD, number formats, typos of one letter) over the
// real documents, on each engine, and wants the expected document among
// the first five for at least 95% of them.
func TestDocumentSearchQuality(t *testing.T) {
	cases := loadQueries(t)
	if len(cases) < 50 {
		t.Fatalf("%d queries in the test set, want ≥ 50", len(cases))
	}
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			a := &App{Store: storetest.Open(t, engine)}
			ids := importCorpus(t, a)
			found := 0
			for _, c := range cases {
				res, err := a.SearchDocuments(context.Background(), c.query, DocumentFilter{}, 0, 5)
				if err != nil {
					t.Fatalf("SearchDocuments(%q): %v", c.query, err)
				}
				ok := false
				var got []string
				for _, r := range res.Results {
					got = append(got, r.Doc.Title)
					if r.Doc.ID == ids[c.file] {
						ok = true
					}
				}
				if ok {
					found++
				} else {
					t.Logf("%s: %q did not find %s in the first five: %q", c.kind, c.query, c.file, got)
				}
			}
			recall := float64(found) / float64(len(cases))
			t.Logf("%s: recall@5 = %d/%d = %.3f", engine, found, len(cases), recall)
			if recall < 0.95 {
				t.Errorf("recall@5 = %.3f, want ≥ 0.95", recall)
			}
		})
	}
}

func TestDocumentSearchFilters(t *testing.T) {
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			a := &App{Store: storetest.Open(t, engine)}
			ids := importCorpus(t, a)
			ctx := context.Background()
			for _, tt := range []struct {
				q    string
				f    DocumentFilter
				want string
				min  int
			}{
				{"sắp xếp đơn vị hành chính", DocumentFilter{Type: "nghi quyet", Year: 2025}, "", 20},
				{"", DocumentFilter{Issuer: "ban chấp hành trung ương"}, "resolutions-2025/60-NQ_TW.md", 1},
				{"khuyến khích đầu tư", DocumentFilter{Year: 1994}, "vlc-laws/luat-khuyen-khich-dau-tu-trong-nuoc.txt", 1},
				{"đầu tư", DocumentFilter{Type: "Bộ luật", Year: 1994}, "", 0},
			} {
				res, err := a.SearchDocuments(ctx, tt.q, tt.f, 0, 50)
				if err != nil {
					t.Fatal(err)
				}
				if res.Total < tt.min || (tt.min == 0 && res.Total != 0) {
					t.Errorf("SearchDocuments(%q, %+v) = %d results, want ≥ %d", tt.q, tt.f, res.Total, tt.min)
				}
				for _, r := range res.Results {
					if tt.f.Year != 0 && r.Doc.Year() != tt.f.Year {
						t.Errorf("SearchDocuments(%q, %+v) gave a document of %d", tt.q, tt.f, r.Doc.Year())
					}
				}
				if tt.want != "" && (len(res.Results) == 0 || res.Results[0].Doc.ID != ids[tt.want]) {
					t.Errorf("SearchDocuments(%q, %+v): first result is not %s", tt.q, tt.f, tt.want)
				}
			}
			// Highlighted snippets are cut from the text as written: the
			// marked words fold to the query's words and keep their marks.
			res, _ := a.SearchDocuments(ctx, "bat kha xam pham", DocumentFilter{}, 0, 1)
			if len(res.Results) == 0 {
				t.Fatal("no result")
			}
			words := map[string]bool{"bat": true, "kha": true, "xam": true, "pham": true}
			marks := 0
			for _, s := range res.Results[0].Snippet {
				if s.Mark {
					marks++
					if !words[vntext.Fold(s.Text)] || vntext.Fold(s.Text) == s.Text {
						t.Errorf("snippet marks %q", s.Text)
					}
				}
			}
			if marks < 2 {
				t.Errorf("snippet %+v marks %d words, want the phrase", res.Results[0].Snippet, marks)
			}
			if _, err := a.SearchDocuments(ctx, "a\x00", DocumentFilter{}, 0, 5); homthu.ErrorCode(err) != homthu.EINVALID {
				t.Errorf("a query with NUL = %v, want EINVALID", err)
			}
			// Importing the same file again adds nothing.
			b, _ := os.ReadFile(filepath.Join(corpusDir, "vlc-laws/luat-duoc.txt"))
			r, err := a.ImportDocumentFiles(ctx, []NamedFile{{Name: "lai-lan-nua.txt", Data: b}}, "thử")
			if err != nil || r[0].Added || r[0].ID != ids["vlc-laws/luat-duoc.txt"] {
				t.Errorf("importing a file twice = %+v, %v", r, err)
			}
			if n, _ := a.Store.CountDocuments(ctx); n != len(ids) {
				t.Errorf("%d documents after a repeat import, want %d", n, len(ids))
			}
		})
	}
}
