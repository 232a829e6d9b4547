package news

import (
	"encoding/xml"
	"io"
	"time"
)

// Feed is what the feeds say of the site.
type Feed struct {
	Title   string // "Tin mới — Hòm thư góp ý"
	SiteURL string // "https://homthu.example" (no trailing slash)
	Self    string // the feed's own address
	Updated time.Time
	Posts   []*Post
}

type rss struct {
	XMLName xml.Name   `xml:"rss"`
	Version string     `xml:"version,attr"`
	Atom    string     `xml:"xmlns:atom,attr"`
	Channel rssChannel `xml:"channel"`
}

type rssChannel struct {
	Title       string    `xml:"title"`
	Link        string    `xml:"link"`
	Self        atomLink  `xml:"atom:link"`
	Description string    `xml:"description"`
	Language    string    `xml:"language"`
	Items       []rssItem `xml:"item"`
}

type atomLink struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr"`
	Type string `xml:"type,attr,omitempty"`
}

type rssItem struct {
	Title       string `xml:"title"`
	Link        string `xml:"link"`
	GUID        string `xml:"guid"`
	PubDate     string `xml:"pubDate"`
	Category    string `xml:"category,omitempty"`
	Description string `xml:"description"`
}

// PostURL is the address of a post on the site.
func (f *Feed) PostURL(p *Post) string { return f.SiteURL + "/tin-tuc/" + p.Slug }

// WriteRSS writes the feed as RSS 2.0.
func (f *Feed) WriteRSS(w io.Writer) error {
	doc := rss{Version: "2.0", Atom: "http://www.w3.org/2005/Atom", Channel: rssChannel{
		Title: f.Title, Link: f.SiteURL + "/tin-tuc", Self: atomLink{Href: f.Self, Rel: "self", Type: "application/rss+xml"},
		Description: "Tin mới của Mặt trận Tổ quốc Việt Nam về hòm thư góp ý và Quy định 124-QĐ/TW", Language: "vi"}}
	for _, p := range f.Posts {
		doc.Channel.Items = append(doc.Channel.Items, rssItem{Title: p.Title, Link: f.PostURL(p), GUID: f.PostURL(p),
			PubDate: p.PublishAt.UTC().Format(time.RFC1123Z), Category: CategoryLabel(p.Category), Description: p.Summary})
	}
	return writeXML(w, doc)
}

type atomFeed struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Lang    string      `xml:"xml:lang,attr"`
	Title   string      `xml:"title"`
	ID      string      `xml:"id"`
	Updated string      `xml:"updated"`
	Links   []atomLink  `xml:"link"`
	Entries []atomEntry `xml:"entry"`
}

type atomEntry struct {
	Title     string     `xml:"title"`
	ID        string     `xml:"id"`
	Link      atomLink   `xml:"link"`
	Published string     `xml:"published"`
	Updated   string     `xml:"updated"`
	Author    atomAuthor `xml:"author"`
	Category  *atomCat   `xml:"category,omitempty"`
	Summary   string     `xml:"summary"`
}

type atomAuthor struct {
	Name string `xml:"name"`
}

type atomCat struct {
	Term  string `xml:"term,attr"`
	Label string `xml:"label,attr"`
}

// WriteAtom writes the feed as Atom (RFC 4287).
func (f *Feed) WriteAtom(w io.Writer) error {
	doc := atomFeed{Lang: "vi", Title: f.Title, ID: f.SiteURL + "/tin-tuc", Updated: f.Updated.UTC().Format(time.RFC3339),
		Links: []atomLink{{Href: f.Self, Rel: "self", Type: "application/atom+xml"}, {Href: f.SiteURL + "/tin-tuc", Rel: "alternate", Type: "text/html"}}}
	for _, p := range f.Posts {
		e := atomEntry{Title: p.Title, ID: f.PostURL(p), Link: atomLink{Href: f.PostURL(p), Rel: "alternate"},
			Published: p.PublishAt.UTC().Format(time.RFC3339), Updated: maxTime(p.PublishAt, p.Updated).UTC().Format(time.RFC3339),
			Author: atomAuthor{Name: "Mặt trận Tổ quốc Việt Nam"}, Summary: p.Summary}
		if l := CategoryLabel(p.Category); l != "" {
			e.Category = &atomCat{Term: p.Category, Label: l}
		}
		doc.Entries = append(doc.Entries, e)
	}
	return writeXML(w, doc)
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

func writeXML(w io.Writer, v any) error {
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", " ")
	if err := enc.Encode(v); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}
