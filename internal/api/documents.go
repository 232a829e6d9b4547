package api

import (
	"net/http"
	"strconv"
	"unicode/utf8"

	"homthu/internal/app"
	"homthu/internal/document"
	"homthu/internal/homthu"
)

// DocumentHit is a document in the search's answer: the fields issue 11
// names, and the extensions after them.
type DocumentHit struct {
	ID         int64  `json:"id"`
	Number     string `json:"number"`
	Title      string `json:"title"`
	DocType    string `json:"doc_type"`
	Issuer     string `json:"issuer"`
	DateIssued string `json:"date_issued"`
	// Snippet is plain text; Highlights are the [start, end) offsets, in
	// characters (Unicode code points), of the words that matched.
	Snippet    string   `json:"snippet"`
	Highlights [][2]int `json:"highlights"`
	Status     string   `json:"status,omitempty"`
	ByNumber   bool     `json:"matched_number"`
}

func snippetJSON(segs []document.Segment) (string, [][2]int) {
	var text []byte
	hl := [][2]int{}
	n := 0
	for _, s := range segs {
		k := utf8.RuneCountInString(s.Text)
		if s.Mark {
			hl = append(hl, [2]int{n, n + k})
		}
		text = append(text, s.Text...)
		n += k
	}
	return string(text), hl
}

// getDocuments answers GET /api/v1/documents?q=TEXT[&type=&issuer=&year=][&offset=&limit=].
func (a *API) getDocuments(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f := app.DocumentFilter{Type: q.Get("type"), Issuer: q.Get("issuer")}
	var err error
	if y := q.Get("year"); y != "" {
		if f.Year, err = strconv.Atoi(y); err != nil {
			return homthu.Errorf(homthu.EINVALID, "Năm ban hành (year) phải là số có 4 chữ số, ví dụ 2018.")
		}
	}
	offset, limit := 0, 20
	if v := q.Get("offset"); v != "" {
		if offset, err = strconv.Atoi(v); err != nil || offset < 0 {
			return homthu.Errorf(homthu.EINVALID, "offset phải là số nguyên không âm.")
		}
	}
	if v := q.Get("limit"); v != "" {
		if limit, err = strconv.Atoi(v); err != nil || limit < 1 || limit > 50 {
			return homthu.Errorf(homthu.EINVALID, "limit phải từ 1 đến 50.")
		}
	}
	res, err := a.App.SearchDocuments(r.Context(), q.Get("q"), f, offset, limit)
	if err != nil {
		return err
	}
	out := struct {
		Documents  []DocumentHit `json:"documents"`
		Total      int           `json:"total"`
		NextOffset int           `json:"next_offset,omitempty"`
	}{Documents: []DocumentHit{}, Total: res.Total, NextOffset: res.Next}
	for _, h := range res.Results {
		d := h.Doc
		snip, hl := snippetJSON(h.Snippet)
		out.Documents = append(out.Documents, DocumentHit{ID: d.ID, Number: d.Number, Title: d.Title, DocType: d.Type, Issuer: d.Issuer,
			DateIssued: d.Issued, Snippet: snip, Highlights: hl, Status: string(d.Status), ByNumber: h.ByNumber})
	}
	w.Header().Set("Cache-Control", "public, max-age=60")
	return writeJSON(w, http.StatusOK, out)
}
