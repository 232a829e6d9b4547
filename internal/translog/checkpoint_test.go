package translog

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"strings"
	"testing"

	"golang.org/x/mod/sumdb/note"
)

// specCheckpoint is the example of C2SP tlog-checkpoint.
const specCheckpoint = "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n"

func TestParseCheckpoint(t *testing.T) {
	c, err := ParseCheckpoint(specCheckpoint)
	if err != nil {
		t.Fatalf("ParseCheckpoint(spec example): %v", err)
	}
	if c.Origin != "example.com/behind-the-sofa" || c.Size != 20852163 || encodeHash(c.Hash) != "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=" {
		t.Errorf("ParseCheckpoint(spec example) = %+v", c)
	}
	if c.String() != specCheckpoint {
		t.Errorf("String() = %q, want %q", c.String(), specCheckpoint)
	}
	ext := specCheckpoint + "extension one\nextension two\n"
	c, err = ParseCheckpoint(ext)
	if err != nil || len(c.Extensions) != 2 || c.String() != ext {
		t.Errorf("ParseCheckpoint(with extensions) = %+v, %v", c, err)
	}
	empty := "homthu.test/log\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n"
	if c, err := ParseCheckpoint(empty); err != nil || c.Size != 0 || c.Hash != emptyTreeHash() {
		t.Errorf("ParseCheckpoint(empty tree) = %+v, %v", c, err)
	}
}

func TestParseCheckpointRejects(t *testing.T) {
	for _, tt := range []struct{ name, text string }{
		{"empty", ""},
		{"no final newline", strings.TrimSuffix(specCheckpoint, "\n")},
		{"two lines", "example.com/log\n5\n"},
		{"empty origin", "\n5\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n"},
		{"origin with space", "example.com log\n5\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n"},
		{"origin with plus", "example.com+log\n5\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n"},
		{"leading zero", "example.com/log\n05\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n"},
		{"negative size", "example.com/log\n-5\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n"},
		{"plus size", "example.com/log\n+5\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n"},
		{"huge size", "example.com/log\n99999999999999999999\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n"},
		{"short hash", "example.com/log\n5\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2==\n"},
		{"unpadded hash", "example.com/log\n5\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I\n"},
		{"url base64", "example.com/log\n5\nCsUYapGGPo4dkMgIAUqom_Xajj7h2fB2MPA3j2jxq2I=\n"},
		{"empty extension", specCheckpoint + "\n"},
		{"CRLF", strings.ReplaceAll(specCheckpoint, "\n", "\r\n")},
	} {
		if c, err := ParseCheckpoint(tt.text); err == nil {
			t.Errorf("ParseCheckpoint(%s: %q) = %+v, want error", tt.name, tt.text, c)
		}
	}
}

func TestKeys(t *testing.T) {
	skey, vkey := testKey(t)
	if !strings.HasPrefix(skey, "PRIVATE+KEY+"+testOrigin+"+") || !strings.HasPrefix(vkey, testOrigin+"+") {
		t.Errorf("GenerateKey = %q, %q", skey, vkey)
	}
	got, err := VerifierKey(skey)
	if err != nil || got != vkey {
		t.Errorf("VerifierKey(signer) = %q, %v; want %q", got, err, vkey)
	}
	// Keys made by note itself work too.
	for range 20 { // base64 key material often contains '+'
		nskey, nvkey, err := note.GenerateKey(rand.Reader, testOrigin)
		if err != nil {
			t.Fatal(err)
		}
		if got, err := VerifierKey(nskey); err != nil || got != nvkey {
			t.Errorf("VerifierKey(%q) = %q, %v; want %q", nskey, got, err, nvkey)
		}
	}
	for _, origin := range []string{"", "a b", "a+b", "a\nb"} {
		if _, _, err := GenerateKey(origin); err == nil {
			t.Errorf("GenerateKey(%q) succeeded", origin)
		}
	}
	for _, bad := range []string{"", vkey, "PRIVATE+KEY+x", strings.Replace(skey, "+"+testOrigin+"+", "+other.test/log+", 1)} {
		if _, err := VerifierKey(bad); err == nil {
			t.Errorf("VerifierKey(%q) succeeded", bad)
		}
	}
	wskey, _, err := GenerateCosignerKey("witness.test/w")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := VerifierKey(wskey); err == nil {
		t.Errorf("VerifierKey accepted a cosigner key")
	}
}

func TestOpenCheckpoint(t *testing.T) {
	skey, vkey := testKey(t)
	signer, err := note.NewSigner(skey)
	if err != nil {
		t.Fatal(err)
	}
	v, err := note.NewVerifier(vkey)
	if err != nil {
		t.Fatal(err)
	}
	ok := Checkpoint{Origin: testOrigin, Size: 3, Hash: emptyTreeHash()}
	msg, err := signCheckpoint(ok, signer)
	if err != nil {
		t.Fatal(err)
	}
	if c, _, err := OpenCheckpoint(msg, v); err != nil || c.Size != 3 {
		t.Errorf("OpenCheckpoint = %+v, %v", c, err)
	}
	// Independent check with note alone.
	if n, err := note.Open(msg, note.VerifierList(v)); err != nil || n.Text != ok.String() {
		t.Errorf("note.Open = %v", err)
	}

	other := ok
	other.Origin = "other.test/log"
	wrongOrigin, _ := signCheckpoint(other, signer)
	_, otherV := testKey(t)
	ov, _ := note.NewVerifier(otherV)
	for _, tt := range []struct {
		name string
		msg  []byte
		v    note.Verifier
	}{
		{"another key", msg, ov},
		{"origin not the key's name", wrongOrigin, v},
		{"tampered size", []byte(strings.Replace(string(msg), "\n3\n", "\n4\n", 1)), v},
		{"no signature", []byte(ok.String()), v},
		{"not a checkpoint", mustSign(t, "hello\n", signer), v},
	} {
		if c, _, err := OpenCheckpoint(tt.msg, tt.v); err == nil {
			t.Errorf("OpenCheckpoint(%s) = %+v, want error", tt.name, c)
		}
	}
}

// fixedSignerKey returns the Ed25519 note signer key for name whose seed is
// 32 times the byte b, built by the signed-note spec's rules.
func fixedSignerKey(t testing.TB, name string, b byte) string {
	t.Helper()
	seed := bytes.Repeat([]byte{b}, ed25519.SeedSize)
	pub := ed25519.NewKeyFromSeed(seed).Public().(ed25519.PublicKey)
	h := sha256.Sum256(append(append([]byte(name+"\n"), 0x01), pub...))
	skey := fmt.Sprintf("PRIVATE+KEY+%s+%08x+%s", name, binary.BigEndian.Uint32(h[:]),
		base64.StdEncoding.EncodeToString(append([]byte{0x01}, seed...)))
	if _, err := note.NewSigner(skey); err != nil {
		t.Fatalf("fixedSignerKey: %v", err)
	}
	return skey
}

func mustSign(t *testing.T, text string, s note.Signer) []byte {
	t.Helper()
	msg, err := note.Sign(&note.Note{Text: text}, s)
	if err != nil {
		t.Fatal(err)
	}
	return msg
}

func FuzzParseCheckpoint(f *testing.F) {
	f.Add(specCheckpoint)
	f.Add(specCheckpoint + "ext\n")
	f.Add("a\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n")
	f.Fuzz(func(t *testing.T, text string) {
		c, err := ParseCheckpoint(text)
		if err != nil {
			return
		}
		if c.String() != text {
			t.Fatalf("ParseCheckpoint accepted %q, which formats as %q", text, c.String())
		}
		if c.Size < 0 {
			t.Fatalf("negative size %d", c.Size)
		}
	})
}

func FuzzOpenCheckpoint(f *testing.F) {
	// A fixed key, so that the corpus stays meaningful between runs.
	skey := fixedSignerKey(f, testOrigin, 1)
	signer, err := note.NewSigner(skey)
	if err != nil {
		f.Fatal(err)
	}
	vkey, err := VerifierKey(skey)
	if err != nil {
		f.Fatal(err)
	}
	v, _ := note.NewVerifier(vkey)
	msg, _ := signCheckpoint(Checkpoint{Origin: "homthu.test/log", Size: 5, Hash: emptyTreeHash()}, signer)
	f.Add(msg)
	f.Add(append(msg, "— witness.test/w AAAAAAAAAAAAAAAA\n"...))
	f.Add([]byte(specCheckpoint + "\n— example.com/behind-the-sofa Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=\n"))
	f.Fuzz(func(t *testing.T, msg []byte) {
		c, n, err := OpenCheckpoint(msg, v)
		if err != nil {
			return
		}
		if c.Origin != v.Name() || n.Text != c.String() {
			t.Fatalf("OpenCheckpoint accepted origin %q, text %q", c.Origin, n.Text)
		}
	})
}
