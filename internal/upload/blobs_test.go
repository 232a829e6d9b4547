package upload

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"homthu/internal/homthu"
)

func TestBlobs(t *testing.T) {
	b := &Blobs{Dir: filepath.Join(t.TempDir(), "attachments")}
	data := []byte("ảnh đã làm sạch")
	sum := sha256.Sum256(data)
	want := hex.EncodeToString(sum[:])

	h, err := b.Put(data)
	if err != nil || h != want {
		t.Fatalf("Put = %q, %v; want %q", h, err, want)
	}
	if h2, err := b.Put(data); err != nil || h2 != h {
		t.Fatalf("Put again = %q, %v; want %q", h2, err, h)
	}
	p := filepath.Join(b.Dir, h[:2], h)
	for _, c := range []struct {
		path string
		mode fs.FileMode
	}{{b.Dir, 0o700 | fs.ModeDir}, {filepath.Dir(p), 0o700 | fs.ModeDir}, {p, 0o600}} {
		fi, err := os.Stat(c.path)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode() != c.mode {
			t.Errorf("mode of %s = %v, want %v", c.path, fi.Mode(), c.mode)
		}
	}
	entries, _ := os.ReadDir(filepath.Dir(p))
	if len(entries) != 1 {
		t.Errorf("%d files in %s after two Puts, want 1 (no temporary file left)", len(entries), filepath.Dir(p))
	}

	if ok, err := b.Has(h); !ok || err != nil {
		t.Errorf("Has = %v, %v; want true", ok, err)
	}
	rc, err := b.Open(h)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(rc)
	rc.Close()
	if string(got) != string(data) {
		t.Errorf("Open read %q, want %q", got, data)
	}

	if err := b.Remove(h); err != nil {
		t.Fatal(err)
	}
	if err := b.Remove(h); err != nil {
		t.Errorf("Remove of a removed blob = %v, want nil", err)
	}
	if ok, err := b.Has(h); ok || err != nil {
		t.Errorf("Has after Remove = %v, %v; want false", ok, err)
	}
	_, err = b.Open(h)
	if homthu.ErrorCode(err) != homthu.ENOTFOUND || !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Open after Remove = %v, want %s matching fs.ErrNotExist", err, homthu.ENOTFOUND)
	}
}

// TestBlobsRepair checks that a blob whose file was cut short is written
// again by the next Put of the same content.
func TestBlobsRepair(t *testing.T) {
	b := &Blobs{Dir: t.TempDir()}
	data := []byte(strings.Repeat("x", 1000))
	h, err := b.Put(data)
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(b.Dir, h[:2], h)
	if err := os.Truncate(p, 10); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Put(data); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(p); fi.Size() != 1000 {
		t.Errorf("size after repair = %d, want 1000", fi.Size())
	}
}

func TestBlobsConcurrentPut(t *testing.T) {
	b := &Blobs{Dir: t.TempDir()}
	var wg sync.WaitGroup
	hashes := make([]string, 16)
	for i := range hashes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			h, err := b.Put([]byte{byte(i % 4)})
			if err != nil {
				t.Error(err)
			}
			hashes[i] = h
		}()
	}
	wg.Wait()
	for i, h := range hashes {
		if ok, _ := b.Has(h); !ok || h != hashes[i%4] {
			t.Errorf("Put #%d = %q, stored %v", i, h, ok)
		}
	}
}

func TestBlobsRejectBadHashes(t *testing.T) {
	dir := t.TempDir()
	b := &Blobs{Dir: filepath.Join(dir, "store")}
	// A file outside the store that a traversal would reach.
	if err := os.WriteFile(filepath.Join(dir, "secret"), []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	valid := strings.Repeat("ab", 32)
	for _, h := range []string{
		"", "ab", "../secret", "../../secret", strings.Repeat("a", 63), strings.Repeat("a", 65),
		strings.ToUpper(valid), "ab/" + valid[3:], valid[:62] + "/.", valid[:63] + "\x00", valid[:63] + "g",
		"../" + valid[3:], valid[:32] + ".." + valid[34:],
	} {
		if _, err := b.Open(h); homthu.ErrorCode(err) != homthu.EINVALID {
			t.Errorf("Open(%q) = %v, want %s", h, err, homthu.EINVALID)
		}
		if _, err := b.Has(h); homthu.ErrorCode(err) != homthu.EINVALID {
			t.Errorf("Has(%q) = %v, want %s", h, err, homthu.EINVALID)
		}
		if err := b.Remove(h); homthu.ErrorCode(err) != homthu.EINVALID {
			t.Errorf("Remove(%q) = %v, want %s", h, err, homthu.EINVALID)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "secret")); err != nil {
		t.Errorf("the file outside the store is gone: %v", err)
	}
}

func FuzzValidHash(f *testing.F) {
	for _, s := range []string{"", strings.Repeat("0", 64), strings.Repeat("f", 64), "../" + strings.Repeat("a", 61), strings.Repeat("A", 64)} {
		f.Add(s)
	}
	dir := f.TempDir()
	b := &Blobs{Dir: dir}
	f.Fuzz(func(t *testing.T, h string) {
		if !ValidHash(h) {
			if _, err := b.Open(h); homthu.ErrorCode(err) != homthu.EINVALID {
				t.Fatalf("Open(%q) = %v, want %s", h, err, homthu.EINVALID)
			}
			return
		}
		if _, err := hex.DecodeString(h); err != nil || len(h) != 64 || strings.ToLower(h) != h {
			t.Fatalf("ValidHash(%q) = true for a string that is not 64 lower-case hex digits", h)
		}
		rel, err := filepath.Rel(dir, b.path(h))
		if err != nil || strings.HasPrefix(rel, "..") || filepath.Dir(filepath.Dir(rel)) != "." {
			t.Fatalf("path(%q) = %q leaves the store's two levels", h, rel)
		}
	})
}
