package upload

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"math"
	"strings"
	"testing"

	"golang.org/x/image/draw"

	"homthu/internal/homthu"
)

// secretBytes lists what the test images carry and the output must not:
// EXIF (camera, GPS in both byte orders), XMP, ICC, IPTC, comments, text
// chunks, trailing data.
func secretBytes() map[string][]byte {
	m := map[string][]byte{
		"EXIF header": []byte("Exif\x00\x00"),
		"camera make": []byte(secretMake), "camera model": []byte(secretModel),
		"XMP": []byte(secretXMP), "XMP namespace": []byte("http://ns.adobe.com/xap/1.0/"),
		"author": []byte(secretAuthor), "ICC": []byte(secretICC), "ICC header": []byte("ICC_PROFILE"),
		"IPTC": []byte(secretIPTC), "Photoshop": []byte("Photoshop 3.0"), "comment": []byte(secretCOM),
		"trailer": []byte(secretTrail), "PNG text": []byte(secretText),
		"tEXt": []byte("tEXt"), "iTXt": []byte("iTXt"), "eXIf": []byte("eXIf"),
	}
	for _, o := range []byteOrder{binary.LittleEndian, binary.BigEndian} {
		var gps []byte
		for _, r := range gpsLatitude {
			gps = o.AppendUint32(gps, r[0])
			gps = o.AppendUint32(gps, r[1])
		}
		m["GPS latitude "+o.String()] = gps
	}
	return m
}

// decodeOutput checks that f is what its Type says and decodes it.
func decodeOutput(t *testing.T, f File) image.Image {
	t.Helper()
	if int64(len(f.Data)) != f.Size {
		t.Errorf("Size = %d, len(Data) = %d", f.Size, len(f.Data))
	}
	var (
		img image.Image
		err error
	)
	switch f.Type {
	case TypeJPEG:
		img, err = jpeg.Decode(bytes.NewReader(f.Data))
	case TypePNG:
		img, err = png.Decode(bytes.NewReader(f.Data))
	default:
		t.Fatalf("Type = %q, want an image", f.Type)
	}
	if err != nil {
		t.Fatalf("output does not decode as %s: %v", f.Type, err)
	}
	if !strings.HasSuffix(f.Name, extension(f.Type)) {
		t.Errorf("Name = %q, want extension %s", f.Name, extension(f.Type))
	}
	return img
}

func TestSanitizeStripsImageMetadata(t *testing.T) {
	two := [2]color.NRGBA{{0x20, 0x80, 0xc0, 0xff}, {0xf0, 0xe0, 0x10, 0xff}}
	seeThrough := [2]color.NRGBA{{0x20, 0x80, 0xc0, 0xff}, {0, 0, 0, 0}}
	checker := func(x, y int) int { return (x/8 + y/8) % 2 }
	for _, tt := range []struct {
		name     string
		data     []byte
		wantType string
		// planted lists the secrets the input carries.
		planted []string
	}{
		{"jpeg-le.jpg", jpegWithMetadata(t, photo(640, 480), binary.LittleEndian, 1), TypeJPEG,
			[]string{"EXIF header", "camera make", "camera model", "XMP", "XMP namespace", "author", "ICC", "ICC header", "IPTC", "Photoshop", "comment", "trailer", "GPS latitude LittleEndian"}},
		{"jpeg-be.jpg", jpegWithMetadata(t, photo(480, 640), binary.BigEndian, 6), TypeJPEG,
			[]string{"EXIF header", "camera make", "camera model", "author", "GPS latitude BigEndian"}},
		{"screenshot.png", pngWithMetadata(t, photo(300, 200), 1), TypePNG,
			[]string{"camera make", "camera model", "XMP", "author", "PNG text", "tEXt", "iTXt", "eXIf", "GPS latitude BigEndian"}},
		{"photo.webp", webpFile(64, 48, vp8l(64, 48, two, checker), false, exifTIFF(binary.LittleEndian, 1), xmpPacket()), TypeJPEG,
			[]string{"camera make", "camera model", "XMP", "author", "GPS latitude LittleEndian"}},
		{"sticker.webp", webpFile(64, 48, vp8l(64, 48, seeThrough, checker), true, exifTIFF(binary.BigEndian, 1), xmpPacket()), TypePNG,
			[]string{"camera make", "camera model", "XMP", "author", "GPS latitude BigEndian"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			secrets := secretBytes()
			for _, s := range tt.planted {
				if !bytes.Contains(tt.data, secrets[s]) {
					t.Fatalf("test input does not carry %s", s)
				}
			}
			f, err := Sanitize(tt.data, tt.name)
			if err != nil {
				t.Fatalf("Sanitize(%s) = %v", tt.name, err)
			}
			if f.Type != tt.wantType {
				t.Errorf("Sanitize(%s).Type = %q, want %q", tt.name, f.Type, tt.wantType)
			}
			decodeOutput(t, f)
			for what, b := range secrets {
				if bytes.Contains(f.Data, b) {
					t.Errorf("Sanitize(%s) output still contains the %s (%q)", tt.name, what, b)
				}
			}
		})
	}
}

// TestSanitizeWebPTransparency checks that a transparent WebP keeps its
// transparency as PNG.
func TestSanitizeWebPTransparency(t *testing.T) {
	c := [2]color.NRGBA{{0xff, 0, 0, 0xff}, {0, 0, 0, 0}}
	data := webpFile(10, 4, vp8l(10, 4, c, func(x, y int) int { return x / 5 }), true, nil, "")
	f, err := Sanitize(data, "a.webp")
	if err != nil {
		t.Fatal(err)
	}
	img := decodeOutput(t, f)
	if _, _, _, a := img.At(1, 1).RGBA(); a != 0xffff {
		t.Errorf("left pixel alpha = %#x, want opaque", a)
	}
	if _, _, _, a := img.At(8, 1).RGBA(); a != 0 {
		t.Errorf("right pixel alpha = %#x, want transparent", a)
	}
}

func TestSanitizeOrientation(t *testing.T) {
	// The stored image is 64×32: red, green / blue, white. What the
	// viewer must see, by EXIF orientation, read as top-left, top-right,
	// bottom-left, bottom-right.
	want := map[int][4]color.RGBA{
		1: {red, green, blue, white},
		2: {green, red, white, blue},
		3: {white, blue, green, red},
		4: {blue, white, red, green},
		5: {red, blue, green, white},
		6: {blue, red, white, green},
		7: {white, green, blue, red},
		8: {green, white, red, blue},
	}
	stored := quadrants(64, 32)
	for o := 1; o <= 8; o++ {
		for _, format := range []string{"jpeg", "png", "webp"} {
			var data []byte
			switch format {
			case "jpeg":
				data = jpegWithMetadata(t, stored, binary.LittleEndian, o)
			case "png":
				data = pngWithMetadata(t, stored, o)
			case "webp":
				c := [2]color.NRGBA{{0xff, 0, 0, 0xff}, {0, 0, 0xff, 0xff}}
				data = webpFile(64, 32, vp8l(64, 32, c, func(x, y int) int { return y / 16 }), false, exifTIFF(binary.BigEndian, o), "")
			}
			f, err := Sanitize(data, "photo."+format)
			if err != nil {
				t.Fatalf("Sanitize(%s, orientation %d) = %v", format, o, err)
			}
			img := decodeOutput(t, f)
			wantW, wantH := 64, 32
			if o >= 5 {
				wantW, wantH = 32, 64
			}
			if b := img.Bounds(); b.Dx() != wantW || b.Dy() != wantH {
				t.Errorf("%s orientation %d: size %v, want %d×%d", format, o, b.Size(), wantW, wantH)
				continue
			}
			corners := [4]image.Point{{wantW / 4, wantH / 4}, {3 * wantW / 4, wantH / 4}, {wantW / 4, 3 * wantH / 4}, {3 * wantW / 4, 3 * wantH / 4}}
			w := want[o]
			if format == "webp" {
				// Top half red, bottom half blue, turned the same way.
				turned := orient(toRGBA(webpStored()), o)
				for i, p := range corners {
					w[i] = turned.RGBAAt(p.X, p.Y)
				}
			}
			for i, p := range corners {
				if got := img.At(p.X, p.Y); !near(got, w[i], 40) {
					t.Errorf("%s orientation %d: pixel %v = %v, want %v", format, o, p, got, w[i])
				}
			}
		}
	}
}

// webpStored is the image that TestSanitizeOrientation stores as WebP.
func webpStored() image.Image {
	img := image.NewRGBA(image.Rect(0, 0, 64, 32))
	for y := 0; y < 32; y++ {
		for x := 0; x < 64; x++ {
			c := red
			if y >= 16 {
				c = blue
			}
			img.SetRGBA(x, y, c)
		}
	}
	return img
}

func toRGBA(img image.Image) *image.RGBA {
	r := image.NewRGBA(img.Bounds())
	draw.Draw(r, r.Rect, img, img.Bounds().Min, draw.Src)
	return r
}

func near(c color.Color, want color.RGBA, tol int) bool {
	r, g, b, a := c.RGBA()
	d := func(x uint32, y uint8) bool { return math.Abs(float64(int(x>>8)-int(y))) <= float64(tol) }
	return d(r, want.R) && d(g, want.G) && d(b, want.B) && d(a, want.A)
}

func TestTIFFOrientation(t *testing.T) {
	for _, tt := range []struct {
		name string
		tiff []byte
		want int
	}{
		{"little-endian", exifTIFF(binary.LittleEndian, 6), 6},
		{"big-endian", exifTIFF(binary.BigEndian, 8), 8},
		{"absent", exifTIFF(binary.LittleEndian, 0), 1},
		{"out of range", exifTIFF(binary.LittleEndian, 9), 1},
		{"empty", nil, 1},
		{"bad magic", []byte("II\x2b\x00\x08\x00\x00\x00"), 1},
		{"IFD beyond end", []byte("MM\x00\x2a\xff\xff\xff\xf0"), 1},
		{"truncated entries", exifTIFF(binary.LittleEndian, 6)[:20], 1},
	} {
		if got := tiffOrientation(tt.tiff); got != tt.want {
			t.Errorf("tiffOrientation(%s) = %d, want %d", tt.name, got, tt.want)
		}
	}
}

func TestSanitizeDownscale(t *testing.T) {
	for _, tt := range []struct {
		w, h, wantW, wantH int
	}{
		{4000, 3000, 1600, 1200},
		{3200, 2000, 1600, 1000},
		{1000, 4000, 400, 1600},
		{1600, 1200, 1600, 1200},
		{1601, 10, 1600, 10},
		{5000, 1, 1600, 1},
		{7, 5, 7, 5},
	} {
		img := image.NewGray(image.Rect(0, 0, tt.w, tt.h))
		for i := range img.Pix {
			img.Pix[i] = uint8(i % 251)
		}
		var buf bytes.Buffer
		if err := png.Encode(&buf, img); err != nil {
			t.Fatal(err)
		}
		f, err := Sanitize(buf.Bytes(), "scan.png")
		if err != nil {
			t.Fatalf("Sanitize(%d×%d) = %v", tt.w, tt.h, err)
		}
		out := decodeOutput(t, f)
		if b := out.Bounds(); b.Dx() != tt.wantW || b.Dy() != tt.wantH {
			t.Errorf("Sanitize(%d×%d) = %d×%d, want %d×%d", tt.w, tt.h, b.Dx(), b.Dy(), tt.wantW, tt.wantH)
		}
	}
}

// TestShrinkMatchesCatmullRom checks shrink against plain Catmull-Rom
// scaling, the reference for quality, for every subsampling of YCbCr that
// JPEG decoding yields, at odd sizes and at even ones (the fast path of
// boxPlane), and for the RGBA path.
func TestShrinkMatchesCatmullRom(t *testing.T) {
	var sin, cos [4000]float64
	for i := range sin {
		sin[i], cos[i] = math.Sin(float64(i)/37), math.Cos(float64(i)/23)
	}
	smooth := func(x, y int) uint8 { return uint8(128 + 100*sin[x%4000]*cos[y%4000]) }
	var sources []image.Image
	for _, ratio := range []image.YCbCrSubsampleRatio{
		image.YCbCrSubsampleRatio444, image.YCbCrSubsampleRatio422, image.YCbCrSubsampleRatio420,
		image.YCbCrSubsampleRatio440, image.YCbCrSubsampleRatio411, image.YCbCrSubsampleRatio410,
	} {
		y := image.NewYCbCr(image.Rect(0, 0, 3301, 901), ratio)
		for py := 0; py < 901; py++ {
			for px := 0; px < 3301; px++ {
				y.Y[y.YOffset(px, py)] = smooth(px, py)
			}
		}
		cw, ch := chromaSize(y.Rect, ratio)
		for py := 0; py < ch; py++ {
			for px := 0; px < cw; px++ {
				y.Cb[py*y.CStride+px] = smooth(px+50, py)
				y.Cr[py*y.CStride+px] = smooth(px, py+70)
			}
		}
		sources = append(sources, y)
	}
	even := image.NewYCbCr(image.Rect(0, 0, 3300, 902), image.YCbCrSubsampleRatio420)
	for i := range even.Y {
		even.Y[i] = smooth(i%3300, i/3300)
	}
	for i := range even.Cb {
		even.Cb[i], even.Cr[i] = smooth(i%1650+50, i/1650), smooth(i%1650, i/1650+70)
	}
	sources = append(sources, even)
	n := image.NewNRGBA(image.Rect(10, 20, 10+3609, 20+1001))
	for py := n.Rect.Min.Y; py < n.Rect.Max.Y; py++ {
		for px := n.Rect.Min.X; px < n.Rect.Max.X; px++ {
			n.SetNRGBA(px, py, color.NRGBA{smooth(px, py), smooth(py, px), 90, smooth(px+py, 0)})
		}
	}
	sources = append(sources, n)

	for _, src := range sources {
		got := shrink(src)
		tw, th := targetSize(src.Bounds().Dx(), src.Bounds().Dy(), MaxSide)
		if got.Rect != image.Rect(0, 0, tw, th) {
			t.Errorf("shrink(%T %v) bounds %v, want %d×%d", src, src.Bounds(), got.Rect, tw, th)
			continue
		}
		ref := image.NewRGBA(got.Rect)
		draw.CatmullRom.Scale(ref, ref.Rect, toRGBA(src), src.Bounds(), draw.Src, nil)
		var sum float64
		for i := range got.Pix {
			sum += math.Abs(float64(got.Pix[i]) - float64(ref.Pix[i]))
		}
		if mean := sum / float64(len(got.Pix)); mean > 1.5 {
			ratio := ""
			if y, ok := src.(*image.YCbCr); ok {
				ratio = y.SubsampleRatio.String()
			}
			t.Errorf("shrink(%T %s) differs from Catmull-Rom by %.2f per sample on average", src, ratio, mean)
		}
	}
}

func TestSanitizeRefuses(t *testing.T) {
	var small bytes.Buffer
	if err := jpeg.Encode(&small, photo(32, 32), nil); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name     string
		data     []byte
		wantCode string
	}{
		{"anh.gif", []byte("GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x00\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"), homthu.EINVALID},
		{"logo.svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`), homthu.EINVALID},
		{"trang.html", []byte("<!DOCTYPE html><html><body>x</body></html>"), homthu.EINVALID},
		{"anh.jpg", []byte("<html><script>alert(1)</script></html>"), homthu.EINVALID},
		{"hoso.zip", []byte("PK\x03\x04\x14\x00\x00\x00\x08\x00"), homthu.EINVALID},
		{"setup.exe", []byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00"), homthu.EINVALID},
		{"run", []byte("\x7fELF\x02\x01\x01\x00"), homthu.EINVALID},
		{"IMG_0001.HEIC", []byte("\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic"), homthu.EINVALID},
		{"empty.jpg", nil, homthu.EINVALID},
		{"note.txt", []byte("Xin chào"), homthu.EINVALID},
		{"cut.jpg", small.Bytes()[:small.Len()/2], homthu.EINVALID},
		{"garbage.jpg", []byte("\xff\xd8\xff\xe0garbage garbage garbage"), homthu.EINVALID},
		{"garbage.png", []byte("\x89PNG\r\n\x1a\ngarbage garbage"), homthu.EINVALID},
		{"garbage.webp", []byte("RIFF\x10\x00\x00\x00WEBPVP8 garbage"), homthu.EINVALID},
		{"zero.png", pngHeader(0, 10), homthu.EINVALID},
		{"huge.jpg", append([]byte("\xff\xd8\xff"), make([]byte, MaxInput)...), homthu.ETOOLARGE},
		{"huge.pdf", append([]byte("%PDF-1.7\n"), make([]byte, MaxOutput)...), homthu.ETOOLARGE},
		{"bomb.jpg", jpegSized(t, 9000, 6000), homthu.ETOOLARGE},
		{"bomb.png", pngHeader(10000, 6000), homthu.ETOOLARGE},
		{"deep.png", pngHeader16(6000, 6000), homthu.ETOOLARGE},
		{"bomb.webp", webpFile(10000, 10000, vp8lHeader(10000, 10000), false, nil, ""), homthu.ETOOLARGE},
	} {
		f, err := Sanitize(tt.data, tt.name)
		if err == nil {
			t.Errorf("Sanitize(%s) = %s file, want error %s", tt.name, f.Type, tt.wantCode)
			continue
		}
		var he *homthu.Error
		if !errors.As(err, &he) || he.Code != tt.wantCode {
			t.Errorf("Sanitize(%s) = %v, want code %s", tt.name, err, tt.wantCode)
			continue
		}
		if !strings.Contains(he.Message, "“"+tt.name+"”") {
			t.Errorf("Sanitize(%s) message %q does not name the file", tt.name, he.Message)
		}
	}
}

// pngHeader returns the start of a PNG file declaring a w×h RGBA image.
func pngHeader(w, h int) []byte {
	ihdr := binary.BigEndian.AppendUint32(nil, uint32(w))
	ihdr = binary.BigEndian.AppendUint32(ihdr, uint32(h))
	ihdr = append(ihdr, 8, 6, 0, 0, 0)
	return append([]byte("\x89PNG\r\n\x1a\n"), pngChunkBytes("IHDR", ihdr)...)
}

// pngHeader16 declares a 16-bit RGBA image, 8 bytes a pixel.
func pngHeader16(w, h int) []byte {
	b := pngHeader(w, h)
	b[8+8+8] = 16
	return append(b[:len(b)-4], binary.BigEndian.AppendUint32(nil, crc32.ChecksumIEEE(b[12:len(b)-4]))...)
}

// jpegSized returns a small JPEG whose frame header claims w×h pixels.
func jpegSized(t *testing.T, w, h int) []byte {
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, photo(16, 16), nil); err != nil {
		t.Fatal(err)
	}
	b := buf.Bytes()
	i := bytes.Index(b, []byte{0xff, 0xc0})
	binary.BigEndian.PutUint16(b[i+5:], uint16(h))
	binary.BigEndian.PutUint16(b[i+7:], uint16(w))
	return b
}

// TestSanitizeImageKinds runs the colour models that decoders return for
// less common files through Sanitize.
func TestSanitizeImageKinds(t *testing.T) {
	const w, h = 40, 20
	fill := func(img draw.Image, c color.Color) image.Image {
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				img.Set(x, y, c)
			}
		}
		return img
	}
	r := image.Rect(0, 0, w, h)
	encodePNG := func(img image.Image) []byte {
		var buf bytes.Buffer
		if err := png.Encode(&buf, img); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	var grayJPEG bytes.Buffer
	if err := jpeg.Encode(&grayJPEG, fill(image.NewGray(r), color.Gray{0x80}), nil); err != nil {
		t.Fatal(err)
	}
	half := color.NRGBA{0xff, 0x00, 0x00, 0x80}
	for _, tt := range []struct {
		name     string
		data     []byte
		wantType string
		want     color.Color
	}{
		{"gray.jpg", grayJPEG.Bytes(), TypeJPEG, color.Gray{0x80}},
		{"palette.png", encodePNG(fill(image.NewPaletted(r, color.Palette{color.Black, blue}), blue)), TypePNG, blue},
		{"gray16.png", encodePNG(fill(image.NewGray16(r), color.Gray16{0x8080})), TypePNG, color.Gray{0x80}},
		{"rgba64.png", encodePNG(fill(image.NewNRGBA64(r), color.NRGBA64{0xffff, 0, 0, 0x8080})), TypePNG, half},
		{"nrgba.png", encodePNG(fill(image.NewNRGBA(r), half)), TypePNG, half},
	} {
		f, err := Sanitize(tt.data, tt.name)
		if err != nil {
			t.Errorf("Sanitize(%s) = %v", tt.name, err)
			continue
		}
		if f.Type != tt.wantType {
			t.Errorf("Sanitize(%s).Type = %s, want %s", tt.name, f.Type, tt.wantType)
		}
		img := decodeOutput(t, f)
		got := color.NRGBAModel.Convert(img.At(w/2, h/2)).(color.NRGBA)
		want := color.NRGBAModel.Convert(tt.want).(color.NRGBA)
		d := func(a, b uint8) bool { return max(a, b)-min(a, b) <= 3 }
		if !d(got.R, want.R) || !d(got.G, want.G) || !d(got.B, want.B) || !d(got.A, want.A) {
			t.Errorf("Sanitize(%s) pixel = %v, want %v", tt.name, got, want)
		}
	}
}
