package cli

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"homthu/internal/mail"
)

// Config is homthu's configuration. Each field is set by a flag, else by its
// HOMTHU_* environment variable, else by its default. The field comments are
// the reference documentation (the README points here).
type Config struct {
	// Addr is the address to listen on (--addr, HOMTHU_ADDR). Default 127.0.0.1:8080.
	Addr string
	// Data is the data directory (--data, HOMTHU_DATA), default ./homthu-data.
	// It holds the SQLite database (homthu.db), the key files (receipt.key,
	// identity.key, log.key) and the attachments (blobs/). Several `homthu
	// serve` processes sharing one PostgreSQL database must all mount the same
	// directory as --data (for the attachments), or be given the same keys
	// by configuration.
	Data string
	// Database is a PostgreSQL URL (--database, HOMTHU_DATABASE_URL), e.g.
	// postgres://homthu@db/homthu. Empty means SQLite in Data/homthu.db.
	Database string
	// ReceiptKey, IdentityKey (base64, 32 bytes) and LogKey (a note signer
	// key, "PRIVATE+KEY+…") replace the key files when given
	// (HOMTHU_RECEIPT_KEY, HOMTHU_IDENTITY_KEY, HOMTHU_LOG_KEY).
	ReceiptKey, IdentityKey, LogKey string
	// LogOrigin is the origin line of the transparency log's checkpoints
	// (--log-origin, HOMTHU_LOG_ORIGIN), default "homthu.local/log"; it is
	// fixed when the log key is created.
	LogOrigin string
	// LogWitnesses are the verifier keys (comma-separated, C2SP
	// tlog-cosignature) of the witnesses whose cosignatures the log accepts
	// and serves with its checkpoints (HOMTHU_LOG_WITNESSES).
	LogWitnesses string
	// CheckpointEvery is how often the transparency log signs a checkpoint
	// when it has grown (--checkpoint-every, HOMTHU_CHECKPOINT_EVERY), default 30s.
	CheckpointEvery time.Duration
	// SessionTTL is a staff session's absolute lifetime (HOMTHU_SESSION_TTL,
	// default 12h); IdleTTL how long it lasts unused (HOMTHU_IDLE_TTL, default 30m).
	SessionTTL, IdleTTL time.Duration
	// Demo loads the demo data into an empty database at start (--demo).
	Demo bool
	// RateLimit is how many citizen requests one client address may make a
	// minute (--rate-limit, HOMTHU_RATE_LIMIT), default 300: generous, since
	// a whole commune may come through one mobile carrier's address. 0 turns
	// the per-address and per-receipt limits off (for load tests); the
	// password lock-out stays on.
	RateLimit int
	// TrustedProxies lists the reverse proxies (comma-separated IPs or
	// CIDRs; --trusted-proxies, HOMTHU_TRUSTED_PROXIES) whose
	// X-Forwarded-For and X-Forwarded-Proto are believed. Default none: the
	// client is the peer address.
	TrustedProxies string
	// TLSCert and TLSKey are PEM files (--tls-cert, --tls-key,
	// HOMTHU_TLS_CERT, HOMTHU_TLS_KEY); with both, serve speaks HTTPS and
	// sends HSTS.
	TLSCert, TLSKey string
	// ACMEDomains (--acme, HOMTHU_ACME), comma-separated, makes serve obtain
	// and renew certificates itself by ACME (TLS-ALPN-01 on its own
	// listener, which must then be port 443 reachable from the internet);
	// they are cached in Data/acme.
	ACMEDomains string
	// Retention is how long after an item is closed its submitter's identity
	// and its attachments are kept (--retention, HOMTHU_RETENTION), default
	// 43800h (5 years); 0 keeps them for ever. The item's text, its thread
	// and its commitment in the transparency log stay.
	Retention time.Duration
	// SecureCookies forces the Secure attribute on cookies (HOMTHU_SECURE_COOKIES);
	// it is on anyway when a request arrives over TLS.
	SecureCookies bool
	// SMTP is the mail server that sends the mail queue (serve only; every
	// field is documented on internal/mail.Config): --smtp-host,
	// --smtp-port, --smtp-tls (starttls, tls, none), --smtp-ca-file,
	// --smtp-username, --smtp-password-file, --smtp-from and --site-url,
	// or HOMTHU_SMTP_HOST, HOMTHU_SMTP_PORT, HOMTHU_SMTP_TLS,
	// HOMTHU_SMTP_CA_FILE, HOMTHU_SMTP_USERNAME, HOMTHU_SMTP_PASSWORD,
	// HOMTHU_SMTP_FROM and HOMTHU_SITE_URL. Without a host no mail is sent:
	// it waits in the queue, and the status page /can-bo/he-thong says so.
	SMTP mail.Config
}

func envOr(name, def string) string {
	if v, ok := os.LookupEnv(name); ok {
		return v
	}
	return def
}

func envDuration(name string, def time.Duration) time.Duration {
	if v, ok := os.LookupEnv(name); ok {
		if d, err := time.ParseDuration(v); err == nil {
			return d
		}
		fmt.Fprintf(os.Stderr, "homthu: %s=%q is not a duration (e.g. 30s, 12h); using %v\n", name, v, def)
	}
	return def
}

func envInt(name string, def int) int {
	if v, ok := os.LookupEnv(name); ok {
		if n, err := strconv.Atoi(v); err == nil {
			return n
		}
		fmt.Fprintf(os.Stderr, "homthu: %s=%q is not a number; using %d\n", name, v, def)
	}
	return def
}

func envBool(name string) bool {
	b, _ := strconv.ParseBool(os.Getenv(name))
	return b
}

// storageFlags registers --data and --database on fs.
func (c *Config) storageFlags(fs *flag.FlagSet) {
	fs.StringVar(&c.Data, "data", envOr("HOMTHU_DATA", "./homthu-data"), "thư mục dữ liệu (data directory; HOMTHU_DATA)")
	fs.StringVar(&c.Database, "database", envOr("HOMTHU_DATABASE_URL", ""), "URL PostgreSQL; để trống dùng SQLite trong --data (HOMTHU_DATABASE_URL)")
	c.ReceiptKey = os.Getenv("HOMTHU_RECEIPT_KEY")
	c.IdentityKey = os.Getenv("HOMTHU_IDENTITY_KEY")
	c.LogKey = os.Getenv("HOMTHU_LOG_KEY")
	c.LogOrigin = envOr("HOMTHU_LOG_ORIGIN", "homthu.local/log")
	c.SessionTTL = envDuration("HOMTHU_SESSION_TTL", 12*time.Hour)
	c.IdleTTL = envDuration("HOMTHU_IDLE_TTL", 30*time.Minute)
	c.CheckpointEvery = envDuration("HOMTHU_CHECKPOINT_EVERY", 30*time.Second)
	c.LogWitnesses = os.Getenv("HOMTHU_LOG_WITNESSES")
	c.SecureCookies = envBool("HOMTHU_SECURE_COOKIES")
	c.Retention = envDuration("HOMTHU_RETENTION", 5*365*24*time.Hour)
}

// databaseURL is what store.Open takes.
func (c *Config) databaseURL() string {
	if c.Database != "" {
		return c.Database
	}
	return filepath.Join(c.Data, "homthu.db")
}

// mailFlags registers the mail server's flags on fs; loadMail finishes
// the configuration after parsing.
func (c *Config) mailFlags(fs *flag.FlagSet, passwordFile *string) {
	m := &c.SMTP
	fs.StringVar(&m.Host, "smtp-host", envOr("HOMTHU_SMTP_HOST", ""), "máy chủ thư SMTP; để trống thì thư chờ trong hàng đợi (HOMTHU_SMTP_HOST)")
	fs.IntVar(&m.Port, "smtp-port", envInt("HOMTHU_SMTP_PORT", 0), "cổng SMTP; 0 là cổng thường dùng của chế độ: 587, 465 hoặc 25 (HOMTHU_SMTP_PORT)")
	fs.StringVar(&m.TLS, "smtp-tls", envOr("HOMTHU_SMTP_TLS", mail.TLSStartTLS), "mã hóa: starttls, tls (TLS ngay từ đầu) hoặc none (HOMTHU_SMTP_TLS)")
	fs.StringVar(&m.CAFile, "smtp-ca-file", envOr("HOMTHU_SMTP_CA_FILE", ""), "tệp PEM các CA tin cậy cho máy chủ thư thay cho CA của hệ thống (HOMTHU_SMTP_CA_FILE)")
	fs.StringVar(&m.Username, "smtp-username", envOr("HOMTHU_SMTP_USERNAME", ""), "tên đăng nhập SMTP (HOMTHU_SMTP_USERNAME)")
	fs.StringVar(passwordFile, "smtp-password-file", "", "tệp chứa mật khẩu SMTP; hoặc đặt HOMTHU_SMTP_PASSWORD (không có cờ mật khẩu: cờ hiện trong danh sách tiến trình)")
	fs.StringVar(&m.From, "smtp-from", envOr("HOMTHU_SMTP_FROM", ""), "địa chỉ gửi, ví dụ \"Hòm thư góp ý <hopthu@example.vn>\" (HOMTHU_SMTP_FROM)")
	fs.StringVar(&m.SiteURL, "site-url", envOr("HOMTHU_SITE_URL", ""), "địa chỉ công khai của trang, ví dụ https://hopthu.example.vn, ghi trong thư (HOMTHU_SITE_URL)")
	m.Password = os.Getenv("HOMTHU_SMTP_PASSWORD")
}

// loadMail reads the SMTP password file, if one was given.
func (c *Config) loadMail(passwordFile string) error {
	if passwordFile == "" {
		return nil
	}
	b, err := os.ReadFile(passwordFile)
	if err != nil {
		return fmt.Errorf("đọc --smtp-password-file: %w", err)
	}
	c.SMTP.Password = strings.TrimRight(string(b), "\r\n")
	return nil
}
