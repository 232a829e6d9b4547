package translog

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/tlog"
)

// Handler returns the read-only HTTP interface of the log, as C2SP tlog-tiles
// (https://c2sp.org/tlog-tiles) specifies it, relative to the log's prefix:
//
//	GET checkpoint                 the latest signed checkpoint with its cosignatures
//	GET tile/<L>/<N>[.p/<W>]       hash tiles of height 8
//	GET tile/entries/<N>[.p/<W>]   entry bundles: uint16-length-prefixed leaves
//	GET key                        the verifier key, one line in note format
//
// The web server mounts it under /log/:
//
//	mux.Handle("/log/", http.StripPrefix("/log", l.Handler()))
//
// and the origin line should then be "<host>/log". Only what the latest
// checkpoint covers is served, so the public sees the tree grow one
// scheduled, shuffled batch at a time. Full tiles and bundles never change
// and may be cached forever; partial ones briefly; the checkpoint not at all.
func (l *Log) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /checkpoint", l.serveCheckpoint)
	mux.HandleFunc("GET /key", l.serveKey)
	mux.HandleFunc("GET /tile/", l.serveTile)
	return mux
}

// Cache-Control values of the handler.
const (
	cacheForever   = "public, max-age=31536000, immutable"
	cachePartial   = "public, max-age=10"
	cacheNever     = "no-cache"
	cacheKey       = "public, max-age=3600"
	contentText    = "text/plain; charset=utf-8"
	contentBinary  = "application/octet-stream"
	maxEntryBundle = tileWidth * (2 + MaxLeafSize)
)

func (l *Log) serveCheckpoint(w http.ResponseWriter, r *http.Request) {
	c, err := l.store.LatestCheckpoint(r.Context())
	if err != nil {
		l.httpError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", contentText)
	w.Header().Set("Cache-Control", cacheNever)
	w.Write(c.Note())
}

func (l *Log) serveKey(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", contentText)
	w.Header().Set("Cache-Control", cacheKey)
	w.Write([]byte(l.vkey + "\n"))
}

func (l *Log) serveTile(w http.ResponseWriter, r *http.Request) {
	t, err := ParseTilePath(r.URL.Path)
	if err != nil {
		l.httpError(w, r, ErrNotFound)
		return
	}
	c, err := l.store.LatestCheckpoint(r.Context())
	if err != nil {
		l.httpError(w, r, err)
		return
	}
	if !tileAvailable(t, c.Size) {
		l.httpError(w, r, ErrNotFound)
		return
	}
	var data []byte
	if t.L >= 0 {
		data, err = tlog.ReadTileData(t, hashReader(r.Context(), l.store))
	} else {
		data, err = l.entryBundle(r, t)
	}
	if err != nil {
		l.httpError(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", contentBinary)
	if t.W == tileWidth {
		h.Set("Cache-Control", cacheForever)
	} else {
		h.Set("Cache-Control", cachePartial)
	}
	if t.L < 0 {
		// Entry bundles SHOULD be compressed at the HTTP layer.
		h.Add("Vary", "Accept-Encoding")
		if acceptsGzip(r) {
			var b bytes.Buffer
			z := gzip.NewWriter(&b)
			z.Write(data)
			z.Close()
			h.Set("Content-Encoding", "gzip")
			data = b.Bytes()
		}
	}
	h.Set("Content-Length", strconv.Itoa(len(data)))
	w.Write(data)
}

// tileAvailable reports whether tile t exists in the tree of the given size:
// the tile's first t.W hashes (or entries) are all complete.
func tileAvailable(t tlog.Tile, size int64) bool {
	level := max(t.L, 0) * TileHeight
	if level >= 63 {
		return false
	}
	avail := size >> level // hashes at that level
	if t.N > (avail-int64(t.W))/tileWidth {
		return false
	}
	return t.N*tileWidth+int64(t.W) <= avail
}

// entryBundle encodes the leaves of tile t as a C2SP entry bundle: each
// entry as a big-endian uint16 length followed by its bytes.
func (l *Log) entryBundle(r *http.Request, t tlog.Tile) ([]byte, error) {
	start := t.N * tileWidth
	leaves, err := l.store.ReadLeaves(r.Context(), start, start+int64(t.W))
	if err != nil {
		return nil, err
	}
	var b []byte
	for _, e := range leaves {
		if len(e) > 0xFFFF {
			return nil, errors.New("translog: leaf longer than an entry bundle allows")
		}
		b = binary.BigEndian.AppendUint16(b, uint16(len(e)))
		b = append(b, e...)
	}
	return b, nil
}

// parseEntryBundle splits an entry bundle into its entries.
func parseEntryBundle(b []byte) ([][]byte, error) {
	var out [][]byte
	for len(b) > 0 {
		if len(b) < 2 {
			return nil, errors.New("translog: truncated entry bundle")
		}
		n := int(binary.BigEndian.Uint16(b))
		b = b[2:]
		if len(b) < n {
			return nil, errors.New("translog: truncated entry bundle")
		}
		out = append(out, b[:n])
		b = b[n:]
	}
	return out, nil
}

func acceptsGzip(r *http.Request) bool {
	for _, v := range r.Header.Values("Accept-Encoding") {
		for _, e := range strings.Split(v, ",") {
			name, params, _ := strings.Cut(e, ";")
			if !strings.EqualFold(strings.TrimSpace(name), "gzip") {
				continue
			}
			q, ok := strings.CutPrefix(strings.ReplaceAll(params, " ", ""), "q=")
			if v, err := strconv.ParseFloat(q, 64); ok && err == nil && v == 0 {
				continue
			}
			return true
		}
	}
	return false
}

// httpError answers with a short plain-text error that reveals nothing
// internal; internal errors are logged.
func (l *Log) httpError(w http.ResponseWriter, r *http.Request, err error) {
	w.Header().Set("Content-Type", contentText)
	w.Header().Set("Cache-Control", "no-store")
	if errors.Is(err, ErrNotFound) {
		http.Error(w, "not found", http.StatusNotFound)
		return
	}
	l.logger.Error("translog: serve", "path", r.URL.Path, "err", err)
	http.Error(w, "internal error", http.StatusInternalServerError)
}
