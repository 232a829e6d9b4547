package web

import (
	"context"
	"net/http"
	"strings"

	"homthu/internal/homthu"
)

// AuditPage is the audit log for a leader or an administrator (issue 5):
// every opening of an item by staff, every attachment download, every
// identity reveal (with its reason) and every account change in their unit
// and the units below, newest first. The log itself is append-only and
// hash-chained in the database; this page only reads it.
type AuditPage struct {
	Base
	// Item narrows the log to one item (?thu=ID).
	Item    string
	Records []AuditRow
	Limit   int
}

func (*AuditPage) templateName() string { return "audit.html" }

// AuditRow is one audit record as the page shows it.
type AuditRow struct {
	At, Action, Who, Unit, Reason string
	// Item is the item's id and ItemHref its page, when the record is about one.
	Item, ItemHref string
	// Reveal marks an identity reveal, which the page highlights.
	Reveal bool
}

const auditLimit = 200

// auditLog answers GET /can-bo/nhat-ky.
func (s *Server) auditLog(w http.ResponseWriter, r *http.Request, sess *homthu.Session) error {
	item := strings.TrimSpace(r.URL.Query().Get("thu"))
	if len(item) > 64 {
		return homthu.Errorf(homthu.EINVALID, "Mã thư, đơn không hợp lệ.")
	}
	recs, err := s.app.AuditLog(r.Context(), sess, item, auditLimit)
	if err != nil {
		return err
	}
	p := &AuditPage{Base: staffBase("Nhật ký truy cập", sess), Item: item, Limit: auditLimit}
	names := unitNames{s: s, ctx: r.Context(), m: map[string]string{}}
	for _, rec := range recs {
		row := AuditRow{At: vnTime(rec.At), Action: rec.ActionLabel(), Who: rec.ActorName, Unit: names.get(rec.Unit),
			Reason: rec.Reason, Item: rec.Item, Reveal: rec.Action == homthu.AuditIdentityReveal}
		if row.Who == "" {
			row.Who = "Hệ thống"
		}
		if rec.Item != "" {
			row.ItemHref = "/can-bo/thu/" + rec.Item
		}
		p.Records = append(p.Records, row)
	}
	return s.renderOK(w, r, p)
}

// unitNames looks unit names up once per page.
type unitNames struct {
	s   *Server
	ctx context.Context
	m   map[string]string
}

func (n unitNames) get(code string) string {
	if code == "" {
		return ""
	}
	if name, ok := n.m[code]; ok {
		return name
	}
	name := code
	if u, err := n.s.app.Store.FindUnit(n.ctx, code); err == nil {
		name = u.FullName
	}
	n.m[code] = name
	return name
}
