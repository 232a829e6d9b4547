package export

import (
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"

	"homthu/internal/vntext"
)

// Format is an output format.
type Format string

// The formats.
const (
	PDF  Format = "pdf"
	DOCX Format = "docx"
	XLSX Format = "xlsx"
	CSV  Format = "csv"
)

// Formats lists the formats in the order pages offer them.
var Formats = []Format{PDF, DOCX, XLSX, CSV}

// ParseFormat returns the format named s ("pdf", "docx", "xlsx", "csv").
func ParseFormat(s string) (Format, error) {
	f := Format(strings.ToLower(strings.TrimSpace(s)))
	for _, g := range Formats {
		if f == g {
			return f, nil
		}
	}
	return "", fmt.Errorf("export: unknown format %q", s)
}

// ContentType returns the format's media type.
func (f Format) ContentType() string {
	switch f {
	case PDF:
		return "application/pdf"
	case DOCX:
		return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	case XLSX:
		return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	case CSV:
		return "text/csv; charset=utf-8"
	}
	return "application/octet-stream"
}

// Label returns the format's name as a page shows it.
func (f Format) Label() string {
	switch f {
	case PDF:
		return "PDF"
	case DOCX:
		return "Word (DOCX)"
	case XLSX:
		return "Excel (XLSX)"
	case CSV:
		return "CSV"
	}
	return string(f)
}

// ErrNoTable is returned when a document without tables is rendered as a
// spreadsheet or CSV.
var ErrNoTable = errors.New("export: the document has no table")

// Render writes d in format f. PDF and DOCX render the whole document; XLSX
// writes each of its tables as a sheet, under the document's heading; CSV
// writes its first table only (CSV holds one table; use [WriteCSV] for
// another).
func Render(w io.Writer, f Format, d *Document) error {
	switch f {
	case PDF:
		return WritePDF(w, d)
	case DOCX:
		return WriteDOCX(w, d)
	case XLSX:
		return WriteXLSX(w, d)
	case CSV:
		ts := d.Tables()
		if len(ts) == 0 {
			return ErrNoTable
		}
		return WriteCSV(w, ts[0])
	}
	return fmt.Errorf("export: unknown format %q", f)
}

// Filename returns a download's file name for a title: the Vietnamese title
// folded to ASCII words joined by hyphens, with the format's extension
// ("bao-cao-tong-hop-thang-12-2026.pdf"), for the plain filename parameter.
func Filename(title string, f Format) string {
	var b strings.Builder
	for _, w := range strings.Fields(vntext.Fold(title)) {
		w = strings.Map(func(r rune) rune {
			if r < 0x80 {
				return r
			}
			return -1
		}, w)
		if w != "" {
			if b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteString(w)
		}
	}
	slug := b.String()
	if slug == "" {
		slug = "van-ban"
	}
	if len(slug) > 80 {
		slug = strings.TrimRight(slug[:80], "-")
	}
	return slug + "." + string(f)
}

// ContentDisposition returns a Content-Disposition header value that offers
// the download under the Vietnamese title itself (RFC 6266 filename*) and
// under its ASCII fold for old browsers.
func ContentDisposition(title string, f Format) string {
	name := strings.Map(func(r rune) rune {
		if r < 0x20 || strings.ContainsRune(`/\"*:<>?|`, r) {
			return ' '
		}
		return r
	}, clean(title))
	name = strings.Join(strings.Fields(name), " ")
	if name == "" {
		name = "Văn bản"
	}
	return fmt.Sprintf(`attachment; filename="%s"; filename*=UTF-8''%s`, Filename(title, f),
		strings.ReplaceAll(url.PathEscape(name+"."+string(f)), "+", "%2B"))
}
