package translog

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/note"
)

const witnessName = "witness.test/w1"

func testCosigner(t testing.TB, at time.Time) (note.Signer, string) {
	t.Helper()
	skey, vkey, err := GenerateCosignerKey(witnessName)
	if err != nil {
		t.Fatal(err)
	}
	s, err := NewCosigner(skey, func() time.Time { return at })
	if err != nil {
		t.Fatal(err)
	}
	return s, vkey
}

func TestCosignature(t *testing.T) {
	at := time.Unix(1679315147, 0)
	cosigner, wvkey := testCosigner(t, at)
	skey, vkey := testKey(t)
	s := new(MemStore)
	l := newTestLog(t, s, skey)
	grow(t, l, s, 0, 10)

	lv, _ := note.NewVerifier(vkey)
	_, n, err := OpenCheckpoint(latestNote(t, s), lv)
	if err != nil {
		t.Fatal(err)
	}
	cosigned, err := note.Sign(n, cosigner)
	if err != nil {
		t.Fatal(err)
	}

	// Check the cosignature by the spec alone, without this package's
	// verifier: key ID, timestamp, signed message.
	f := strings.SplitN(wvkey, "+", 3)
	raw, _ := base64.StdEncoding.DecodeString(f[2])
	if raw[0] != 0x04 {
		t.Fatalf("cosigner verifier key algorithm byte = %#x, want 0x04", raw[0])
	}
	pub := ed25519.PublicKey(raw[1:])
	id := sha256.Sum256(append([]byte(witnessName+"\n\x04"), pub...))
	if f[1] != fmt.Sprintf("%08x", id[:4]) {
		t.Errorf("key ID in verifier key = %s, want %x", f[1], id[:4])
	}
	var line string
	for _, l := range strings.Split(string(cosigned), "\n") {
		if strings.HasPrefix(l, "— "+witnessName+" ") {
			line = strings.TrimPrefix(l, "— "+witnessName+" ")
		}
	}
	sig, err := base64.StdEncoding.DecodeString(line)
	if err != nil || len(sig) != 4+8+64 {
		t.Fatalf("cosignature line %q: %d bytes, %v", line, len(sig), err)
	}
	if !bytes.Equal(sig[:4], id[:4]) {
		t.Errorf("cosignature key ID = %x, want %x", sig[:4], id[:4])
	}
	if ts := binary.BigEndian.Uint64(sig[4:12]); ts != 1679315147 {
		t.Errorf("cosignature timestamp = %d, want 1679315147", ts)
	}
	msg := "cosignature/v1\ntime 1679315147\n" + n.Text
	if !ed25519.Verify(pub, []byte(msg), sig[12:]) {
		t.Errorf("cosignature does not verify over %q", msg)
	}

	// And with the verifier, through note.Open, beside the log's key.
	wv, err := NewCosignatureVerifier(wvkey)
	if err != nil {
		t.Fatal(err)
	}
	opened, err := note.Open(cosigned, note.VerifierList(lv, wv))
	if err != nil || len(opened.Sigs) != 2 {
		t.Fatalf("note.Open(cosigned) = %+v, %v; want 2 verified signatures", opened, err)
	}
	for _, s := range opened.Sigs {
		if s.Name == witnessName {
			if got, err := CosignatureTime(s); err != nil || !got.Equal(at) {
				t.Errorf("CosignatureTime = %v, %v; want %v", got, err, at)
			}
		}
	}
	if _, err := note.NewVerifier(wvkey); err == nil {
		t.Errorf("note.NewVerifier accepted a cosignature key; it must not be mistaken for a log key")
	}

	// A forged timestamp breaks the signature.
	forged := bytes.Clone(sig)
	binary.BigEndian.PutUint64(forged[4:12], 1679315148)
	bad := strings.Replace(string(cosigned), line, base64.StdEncoding.EncodeToString(forged), 1)
	if _, err := note.Open([]byte(bad), note.VerifierList(lv, wv)); err == nil {
		t.Errorf("note.Open accepted a cosignature with a changed timestamp")
	}
}

func TestCosignerKeys(t *testing.T) {
	skey, vkey, err := GenerateCosignerKey(witnessName)
	if err != nil {
		t.Fatal(err)
	}
	lskey, lvkey := testKey(t)
	for _, tt := range []struct {
		name string
		ok   bool
		err  error
	}{
		{"NewCosigner(cosigner key)", true, errOf(NewCosigner(skey, nil))},
		{"NewCosigner(log key)", false, errOf(NewCosigner(lskey, nil))},
		{"NewCosigner(verifier key)", false, errOf(NewCosigner(vkey, nil))},
		{"NewCosignatureVerifier(cosigner key)", true, errOf(NewCosignatureVerifier(vkey))},
		{"NewCosignatureVerifier(log key)", false, errOf(NewCosignatureVerifier(lvkey))},
		{"NewCosignatureVerifier(wrong ID)", false, errOf(NewCosignatureVerifier(withKeyID(vkey, "00000000")))},
		{"NewCosignatureVerifier(renamed)", false, errOf(NewCosignatureVerifier("other.test/w" + strings.TrimPrefix(vkey, witnessName)))},
		{"GenerateCosignerKey(bad name)", false, errOf3(GenerateCosignerKey("a b"))},
	} {
		if (tt.err == nil) != tt.ok {
			t.Errorf("%s: err = %v, want ok=%v", tt.name, tt.err, tt.ok)
		}
	}
}

// withKeyID replaces the key ID of a verifier key.
func withKeyID(vkey, id string) string {
	f := strings.SplitN(vkey, "+", 3)
	return f[0] + "+" + id + "+" + f[2]
}

func errOf[T any](_ T, err error) error          { return err }
func errOf3[T, U any](_ T, _ U, err error) error { return err }

func TestAddCosignatures(t *testing.T) {
	ctx := t.Context()
	cosigner, wvkey := testCosigner(t, time.Unix(1700000000, 0))
	stranger, _ := testCosigner(t, time.Unix(1700000000, 0))
	skey, vkey := testKey(t)
	s := new(MemStore)
	l, err := New(Config{Store: s, SignerKey: skey, Witnesses: []string{wvkey}})
	if err != nil {
		t.Fatal(err)
	}
	grow(t, l, s, 0, 10)
	lv, _ := note.NewVerifier(vkey)
	_, n, err := OpenCheckpoint(latestNote(t, s), lv)
	if err != nil {
		t.Fatal(err)
	}
	cosigned, _ := note.Sign(n, cosigner)
	if got, err := l.AddCosignatures(ctx, cosigned); err != nil || got != 1 {
		t.Fatalf("AddCosignatures = %d, %v; want 1, nil", got, err)
	}
	// Twice is fine: one line per witness.
	if _, err := l.AddCosignatures(ctx, cosigned); err != nil {
		t.Fatal(err)
	}
	served := latestNote(t, s)
	wv, _ := NewCosignatureVerifier(wvkey)
	opened, err := note.Open(served, note.VerifierList(lv, wv))
	if err != nil || len(opened.Sigs) != 2 || strings.Count(string(served), "— "+witnessName) != 1 {
		t.Errorf("served checkpoint %q: %v", served, err)
	}

	// A witness-only note (as tlog-witness returns) is accepted too.
	bare, _ := note.Sign(&note.Note{Text: n.Text}, cosigner)
	if _, err := l.AddCosignatures(ctx, bare); err != nil {
		t.Errorf("AddCosignatures(witness signature only): %v", err)
	}

	other := Checkpoint{Origin: testOrigin, Size: 10, Hash: emptyTreeHash()}
	forkNote, _ := note.Sign(&note.Note{Text: other.String()}, cosigner)
	future := Checkpoint{Origin: testOrigin, Size: 11, Hash: emptyTreeHash()}
	futureNote, _ := note.Sign(&note.Note{Text: future.String()}, cosigner)
	strangerNote, _ := note.Sign(n, stranger)
	for _, tt := range []struct {
		name string
		msg  []byte
		is   error
	}{
		{"unknown witness", strangerNote, nil},
		{"different root", forkNote, ErrInconsistent},
		{"unknown size", futureNote, ErrNotFound},
		{"garbage", []byte("hello"), nil},
	} {
		_, err := l.AddCosignatures(ctx, tt.msg)
		if err == nil || tt.is != nil && !errors.Is(err, tt.is) {
			t.Errorf("AddCosignatures(%s): err = %v, want %v", tt.name, err, tt.is)
		}
	}
	noWitness := newTestLog(t, s, skey)
	if _, err := noWitness.AddCosignatures(ctx, cosigned); err == nil {
		t.Errorf("AddCosignatures without configured witnesses succeeded")
	}
}
