package translog

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

func TestHandler(t *testing.T) {
	ctx := t.Context()
	skey, vkey := testKey(t)
	s := new(MemStore)
	l := newTestLog(t, s, skey)
	grow(t, l, s, 0, 600)        // level 0: 2 full tiles and one of width 88; level 1: width 2
	for i := 600; i < 700; i++ { // sequenced, not yet under a checkpoint
		b, _ := testLeaf(t, i)
		s.AddPending(ctx, b, fmt.Sprintf("item:%d", i))
	}
	if _, err := l.Sequence(ctx); err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/log/", http.StripPrefix("/log", l.Handler()))

	const (
		text   = "text/plain; charset=utf-8"
		binary = "application/octet-stream"
	)
	for _, tt := range []struct {
		method, path string
		status       int
		ctype, cache string
		size         int
	}{
		{"GET", "/log/checkpoint", 200, text, cacheNever, -1},
		{"HEAD", "/log/checkpoint", 200, text, cacheNever, -1},
		{"GET", "/log/key", 200, text, cacheKey, len(vkey) + 1},
		{"GET", "/log/tile/0/000", 200, binary, cacheForever, 8192},
		{"GET", "/log/tile/0/001", 200, binary, cacheForever, 8192},
		{"GET", "/log/tile/0/002.p/88", 200, binary, cachePartial, 88 * 32},
		{"GET", "/log/tile/0/002.p/10", 200, binary, cachePartial, 10 * 32}, // an older checkpoint's
		{"GET", "/log/tile/0/002.p/89", 404, text, "no-store", -1},          // beyond the checkpoint
		{"GET", "/log/tile/0/002", 404, text, "no-store", -1},
		{"GET", "/log/tile/1/000.p/2", 200, binary, cachePartial, 2 * 32},
		{"GET", "/log/tile/1/000.p/3", 404, text, "no-store", -1},
		{"GET", "/log/tile/1/000", 404, text, "no-store", -1},
		{"GET", "/log/tile/2/000.p/1", 404, text, "no-store", -1},
		{"GET", "/log/tile/entries/000", 200, binary, cacheForever, -1},
		{"GET", "/log/tile/entries/002.p/88", 200, binary, cachePartial, -1},
		{"GET", "/log/tile/entries/002.p/89", 404, text, "no-store", -1},
		{"GET", "/log/tile/entries/003", 404, text, "no-store", -1},
		{"GET", "/log/tile/8/0/000", 404, text, "no-store", -1}, // Go sumdb paths are not served
		{"GET", "/log/tile/0/x000/000", 404, text, "no-store", -1},
		{"GET", "/log/tile/0/0", 404, text, "no-store", -1},
		{"POST", "/log/checkpoint", 405, "", "", -1},
		{"GET", "/log/", 404, "", "", -1},
	} {
		req := httptest.NewRequest(tt.method, tt.path, nil)
		rec := httptest.NewRecorder()
		mux.ServeHTTP(rec, req)
		res := rec.Result()
		if res.StatusCode != tt.status {
			t.Errorf("%s %s: status %d, want %d", tt.method, tt.path, res.StatusCode, tt.status)
			continue
		}
		if tt.ctype != "" && res.Header.Get("Content-Type") != tt.ctype {
			t.Errorf("%s %s: Content-Type %q, want %q", tt.method, tt.path, res.Header.Get("Content-Type"), tt.ctype)
		}
		if tt.cache != "" && res.Header.Get("Cache-Control") != tt.cache {
			t.Errorf("%s %s: Cache-Control %q, want %q", tt.method, tt.path, res.Header.Get("Cache-Control"), tt.cache)
		}
		if tt.size >= 0 && rec.Body.Len() != tt.size && tt.method == "GET" {
			t.Errorf("%s %s: %d bytes, want %d", tt.method, tt.path, rec.Body.Len(), tt.size)
		}
	}

	get := func(path string, hdr ...string) *http.Response {
		t.Helper()
		req := httptest.NewRequest("GET", path, nil)
		for i := 0; i+1 < len(hdr); i += 2 {
			req.Header.Set(hdr[i], hdr[i+1])
		}
		rec := httptest.NewRecorder()
		mux.ServeHTTP(rec, req)
		return rec.Result()
	}
	body := func(r *http.Response) []byte {
		b, err := io.ReadAll(r.Body)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}

	// The key: one line, in note verifier format, named for the origin.
	key := strings.TrimSuffix(string(body(get("/log/key"))), "\n")
	v, err := note.NewVerifier(key)
	if err != nil || key != vkey || v.Name() != l.Origin() {
		t.Errorf("/log/key = %q (%v), want %q named %q", key, err, vkey, l.Origin())
	}

	// The checkpoint: signed, at 600, not 700.
	cp, _, err := OpenCheckpoint(body(get("/log/checkpoint")), v)
	if err != nil || cp.Size != 600 {
		t.Fatalf("/log/checkpoint = %+v, %v; want size 600", cp, err)
	}

	// Hash tiles are what tlog computes from the stored hashes, and they
	// authenticate against the checkpoint through tlog.TileHashReader.
	r := hashReader(ctx, s)
	for _, tile := range []tlog.Tile{{H: 8, L: 0, N: 1, W: 256}, {H: 8, L: 0, N: 2, W: 88}, {H: 8, L: 1, N: 0, W: 2}} {
		want, err := tlog.ReadTileData(tile, r)
		if err != nil {
			t.Fatal(err)
		}
		if got := body(get("/log/" + TilePath(tile))); !bytes.Equal(got, want) {
			t.Errorf("%s differs from tlog.ReadTileData", TilePath(tile))
		}
	}

	// Entry bundles hold the leaves, uint16-length-prefixed, and gzip on
	// request.
	leaves, _ := s.ReadLeaves(ctx, 512, 600)
	for _, enc := range []string{"", "gzip"} {
		res := get("/log/tile/entries/002.p/88", "Accept-Encoding", enc)
		data := body(res)
		if enc == "gzip" {
			if res.Header.Get("Content-Encoding") != "gzip" {
				t.Fatalf("entry bundle not gzipped for Accept-Encoding: gzip")
			}
			z, err := gzip.NewReader(bytes.NewReader(data))
			if err != nil {
				t.Fatal(err)
			}
			if data, err = io.ReadAll(z); err != nil {
				t.Fatal(err)
			}
		} else if res.Header.Get("Content-Encoding") != "" {
			t.Errorf("entry bundle encoded without being asked")
		}
		entries, err := parseEntryBundle(data)
		if err != nil || len(entries) != 88 {
			t.Fatalf("entry bundle: %d entries, %v", len(entries), err)
		}
		for i, e := range entries {
			if !bytes.Equal(e, leaves[i]) {
				t.Errorf("entry %d = %q, want %q", 512+i, e, leaves[i])
			}
			if int(data[0])<<8|int(data[1]) != len(leaves[0]) {
				t.Errorf("entry length prefix is not big-endian uint16")
			}
		}
	}
}

func TestHandlerEmpty(t *testing.T) {
	skey, _ := testKey(t)
	l := newTestLog(t, new(MemStore), skey)
	rec := httptest.NewRecorder()
	l.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/checkpoint", nil))
	if rec.Code != 404 {
		t.Errorf("GET /checkpoint of a log never signed: %d, want 404", rec.Code)
	}
	rec = httptest.NewRecorder()
	l.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/tile/0/000.p/1", nil))
	if rec.Code != 404 {
		t.Errorf("GET a tile of a log never signed: %d, want 404", rec.Code)
	}
}

func TestAcceptsGzip(t *testing.T) {
	for _, tt := range []struct {
		h    string
		want bool
	}{
		{"", false},
		{"gzip", true},
		{"br, gzip;q=0.5", true},
		{"GZIP", true},
		{"gzip;q=0", false},
		{"gzip; q=0", false},
		{"gzip;q=0.000", false},
		{"gzip;q=1", true},
		{"identity", false},
		{"x-gzip", false},
	} {
		r := httptest.NewRequest("GET", "/", nil)
		r.Header.Set("Accept-Encoding", tt.h)
		if got := acceptsGzip(r); got != tt.want {
			t.Errorf("acceptsGzip(%q) = %v, want %v", tt.h, got, tt.want)
		}
	}
}

func FuzzParseEntryBundle(f *testing.F) {
	f.Add([]byte{0, 3, 'a', 'b', 'c', 0, 0})
	f.Add([]byte{0xff, 0xff, 1})
	f.Fuzz(func(t *testing.T, b []byte) {
		entries, err := parseEntryBundle(b)
		if err != nil {
			return
		}
		var again []byte
		for _, e := range entries {
			again = append(again, byte(len(e)>>8), byte(len(e)))
			again = append(again, e...)
		}
		if !bytes.Equal(again, b) {
			t.Fatalf("parseEntryBundle(%x) = %q, which encodes as %x", b, entries, again)
		}
	})
}
