package cli

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/crypto/acme/autocert"

	"homthu/internal/api"
	"homthu/internal/app"
	"homthu/internal/homthu"
	"homthu/internal/mail"
)

func runServe(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	var c Config
	fs := newFlags("serve", "serve [--addr HOST:PORT] [--data DIR] [--database URL] [--demo]", stderr)
	c.storageFlags(fs)
	fs.StringVar(&c.Addr, "addr", envOr("HOMTHU_ADDR", "127.0.0.1:8080"), "địa chỉ lắng nghe (listen address; HOMTHU_ADDR)")
	fs.BoolVar(&c.Demo, "demo", envBool("HOMTHU_DEMO"), "nạp dữ liệu mẫu vào cơ sở dữ liệu trống (load the demo into an empty database)")
	fs.IntVar(&c.RateLimit, "rate-limit", envInt("HOMTHU_RATE_LIMIT", 300), "số yêu cầu mỗi phút từ một địa chỉ; 0 để tắt (HOMTHU_RATE_LIMIT)")
	fs.StringVar(&c.TrustedProxies, "trusted-proxies", envOr("HOMTHU_TRUSTED_PROXIES", ""), "các proxy tin cậy, IP hoặc CIDR cách nhau bởi dấu phẩy (HOMTHU_TRUSTED_PROXIES)")
	fs.StringVar(&c.TLSCert, "tls-cert", envOr("HOMTHU_TLS_CERT", ""), "tệp chứng chỉ PEM để phục vụ HTTPS (HOMTHU_TLS_CERT)")
	fs.StringVar(&c.TLSKey, "tls-key", envOr("HOMTHU_TLS_KEY", ""), "tệp khóa riêng PEM (HOMTHU_TLS_KEY)")
	fs.StringVar(&c.ACMEDomains, "acme", envOr("HOMTHU_ACME", ""), "tên miền (cách nhau bởi dấu phẩy) để tự lấy chứng chỉ ACME, ví dụ Let's Encrypt; cần Internet và cổng 443 (HOMTHU_ACME)")
	fs.DurationVar(&c.Retention, "retention", c.Retention, "thời hạn giữ danh tính và tệp đính kèm sau khi thư đã đóng; 0 là giữ mãi (HOMTHU_RETENTION)")
	fs.DurationVar(&c.CheckpointEvery, "checkpoint-every", c.CheckpointEvery, "chu kỳ ký điểm kiểm tra của nhật ký minh bạch (HOMTHU_CHECKPOINT_EVERY)")
	var smtpPasswordFile string
	c.mailFlags(fs, &smtpPasswordFile)
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := c.loadMail(smtpPasswordFile); err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(stderr, nil))

	s, err := openStore(ctx, &c)
	if err != nil {
		return err
	}
	defer s.Close()
	a, err := newApp(ctx, &c, s, stderr)
	if err != nil {
		return err
	}
	if a.Mail, err = mail.NewSender(c.SMTP, a.Keys, log); err != nil {
		return err
	}
	if c.Demo {
		if err := loadDemo(ctx, &c, a, stdout); err != nil {
			return err
		}
	}
	h, err := buildHandler(ctx, &c, a, log)
	if err != nil {
		return err
	}

	ln, err := net.Listen("tcp", c.Addr)
	if err != nil {
		return fmt.Errorf("lắng nghe %s: %w", c.Addr, err)
	}
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       2 * time.Minute, // uploads from slow phones
		WriteTimeout:      2 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		// The server's own error log must not carry client addresses.
		ErrorLog: slog.NewLogLogger(slog.NewTextHandler(io.Discard, nil), slog.LevelError),
	}
	go housekeeping(ctx, a, c.Retention, log)
	go a.TransLog.Run(ctx)
	if sl, ok := a.Limiter.(*app.SharedLimiter); ok {
		// Its last flush runs before the store closes.
		limitCtx, stopLimit := context.WithCancel(ctx)
		limitDone := make(chan struct{})
		go func() { sl.Run(limitCtx); close(limitDone) }()
		defer func() { stopLimit(); <-limitDone }()
	}
	// The job runner stops before the store closes (defers run last first).
	runner := newRunner(ctx, a, log)
	jobsCtx, stopJobs := context.WithCancel(ctx)
	jobsDone := make(chan struct{})
	go func() { runner.Run(jobsCtx); close(jobsDone) }()
	defer func() { stopJobs(); <-jobsDone }()
	scheme := "http"
	if (c.TLSCert == "") != (c.TLSKey == "") {
		return fmt.Errorf("cần cả --tls-cert và --tls-key để phục vụ HTTPS")
	}
	if c.TLSCert != "" && c.ACMEDomains != "" {
		return fmt.Errorf("chỉ dùng một trong hai: --tls-cert/--tls-key hoặc --acme")
	}
	if c.ACMEDomains != "" {
		// ACME (RFC 8555) with the TLS-ALPN-01 challenge on this listener;
		// certificates are cached under the data directory.
		m := &autocert.Manager{
			Prompt:     autocert.AcceptTOS,
			HostPolicy: autocert.HostWhitelist(splitList(c.ACMEDomains)...),
			Cache:      autocert.DirCache(filepath.Join(c.Data, "acme")),
		}
		srv.TLSConfig = m.TLSConfig()
		c.TLSCert, c.TLSKey = "", ""
		scheme = "https"
		ln = tls.NewListener(ln, srv.TLSConfig)
	}
	if c.TLSCert != "" {
		scheme = "https"
	}
	fmt.Fprintf(stdout, "homthu đang chạy tại %s://%s (cơ sở dữ liệu: %s)\n", scheme, ln.Addr(), s.Engine())
	errc := make(chan error, 1)
	go func() {
		if c.TLSCert != "" {
			errc <- srv.ServeTLS(ln, c.TLSCert, c.TLSKey)
			return
		}
		errc <- srv.Serve(ln)
	}()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	// SIGTERM: stop accepting, let requests in flight finish.
	shut, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := srv.Shutdown(shut); err != nil {
		return fmt.Errorf("dừng máy chủ: %w", err)
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	fmt.Fprintln(stdout, "homthu đã dừng.")
	return nil
}

// housekeeping purges expired sessions, idempotency answers and rate-limit
// counters, and applies the retention period, hourly.
func housekeeping(ctx context.Context, a *app.App, retention time.Duration, log *slog.Logger) {
	s := a.Store
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		if err := s.PurgeSessions(ctx); err != nil && ctx.Err() == nil {
			log.Error("purge sessions", "err", err)
		}
		if _, err := s.PurgeIdempotency(ctx); err != nil && ctx.Err() == nil {
			log.Error("purge idempotency", "err", err)
		}
		if err := s.PurgeRateLimits(ctx); err != nil && ctx.Err() == nil {
			log.Error("purge rate limits", "err", err)
		}
		if n, err := a.Retain(ctx, retention); err != nil && ctx.Err() == nil {
			log.Error("retention", "err", err)
		} else if n > 0 {
			log.Info("retention: erased identities and attachments of closed items", "items", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// securityHeaders sets the headers every response carries.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		if h.Get("Content-Security-Policy") == "" {
			h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'")
		}
		if h.Get("Referrer-Policy") == "" {
			h.Set("Referrer-Policy", "no-referrer")
		}
		if r.TLS != nil {
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		next.ServeHTTP(w, r)
	})
}

// crossOrigin refuses state-changing requests from other origins (CSRF),
// with a JSON error under /api/ and a Vietnamese page elsewhere.
func crossOrigin(next http.Handler) http.Handler {
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		msg := "Yêu cầu bị từ chối vì đến từ một trang web khác (bảo vệ chống giả mạo yêu cầu)."
		if strings.HasPrefix(r.URL.Path, "/api/") {
			api.WriteError(w, http.StatusForbidden, homthu.EFORBIDDEN, msg)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(http.StatusForbidden)
		fmt.Fprintf(w, "<!doctype html><html lang=\"vi\"><meta charset=\"utf-8\"><title>Bị từ chối</title><p>%s <a href=\"/\">Về trang chủ</a></p></html>", msg)
	}))
	return cop.Handler(next)
}

// splitList splits a comma-separated list, dropping empty entries.
func splitList(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}
