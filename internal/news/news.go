// Package news is the news of the public portal ("Tin mới", issue 11):
// posts that editors write in Markdown (headings, lists, images, links),
// keep as drafts, schedule, file under a category and a unit, and publish
// under a clean Vietnamese slug ("so-ket-3-nam-thuc-hien-quy-dinh-124");
// the list is newest first with "Xem thêm", and RSS 2.0 and Atom feeds
// follow it (Feeds).
package news

import (
	"bytes"
	"fmt"
	"strings"
	"time"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"

	"homthu/internal/homthu"
	"homthu/internal/vntext"
)

// Post is one news item.
type Post struct {
	ID       int64
	Slug     string
	Title    string
	Summary  string
	Body     string // Markdown
	Category string // a code of Categories
	Unit     string // the unit it belongs to (a province or commune code); "" for the whole site
	UnitName string // filled by the store
	// Draft posts are never public. A post that is not a draft is public
	// from PublishAt on (a later time schedules it).
	Draft     bool
	PublishAt time.Time
	Author    string
	Created   time.Time
	Updated   time.Time
}

// Public reports whether the post is visible to everyone at now.
func (p *Post) Public(now time.Time) bool {
	return !p.Draft && !p.PublishAt.IsZero() && !p.PublishAt.After(now)
}

// State is what an editor reads of the post's state at now.
func (p *Post) State(now time.Time) string {
	switch {
	case p.Draft:
		return "Bản nháp"
	case p.PublishAt.After(now):
		return "Hẹn đăng " + p.PublishAt.In(homthu.VNTime).Format("15:04 02/01/2006")
	}
	return "Đã đăng"
}

// Category is a heading of the news.
type Category struct{ Code, Label string }

// Categories are the headings of the news, in menu order.
var Categories = []Category{
	{"hoat-dong", "Hoạt động Mặt trận"},
	{"giam-sat", "Giám sát, phản biện xã hội"},
	{"quy-dinh-124", "Thực hiện Quy định 124"},
	{"guong-tot", "Gương tốt, việc tốt"},
	{"thong-bao", "Thông báo"},
}

// CategoryLabel is the label of a category code, or "".
func CategoryLabel(code string) string {
	for _, c := range Categories {
		if c.Code == code {
			return c.Label
		}
	}
	return ""
}

// Limits of a post.
const (
	MaxTitleRunes   = 300
	MaxSummaryRunes = 1000
	MaxBodyRunes    = 100000
	MaxSlugLen      = 100
)

// Normalize puts the texts in NFC and trims them.
func (p *Post) Normalize() {
	for _, s := range []*string{&p.Title, &p.Summary, &p.Body, &p.Category, &p.Unit, &p.Slug} {
		*s = strings.TrimSpace(vntext.NFC(*s))
	}
}

// Validate checks a post; errors are EINVALID with a Vietnamese message.
func (p *Post) Validate() error {
	if err := homthu.CheckText("Tiêu đề", p.Title, MaxTitleRunes, true); err != nil {
		return err
	}
	if strings.ContainsAny(p.Title, "\n\r") {
		return homthu.Errorf(homthu.EINVALID, "Tiêu đề phải viết trên một dòng.")
	}
	if err := homthu.CheckText("Tóm tắt", p.Summary, MaxSummaryRunes, false); err != nil {
		return err
	}
	if err := homthu.CheckText("Nội dung", p.Body, MaxBodyRunes, true); err != nil {
		return err
	}
	if CategoryLabel(p.Category) == "" {
		return homthu.Errorf(homthu.EINVALID, "Xin chọn chuyên mục của tin.")
	}
	if p.Slug != "" && Slug(p.Slug) != p.Slug {
		return homthu.Errorf(homthu.EINVALID, "Đường dẫn chỉ gồm chữ thường không dấu, chữ số và dấu gạch ngang, ví dụ so-ket-3-nam-thuc-hien-quy-dinh-124.")
	}
	if !p.Draft && p.PublishAt.IsZero() {
		return homthu.Errorf(homthu.EINVALID, "Xin ghi thời điểm đăng, hoặc lưu thành bản nháp.")
	}
	return nil
}

// Slug writes a title as the last part of a clean address: lower case,
// no diacritics, đ as d, words joined by hyphens, at most MaxSlugLen
// bytes, cut at a word: "Sơ kết 3 năm thực hiện Quy định 124" →
// "so-ket-3-nam-thuc-hien-quy-dinh-124".
func Slug(title string) string {
	words := strings.Fields(vntext.Fold(title))
	var b strings.Builder
	for _, w := range words {
		if b.Len()+len(w)+1 > MaxSlugLen {
			break
		}
		if b.Len() > 0 {
			b.WriteByte('-')
		}
		b.WriteString(w)
	}
	if b.Len() == 0 {
		return "tin"
	}
	return b.String()
}

// markdown renders an editor's Markdown: CommonMark with tables,
// strikethrough and autolinks; raw HTML in the source is not passed
// through (goldmark's default), so a post can carry no script.
var markdown = goldmark.New(goldmark.WithExtensions(extension.Table, extension.Strikethrough, extension.Linkify))

// HTML renders a post's body. Images and links may point anywhere the
// page's Content-Security-Policy allows (images: this site only).
func HTML(body string) (string, error) {
	var buf bytes.Buffer
	if err := markdown.Convert([]byte(body), &buf); err != nil {
		return "", fmt.Errorf("news.HTML: %w", err)
	}
	return buf.String(), nil
}
