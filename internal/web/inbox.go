package web

import (
	"net/http"
	"net/url"
	"strings"

	"homthu/internal/homthu"
)

// InboxPage is a staff member's inbox: the items addressed to their unit and
// every unit below it, never another unit's, newest first, filtered and
// paginated by cursor. Filters are in the query string (they are no
// secret); no submitter identity appears here.
type InboxPage struct {
	Base
	Filter   InboxFilter
	Statuses []Option
	Channels []Option
	Units    []Option
	Counts   []StatusCount
	Total    int
	Items    []InboxRow
	// Next is the URL of the next page, "" on the last; First that of the
	// first page when this is not it.
	Next, First string
	Error       string
}

func (*InboxPage) templateName() string { return "inbox.html" }

// InboxFilter is the filter form's values.
type InboxFilter struct {
	Status, Channel, Unit, From, To, Q, Cursor string
}

// StatusCount is the number of items in one status, linked to the filter.
type StatusCount struct {
	Label   string
	N       int
	Href    string
	Current bool
}

// InboxRow is one item in the list.
type InboxRow struct {
	ID         string
	Date       string
	Area       string
	Unit       string
	Channel    string
	Status     string
	Snippet    string
	Unattended bool
}

func (f InboxFilter) values() url.Values {
	v := url.Values{}
	for _, kv := range [][2]string{{"status", f.Status}, {"channel", f.Channel}, {"unit", f.Unit}, {"from", f.From}, {"to", f.To}, {"q", f.Q}} {
		if kv[1] != "" {
			v.Set(kv[0], kv[1])
		}
	}
	return v
}

func inboxURL(v url.Values) string {
	if len(v) == 0 {
		return staffPath
	}
	return staffPath + "?" + v.Encode()
}

const inboxPageSize = 30

func (s *Server) inbox(w http.ResponseWriter, r *http.Request, sess *homthu.Session) error {
	ctx := r.Context()
	q := r.URL.Query()
	f := InboxFilter{Status: q.Get("status"), Channel: q.Get("channel"), Unit: q.Get("unit"), From: q.Get("from"),
		To: q.Get("to"), Q: strings.TrimSpace(q.Get("q")), Cursor: q.Get("cursor")}
	p := &InboxPage{Base: staffBase("Hộp thư", sess), Filter: f}

	for _, st := range homthu.Statuses {
		p.Statuses = append(p.Statuses, Option{Value: string(st), Label: st.Label(), Selected: f.Status == string(st)})
	}
	for _, c := range homthu.Channels {
		p.Channels = append(p.Channels, Option{Value: string(c), Label: c.Label(), Selected: f.Channel == string(c)})
	}
	kids, err := s.app.Store.ChildUnits(ctx, sess.User.Unit, 5000)
	if err != nil {
		return err
	}
	filter := homthu.ItemFilter{Status: homthu.Status(f.Status), Channel: homthu.Channel(f.Channel), From: f.From, To: f.To,
		Query: f.Q, Cursor: f.Cursor, Limit: inboxPageSize, Unit: f.Unit}
	for _, k := range kids {
		p.Units = append(p.Units, Option{Value: k.Code, Label: k.FullName, Selected: f.Unit == k.Code})
		// Items are scoped by the unit they are addressed to (a commune or
		// a province); an area is matched by the item's area instead.
		if f.Unit == k.Code && k.Kind == homthu.KindArea {
			filter.Unit, filter.Area = "", k.Code
		}
	}

	counts, err := s.app.Store.CountItemsByStatus(ctx, sess.User.Unit)
	if err != nil {
		return err
	}
	for _, st := range homthu.Statuses {
		v := url.Values{"status": {string(st)}}
		p.Counts = append(p.Counts, StatusCount{Label: st.Label(), N: counts[st], Href: inboxURL(v), Current: f.Status == string(st)})
		p.Total += counts[st]
	}

	items, next, err := s.app.Items(ctx, sess, filter)
	status := http.StatusOK
	if err != nil {
		if homthu.ErrorCode(err) == homthu.EINTERNAL || homthu.ErrorCode(err) == homthu.EFORBIDDEN {
			return err
		}
		p.Error = homthu.ErrorMessage(err)
		status = statusOf(err)
	}
	for _, it := range items {
		p.Items = append(p.Items, InboxRow{
			ID: it.ID, Date: vnDate(it.ReceivedOn), Area: it.AreaName, Unit: it.UnitName,
			Channel: it.Channel.Label(), Status: it.Status.Label(), Snippet: snippet(it.Content, 160),
			Unattended: it.Unattended,
		})
	}
	if next != "" {
		v := f.values()
		v.Set("cursor", next)
		p.Next = inboxURL(v)
	}
	if f.Cursor != "" {
		p.First = inboxURL(f.values())
	}
	s.render(w, r, status, p)
	return nil
}

// snippet is the start of a text on one line, cut at a word.
func snippet(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	cut := string(r[:n])
	if i := strings.LastIndexByte(cut, ' '); i > n/2 {
		cut = cut[:i]
	}
	return cut + "…"
}

// Filtered reports whether any filter is set (the filter box then opens).
func (p *InboxPage) Filtered() bool {
	f := p.Filter
	return f.Channel != "" || f.Unit != "" || f.From != "" || f.To != "" || f.Q != "" || f.Status != ""
}
