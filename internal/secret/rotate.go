package secret

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Identity-key rotation. The new key is written to identity.key.new first;
// the caller re-seals every stored value under it; then CommitRotation
// retires the old key to identity.key.<fingerprint>.retired and moves the
// new one into place. LoadOldIdentity reads every retired and pending key,
// so a rotation interrupted at any point leaves every value openable.

// NewIdentityFile is where a rotation writes the next identity key.
const NewIdentityFile = IdentityKeyFile + ".new"

// BeginRotation creates the next identity key (or reads the one an
// interrupted rotation left) in dir and returns it.
func BeginRotation(dir string) ([]byte, error) {
	return LoadOrCreate(dir, NewIdentityFile, "")
}

// CommitRotation retires the current identity key file and puts the new one
// in its place.
func CommitRotation(dir string, old []byte) error {
	retired := filepath.Join(dir, fmt.Sprintf("%s.%s.retired", IdentityKeyFile, Fingerprint("identity", old)))
	if err := os.WriteFile(retired, []byte(base64.StdEncoding.EncodeToString(old)+"\n"), 0o600); err != nil {
		return fmt.Errorf("secret: %w", err)
	}
	if err := os.Rename(filepath.Join(dir, NewIdentityFile), filepath.Join(dir, IdentityKeyFile)); err != nil {
		return fmt.Errorf("secret: %w", err)
	}
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}

// LoadOldIdentity reads the retired identity keys and a pending new one in
// dir, except current.
func LoadOldIdentity(dir string, current []byte) ([][]byte, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	} else if err != nil {
		return nil, fmt.Errorf("secret: %w", err)
	}
	var out [][]byte
	for _, e := range entries {
		n := e.Name()
		if n != NewIdentityFile && !(strings.HasPrefix(n, IdentityKeyFile+".") && strings.HasSuffix(n, ".retired")) {
			continue
		}
		k, err := LoadOrCreate(dir, n, "")
		if err != nil {
			return nil, err
		}
		if string(k) != string(current) {
			out = append(out, k)
		}
	}
	return out, nil
}

// NewKey returns a fresh random 32-byte key.
func NewKey() []byte {
	k := make([]byte, 32)
	rand.Read(k)
	return k
}
