package upload

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"homthu/internal/homthu"
)

// Blobs stores attachments by content: a file's name is the SHA-256 of its
// bytes, in lower-case hex, under a directory named by the first two hex
// digits: Dir/ab/ab12…ef. The same content is stored once, whoever sends
// it and however often; the database refers to it by its hash. Files are
// created 0600 and directories 0700: attachments are evidence about people.
//
// Put is durable when it returns: the data is written to a temporary file
// in the final directory, synced, renamed into place and the directory
// synced, so a crash leaves either no blob or the whole blob, never a
// partial one. A crash can leave a temporary file (".tmp-*") behind, which
// is safe to delete. Blobs is safe for concurrent use by several goroutines
// and processes sharing Dir.
type Blobs struct {
	// Dir is the root directory of the store, typically DATA/attachments.
	Dir string
}

// Put stores data and returns its SHA-256 in hex. Storing content that is
// already there does nothing but check its size.
func (b *Blobs) Put(data []byte) (string, error) {
	sum := sha256.Sum256(data)
	h := hex.EncodeToString(sum[:])
	final := b.path(h)
	if fi, err := os.Stat(final); err == nil && fi.Mode().IsRegular() && fi.Size() == int64(len(data)) {
		return h, nil
	}
	dir := filepath.Dir(final)
	if err := b.mkdir(dir); err != nil {
		return "", fmt.Errorf("upload.Blobs.Put: %w", err)
	}
	tmp, err := os.CreateTemp(dir, ".tmp-*") // mode 0600
	if err != nil {
		return "", fmt.Errorf("upload.Blobs.Put: %w", err)
	}
	defer os.Remove(tmp.Name()) // fails harmlessly after the rename
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return "", fmt.Errorf("upload.Blobs.Put: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return "", fmt.Errorf("upload.Blobs.Put: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return "", fmt.Errorf("upload.Blobs.Put: %w", err)
	}
	if err := os.Rename(tmp.Name(), final); err != nil {
		return "", fmt.Errorf("upload.Blobs.Put: %w", err)
	}
	if err := syncDir(dir); err != nil {
		return "", fmt.Errorf("upload.Blobs.Put: %w", err)
	}
	return h, nil
}

// mkdir creates dir (a fan-out directory) and Dir with mode 0700 if they
// do not exist, syncing each parent whose entries changed.
func (b *Blobs) mkdir(dir string) error {
	if _, err := os.Stat(dir); err == nil {
		return nil
	}
	if _, err := os.Stat(b.Dir); errors.Is(err, fs.ErrNotExist) {
		if err := os.MkdirAll(b.Dir, 0o700); err != nil {
			return err
		}
		if err := syncDir(filepath.Dir(filepath.Clean(b.Dir))); err != nil {
			return err
		}
	}
	if err := os.Mkdir(dir, 0o700); err != nil && !errors.Is(err, fs.ErrExist) {
		return err
	}
	return syncDir(b.Dir)
}

// Open returns the content stored under the hex hash h. It fails with an
// error of code homthu.EINVALID when h is not 64 lower-case hex digits (no
// path can be smuggled in), and with one of code homthu.ENOTFOUND that also
// matches fs.ErrNotExist when there is no such blob.
func (b *Blobs) Open(h string) (io.ReadCloser, error) {
	if !ValidHash(h) {
		return nil, fmt.Errorf("upload.Blobs.Open: %w", invalidHash())
	}
	f, err := os.Open(b.path(h))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("upload.Blobs.Open: %w: %w", err, notFound())
	}
	if err != nil {
		return nil, fmt.Errorf("upload.Blobs.Open: %w", err)
	}
	return f, nil
}

// Has reports whether a blob is stored under the hex hash h.
func (b *Blobs) Has(h string) (bool, error) {
	if !ValidHash(h) {
		return false, fmt.Errorf("upload.Blobs.Has: %w", invalidHash())
	}
	_, err := os.Stat(b.path(h))
	switch {
	case err == nil:
		return true, nil
	case errors.Is(err, fs.ErrNotExist):
		return false, nil
	}
	return false, fmt.Errorf("upload.Blobs.Has: %w", err)
}

// Remove deletes the blob stored under the hex hash h, durably (the
// retention rules of issue 5 erase attachments of closed items). Removing a
// blob that is not there is not an error. The caller must know that no
// record still refers to the content: the same bytes sent twice are one
// blob.
func (b *Blobs) Remove(h string) error {
	if !ValidHash(h) {
		return fmt.Errorf("upload.Blobs.Remove: %w", invalidHash())
	}
	p := b.path(h)
	err := os.Remove(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("upload.Blobs.Remove: %w", err)
	}
	if err := syncDir(filepath.Dir(p)); err != nil {
		return fmt.Errorf("upload.Blobs.Remove: %w", err)
	}
	return nil
}

// ValidHash reports whether h is a blob name: exactly 64 lower-case
// hexadecimal digits, the form Put returns.
func ValidHash(h string) bool {
	if len(h) != 2*sha256.Size {
		return false
	}
	for i := 0; i < len(h); i++ {
		if c := h[i]; !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// path is where the blob h lives; h must be valid.
func (b *Blobs) path(h string) string {
	return filepath.Join(b.Dir, h[:2], h)
}

// syncDir makes the entries of a directory durable (fsync(2) on the
// directory: a renamed or created file survives a power cut).
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return err
}

func invalidHash() error {
	return homthu.Errorf(homthu.EINVALID, "Mã tệp đính kèm không hợp lệ.")
}

func notFound() error {
	return homthu.Errorf(homthu.ENOTFOUND, "Không tìm thấy tệp đính kèm.")
}
