package cli

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"homthu/internal/api"
	"homthu/internal/app"
	"homthu/internal/web"
)

// buildHandler assembles every route of the server: the JSON API, the
// transparency log, the pages and /healthz, behind the security middleware.
func buildHandler(ctx context.Context, c *Config, a *app.App, log *slog.Logger) (http.Handler, error) {
	mux := http.NewServeMux()
	mux.Handle("/api/", (&api.API{App: a, Log: log}).Handler())
	mux.Handle("/log/", http.StripPrefix("/log", a.TransLog.Handler()))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
		defer cancel()
		w.Header().Set("Cache-Control", "no-store")
		if err := a.Store.Ping(ctx); err != nil {
			http.Error(w, "cơ sở dữ liệu không trả lời", http.StatusServiceUnavailable)
			return
		}
		w.Write([]byte("ok\n"))
	})
	ps, err := parseProxies(c.TrustedProxies)
	if err != nil {
		return nil, err
	}
	pages, err := web.New(web.Config{App: a, SecureCookies: c.SecureCookies, TrustedProxies: ps, Log: log, Retention: c.Retention,
		SiteURL: c.SMTP.SiteURL})
	if err != nil {
		return nil, err
	}
	mux.Handle("/", pages.Handler())
	return withClient(ps, securityHeaders(crossOrigin(mux))), nil
}
