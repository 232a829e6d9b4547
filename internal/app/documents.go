package app

import (
	"context"
	"sync"
	"time"

	"homthu/internal/document"
	"homthu/internal/homthu"
	"homthu/internal/vntext"
)

// Document search: the public search, the editors' import and corrections.

// DocumentFilter narrows a search: the type and issuer as chosen (any
// case or marks), the year of issue.
type DocumentFilter struct {
	Type, Issuer string
	Year         int
}

// DocumentResult is one result with its highlighted snippet.
type DocumentResult struct {
	Doc      *document.Document
	Snippet  []document.Segment
	ByNumber bool
}

// DocumentSearch is a page of results.
type DocumentSearch struct {
	Query   document.Query
	Results []DocumentResult
	// Total is how many matched (at most store.MaxSearchResults); Next
	// the offset of the next page, 0 when there is none.
	Total, Next int
}

// snippetWidth is the length of a snippet, in characters.
const snippetWidth = 240

// SearchDocuments runs the document search: words with or without
// diacritics, numbers in any form, typos of one letter corrected against
// the collection's words, filtered, ranked, from offset.
func (a *App) SearchDocuments(ctx context.Context, raw string, f DocumentFilter, offset, limit int) (*DocumentSearch, error) {
	if err := homthu.CheckText("Nội dung tìm kiếm", raw, 2000, false); err != nil {
		return nil, err
	}
	if f.Year != 0 && (f.Year < 1900 || f.Year > 2200) {
		return nil, homthu.Errorf(homthu.EINVALID, "Năm ban hành phải có 4 chữ số, ví dụ 2018.")
	}
	vocab, err := a.vocabulary(ctx)
	if err != nil {
		return nil, err
	}
	q := document.ParseQuery(raw, vocab)
	q.Type, q.Issuer, q.Year = vntext.Fold(f.Type), vntext.Fold(f.Issuer), f.Year
	hits, total, err := a.Store.SearchDocuments(ctx, &q, offset, limit)
	if err != nil {
		return nil, err
	}
	out := &DocumentSearch{Query: q, Total: total}
	words := q.Words()
	for _, h := range hits {
		text := h.Body
		if h.Doc.Summary != "" && len(q.Terms) == 0 {
			text = h.Doc.Summary
		}
		out.Results = append(out.Results, DocumentResult{Doc: h.Doc, ByNumber: h.ByNumber, Snippet: document.Snippet(text, words, snippetWidth)})
	}
	if end := offset + len(hits); end < total {
		out.Next = end
	}
	return out, nil
}

// vocabCache holds the collection's vocabulary for typo correction,
// rebuilt when documents were added (by this process, or by another one:
// the word count is checked at most every vocabCheck).
type vocabCache struct {
	mu      sync.Mutex
	v       *document.Vocabulary
	words   int
	checked time.Time
}

const vocabCheck = 30 * time.Second

func (a *App) vocabulary(ctx context.Context) (*document.Vocabulary, error) {
	c := &a.vocab
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.v != nil && a.now().Sub(c.checked) < vocabCheck {
		return c.v, nil
	}
	n, err := a.Store.CountDocumentWords(ctx)
	if err != nil {
		return nil, err
	}
	c.checked = a.now()
	if c.v != nil && n == c.words {
		return c.v, nil
	}
	counts, err := a.Store.DocumentWords(ctx)
	if err != nil {
		return nil, err
	}
	c.v, c.words = document.NewVocabulary(counts), n
	return c.v, nil
}

// forgetVocabulary makes the next search rebuild the vocabulary.
func (a *App) forgetVocabulary() {
	a.vocab.mu.Lock()
	a.vocab.v = nil
	a.vocab.mu.Unlock()
}

// Document returns one document with its text.
func (a *App) Document(ctx context.Context, id int64) (*document.Document, error) {
	return a.Store.FindDocument(ctx, id)
}

// ImportResult is what importing one file did.
type ImportResult struct {
	Name  string
	ID    int64
	Added bool // false: the same text was already in the collection
	Doc   *document.Document
	Err   error
}

// ImportDocuments reads files and adds them to the collection, each on its
// own (a broken file does not stop the others); an editor only.
func (a *App) ImportDocuments(ctx context.Context, s *homthu.Session, files []NamedFile) ([]ImportResult, error) {
	if err := need(s, homthu.ActManageDocuments); err != nil {
		return nil, err
	}
	return a.importDocuments(ctx, files, s.User.Username)
}

// NamedFile is a file with its name.
type NamedFile struct {
	Name string
	Data []byte
}

// ImportDocumentFiles is ImportDocuments for the command line, which runs
// with the operating system's trust.
func (a *App) ImportDocumentFiles(ctx context.Context, files []NamedFile, author string) ([]ImportResult, error) {
	return a.importDocuments(ctx, files, author)
}

func (a *App) importDocuments(ctx context.Context, files []NamedFile, author string) ([]ImportResult, error) {
	out := make([]ImportResult, 0, len(files))
	for _, f := range files {
		r := ImportResult{Name: f.Name}
		d, err := document.FromFile(ctx, f.Name, f.Data)
		if err == nil && a.Blobs != nil {
			d.FileSHA256, err = a.Blobs.Put(f.Data)
			d.FileType = fileType(f.Name)
		}
		if err == nil {
			var ids []int64
			var added []bool
			ids, added, err = a.Store.AddDocuments(ctx, []*document.Document{d}, author)
			if err == nil {
				r.ID, r.Added, r.Doc = ids[0], added[0], d
			}
		}
		if homthu.ErrorCode(err) == homthu.EINTERNAL {
			return out, err
		}
		r.Err = err
		out = append(out, r)
	}
	a.forgetVocabulary()
	return out, nil
}

func fileType(name string) string {
	switch ext := lowerExt(name); ext {
	case ".pdf":
		return "application/pdf"
	case ".docx":
		return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	case ".md":
		return "text/markdown; charset=utf-8"
	}
	return "text/plain; charset=utf-8"
}

func lowerExt(name string) string {
	for i := len(name) - 1; i >= 0 && name[i] != '/'; i-- {
		if name[i] == '.' {
			b := []byte(name[i:])
			for j, c := range b {
				if c >= 'A' && c <= 'Z' {
					b[j] = c + 32
				}
			}
			return string(b)
		}
	}
	return ""
}

// UpdateDocument saves an editor's corrections of a document's fields.
func (a *App) UpdateDocument(ctx context.Context, s *homthu.Session, d *document.Document) error {
	if err := need(s, homthu.ActManageDocuments); err != nil {
		return err
	}
	d.Normalize(vntext.NFC)
	return a.Store.UpdateDocument(ctx, d)
}
