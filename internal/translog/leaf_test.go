package translog

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"strings"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/tlog"
)

func TestLeafRoundTrip(t *testing.T) {
	var c [32]byte
	for i := range c {
		c[i] = byte(i)
	}
	for _, l := range []Leaf{
		{KindItem, "14329-005", "2025-07", c},
		{KindLetter, "14329-005", "2025-12", c},
		{KindOpening, "37", "2000-01", c},
		{KindReferral, "a.b_c-D", "2031-10", c},
		{KindAnswer, strings.Repeat("9", MaxUnitLen), "9999-12", c},
	} {
		b, err := l.MarshalBinary()
		if err != nil {
			t.Fatalf("MarshalBinary(%+v): %v", l, err)
		}
		got, err := ParseLeaf(b)
		if err != nil {
			t.Fatalf("ParseLeaf(%q): %v", b, err)
		}
		if got != l {
			t.Errorf("ParseLeaf(MarshalBinary(%+v)) = %+v", l, got)
		}
	}
}

func TestLeafEncoding(t *testing.T) {
	var c [32]byte
	l := Leaf{KindItem, "14329-005", "2025-07", c}
	b, err := l.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	want := "homthu/v1 item 14329-005 2025-07 AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n"
	if string(b) != want {
		t.Errorf("MarshalBinary = %q, want %q", b, want)
	}
	h, err := l.Hash()
	if err != nil {
		t.Fatal(err)
	}
	// RFC 6962 leaf hash, computed without tlog.
	if want := sha256.Sum256(append([]byte{0}, want...)); h != tlog.Hash(want) {
		t.Errorf("Hash = %x, want SHA-256(0x00 || leaf) = %x", h, want)
	}
}

func TestParseLeafRejects(t *testing.T) {
	good := "homthu/v1 item 14329-005 2025-07 AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n"
	if _, err := ParseLeaf([]byte(good)); err != nil {
		t.Fatalf("ParseLeaf(good): %v", err)
	}
	for _, tt := range []struct{ name, leaf string }{
		{"empty", ""},
		{"no newline", strings.TrimSuffix(good, "\n")},
		{"CRLF", strings.TrimSuffix(good, "\n") + "\r\n"},
		{"two newlines", good + "\n"},
		{"version", strings.Replace(good, "homthu/v1", "homthu/v2", 1)},
		{"kind", strings.Replace(good, " item ", " thing ", 1)},
		{"kind case", strings.Replace(good, " item ", " Item ", 1)},
		{"unit empty", strings.Replace(good, "14329-005", "", 1)},
		{"unit space", strings.Replace(good, "14329-005", "14329 005", 1)},
		{"unit diacritics", strings.Replace(good, "14329-005", "Hoà", 1)},
		{"unit too long", strings.Replace(good, "14329-005", strings.Repeat("1", MaxUnitLen+1), 1)},
		{"month day", strings.Replace(good, "2025-07", "2025-07-01", 1)},
		{"month 13", strings.Replace(good, "2025-07", "2025-13", 1)},
		{"month 00", strings.Replace(good, "2025-07", "2025-00", 1)},
		{"year 1999", strings.Replace(good, "2025-07", "1999-07", 1)},
		{"month slash", strings.Replace(good, "2025-07", "2025/07", 1)},
		{"commitment short", strings.Replace(good, "AAAA=", "AA==", 1)},
		{"commitment url base64", strings.Replace(good, "AAAAAAAA", "-_AAAAAA", 1)},
		{"commitment unpadded", strings.Replace(good, "=\n", "\n", 1)},
		{"commitment noncanonical pad bits", strings.Replace(good, "AAA=", "AAB=", 1)},
		{"double space", strings.Replace(good, " item", "  item", 1)},
		{"extra field", strings.Replace(good, "\n", " x\n", 1)},
		{"too long", good + strings.Repeat("x", MaxLeafSize)},
	} {
		if l, err := ParseLeaf([]byte(tt.leaf)); err == nil {
			t.Errorf("ParseLeaf(%s: %q) = %+v, want error", tt.name, tt.leaf, l)
		}
	}
}

func TestMarshalRejects(t *testing.T) {
	for _, l := range []Leaf{
		{Kind: "", Unit: "1", Month: "2025-01"},
		{Kind: KindItem, Unit: "", Month: "2025-01"},
		{Kind: KindItem, Unit: "1 2", Month: "2025-01"},
		{Kind: KindItem, Unit: "1", Month: "2025-1"},
		{Kind: KindItem, Unit: "1", Month: ""},
	} {
		if b, err := l.MarshalBinary(); err == nil {
			t.Errorf("MarshalBinary(%+v) = %q, want error", l, b)
		}
	}
}

func TestCommit(t *testing.T) {
	salt := bytes.Repeat([]byte{7}, SaltSize)
	th := HashText([]byte("Nội dung phản ánh"))
	c := Commit(KindItem, salt, th)

	// The commitment, computed from the documented formula.
	var n [4]byte
	binary.BigEndian.PutUint32(n[:], SaltSize)
	msg := append([]byte("homthu/commitment/v1\nitem\n"), n[:]...)
	msg = append(append(msg, salt...), th[:]...)
	if want := sha256.Sum256(msg); c != want {
		t.Errorf("Commit = %x, want %x", c, want)
	}
	if want := sha256.Sum256([]byte("homthu/text/v1\nNội dung phản ánh")); th != want {
		t.Errorf("HashText = %x, want %x", th, want)
	}

	// Every input matters.
	other := bytes.Clone(salt)
	other[0] ^= 1
	th2 := th
	th2[31] ^= 1
	for _, tt := range []struct {
		name string
		c    [32]byte
	}{
		{"kind", Commit(KindLetter, salt, th)},
		{"salt", Commit(KindItem, other, th)},
		{"salt length", Commit(KindItem, salt[:31], th)},
		{"text hash", Commit(KindItem, salt, th2)},
	} {
		if tt.c == c {
			t.Errorf("changing the %s does not change the commitment", tt.name)
		}
	}
}

func TestNewLeaf(t *testing.T) {
	text := []byte("Cán bộ xã nhận tiền")
	l, op, err := NewLeaf(KindItem, "14329-005", "2025-07", text)
	if err != nil {
		t.Fatal(err)
	}
	if len(op.Salt) != SaltSize || op.TextHash != HashText(text) {
		t.Errorf("opening = %+v", op)
	}
	if l.Commitment != Commit(KindItem, op.Salt, op.TextHash) {
		t.Errorf("leaf commitment does not match its opening")
	}
	b, _ := l.MarshalBinary()
	if bytes.Contains(b, text) || bytes.Contains(b, []byte(base64.StdEncoding.EncodeToString(op.Salt))) {
		t.Errorf("leaf %q carries the text or the salt", b)
	}
	_, op2, _ := NewLeaf(KindItem, "14329-005", "2025-07", text)
	if bytes.Equal(op.Salt, op2.Salt) {
		t.Errorf("two leaves share a salt")
	}
	if _, _, err := NewLeaf("bogus", "1", "2025-07", text); err == nil {
		t.Errorf("NewLeaf with an unknown kind succeeded")
	}
}

func TestMonth(t *testing.T) {
	for _, tt := range []struct {
		t    time.Time
		want string
	}{
		{time.Date(2025, 7, 31, 16, 59, 0, 0, time.UTC), "2025-07"},
		{time.Date(2025, 7, 31, 17, 0, 0, 0, time.UTC), "2025-08"}, // midnight in Hà Nội
		{time.Date(2025, 12, 31, 23, 0, 0, 0, time.UTC), "2026-01"},
	} {
		if got := Month(tt.t); got != tt.want {
			t.Errorf("Month(%v) = %q, want %q", tt.t, got, tt.want)
		}
	}
}

func FuzzParseLeaf(f *testing.F) {
	f.Add([]byte("homthu/v1 item 14329-005 2025-07 AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n"))
	f.Add([]byte("homthu/v1 answer 1 2000-12 q1K3Hb0y0bJ2vC4ZGf3mXrVZ0fQpL2m9bQdE8n6i3xY=\n"))
	f.Add([]byte("homthu/v1"))
	f.Fuzz(func(t *testing.T, b []byte) {
		l, err := ParseLeaf(b)
		if err != nil {
			return
		}
		again, err := l.MarshalBinary()
		if err != nil {
			t.Fatalf("MarshalBinary(ParseLeaf(%q)): %v", b, err)
		}
		if !bytes.Equal(again, b) {
			t.Fatalf("ParseLeaf accepted %q, which encodes as %q", b, again)
		}
	})
}
