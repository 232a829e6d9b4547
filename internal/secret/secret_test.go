package secret

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

func TestSealOpen(t *testing.T) {
	k := &Keys{Receipt: NewKey(), Identity: NewKey()}
	sealed := k.Seal([]byte("Nguyễn Văn A"), []byte("identity:x"))
	if bytes.Contains(sealed, []byte("Nguyễn")) {
		t.Fatal("plaintext visible in sealed value")
	}
	got, err := k.Open(sealed, []byte("identity:x"))
	if err != nil || string(got) != "Nguyễn Văn A" {
		t.Fatalf("Open = %q, %v", got, err)
	}
	if _, err := k.Open(sealed, []byte("identity:y")); err == nil {
		t.Error("Open with other additional data succeeded: a sealed identity could move to another item")
	}
	flipped := append([]byte{}, sealed...)
	flipped[len(flipped)-1] ^= 1
	if _, err := k.Open(flipped, []byte("identity:x")); err == nil {
		t.Error("Open of a tampered value succeeded")
	}
	rotated := &Keys{Receipt: k.Receipt, Identity: NewKey(), OldIdentity: [][]byte{k.Identity}}
	if got, err := rotated.Open(sealed, []byte("identity:x")); err != nil || string(got) != "Nguyễn Văn A" {
		t.Errorf("Open after rotation = %q, %v", got, err)
	}
	if rotated.SealedWithCurrent(sealed) || !k.SealedWithCurrent(sealed) {
		t.Error("SealedWithCurrent is wrong")
	}
	stranger := &Keys{Identity: NewKey()}
	if _, err := stranger.Open(sealed, []byte("identity:x")); err == nil {
		t.Error("Open under an unknown key succeeded")
	}
}

func TestLoadOrCreateAndRotation(t *testing.T) {
	dir := t.TempDir()
	k1, err := LoadOrCreate(dir, IdentityKeyFile, "")
	if err != nil {
		t.Fatal(err)
	}
	if k2, _ := LoadOrCreate(dir, IdentityKeyFile, ""); !bytes.Equal(k1, k2) {
		t.Fatal("second LoadOrCreate made a new key")
	}
	if fi, _ := os.Stat(filepath.Join(dir, IdentityKeyFile)); fi.Mode().Perm() != 0o600 {
		t.Errorf("key file mode %v, want 0600", fi.Mode().Perm())
	}
	next, err := BeginRotation(dir)
	if err != nil {
		t.Fatal(err)
	}
	old, _ := LoadOldIdentity(dir, k1)
	if len(old) != 1 || !bytes.Equal(old[0], next) {
		t.Fatalf("during rotation LoadOldIdentity = %d keys, want the pending one", len(old))
	}
	if err := CommitRotation(dir, k1); err != nil {
		t.Fatal(err)
	}
	cur, _ := LoadOrCreate(dir, IdentityKeyFile, "")
	if !bytes.Equal(cur, next) {
		t.Error("after CommitRotation the current key is not the new one")
	}
	old, _ = LoadOldIdentity(dir, cur)
	if len(old) != 1 || !bytes.Equal(old[0], k1) {
		t.Error("the retired key is not loaded as an old key")
	}
	if _, err := LoadOrCreate(dir, "bad", "not base64!"); err == nil {
		t.Error("bad configured key accepted")
	}
}

func TestPassword(t *testing.T) {
	h := HashPassword("mật khẩu dài 123")
	if !CheckPassword(h, "mật khẩu dài 123") || CheckPassword(h, "mật khẩu dài 124") || CheckPassword("garbage", "x") {
		t.Error("CheckPassword wrong")
	}
}
