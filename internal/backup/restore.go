package backup

import (
	"archive/tar"
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"homthu/internal/homthu"
	"homthu/internal/store"
	"homthu/internal/upload"
)

// Verify reads the whole archive from r and checks all of it: the
// encryption (every chunk authenticated, none missing), the compression,
// the order and names of the entries, every attachment against its hash,
// and every table stream's rows and SHA-256 against the manifest. It
// returns the manifest. It changes nothing anywhere; Restore relies on a
// Verify of the same file first, so that a damaged archive is refused
// before anything is written.
func Verify(r io.Reader, passphrase string) (*Manifest, error) {
	var cache unlocked
	m, err := walk(r, passphrase, visitor{}, &cache)
	if m != nil && cache.header != nil {
		m.unlocked = &cache
	}
	return m, err
}

// Restore loads the archive read from r, which Verify has checked and
// described as want, into s (migrated to want.SchemaVersion, and empty)
// and into the data directory dataDir (attachments into blobs/, key files
// beside them). The database is loaded in one transaction, committed last;
// on any failure it is rolled back and the attachments and key files that
// Restore added are removed, so that nothing has changed.
func Restore(ctx context.Context, r io.Reader, passphrase string, want *Manifest, s *store.Store, dataDir string) (err error) {
	if err := checkKeys(want, dataDir); err != nil {
		return err
	}
	tables := make([]store.BackupTable, len(want.Tables))
	for i, t := range want.Tables {
		tables[i] = store.BackupTable{Name: t.Name, Columns: t.Columns, Sequence: t.Sequence}
	}
	l, err := s.Load(ctx, want.SchemaVersion, tables)
	if err != nil {
		return err
	}
	blobs := &upload.Blobs{Dir: filepath.Join(dataDir, "blobs")}
	var newBlobs, newKeys []string
	defer func() {
		if err == nil {
			return
		}
		l.Rollback()
		for _, h := range newBlobs {
			blobs.Remove(h)
		}
		for _, k := range newKeys {
			os.Remove(k)
		}
	}()
	v := visitor{
		blob: func(h string, r io.Reader) error {
			if ok, err := blobs.Has(h); err != nil || ok {
				return err
			}
			data, err := io.ReadAll(r)
			if err != nil {
				return err
			}
			got, err := blobs.Put(data)
			if err != nil {
				return err
			}
			newBlobs = append(newBlobs, got)
			if got != h {
				return damaged("tệp đính kèm " + h + " không khớp với mã SHA-256 của nó")
			}
			return nil
		},
		table: func(t *Table, r io.Reader) error {
			n, err := l.LoadTable(ctx, t.Name, r)
			if err != nil {
				return err
			}
			if n != t.Rows {
				return damaged(fmt.Sprintf("bảng %s có %d dòng, bản kê ghi %d", t.Name, n, t.Rows))
			}
			return nil
		},
		key: func(name string, data []byte) error {
			path := filepath.Join(dataDir, name)
			created, err := writeKey(path, data)
			if created {
				newKeys = append(newKeys, path)
			}
			return err
		},
	}
	v.want = want
	got, err := walk(r, passphrase, v, want.unlocked)
	if err != nil {
		return err
	}
	if !bytes.Equal(got.raw, want.raw) {
		return damaged("tệp đã thay đổi giữa lần kiểm tra và lần khôi phục")
	}
	return l.Commit(ctx)
}

// checkKeys refuses to restore key files over different ones: the data
// directory's keys must be those of the database they serve.
func checkKeys(m *Manifest, dataDir string) error {
	for _, k := range m.Keys {
		data, err := os.ReadFile(filepath.Join(dataDir, k.Name))
		if errors.Is(err, fs.ErrNotExist) {
			continue
		} else if err != nil {
			return fmt.Errorf("backup.Restore: %w", err)
		}
		if sum := sha256.Sum256(data); hex.EncodeToString(sum[:]) != k.SHA256 {
			return homthu.Errorf(homthu.ECONFLICT, "Thư mục dữ liệu %s đã có tệp khóa %s khác với khóa trong bản sao lưu. "+
				"Hãy khôi phục vào một thư mục dữ liệu mới.", dataDir, k.Name)
		}
	}
	return nil
}

// writeKey writes a key file (0600, synced) unless it exists, and reports
// whether it created it.
func writeKey(path string, data []byte) (bool, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return false, err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return false, nil // checkKeys found it equal
	} else if err != nil {
		return false, err
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return true, err
}

// visitor receives the entries of an archive as walk reads them; a nil
// function skips (but still reads and checks) its entries.
type visitor struct {
	// blob receives an attachment named by its hash.
	blob func(h string, r io.Reader) error
	// table receives a whole table stream (all its entries).
	table func(t *Table, r io.Reader) error
	// key receives a key file.
	key func(name string, data []byte) error
	// want is the manifest the tables must follow (from an earlier
	// Verify); without it table is not called.
	want *Manifest
}

var (
	blobName  = regexp.MustCompile(`^blobs/([0-9a-f]{2})/([0-9a-f]{64})$`)
	tableName = regexp.MustCompile(`^tables/([A-Za-z0-9_]+)/([0-9]{6})\.jsonl$`)
)

// Entry kinds, in the order they must come.
const (
	phaseBlobs = iota
	phaseTables
	phaseKeys
	phaseManifest
)

// walk reads an archive from start to end, checks it, and calls v.
func walk(r io.Reader, passphrase string, v visitor, cache *unlocked) (*Manifest, error) {
	in := bufio.NewReader(r)
	head, _ := in.Peek(len(magic))
	var src io.Reader = in
	if string(head) == magic {
		if passphrase == "" {
			return nil, homthu.Errorf(homthu.EINVALID, "Bản sao lưu này được mã hóa: hãy cho cụm mật khẩu "+
				"(dòng đầu của đầu vào chuẩn, hoặc biến HOMTHU_BACKUP_PASSPHRASE).")
		}
		d, err := newDecrypter(in, passphrase, cache)
		if err != nil {
			return nil, err
		}
		src = d
	}
	// gzip reads exactly its stream from an io.ByteReader, so that what
	// follows it can be checked to be nothing.
	br := bufio.NewReader(src)
	gz, err := gzip.NewReader(br)
	if err != nil {
		if isOurs(err) {
			return nil, err
		}
		if errors.Is(err, gzip.ErrHeader) {
			return nil, notBackup()
		}
		return nil, damagedBy(err)
	}
	gz.Multistream(false)
	tr := tar.NewReader(gz)

	var (
		m        *Manifest
		phase    = phaseBlobs
		seen     []Table
		blobs    Blobs
		keys     = map[string]string{}
		pending  *tar.Header // read by a table stream, not yet handled
		finished = map[string]bool{}
	)
	next := func() (*tar.Header, error) {
		if pending != nil {
			h := pending
			pending = nil
			return h, nil
		}
		h, err := tr.Next()
		if err != nil && err != io.EOF {
			return nil, damagedBy(err)
		}
		return h, err
	}
	for {
		h, err := next()
		if err == io.EOF {
			break
		} else if err != nil {
			return nil, err
		}
		if m != nil {
			return nil, damaged("có mục " + h.Name + " sau bản kê")
		}
		if h.Typeflag != tar.TypeReg {
			return nil, damaged("mục " + h.Name + " không phải tệp thường")
		}
		name := h.Name
		switch {
		case blobName.MatchString(name):
			g := blobName.FindStringSubmatch(name)
			if phase > phaseBlobs || g[1] != g[2][:2] {
				return nil, damaged("tệp đính kèm " + name + " sai chỗ")
			}
			sum := sha256.New()
			er := &entryReader{r: io.TeeReader(tr, sum)}
			if v.blob != nil {
				if err := v.blob(g[2], er); err != nil {
					return nil, err
				}
			}
			if _, err := io.Copy(io.Discard, er); err != nil {
				return nil, err
			}
			if hex.EncodeToString(sum.Sum(nil)) != g[2] {
				return nil, damaged("tệp đính kèm " + g[2] + " không khớp với mã SHA-256 của nó")
			}
			blobs.Count++
			blobs.Bytes += h.Size
		case tableName.MatchString(name):
			g := tableName.FindStringSubmatch(name)
			if phase > phaseTables || finished[g[1]] || g[2] != "000000" {
				return nil, damaged("bảng " + g[1] + " sai chỗ")
			}
			phase = phaseTables
			finished[g[1]] = true
			ts := &tableStream{tr: tr, next: next, table: g[1], sum: sha256.New()}
			if v.want != nil && v.table != nil {
				if len(seen) >= len(v.want.Tables) || v.want.Tables[len(seen)].Name != g[1] {
					return nil, damaged("bảng " + g[1] + " không có trong bản kê hoặc sai thứ tự")
				}
				if err := v.table(&v.want.Tables[len(seen)], ts); err != nil {
					return nil, err
				}
			}
			if _, err := io.Copy(io.Discard, ts); err != nil {
				return nil, err
			}
			pending = ts.pending
			seen = append(seen, Table{Name: g[1], Rows: ts.lines, SHA256: hex.EncodeToString(ts.sum.Sum(nil))})
		case strings.HasPrefix(name, "keys/") && isKeyFile(strings.TrimPrefix(name, "keys/")):
			k := strings.TrimPrefix(name, "keys/")
			if phase > phaseKeys || keys[k] != "" || h.Size > maxKeyFile {
				return nil, damaged("tệp khóa " + k + " sai chỗ")
			}
			phase = phaseKeys
			data, err := readEntry(tr, h.Size)
			if err != nil {
				return nil, err
			}
			sum := sha256.Sum256(data)
			keys[k] = hex.EncodeToString(sum[:])
			if v.key != nil {
				if err := v.key(k, data); err != nil {
					return nil, err
				}
			}
		case name == "manifest.json":
			if h.Size > maxManifest {
				return nil, damaged("bản kê quá lớn")
			}
			phase = phaseManifest
			raw, err := readEntry(tr, h.Size)
			if err != nil {
				return nil, err
			}
			m = new(Manifest)
			if err := json.Unmarshal(raw, m); err != nil {
				return nil, damaged("bản kê không đọc được")
			}
			m.raw = bytes.TrimSpace(raw)
		default:
			return nil, damaged("mục lạ " + name)
		}
	}
	if m == nil {
		return nil, damaged("thiếu bản kê (manifest.json): tệp bị cắt cụt")
	}
	if err := drain(gz, br); err != nil {
		return nil, err
	}
	return m, check(m, seen, blobs, keys)
}

// drain reads what is left of the gzip stream (its checksum) and then
// makes sure nothing follows it; for an encrypted archive that reads, and
// authenticates, the last chunk.
func drain(gz *gzip.Reader, br *bufio.Reader) error {
	if n, err := io.Copy(io.Discard, gz); err != nil {
		return damagedBy(err)
	} else if n > 0 {
		return damaged("dữ liệu thừa sau phần lưu trữ")
	}
	if _, err := br.ReadByte(); err == nil {
		return damaged("dữ liệu thừa sau phần nén")
	} else if err != io.EOF {
		return damagedBy(err)
	}
	return nil
}

// check compares what walk read with the manifest.
func check(m *Manifest, seen []Table, blobs Blobs, keys map[string]string) error {
	if m.Format != Format {
		return homthu.Errorf(homthu.EINVALID, "Bản sao lưu có định dạng %q; chương trình này đọc %q.", m.Format, Format)
	}
	if len(seen) != len(m.Tables) {
		return damaged(fmt.Sprintf("bản kê ghi %d bảng, tệp có %d", len(m.Tables), len(seen)))
	}
	for i, t := range m.Tables {
		s := seen[i]
		switch {
		case s.Name != t.Name:
			return damaged(fmt.Sprintf("bảng thứ %d là %s, bản kê ghi %s", i+1, s.Name, t.Name))
		case s.Rows != t.Rows:
			return damaged(fmt.Sprintf("bảng %s có %d dòng, bản kê ghi %d", t.Name, s.Rows, t.Rows))
		case s.SHA256 != t.SHA256:
			return damaged(fmt.Sprintf("bảng %s không khớp với mã SHA-256 trong bản kê", t.Name))
		}
	}
	if blobs != m.Blobs {
		return damaged(fmt.Sprintf("có %d tệp đính kèm (%d byte), bản kê ghi %d (%d byte)", blobs.Count, blobs.Bytes, m.Blobs.Count, m.Blobs.Bytes))
	}
	if len(keys) != len(m.Keys) {
		return damaged("tệp khóa không khớp với bản kê")
	}
	for _, k := range m.Keys {
		if keys[k.Name] != k.SHA256 {
			return damaged("tệp khóa " + k.Name + " không khớp với bản kê")
		}
	}
	return nil
}

// tableStream reads one table's entries as one stream, hashing it and
// counting its lines. At the first entry of anything else it stops and
// leaves that header in pending.
type tableStream struct {
	tr      *tar.Reader
	next    func() (*tar.Header, error)
	table   string
	n       int
	sum     hash.Hash
	lines   int64
	pending *tar.Header
	done    bool
}

func (t *tableStream) Read(p []byte) (int, error) {
	for !t.done {
		n, err := t.tr.Read(p)
		if n > 0 {
			t.sum.Write(p[:n])
			t.lines += int64(bytes.Count(p[:n], []byte{'\n'}))
			return n, nil
		}
		if err != io.EOF {
			if err == nil {
				continue
			}
			return 0, damagedBy(err)
		}
		h, err := t.next()
		if err == io.EOF {
			t.done = true
			break
		} else if err != nil {
			return 0, err
		}
		g := tableName.FindStringSubmatch(h.Name)
		if g == nil || g[1] != t.table {
			t.pending = h
			t.done = true
			break
		}
		t.n++
		if g[2] != fmt.Sprintf("%06d", t.n) || h.Typeflag != tar.TypeReg {
			return 0, damaged("bảng " + t.table + ": thiếu hoặc thừa một phần")
		}
	}
	return 0, io.EOF
}

// entryReader turns read errors of an entry into damaged errors.
type entryReader struct{ r io.Reader }

func (e *entryReader) Read(p []byte) (int, error) {
	n, err := e.r.Read(p)
	if err != nil && err != io.EOF {
		err = damagedBy(err)
	}
	return n, err
}

func readEntry(r io.Reader, size int64) ([]byte, error) {
	data, err := io.ReadAll(&entryReader{io.LimitReader(r, size)})
	if err == nil && int64(len(data)) != size {
		err = damaged("một mục bị cắt cụt")
	}
	return data, err
}

// isOurs reports whether err already says what is wrong with the archive.
func isOurs(err error) bool {
	return errors.Is(err, ErrDamaged) || errors.Is(err, ErrPassphrase) || errors.Is(err, ErrNotBackup)
}

// damagedBy explains a failure of the compression or tar layer: in an
// archive that was whole when written, it means damage.
func damagedBy(err error) error {
	if isOurs(err) {
		return err
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return err
	}
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return fmt.Errorf("%w: %w", damaged("tệp bị cắt cụt"), err)
	}
	return fmt.Errorf("%w: %w", damaged("dữ liệu nén hoặc phần lưu trữ không đọc được"), err)
}
