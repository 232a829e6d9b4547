package export

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Document is one administrative document: the heading of Decree 30/2020,
// Appendix I (issuing body, national motto, number, place and date, kind and
// summary), the body, the signatures and the recipients. Every field a person
// reads may be in any case the decree does not fix: the renderers put the
// bodies' names, the kind and the signatures' positions in capitals.
type Document struct {
	// Title is the file's metadata title; empty means Kind and Summary.
	Title string
	// Size is the paper: A4 unless a poster asks for A3.
	Size PageSize
	// Orientation is portrait unless a wide table needs landscape.
	Orientation Orientation

	// Managing is the managing body (cơ quan chủ quản) above the issuer,
	// e.g. "Ủy ban MTTQ Việt Nam tỉnh Ninh Bình"; optional.
	Managing string
	// Issuer is the issuing body (cơ quan ban hành), e.g. "Ban Thường trực".
	// A document without an issuer has no heading block at all: no issuer,
	// motto, number, place nor date (a poster, a printed list).
	Issuer string
	// Number is the number and symbol without "Số:", e.g. "12/BC-MTTQ";
	// empty leaves the line out (a logbook has none). A symbol without its
	// number, "/BC-MTTQ", leaves the number blank for the clerk to write in,
	// as drafts are printed: "Số:        /BC-MTTQ".
	Number string
	// Place is the place name of the date line (địa danh), e.g. "Hoa Lư".
	Place string
	// Date is the date of issue. The zero time with a Place leaves the day,
	// month and year blank ("ngày ..... tháng ..... năm .....") for the
	// signer to fill in; with no Place either, the line is left out.
	Date time.Time

	// Kind is the document kind (tên loại), e.g. "Báo cáo", "Biên bản";
	// empty for an official letter (công văn).
	Kind string
	// Summary is the summary line (trích yếu). For an official letter it is
	// printed as "V/v …" under the number.
	Summary string
	// Addressees are the recipients of an official letter, after
	// "Kính gửi:" at the top of the text.
	Addressees []string

	// Body is the text: headings, paragraphs, lists, tables, charts.
	Body []Block

	// Signatures are the signature blocks; minutes carry several.
	Signatures []Signature
	// Recipients are the lines under "Nơi nhận:", without dashes or
	// punctuation, e.g. "Thường trực Tỉnh ủy", "Lưu: VT".
	Recipients []string

	// Created is the time written into the file's metadata; the zero time
	// means Date, and failing that the Unix epoch, so that a render is
	// reproducible byte for byte.
	Created time.Time
}

// PageSize is a paper size.
type PageSize int

// Paper sizes.
const (
	A4 PageSize = iota
	A3
)

// dims returns the page's width and height in millimetres, portrait.
func (s PageSize) dims() (w, h float64) {
	if s == A3 {
		return 297, 420
	}
	return 210, 297
}

// Orientation is the page's orientation.
type Orientation int

// Orientations.
const (
	Portrait Orientation = iota
	Landscape
)

// Block is one element of a document's body: a [Heading], a [Paragraph], a
// [List], a *[Table], a *[Chart] or a [PageBreak].
type Block interface{ block() }

// Heading is a heading of the body, numbered by its author ("I. KẾT QUẢ",
// "1. Tiếp nhận", "a) Thư giấy"). Level 1 and 2 are bold, level 3 bold
// italic; all are kept on a page with what follows.
type Heading struct {
	Level int
	Text  string
}

// Paragraph is a paragraph of text: justified, first line indented, unless
// Align or NoIndent say otherwise. A "\n" inside a run breaks the line.
type Paragraph struct {
	Runs     []Run
	Align    Align
	NoIndent bool
}

// Run is a stretch of text in one style.
type Run struct {
	Text         string
	Bold, Italic bool
}

// P returns a justified paragraph of plain text.
func P(text string) Paragraph { return Paragraph{Runs: []Run{{Text: text}}} }

// List is a list: items after a dash ("- ", as Vietnamese documents write
// them) or numbered "1.", "2.", ….
type List struct {
	Items   []string
	Ordered bool
}

// PageBreak starts a new page.
type PageBreak struct{}

func (Heading) block()   {}
func (Paragraph) block() {}
func (List) block()      {}
func (PageBreak) block() {}
func (*Table) block()    {}
func (*Chart) block()    {}

// Align is a horizontal alignment.
type Align int

// Alignments. The zero value is the default of the context: justified for
// paragraphs; in tables, left for text and right for numbers.
const (
	AlignDefault Align = iota
	AlignLeft
	AlignCenter
	AlignRight
	AlignJustify
)

// Signature is one signature block (Appendix I, items 7a–7c).
type Signature struct {
	// Authority is the signing authority, e.g. "TM. Ban Thường trực",
	// "KT. Chủ tịch"; optional.
	Authority string
	// Position is the signer's position, e.g. "Chủ tịch", "Người lập biên bản".
	Position string
	// Name is the signer's full name; empty leaves the line for the name
	// to be written by hand.
	Name string
	// Hint is a small italic line under the position, e.g. "(Ký, ghi rõ họ tên)".
	Hint string
}

// Table is a table with a header, rows and an optional total row. The same
// table renders in PDF and DOCX as a ruled table and in XLSX and CSV as data.
type Table struct {
	// Caption is printed bold and centred above the table, and names the
	// sheet in XLSX.
	Caption string
	Columns []Column
	Rows    [][]Cell
	// Total is the total row ("Tổng cộng"), printed bold; nil for none.
	Total []Cell
	// Note is printed in italics under the table (sources, definitions).
	Note string
}

// Column is a table column.
type Column struct {
	Title string
	// Group joins consecutive columns with the same non-empty Group under
	// one merged header cell above their titles.
	Group string
	// Width is the column's width relative to the others; 0 counts as 1.
	Width float64
	Align Align
}

// Cell is a typed table cell: text, integer, decimal number, percentage or
// date. PDF and DOCX print it the Vietnamese way (1.234.567; 87,5%;
// 07/12/2026); XLSX stores the number or date with a number format; CSV
// writes it in a machine-readable form (1234567; 0.875; 2026-12-07).
type Cell struct {
	kind     cellKind
	text     string
	num      float64
	decimals int
	date     time.Time
	// Bold prints the cell in bold (a subtotal, say).
	Bold bool
}

type cellKind int

const (
	cellText cellKind = iota
	cellInt
	cellNumber
	cellPercent
	cellDate
)

// Text returns a text cell.
func Text(s string) Cell { return Cell{kind: cellText, text: s} }

// Int returns an integer cell.
func Int(n int64) Cell { return Cell{kind: cellInt, num: float64(n)} }

// Number returns a decimal number cell shown with the given decimals.
func Number(f float64, decimals int) Cell {
	return Cell{kind: cellNumber, num: f, decimals: min(max(decimals, 0), 6)}
}

// Percent returns a percentage cell from a fraction (0.875 is 87,5%). A NaN
// or infinite fraction (a share of nothing) is an empty cell.
func Percent(fraction float64) Cell {
	if math.IsNaN(fraction) || math.IsInf(fraction, 0) {
		return Text("")
	}
	return Cell{kind: cellPercent, num: fraction, decimals: 1}
}

// Date returns a date cell; the zero time is an empty cell.
func Date(t time.Time) Cell {
	if t.IsZero() {
		return Text("")
	}
	return Cell{kind: cellDate, date: t}
}

// IsNumber reports whether the cell holds a number (integer, decimal or
// percentage).
func (c Cell) IsNumber() bool {
	return c.kind == cellInt || c.kind == cellNumber || c.kind == cellPercent
}

// Value returns the cell's number (the fraction for a percentage), 0 for
// text and dates.
func (c Cell) Value() float64 {
	if c.IsNumber() {
		return c.num
	}
	return 0
}

// String returns the cell as printed in a Vietnamese document.
func (c Cell) String() string {
	switch c.kind {
	case cellInt:
		return FormatInt(int64(c.num))
	case cellNumber:
		return formatDecimal(c.num, c.decimals)
	case cellPercent:
		return FormatPercent(c.num)
	case cellDate:
		return c.date.Format("02/01/2006")
	}
	return c.text
}

// machine returns the cell in a machine-readable form for CSV.
func (c Cell) machine() string {
	switch c.kind {
	case cellInt:
		return strconv.FormatInt(int64(c.num), 10)
	case cellNumber:
		return strconv.FormatFloat(c.num, 'f', c.decimals, 64)
	case cellPercent:
		return strconv.FormatFloat(c.num, 'f', -1, 64)
	case cellDate:
		return c.date.Format("2006-01-02")
	}
	return c.text
}

// FormatInt formats n with a dot between thousands, as Vietnamese documents
// write numbers: 1.234.567.
func FormatInt(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// formatDecimal formats f with the given decimals, a dot between thousands
// and a decimal comma: 1.234,5.
func formatDecimal(f float64, decimals int) string {
	s := strconv.FormatFloat(f, 'f', decimals, 64)
	intPart, frac, _ := strings.Cut(s, ".")
	n, err := strconv.ParseInt(intPart, 10, 64)
	if err != nil { // beyond int64: print as Go does, without separators
		return strings.Replace(s, ".", ",", 1)
	}
	out := FormatInt(n)
	if n == 0 && strings.HasPrefix(intPart, "-") {
		out = "-" + out
	}
	if frac != "" {
		out += "," + frac
	}
	return out
}

// FormatPercent formats a fraction as a Vietnamese percentage with one
// decimal, dropping ",0": 0.875 → "87,5%", 1 → "100%".
func FormatPercent(fraction float64) string {
	if math.IsNaN(fraction) || math.IsInf(fraction, 0) {
		return ""
	}
	s := formatDecimal(math.Round(fraction*1000)/10, 1)
	return strings.TrimSuffix(s, ",0") + "%"
}

// DateLine returns the place and date line of Appendix I, item 4: "Hoa Lư,
// ngày 07 tháng 12 năm 2026". Days below 10 and the months 1 and 2 take a
// leading zero (the appendix's rule). The zero date leaves blanks for the
// signer, and an empty place drops the place and its comma.
func DateLine(place string, date time.Time) string {
	var d string
	if date.IsZero() {
		d = "ngày ..... tháng ..... năm ......."
	} else {
		month := strconv.Itoa(int(date.Month()))
		if date.Month() <= 2 {
			month = "0" + month
		}
		d = fmt.Sprintf("ngày %02d tháng %s năm %d", date.Day(), month, date.Year())
	}
	if place = strings.TrimSpace(place); place != "" {
		return place + ", " + d
	}
	return strings.ToUpper(d[:1]) + d[1:]
}

// numberLine returns "Số: 12/BC-MTTQ", or "" when there is no number.
func numberLine(number string) string {
	number = strings.TrimSpace(clean(number))
	switch {
	case number == "":
		return ""
	case strings.HasPrefix(number, "/"):
		return "Số:        " + number
	}
	return "Số: " + number
}

// dateLine returns the document's place and date line, or "" when it has
// neither.
func (d *Document) dateLine() string {
	if d.Date.IsZero() && strings.TrimSpace(d.Place) == "" {
		return ""
	}
	return DateLine(clean(d.Place), d.Date)
}

// The national motto (Appendix I, item 1).
const (
	mottoCountry = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
	mottoMotto   = "Độc lập - Tự do - Hạnh phúc"
)

// recipientLines returns the recipients as Appendix I, item 9a writes them:
// each after "- ", ending with ";", the last with ".". Punctuation the
// caller already wrote is not doubled.
func recipientLines(rs []string) []string {
	var out []string
	for _, r := range rs {
		if r = strings.TrimSpace(clean(r)); r != "" {
			out = append(out, r)
		}
	}
	for i, r := range out {
		r = strings.TrimLeft(r, "-–• ")
		r = strings.TrimRight(r, ";.,")
		end := ";"
		if i == len(out)-1 {
			end = "."
		}
		out[i] = "- " + r + end
	}
	return out
}

// addresseeLines returns the "Kính gửi:" lines of an official letter: one
// addressee on the same line, several each on its own line after a dash.
func addresseeLines(as []string) []string {
	var clean_ []string
	for _, a := range as {
		if a = strings.TrimSpace(clean(a)); a != "" {
			clean_ = append(clean_, strings.TrimRight(a, ";.,"))
		}
	}
	switch len(clean_) {
	case 0:
		return nil
	case 1:
		return []string{"Kính gửi: " + clean_[0] + "."}
	}
	out := []string{"Kính gửi:"}
	for i, a := range clean_ {
		end := ";"
		if i == len(clean_)-1 {
			end = "."
		}
		out = append(out, "- "+a+end)
	}
	return out
}

// title returns the metadata title.
func (d *Document) title() string {
	if d.Title != "" {
		return clean(d.Title)
	}
	t := strings.TrimSpace(clean(d.Kind) + " " + clean(d.Summary))
	if t == "" {
		t = clean(d.Issuer)
	}
	return t
}

// created returns the metadata time.
func (d *Document) created() time.Time {
	switch {
	case !d.Created.IsZero():
		return d.Created
	case !d.Date.IsZero():
		return d.Date
	}
	return time.Unix(0, 0).UTC()
}

// pageDims returns the page's width and height in millimetres as it lies.
func (d *Document) pageDims() (w, h float64) {
	w, h = d.Size.dims()
	if d.Orientation == Landscape {
		w, h = h, w
	}
	return w, h
}

// The margins of Appendix I, section I.3, in millimetres.
const (
	marginTop    = 20.0
	marginBottom = 20.0
	marginLeft   = 30.0
	marginRight  = 15.0
)

// Font sizes in points.
const (
	sizeHeading   = 13.0 // issuer, managing body, national name, number
	sizeMotto     = 14.0 // "Độc lập - Tự do - Hạnh phúc", date, kind, summary
	sizeBody      = 14.0
	sizeTable     = 12.0
	sizeRecipHead = 12.0
	sizeRecip     = 11.0
	sizePageNo    = 13.0
	sizeCaption   = 13.0
	sizeNote      = 12.0
)

// upper returns s in capitals. Go's Unicode tables map every Vietnamese
// letter, including đ → Đ and the tone-marked vowels.
func upper(s string) string { return strings.ToUpper(clean(s)) }

// clean returns s in NFC with control characters other than "\n" and "\t"
// removed and invalid UTF-8 replaced, so that every renderer gets text it
// can encode (XML 1.0 forbids most control characters; a PDF font has no
// glyphs for them).
func clean(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	s = norm.NFC.String(s)
	if strings.IndexFunc(s, badRune) < 0 {
		return s
	}
	return strings.Map(func(r rune) rune {
		if badRune(r) {
			if r == '\r' {
				return -1
			}
			return ' '
		}
		return r
	}, s)
}

func badRune(r rune) bool {
	switch {
	case r == '\n' || r == '\t':
		return false
	case r == 0xFFFE || r == 0xFFFF:
		return true
	case r >= 0xD800 && r <= 0xDFFF:
		return true
	}
	return unicode.IsControl(r)
}

// colWidths returns the columns' widths in the unit of total.
func colWidths(cols []Column, total float64) []float64 {
	sum := 0.0
	for _, c := range cols {
		sum += colWeight(c)
	}
	out := make([]float64, len(cols))
	for i, c := range cols {
		out[i] = total * colWeight(c) / sum
	}
	return out
}

func colWeight(c Column) float64 {
	if c.Width <= 0 || math.IsNaN(c.Width) || math.IsInf(c.Width, 0) {
		return 1
	}
	return min(c.Width, 1000)
}

// cellAlign returns the alignment of a cell in a column.
func cellAlign(col Column, c Cell) Align {
	if col.Align != AlignDefault {
		return col.Align
	}
	if c.IsNumber() {
		return AlignRight
	}
	if c.kind == cellDate {
		return AlignCenter
	}
	return AlignLeft
}

// headerGroups returns the groups of a header: runs of consecutive columns
// with the same Group. A column without a group is a run of its own.
func headerGroups(cols []Column) (groups []headerGroup, any bool) {
	for i, c := range cols {
		if n := len(groups); n > 0 && c.Group != "" && groups[n-1].name == c.Group {
			groups[n-1].span++
			continue
		}
		groups = append(groups, headerGroup{name: c.Group, first: i, span: 1})
		if c.Group != "" {
			any = true
		}
	}
	return groups, any
}

type headerGroup struct {
	name        string
	first, span int
}

// rowCells returns row padded or cut to n cells.
func rowCells(row []Cell, n int) []Cell {
	if len(row) == n {
		return row
	}
	out := make([]Cell, n)
	copy(out, row)
	for i := len(row); i < n; i++ {
		out[i] = Text("")
	}
	return out
}

// Tables returns the document's tables in order.
func (d *Document) Tables() []*Table {
	var ts []*Table
	for _, b := range d.Body {
		if t, ok := b.(*Table); ok && t != nil {
			ts = append(ts, t)
		}
	}
	return ts
}
