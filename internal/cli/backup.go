package cli

import (
	"bufio"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"homthu/internal/backup"
	"homthu/internal/homthu"
	"homthu/internal/secret"
	"homthu/internal/store"
)

// minPassphrase is the shortest passphrase --encrypt accepts. argon2id makes
// each guess cost a quarter of a second, which does not save a short one.
const minPassphrase = 12

func runBackup(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	var c Config
	fs := newFlags("backup", "backup --out FILE [--encrypt] [--with-keys] [--data DIR] [--database URL]\n\n"+
		"Writes one file: the whole database, read in one consistent snapshot while the\n"+
		"server keeps running, and the attachments of DIR/blobs. It restores into either\n"+
		"engine (homthu restore), so it is also the way from SQLite to PostgreSQL.\n"+
		"With --encrypt the file is encrypted (argon2id, XChaCha20-Poly1305) under a\n"+
		"passphrase read from HOMTHU_BACKUP_PASSPHRASE, else from the first line of\n"+
		"standard input. The key files (receipt.key, identity.key, log.key) are NOT\n"+
		"included unless --with-keys is given, which needs --encrypt: keep them apart,\n"+
		"a backup without its keys cannot reveal identities. --out - writes to standard\n"+
		"output.", stderr)
	c.storageFlags(fs)
	out := fs.String("out", "", "tệp sao lưu cần ghi (- là đầu ra chuẩn)")
	encrypt := fs.Bool("encrypt", false, "mã hóa bằng cụm mật khẩu (HOMTHU_BACKUP_PASSPHRASE, hoặc dòng đầu của đầu vào chuẩn)")
	withKeys := fs.Bool("with-keys", false, "kèm các tệp khóa của thư mục dữ liệu; chỉ cùng --encrypt (mặc định: không kèm)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 0 || *out == "" {
		fs.Usage()
		return errUsage
	}
	if *withKeys && !*encrypt {
		return homthu.Errorf(homthu.EINVALID, "--with-keys chỉ dùng cùng --encrypt: tệp khóa không bao giờ nằm trong bản sao lưu không mã hóa.")
	}
	opt := backup.Options{Data: c.Data, WithKeys: *withKeys}
	if *encrypt {
		p, err := readPassphrase(stdin)
		if err != nil {
			return err
		}
		if len([]rune(p)) < minPassphrase {
			return homthu.Errorf(homthu.EINVALID, "Cụm mật khẩu phải có ít nhất %d ký tự.", minPassphrase)
		}
		opt.Passphrase = p
	}
	if c.Database == "" {
		if _, err := os.Stat(c.databaseURL()); err != nil {
			return homthu.Errorf(homthu.ENOTFOUND, "Không có cơ sở dữ liệu %s (thư mục dữ liệu --data đúng chưa?).", c.databaseURL())
		}
	}
	// No Migrate: a backup records the database as it is.
	s, err := store.Open(ctx, c.databaseURL())
	if err != nil {
		return fmt.Errorf("mở cơ sở dữ liệu: %w", err)
	}
	defer s.Close()

	start := time.Now()
	summary := stdout
	var m *backup.Manifest
	var size int64
	if *out == "-" {
		summary = stderr
		cw := &countingWriter{w: stdout}
		bw := bufio.NewWriterSize(cw, 1<<20)
		if m, err = backup.Create(ctx, bw, s, opt); err != nil {
			return err
		}
		if err := bw.Flush(); err != nil {
			return err
		}
		size = cw.n
	} else {
		if m, size, err = writeBackupFile(ctx, *out, s, opt); err != nil {
			return err
		}
	}
	how := "không mã hóa"
	if *encrypt {
		how = "mã hóa"
	}
	fmt.Fprintf(summary, "Đã sao lưu cơ sở dữ liệu %s (lược đồ phiên bản %d) vào %s (%s, %s).\n",
		m.Engine, m.SchemaVersion, *out, formatBytes(size), how)
	fmt.Fprintf(summary, "%d bảng, %d dòng, %d tệp đính kèm (%s), trong %.1f giây.\n",
		len(m.Tables), m.Rows(), m.Blobs.Count, formatBytes(m.Blobs.Bytes), time.Since(start).Seconds())
	if len(m.Keys) > 0 {
		fmt.Fprintf(summary, "Có kèm %d tệp khóa: giữ cụm mật khẩu cẩn mật như chính các khóa.\n", len(m.Keys))
	} else {
		fmt.Fprintf(summary, "Không kèm tệp khóa (receipt.key, identity.key, log.key): hãy sao lưu chúng riêng, ở nơi an toàn.\n")
	}
	return nil
}

// writeBackupFile writes the archive to a temporary file beside path and
// renames it into place once it is complete and synced: a backup that
// failed half-way never looks like a backup. The file is 0600.
func writeBackupFile(ctx context.Context, path string, s *store.Store, opt backup.Options) (*backup.Manifest, int64, error) {
	f, err := os.CreateTemp(filepath.Dir(path), ".homthu-backup-*")
	if err != nil {
		return nil, 0, fmt.Errorf("tạo tệp sao lưu: %w", err)
	}
	defer os.Remove(f.Name()) // fails harmlessly after the rename
	cw := &countingWriter{w: f}
	bw := bufio.NewWriterSize(cw, 1<<20)
	m, err := backup.Create(ctx, bw, s, opt)
	if err == nil {
		err = bw.Flush()
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		return nil, 0, err
	}
	return m, cw.n, nil
}

func runRestore(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	var c Config
	fs := newFlags("restore", "restore FILE [--data DIR] [--database URL]\n\n"+
		"Restores a backup made by homthu backup into an EMPTY database: a new SQLite\n"+
		"file (a new --data directory) or a new PostgreSQL database or schema, of either\n"+
		"engine. The whole file is checked first (passphrase, integrity, row counts and\n"+
		"SHA-256 of every table); a damaged file or a wrong passphrase changes nothing.\n"+
		"The database is then loaded in one transaction, and the attachments (and key\n"+
		"files, if the backup has them) are written into DIR. An encrypted backup asks\n"+
		"for its passphrase like backup does: HOMTHU_BACKUP_PASSPHRASE, else the first\n"+
		"line of standard input.", stderr)
	c.storageFlags(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	// The file may come before or after the flags.
	var path string
	if fs.NArg() > 0 {
		path = fs.Arg(0)
		if err := parse(fs, fs.Args()[1:]); err != nil {
			return err
		}
	}
	if path == "" || fs.NArg() != 0 {
		fs.Usage()
		return errUsage
	}
	start := time.Now()
	f, err := os.Open(path)
	if err != nil {
		return homthu.Errorf(homthu.ENOTFOUND, "Không mở được tệp sao lưu %s.", path)
	}
	defer f.Close()
	encrypted, err := backup.Encrypted(f)
	if err != nil {
		return fmt.Errorf("đọc tệp sao lưu: %w", err)
	}
	passphrase := ""
	if encrypted {
		if passphrase, err = readPassphrase(stdin); err != nil {
			return unchanged(err)
		}
	}
	m, err := backup.Verify(bufio.NewReaderSize(f, 1<<20), passphrase)
	if err != nil {
		return unchanged(err)
	}
	engine := "sqlite"
	if strings.HasPrefix(c.Database, "postgres://") || strings.HasPrefix(c.Database, "postgresql://") {
		engine = "postgres"
	}
	if v, err := store.SchemaVersion(engine); err != nil {
		return err
	} else if v != m.SchemaVersion {
		return unchanged(homthu.Errorf(homthu.EINVALID, "Bản sao lưu có lược đồ phiên bản %d, còn chương trình này tạo lược đồ phiên bản %d. "+
			"Hãy khôi phục bằng đúng phiên bản homthu đã tạo bản sao lưu, rồi nâng cấp chương trình.", m.SchemaVersion, v))
	}

	created := false // a SQLite file this restore creates, removed if it fails
	if c.Database == "" {
		_, err := os.Stat(c.databaseURL())
		created = errors.Is(err, os.ErrNotExist)
	}
	s, err := store.Open(ctx, c.databaseURL())
	if err != nil {
		return fmt.Errorf("mở cơ sở dữ liệu: %w", err)
	}
	err = s.CheckEmpty(ctx)
	if err == nil {
		err = s.Migrate(ctx)
	}
	if err == nil {
		_, err = f.Seek(0, io.SeekStart)
	}
	if err == nil {
		err = backup.Restore(ctx, bufio.NewReaderSize(f, 1<<20), passphrase, m, s, c.Data)
	}
	if err == nil {
		// SQLite's full-text index of documents is not in a backup.
		err = s.RebuildDocumentIndex(ctx)
	}
	if err != nil {
		s.Close()
		if created {
			for _, suffix := range []string{"", "-wal", "-shm"} {
				os.Remove(c.databaseURL() + suffix)
			}
		}
		return unchanged(err)
	}
	defer s.Close()
	fmt.Fprintf(stdout, "Đã khôi phục %s (%s, lược đồ phiên bản %d, tạo lúc %s) vào cơ sở dữ liệu %s.\n",
		path, m.Engine, m.SchemaVersion, m.Created.In(homthu.VNTime).Format("15:04 02/01/2006"), s.Engine())
	fmt.Fprintf(stdout, "%d bảng, %d dòng, %d tệp đính kèm (%s), %d tệp khóa, trong %.1f giây.\n",
		len(m.Tables), m.Rows(), m.Blobs.Count, formatBytes(m.Blobs.Bytes), len(m.Keys), time.Since(start).Seconds())
	return checkRestoredKeys(ctx, &c, s, stdout)
}

// checkRestoredKeys tells whether the data directory now has the keys the
// restored database was made with (their fingerprints are in its
// settings): without them serve refuses to start, and identities cannot be
// decrypted.
func checkRestoredKeys(ctx context.Context, c *Config, s *store.Store, w io.Writer) error {
	for _, k := range []struct{ label, file, given string }{
		{"receipt", secret.ReceiptKeyFile, c.ReceiptKey},
		{"identity", secret.IdentityKeyFile, c.IdentityKey},
	} {
		want, ok, err := s.Setting(ctx, "key_fingerprint_"+k.label)
		if err != nil {
			return err
		}
		if !ok {
			continue
		}
		text := k.given
		if text == "" {
			b, err := os.ReadFile(filepath.Join(c.Data, k.file))
			if err != nil {
				fmt.Fprintf(w, "Chú ý: chưa có khóa %s trong %s. Hãy chép tệp khóa của máy cũ vào đó "+
					"(hoặc đặt HOMTHU_%s_KEY) trước khi chạy homthu serve.\n", k.file, c.Data, upper(k.label))
				continue
			}
			text = string(b)
		}
		key, err := base64.StdEncoding.DecodeString(strings.TrimSpace(text))
		if fp := secret.Fingerprint(k.label, key); err != nil || fp != want {
			fmt.Fprintf(w, "Chú ý: khóa %s hiện có không phải khóa mà cơ sở dữ liệu này dùng (dấu vân tay %s); homthu serve sẽ từ chối chạy.\n", k.file, want)
		}
	}
	return nil
}

// unchanged adds to a person-facing error that nothing was changed; a
// failed restore rolls back and removes what it wrote.
func unchanged(err error) error {
	if homthu.ErrorCode(err) == homthu.EINTERNAL {
		return err
	}
	return fmt.Errorf("%w: %w", homthu.Errorf(homthu.ErrorCode(err), "%s Chưa có gì bị thay đổi.", homthu.ErrorMessage(err)), err)
}

// readPassphrase returns HOMTHU_BACKUP_PASSPHRASE if set, else the first
// line of stdin.
func readPassphrase(stdin io.Reader) (string, error) {
	if p, ok := os.LookupEnv("HOMTHU_BACKUP_PASSPHRASE"); ok && p != "" {
		return p, nil
	}
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && err != io.EOF {
		return "", fmt.Errorf("đọc cụm mật khẩu: %w", err)
	}
	p := strings.TrimRight(line, "\r\n")
	if p == "" {
		return "", homthu.Errorf(homthu.EINVALID, "Cần cụm mật khẩu: đặt HOMTHU_BACKUP_PASSPHRASE, hoặc đưa nó vào dòng đầu của đầu vào chuẩn.")
	}
	return p, nil
}

type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// formatBytes writes a size in the units a person reads (1 MB = 10⁶ bytes).
func formatBytes(n int64) string {
	switch {
	case n >= 1e9:
		return fmt.Sprintf("%.1f GB", float64(n)/1e9)
	case n >= 1e6:
		return fmt.Sprintf("%.1f MB", float64(n)/1e6)
	case n >= 1e3:
		return fmt.Sprintf("%.1f kB", float64(n)/1e3)
	}
	return fmt.Sprintf("%d byte", n)
}
