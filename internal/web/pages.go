package web

import (
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"strings"
	"time"

	"homthu/internal/homthu"
	"homthu/internal/store"
)

// The templates: layout.html holds the frame of every page (and the shared
// partials); each other file defines the "content" of one page.
//
//go:embed templates
var templateFS embed.FS

// page is the data of one template. Every page struct embeds Base and names
// its template; TestTemplates renders each with a sample of its struct.
type page interface {
	base() *Base
	templateName() string
}

// Base is what the layout needs from every page.
type Base struct {
	// Title is the page's own title, before " — Hòm thư góp ý".
	Title string
	// Staff marks the staff side: the header shows the staff menu.
	Staff bool
	// User is the logged-in staff user on staff pages.
	User *homthu.User
	// Script includes the progressive-enhancement script.
	Script bool
	// Unread counts the user's unread notices (up to
	// store.MaxUnreadCount), filled by render on staff pages.
	Unread int
}

func (b *Base) base() *Base { return b }

// Nav is the staff menu for the logged-in user: only the pages their role
// may open.
func (b *Base) Nav() []NavLink {
	if b.User == nil {
		return nil
	}
	var out []NavLink
	for _, l := range staffNav {
		if b.User.Role.Can(l.act) {
			if l.Href == noticesPath {
				l.Count, l.Max = b.Unread, b.Unread >= store.MaxUnreadCount
			}
			out = append(out, l)
		}
	}
	return out
}

// ErrorPage shows an error's Vietnamese message.
type ErrorPage struct {
	Base
	Status  int
	Message string
}

func (*ErrorPage) templateName() string { return "error.html" }

// Heading names what went wrong, by status.
func (p *ErrorPage) Heading() string {
	switch {
	case p.Status == http.StatusNotFound:
		return "Không tìm thấy"
	case p.Status == http.StatusForbidden:
		return "Không được phép"
	case p.Status == http.StatusMethodNotAllowed:
		return "Không dùng được theo cách này"
	case p.Status == http.StatusTooManyRequests:
		return "Quá nhiều yêu cầu"
	case p.Status >= 500:
		return "Hệ thống gặp lỗi"
	}
	return "Chưa thực hiện được"
}

// parsePages parses layout.html with each page template.
func parsePages(funcs template.FuncMap) (map[string]*template.Template, error) {
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	pages := map[string]*template.Template{}
	for _, n := range names {
		name := strings.TrimPrefix(n, "templates/")
		if name == "layout.html" {
			continue
		}
		t, err := template.New(name).Funcs(funcs).ParseFS(templateFS, "templates/layout.html", n)
		if err != nil {
			return nil, fmt.Errorf("template %s: %w", name, err)
		}
		pages[name] = t
	}
	return pages, nil
}

// funcs are the template functions: few, and none that computes what a
// page struct could carry.
func (s *Server) funcs() template.FuncMap {
	return template.FuncMap{
		// static is the versioned URL of a static file.
		"static": s.static.url,
		// date writes a YYYY-MM-DD day the Vietnamese way: 28/11/2026.
		"date": vnDate,
		// join joins a list of names.
		"join": strings.Join,
		// field describes a one-line text input for the "text" template.
		"field": textField,
	}
}

// vnDate writes a day (YYYY-MM-DD) as dd/mm/yyyy; anything else unchanged.
func vnDate(day string) string {
	t, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return day
	}
	return t.Format("02/01/2006")
}

// vnTime writes a time as "14:05 ngày 28/11/2026", in Vietnam's time.
func vnTime(t time.Time) string {
	t = t.In(homthu.VNTime)
	return t.Format("15:04") + " ngày " + t.Format("02/01/2006")
}

// receivedLabel writes an RFC 3339 time or a bare day (what Receipt and
// Item carry: an anonymous item keeps only the day).
func receivedLabel(s string) string {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return vnTime(t)
	}
	if _, err := time.Parse(time.DateOnly, s); err == nil {
		return "ngày " + vnDate(s)
	}
	return s
}

// MessageView is one message of a thread as a page shows it.
type MessageView struct {
	FromFront bool
	Who       string
	At        string
	Body      string
}

// messageViews turns a thread into views; you is how the submitter is named
// ("Bạn" on the citizen's page, "Người phản ánh" on the staff's).
func messageViews(ms []homthu.Message, you string) []MessageView {
	out := make([]MessageView, 0, len(ms))
	for _, m := range ms {
		v := MessageView{FromFront: m.From == "front", Body: m.Body, Who: you}
		if v.FromFront {
			v.Who = "Mặt trận Tổ quốc"
		}
		if m.DateOnly {
			v.At = "ngày " + m.At.In(homthu.VNTime).Format("02/01/2006")
		} else {
			v.At = vnTime(m.At)
		}
		out = append(out, v)
	}
	return out
}

// Option is one choice of a <select> or a group of radio buttons.
type Option struct {
	Value, Label string
	Selected     bool
}

// TextField is a one-line text input with its label, hint and error, as
// the "text" template of submit.html draws it.
type TextField struct {
	Name, Label, Value, Hint, Err string
	// Autocomplete is the input's autocomplete token ("off", "name",
	// "tel", "email", "street-address"); it also chooses the input type.
	Autocomplete string
}

func textField(name, label, value, hint, err, autocomplete string) TextField {
	return TextField{Name: name, Label: label, Value: value, Hint: hint, Err: err, Autocomplete: autocomplete}
}

// InputMode brings the right phone keyboard. (Not type=tel or type=email:
// a browser would refuse to send the form over a bad value in a field that
// is hidden when the person chose "ẩn danh"; the server checks instead.)
func (f TextField) InputMode() string {
	switch f.Autocomplete {
	case "tel":
		return "tel"
	case "email":
		return "email"
	}
	return ""
}

// DescribedBy lists the ids of the hint and the error.
func (f TextField) DescribedBy() string {
	var ids []string
	if f.Hint != "" {
		ids = append(ids, f.Name+"-hint")
	}
	if f.Err != "" {
		ids = append(ids, f.Name+"-err")
	}
	return strings.Join(ids, " ")
}
