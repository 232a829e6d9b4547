package mail

import (
	"bytes"
	"context"
	"crypto/rand"
	"log/slog"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"homthu/internal/jobs"
	"homthu/internal/secret"
	"homthu/internal/store"
	"homthu/internal/store/storetest"
)

func testKeys() *secret.Keys {
	k := &secret.Keys{Receipt: make([]byte, 32), Identity: make([]byte, 32)}
	rand.Read(k.Receipt)
	rand.Read(k.Identity)
	return k
}

// logBuffer collects a logger's output.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// run starts a runner with the sender's handlers until the test ends.
func run(t *testing.T, s *store.Store, snd *Sender, log *slog.Logger) func() {
	r := jobs.New(s, jobs.Options{Log: log, Backoff: func(int) time.Duration { return 20 * time.Millisecond }})
	snd.Register(r)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { r.Run(ctx); close(done) }()
	var once sync.Once
	stop := func() { once.Do(func() { cancel(); <-done }) }
	t.Cleanup(stop)
	return stop
}

func enqueue(t *testing.T, s *store.Store, fn func(tx *store.Tx) error) {
	t.Helper()
	if err := s.Transact(context.Background(), fn); err != nil {
		t.Fatal(err)
	}
}

// waitState waits until every job of the queue is in state.
func waitState(t *testing.T, s *store.Store, state string) []*store.JobInfo {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		js, _, err := s.ListJobs(context.Background(), store.JobFilter{KindPrefix: KindPrefix})
		if err != nil {
			t.Fatal(err)
		}
		all := len(js) > 0
		for _, j := range js {
			all = all && j.State == state
		}
		if all {
			return js
		}
		if time.Now().After(deadline) {
			for _, j := range js {
				t.Logf("job %d %s: %s attempts %d error %q", j.ID, j.Kind, j.State, j.Attempts, j.LastError)
			}
			t.Fatalf("queue not all %s", state)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

const site = "https://hopthu.example.vn"

// TestSendThroughMailpit sends a submitter's news mail and a staff mail
// through a real SMTP server in each TLS mode (with authentication over
// STARTTLS), and reads what arrived: Vietnamese subject and text, proper
// MIME headers, nothing of the item in the submitter's mail, and the
// addresses erased from the queue once sent.
func TestSendThroughMailpit(t *testing.T) {
	for _, tt := range []struct {
		mode string
		auth bool
	}{{TLSNone, false}, {TLSStartTLS, true}, {TLSImplicit, false}} {
		t.Run(tt.mode, func(t *testing.T) {
			cert, key := selfSigned(t, t.TempDir())
			var flags []string
			switch tt.mode {
			case TLSStartTLS:
				flags = []string{"--smtp-tls-cert", cert, "--smtp-tls-key", key, "--smtp-require-starttls"}
			case TLSImplicit:
				flags = []string{"--smtp-tls-cert", cert, "--smtp-tls-key", key, "--smtp-require-tls"}
			}
			if tt.auth {
				flags = append(flags, "--smtp-auth-accept-any")
			}
			mp := startMailpit(t, flags...)
			cfg := Config{Host: "127.0.0.1", Port: mp.SMTPPort, TLS: tt.mode, From: "Hòm thư góp ý <hopthu@example.vn>", SiteURL: site + "/"}
			if tt.mode != TLSNone {
				cfg.CAFile = cert
			}
			if tt.auth {
				cfg.Username, cfg.Password = "homthu", "mật-khẩu"
			}
			keys := testKeys()
			snd, err := NewSender(cfg, keys, nil)
			if err != nil {
				t.Fatal(err)
			}
			s := storetest.Open(t, "sqlite")
			ctx := context.Background()
			enqueue(t, s, func(tx *store.Tx) error {
				if err := EnqueueSubmitter(ctx, tx, keys, "item-7k2m", "nguoi.dan@example.vn"); err != nil {
					return err
				}
				// A second piece of news for the same item: still one mail.
				if err := EnqueueSubmitter(ctx, tx, keys, "item-7k2m", "nguoi.dan@example.vn"); err != nil {
					return err
				}
				if err := EnqueueStaff(ctx, tx, keys, StaffMail{To: "can.bo@example.vn", Subject: "Nhắc mở hòm thư tháng 5/2026",
					Text: "Hòm thư góp ý của Thôn Đông đến hạn mở ngày 15/5/2026.", Link: "/can-bo/thong-bao"}); err != nil {
					return err
				}
				// An editor's answer, posted twice with one form key: one mail.
				for range 2 {
					if err := EnqueueEditorial(ctx, tx, keys, EditorialReply{To: "lan@example.vn", Subject: "Sửa tên phường",
						Text: "Kính gửi Lan,\n\nĐã sửa.\n\n> Xin sửa lại.", Key: "7:k1"}); err != nil {
						return err
					}
				}
				return nil
			})
			// Submitter mail waits for more news; make it due now.
			if _, err := s.RetryJobsNow(ctx, KindPrefix); err != nil {
				t.Fatal(err)
			}
			run(t, s, snd, nil)
			ms := mp.waitMessages(t, 3)
			time.Sleep(200 * time.Millisecond)
			if ms = mp.messages(t); len(ms) != 3 {
				t.Fatalf("mailpit received %d messages, want 3 (one per recipient)", len(ms))
			}
			byTo := map[string]message{}
			for _, m := range ms {
				if len(m.To) != 1 {
					t.Fatalf("message %s has %d recipients", m.ID, len(m.To))
				}
				byTo[m.To[0].Address] = m
			}
			sub, staff, ed := byTo["nguoi.dan@example.vn"], byTo["can.bo@example.vn"], byTo["lan@example.vn"]
			if ed.Subject != "Trả lời: Sửa tên phường" || !strings.Contains(ed.Text, "Đã sửa.") || !strings.Contains(ed.Text, "Ban biên tập") ||
				strings.Contains(ed.Text, "mục \"Thông báo\"") {
				t.Errorf("editorial mail: subject %q text %q", ed.Subject, ed.Text)
			}
			if sub.Subject != SubmitterSubject || !strings.Contains(sub.Text, site+"/tra-cuu") || strings.Contains(sub.Text, "item-7k2m") {
				t.Errorf("submitter mail: subject %q text %q", sub.Subject, sub.Text)
			}
			if sub.From.Address != "hopthu@example.vn" || sub.From.Name != "Hòm thư góp ý" {
				t.Errorf("From = %+v", sub.From)
			}
			if staff.Subject != "Nhắc mở hòm thư tháng 5/2026" || !strings.Contains(staff.Text, "Thôn Đông đến hạn mở") ||
				!strings.Contains(staff.Text, "Xem tại: "+site+"/can-bo/thong-bao") {
				t.Errorf("staff mail: subject %q text %q", staff.Subject, staff.Text)
			}
			h := mp.headers(t, sub.ID)
			for name, want := range map[string]string{
				"Content-Type":              "text/plain; charset=UTF-8",
				"Content-Transfer-Encoding": "quoted-printable",
				"Auto-Submitted":            "auto-generated",
				"Mime-Version":              "1.0",
			} {
				if got := strings.Join(h[name], ","); !strings.EqualFold(got, want) {
					t.Errorf("header %s = %q, want %q", name, got, want)
				}
			}
			// The subject travels encoded (RFC 2047), never as raw 8-bit bytes.
			if raw := mp.raw(t, sub.ID); !strings.Contains(raw, "=?UTF-8?q?C=C3=B3_tin_m=E1=BB=9Bi") ||
				!strings.Contains(strings.ToLower(raw), "from: =?utf-8?q?h=c3=b2m_th=c6=b0") || !regexp.MustCompile(`Message-ID: <[a-z0-9]+@example\.vn>`).MatchString(raw) ||
				!strings.Contains(raw, "+0700") {
				t.Errorf("raw headers do not encode the subject and sender name:\n%s", raw[:min(len(raw), 800)])
			}
			if len(h["Message-Id"]) != 1 || len(h["Date"]) != 1 {
				t.Errorf("headers lack Message-ID or Date: %v", h)
			}
			for _, j := range waitState(t, s, store.JobDone) {
				if !j.Erased {
					t.Errorf("job %d sent: secret not erased", j.ID)
				}
			}
		})
	}
}

// TestMailServerDown: with the mail server unreachable nothing is lost:
// the mail waits, each failure is logged as a warning and kept (without the
// address) for the status page; once a working server is configured and
// the queue retried, it is sent.
func TestMailServerDown(t *testing.T) {
	mp := startMailpit(t)
	keys := testKeys()
	s := storetest.Open(t, "sqlite")
	ctx := context.Background()
	enqueue(t, s, func(tx *store.Tx) error {
		return EnqueueStaff(ctx, tx, keys, StaffMail{To: "can.bo@example.vn", Subject: "Quá hạn xử lý", Text: "Có 3 thư, đơn quá hạn."})
	})
	var logs logBuffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	down, err := NewSender(Config{Host: "127.0.0.1", Port: freePort(t), TLS: TLSNone, From: "hopthu@example.vn", SiteURL: site, Timeout: time.Second}, keys, log)
	if err != nil {
		t.Fatal(err)
	}
	stop := run(t, s, down, log)
	deadline := time.Now().Add(30 * time.Second)
	var st []store.JobKindStats
	for {
		st, err = s.JobStats(ctx, KindPrefix)
		if err != nil {
			t.Fatal(err)
		}
		if len(st) == 1 && st[0].Failing == 1 && st[0].LastError != "" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no failure recorded: %+v", st)
		}
		time.Sleep(20 * time.Millisecond)
	}
	stop()
	if !strings.Contains(st[0].LastError, "máy chủ thư 127.0.0.1:") || strings.Contains(st[0].LastError, "can.bo@") {
		t.Errorf("kept error = %q: want the server named and no address", st[0].LastError)
	}
	if l := logs.String(); !strings.Contains(l, "level=WARN") || !strings.Contains(l, "mail:") || strings.Contains(l, "can.bo@") {
		t.Errorf("log = %q: want a warning without the address", l)
	}

	up, err := NewSender(Config{Host: "127.0.0.1", Port: mp.SMTPPort, TLS: TLSNone, From: "hopthu@example.vn", SiteURL: site}, keys, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.RetryJobsNow(ctx, KindPrefix); err != nil {
		t.Fatal(err)
	}
	run(t, s, up, nil)
	if ms := mp.waitMessages(t, 1); ms[0].Subject != "Quá hạn xử lý" {
		t.Errorf("sent after the server came back: %q", ms[0].Subject)
	}
	waitState(t, s, store.JobDone)
}

// TestMailRecipientRefused: a recipient the server refuses for good (5xx)
// fails the mail at once, visibly, and its address is erased.
func TestMailRecipientRefused(t *testing.T) {
	mp := startMailpit(t, "--smtp-allowed-recipients", `^allowed@`)
	keys := testKeys()
	s := storetest.Open(t, "sqlite")
	ctx := context.Background()
	enqueue(t, s, func(tx *store.Tx) error {
		return EnqueueStaff(ctx, tx, keys, StaffMail{To: "refused@example.vn", Subject: "Thử", Text: "Thử."})
	})
	snd, err := NewSender(Config{Host: "127.0.0.1", Port: mp.SMTPPort, TLS: TLSNone, From: "hopthu@example.vn", SiteURL: site}, keys, nil)
	if err != nil {
		t.Fatal(err)
	}
	run(t, s, snd, nil)
	js := waitState(t, s, store.JobFailed)
	if j := js[0]; j.Attempts != 1 || !j.Erased || strings.Contains(j.LastError, "refused@") || !strings.Contains(j.LastError, "từ chối") {
		t.Errorf("refused mail: attempts %d erased %v error %q", j.Attempts, j.Erased, j.LastError)
	}
}

// TestNotConfigured: without SMTP no handler is registered, so mail stays
// waiting — never dropped.
func TestNotConfigured(t *testing.T) {
	snd, err := NewSender(Config{}, testKeys(), nil)
	if err != nil {
		t.Fatal(err)
	}
	r := jobs.New(storetest.Open(t, "sqlite"), jobs.Options{})
	snd.Register(r)
	if k := r.Kinds(); len(k) != 0 || snd.Configured() || r.Label(KindStaff) != "Thư gửi cán bộ" {
		t.Errorf("an unconfigured sender registered %v", k)
	}
}

func TestConfigCheck(t *testing.T) {
	ok := Config{Host: "smtp.example.vn", From: "Hòm thư <a@example.vn>", SiteURL: site}
	for _, tt := range []struct {
		name  string
		edit  func(c *Config)
		valid bool
		port  int
	}{
		{"defaults", func(c *Config) {}, true, 587},
		{"implicit TLS", func(c *Config) { c.TLS = TLSImplicit }, true, 465},
		{"none", func(c *Config) { c.TLS = TLSNone }, true, 25},
		{"explicit port", func(c *Config) { c.Port = 2525 }, true, 2525},
		{"nothing", func(c *Config) { *c = Config{} }, true, 0},
		{"bad mode", func(c *Config) { c.TLS = "ssl" }, false, 0},
		{"bad port", func(c *Config) { c.Port = 70000 }, false, 0},
		{"no from", func(c *Config) { c.From = "" }, false, 0},
		{"bad from", func(c *Config) { c.From = "không phải địa chỉ" }, false, 0},
		{"no site", func(c *Config) { c.SiteURL = "" }, false, 0},
		{"site not http", func(c *Config) { c.SiteURL = "hopthu.example.vn" }, false, 0},
		{"password without user", func(c *Config) { c.Password = "x" }, false, 0},
		{"missing CA file", func(c *Config) { c.CAFile = "/nonexistent.pem" }, false, 0},
	} {
		c := ok
		tt.edit(&c)
		err := c.Check()
		if (err == nil) != tt.valid || (err == nil && c.Port != tt.port) {
			t.Errorf("%s: Check() = %v, port %d; want valid %v port %d", tt.name, err, c.Port, tt.valid, tt.port)
		}
	}
}

func TestCheckAddressAndRedact(t *testing.T) {
	for _, tt := range []struct {
		in, want string
		ok       bool
	}{
		{"a@example.vn", "a@example.vn", true},
		{"  nguyen.van.a@mttq.vn ", "nguyen.van.a@mttq.vn", true},
		{"", "", false},
		{"không có", "", false},
		{"A <a@example.vn>", "", false},
		{"a@example.vn\r\nBcc: b@example.vn", "", false},
		{"a@b@c", "", false},
	} {
		got, err := CheckAddress(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("CheckAddress(%q) = %q, %v", tt.in, got, err)
		}
	}
	for in, want := range map[string]string{
		"550 5.1.1 <x.y@example.vn>: Recipient rejected, affected recipient(s): x.y@example.vn": "550 5.1.1 <địa chỉ>: Recipient rejected, affected recipient(s): <địa chỉ>",
		"dial tcp 127.0.0.1:25: connection refused":                                             "dial tcp 127.0.0.1:25: connection refused",
	} {
		if got := Redact(in); got != want {
			t.Errorf("Redact(%q) = %q, want %q", in, got, want)
		}
	}
}
