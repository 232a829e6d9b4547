// Package backup writes and restores homthu's backups: one file holding a
// consistent, engine-independent copy of the database (store.Snapshot), the
// attachments of the data directory and, when asked, its key files,
// optionally encrypted under a passphrase.
//
// The archive is a gzip'd tar (POSIX pax) of, in this order:
//
//	blobs/ab/ab12…ef               every attachment of DATA/blobs, named by its SHA-256
//	tables/NAME/000000.jsonl …     each table's rows as JSON lines (store's format), in
//	                               load order, cut into entries of about 1 MiB
//	keys/receipt.key …             the key files, only in an encrypted archive (--with-keys)
//	manifest.json                  Manifest: versions, engine, time, per-table row counts
//	                               and SHA-256 of each table stream, blob and key totals
//
// The manifest comes last because the counts and hashes are known only once
// the tables are written; a restore therefore reads the archive twice: once
// to verify all of it (Verify), once to load it (Restore). Encrypted
// archives wrap the whole gzip stream (see crypt.go).
package backup

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"time"

	"homthu/internal/homthu"
	"homthu/internal/secret"
	"homthu/internal/store"
	"homthu/internal/upload"
)

// Format is the manifest's format version. A restore refuses any other.
const Format = "homthu-backup/1"

// Manifest describes an archive; it is its last entry, manifest.json.
type Manifest struct {
	Format        string    `json:"format"`
	SchemaVersion int       `json:"schema_version"` // the highest migration applied
	Engine        string    `json:"engine"`         // of origin: "sqlite" or "postgres"
	Created       time.Time `json:"created"`        // when the snapshot was taken
	Tables        []Table   `json:"tables"`         // in load order
	Blobs         Blobs     `json:"blobs"`
	Keys          []Key     `json:"keys,omitempty"`

	raw      []byte    // as read, to compare the two passes of a restore
	unlocked *unlocked // the keys Verify derived, for Restore
}

// Table is one table stream of an archive.
type Table struct {
	Name     string   `json:"name"`
	Columns  []string `json:"columns"`
	Rows     int64    `json:"rows"`
	SHA256   string   `json:"sha256"` // of the whole stream, hex
	Sequence int64    `json:"sequence,omitempty"`
}

// Blobs totals the attachments of an archive; each is checked against its
// name, which is its SHA-256.
type Blobs struct {
	Count int64 `json:"count"`
	Bytes int64 `json:"bytes"`
}

// Key is a key file of an archive.
type Key struct {
	Name   string `json:"name"`
	SHA256 string `json:"sha256"`
}

// Rows is the number of rows in all tables.
func (m *Manifest) Rows() int64 {
	var n int64
	for _, t := range m.Tables {
		n += t.Rows
	}
	return n
}

// KeyFiles are the key files of a data directory: the receipt HMAC key, the
// identity encryption key and the transparency log's signing key
// (cli.LogKeyFile). WithKeys backs them up, and with them the identity keys
// of a rotation (identity.key.new, identity.key.<fingerprint>.retired),
// without which values sealed under them could not be opened.
func KeyFiles() []string {
	return []string{secret.ReceiptKeyFile, secret.IdentityKeyFile, "log.key"}
}

var rotationKey = regexp.MustCompile(`^` + regexp.QuoteMeta(secret.IdentityKeyFile) + `\.(new|[0-9a-f]{16}\.retired)$`)

// isKeyFile reports whether name, a file of the data directory, is a key.
func isKeyFile(name string) bool {
	return slices.Contains(KeyFiles(), name) || rotationKey.MatchString(name)
}

// Options are Create's options.
type Options struct {
	// Data is the data directory: its blobs/ are backed up, and with
	// WithKeys its key files.
	Data string
	// Passphrase, when not empty, encrypts the archive.
	Passphrase string
	// WithKeys adds the key files (KeyFiles) found in Data. It needs a
	// Passphrase: the keys decrypt identities and forge receipts, and must
	// never lie in an archive in clear.
	WithKeys bool
	// KDF are argon2id's costs; zero means the default.
	KDF KDFParams
}

const (
	tableChunk  = 1 << 20
	maxManifest = 64 << 20
	maxKeyFile  = 64 << 10
)

// Create writes an archive of s and opt.Data to w and returns its manifest.
// The database is read in one snapshot; the attachments are listed after
// the snapshot is taken, so every attachment the snapshot refers to is
// there (attachments are stored before the rows that name them).
func Create(ctx context.Context, w io.Writer, s *store.Store, opt Options) (*Manifest, error) {
	if opt.WithKeys && opt.Passphrase == "" {
		return nil, homthu.Errorf(homthu.EINVALID, "Chỉ sao lưu tệp khóa (--with-keys) vào bản sao lưu được mã hóa (--encrypt).")
	}
	out := w
	var enc io.WriteCloser
	if opt.Passphrase != "" {
		var err error
		if enc, err = newEncrypter(w, opt.Passphrase, opt.KDF); err != nil {
			return nil, fmt.Errorf("backup.Create: %w", err)
		}
		out = enc
	}
	gz := gzip.NewWriter(out)
	tw := tar.NewWriter(gz)

	sn, err := s.Snapshot(ctx)
	if err != nil {
		return nil, fmt.Errorf("backup.Create: %w", err)
	}
	defer sn.Close()
	m := &Manifest{Format: Format, SchemaVersion: sn.Version, Engine: sn.Engine, Created: time.Now().UTC()}
	a := &archiveWriter{tw: tw, mod: m.Created}

	if err := a.blobs(filepath.Join(opt.Data, "blobs"), &m.Blobs); err != nil {
		return nil, err
	}
	for _, t := range sn.Tables {
		cw := &chunkWriter{a: a, table: t.Name}
		h := sha256.New()
		rows, err := sn.WriteTable(ctx, t.Name, io.MultiWriter(cw, h))
		if err != nil {
			return nil, fmt.Errorf("backup.Create: %w", err)
		}
		if err := cw.Close(); err != nil {
			return nil, fmt.Errorf("backup.Create: %w", err)
		}
		m.Tables = append(m.Tables, Table{Name: t.Name, Columns: t.Columns, Rows: rows,
			SHA256: hex.EncodeToString(h.Sum(nil)), Sequence: t.Sequence})
	}
	if err := sn.Close(); err != nil {
		return nil, fmt.Errorf("backup.Create: %w", err)
	}
	if opt.WithKeys {
		entries, err := os.ReadDir(opt.Data)
		if err != nil {
			return nil, fmt.Errorf("backup.Create: %w", err)
		}
		for _, e := range entries {
			name := e.Name()
			if !e.Type().IsRegular() || !isKeyFile(name) {
				continue
			}
			data, err := os.ReadFile(filepath.Join(opt.Data, name))
			if err != nil {
				return nil, fmt.Errorf("backup.Create: %w", err)
			}
			if len(data) > maxKeyFile {
				return nil, homthu.Errorf(homthu.EINVALID, "Tệp khóa %s lớn bất thường (%d byte); bản sao lưu dừng lại.", name, len(data))
			}
			if err := a.file("keys/"+name, data); err != nil {
				return nil, err
			}
			sum := sha256.Sum256(data)
			m.Keys = append(m.Keys, Key{Name: name, SHA256: hex.EncodeToString(sum[:])})
		}
	}
	raw, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("backup.Create: %w", err)
	}
	m.raw = raw
	if err := a.file("manifest.json", append(raw, '\n')); err != nil {
		return nil, err
	}
	if err := tw.Close(); err != nil {
		return nil, fmt.Errorf("backup.Create: %w", err)
	}
	if err := gz.Close(); err != nil {
		return nil, fmt.Errorf("backup.Create: %w", err)
	}
	if enc != nil {
		if err := enc.Close(); err != nil {
			return nil, fmt.Errorf("backup.Create: %w", err)
		}
	}
	return m, nil
}

// archiveWriter writes tar entries.
type archiveWriter struct {
	tw  *tar.Writer
	mod time.Time
}

func (a *archiveWriter) header(name string, size int64) error {
	err := a.tw.WriteHeader(&tar.Header{Typeflag: tar.TypeReg, Name: name, Size: size, Mode: 0o600,
		ModTime: a.mod, Format: tar.FormatPAX})
	if err != nil {
		return fmt.Errorf("backup.Create: %s: %w", name, err)
	}
	return nil
}

func (a *archiveWriter) file(name string, data []byte) error {
	if err := a.header(name, int64(len(data))); err != nil {
		return err
	}
	if _, err := a.tw.Write(data); err != nil {
		return fmt.Errorf("backup.Create: %s: %w", name, err)
	}
	return nil
}

// blobs adds every attachment under dir (upload.Blobs' layout), checking
// each against its name on the way.
func (a *archiveWriter) blobs(dir string, total *Blobs) error {
	fans, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	} else if err != nil {
		return fmt.Errorf("backup.Create: %w", err)
	}
	for _, fan := range fans {
		if !fan.IsDir() || len(fan.Name()) != 2 {
			continue
		}
		files, err := os.ReadDir(filepath.Join(dir, fan.Name()))
		if err != nil {
			return fmt.Errorf("backup.Create: %w", err)
		}
		for _, f := range files {
			h := f.Name()
			if !f.Type().IsRegular() || !upload.ValidHash(h) || h[:2] != fan.Name() {
				continue // temporary files of an upload in progress, and strangers
			}
			n, err := a.blob(filepath.Join(dir, fan.Name(), h), h)
			if err != nil {
				return err
			}
			total.Count++
			total.Bytes += n
		}
	}
	return nil
}

func (a *archiveWriter) blob(path, h string) (int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, fmt.Errorf("backup.Create: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return 0, fmt.Errorf("backup.Create: %w", err)
	}
	if err := a.header(blobEntry(h), fi.Size()); err != nil {
		return 0, err
	}
	sum := sha256.New()
	n, err := io.Copy(a.tw, io.TeeReader(io.LimitReader(f, fi.Size()), sum))
	if err != nil {
		return n, fmt.Errorf("backup.Create: %s: %w", path, err)
	}
	if n != fi.Size() || hex.EncodeToString(sum.Sum(nil)) != h {
		return n, homthu.Errorf(homthu.EINVALID, "Tệp đính kèm %s bị hỏng: nội dung không khớp với mã SHA-256 của nó. "+
			"Bản sao lưu dừng lại; hãy khôi phục tệp này từ một bản sao lưu trước.", path)
	}
	return n, nil
}

func blobEntry(h string) string { return "blobs/" + h[:2] + "/" + h }

// chunkWriter cuts a table stream into tar entries of about tableChunk
// bytes: a tar entry's size must be known before its data, and a table's
// stream is not, so it is buffered a chunk at a time (never on disk: the
// rows are personal data).
type chunkWriter struct {
	a     *archiveWriter
	table string
	buf   bytes.Buffer
	n     int
}

func (c *chunkWriter) Write(p []byte) (int, error) {
	c.buf.Write(p)
	if c.buf.Len() >= tableChunk {
		if err := c.flush(); err != nil {
			return 0, err
		}
	}
	return len(p), nil
}

func (c *chunkWriter) flush() error {
	err := c.a.file(tableEntry(c.table, c.n), c.buf.Bytes())
	c.n++
	c.buf.Reset()
	return err
}

// Close writes what is left, and one empty entry for an empty table, so
// that every table has at least one entry.
func (c *chunkWriter) Close() error {
	if c.buf.Len() > 0 || c.n == 0 {
		return c.flush()
	}
	return nil
}

func tableEntry(table string, n int) string { return fmt.Sprintf("tables/%s/%06d.jsonl", table, n) }

// Errors of a restore. Test them with errors.Is; the error itself carries
// a Vietnamese message with the detail (homthu.ErrorMessage).
var (
	// ErrPassphrase: the passphrase is wrong, or the header is damaged.
	ErrPassphrase = errors.New("backup: wrong passphrase")
	// ErrDamaged: the archive is damaged, truncated or tampered with.
	ErrDamaged = errors.New("backup: archive damaged")
	// ErrNotBackup: the file is not a homthu backup.
	ErrNotBackup = errors.New("backup: not a backup")
)

func wrongPassphrase() error {
	return fmt.Errorf("%w: %w", homthu.Errorf(homthu.EINVALID, "Sai cụm mật khẩu của bản sao lưu (hoặc phần đầu tệp đã bị hỏng)."), ErrPassphrase)
}

func damaged(detail string) error {
	return fmt.Errorf("%w: %w", homthu.Errorf(homthu.EINVALID, "Tệp sao lưu bị hỏng, bị cắt cụt hoặc đã bị sửa đổi: %s.", detail), ErrDamaged)
}

func notBackup() error {
	return fmt.Errorf("%w: %w", homthu.Errorf(homthu.EINVALID, "Tệp này không phải bản sao lưu của homthu."), ErrNotBackup)
}
