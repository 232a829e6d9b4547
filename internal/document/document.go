// Package document is the document search of the public portal ("Tìm kiếm
// văn bản", issue 11): legal and Party documents with their number and
// symbol (số, ký hiệu: "124-QĐ/TW", which is not a unique key), type,
// issuer, dates, status, summary and full text.
//
// It reads documents from text, Markdown, DOCX and PDF files (Read),
// converting legacy TCVN3 and VNI text to Unicode; finds the number, type,
// issuer, date and title in the standard header of a Vietnamese document
// (ParseHeader; Decree 30/2020/NĐ-CP, Appendix I, fixes its layout); turns
// what a person types into a query (ParseQuery: words folded, so that
// diacritics, tone-mark placement and NFD do not matter; numbers in all
// their forms, "124", "124-QĐ/TW", "124/QĐ-TW"); corrects a typo of one
// letter against the words of the collection (Vocabulary); and cuts a
// highlighted snippet from a text (Snippet). The store runs the query on
// SQLite FTS5 or a PostgreSQL tsvector index, both over folded text.
package document

import (
	"strings"
	"time"

	"homthu/internal/homthu"
)

// Status is whether a document is in force.
type Status string

// The statuses. Codes are a contract.
const (
	StatusUnknown  Status = ""
	StatusInForce  Status = "in_force"
	StatusReplaced Status = "replaced" // ReplacedBy names the document that replaced it
	StatusExpired  Status = "expired"
)

// Label is what a person reads.
func (s Status) Label() string {
	switch s {
	case StatusInForce:
		return "Còn hiệu lực"
	case StatusReplaced:
		return "Đã được thay thế"
	case StatusExpired:
		return "Hết hiệu lực"
	}
	return "Chưa xác định"
}

// Valid reports whether s is a known status.
func (s Status) Valid() bool {
	switch s {
	case StatusUnknown, StatusInForce, StatusReplaced, StatusExpired:
		return true
	}
	return false
}

// Document is one document of the collection.
type Document struct {
	ID         int64
	Number     string // as written: "124-QĐ/TW", "91/2015/QH13"; "" when it has none
	Type       string // "Quy định", "Luật", "Nghị quyết"
	Issuer     string // "Ban Bí thư", "Quốc hội"
	Issued     string // YYYY-MM-DD, or ""
	Effective  string // YYYY-MM-DD, or ""
	Status     Status
	ReplacedBy string // the number of the document that replaced it
	Title      string
	Summary    string
	Text       string
	// The file it was imported from, kept for download (content-addressed).
	FileSHA256, FileName, FileType string
	// Encoding is the legacy encoding the text was converted from, if any.
	Encoding string
	// TextSHA256 identifies the text: importing the same text twice makes
	// one document.
	TextSHA256 string
	Created    time.Time
	Updated    time.Time
}

// Year is the year of issue, or 0.
func (d *Document) Year() int {
	if len(d.Issued) < 4 {
		return 0
	}
	y := 0
	for _, c := range d.Issued[:4] {
		if c < '0' || c > '9' {
			return 0
		}
		y = y*10 + int(c-'0')
	}
	return y
}

// Limits of a document.
const (
	MaxTextBytes  = 8 << 20
	MaxFileBytes  = 20 << 20
	MaxTitleRunes = 1000
	MaxShortRunes = 200
)

// Normalize trims the fields.
func (d *Document) Normalize(norm func(string) string) {
	for _, p := range []*string{&d.Number, &d.Type, &d.Issuer, &d.Issued, &d.Effective, &d.ReplacedBy, &d.Title, &d.Summary} {
		*p = strings.TrimSpace(norm(*p))
	}
	d.Text = norm(d.Text)
}

// Validate checks a document before it is stored; errors are EINVALID
// with a Vietnamese message.
func (d *Document) Validate() error {
	for _, f := range []struct {
		label, v string
		max      int
		required bool
	}{
		{"Số, ký hiệu", d.Number, MaxShortRunes, false},
		{"Loại văn bản", d.Type, MaxShortRunes, false},
		{"Cơ quan ban hành", d.Issuer, MaxShortRunes, false},
		{"Văn bản thay thế", d.ReplacedBy, MaxShortRunes, false},
		{"Trích yếu", d.Title, MaxTitleRunes, true},
		{"Tóm tắt", d.Summary, 20000, false},
	} {
		if err := homthu.CheckText(f.label, f.v, f.max, f.required); err != nil {
			return err
		}
	}
	if len(d.Text) > MaxTextBytes {
		return homthu.Errorf(homthu.EINVALID, "Toàn văn quá dài: tối đa %d MB.", MaxTextBytes>>20)
	}
	if err := homthu.CheckText("Toàn văn", d.Text, MaxTextBytes, false); err != nil {
		return err
	}
	for _, f := range []struct{ label, v string }{{"Ngày ban hành", d.Issued}, {"Ngày có hiệu lực", d.Effective}} {
		if f.v == "" {
			continue
		}
		if _, err := time.Parse(time.DateOnly, f.v); err != nil {
			return homthu.Errorf(homthu.EINVALID, "%s phải có dạng năm-tháng-ngày (ví dụ 2018-02-02), bạn ghi %q.", f.label, f.v)
		}
	}
	if !d.Status.Valid() {
		return homthu.Errorf(homthu.EINVALID, "Tình trạng hiệu lực %q không hợp lệ.", d.Status)
	}
	if d.Status == StatusReplaced && d.ReplacedBy == "" {
		return homthu.Errorf(homthu.EINVALID, "Xin ghi số, ký hiệu của văn bản thay thế.")
	}
	return nil
}
