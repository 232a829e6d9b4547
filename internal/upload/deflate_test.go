package upload

import (
	"bytes"
	"compress/flate"
	"compress/zlib"
	"errors"
	"io"
	"strings"
	"testing"
)

func TestFinalPadding(t *testing.T) {
	for _, g := range []int{-1, 0, 1} {
		if _, ok := finalPadding(g); ok {
			t.Errorf("finalPadding(%d) succeeded, want failure", g)
		}
	}
	for g := 2; g <= 64; g++ {
		tail, ok := finalPadding(g)
		if !ok || len(tail) != g {
			t.Fatalf("finalPadding(%d) = %d bytes, %v", g, len(tail), ok)
		}
		// Alone, the padding is a complete DEFLATE stream of nothing.
		got, err := io.ReadAll(flate.NewReader(bytes.NewReader(tail)))
		if err != nil || len(got) != 0 {
			t.Errorf("finalPadding(%d) = %x inflates to %q, %v; want an empty stream", g, tail, got, err)
		}
	}
}

func TestDeflateExact(t *testing.T) {
	data := []byte(strings.Repeat("1 0 2 44 <</Producer (                )>>\n<</Type /Page>>\n", 20))
	for _, wrapped := range []bool{true, false} {
		min := 0
		for n := 1; n < 100; n++ {
			enc, err := deflateExact(data, n, wrapped)
			if errors.Is(err, errNoFit) {
				if min != 0 {
					t.Errorf("deflateExact(n=%d) does not fit but n=%d did", n, min)
				}
				continue
			}
			if err != nil {
				t.Fatal(err)
			}
			if min == 0 {
				min = n
			}
			if len(enc) != n {
				t.Fatalf("deflateExact(n=%d, wrapped=%v) = %d bytes", n, wrapped, len(enc))
			}
			got, wrappedGot, err := inflate(enc, 1<<20)
			if err != nil || !bytes.Equal(got, data) || wrappedGot != wrapped {
				t.Fatalf("deflateExact(n=%d, wrapped=%v) inflates to %d bytes (wrapped %v), %v", n, wrapped, len(got), wrappedGot, err)
			}
			if wrapped {
				// The strict reader checks the Adler-32 too.
				zr, err := zlib.NewReader(bytes.NewReader(enc))
				if err != nil {
					t.Fatal(err)
				}
				if _, err := io.ReadAll(zr); err != nil {
					t.Fatalf("deflateExact(n=%d): zlib: %v", n, err)
				}
			}
		}
		if min == 0 {
			t.Errorf("deflateExact never fit %d bytes of repetitive data in 100", len(data))
		}
	}
}

func TestInflateLimit(t *testing.T) {
	var buf bytes.Buffer
	zw := zlib.NewWriter(&buf)
	zw.Write(make([]byte, 1<<20))
	zw.Close()
	if _, _, err := inflate(buf.Bytes(), 1<<19); err == nil {
		t.Errorf("inflate of 1 MiB with a limit of 512 KiB succeeded")
	}
	if got, _, err := inflate(buf.Bytes(), 1<<20); err != nil || len(got) != 1<<20 {
		t.Errorf("inflate = %d bytes, %v; want 1 MiB", len(got), err)
	}
}
