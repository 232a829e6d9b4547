package catalog

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"homthu/internal/homthu"
	"homthu/internal/vntext"
)

// FormatVersion is the version of the catalogue file format that Format
// writes and Parse reads: the number on the file's first line,
// "homthu-catalog 1". docs/catalog-format.md is its specification.
const FormatVersion = 1

const magic = "homthu-catalog"

// blockIndent is what Format puts before each line of a long text.
const blockIndent = "    "

// Keys of the format, by where they may appear.
var (
	catalogKeys = []string{"catalog", "version", "title", "short", "source", "label", "note"}
	groupKeys   = []string{"title"}
	itemKeys    = []string{"title", "source", "explanation", "official", "retired"}
	// blockKeys may continue on the following indented lines.
	blockKeys = map[string]bool{"note": true, "explanation": true, "official": true}
)

// Parse reads a catalogue file (docs/catalog-format.md). The text may be
// NFC or NFD, with LF or CRLF line ends and an optional byte-order mark; it
// must be UTF-8. Every error is EINVALID, names the line, and says in
// Vietnamese what to correct; a file that parses also passes Validate.
func Parse(data []byte) (*Catalog, error) {
	if len(data) > MaxFileBytes {
		return nil, homthu.Errorf(homthu.EINVALID, "Tệp danh mục quá lớn: %d byte, tối đa %d byte.", len(data), MaxFileBytes)
	}
	data = bytes.TrimPrefix(data, []byte("\uFEFF"))
	if !utf8.Valid(data) {
		return nil, homthu.Errorf(homthu.EINVALID, "Tệp danh mục phải được lưu bằng mã UTF-8 (Unicode). Hãy mở tệp trong trình soạn thảo và lưu lại với mã UTF-8.")
	}
	text := vntext.NFC(string(data))
	text = strings.ReplaceAll(text, "\r\n", "\n")
	text = strings.ReplaceAll(text, "\r", "\n")
	p := &parser{c: &Catalog{}}
	for i, line := range strings.Split(text, "\n") {
		p.line = i + 1
		if err := p.feed(line); err != nil {
			return nil, err
		}
	}
	if err := p.end(); err != nil {
		return nil, err
	}
	if err := p.c.Validate(); err != nil {
		return nil, err
	}
	return p.c, nil
}

// parser holds the state of Parse between lines.
type parser struct {
	c      *Catalog
	line   int
	header bool
	// where is "catalog", "group" or "item": the section the next key
	// belongs to; seen are the keys already given in it.
	where string
	seen  map[string]bool
	// block is where the long text being read goes when it ends; buf
	// holds it meanwhile, and blank counts the blank lines since its last
	// line (a paragraph break if another indented line follows).
	block   *string
	buf     strings.Builder
	blank   bool
	version string
	group   string
}

func (p *parser) errorf(format string, args ...any) error {
	return homthu.Errorf(homthu.EINVALID, "Dòng %d: %s", p.line, fmt.Sprintf(format, args...))
}

func (p *parser) feed(line string) error {
	if strings.TrimSpace(line) == "" {
		p.blank = p.block != nil && p.buf.Len() > 0
		return nil
	}
	if line[0] == '#' {
		return nil
	}
	if line[0] == ' ' || line[0] == '\t' {
		if p.block == nil {
			return p.errorf("dòng thụt lề chỉ dùng để viết tiếp phần ghi chú (note), giải thích (explanation) hay nguyên văn (official); hãy bỏ khoảng trắng ở đầu dòng.")
		}
		switch {
		case p.buf.Len() == 0:
		case p.blank:
			p.buf.WriteString("\n\n")
		default:
			p.buf.WriteString("\n")
		}
		p.buf.WriteString(strings.TrimSpace(line))
		p.blank = false
		return nil
	}
	p.endBlock()
	key, value, _ := strings.Cut(line, " ")
	if k, v, ok := strings.Cut(key, "\t"); ok {
		key, value = k, v+" "+value
	}
	value = strings.TrimSpace(value)
	if !p.header {
		if key != magic {
			return p.errorf("tệp danh mục phải bắt đầu bằng dòng %q (xem docs/catalog-format.md).", fmt.Sprintf("%s %d", magic, FormatVersion))
		}
		if value != strconv.Itoa(FormatVersion) {
			return p.errorf("định dạng tệp danh mục phiên bản %q chưa được chương trình này hỗ trợ; chương trình đọc được phiên bản %d.", value, FormatVersion)
		}
		p.header, p.where, p.seen = true, "catalog", map[string]bool{}
		return nil
	}
	switch key {
	case "group":
		return p.startGroup(value)
	case "item":
		return p.startItem(value)
	}
	allowed := catalogKeys
	switch p.where {
	case "group":
		allowed = groupKeys
	case "item":
		allowed = itemKeys
	}
	if !contains(allowed, key) {
		return p.errorf("không hiểu từ khóa %q ở đây; sau %s chỉ dùng được: %s (và group, item).", key, p.whereLabel(), strings.Join(allowed, ", "))
	}
	if p.seen[key] {
		return p.errorf("từ khóa %q đã có ở %s này.", key, p.whereLabel())
	}
	p.seen[key] = true
	target := p.field(key)
	if target == nil { // "version", kept as text until the end
		p.version = value
		return nil
	}
	*target = value
	if blockKeys[key] {
		p.block = target
		p.buf.WriteString(value)
	} else if value == "" {
		return p.errorf("từ khóa %q cần một giá trị trên cùng dòng.", key)
	}
	if key == "retired" {
		s := &p.c.Standards[len(p.c.Standards)-1]
		s.Retired = true
	}
	return nil
}

// field is where the value of key goes in the current section; nil for
// the catalogue's version.
func (p *parser) field(key string) *string {
	c := p.c
	switch p.where {
	case "group":
		return &c.Groups[len(c.Groups)-1].Title
	case "item":
		s := &c.Standards[len(c.Standards)-1]
		switch key {
		case "title":
			return &s.Title
		case "source":
			return &s.Source
		case "explanation":
			return &s.Explanation
		case "official":
			return &s.Official
		case "retired":
			return &s.RetiredReason
		}
	}
	switch key {
	case "catalog":
		return &c.Code
	case "title":
		return &c.Title
	case "short":
		return &c.Short
	case "source":
		return &c.Source
	case "label":
		return &c.Label
	case "note":
		return &c.Note
	}
	return nil
}

func (p *parser) whereLabel() string {
	switch p.where {
	case "group":
		return "nhóm " + p.group
	case "item":
		return "mục " + p.c.Standards[len(p.c.Standards)-1].Code
	}
	return "phần đầu danh mục"
}

func (p *parser) startGroup(code string) error {
	if p.where == "catalog" {
		if err := p.catalogDone(); err != nil {
			return err
		}
	}
	if code == "" {
		return p.errorf("sau từ khóa group phải ghi mã nhóm, ví dụ: group CT.")
	}
	if !ValidCatalogCode(code) {
		return p.errorf("mã nhóm %q không hợp lệ: chỉ gồm chữ in hoa không dấu và chữ số, bắt đầu bằng chữ, tối đa 16 ký tự.", code)
	}
	if p.c.Group(code) != nil {
		return p.errorf("nhóm %s đã có ở trên; các mục của một nhóm phải viết liền nhau dưới một dòng group.", code)
	}
	if len(p.c.Groups) >= MaxGroups {
		return p.errorf("danh mục có quá %d nhóm.", MaxGroups)
	}
	p.c.Groups = append(p.c.Groups, Group{Code: code})
	p.where, p.seen, p.group = "group", map[string]bool{}, code
	return nil
}

func (p *parser) startItem(code string) error {
	if p.group == "" {
		if p.where == "catalog" {
			return p.errorf("mục %s phải nằm dưới một nhóm: hãy viết dòng group MÃ_NHÓM và title trước.", code)
		}
	}
	if code == "" {
		return p.errorf("sau từ khóa item phải ghi mã mục, ví dụ: item %s-1.", p.c.Code)
	}
	if !ValidCode(p.c.Code, code) {
		return p.errorf("mã mục %q không hợp lệ: phải bắt đầu bằng %s- rồi đến chữ in hoa không dấu, chữ số hoặc dấu gạch ngang, tối đa %d ký tự.", code, p.c.Code, MaxCodeLen)
	}
	if p.c.Standard(code) != nil {
		return p.errorf("mã mục %s đã có ở trên.", code)
	}
	if len(p.c.Standards) >= MaxStandards {
		return p.errorf("danh mục có quá %d mục.", MaxStandards)
	}
	p.c.Standards = append(p.c.Standards, Standard{Code: code, Catalog: p.c.Code, Group: p.group, Number: len(p.c.Standards) + 1})
	p.where, p.seen = "item", map[string]bool{}
	return nil
}

// catalogDone checks the catalogue's own fields once its first group starts.
func (p *parser) catalogDone() error {
	for _, k := range []string{"catalog", "version", "title", "source"} {
		if !p.seen[k] {
			return p.errorf("phần đầu danh mục thiếu từ khóa %q (cần có: catalog, version, title, source).", k)
		}
	}
	if !ValidCatalogCode(p.c.Code) {
		return p.errorf("mã danh mục %q không hợp lệ: chỉ gồm chữ in hoa không dấu và chữ số, bắt đầu bằng chữ, tối đa 16 ký tự (ví dụ NQ4).", p.c.Code)
	}
	v, err := strconv.Atoi(p.version)
	if err != nil || v < 1 || v > 1_000_000 {
		return p.errorf("phiên bản (version) phải là một số nguyên dương, bạn ghi %q.", p.version)
	}
	p.c.Version = v
	return nil
}

// endBlock stores the long text being read, if any.
func (p *parser) endBlock() {
	if p.block != nil {
		*p.block = p.buf.String()
	}
	p.block, p.blank = nil, false
	p.buf.Reset()
}

func (p *parser) end() error {
	p.endBlock()
	if !p.header {
		return homthu.Errorf(homthu.EINVALID, "Tệp danh mục trống. Tệp phải bắt đầu bằng dòng %q (xem docs/catalog-format.md).", fmt.Sprintf("%s %d", magic, FormatVersion))
	}
	if p.where == "catalog" {
		if err := p.catalogDone(); err != nil {
			return err
		}
		return homthu.Errorf(homthu.EINVALID, "Danh mục chưa có nhóm và mục nào (group, item).")
	}
	for i := range p.c.Standards {
		p.c.Standards[i].Version = p.c.Version
	}
	p.c.Fill()
	return nil
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// Format writes c in the catalogue file format, in a canonical form: Parse
// of the result gives back c. Retired items carry their reason; the
// version that retired them is the store's to remember.
func Format(c *Catalog) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s %d\n", magic, FormatVersion)
	fmt.Fprintf(&b, "# Danh mục %s, phiên bản %d. Định dạng: docs/catalog-format.md.\n", c.Code, c.Version)
	line(&b, "catalog", c.Code)
	line(&b, "version", strconv.Itoa(c.Version))
	line(&b, "title", c.Title)
	line(&b, "short", c.Short)
	line(&b, "source", c.Source)
	line(&b, "label", c.Label)
	block(&b, "note", c.Note)
	group := ""
	for _, s := range c.Standards {
		if s.Group != group {
			group = s.Group
			title := ""
			if g := c.Group(group); g != nil {
				title = g.Title
			}
			fmt.Fprintf(&b, "\ngroup %s\n", group)
			line(&b, "title", title)
		}
		fmt.Fprintf(&b, "\nitem %s\n", s.Code)
		line(&b, "title", s.Title)
		line(&b, "source", s.Source)
		block(&b, "explanation", s.Explanation)
		block(&b, "official", s.Official)
		if s.Retired {
			line(&b, "retired", s.RetiredReason)
		}
	}
	return b.Bytes()
}

func line(b *bytes.Buffer, key, v string) {
	if v != "" {
		fmt.Fprintf(b, "%s %s\n", key, v)
	}
}

func block(b *bytes.Buffer, key, v string) {
	if v == "" {
		return
	}
	b.WriteString(key + "\n")
	for _, l := range strings.Split(v, "\n") {
		if l == "" {
			b.WriteString("\n")
			continue
		}
		b.WriteString(blockIndent + l + "\n")
	}
}
