package cli

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"homthu/internal/homthu"
	"homthu/internal/store"
	"homthu/internal/translog"
)

// LogKeyFile is the transparency log's signer key under the data directory.
const LogKeyFile = "log.key"

// loadLogKey reads the log's note signer key from configuration or from
// DATA/log.key, creating it (with exclusive create) on first start, and
// checks its verifier key against the one the database recorded.
func loadLogKey(ctx context.Context, c *Config, s *store.Store) (string, error) {
	skey := strings.TrimSpace(c.LogKey)
	if skey == "" {
		path := filepath.Join(c.Data, LogKeyFile)
		b, err := os.ReadFile(path)
		switch {
		case err == nil:
			skey = strings.TrimSpace(string(b))
		case errors.Is(err, fs.ErrNotExist):
			gen, _, err := translog.GenerateKey(c.LogOrigin)
			if err != nil {
				return "", err
			}
			if err := os.MkdirAll(c.Data, 0o700); err != nil {
				return "", err
			}
			f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
			if errors.Is(err, fs.ErrExist) {
				return loadLogKey(ctx, c, s)
			} else if err != nil {
				return "", err
			}
			_, werr := f.WriteString(gen + "\n")
			serr := f.Sync()
			if err := errors.Join(werr, serr, f.Close()); err != nil {
				return "", err
			}
			skey = gen
		default:
			return "", err
		}
	}
	vkey, err := translog.VerifierKey(skey)
	if err != nil {
		return "", homthu.Errorf(homthu.EINVALID, "khóa ký nhật ký minh bạch không hợp lệ: %v", err)
	}
	stored, err := s.SetSettingOnce(ctx, "log_verifier_key", vkey)
	if err != nil {
		return "", err
	}
	if stored != vkey {
		return "", homthu.Errorf(homthu.EINVALID,
			"khóa ký nhật ký minh bạch (%s) không khớp với khóa cơ sở dữ liệu này đã ghi nhận (%s): mọi máy chủ dùng chung cơ sở dữ liệu phải dùng cùng tệp log.key (key mismatch: refusing to start)", vkey, stored)
	}
	return skey, nil
}

// newTransLog builds the transparency log on the store.
func newTransLog(ctx context.Context, c *Config, s *store.Store) (*translog.Log, error) {
	skey, err := loadLogKey(ctx, c, s)
	if err != nil {
		return nil, err
	}
	var witnesses []string
	for _, w := range strings.Split(c.LogWitnesses, ",") {
		if w = strings.TrimSpace(w); w != "" {
			witnesses = append(witnesses, w)
		}
	}
	l, err := translog.New(translog.Config{Store: s.TransLog(), SignerKey: skey, Witnesses: witnesses, Interval: c.CheckpointEvery})
	if err != nil {
		return nil, fmt.Errorf("nhật ký minh bạch: %w", err)
	}
	return l, nil
}
