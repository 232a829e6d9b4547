package translog

import (
	"strconv"
	"strings"
	"testing"

	"golang.org/x/mod/sumdb/tlog"
)

func TestTilePath(t *testing.T) {
	for _, tt := range []struct {
		tile tlog.Tile
		path string
	}{
		// The example of C2SP tlog-tiles: index 1234067 is x001/x234/067.
		{tlog.Tile{H: 8, L: 0, N: 1234067, W: 256}, "tile/0/x001/x234/067"},
		{tlog.Tile{H: 8, L: 0, N: 0, W: 256}, "tile/0/000"},
		{tlog.Tile{H: 8, L: 0, N: 5, W: 1}, "tile/0/005.p/1"},
		{tlog.Tile{H: 8, L: 1, N: 999, W: 255}, "tile/1/999.p/255"},
		{tlog.Tile{H: 8, L: 2, N: 1000, W: 256}, "tile/2/x001/000"},
		{tlog.Tile{H: 8, L: 63, N: 1000000, W: 17}, "tile/63/x001/x000/000.p/17"},
		{tlog.Tile{H: 8, L: -1, N: 1234067, W: 256}, "tile/entries/x001/x234/067"},
		{tlog.Tile{H: 8, L: -1, N: 273, W: 112}, "tile/entries/273.p/112"},
		{tlog.Tile{H: 8, L: -1, N: 1<<63 - 1, W: 256}, "tile/entries/x009/x223/x372/x036/x854/x775/807"},
	} {
		if got := TilePath(tt.tile); got != tt.path {
			t.Errorf("TilePath(%+v) = %q, want %q", tt.tile, got, tt.path)
		}
		for _, p := range []string{tt.path, "/" + tt.path} {
			got, err := ParseTilePath(p)
			if err != nil || got != tt.tile {
				t.Errorf("ParseTilePath(%q) = %+v, %v; want %+v", p, got, err, tt.tile)
			}
		}
		// The index is written as in Go's checksum database; only the rest
		// of the path differs.
		if tt.tile.L >= 0 {
			goPath := tt.tile.Path()
			if goPath == tt.path || !strings.HasSuffix(goPath, strings.TrimPrefix(tt.path, "tile/"+strconv.Itoa(tt.tile.L))) {
				t.Errorf("tlog path %q vs C2SP path %q", goPath, tt.path)
			}
		}
	}
}

func TestParseTilePathRejects(t *testing.T) {
	for _, p := range []string{
		"",
		"tile",
		"tile/0",
		"tile/0/",
		"tile/0/5",
		"tile/0/05",
		"tile/0/0005",
		"tile/00/005",
		"tile/64/005",
		"tile/-1/005",
		"tile/data/005",
		"tile/8/0/005", // Go checksum database form
		"tile/0/x000/005",
		"tile/0/x001",
		"tile/0/001/234",
		"tile/0/x001/x234",
		"tile/0/y001/234",
		"tile/0/005.p",
		"tile/0/005.p/",
		"tile/0/005.p/0",
		"tile/0/005.p/256",
		"tile/0/005.p/017",
		"tile/0/005.p/1/2",
		"tile/0/005.q/1",
		"tile/0/x005.p/1/234",
		"tile/entries/x009/x223/x372/x036/x854/x775/808", // overflows int64
		"tile/entries/x001/x001/x001/x001/x001/x001/x001/001",
		"tile/0/00a",
		"tile/0/+05",
		"tile/0/ 05",
		"tiles/0/005",
		"//tile/0/005",
		"tile//0/005",
	} {
		if got, err := ParseTilePath(p); err == nil {
			t.Errorf("ParseTilePath(%q) = %+v, want error", p, got)
		}
	}
}

// TestTileAvailable follows the examples of C2SP tlog-tiles, "Partial Tiles".
func TestTileAvailable(t *testing.T) {
	count := func(size int64, l int) (full int64, partial int) {
		for n := int64(0); ; n++ {
			if tileAvailable(tlog.Tile{H: 8, L: l, N: n, W: 256}, size) {
				full++
				continue
			}
			for w := 255; w >= 1; w-- {
				if tileAvailable(tlog.Tile{H: 8, L: l, N: n, W: w}, size) {
					if tileAvailable(tlog.Tile{H: 8, L: l, N: n + 1, W: 1}, size) {
						t.Errorf("size %d level %d: tiles after a partial one", size, l)
					}
					return full, w
				}
			}
			return full, 0
		}
	}
	for _, tt := range []struct {
		size    int64
		level   int
		full    int64
		partial int
	}{
		// "a tree of size 70,000 will be represented by 273 full level 0
		// tiles, one partial level 0 tile of width 112, one full level 1
		// tile, one partial level 1 tile of width 17, and one partial level
		// 2 tile of width 1."
		{70000, 0, 273, 112},
		{70000, -1, 273, 112},
		{70000, 1, 1, 17},
		{70000, 2, 0, 1},
		{70000, 3, 0, 0},
		// "a tree of size 256 will be represented by a full level 0 tile
		// and a partial level 1 tile of width 1."
		{256, 0, 1, 0},
		{256, 1, 0, 1},
		{256, 2, 0, 0},
		{0, 0, 0, 0},
		{1, 0, 0, 1},
	} {
		full, partial := count(tt.size, tt.level)
		if full != tt.full || partial != tt.partial {
			t.Errorf("size %d, level %d: %d full tiles and a partial of width %d, want %d and %d",
				tt.size, tt.level, full, partial, tt.full, tt.partial)
		}
	}
	if tileAvailable(tlog.Tile{H: 8, L: 0, N: 1 << 60, W: 5}, 100) || tileAvailable(tlog.Tile{H: 8, L: 63, N: 0, W: 1}, 1<<62) {
		t.Errorf("tileAvailable overflows")
	}
}

func FuzzParseTilePath(f *testing.F) {
	for _, p := range []string{"tile/0/x001/x234/067", "tile/entries/005.p/7", "tile/63/000", "tile/1/x001/000.p/255"} {
		f.Add(p)
	}
	f.Fuzz(func(t *testing.T, p string) {
		tile, err := ParseTilePath(p)
		if err != nil {
			return
		}
		if got := TilePath(tile); got != strings.TrimPrefix(p, "/") {
			t.Fatalf("ParseTilePath(%q) = %+v, which is written %q", p, tile, got)
		}
		if tile.H != TileHeight || tile.L < -1 || tile.L > 63 || tile.N < 0 || tile.W < 1 || tile.W > 256 {
			t.Fatalf("ParseTilePath(%q) = %+v out of range", p, tile)
		}
	})
}
