package catalog

import (
	"bytes"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"homthu/internal/homthu"
)

func TestShipped(t *testing.T) {
	cs, err := Shipped()
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != 2 || cs[0].Code != "NQ4" || cs[1].Code != "QD37" {
		t.Fatalf("Shipped() = %d catalogues, want NQ4 and QD37", len(cs))
	}
	nq4, qd37 := cs[0], cs[1]
	// Resolution 04-NQ/TW: 27 manifestations, three groups of nine.
	if len(nq4.Standards) != 27 || len(nq4.Groups) != 3 {
		t.Errorf("NQ4: %d items in %d groups, want 27 in 3", len(nq4.Standards), len(nq4.Groups))
	}
	for _, g := range nq4.Groups {
		if n := len(nq4.InGroup(g.Code)); n != 9 {
			t.Errorf("NQ4 group %s has %d items, want 9", g.Code, n)
		}
	}
	// Regulation 37-QĐ/TW: 19 prohibitions, item n is Article n.
	if len(qd37.Standards) != 19 {
		t.Errorf("QD37: %d items, want 19", len(qd37.Standards))
	}
	for i, s := range qd37.Standards {
		if want := "Điều " + strconv.Itoa(i+1); s.Heading() != want || !strings.HasSuffix(s.Source, want) {
			t.Errorf("QD37 item %d: heading %q, source %q; want %q", i+1, s.Heading(), s.Source, want)
		}
	}
	for _, c := range cs {
		if c.Version != 1 || !strings.Contains(c.Note, "không phải nguyên văn") {
			t.Errorf("%s: version %d, note %q: the shipped version 1 must say it is not the official wording", c.Code, c.Version, c.Note)
		}
		for _, s := range c.Standards {
			if s.Explanation == "" || s.Source == "" || s.Official != "" || s.Retired {
				t.Errorf("%s: want an explanation and a source, no official wording, not retired", s.Code)
			}
			for _, v := range []string{s.Title, s.Explanation} {
				if !norm.NFC.IsNormalString(v) {
					t.Errorf("%s: text not in NFC: %q", s.Code, v)
				}
			}
		}
		// The shipped files are in the canonical form Format writes, but
		// for their comments: reading and writing them changes nothing.
		again, err := Parse(Format(c))
		if err != nil || !reflect.DeepEqual(again, c) {
			t.Errorf("%s: Parse(Format(c)) = %v, differs: %v", c.Code, err, diff(c, again))
		}
	}
}

func diff(a, b *Catalog) string {
	if b == nil {
		return "nil"
	}
	if len(a.Standards) != len(b.Standards) {
		return "standards count"
	}
	for i := range a.Standards {
		if !reflect.DeepEqual(a.Standards[i], b.Standards[i]) {
			return a.Standards[i].Code
		}
	}
	return "header"
}

const sample = `homthu-catalog 1
# a comment
catalog HD2
version 3
title Danh mục thử
source Hướng dẫn số 2-HD/TW
note
    Dòng một
    dòng hai.

    Đoạn hai.

group A
title Nhóm A

item HD2-1
title Mục một
explanation Giải thích
    tiếp theo

item HD2-2
title Mục hai
retired Đã được thay bằng HD2-3

group B
title Nhóm B

item HD2-3
title Mục ba
source Điều 3
official
    a) Nguyên văn;
    b) ý hai.
`

func TestParse(t *testing.T) {
	c, err := Parse([]byte(sample))
	if err != nil {
		t.Fatal(err)
	}
	if c.Code != "HD2" || c.Version != 3 || c.Title != "Danh mục thử" || c.Note != "Dòng một\ndòng hai.\n\nĐoạn hai." {
		t.Errorf("header = %+v", c)
	}
	if len(c.Groups) != 2 || c.Groups[1] != (Group{"B", "Nhóm B"}) {
		t.Errorf("groups = %+v", c.Groups)
	}
	want := []Standard{
		{Code: "HD2-1", Catalog: "HD2", Version: 3, Group: "A", Number: 1, Title: "Mục một", Explanation: "Giải thích\ntiếp theo", GroupTitle: "Nhóm A", CatalogShort: "Danh mục thử"},
		{Code: "HD2-2", Catalog: "HD2", Version: 3, Group: "A", Number: 2, Title: "Mục hai", Retired: true, RetiredReason: "Đã được thay bằng HD2-3", GroupTitle: "Nhóm A", CatalogShort: "Danh mục thử"},
		{Code: "HD2-3", Catalog: "HD2", Version: 3, Group: "B", Number: 3, Title: "Mục ba", Source: "Điều 3", Official: "a) Nguyên văn;\nb) ý hai.", GroupTitle: "Nhóm B", CatalogShort: "Danh mục thử"},
	}
	if !reflect.DeepEqual(c.Standards, want) {
		t.Errorf("standards =\n%+v\nwant\n%+v", c.Standards, want)
	}
	// CRLF, a byte-order mark and NFD text read the same.
	nfd := "\uFEFF" + strings.ReplaceAll(norm.NFD.String(sample), "\n", "\r\n")
	c2, err := Parse([]byte(nfd))
	if err != nil || !reflect.DeepEqual(c2, c) {
		t.Errorf("Parse(NFD, CRLF, BOM) = %v, differs", err)
	}
	if again, err := Parse(Format(c)); err != nil || !reflect.DeepEqual(again, c) {
		t.Errorf("Parse(Format(c)) = %v, differs:\n%s", err, Format(c))
	}
}

func TestParseErrors(t *testing.T) {
	head := "homthu-catalog 1\ncatalog HD2\nversion 1\ntitle T\nsource S\n"
	for _, tt := range []struct {
		name, in, want string
	}{
		{"empty", "", "trống"},
		{"no magic", "catalog HD2\n", "phải bắt đầu bằng dòng"},
		{"future format", "homthu-catalog 2\n", "chưa được chương trình này hỗ trợ"},
		{"latin-1", "homthu-catalog 1\ntitle \xe0\n", "UTF-8"},
		{"no groups", head, "chưa có nhóm"},
		{"missing title", "homthu-catalog 1\ncatalog HD2\nversion 1\nsource S\ngroup A\n", `thiếu từ khóa "title"`},
		{"bad version", strings.Replace(head, "version 1", "version một", 1) + "group A\n", "số nguyên dương"},
		{"bad catalogue code", strings.Replace(head, "HD2", "hd-2", 1) + "group A\n", "không hợp lệ"},
		{"unknown key", head + "author X\n", `không hiểu từ khóa "author"`},
		{"duplicate key", head + "title U\n", "đã có"},
		{"item before group", head + "item HD2-1\n", "phải nằm dưới một nhóm"},
		{"item of another catalogue", head + "group A\ntitle G\nitem NQ4-1\ntitle X\n", "phải bắt đầu bằng HD2-"},
		{"duplicate item", head + "group A\ntitle G\nitem HD2-1\ntitle X\nitem HD2-1\ntitle Y\n", "đã có ở trên"},
		{"duplicate group", head + "group A\ntitle G\nitem HD2-1\ntitle X\ngroup A\n", "đã có ở trên"},
		{"empty group", head + "group A\ntitle G\ngroup B\ntitle H\nitem HD2-1\ntitle X\n", "không có mục nào"},
		{"group without title", head + "group A\nitem HD2-1\ntitle X\n", "Tên nhóm A không được để trống"},
		{"item without title", head + "group A\ntitle G\nitem HD2-1\n", "Tiêu đề mục HD2-1 không được để trống"},
		{"stray indent", head + "  continued\n", "thụt lề"},
		{"value missing", head + "group A\ntitle\n", "cần một giá trị"},
		{"retired without reason", head + "group A\ntitle G\nitem HD2-1\ntitle X\nretired\n", "cần một giá trị"},
		{"control character", head + "group A\ntitle G\x07\nitem HD2-1\ntitle X\n", "ký tự điều khiển"},
		{"too long", head + "group A\ntitle G\nitem HD2-1\ntitle " + strings.Repeat("ạ", MaxTitleRunes+1) + "\n", "quá dài"},
		{"too large", head + strings.Repeat("#", MaxFileBytes), "quá lớn"},
	} {
		_, err := Parse([]byte(tt.in))
		if err == nil || homthu.ErrorCode(err) != homthu.EINVALID || !strings.Contains(homthu.ErrorMessage(err), tt.want) {
			t.Errorf("Parse(%s) = %v, want EINVALID containing %q", tt.name, err, tt.want)
		}
	}
}

func mustParse(t *testing.T, s string) *Catalog {
	t.Helper()
	c, err := Parse([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestPlan(t *testing.T) {
	v3 := mustParse(t, sample)
	v3.Standards[1].RetiredIn = 2 // as the store remembers it
	next := func(edit func(s string) string) *Catalog {
		return mustParse(t, edit(strings.Replace(sample, "version 3", "version 4", 1)))
	}

	ch, err := Plan(v3, next(func(s string) string {
		s = strings.Replace(s, "title Mục một", "title Mục một, sửa lời", 1)
		s = strings.Replace(s, "official\n", "retired Văn bản gốc đã hết hiệu lực\nofficial\n", 1)
		return s + "\nitem HD2-4\ntitle Mục bốn\n"
	}))
	if err != nil {
		t.Fatal(err)
	}
	if ch.From != 3 || ch.To != 4 || !reflect.DeepEqual(ch.Changed, []string{"HD2-1"}) || !reflect.DeepEqual(ch.Retired, []string{"HD2-3"}) ||
		!reflect.DeepEqual(ch.Added, []string{"HD2-4"}) || !reflect.DeepEqual(ch.Unchanged, []string{"HD2-2"}) || ch.HeaderChanged || ch.Empty() {
		t.Errorf("Plan = %+v", ch)
	}
	if s := ch.Next.Standard("HD2-2"); s.RetiredIn != 2 {
		t.Errorf("an item retired earlier keeps the version that retired it: %d", s.RetiredIn)
	}
	if s := ch.Next.Standard("HD2-3"); s.RetiredIn != 4 {
		t.Errorf("an item retired now is retired in the new version: %d", s.RetiredIn)
	}
	if ch, err := Plan(v3, next(func(s string) string { return s })); err != nil || !ch.Empty() {
		t.Errorf("Plan(same text) = %+v, %v; want empty", ch, err)
	}

	for _, tt := range []struct {
		name string
		cur  *Catalog
		next *Catalog
		code string
		want string
	}{
		{"same version", v3, mustParse(t, sample), homthu.ECONFLICT, "phải ghi version 4"},
		{"skipped version", v3, mustParse(t, strings.Replace(sample, "version 3", "version 5", 1)), homthu.ECONFLICT, "phải ghi version 4"},
		{"new catalogue at version 3", nil, mustParse(t, sample), homthu.ECONFLICT, "phải là phiên bản 1"},
		{"new catalogue with a retired item", nil, mustParse(t, strings.Replace(sample, "version 3", "version 1", 1)), homthu.EINVALID, "danh mục mới"},
		{"item deleted", v3, next(func(s string) string { return s[:strings.Index(s, "\ngroup B")] }), homthu.EINVALID, "thiếu 1 mục"},
		{"retired item revived", v3, next(func(s string) string { return strings.Replace(s, "retired Đã được thay bằng HD2-3\n", "", 1) }), homthu.EINVALID, "không dùng lại được"},
		{"new item retired", v3, next(func(s string) string { return s + "\nitem HD2-4\ntitle Bốn\nretired Nhầm\n" }), homthu.EINVALID, "Mục mới HD2-4"},
		{"another catalogue", v3, mustParse(t, strings.NewReplacer("HD2", "HD9", "version 3", "version 4").Replace(sample)), homthu.EINVALID, "không phải HD2"},
	} {
		_, err := Plan(tt.cur, tt.next)
		if homthu.ErrorCode(err) != tt.code || !strings.Contains(homthu.ErrorMessage(err), tt.want) {
			t.Errorf("Plan(%s) = %v, want %s containing %q", tt.name, err, tt.code, tt.want)
		}
	}
}

func TestRetire(t *testing.T) {
	v3 := mustParse(t, sample)
	n, err := Retire(v3, "HD2-1", "  Trùng với HD2-3 ", "Bãi bỏ HD2-1")
	if err != nil {
		t.Fatal(err)
	}
	s := n.Standard("HD2-1")
	if n.Version != 4 || !s.Retired || s.RetiredReason != "Trùng với HD2-3" || s.RetiredIn != 4 || s.Version != 4 {
		t.Errorf("Retire: version %d, %+v", n.Version, s)
	}
	if v3.Standard("HD2-1").Retired || v3.Version != 3 {
		t.Error("Retire changed the version it started from")
	}
	if _, err := Plan(v3, n); err != nil {
		t.Errorf("Plan(Retire(v3)) = %v: a retirement must be a valid next version", err)
	}
	for _, tt := range []struct{ code, reason, want string }{
		{"HD2-1", " ", homthu.EINVALID},
		{"HD2-2", "lại", homthu.ECONFLICT},
		{"HD2-9", "không có", homthu.ENOTFOUND},
		{"HD2-1", "hai\ndòng", homthu.EINVALID},
	} {
		if _, err := Retire(v3, tt.code, tt.reason, ""); homthu.ErrorCode(err) != tt.want {
			t.Errorf("Retire(%s, %q) = %v, want %s", tt.code, tt.reason, err, tt.want)
		}
	}
}

func TestCodes(t *testing.T) {
	for _, tt := range []struct {
		cat, code string
		ok        bool
	}{
		{"NQ4", "NQ4-05", true}, {"NQ4", "NQ4-A-3", true}, {"QD37", "QD37-19", true},
		{"NQ4", "NQ4-", false}, {"NQ4", "NQ4--1", false}, {"NQ4", "NQ4-1-", false}, {"NQ4", "NQ4-a", false},
		{"NQ4", "QD37-1", false}, {"NQ4", "NQ4-" + strings.Repeat("1", MaxCodeLen), false}, {"NQ4", "NQ4-Đ", false},
	} {
		if got := ValidCode(tt.cat, tt.code); got != tt.ok {
			t.Errorf("ValidCode(%q, %q) = %v", tt.cat, tt.code, got)
		}
	}
	if CatalogOf("QD37-05") != "QD37" || NormalizeCode(" qd37-05 ") != "QD37-05" {
		t.Error("CatalogOf / NormalizeCode")
	}
}

// FuzzParse: any input is either refused with EINVALID and a readable
// message, or read into a catalogue that passes Validate and that Format
// writes back to the same catalogue.
func FuzzParse(f *testing.F) {
	f.Add([]byte(sample))
	for _, name := range shippedOrder {
		b, _ := shippedFS.ReadFile("shipped/" + name + ".txt")
		f.Add(b)
	}
	f.Add([]byte("homthu-catalog 1\ncatalog A\nversion 1\ntitle t\nsource s\ngroup G\ntitle g\nitem A-1\ntitle x\nexplanation\n\t\u00a0\n  y\n\n\n  z\n"))
	f.Add([]byte("homthu-catalog 1\r\ncatalog A\tB\r\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Parse(data)
		if err != nil {
			if homthu.ErrorCode(err) != homthu.EINVALID || !utf8.ValidString(homthu.ErrorMessage(err)) {
				t.Fatalf("Parse error %v: want EINVALID with a UTF-8 message", err)
			}
			return
		}
		if err := c.Validate(); err != nil {
			t.Fatalf("Parse accepted a catalogue Validate refuses: %v", err)
		}
		out := Format(c)
		again, err := Parse(out)
		if err != nil {
			t.Fatalf("Parse(Format(c)) = %v\n%s", err, out)
		}
		if !reflect.DeepEqual(again, c) {
			t.Fatalf("Parse(Format(c)) differs from c\n%q\n%q", data, out)
		}
		if !bytes.Equal(Format(again), out) {
			t.Fatal("Format is not stable")
		}
	})
}
