package upload

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/color"
	"image/png"
	"testing"
)

// The figures in the package documentation come from these benchmarks:
// go test -run '^$' -bench . -benchtime 10x ./internal/upload/

func benchmarkSanitize(b *testing.B, data []byte, name string) {
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	var out File
	for b.Loop() {
		var err error
		if out, err = Sanitize(data, name); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(out.Size), "out-bytes")
}

// BenchmarkSanitizeJPEG12MP sanitizes a 4000×3000 phone photo (noisy, so
// larger and slower to decode than most) with EXIF, rotated by its
// orientation tag.
func BenchmarkSanitizeJPEG12MP(b *testing.B) {
	benchmarkSanitize(b, jpegWithMetadata(b, photo(4000, 3000), binary.LittleEndian, 6), "IMG_0001.jpg")
}

// BenchmarkSanitizePNG4000x3000 sanitizes a photo saved as a 4000×3000 PNG,
// the worst case for PNG: noise does not compress.
func BenchmarkSanitizePNG4000x3000(b *testing.B) {
	benchmarkSanitize(b, pngWithMetadata(b, photo(4000, 3000), 1), "photo.png")
}

// BenchmarkSanitizeScreenshot sanitizes a 1170×2532 phone screenshot: flat
// colours and lines of "text", the common case for PNG.
func BenchmarkSanitizeScreenshot(b *testing.B) {
	img := image.NewRGBA(image.Rect(0, 0, 1170, 2532))
	for y := 0; y < 2532; y++ {
		for x := 0; x < 1170; x++ {
			c := color.RGBA{0xf2, 0xf2, 0xf7, 0xff}
			if y%60 < 30 && x > 60 && x < 1100 && (x/7+y/5)%5 < 2 {
				c = color.RGBA{0x11, 0x11, 0x11, 0xff}
			}
			img.SetRGBA(x, y, c)
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		b.Fatal(err)
	}
	benchmarkSanitize(b, buf.Bytes(), "Screenshot.png")
}

// BenchmarkSanitizePDF cleans a small PDF whose information dictionary
// sits in a compressed object stream.
func BenchmarkSanitizePDF(b *testing.B) {
	benchmarkSanitize(b, compressedPDF(9), "don.pdf")
}
