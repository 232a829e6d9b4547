package upload

import (
	"bytes"
	"compress/flate"
	"compress/zlib"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/adler32"
	"io"
)

// A PDF's offsets count bytes in the file, so scrubPDF can rewrite a
// compressed stream (an object stream holding the document information
// dictionary, a compressed XMP stream) only if the new compressed data is
// exactly as long as the old. deflateExact makes it so: it compresses the
// cleaned data, which is no less compressible than before since cleaning
// only turns text into spaces, and pads the DEFLATE stream (RFC 1951) to
// the byte with empty blocks, which every inflater skips.

// errNoFit reports that cleaned data does not compress into the room of the
// original stream.
var errNoFit = errors.New("cleaned stream does not fit")

// inflate decodes a FlateDecode stream, zlib-wrapped (RFC 1950) as ISO 32000
// requires or raw DEFLATE as some writers make it, reading at most limit
// bytes of output. It reports whether the stream was zlib-wrapped.
func inflate(data []byte, limit int) (out []byte, wrapped bool, err error) {
	var r io.ReadCloser
	if zr, err := zlib.NewReader(bytes.NewReader(data)); err == nil {
		r, wrapped = zr, true
	} else {
		r = flate.NewReader(bytes.NewReader(data))
	}
	defer r.Close()
	out, err = io.ReadAll(io.LimitReader(r, int64(limit)+1))
	// Readers show what a truncated stream or one with a bad checksum
	// decodes to, so that is what must be inspected.
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, zlib.ErrChecksum) {
		err = nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("inflate: %w", err)
	}
	if len(out) > limit {
		return nil, false, fmt.Errorf("inflate: more than %d bytes", limit)
	}
	return out, wrapped, nil
}

// deflateExact returns data compressed into exactly n bytes, zlib-wrapped
// if wrapped, or errNoFit. The original writer's compressor may have done
// better than Go's best level on this data, so for small streams every
// level is tried and the shortest output kept.
func deflateExact(data []byte, n int, wrapped bool) ([]byte, error) {
	room := n
	if wrapped {
		room -= 6 // 2-byte header, 4-byte Adler-32
	}
	levels := []int{flate.BestCompression}
	if len(data) <= 1<<20 {
		// Levels 1–3 and Huffman-only never win: they skip lazy matching.
		levels = append(levels, 8, 7, 6, 5, 4)
	}
	var best []byte
	for _, level := range levels {
		var buf bytes.Buffer
		w, err := flate.NewWriter(&buf, level)
		if err != nil {
			return nil, err
		}
		w.Write(data)
		// A sync flush ends on a byte boundary, without a final block.
		if err := w.Flush(); err != nil {
			return nil, err
		}
		if best == nil || buf.Len() < len(best) {
			best = buf.Bytes()
		}
	}
	tail, ok := finalPadding(room - len(best))
	if !ok {
		return nil, fmt.Errorf("%w: %d bytes compressed, %d of room", errNoFit, len(best), room)
	}
	out := make([]byte, 0, n)
	if wrapped {
		out = append(out, 0x78, 0xda) // deflate, 32K window, best compression
	}
	out = append(out, best...)
	out = append(out, tail...)
	if wrapped {
		out = binary.BigEndian.AppendUint32(out, adler32.Checksum(data))
	}
	return out, nil
}

// finalPadding returns g bytes of DEFLATE blocks that carry no data and end
// the stream, to follow a byte-aligned stream that has no final block:
// empty stored blocks (5 bytes each) and a tail of empty fixed-Huffman
// blocks, each 10 bits, the last one final. g must be at least 2.
func finalPadding(g int) ([]byte, bool) {
	if g < 2 {
		return nil, false
	}
	var bw bitWriter
	// The tail takes r bytes, 2 ≤ r ≤ 6, so that g-r is a multiple of 5.
	r := g % 5
	if r < 2 {
		r += 5
	}
	for i := 0; i < (g-r)/5; i++ {
		bw.bits(0, 3) // BFINAL=0, BTYPE=00 (stored)
		bw.align()
		bw.bytes(0x00, 0x00, 0xff, 0xff) // LEN=0, NLEN=^0
	}
	switch r {
	case 2, 3, 4, 5:
		// r-1 fixed blocks of 10 bits, rounding up, fill r bytes:
		// 10 bits → 2 bytes, 20 → 3, 30 → 4, 40 → 5.
		for i := 0; i < r-1; i++ {
			final := uint32(0)
			if i == r-2 {
				final = 1
			}
			bw.bits(final, 1)
			bw.bits(1, 2) // BTYPE=01 (fixed Huffman)
			bw.bits(0, 7) // end of block: code 256 is seven 0 bits
		}
		bw.align()
	case 6:
		// One fixed block (10 bits) and a final stored block: 13 bits
		// round up to 2 bytes, then LEN and NLEN.
		bw.bits(0, 1)
		bw.bits(1, 2)
		bw.bits(0, 7)
		bw.bits(1, 3) // BFINAL=1, BTYPE=00
		bw.align()
		bw.bytes(0x00, 0x00, 0xff, 0xff)
	}
	if len(bw.out) != g {
		panic(fmt.Sprintf("upload: finalPadding(%d) wrote %d bytes", g, len(bw.out)))
	}
	return bw.out, true
}

// bitWriter writes bits least significant first, as DEFLATE packs them.
type bitWriter struct {
	out   []byte
	acc   uint32
	nbits uint
}

func (w *bitWriter) bits(v uint32, n uint) {
	w.acc |= v << w.nbits
	w.nbits += n
	for w.nbits >= 8 {
		w.out = append(w.out, byte(w.acc))
		w.acc >>= 8
		w.nbits -= 8
	}
}

func (w *bitWriter) align() {
	if w.nbits > 0 {
		w.out = append(w.out, byte(w.acc))
		w.acc, w.nbits = 0, 0
	}
}

func (w *bitWriter) bytes(b ...byte) { w.out = append(w.out, b...) }
