// Package web serves homthu's HTML pages: the citizen's flows (find the
// residential area, send feedback, keep the receipt, follow it up, download
// the proof that the letter is in the transparency log, check such a proof
// on /minh-bach) and the staff's pages (the inbox and items, the identity
// step-up, their account with its second factor, the audit log, the staff
// accounts). routes.go lists every page with the permission it needs.
//
// Every page is rendered on the server from an embedded html/template and a
// typed page struct, and works without JavaScript on a 390-px phone and on
// old browsers (Chrome 109 on Windows 7). The one small script in static/
// only adds comfort: a live area search, a print button and a warning before
// leaving the receipt page. Nothing is inline, so the Content-Security-Policy
// forbids inline script and style.
//
// A receipt (mã tra cứu) never travels in a URL: tracking and replying are
// POST forms, and the receipt page is the answer to the POST that created
// the item (DESIGN.md: "their receipt stored only hashed"; issue 3).
package web

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"time"

	"homthu/internal/api"
	"homthu/internal/app"
	"homthu/internal/homthu"
)

// Config is what New needs. The field comments are the documentation.
type Config struct {
	// App runs the flows (submit, track, staff inbox). Its Store is used for
	// the unit search and the inbox counts, its Keys to authenticate the
	// attachments a re-rendered form carries, its Blobs to store them.
	App *app.App
	// SecureCookies sets the Secure attribute on the staff session cookie
	// for every request. Without it, the attribute is set when the request
	// came over TLS, or with "X-Forwarded-Proto: https" from an address in
	// TrustedProxies.
	SecureCookies bool
	// TrustedProxies are the reverse proxies whose X-Forwarded-Proto header
	// is believed. Empty: the header is ignored.
	TrustedProxies []netip.Prefix
	// Log receives internal errors (never a receipt, an identity or a client
	// address). Nil means the App's logger, else slog.Default().
	Log *slog.Logger
	// Now is the clock, for tests. Nil means time.Now.
	Now func() time.Time
	// SiteURL is the site's public address ("https://hopthu.example.vn"),
	// for the news feeds; empty: the address the request came to.
	SiteURL string
	// Retention is how long after an item is closed its submitter's
	// identity and attachments are kept (serve's --retention). The notice a
	// named submitter reads before consenting states it; zero leaves the
	// period out of the notice rather than state a wrong one.
	Retention time.Duration
}

// Server serves the HTML pages.
type Server struct {
	app     *app.App
	cfg     Config
	log     *slog.Logger
	pages   map[string]*template.Template
	static  *staticFiles
	handler http.Handler
}

// New parses the templates and builds the routes. It fails if a template
// does not parse, so that a broken template stops the server at start-up
// rather than on a citizen's request.
func New(cfg Config) (*Server, error) {
	if cfg.App == nil || cfg.App.Store == nil || cfg.App.Keys == nil {
		return nil, errors.New("web.New: Config.App with a Store and Keys is required")
	}
	s := &Server{app: cfg.App, cfg: cfg, log: cfg.Log}
	if s.log == nil {
		s.log = cfg.App.Log
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	var err error
	if s.static, err = loadStatic(); err != nil {
		return nil, fmt.Errorf("web.New: %w", err)
	}
	if s.pages, err = parsePages(s.funcs()); err != nil {
		return nil, fmt.Errorf("web.New: %w", err)
	}
	s.handler = s.secure(s.routes())
	return s, nil
}

// Handler returns the handler of every page, to be mounted at "/". It sets
// its own security headers (CSP, Referrer-Policy, Cache-Control) and
// refuses cross-origin state-changing requests.
func (s *Server) Handler() http.Handler { return s.handler }

func (s *Server) now() time.Time {
	if s.cfg.Now != nil {
		return s.cfg.Now()
	}
	return time.Now()
}

// contentSecurityPolicy allows nothing inline and nothing from elsewhere.
// img-src allows data: for nothing of ours today but keeps the door open for
// a PNG QR code; inline SVG needs no source at all.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"frame-ancestors 'none'; form-action 'self'; base-uri 'none'; object-src 'none'"

// secure sets the headers every answer carries and refuses cross-origin
// POSTs (Go's CrossOriginProtection, on Sec-Fetch-Site and Origin). Pages
// default to Cache-Control: no-store — most of them show a receipt, an
// item, or what a person typed; static files override it.
func (s *Server) secure(next http.Handler) http.Handler {
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.renderError(w, r, homthu.Errorf(homthu.EFORBIDDEN,
			"Yêu cầu này đến từ một trang web khác nên bị từ chối. Xin mở trực tiếp trang của hòm thư rồi thử lại."))
	}))
	protected := cop.Handler(next)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		// No page of ours should tell another site where the reader came
		// from: a citizen's visit to a news site must not reveal that they
		// just used the mailbox.
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cache-Control", "no-store")
		protected.ServeHTTP(w, r)
	})
}

// handlerFunc is a page handler. It returns an error instead of writing
// one; handle renders it.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// handle adapts a handlerFunc: an error becomes the error page with the
// error's Vietnamese message and the status its code maps to.
func (s *Server) handle(h handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			s.renderError(w, r, err)
		}
	})
}

// statusOf is the HTTP status of err (nil: 200), by the API's mapping.
func statusOf(err error) int {
	if err == nil {
		return http.StatusOK
	}
	return api.StatusOf(homthu.ErrorCode(err))
}

// logIfInternal logs an internal error. The log line holds the route
// pattern, never the path or query (which could hold a search a person
// typed) nor the client's address (issue 5: no access log of citizens).
func (s *Server) logIfInternal(r *http.Request, err error) {
	if homthu.ErrorCode(err) == homthu.EINTERNAL {
		s.log.Error("web: internal error", "route", r.Pattern, "err", err)
	}
}

// renderError renders the error page.
func (s *Server) renderError(w http.ResponseWriter, r *http.Request, err error) {
	s.logIfInternal(r, err)
	p := &ErrorPage{Status: statusOf(err), Message: homthu.ErrorMessage(err)}
	if errors.Is(err, errMethod) {
		p.Status = http.StatusMethodNotAllowed
	}
	p.Title = p.Heading()
	p.Staff = strings.HasPrefix(r.URL.Path, "/can-bo/")
	s.render(w, r, p.Status, p)
}

// render executes a page's template into a buffer and writes it with the
// status; a template error becomes a plain 500 (never half a page).
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, p page) {
	t := s.pages[p.templateName()]
	if b := p.base(); b.User != nil && b.Staff {
		// The staff menu shows the unread notices on every page.
		var err error
		if b.Unread, err = s.app.UnreadNotices(r.Context(), &homthu.Session{User: b.User}); err != nil {
			s.log.Error("web: count unread notices", "err", err)
		}
	}
	var buf bytes.Buffer
	if t == nil {
		s.log.Error("web: no template", "template", p.templateName())
		http.Error(w, "Lỗi nội bộ", http.StatusInternalServerError)
		return
	}
	if err := t.ExecuteTemplate(&buf, "layout", p); err != nil {
		s.log.Error("web: render", "template", p.templateName(), "err", err)
		http.Error(w, "Lỗi nội bộ", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		w.Write(buf.Bytes())
	}
}

// overTLS reports whether the request reached us, or the trusted proxy in
// front of us, over TLS.
func (s *Server) overTLS(r *http.Request) bool {
	if s.cfg.SecureCookies || r.TLS != nil {
		return true
	}
	if r.Header.Get("X-Forwarded-Proto") != "https" || len(s.cfg.TrustedProxies) == 0 {
		return false
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	addr, err := netip.ParseAddr(host)
	if err != nil {
		return false
	}
	addr = addr.Unmap()
	for _, p := range s.cfg.TrustedProxies {
		if p.Contains(addr) {
			return true
		}
	}
	return false
}

// notFound is the answer to every path no route matches.
func (s *Server) notFound(w http.ResponseWriter, r *http.Request) error {
	return homthu.Errorf(homthu.ENOTFOUND, "Không có trang này. Xin kiểm tra lại địa chỉ, hoặc quay về trang chủ.")
}
