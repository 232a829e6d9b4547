package units

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"homthu/internal/homthu"
	"homthu/internal/vntext"
)

// Limits of an import file. The national list has about 14,000 rows; a
// province with all its residential areas has a few tens of thousands.
const (
	// MaxRows is the largest number of data rows (units and former names) Parse accepts.
	MaxRows = 200_000
	// MaxBytes is the largest input Parse reads, after gzip decompression.
	MaxBytes = 64 << 20
	// maxField is the longest field, in characters: the longest official
	// full name is under 60, the longest "district, province" under 90.
	maxField = 300
)

// column is a column of the format, as documented in docs/units-csv.md.
type column int

// The columns, in the order Write writes them; the first five are required.
const (
	colCode column = iota
	colParentCode
	colKind
	colName
	colFullName
	colValidTo
	colSuccessor
	colFormerOf
	colFormerParent
	numColumns
	requiredColumns = 5
)

// columnNames returns the header names of the columns, in order.
func columnNames() []string {
	return []string{"code", "parent_code", "kind", "name", "full_name", "valid_to", "successor", "former_of", "former_parent"}
}

func (c column) String() string { return columnNames()[c] }

// limits bound what Parse reads; tests make them small.
type limits struct {
	rows  int
	bytes int64
}

// Parse reads units in the CSV format of docs/units-csv.md: UTF-8 (a BOM is
// skipped), optionally gzip-compressed, a header row, then one row per unit
// or former name.
//
// Parse checks everything that can be checked within the file: the header,
// code shapes, kinds, the kind of each parent (known from the shape of its
// code, whether or not the parent is in the file), duplicates, names and
// dates, and that every former name leads to a unit of the file. Whether a
// parent that is not in the file exists is for the store to check.
//
// The result has one UnitImport per unit row, with its former names in file
// order, and lists parents before their children. Names are in NFC with
// runs of white space made one space. An invalid file gives an
// *homthu.Error with code homthu.EINVALID and a Vietnamese message that
// starts with the line at fault ("Dòng 12: ..."); a read error of r is
// returned wrapped.
func Parse(r io.Reader) ([]homthu.UnitImport, error) {
	return parse(r, limits{rows: MaxRows, bytes: MaxBytes})
}

func parse(r io.Reader, lim limits) ([]homthu.UnitImport, error) {
	in, err := newInput(r, lim.bytes)
	if err != nil {
		return nil, err
	}
	cr := csv.NewReader(in)
	cr.FieldsPerRecord = -1 // checked below, with a better message
	cr.ReuseRecord = true

	p := &parser{units: map[string]*unitRow{}, formerSeen: map[formerKey]int{}}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, readError(err, in)
		}
		line, _ := cr.FieldPos(0)
		if p.header == nil {
			if err := p.readHeader(line, rec); err != nil {
				return nil, err
			}
			continue
		}
		if p.rows++; p.rows > lim.rows {
			return nil, lineErrorf(line, "tệp có hơn %d dòng dữ liệu; hãy chia thành nhiều tệp nhỏ hơn", lim.rows)
		}
		if err := p.readRow(line, rec); err != nil {
			return nil, err
		}
	}
	return p.result()
}

// unitRow is a unit of the file and the line it came from.
type unitRow struct {
	line int
	imp  homthu.UnitImport
}

// formerRow is a former name of the file, waiting for its unit.
type formerRow struct {
	line     int
	formerOf string
	former   homthu.Former
}

// formerKey identifies a former name of a unit: the store keeps one row per key.
type formerKey struct{ unit, code, fullName string }

type parser struct {
	header     []int // column → index in a record, -1 if the file lacks it
	width      int   // fields in a record
	rows       int
	order      []*unitRow
	units      map[string]*unitRow
	formers    []formerRow
	formerSeen map[formerKey]int // → line
}

func (p *parser) readHeader(line int, rec []string) error {
	names := columnNames()
	p.header = slices.Repeat([]int{-1}, int(numColumns))
	for i, h := range rec {
		h = strings.ToLower(strings.TrimSpace(h))
		c := slices.Index(names, h)
		switch {
		case h == "":
			return lineErrorf(line, "cột thứ %d của dòng tiêu đề không có tên", i+1)
		case c < 0:
			return lineErrorf(line, "cột %q không được hỗ trợ; các cột dùng được: %s", clip(h), strings.Join(names, ", "))
		case p.header[c] >= 0:
			return lineErrorf(line, "cột %q có hai lần trong dòng tiêu đề", h)
		}
		p.header[c] = i
	}
	p.width = len(rec)
	for c := range column(requiredColumns) {
		if p.header[c] < 0 {
			return lineErrorf(line, "thiếu cột bắt buộc %q; dòng tiêu đề cần có ít nhất %s", c, strings.Join(names[:requiredColumns], ","))
		}
	}
	return nil
}

// fields is a data row, cleaned, by column.
type fields [numColumns]string

func (p *parser) readRow(line int, rec []string) error {
	if len(rec) != p.width {
		return lineErrorf(line, "có %d cột, nhưng dòng tiêu đề có %d cột", len(rec), p.width)
	}
	var f fields
	empty := true
	for c, i := range p.header {
		if i < 0 {
			continue
		}
		v, err := cleanField(line, column(c), rec[i])
		if err != nil {
			return err
		}
		f[c] = v
		empty = empty && v == ""
	}
	switch {
	case empty:
		return nil // a row of empty cells, as spreadsheets leave at the end
	case f[colFormerOf] != "":
		return p.readFormer(line, &f)
	}
	return p.readUnit(line, &f)
}

// readUnit reads a row that describes a unit.
func (p *parser) readUnit(line int, f *fields) error {
	if f[colFormerParent] != "" {
		return lineErrorf(line, "cột former_parent chỉ dùng cho dòng tên cũ (dòng có cột former_of); dòng đơn vị phải để trống")
	}
	kind := homthu.UnitKind(strings.ToLower(f[colKind]))
	switch {
	case kind == "":
		return lineErrorf(line, "thiếu loại đơn vị (cột kind): province, district, commune hoặc area")
	case !kind.Valid():
		return lineErrorf(line, "loại đơn vị %q không hợp lệ; dùng province, district, commune hoặc area", clip(f[colKind]))
	}
	code := f[colCode]
	if code == "" {
		return lineErrorf(line, "thiếu mã đơn vị (cột code)")
	}
	if err := checkCode(line, kind, code, "mã"); err != nil {
		return err
	}
	parent := f[colParentCode]
	if err := checkParent(line, kind, code, parent); err != nil {
		return err
	}
	if f[colName] == "" {
		return lineErrorf(line, "thiếu tên đơn vị (cột name)")
	}
	u := homthu.Unit{Code: code, Parent: parent, Kind: kind, Name: f[colName], FullName: f[colFullName]}
	if u.FullName == "" {
		u.FullName = u.Name
	}
	var err error
	if u.ValidTo, err = parseDate(line, f[colValidTo]); err != nil {
		return err
	}
	if s := f[colSuccessor]; s != "" {
		switch {
		case u.ValidTo.IsZero():
			return lineErrorf(line, "có đơn vị kế thừa (cột successor) thì phải có ngày thôi hiệu lực (cột valid_to)")
		case s == code:
			return lineErrorf(line, "đơn vị kế thừa không thể là chính đơn vị %s", code)
		}
		if err := checkCode(line, kind, s, "mã đơn vị kế thừa"); err != nil {
			return err
		}
		u.Successor = s
	}
	if prev, dup := p.units[code]; dup {
		return lineErrorf(line, "mã đơn vị %s đã có ở dòng %d", code, prev.line)
	}
	row := &unitRow{line: line, imp: homthu.UnitImport{Unit: u}}
	p.units[code] = row
	p.order = append(p.order, row)
	return nil
}

// readFormer reads a row that gives a former name of a unit.
func (p *parser) readFormer(line int, f *fields) error {
	for _, col := range []column{colKind, colParentCode, colName, colSuccessor} {
		if f[col] != "" {
			return lineErrorf(line, "dòng tên cũ (dòng có cột former_of) phải để trống cột %s", col)
		}
	}
	of := f[colFormerOf]
	if _, ok := kindOf(of); !ok {
		return lineErrorf(line, "mã đơn vị %q ở cột former_of không đúng dạng mã tỉnh, huyện, xã hay khu dân cư", clip(of))
	}
	code := f[colCode]
	if _, ok := kindOf(code); code != "" && !ok {
		return lineErrorf(line, "mã cũ %q không đúng dạng mã tỉnh (2 chữ số), huyện (3), xã (5) hay khu dân cư", clip(code))
	}
	if f[colFullName] == "" {
		return lineErrorf(line, "thiếu tên cũ (cột full_name)")
	}
	until, err := parseDate(line, f[colValidTo])
	if err != nil {
		return err
	}
	key := formerKey{of, code, f[colFullName]}
	if prev, dup := p.formerSeen[key]; dup {
		return lineErrorf(line, "tên cũ %q (mã %q) của đơn vị %s đã có ở dòng %d", key.fullName, code, of, prev)
	}
	p.formerSeen[key] = line
	p.formers = append(p.formers, formerRow{line: line, formerOf: of, former: homthu.Former{
		Code: code, FullName: f[colFullName], Parent: f[colFormerParent], Until: until,
	}})
	return nil
}

// result attaches the former names to their units and orders the units
// parents first.
func (p *parser) result() ([]homthu.UnitImport, error) {
	if p.header == nil {
		return nil, homthu.Errorf(homthu.EINVALID, "Tệp trống: dòng đầu tiên phải là dòng tiêu đề (%s)", strings.Join(columnNames()[:requiredColumns], ","))
	}
	if len(p.order) == 0 {
		return nil, homthu.Errorf(homthu.EINVALID, "Tệp không có đơn vị nào: sau dòng tiêu đề cần ít nhất một dòng đơn vị")
	}
	for _, fr := range p.formers {
		u := p.units[fr.formerOf]
		if u == nil {
			return nil, lineErrorf(fr.line, "tên cũ dẫn tới đơn vị %s, nhưng đơn vị này không có trong tệp", fr.formerOf)
		}
		u.imp.Formers = append(u.imp.Formers, fr.former)
	}
	// A parent's kind ranks above its child's (checkParent), so a stable
	// sort by rank puts parents first and keeps the file's order otherwise.
	slices.SortStableFunc(p.order, func(a, b *unitRow) int {
		return a.imp.Unit.Kind.Rank() - b.imp.Unit.Kind.Rank()
	})
	out := make([]homthu.UnitImport, len(p.order))
	for i, u := range p.order {
		out[i] = u.imp
	}
	return out, nil
}

// kindOf returns the kind a code's shape says: provinces have 2 digits,
// districts 3, communes 5 (the GSO codes), areas "<commune code>-<1 to 6 digits>".
func kindOf(code string) (homthu.UnitKind, bool) {
	if c, n, ok := strings.Cut(code, "-"); ok {
		return homthu.KindArea, len(c) == 5 && digits(c) && len(n) >= 1 && len(n) <= 6 && digits(n)
	}
	if !digits(code) {
		return "", false
	}
	switch len(code) {
	case 2:
		return homthu.KindProvince, true
	case 3:
		return homthu.KindDistrict, true
	case 5:
		return homthu.KindCommune, true
	}
	return "", false
}

func digits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

// checkCode reports whether code has the shape of kind; what names the code
// in the message ("mã", "mã đơn vị kế thừa").
func checkCode(line int, kind homthu.UnitKind, code, what string) error {
	if k, ok := kindOf(code); ok && k == kind {
		return nil
	}
	var hint string
	if digits(code) && len(code) < len(shapeExample(kind)) {
		hint = "; nếu tệp đã mở bằng Excel, có thể các chữ số 0 ở đầu đã bị mất"
	}
	return lineErrorf(line, "%s %s %q không đúng dạng: %s%s", what, kindWord(kind), clip(code), shapeRule(kind), hint)
}

// checkParent checks that a unit of kind sits under a parent of the right kind.
func checkParent(line int, kind homthu.UnitKind, code, parent string) error {
	pk, ok := kindOf(parent)
	switch kind {
	case homthu.KindProvince:
		if parent != "" {
			return lineErrorf(line, "tỉnh không có đơn vị cha; hãy để trống cột parent_code")
		}
		return nil
	case homthu.KindDistrict:
		if ok && pk == homthu.KindProvince {
			return nil
		}
	case homthu.KindCommune:
		if ok && (pk == homthu.KindProvince || pk == homthu.KindDistrict) {
			return nil
		}
	case homthu.KindArea:
		if ok && pk == homthu.KindCommune {
			if !strings.HasPrefix(code, parent+"-") {
				return lineErrorf(line, "mã khu dân cư %s phải bắt đầu bằng mã xã cha %s và dấu gạch ngang (ví dụ %s-001)", code, parent, parent)
			}
			return nil
		}
	}
	if parent == "" {
		return lineErrorf(line, "thiếu mã đơn vị cha (cột parent_code): %s", parentRule(kind))
	}
	got := "không phải mã đơn vị hợp lệ"
	if ok {
		got = "là mã " + kindWord(pk)
	}
	return lineErrorf(line, "%s, nhưng mã đơn vị cha %q %s", parentRule(kind), clip(parent), got)
}

func kindWord(k homthu.UnitKind) string {
	switch k {
	case homthu.KindProvince:
		return "tỉnh"
	case homthu.KindDistrict:
		return "huyện"
	case homthu.KindCommune:
		return "xã"
	}
	return "khu dân cư"
}

func shapeExample(k homthu.UnitKind) string {
	switch k {
	case homthu.KindProvince:
		return "37"
	case homthu.KindDistrict:
		return "374"
	case homthu.KindCommune:
		return "14329"
	}
	return "14329-001"
}

func shapeRule(k homthu.UnitKind) string {
	switch k {
	case homthu.KindProvince:
		return "mã tỉnh có đúng 2 chữ số (ví dụ 37)"
	case homthu.KindDistrict:
		return "mã huyện có đúng 3 chữ số (ví dụ 374)"
	case homthu.KindCommune:
		return "mã xã có đúng 5 chữ số (ví dụ 14329)"
	}
	return "mã khu dân cư là mã xã, dấu gạch ngang và 1 đến 6 chữ số (ví dụ 14329-001)"
}

func parentRule(k homthu.UnitKind) string {
	switch k {
	case homthu.KindDistrict:
		return "huyện phải thuộc một tỉnh (mã 2 chữ số)"
	case homthu.KindCommune:
		return "xã phải thuộc một tỉnh (mã 2 chữ số) hoặc một huyện (mã 3 chữ số)"
	}
	return "khu dân cư phải thuộc một xã (mã 5 chữ số)"
}

// cleanField checks a raw field and returns it trimmed, in NFC, with runs of
// white space made one space.
func cleanField(line int, col column, v string) (string, error) {
	if !utf8.ValidString(v) {
		return "", lineErrorf(line, "cột %s có byte không phải UTF-8; hãy lưu tệp dưới dạng CSV UTF-8", col)
	}
	plain := true // printable ASCII with single inner spaces only
	for i, r := range v {
		switch {
		case r > ' ' && r < utf8.RuneSelf:
			continue
		case r == ' ' && i > 0 && i < len(v)-1 && v[i-1] != ' ':
			continue
		case unicode.IsControl(r), unicode.Is(unicode.Cf, r), unicode.Is(unicode.Co, r):
			return "", lineErrorf(line, "cột %s có ký tự điều khiển hoặc ký tự ẩn (U+%04X); hãy xoá ký tự đó", col, r)
		case r == utf8.RuneError:
			return "", lineErrorf(line, "cột %s có ký tự lỗi (U+FFFD), dấu hiệu tệp đã bị đổi bảng mã sai; hãy lưu lại tệp dưới dạng CSV UTF-8", col)
		}
		plain = false
	}
	if plain {
		if len(v) > maxField {
			return "", lineErrorf(line, "cột %s dài %d ký tự, quá giới hạn %d ký tự", col, len(v), maxField)
		}
		return v, nil
	}
	v = strings.Join(strings.Fields(vntext.NFC(v)), " ")
	if n := utf8.RuneCountInString(v); n > maxField {
		return "", lineErrorf(line, "cột %s dài %d ký tự, quá giới hạn %d ký tự", col, n, maxField)
	}
	return v, nil
}

// parseDate reads a YYYY-MM-DD day in Vietnam's time zone, the zone of
// homthu.ReformDate: the first day on which a unit or name no longer holds.
func parseDate(line int, s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.ParseInLocation(time.DateOnly, s, homthu.ReformDate.Location())
	if err != nil || t.Year() < 1945 || t.Year() > 2200 {
		return time.Time{}, lineErrorf(line, "ngày %q ở cột valid_to không hợp lệ; viết theo dạng năm-tháng-ngày, ví dụ 2025-07-01", clip(s))
	}
	return t, nil
}

// clip shortens a value quoted in a message, so that a long or hostile field
// does not flood it.
func clip(s string) string {
	if utf8.RuneCountInString(s) <= 40 {
		return s
	}
	return string([]rune(s)[:40]) + "…"
}

func lineErrorf(line int, format string, args ...any) error {
	return homthu.Errorf(homthu.EINVALID, "Dòng %d: %s", line, fmt.Sprintf(format, args...))
}

// input is the byte stream Parse reads: the file, gunzipped if it is
// compressed, without a BOM, cut off after MaxBytes.
type input struct {
	r       io.Reader
	n, max  int64
	gzipped bool
	err     error // the first error of the underlying reader
}

// errTooLarge marks input beyond MaxBytes.
var errTooLarge = errors.New("units: input too large")

func newInput(r io.Reader, max int64) (*input, error) {
	br := bufio.NewReader(r)
	in := &input{r: br, max: max}
	if magic, _ := br.Peek(2); bytes.Equal(magic, []byte{0x1f, 0x8b}) {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, homthu.Errorf(homthu.EINVALID, "Tệp nén gzip bị hỏng; hãy nén lại hoặc gửi tệp CSV chưa nén")
		}
		br = bufio.NewReader(zr)
		in.r, in.gzipped = br, true
	}
	if bom, _ := br.Peek(3); string(bom) == "\uFEFF" {
		br.Discard(3)
	}
	return in, nil
}

func (in *input) Read(b []byte) (int, error) {
	if in.n >= in.max {
		return 0, errTooLarge
	}
	if rest := in.max - in.n; int64(len(b)) > rest {
		b = b[:rest]
	}
	n, err := in.r.Read(b)
	in.n += int64(n)
	if err != nil && err != io.EOF && in.err == nil {
		in.err = err
	}
	return n, err
}

// readError turns an error of the CSV reader into what Parse returns.
func readError(err error, in *input) error {
	var pe *csv.ParseError
	switch {
	case errors.Is(err, errTooLarge):
		return homthu.Errorf(homthu.EINVALID, "Tệp lớn hơn %d MiB; hãy chia thành nhiều tệp nhỏ hơn", (in.max+1<<20-1)>>20)
	case in.err != nil && in.gzipped:
		return homthu.Errorf(homthu.EINVALID, "Tệp nén gzip bị hỏng hoặc bị cắt cụt; hãy nén lại hoặc gửi tệp CSV chưa nén")
	case in.err != nil:
		return fmt.Errorf("units.Parse: read: %w", err)
	case errors.As(err, &pe) && errors.Is(pe.Err, csv.ErrBareQuote):
		return lineErrorf(pe.Line, "dấu ngoặc kép (\") nằm giữa một ô không bắt đầu bằng ngoặc kép; hãy đặt cả ô trong ngoặc kép và viết \"\" cho mỗi dấu ngoặc kép bên trong")
	case errors.As(err, &pe):
		return lineErrorf(pe.StartLine, "ô trong ngoặc kép không được đóng đúng (thiếu dấu \" đóng, hoặc có ký tự ngay sau dấu \" đóng)")
	}
	return fmt.Errorf("units.Parse: %w", err)
}

// Write writes rows in the format Parse reads, with every column: each unit
// followed by its former names. Dates are written as days in Vietnam's time
// zone. Write does not check the rows: rows that Parse returned are written
// back so that Parse reads the same units again.
func Write(w io.Writer, rows []homthu.UnitImport) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(columnNames()); err != nil {
		return fmt.Errorf("units.Write: %w", err)
	}
	for _, row := range rows {
		u := row.Unit
		if err := cw.Write([]string{u.Code, u.Parent, string(u.Kind), u.Name, u.FullName, formatDate(u.ValidTo), u.Successor, "", ""}); err != nil {
			return fmt.Errorf("units.Write: %w", err)
		}
		for _, f := range row.Formers {
			if err := cw.Write([]string{f.Code, "", "", "", f.FullName, formatDate(f.Until), "", u.Code, f.Parent}); err != nil {
				return fmt.Errorf("units.Write: %w", err)
			}
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("units.Write: %w", err)
	}
	return nil
}

func formatDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(homthu.ReformDate.Location()).Format(time.DateOnly)
}
