package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"homthu/internal/document"
	"homthu/internal/homthu"
	"homthu/internal/vntext"
)

// The documents of the document search (internal/document). The full-text
// index is over folded text: an FTS5 table on SQLite, a generated tsvector
// with a GIN index on PostgreSQL (dialect.go has the two statements that
// differ). document_words is the vocabulary for typo correction.

const documentCols = `id, number, doc_type, issuer, issued, effective, status, replaced_by, title, summary,
    file_sha256, file_name, file_type, encoding, text_sha256, created, updated`

func scanDocument(sc interface{ Scan(...any) error }, body *string) (*document.Document, error) {
	var d document.Document
	var created, updated int64
	dest := []any{&d.ID, &d.Number, &d.Type, &d.Issuer, &d.Issued, &d.Effective, &d.Status, &d.ReplacedBy, &d.Title, &d.Summary,
		&d.FileSHA256, &d.FileName, &d.FileType, &d.Encoding, &d.TextSHA256, &created, &updated}
	if body != nil {
		dest = append(dest, body)
	}
	if err := sc.Scan(dest...); err != nil {
		return nil, err
	}
	d.Created, d.Updated = time.UnixMilli(created), time.UnixMilli(updated)
	return &d, nil
}

// TextSHA256 is the key by which a text is known: the SHA-256 of its NFC form.
func TextSHA256(text string) string {
	h := sha256.Sum256([]byte(text))
	return hex.EncodeToString(h[:])
}

const insertDocumentSQL = `INSERT INTO documents (number, number_key, doc_type, type_key, issuer, issuer_key, issued, year, effective,
    status, replaced_by, title, summary, body, fold_head, fold_summary, fold_body,
    file_sha256, file_name, file_type, encoding, text_sha256, author_name, created, updated)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (text_sha256) DO NOTHING
RETURNING id`

// AddDocuments stores documents, in one transaction, and returns their
// ids in order; a document whose text is already stored (the same text
// imported again) is not added twice: its id is the stored one and
// added[i] is false. Each document must be normalised and valid.
func (s *Store) AddDocuments(ctx context.Context, docs []*document.Document, author string) (ids []int64, added []bool, err error) {
	now := s.now().UnixMilli()
	err = s.Transact(ctx, func(tx *Tx) error {
		ids, added = ids[:0], added[:0]
		words := map[string]int{}
		for _, d := range docs {
			if err := d.Validate(); err != nil {
				return err
			}
			d.TextSHA256 = TextSHA256(d.Text)
			var id int64
			err := tx.QueryRow(ctx, insertDocumentSQL, d.Number, vntext.Fold(d.Number), d.Type, vntext.Fold(d.Type), d.Issuer,
				vntext.Fold(d.Issuer), d.Issued, d.Year(), d.Effective, d.Status, d.ReplacedBy, d.Title, d.Summary, d.Text,
				foldHead(d), vntext.Fold(d.Summary), vntext.Fold(d.Text), d.FileSHA256, d.FileName, d.FileType, d.Encoding, d.TextSHA256, author, now, now).Scan(&id)
			if errors.Is(err, sql.ErrNoRows) {
				if err := tx.QueryRow(ctx, `SELECT id FROM documents WHERE text_sha256 = ?`, d.TextSHA256).Scan(&id); err != nil {
					return err
				}
				ids, added = append(ids, id), append(added, false)
				continue
			} else if err != nil {
				return err
			}
			d.ID = id
			for _, w := range documentWords(d) {
				words[w]++
			}
			ids, added = append(ids, id), append(added, true)
		}
		return addWords(ctx, tx, words)
	})
	if err != nil {
		return nil, nil, wrapCatalogErr("store.AddDocuments", err)
	}
	return ids, added, nil
}

// documentWords are the distinct folded words of a document that the
// vocabulary keeps: letters only, two to 30 of them.
func documentWords(d *document.Document) []string {
	seen := map[string]bool{}
	var out []string
	for _, t := range []string{d.Title, d.Summary, d.Text} {
		f := vntext.Fold(t)
		for len(f) > 0 {
			w, rest, _ := strings.Cut(f, " ")
			f = rest
			if len(w) < 2 || len(w) > 30 || seen[w] || strings.ContainsAny(w, "0123456789") {
				continue
			}
			seen[w] = true
			out = append(out, w)
		}
	}
	return out
}

func addWords(ctx context.Context, tx *Tx, words map[string]int) error {
	keys := make([]string, 0, len(words))
	for w := range words {
		keys = append(keys, w)
	}
	sort.Strings(keys) // a stable order: concurrent imports lock rows alike
	for _, w := range keys {
		if _, err := tx.Exec(ctx, `INSERT INTO document_words (word, docs) VALUES (?, ?)
ON CONFLICT (word) DO UPDATE SET docs = document_words.docs + excluded.docs`, w, words[w]); err != nil {
			return err
		}
	}
	return nil
}

// foldHead is what the index weighs most: the number and the title, folded.
func foldHead(d *document.Document) string { return vntext.Fold(d.Number + " " + d.Title) }

// RebuildDocumentIndex rebuilds the full-text index from the documents'
// folded text: after a restore, which leaves SQLite's FTS5 index out. On
// PostgreSQL the index is a generated column and has nothing to rebuild.
func (s *Store) RebuildDocumentIndex(ctx context.Context) error {
	if q := s.d.rebuildDocumentIndexSQL(); q != "" {
		if _, err := s.exec(ctx, q); err != nil {
			return fmt.Errorf("store.RebuildDocumentIndex: %w", err)
		}
	}
	return nil
}

// DocumentWords returns the vocabulary: folded word → documents.
func (s *Store) DocumentWords(ctx context.Context) (map[string]int, error) {
	rows, err := s.query(ctx, `SELECT word, docs FROM document_words`)
	if err != nil {
		return nil, fmt.Errorf("store.DocumentWords: %w", err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var w string
		var n int
		if err := rows.Scan(&w, &n); err != nil {
			return nil, fmt.Errorf("store.DocumentWords: %w", err)
		}
		out[w] = n
	}
	return out, rows.Err()
}

// CountDocuments is the number of documents.
func (s *Store) CountDocuments(ctx context.Context) (int, error) {
	var n int
	if err := s.queryRow(ctx, `SELECT COUNT(*) FROM documents`).Scan(&n); err != nil {
		return 0, fmt.Errorf("store.CountDocuments: %w", err)
	}
	return n, nil
}

// FindDocument returns a document with its full text, or ENOTFOUND.
func (s *Store) FindDocument(ctx context.Context, id int64) (*document.Document, error) {
	var body string
	d, err := scanDocument(s.queryRow(ctx, `SELECT `+documentCols+`, body FROM documents WHERE id = ?`, id), &body)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, homthu.Errorf(homthu.ENOTFOUND, "Không có văn bản này.")
	} else if err != nil {
		return nil, fmt.Errorf("store.FindDocument: %w", err)
	}
	d.Text = body
	return d, nil
}

// UpdateDocument corrects a document's fields (not its text): what an
// editor fixes after an import read the header wrong.
func (s *Store) UpdateDocument(ctx context.Context, d *document.Document) error {
	if err := d.Validate(); err != nil {
		return err
	}
	err := s.Transact(ctx, func(tx *Tx) error {
		res, err := tx.Exec(ctx, `UPDATE documents SET number = ?, number_key = ?, doc_type = ?, type_key = ?, issuer = ?, issuer_key = ?,
    issued = ?, year = ?, effective = ?, status = ?, replaced_by = ?, title = ?, summary = ?, fold_head = ?, fold_summary = ?, updated = ?
WHERE id = ?`,
			d.Number, vntext.Fold(d.Number), d.Type, vntext.Fold(d.Type), d.Issuer, vntext.Fold(d.Issuer), d.Issued, d.Year(),
			d.Effective, d.Status, d.ReplacedBy, d.Title, d.Summary, foldHead(d), vntext.Fold(d.Summary), s.now().UnixMilli(), d.ID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return homthu.Errorf(homthu.ENOTFOUND, "Không có văn bản này.")
		}
		return nil
	})
	return wrapCatalogErr("store.UpdateDocument", err)
}

// DocumentHit is one search result.
type DocumentHit struct {
	Doc  *document.Document
	Body string // the full text, for the snippet
	// ByNumber is set when the document's number matched the query.
	ByNumber bool
}

// MaxSearchResults bounds how deep a search goes (a page of "Xem thêm"
// at a time, never past this).
const MaxSearchResults = 200

// SearchDocuments runs a query and returns the documents that match, best
// first, from offset, at most limit: documents whose number matches (the
// exact number first, then numbers that start with a bare "124"), then by
// the full-text rank (title and number weigh most, then the summary, then
// the text), every term required; when no document has every term, any
// term. total is how many matched, up to MaxSearchResults. With no number
// and no term, the filters alone list documents, newest first.
func (s *Store) SearchDocuments(ctx context.Context, q *document.Query, offset, limit int) (hits []DocumentHit, total int, err error) {
	if limit <= 0 || limit > 50 {
		limit = 20
	}
	if offset < 0 || offset >= MaxSearchResults {
		return nil, 0, nil
	}
	typeLike, issuerLike := containsLike(q.Type), containsLike(q.Issuer)
	filters := []any{q.Type, typeLike, q.Issuer, issuerLike, q.Year, q.Year}
	var ids []int64
	byNumber := map[int64]bool{}
	seen := map[int64]bool{}
	add := func(id int64) {
		if !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	for _, key := range q.Numbers {
		exact, err := s.documentIDs(ctx, `SELECT id FROM documents d WHERE number_key = ? AND `+docFilters+` ORDER BY issued DESC, id DESC LIMIT 50`,
			append([]any{key}, filters...)...)
		if err != nil {
			return nil, 0, err
		}
		prefix, err := s.documentIDs(ctx, `SELECT id FROM documents d WHERE number_key LIKE ? AND `+docFilters+` ORDER BY issued DESC, id DESC LIMIT 50`,
			append([]any{escapeLike(key) + " %"}, filters...)...)
		if err != nil {
			return nil, 0, err
		}
		for _, id := range append(exact, prefix...) {
			byNumber[id] = true
			add(id)
		}
	}
	if len(q.Terms) > 0 {
		// Every term anywhere; any term in a title (a document whose
		// title answers the query but whose text lacks a common word);
		// any term anywhere when both found few. Then ranked by title.
		var text []int64
		for _, m := range []struct {
			op   string
			head bool
		}{{"AND", false}, {"OR", true}, {"OR", false}} {
			if m.op == "OR" && len(q.Terms) == 1 {
				break
			}
			if m.op == "OR" && !m.head && len(text) >= 20 {
				break
			}
			found, err := s.documentIDs(ctx, s.d.searchDocumentsSQL(),
				append(append([]any{s.d.documentMatch(q.Terms, m.op, m.head)}, filters...), MaxSearchResults)...)
			if err != nil {
				return nil, 0, err
			}
			text = append(text, found...)
		}
		text, err = s.rankByTitle(ctx, q, text)
		if err != nil {
			return nil, 0, err
		}
		for _, id := range text {
			add(id)
		}
	}
	if q.Empty() {
		found, err := s.documentIDs(ctx, `SELECT id FROM documents d WHERE `+docFilters+` ORDER BY issued DESC, id DESC LIMIT ?`,
			append(filters, MaxSearchResults)...)
		if err != nil {
			return nil, 0, err
		}
		ids = found
	}
	if len(ids) > MaxSearchResults {
		ids = ids[:MaxSearchResults]
	}
	total = len(ids)
	if offset >= len(ids) {
		return nil, total, nil
	}
	page := ids[offset:min(len(ids), offset+limit)]
	docs, err := s.documentsWithBody(ctx, page)
	if err != nil {
		return nil, 0, err
	}
	for _, id := range page {
		if h, ok := docs[id]; ok {
			h.ByNumber = byNumber[id]
			hits = append(hits, h)
		}
	}
	return hits, total, nil
}

// rankByTitle orders ids by how well their titles answer the query
// (document.Query.TitleScore), keeping the full-text order among equals.
func (s *Store) rankByTitle(ctx context.Context, q *document.Query, ids []int64) ([]int64, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	seen := map[int64]bool{}
	var uniq []any
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			uniq = append(uniq, id)
		}
	}
	rows, err := s.query(ctx, `SELECT id, title FROM documents WHERE id IN (`+placeholders(len(uniq))+`)`, uniq...)
	if err != nil {
		return nil, fmt.Errorf("store.SearchDocuments: %w", err)
	}
	defer rows.Close()
	score := map[int64]int{}
	for rows.Next() {
		var id int64
		var title string
		if err := rows.Scan(&id, &title); err != nil {
			return nil, fmt.Errorf("store.SearchDocuments: %w", err)
		}
		score[id] = q.TitleScore(vntext.Fold(title))
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store.SearchDocuments: %w", err)
	}
	out := make([]int64, 0, len(uniq))
	for _, id := range uniq {
		out = append(out, id.(int64))
	}
	sort.SliceStable(out, func(i, j int) bool { return score[out[i]] > score[out[j]] })
	return out, nil
}

// docFilters are the filters of a search, on documents d; their
// parameters are type, type LIKE, issuer, issuer LIKE, year, year.
const docFilters = `(? = '' OR d.type_key LIKE ?) AND (? = '' OR d.issuer_key LIKE ?) AND (? = 0 OR d.year = ?)`

func containsLike(folded string) string {
	if folded == "" {
		return ""
	}
	return "%" + escapeLike(folded) + "%"
}

func (s *Store) documentIDs(ctx context.Context, q string, args ...any) ([]int64, error) {
	rows, err := s.query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store.SearchDocuments: %w", err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		var rank sql.NullFloat64
		cols, _ := rows.Columns()
		if len(cols) == 2 {
			err = rows.Scan(&id, &rank)
		} else {
			err = rows.Scan(&id)
		}
		if err != nil {
			return nil, fmt.Errorf("store.SearchDocuments: %w", err)
		}
		out = append(out, id)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store.SearchDocuments: %w", err)
	}
	return out, nil
}

func (s *Store) documentsWithBody(ctx context.Context, ids []int64) (map[int64]DocumentHit, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	rows, err := s.query(ctx, `SELECT `+documentCols+`, body FROM documents WHERE id IN (`+placeholders(len(ids))+`)`, args...)
	if err != nil {
		return nil, fmt.Errorf("store.SearchDocuments: %w", err)
	}
	defer rows.Close()
	out := map[int64]DocumentHit{}
	for rows.Next() {
		var body string
		d, err := scanDocument(rows, &body)
		if err != nil {
			return nil, fmt.Errorf("store.SearchDocuments: %w", err)
		}
		out[d.ID] = DocumentHit{Doc: d, Body: body}
	}
	return out, rows.Err()
}

// DocumentFacet is a value of a filter with how many documents have it.
type DocumentFacet struct {
	Value string
	N     int
}

// DocumentFacets returns the types and issuers of the collection, most
// documents first, for the search form's choices.
func (s *Store) DocumentFacets(ctx context.Context) (types, issuers []DocumentFacet, err error) {
	for _, f := range []struct {
		col string
		dst *[]DocumentFacet
	}{{"doc_type", &types}, {"issuer", &issuers}} {
		rows, err := s.query(ctx, `SELECT `+f.col+`, COUNT(*) FROM documents WHERE `+f.col+` <> '' GROUP BY `+f.col+` ORDER BY COUNT(*) DESC, `+f.col+` LIMIT 100`)
		if err != nil {
			return nil, nil, fmt.Errorf("store.DocumentFacets: %w", err)
		}
		for rows.Next() {
			var v DocumentFacet
			if err := rows.Scan(&v.Value, &v.N); err != nil {
				rows.Close()
				return nil, nil, fmt.Errorf("store.DocumentFacets: %w", err)
			}
			*f.dst = append(*f.dst, v)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, nil, fmt.Errorf("store.DocumentFacets: %w", err)
		}
	}
	return types, issuers, nil
}

// CountDocumentWords is the size of the vocabulary, which changes when
// documents are added: a cheap check that a cached vocabulary is current.
func (s *Store) CountDocumentWords(ctx context.Context) (int, error) {
	var n int
	if err := s.queryRow(ctx, `SELECT COUNT(*) FROM document_words`).Scan(&n); err != nil {
		return 0, fmt.Errorf("store.CountDocumentWords: %w", err)
	}
	return n, nil
}
