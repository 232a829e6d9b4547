package upload

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"errors"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"testing"

	"homthu/internal/homthu"
)

// FuzzSanitize feeds Sanitize mutations of small images and PDFs. Whatever
// comes in, Sanitize must not panic, must refuse with a person-facing
// error or return one of the three types, and its output must pass through
// Sanitize again as the same type.
func FuzzSanitize(f *testing.F) {
	two := [2]color.NRGBA{{0x20, 0x80, 0xc0, 0xff}, {0, 0, 0, 0}}
	checker := func(x, y int) int { return (x + y) % 2 }
	for _, seed := range [][]byte{
		jpegWithMetadata(f, quadrants(16, 8), binary.LittleEndian, 6),
		pngWithMetadata(f, quadrants(8, 16), 3),
		webpFile(8, 4, vp8l(8, 4, two, checker), true, exifTIFF(binary.BigEndian, 8), xmpPacket()),
		webpFile(3, 3, vp8l(3, 3, [2]color.NRGBA{{1, 2, 3, 0xff}, {4, 5, 6, 0xff}}, checker), false, nil, ""),
		classicPDF(),
		compressedPDF(zlib.BestCompression),
		incrementalPDF(),
		obfuscatedPDF(),
		[]byte("%PDF-1.4\n1 0 obj\n<</Length 3 0 R>>\nstream\nabc\nendstream\nendobj\n3 0 obj\n3\nendobj\n"),
		[]byte("GIF89a"),
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		out, err := Sanitize(data, "x")
		if err != nil {
			var he *homthu.Error
			if !errors.As(err, &he) || he.Code != homthu.EINVALID && he.Code != homthu.ETOOLARGE || he.Message == "" {
				t.Fatalf("Sanitize error %v is not a person-facing refusal", err)
			}
			return
		}
		switch out.Type {
		case TypeJPEG, TypePNG:
			var cfg image.Config
			if out.Type == TypeJPEG {
				cfg, err = jpeg.DecodeConfig(bytes.NewReader(out.Data))
			} else {
				cfg, err = png.DecodeConfig(bytes.NewReader(out.Data))
			}
			if err != nil || max(cfg.Width, cfg.Height) > MaxSide {
				t.Fatalf("Sanitize output %s: %v, %d×%d", out.Type, err, cfg.Width, cfg.Height)
			}
		case TypePDF:
			if len(out.Data) != len(data) {
				t.Fatalf("Sanitize changed a PDF's length from %d to %d", len(data), len(out.Data))
			}
		default:
			t.Fatalf("Sanitize returned type %q", out.Type)
		}
		again, err := Sanitize(out.Data, out.Name)
		if err != nil {
			t.Fatalf("Sanitize of its own %s output: %v", out.Type, err)
		}
		if again.Type != out.Type || again.Name != out.Name {
			t.Fatalf("Sanitize(Sanitize(x)) = %s %q, want %s %q", again.Type, again.Name, out.Type, out.Name)
		}
		if out.Type == TypePDF && !bytes.Equal(again.Data, out.Data) {
			t.Fatalf("Sanitize(Sanitize(x)) changed a PDF again")
		}
	})
}
