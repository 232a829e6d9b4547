package mail

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"

	"homthu/internal/homthu"
	"homthu/internal/jobs"
	"homthu/internal/secret"
	"homthu/internal/store"
)

// TLS modes of Config.TLS.
const (
	TLSStartTLS = "starttls" // plain connection upgraded by STARTTLS, which is required (RFC 3207); port 587
	TLSImplicit = "tls"      // TLS from the first byte (RFC 8314 "implicit TLS"); port 465
	TLSNone     = "none"     // no encryption: only for a relay on the same machine or network; port 25
)

// Config is the mail server. The field comments are the reference
// documentation; `homthu serve` fills it from --smtp-* flags and
// HOMTHU_SMTP_* variables (internal/cli/config.go).
type Config struct {
	// Host is the SMTP server's name (--smtp-host, HOMTHU_SMTP_HOST).
	// Empty: no mail is sent, it waits in the queue.
	Host string
	// Port is the server's port (--smtp-port, HOMTHU_SMTP_PORT); 0 means
	// the mode's usual port: 587 for starttls, 465 for tls, 25 for none.
	Port int
	// TLS is the mode (--smtp-tls, HOMTHU_SMTP_TLS): "starttls" (default),
	// "tls" (implicit TLS) or "none". With TLS the server's certificate is
	// verified against the system's roots, or CAFile.
	TLS string
	// CAFile is a PEM file of certificate authorities to trust for the
	// server instead of the system's (--smtp-ca-file, HOMTHU_SMTP_CA_FILE),
	// for a mail server with an internal certificate.
	CAFile string
	// Username and Password authenticate to the server (--smtp-username,
	// HOMTHU_SMTP_USERNAME; HOMTHU_SMTP_PASSWORD or --smtp-password-file,
	// never a flag: a flag shows in the process list). The mechanism is
	// the best the server offers (SCRAM, CRAM-MD5, PLAIN…); PLAIN and
	// LOGIN only over TLS.
	Username, Password string
	// From is the sender (--smtp-from, HOMTHU_SMTP_FROM), e.g.
	// "Hòm thư góp ý <hopthu@mattran.ninhbinh.vn>". Required with Host.
	From string
	// SiteURL is the site's public address (--site-url, HOMTHU_SITE_URL),
	// e.g. https://hopthu.mattran.ninhbinh.vn: mail tells people where to
	// look. Required with Host.
	SiteURL string
	// Timeout bounds connecting and each SMTP command; 0 means 30 s.
	Timeout time.Duration
}

// Configured reports whether mail is to be sent at all.
func (c *Config) Configured() bool { return c.Host != "" }

// Check validates the configuration, with a Vietnamese message naming the
// setting to fix.
func (c *Config) Check() error {
	if !c.Configured() {
		return nil
	}
	switch c.TLS {
	case "":
		c.TLS = TLSStartTLS
	case TLSStartTLS, TLSImplicit, TLSNone:
	default:
		return homthu.Errorf(homthu.EINVALID, "HOMTHU_SMTP_TLS (--smtp-tls) = %q: chỉ nhận starttls, tls hoặc none.", c.TLS)
	}
	if c.Port == 0 {
		c.Port = map[string]int{TLSStartTLS: 587, TLSImplicit: 465, TLSNone: 25}[c.TLS]
	}
	if c.Port < 1 || c.Port > 65535 {
		return homthu.Errorf(homthu.EINVALID, "HOMTHU_SMTP_PORT (--smtp-port) = %d: cổng phải từ 1 đến 65535.", c.Port)
	}
	if c.From == "" {
		return homthu.Errorf(homthu.EINVALID, "Đã đặt máy chủ thư (HOMTHU_SMTP_HOST) nhưng chưa đặt địa chỉ gửi: HOMTHU_SMTP_FROM (--smtp-from), ví dụ \"Hòm thư góp ý <hopthu@example.vn>\".")
	}
	if err := gomail.NewMsg().From(c.From); err != nil {
		return homthu.Errorf(homthu.EINVALID, "HOMTHU_SMTP_FROM = %q không phải một địa chỉ thư hợp lệ.", c.From)
	}
	u, err := url.Parse(c.SiteURL)
	if c.SiteURL == "" || err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return homthu.Errorf(homthu.EINVALID, "Đã đặt máy chủ thư nhưng HOMTHU_SITE_URL (--site-url) = %q chưa phải địa chỉ trang web (ví dụ https://hopthu.example.vn): thư cần chỉ cho người nhận nơi tra cứu.", c.SiteURL)
	}
	if c.Password != "" && c.Username == "" {
		return homthu.Errorf(homthu.EINVALID, "Có mật khẩu SMTP nhưng thiếu HOMTHU_SMTP_USERNAME (--smtp-username).")
	}
	if c.CAFile != "" {
		if _, err := c.rootCAs(); err != nil {
			return err
		}
	}
	return nil
}

func (c *Config) rootCAs() (*x509.CertPool, error) {
	b, err := os.ReadFile(c.CAFile)
	if err != nil {
		return nil, homthu.Errorf(homthu.EINVALID, "Không đọc được HOMTHU_SMTP_CA_FILE %q: %v", c.CAFile, err)
	}
	p := x509.NewCertPool()
	if !p.AppendCertsFromPEM(b) {
		return nil, homthu.Errorf(homthu.EINVALID, "HOMTHU_SMTP_CA_FILE %q không chứa chứng chỉ PEM nào.", c.CAFile)
	}
	return p, nil
}

// Sender sends the queued mail.
type Sender struct {
	cfg  Config
	keys *secret.Keys
	log  *slog.Logger
	tls  *tls.Config
	site string
}

// NewSender checks cfg and returns a sender. A zero Config (no Host) is
// valid: Register then registers nothing and mail waits in the queue.
func NewSender(cfg Config, keys *secret.Keys, log *slog.Logger) (*Sender, error) {
	if err := cfg.Check(); err != nil {
		return nil, err
	}
	if log == nil {
		log = slog.Default()
	}
	s := &Sender{cfg: cfg, keys: keys, log: log, site: strings.TrimRight(cfg.SiteURL, "/")}
	if cfg.Configured() {
		s.tls = &tls.Config{ServerName: cfg.Host, MinVersion: tls.VersionTLS12}
		if cfg.CAFile != "" {
			pool, err := cfg.rootCAs()
			if err != nil {
				return nil, err
			}
			s.tls.RootCAs = pool
		}
	}
	return s, nil
}

// Configured reports whether the sender sends (SMTP is configured).
func (s *Sender) Configured() bool { return s.cfg.Configured() }

// Server describes the server for people: "smtp.example.vn:587 (STARTTLS)".
func (s *Sender) Server() string {
	if !s.Configured() {
		return ""
	}
	mode := map[string]string{TLSStartTLS: "STARTTLS", TLSImplicit: "TLS", TLSNone: "không mã hóa"}[s.cfg.TLS]
	return fmt.Sprintf("%s:%d (%s)", s.cfg.Host, s.cfg.Port, mode)
}

// Label is the Vietnamese name of a kind of the queue (the kind itself
// for others).
func Label(kind string) string {
	switch kind {
	case KindSubmitter:
		return "Thư báo tin cho người phản ánh"
	case KindStaff:
		return "Thư gửi cán bộ"
	case KindEditorial:
		return "Thư trả lời của ban biên tập"
	}
	return kind
}

// Register registers the queue's handlers on r when SMTP is configured.
// Without it, nothing is registered: the mail stays waiting, and a process
// that has SMTP (another serve on PostgreSQL, or this one restarted with
// it) sends it.
func (s *Sender) Register(r *jobs.Runner) {
	r.SetLabel(KindSubmitter, Label(KindSubmitter))
	r.SetLabel(KindStaff, Label(KindStaff))
	r.SetLabel(KindEditorial, Label(KindEditorial))
	if !s.Configured() {
		return
	}
	r.Handle(KindSubmitter, s.handle)
	r.Handle(KindStaff, s.handle)
	r.Handle(KindEditorial, s.handle)
}

// handle sends the mail of one job.
func (s *Sender) handle(ctx context.Context, j *jobs.Job) error {
	if j.Secret == nil {
		return jobs.Permanent(errors.New("thư không còn địa chỉ người nhận"))
	}
	b, err := s.keys.Open(j.Secret, store.JobSecretAD(j.Kind, j.Key))
	if err != nil {
		return jobs.Permanent(fmt.Errorf("không mở được địa chỉ người nhận đã mã hóa: %w", err))
	}
	var m sealed
	if err := json.Unmarshal(b, &m); err != nil {
		return jobs.Permanent(fmt.Errorf("dữ liệu thư hỏng: %w", err))
	}
	msg, err := s.message(j.Kind, &m)
	if err != nil {
		return jobs.Permanent(errors.New(Redact(err.Error())))
	}
	if err := s.send(ctx, msg); err != nil {
		text := Redact(err.Error())
		var se *gomail.SendError
		if errors.As(err, &se) && !se.IsTemp() && se.Reason == gomail.ErrSMTPRcptTo {
			// The server refused this recipient for good (5xx): retrying
			// cannot help.
			s.log.Warn("mail: máy chủ thư từ chối hẳn người nhận; thư này không gửi lại", "server", s.Server(), "kind", j.Kind, "err", text)
			return jobs.Permanent(errors.New("máy chủ thư từ chối người nhận: " + text))
		}
		s.log.Warn("mail: gửi thư không được; thư vẫn trong hàng đợi và sẽ được gửi lại",
			"server", s.Server(), "kind", j.Kind, "attempt", j.Attempt, "of", j.MaxAttempts, "err", text)
		return errors.New("máy chủ thư " + s.Server() + ": " + text)
	}
	return nil
}

// send delivers one message over a fresh connection.
func (s *Sender) send(ctx context.Context, msg *gomail.Msg) error {
	timeout := s.cfg.Timeout
	if timeout == 0 {
		timeout = 30 * time.Second
	}
	opts := []gomail.Option{gomail.WithPort(s.cfg.Port), gomail.WithTimeout(timeout), gomail.WithTLSConfig(s.tls)}
	switch s.cfg.TLS {
	case TLSImplicit:
		opts = append(opts, gomail.WithSSL())
	case TLSNone:
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	default:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	}
	if s.cfg.Username != "" {
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover),
			gomail.WithUsername(s.cfg.Username), gomail.WithPassword(s.cfg.Password))
	}
	c, err := gomail.NewClient(s.cfg.Host, opts...)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, 2*timeout)
	defer cancel()
	return c.DialAndSendWithContext(ctx, msg)
}

// message builds the MIME message: UTF-8 plain text, quoted-printable,
// with a UTF-8 subject (RFC 2047) and Auto-Submitted (RFC 3834), so that
// out-of-office replies are not sent back.
func (s *Sender) message(kind string, m *sealed) (*gomail.Msg, error) {
	msg := gomail.NewMsg(gomail.WithCharset(gomail.CharsetUTF8), gomail.WithEncoding(gomail.EncodingQP), gomail.WithNoDefaultUserAgent())
	if err := msg.From(s.cfg.From); err != nil {
		return nil, fmt.Errorf("địa chỉ gửi: %w", err)
	}
	if err := msg.To(m.To); err != nil {
		return nil, fmt.Errorf("địa chỉ nhận: %w", err)
	}
	subject, body := s.content(kind, m)
	msg.Subject(subject)
	msg.SetGenHeader("Auto-Submitted", "auto-generated")
	msg.SetGenHeader("X-Auto-Response-Suppress", "All")
	msg.SetGenHeader("Content-Language", "vi")
	// Message-ID under the sender's domain; Date in Vietnam's time.
	domain := "homthu.invalid"
	if at := strings.LastIndex(s.cfg.From, "@"); at >= 0 {
		domain = strings.TrimRight(s.cfg.From[at+1:], "> ")
	}
	msg.SetMessageIDWithValue(strings.ToLower(rand.Text()) + "@" + domain)
	msg.SetDateWithValue(time.Now().In(homthu.VNTime))
	msg.SetBodyString(gomail.TypeTextPlain, body)
	return msg, nil
}

// content is a mail's subject and text. A submitter's mail is the same for
// everyone: it says there is news, and where to read it with the receipt.
func (s *Sender) content(kind string, m *sealed) (subject, body string) {
	if kind == KindSubmitter {
		return SubmitterSubject, fmt.Sprintf(submitterText, s.site+"/tra-cuu")
	}
	if kind == KindEditorial {
		return m.Subject, strings.TrimSpace(m.Text) + "\n\n" + editorialFooter
	}
	body = strings.TrimSpace(m.Text)
	if m.Link != "" {
		body += "\n\nXem tại: " + s.site + m.Link
	}
	return m.Subject, body + "\n\n" + staffFooter
}

// SubmitterSubject is the subject of every mail to a submitter.
const SubmitterSubject = "Có tin mới về phản ánh của bạn"

// submitterText is the body of every mail to a submitter, with the
// tracking page's address.
const submitterText = `Xin chào bạn,

Phản ánh, kiến nghị mà bạn đã gửi đến Mặt trận Tổ quốc qua hòm thư góp ý vừa có tin mới.

Để xem, xin mở trang tra cứu:
%s
và nhập mã tra cứu bạn đã nhận khi gửi.

Vì sự an toàn của bạn, thư này không ghi mã tra cứu và không nhắc đến nội dung phản ánh. Không ai ở Mặt trận hỏi mã tra cứu của bạn qua thư hay điện thoại. Nếu bạn không gửi phản ánh nào, xin bỏ qua thư này.

Đây là thư tự động, xin đừng trả lời thư này.

Hòm thư góp ý — Mặt trận Tổ quốc Việt Nam`

// editorialFooter ends every answer of the editorial board.
const editorialFooter = `—
Ban biên tập — Hòm thư góp ý của Mặt trận Tổ quốc Việt Nam. Thư này trả lời thư bạn gửi qua mục "Gửi ban biên tập"; nếu cần trao đổi thêm, xin gửi thư mới qua mục đó.`

// staffFooter ends every mail to staff.
const staffFooter = `—
Thư tự động của Hòm thư góp ý (Mặt trận Tổ quốc Việt Nam). Thông báo này cũng có trong mục "Thông báo" khi bạn đăng nhập. Xin đừng trả lời thư này.`
