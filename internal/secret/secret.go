// Package secret holds homthu's keys and the primitives built on them: the
// keyed hash under which receipts are stored, the authenticated encryption
// of submitters' identities, and argon2id password hashes.
//
// Keys live outside the database: in files created once, with exclusive
// create, under the data directory (or given by configuration). The database
// records each key's fingerprint, and a server whose keys do not match the
// database refuses to start, so that several instances sharing one database
// cannot silently diverge (one of them would otherwise store receipts no
// other instance can find).
package secret

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Keys are the secrets of one homthu deployment.
type Keys struct {
	// Receipt is the HMAC-SHA-256 key under which receipts and idempotency
	// keys are hashed.
	Receipt []byte
	// Identity is the AES-256-GCM key that seals submitters' identities,
	// second-factor secrets and stored idempotent answers.
	Identity []byte
	// OldIdentity are earlier identity keys, kept after a rotation (and
	// during one) so that values sealed under them can still be opened.
	OldIdentity [][]byte
}

// Key file names under the data directory.
const (
	ReceiptKeyFile  = "receipt.key"
	IdentityKeyFile = "identity.key"
)

// LoadOrCreate reads a 32-byte key (base64 in a text file) from dir/name, or
// creates it with O_EXCL if it does not exist. A given value (from
// configuration, base64) wins over the file.
func LoadOrCreate(dir, name, given string) ([]byte, error) {
	if given != "" {
		k, err := base64.StdEncoding.DecodeString(strings.TrimSpace(given))
		if err != nil || len(k) != 32 {
			return nil, fmt.Errorf("secret: key %s given by configuration must be 32 bytes in base64", name)
		}
		return k, nil
	}
	path := filepath.Join(dir, name)
	if b, err := os.ReadFile(path); err == nil {
		k, err := base64.StdEncoding.DecodeString(strings.TrimSpace(string(b)))
		if err != nil || len(k) != 32 {
			return nil, fmt.Errorf("secret: key file %s is damaged: want 32 bytes in base64", path)
		}
		return k, nil
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("secret: %w", err)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("secret: %w", err)
	}
	k := make([]byte, 32)
	rand.Read(k)
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		// Another process created it first: use theirs.
		return LoadOrCreate(dir, name, "")
	} else if err != nil {
		return nil, fmt.Errorf("secret: %w", err)
	}
	if _, err := f.WriteString(base64.StdEncoding.EncodeToString(k) + "\n"); err != nil {
		f.Close()
		return nil, fmt.Errorf("secret: %w", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return nil, fmt.Errorf("secret: %w", err)
	}
	return k, f.Close()
}

// Fingerprint is a short public identifier of a key: the first 8 bytes of
// SHA-256 over a label and the key, in hex. It reveals nothing of the key.
func Fingerprint(label string, key []byte) string {
	h := sha256.New()
	h.Write([]byte("homthu key fingerprint\x00" + label + "\x00"))
	h.Write(key)
	return hex.EncodeToString(h.Sum(nil)[:8])
}

// Hash returns the keyed hash (HMAC-SHA-256) of a value under the receipt
// key, with a purpose label so that a receipt hash can never be confused
// with an idempotency-key hash.
func (k *Keys) Hash(purpose, value string) []byte {
	m := hmac.New(sha256.New, k.Receipt)
	m.Write([]byte(purpose))
	m.Write([]byte{0})
	m.Write([]byte(value))
	return m.Sum(nil)
}

// Sealed values start with a version byte and the 4-byte id of the key that
// sealed them, so that after a key rotation each value names its key.
const sealVersion = 1

// KeyID is the 4-byte identifier of an identity key stored in sealed values.
func KeyID(key []byte) []byte {
	h := sha256.Sum256(append([]byte("homthu identity key id\x00"), key...))
	return h[:4]
}

// Seal encrypts plaintext with AES-256-GCM under the current identity key.
// The additional data binds the ciphertext to its row (e.g. the item id) so
// that a sealed identity cannot be moved to another item.
func (k *Keys) Seal(plaintext, ad []byte) []byte {
	g := gcmOf(k.Identity)
	out := make([]byte, 0, 5+g.NonceSize()+len(plaintext)+g.Overhead())
	out = append(out, sealVersion)
	out = append(out, KeyID(k.Identity)...)
	nonce := make([]byte, g.NonceSize())
	rand.Read(nonce)
	out = append(out, nonce...)
	return g.Seal(out, nonce, plaintext, ad)
}

// Open decrypts what Seal produced, under whichever known key sealed it.
func (k *Keys) Open(sealed, ad []byte) ([]byte, error) {
	if len(sealed) < 5+12 || sealed[0] != sealVersion {
		return nil, errors.New("secret: not a sealed value")
	}
	for _, key := range append([][]byte{k.Identity}, k.OldIdentity...) {
		if !bytes.Equal(KeyID(key), sealed[1:5]) {
			continue
		}
		g := gcmOf(key)
		body := sealed[5:]
		out, err := g.Open(nil, body[:g.NonceSize()], body[g.NonceSize():], ad)
		if err != nil {
			return nil, fmt.Errorf("secret: open: %w", err)
		}
		return out, nil
	}
	return nil, fmt.Errorf("secret: sealed under an unknown identity key (id %x)", sealed[1:5])
}

// SealedWithCurrent reports whether a sealed value is under the current key.
func (k *Keys) SealedWithCurrent(sealed []byte) bool {
	return len(sealed) >= 5 && bytes.Equal(sealed[1:5], KeyID(k.Identity))
}

func gcmOf(key []byte) cipher.AEAD {
	b, err := aes.NewCipher(key)
	if err != nil {
		panic("secret: bad identity key: " + err.Error())
	}
	g, err := cipher.NewGCM(b)
	if err != nil {
		panic("secret: " + err.Error())
	}
	return g
}

// Token returns a random 256-bit token in URL-safe base64, for sessions.
func Token() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// TokenHash is how a session token is stored: SHA-256 (a 256-bit random
// token needs no key or slow hash).
func TokenHash(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}
