package backup

import (
	"bytes"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"io"
	"testing"
)

var testKDF = KDFParams{Time: 1, Memory: 64, Threads: 1}

func seal(t testing.TB, plain []byte, pass string) []byte {
	t.Helper()
	var buf bytes.Buffer
	w, err := newEncrypter(&buf, pass, testKDF)
	if err != nil {
		t.Fatal(err)
	}
	// Write in uneven pieces, so that chunk boundaries fall inside writes.
	for p := plain; len(p) > 0; {
		n := min(len(p), 1+len(p)%7919)
		if _, err := w.Write(p[:n]); err != nil {
			t.Fatal(err)
		}
		p = p[n:]
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func open(sealed []byte, pass string) ([]byte, error) {
	r, err := newDecrypter(bytes.NewReader(sealed), pass, nil)
	if err != nil {
		return nil, err
	}
	return io.ReadAll(r)
}

func TestCryptRoundTrip(t *testing.T) {
	for _, n := range []int{0, 1, chunkSize - 1, chunkSize, chunkSize + 1, 3 * chunkSize, 3*chunkSize + 5} {
		plain := make([]byte, n)
		rand.Read(plain)
		sealed := seal(t, plain, "mật khẩu")
		chunks := max(1, (n+chunkSize-1)/chunkSize)
		if want := headerSize + n + chunks*16; len(sealed) != want {
			t.Errorf("sealed %d bytes into %d, want %d (%d chunks)", n, len(sealed), want, chunks)
		}
		got, err := open(sealed, "mật khẩu")
		if err != nil || !bytes.Equal(got, plain) {
			t.Errorf("open(seal(%d bytes)) = %d bytes, %v", n, len(got), err)
		}
	}
}

func TestCryptTamper(t *testing.T) {
	plain := make([]byte, 3*chunkSize+100)
	rand.Read(plain)
	sealed := seal(t, plain, "mật khẩu")
	ct := chunkSize + 16 // a full sealed chunk
	chunk := func(i int) []byte { return sealed[headerSize+i*ct : min(len(sealed), headerSize+(i+1)*ct)] }
	join := func(parts ...[]byte) []byte { return bytes.Join(parts, nil) }
	header := sealed[:headerSize]

	flip := func(at int) []byte {
		b := bytes.Clone(sealed)
		b[at] ^= 1
		return b
	}
	for _, tt := range []struct {
		name string
		in   []byte
		want error
	}{
		{"wrong passphrase", nil, ErrPassphrase},
		{"magic", flip(0), ErrNotBackup},
		{"argon2 memory", flip(len(magic) + 7), ErrPassphrase},
		{"salt", flip(len(magic) + 9), ErrPassphrase},
		{"nonce prefix", flip(len(magic) + 9 + saltSize), ErrPassphrase},
		{"check", flip(headerSize - 1), ErrPassphrase},
		{"first chunk", flip(headerSize), ErrDamaged},
		{"a tag", flip(headerSize + ct - 1), ErrDamaged},
		{"last chunk", flip(len(sealed) - 20), ErrDamaged},
		{"header only", header, ErrDamaged},
		{"short header", sealed[:headerSize-1], ErrDamaged},
		{"cut at a chunk boundary", sealed[:headerSize+2*ct], ErrDamaged},
		{"cut inside a chunk", sealed[:headerSize+2*ct+100], ErrDamaged},
		{"last byte cut", sealed[:len(sealed)-1], ErrDamaged},
		{"chunks swapped", join(header, chunk(1), chunk(0), chunk(2), chunk(3)), ErrDamaged},
		{"chunk dropped", join(header, chunk(0), chunk(2), chunk(3)), ErrDamaged},
		{"chunk repeated", join(header, chunk(0), chunk(0), chunk(1), chunk(2), chunk(3)), ErrDamaged},
		{"trailing bytes", join(sealed, []byte{0}), ErrDamaged},
		{"last chunk twice", join(sealed, chunk(3)), ErrDamaged},
	} {
		in, pass := tt.in, "mật khẩu"
		if in == nil {
			in, pass = sealed, "mật khẩu sai"
		}
		if _, err := open(in, pass); !errors.Is(err, tt.want) {
			t.Errorf("%s: open = %v, want %v", tt.name, err, tt.want)
		}
	}
}

func TestCryptKDFBounds(t *testing.T) {
	sealed := seal(t, []byte("x"), "p")
	b := bytes.Clone(sealed)
	binary.BigEndian.PutUint32(b[len(magic)+4:], 1<<30) // 1 TiB of memory
	if _, err := open(b, "p"); !errors.Is(err, ErrDamaged) {
		t.Errorf("open with a 1 TiB argon2id memory cost = %v, want ErrDamaged before any work", err)
	}
}

// FuzzDecrypt: no input makes the decrypter panic, and every refusal says
// which of the three things went wrong.
func FuzzDecrypt(f *testing.F) {
	f.Add(seal(f, []byte("bản sao lưu"), "p"))
	f.Add(seal(f, make([]byte, chunkSize+1), "p"))
	f.Add([]byte(magic))
	f.Fuzz(func(t *testing.T, in []byte) {
		if len(in) >= len(magic)+9 {
			// Keep argon2id cheap: the bounds allow costs a fuzzer must not pay.
			p := in[len(magic):]
			if binary.BigEndian.Uint32(p) > 2 || binary.BigEndian.Uint32(p[4:]) > 1024 {
				return
			}
		}
		if _, err := open(in, "p"); err != nil && !isOurs(err) {
			t.Errorf("open = %v, not ErrDamaged, ErrPassphrase or ErrNotBackup", err)
		}
	})
}
