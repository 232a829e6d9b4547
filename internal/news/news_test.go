package news

import (
	"bytes"
	"encoding/xml"
	"strings"
	"testing"
	"time"

	"homthu/internal/homthu"
)

func TestSlug(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"Sơ kết 3 năm thực hiện Quy định 124", "so-ket-3-nam-thuc-hien-quy-dinh-124"},
		{"Đại hội MTTQ: “Đoàn kết – Dân chủ”!", "dai-hoi-mttq-doan-ket-dan-chu"},
		{"Thuỷ lợi, thủy sản", "thuy-loi-thuy-san"},
		{"!!!", "tin"},
		{strings.Repeat("dài ", 60), strings.TrimSuffix(strings.Repeat("dai-", 25), "-")},
	} {
		if got := Slug(tt.in); got != tt.want || len(got) > MaxSlugLen {
			t.Errorf("Slug(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestHTML(t *testing.T) {
	out, err := HTML("## Mục\n\n- một\n- hai\n\n<script>alert(1)</script>\n\n[liên kết](/van-ban) ![ảnh](/tin-tuc/anh/ab)")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"<h2>Mục</h2>", "<li>một</li>", `<a href="/van-ban">liên kết</a>`, `<img src="/tin-tuc/anh/ab" alt="ảnh">`} {
		if !strings.Contains(out, want) {
			t.Errorf("HTML lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "<script") {
		t.Errorf("raw HTML passed through:\n%s", out)
	}
	out, _ = HTML("[x](javascript:alert(1))")
	if strings.Contains(out, "javascript:") {
		t.Errorf("a javascript: link passed through: %s", out)
	}
}

func TestValidate(t *testing.T) {
	ok := Post{Title: "Tin", Body: "Nội dung", Category: "thong-bao", PublishAt: time.Now()}
	for _, tt := range []struct {
		name string
		mod  func(p *Post)
		ok   bool
	}{
		{"ok", func(p *Post) {}, true},
		{"draft without time", func(p *Post) { p.Draft, p.PublishAt = true, time.Time{} }, true},
		{"published without time", func(p *Post) { p.PublishAt = time.Time{} }, false},
		{"no title", func(p *Post) { p.Title = "" }, false},
		{"two-line title", func(p *Post) { p.Title = "a\nb" }, false},
		{"bad category", func(p *Post) { p.Category = "x" }, false},
		{"bad slug", func(p *Post) { p.Slug = "Có Dấu" }, false},
		{"control", func(p *Post) { p.Body = "a\x00" }, false},
	} {
		p := ok
		tt.mod(&p)
		if err := p.Validate(); (err == nil) != tt.ok || (err != nil && homthu.ErrorCode(err) != homthu.EINVALID) {
			t.Errorf("Validate(%s) = %v, want ok=%v", tt.name, err, tt.ok)
		}
	}
}

func TestFeeds(t *testing.T) {
	at := time.Date(2026, 12, 7, 2, 0, 0, 0, time.UTC)
	f := &Feed{Title: "Tin mới", SiteURL: "https://x.vn", Self: "https://x.vn/tin-tuc/rss.xml", Updated: at,
		Posts: []*Post{{Slug: "a-b", Title: "Tin <một> & hai", Summary: "Tóm tắt", Category: "thong-bao", PublishAt: at}}}
	for _, w := range []func(*bytes.Buffer) error{func(b *bytes.Buffer) error { return f.WriteRSS(b) }, func(b *bytes.Buffer) error { return f.WriteAtom(b) }} {
		var b bytes.Buffer
		if err := w(&b); err != nil {
			t.Fatal(err)
		}
		var v any
		if err := xml.Unmarshal(b.Bytes(), &v); err != nil {
			t.Fatalf("feed is not XML: %v\n%s", err, b.String())
		}
		if !strings.Contains(b.String(), "https://x.vn/tin-tuc/a-b") || !strings.Contains(b.String(), "Tin &lt;một&gt; &amp; hai") {
			t.Errorf("feed:\n%s", b.String())
		}
	}
}
