// Package catalog is the catalogues of standards (danh mục biểu hiện, điều
// cấm) against which people's feedback is recognised, classified and
// reported: the 27 manifestations of degradation of Resolution 04-NQ/TW
// (30 Oct 2016) of the 12th Central Committee and the 19 things party members
// must not do of Regulation 37-QĐ/TW (25 Oct 2021), which every residential
// area posts under Regulation 124-QĐ/TW, and any further catalogue an
// administrator loads.
//
// A catalogue changes only by whole versions. Version N+1 is a complete
// snapshot: every item of version N is in it, active or retired, so that an
// item of feedback classified under (code, N) keeps meaning what it meant on
// the day it was classified, and a retired standard stays readable in old
// items and reports. Plan checks these rules when a new version is loaded.
// Catalogues are written and read in the text format of
// docs/catalog-format.md (Parse, Format); the two shipped catalogues are
// files in that format, embedded (Shipped).
//
// The package is pure: it imports only the domain's errors and Vietnamese
// text handling. The store keeps the versions; the app checks who may load
// and retire.
package catalog

import (
	"fmt"
	"strings"

	"homthu/internal/homthu"
)

// Catalog is one catalogue at one version.
type Catalog struct {
	// Code names the catalogue: capital letters and digits ("NQ4", "QD37").
	// Every item code starts with it and a hyphen.
	Code string
	// Version counts from 1; each load or retirement adds one.
	Version int
	// Title is the full name, as posted ("27 biểu hiện suy thoái …").
	Title string
	// Short is the name in lists and filters ("27 biểu hiện suy thoái").
	Short string
	// Source is the document the catalogue comes from, with its number and date.
	Source string
	// Label is the word before an item's number on a poster: "Điều" for the
	// 19 articles, "Biểu hiện" for the 27. Empty means "Mục".
	Label string
	// Note says what this version changed or where its wording comes from.
	Note string
	// Groups are the groups in order; every standard belongs to one.
	Groups []Group
	// Standards are every item, in order, retired ones included.
	Standards []Standard
}

// Group is a group of a catalogue ("Suy thoái về tư tưởng chính trị").
type Group struct {
	Code  string
	Title string
}

// Standard is one item of a catalogue at one version: a manifestation, a
// prohibition, or whatever the catalogue lists (the glossary's "Standard").
type Standard struct {
	Code    string // stable across versions: "NQ4-05"
	Catalog string
	Version int
	Group   string
	// Number is the item's place in the catalogue, from 1: "Điều 5".
	Number int
	// Title is the short title in our own words, for lists and the form.
	Title string
	// Explanation says, for the public page, what the item is about and
	// what a person might see.
	Explanation string
	// Official is the official wording, once an administrator loaded it.
	Official string
	// Source is where in the document the item is ("Điều 5").
	Source string
	// Retired is set when the item may no longer be used to classify new
	// feedback; RetiredIn is the version that retired it.
	Retired       bool
	RetiredReason string
	RetiredIn     int

	// Filled by the store for lists: the group's and the catalogue's names.
	GroupTitle   string
	CatalogShort string
	Label        string
}

// Ref is the code and version an item of feedback was classified under.
type Ref struct {
	Code    string `json:"code"`
	Version int    `json:"version"`
}

// String is "NQ4-05@2".
func (r Ref) String() string { return fmt.Sprintf("%s@%d", r.Code, r.Version) }

// Heading is how a poster and a page name the item: "Điều 5", "Biểu hiện 12".
func (s *Standard) Heading() string {
	l := s.Label
	if l == "" {
		l = "Mục"
	}
	return fmt.Sprintf("%s %d", l, s.Number)
}

// ShortTitle is Short, or Title when there is no short name.
func (c *Catalog) ShortTitle() string {
	if c.Short != "" {
		return c.Short
	}
	return c.Title
}

// Fill sets the names each standard carries for lists: its group's title,
// the catalogue's short name and label.
func (c *Catalog) Fill() {
	for i := range c.Standards {
		s := &c.Standards[i]
		s.CatalogShort, s.Label = c.ShortTitle(), c.Label
		if g := c.Group(s.Group); g != nil {
			s.GroupTitle = g.Title
		}
	}
}

// Group returns the group with the code, or nil.
func (c *Catalog) Group(code string) *Group {
	for i := range c.Groups {
		if c.Groups[i].Code == code {
			return &c.Groups[i]
		}
	}
	return nil
}

// Standard returns the item with the code, or nil.
func (c *Catalog) Standard(code string) *Standard {
	for i := range c.Standards {
		if c.Standards[i].Code == code {
			return &c.Standards[i]
		}
	}
	return nil
}

// InGroup returns the items of a group, in order.
func (c *Catalog) InGroup(group string) []Standard {
	var out []Standard
	for _, s := range c.Standards {
		if s.Group == group {
			out = append(out, s)
		}
	}
	return out
}

// Active counts the items that are not retired.
func (c *Catalog) Active() int {
	n := 0
	for _, s := range c.Standards {
		if !s.Retired {
			n++
		}
	}
	return n
}

// Limits of a catalogue. They keep a page, a poster and the form usable and
// bound what a file may make the store hold.
const (
	MaxFileBytes     = 1 << 20
	MaxStandards     = 500
	MaxGroups        = 50
	MaxCodeLen       = 32
	MaxTitleRunes    = 300
	MaxTextRunes     = 5000  // an explanation
	MaxOfficialRunes = 20000 // the official wording of one item
	// MaxClassify is how many standards one item of feedback may be
	// classified under.
	MaxClassify = 10
)

// ValidCatalogCode reports whether c can name a catalogue: 1 to 16 capital
// ASCII letters and digits, starting with a letter.
func ValidCatalogCode(c string) bool {
	if len(c) == 0 || len(c) > 16 || c[0] < 'A' || c[0] > 'Z' {
		return false
	}
	for i := 0; i < len(c); i++ {
		if !(c[i] >= 'A' && c[i] <= 'Z' || c[i] >= '0' && c[i] <= '9') {
			return false
		}
	}
	return true
}

// ValidCode reports whether code can name an item of the catalogue cat:
// the catalogue's code, a hyphen, then capital letters, digits and single
// hyphens, at most MaxCodeLen bytes ("NQ4-05", "QD37-19", "HD2-A-3").
func ValidCode(cat, code string) bool {
	rest, ok := strings.CutPrefix(code, cat+"-")
	if !ok || rest == "" || len(code) > MaxCodeLen || rest[len(rest)-1] == '-' {
		return false
	}
	prev := byte('-')
	for i := 0; i < len(rest); i++ {
		c := rest[i]
		switch {
		case c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		case c == '-' && prev != '-':
		default:
			return false
		}
		prev = c
	}
	return true
}

// CatalogOf returns the catalogue part of an item code ("NQ4" of "NQ4-05").
func CatalogOf(code string) string {
	c, _, _ := strings.Cut(code, "-")
	return c
}

// NormalizeCode puts a code typed by a person into its canonical form:
// trimmed, upper case. It does not check it.
func NormalizeCode(code string) string { return strings.ToUpper(strings.TrimSpace(code)) }

// Validate checks a catalogue read from a file or built by the program:
// codes, required fields, lengths, unique codes, every item in a group and
// every group used. Errors are EINVALID with a Vietnamese message.
func (c *Catalog) Validate() error {
	if !ValidCatalogCode(c.Code) {
		return homthu.Errorf(homthu.EINVALID, "Mã danh mục %q không hợp lệ: chỉ gồm chữ in hoa không dấu và chữ số, bắt đầu bằng chữ, tối đa 16 ký tự (ví dụ NQ4).", c.Code)
	}
	if c.Version < 1 || c.Version > 1_000_000 {
		return homthu.Errorf(homthu.EINVALID, "Phiên bản danh mục phải là số nguyên dương (bạn ghi %d).", c.Version)
	}
	if err := checkFields([]field{
		{"Tên danh mục (title)", c.Title, MaxTitleRunes, true, true},
		{"Tên ngắn (short)", c.Short, 100, false, true},
		{"Nguồn (source)", c.Source, MaxTitleRunes, true, true},
		{"Nhãn số thứ tự (label)", c.Label, 30, false, true},
		{"Ghi chú (note)", c.Note, MaxTextRunes, false, false},
	}); err != nil {
		return err
	}
	if len(c.Groups) == 0 {
		return homthu.Errorf(homthu.EINVALID, "Danh mục %s chưa có nhóm nào (group).", c.Code)
	}
	if len(c.Groups) > MaxGroups {
		return homthu.Errorf(homthu.EINVALID, "Danh mục có %d nhóm, tối đa %d.", len(c.Groups), MaxGroups)
	}
	if len(c.Standards) > MaxStandards {
		return homthu.Errorf(homthu.EINVALID, "Danh mục có %d mục, tối đa %d.", len(c.Standards), MaxStandards)
	}
	groups := map[string]int{}
	for _, g := range c.Groups {
		if !ValidCatalogCode(g.Code) {
			return homthu.Errorf(homthu.EINVALID, "Mã nhóm %q không hợp lệ: chỉ gồm chữ in hoa không dấu và chữ số, tối đa 16 ký tự.", g.Code)
		}
		if _, dup := groups[g.Code]; dup {
			return homthu.Errorf(homthu.EINVALID, "Mã nhóm %s xuất hiện hai lần.", g.Code)
		}
		groups[g.Code] = 0
		if err := checkFields([]field{{"Tên nhóm " + g.Code, g.Title, MaxTitleRunes, true, true}}); err != nil {
			return err
		}
	}
	seen := map[string]bool{}
	last := ""
	for i, s := range c.Standards {
		if !ValidCode(c.Code, s.Code) {
			return homthu.Errorf(homthu.EINVALID, "Mã mục %q không hợp lệ: phải bắt đầu bằng mã danh mục và dấu gạch ngang (%s-1, %s-A2), chỉ gồm chữ in hoa không dấu, chữ số và dấu gạch ngang, tối đa %d ký tự.", s.Code, c.Code, c.Code, MaxCodeLen)
		}
		if seen[s.Code] {
			return homthu.Errorf(homthu.EINVALID, "Mã mục %s xuất hiện hai lần.", s.Code)
		}
		seen[s.Code] = true
		if _, ok := groups[s.Group]; !ok {
			return homthu.Errorf(homthu.EINVALID, "Mục %s thuộc nhóm %q, nhưng danh mục không có nhóm này.", s.Code, s.Group)
		}
		if s.Group != last && groups[s.Group] > 0 {
			return homthu.Errorf(homthu.EINVALID, "Các mục của nhóm %s phải đứng liền nhau (mục %s đứng tách ra).", s.Group, s.Code)
		}
		last = s.Group
		groups[s.Group]++
		if s.Catalog != c.Code || s.Version != c.Version || s.Number != i+1 {
			return homthu.Errorf(homthu.EINVALID, "Mục %s không khớp với danh mục chứa nó.", s.Code)
		}
		if err := checkFields([]field{
			{"Tiêu đề mục " + s.Code, s.Title, MaxTitleRunes, true, true},
			{"Giải thích mục " + s.Code, s.Explanation, MaxTextRunes, false, false},
			{"Nguyên văn mục " + s.Code, s.Official, MaxOfficialRunes, false, false},
			{"Nguồn mục " + s.Code, s.Source, MaxTitleRunes, false, true},
			{"Lý do bãi bỏ mục " + s.Code, s.RetiredReason, MaxTitleRunes, false, true},
		}); err != nil {
			return err
		}
		if s.Retired && strings.TrimSpace(s.RetiredReason) == "" {
			return homthu.Errorf(homthu.EINVALID, "Mục %s bị bãi bỏ mà không ghi lý do.", s.Code)
		}
	}
	for _, g := range c.Groups {
		if groups[g.Code] == 0 {
			return homthu.Errorf(homthu.EINVALID, "Nhóm %s không có mục nào.", g.Code)
		}
	}
	return nil
}

// field is one text of a catalogue to check.
type field struct {
	label, v      string
	max           int
	required, one bool // one: a single line
}

func checkFields(fs []field) error {
	for _, f := range fs {
		if err := homthu.CheckText(f.label, f.v, f.max, f.required); err != nil {
			return err
		}
		if f.one && strings.ContainsAny(f.v, "\n\r") {
			return homthu.Errorf(homthu.EINVALID, "%s phải viết trên một dòng.", f.label)
		}
		if f.v != strings.TrimSpace(f.v) {
			return homthu.Errorf(homthu.EINVALID, "%s có khoảng trắng thừa ở đầu hoặc cuối.", f.label)
		}
	}
	return nil
}
