package cli

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"

	"homthu/internal/app"
	"homthu/internal/homthu"
	"homthu/internal/secret"
	"homthu/internal/store"
	"homthu/internal/upload"
)

// openStore opens and migrates the database the config names, and
// installs the shipped catalogues it lacks.
func openStore(ctx context.Context, c *Config) (*store.Store, error) {
	s, err := store.Open(ctx, c.databaseURL())
	if err != nil {
		return nil, fmt.Errorf("mở cơ sở dữ liệu: %w", err)
	}
	if err := s.Migrate(ctx); err != nil {
		s.Close()
		return nil, err
	}
	// The shipped catalogues of standards (the 27, the 19) are part of a
	// working database: installed once, never over an existing catalogue.
	if _, err := s.InstallShippedCatalogs(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// loadKeys reads (or creates) the keys and checks them against the
// fingerprints recorded in the database: the first process to start records
// them, and a process with other keys refuses to start.
func loadKeys(ctx context.Context, c *Config, s *store.Store) (*secret.Keys, error) {
	rk, err := secret.LoadOrCreate(c.Data, secret.ReceiptKeyFile, c.ReceiptKey)
	if err != nil {
		return nil, err
	}
	ik, err := secret.LoadOrCreate(c.Data, secret.IdentityKeyFile, c.IdentityKey)
	if err != nil {
		return nil, err
	}
	for _, k := range []struct {
		name string
		key  []byte
	}{{"receipt", rk}, {"identity", ik}} {
		if err := checkFingerprint(ctx, s, k.name, secret.Fingerprint(k.name, k.key)); err != nil {
			return nil, err
		}
	}
	old, err := secret.LoadOldIdentity(c.Data, ik)
	if err != nil {
		return nil, err
	}
	return &secret.Keys{Receipt: rk, Identity: ik, OldIdentity: old}, nil
}

func checkFingerprint(ctx context.Context, s *store.Store, name, fp string) error {
	stored, err := s.SetSettingOnce(ctx, "key_fingerprint_"+name, fp)
	if err != nil {
		return err
	}
	if stored != fp {
		return homthu.Errorf(homthu.EINVALID,
			"khóa %s (dấu vân tay %s) không khớp với khóa mà cơ sở dữ liệu này đã ghi nhận (%s). "+
				"Mọi máy chủ dùng chung một cơ sở dữ liệu phải dùng cùng các khóa: hãy chép tệp khóa từ thư mục dữ liệu của máy chủ đầu tiên, "+
				"hoặc đặt HOMTHU_%s_KEY. (key mismatch: refusing to start)", name, fp, stored, upper(name))
	}
	return nil
}

func upper(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'a' && c <= 'z' {
			b[i] = c - 32
		}
	}
	return string(b)
}

// newApp builds the application on an open store.
func newApp(ctx context.Context, c *Config, s *store.Store, stderr io.Writer) (*app.App, error) {
	keys, err := loadKeys(ctx, c, s)
	if err != nil {
		return nil, err
	}
	tl, err := newTransLog(ctx, c, s)
	if err != nil {
		return nil, err
	}
	// One instance on SQLite counts in memory; instances on PostgreSQL
	// share their counts through it (serve runs the sharing loop).
	var limiter app.Limiter = &app.MemLimiter{}
	if s.Engine() == "postgres" {
		limiter = &app.SharedLimiter{Store: s, Log: slog.New(slog.NewTextHandler(stderr, nil))}
	}
	return &app.App{
		Limiter:    limiter,
		TransLog:   tl,
		RateLimit:  c.RateLimit,
		Store:      s,
		Keys:       keys,
		Blobs:      &upload.Blobs{Dir: filepath.Join(c.Data, "blobs")},
		Log:        slog.New(slog.NewTextHandler(stderr, nil)),
		SessionTTL: c.SessionTTL,
		IdleTTL:    c.IdleTTL,
	}, nil
}
