package translog

import (
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/tlog"
)

// TileHeight is the height of the log's tiles: 8, so a full tile holds 256
// hashes (C2SP tlog-tiles, "Merkle Tree").
const TileHeight = 8

// tileWidth is the number of hashes (or entries) in a full tile.
const tileWidth = 1 << TileHeight

// TilePath returns the C2SP tlog-tiles path of a tile, relative to the log's
// prefix:
//
//	tile/<L>/<N>[.p/<W>]        a hash tile (t.L ≥ 0)
//	tile/entries/<N>[.p/<W>]    an entry bundle (t.L == -1, tlog's data tile)
//
// <N> is written in zero-padded three-digit path elements, all but the last
// prefixed with "x": 1234067 is "x001/x234/067". This is not tlog.Tile.Path,
// which writes the Go checksum database's "tile/8/0/..." form with the height
// in the path and "data" for entries. t.H must be TileHeight; a tile of full
// width (t.W == 256) has no ".p/<W>" suffix.
func TilePath(t tlog.Tile) string {
	var b strings.Builder
	b.WriteString("tile/")
	if t.L < 0 {
		b.WriteString("entries")
	} else {
		b.WriteString(strconv.Itoa(t.L))
	}
	b.WriteByte('/')
	b.WriteString(tileIndexPath(t.N))
	if t.W < tileWidth {
		b.WriteString(".p/")
		b.WriteString(strconv.Itoa(t.W))
	}
	return b.String()
}

// tileIndexPath encodes a tile index as "x001/x234/067".
func tileIndexPath(n int64) string {
	s := fmt.Sprintf("%03d", n%1000)
	for n >= 1000 {
		n /= 1000
		s = fmt.Sprintf("x%03d/%s", n%1000, s)
	}
	return s
}

// ParseTilePath parses a C2SP tlog-tiles path written by TilePath (with or
// without a leading "/", relative to the log's prefix) into a tile of height
// TileHeight. Entry bundles have L == -1. It accepts only the canonical form:
// no leading zeros in L or W, no superfluous "x000/" elements, 1 ≤ W ≤ 255 and
// 0 ≤ L ≤ 63.
func ParseTilePath(path string) (tlog.Tile, error) {
	bad := func() (tlog.Tile, error) {
		return tlog.Tile{}, fmt.Errorf("translog: malformed tile path %q", path)
	}
	rest, ok := strings.CutPrefix(strings.TrimPrefix(path, "/"), "tile/")
	if !ok {
		return bad()
	}
	elems := strings.Split(rest, "/")
	if len(elems) < 2 {
		return bad()
	}
	t := tlog.Tile{H: TileHeight, W: tileWidth}
	if elems[0] == "entries" {
		t.L = -1
	} else {
		l, ok := decimal(elems[0], 63)
		if !ok {
			return bad()
		}
		t.L = int(l)
	}
	elems = elems[1:]
	if last := elems[len(elems)-1]; len(elems) >= 2 && strings.HasSuffix(elems[len(elems)-2], ".p") {
		w, ok := decimal(last, tileWidth-1)
		if !ok || w == 0 {
			return bad()
		}
		t.W = int(w)
		elems = elems[:len(elems)-1]
		elems[len(elems)-1] = strings.TrimSuffix(elems[len(elems)-1], ".p")
	}
	if len(elems) > 7 { // 7 groups of 3 digits exceed int64's 19 digits
		return bad()
	}
	var n int64
	for i, e := range elems {
		if i < len(elems)-1 {
			var ok bool
			if e, ok = strings.CutPrefix(e, "x"); !ok {
				return bad()
			}
		}
		if len(e) != 3 {
			return bad()
		}
		d, ok := decimal3(e)
		if !ok || n > (1<<63-1-d)/1000 {
			return bad()
		}
		n = n*1000 + d
	}
	t.N = n
	if TilePath(t) != strings.TrimPrefix(path, "/") {
		return bad()
	}
	return t, nil
}

// decimal parses a decimal without sign or leading zeros, at most max.
func decimal(s string, max int64) (int64, bool) {
	if s == "" || len(s) > 1 && s[0] == '0' {
		return 0, false
	}
	for _, c := range []byte(s) {
		if c < '0' || c > '9' {
			return 0, false
		}
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil || v > max {
		return 0, false
	}
	return v, true
}

// decimal3 parses exactly three decimal digits.
func decimal3(s string) (int64, bool) {
	var v int64
	for _, c := range []byte(s) {
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + int64(c-'0')
	}
	return v, true
}
