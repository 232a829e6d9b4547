package upload

// Builders of test files: images with every kind of metadata a phone or an
// editor writes, and PDFs, all made in Go so that no binary fixture is
// committed.

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"math/rand/v2"
	"sort"
	"strings"
	"testing"
)

// Secrets planted in test files; none may survive Sanitize.
const (
	secretAuthor = "Nguyễn Văn A"
	secretMake   = "SecretPhoneMaker"
	secretModel  = "SecretCam X1"
	secretXMP    = "<x:xmpmeta"
	secretICC    = "SecretICCProfile"
	secretIPTC   = "SecretIPTCByline"
	secretCOM    = "comment-secret"
	secretTrail  = "MOTIONPHOTO-SECRET"
	secretText   = "SecretPNGText"
)

// gpsLatitude is 21°01'30.5" N as EXIF rationals; its bytes must not survive.
var gpsLatitude = [][2]uint32{{21, 1}, {1, 1}, {305, 10}}

// photo returns a w×h image that looks like a photo to an encoder: smooth
// gradients with noise.
func photo(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	r := rand.New(rand.NewPCG(1, 2))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			i := img.PixOffset(x, y)
			n := uint8(r.IntN(24))
			img.Pix[i] = uint8(x*200/w) + n
			img.Pix[i+1] = uint8(y*200/h) + n
			img.Pix[i+2] = uint8((x+y)%256)/2 + n
			img.Pix[i+3] = 0xff
		}
	}
	return img
}

// Quadrant colours of the orientation test image.
var (
	red   = color.RGBA{0xff, 0, 0, 0xff}
	green = color.RGBA{0, 0xff, 0, 0xff}
	blue  = color.RGBA{0, 0, 0xff, 0xff}
	white = color.RGBA{0xff, 0xff, 0xff, 0xff}
)

// quadrants returns a w×h image whose top-left quarter is red, top-right
// green, bottom-left blue and bottom-right white.
func quadrants(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			c := red
			switch {
			case x >= w/2 && y < h/2:
				c = green
			case x < w/2 && y >= h/2:
				c = blue
			case x >= w/2 && y >= h/2:
				c = white
			}
			img.SetRGBA(x, y, c)
		}
	}
	return img
}

// byteOrder is a TIFF byte order.
type byteOrder interface {
	binary.ByteOrder
	binary.AppendByteOrder
}

// tiffEntry is an IFD entry: tag, type, count and the value's bytes.
type tiffEntry struct {
	tag, typ uint16
	count    uint32
	value    []byte
}

// exifTIFF returns an EXIF TIFF structure in byte order o, with the make and
// model of a camera, orientation orient (0: none) and a GPS IFD.
func exifTIFF(o byteOrder, orient int) []byte {
	ascii := func(tag uint16, s string) tiffEntry {
		return tiffEntry{tag, 2, uint32(len(s) + 1), append([]byte(s), 0)}
	}
	rationals := func(tag uint16, v [][2]uint32) tiffEntry {
		var b []byte
		for _, r := range v {
			b = o.AppendUint32(b, r[0])
			b = o.AppendUint32(b, r[1])
		}
		return tiffEntry{tag, 5, uint32(len(v)), b}
	}
	ifd0 := []tiffEntry{ascii(0x010f, secretMake), ascii(0x0110, secretModel)}
	if orient != 0 {
		ifd0 = append(ifd0, tiffEntry{0x0112, 3, 1, o.AppendUint16(nil, uint16(orient))})
	}
	gps := []tiffEntry{
		ascii(0x0001, "N"), rationals(0x0002, gpsLatitude),
		ascii(0x0003, "E"), rationals(0x0004, [][2]uint32{{105, 1}, {51, 1}, {12, 1}}),
	}
	ifdSize := func(n int) int { return 2 + 12*n + 4 }
	gpsOff := 8 + ifdSize(len(ifd0)+1)
	dataOff := gpsOff + ifdSize(len(gps))
	ifd0 = append(ifd0, tiffEntry{0x8825, 4, 1, o.AppendUint32(nil, uint32(gpsOff))})

	var data []byte
	writeIFD := func(b []byte, entries []tiffEntry) []byte {
		sort.Slice(entries, func(i, j int) bool { return entries[i].tag < entries[j].tag })
		b = o.AppendUint16(b, uint16(len(entries)))
		for _, e := range entries {
			b = o.AppendUint16(b, e.tag)
			b = o.AppendUint16(b, e.typ)
			b = o.AppendUint32(b, e.count)
			if len(e.value) <= 4 {
				v := make([]byte, 4)
				copy(v, e.value)
				b = append(b, v...)
			} else {
				b = o.AppendUint32(b, uint32(dataOff+len(data)))
				data = append(data, e.value...)
			}
		}
		return o.AppendUint32(b, 0)
	}
	b := []byte("II")
	if o == binary.BigEndian {
		b = []byte("MM")
	}
	b = o.AppendUint16(b, 42)
	b = o.AppendUint32(b, 8)
	b = writeIFD(b, ifd0)
	b = writeIFD(b, gps)
	return append(b, data...)
}

// xmpPacket is an XMP packet naming the author, as editors write it.
func xmpPacket() string {
	return `<?xpacket begin="` + "\ufeff" + `" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:exif="http://ns.adobe.com/exif/1.0/">
<dc:creator><rdf:Seq><rdf:li>` + secretAuthor + `</rdf:li></rdf:Seq></dc:creator>
<exif:GPSLatitude>21,1.5N</exif:GPSLatitude></rdf:Description></rdf:RDF></x:xmpmeta>
<?xpacket end="w"?>`
}

// jpegSegment returns a JPEG marker segment.
func jpegSegment(marker byte, payload []byte) []byte {
	b := []byte{0xff, marker}
	b = binary.BigEndian.AppendUint16(b, uint16(len(payload)+2))
	return append(b, payload...)
}

// jpegWithMetadata encodes img as JPEG with an EXIF segment (camera, GPS,
// orientation orient in byte order o), an XMP segment, an ICC profile, a
// Photoshop IPTC segment, a comment, and a "motion photo" after the end of
// the image.
func jpegWithMetadata(t testing.TB, img image.Image, o byteOrder, orient int) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	enc := buf.Bytes()
	var b []byte
	b = append(b, enc[:2]...) // SOI
	b = append(b, jpegSegment(0xe1, append([]byte("Exif\x00\x00"), exifTIFF(o, orient)...))...)
	b = append(b, jpegSegment(0xe1, append([]byte("http://ns.adobe.com/xap/1.0/\x00"), xmpPacket()...))...)
	b = append(b, jpegSegment(0xe2, append([]byte("ICC_PROFILE\x00\x01\x01"), "desc "+secretICC...))...)
	b = append(b, jpegSegment(0xed, append([]byte("Photoshop 3.0\x008BIM"), secretIPTC...))...)
	b = append(b, jpegSegment(0xfe, []byte(secretCOM))...)
	b = append(b, enc[2:]...)
	return append(b, secretTrail...)
}

// pngChunkBytes returns a PNG chunk with its CRC.
func pngChunkBytes(typ string, data []byte) []byte {
	b := binary.BigEndian.AppendUint32(nil, uint32(len(data)))
	b = append(b, typ...)
	b = append(b, data...)
	return binary.BigEndian.AppendUint32(b, crc32.ChecksumIEEE(append([]byte(typ), data...)))
}

// pngWithMetadata encodes img as PNG with tEXt, iTXt (XMP and an author)
// and eXIf (camera, GPS, orientation orient) chunks after its header.
func pngWithMetadata(t testing.TB, img image.Image, orient int) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	enc := buf.Bytes()
	const ihdrEnd = 8 + 12 + 13
	var b []byte
	b = append(b, enc[:ihdrEnd]...)
	b = append(b, pngChunkBytes("tEXt", []byte("Author\x00"+secretText))...)
	b = append(b, pngChunkBytes("iTXt", []byte("XML:com.adobe.xmp\x00\x00\x00\x00\x00"+xmpPacket()))...)
	b = append(b, pngChunkBytes("iTXt", []byte("Author\x00\x00\x00vi\x00Tác giả\x00"+secretAuthor))...)
	b = append(b, pngChunkBytes("eXIf", exifTIFF(binary.BigEndian, orient))...)
	b = append(b, enc[ihdrEnd:]...)
	return b
}

// bitWriter for VP8L is the DEFLATE one: both pack bits least significant
// first.

// vp8l encodes a lossless WebP bitstream (RFC 9649 §3) of a w×h image whose
// pixels take one of two colours, pick(x, y) choosing which: every channel
// is coded with a "simple" prefix code of one or two symbols.
func vp8l(w, h int, c [2]color.NRGBA, pick func(x, y int) int) []byte {
	var bw bitWriter
	bw.bits(0x2f, 8)
	bw.bits(uint32(w-1), 14)
	bw.bits(uint32(h-1), 14)
	alpha := uint32(0)
	if c[0].A != 0xff || c[1].A != 0xff {
		alpha = 1
	}
	bw.bits(alpha, 1)
	bw.bits(0, 3) // version
	bw.bits(0, 1) // no transform
	bw.bits(0, 1) // no colour cache
	bw.bits(0, 1) // no meta prefix codes
	channels := [4][2]uint8{{c[0].G, c[1].G}, {c[0].R, c[1].R}, {c[0].B, c[1].B}, {c[0].A, c[1].A}}
	two := [4]bool{}
	for i, ch := range channels {
		bw.bits(1, 1) // simple code
		if ch[0] == ch[1] {
			bw.bits(0, 1) // one symbol
			bw.bits(1, 1) // of 8 bits
			bw.bits(uint32(ch[0]), 8)
			continue
		}
		two[i] = true
		bw.bits(1, 1)
		bw.bits(1, 1)
		bw.bits(uint32(ch[0]), 8)
		bw.bits(uint32(ch[1]), 8)
	}
	bw.bits(1, 1) // distance code: simple, one symbol of 1 bit: 0
	bw.bits(0, 1)
	bw.bits(0, 1)
	bw.bits(0, 1)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			p := uint32(pick(x, y))
			for i := range channels {
				if two[i] {
					bw.bits(p, 1)
				}
			}
		}
	}
	bw.align()
	return bw.out
}

// vp8lHeader returns just the header of a VP8L bitstream for a w×h image.
func vp8lHeader(w, h int) []byte {
	var bw bitWriter
	bw.bits(0x2f, 8)
	bw.bits(uint32(w-1), 14)
	bw.bits(uint32(h-1), 14)
	bw.bits(0, 4)
	bw.align()
	return bw.out
}

// riffChunkBytes returns a RIFF chunk, padded to an even length.
func riffChunkBytes(fourcc string, data []byte) []byte {
	b := append([]byte(fourcc), binary.LittleEndian.AppendUint32(nil, uint32(len(data)))...)
	b = append(b, data...)
	if len(data)%2 == 1 {
		b = append(b, 0)
	}
	return b
}

// webpFile wraps a VP8L bitstream of a w×h image in a WebP file; with exif
// or xmp it uses the extended format (VP8X) and adds those chunks.
func webpFile(w, h int, bitstream []byte, hasAlpha bool, exif []byte, xmp string) []byte {
	var body []byte
	if exif != nil || xmp != "" {
		flags := byte(0)
		if hasAlpha {
			flags |= 0x10
		}
		if exif != nil {
			flags |= 0x08
		}
		if xmp != "" {
			flags |= 0x04
		}
		x := []byte{flags, 0, 0, 0}
		x = append(x, byte(w-1), byte((w-1)>>8), byte((w-1)>>16), byte(h-1), byte((h-1)>>8), byte((h-1)>>16))
		body = append(body, riffChunkBytes("VP8X", x)...)
	}
	body = append(body, riffChunkBytes("VP8L", bitstream)...)
	if exif != nil {
		body = append(body, riffChunkBytes("EXIF", exif)...)
	}
	if xmp != "" {
		body = append(body, riffChunkBytes("XMP ", []byte(xmp))...)
	}
	b := []byte("RIFF")
	b = binary.LittleEndian.AppendUint32(b, uint32(4+len(body)))
	b = append(b, "WEBP"...)
	return append(b, body...)
}

// pdfBuilder writes a PDF file object by object, recording offsets for the
// cross-reference section.
type pdfBuilder struct {
	buf     bytes.Buffer
	offsets map[int]int // object number → offset, of this revision
	objStm  map[int][2]int
	prev    int // offset of the previous cross-reference section
	size    int
}

func newPDF() *pdfBuilder {
	b := &pdfBuilder{offsets: map[int]int{}, objStm: map[int][2]int{}}
	b.buf.WriteString("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
	return b
}

func (b *pdfBuilder) obj(num int, body string) {
	b.offsets[num] = b.buf.Len()
	b.size = max(b.size, num+1)
	fmt.Fprintf(&b.buf, "%d 0 obj\n%s\nendobj\n", num, body)
}

// stream writes a stream object; dict is the dictionary's content without
// /Length.
func (b *pdfBuilder) stream(num int, dict string, data []byte) {
	b.offsets[num] = b.buf.Len()
	b.size = max(b.size, num+1)
	fmt.Fprintf(&b.buf, "%d 0 obj\n<<%s /Length %d>>\nstream\n", num, dict, len(data))
	b.buf.Write(data)
	b.buf.WriteString("\nendstream\nendobj\n")
}

// objectStream writes an object stream (compressed with zlib) holding the
// given objects, in order.
func (b *pdfBuilder) objectStream(num int, objs map[int]string, level int) {
	nums := make([]int, 0, len(objs))
	for n := range objs {
		nums = append(nums, n)
	}
	sort.Ints(nums)
	var head, body strings.Builder
	for i, n := range nums {
		fmt.Fprintf(&head, "%d %d ", n, body.Len())
		body.WriteString(objs[n])
		body.WriteString("\n")
		b.objStm[n] = [2]int{num, i}
		b.size = max(b.size, n+1)
	}
	data := head.String() + body.String()
	var z bytes.Buffer
	zw, _ := zlib.NewWriterLevel(&z, level)
	zw.Write([]byte(data))
	zw.Close()
	b.stream(num, fmt.Sprintf("/Type /ObjStm /N %d /First %d /Filter /FlateDecode", len(nums), len(head.String())), z.Bytes())
}

// xref writes a classic cross-reference table for the objects of this
// revision, the trailer (the content of its dictionary, without /Size and
// /Prev) and the end of the file.
func (b *pdfBuilder) xref(trailer string) {
	off := b.buf.Len()
	nums := make([]int, 0, len(b.offsets))
	for n := range b.offsets {
		nums = append(nums, n)
	}
	sort.Ints(nums)
	b.buf.WriteString("xref\n")
	if b.prev == 0 {
		b.buf.WriteString("0 1\n0000000000 65535 f\r\n")
	}
	for _, n := range nums {
		fmt.Fprintf(&b.buf, "%d 1\n%010d 00000 n\r\n", n, b.offsets[n])
	}
	prev := ""
	if b.prev != 0 {
		prev = fmt.Sprintf(" /Prev %d", b.prev)
	}
	fmt.Fprintf(&b.buf, "trailer\n<</Size %d%s %s>>\nstartxref\n%d\n%%%%EOF\n", b.size, prev, trailer, off)
	b.prev = off
	b.offsets = map[int]int{}
}

// xrefStream writes a cross-reference stream (uncompressed, /W [1 4 2]) as
// object num, with the trailer entries given, and the end of the file.
func (b *pdfBuilder) xrefStream(num int, trailer string) {
	off := b.buf.Len()
	b.size = max(b.size, num+1)
	b.offsets[num] = off
	var data []byte
	for n := 0; n < b.size; n++ {
		switch o, ok := b.offsets[n]; {
		case ok:
			data = append(data, 1)
			data = binary.BigEndian.AppendUint32(data, uint32(o))
			data = binary.BigEndian.AppendUint16(data, 0)
		case b.objStm[n] != [2]int{}:
			data = append(data, 2)
			data = binary.BigEndian.AppendUint32(data, uint32(b.objStm[n][0]))
			data = binary.BigEndian.AppendUint16(data, uint16(b.objStm[n][1]))
		default:
			data = append(data, 0, 0, 0, 0, 0, 0xff, 0xff)
		}
	}
	fmt.Fprintf(&b.buf, "%d 0 obj\n<</Type /XRef /Size %d /W [1 4 2] %s /Length %d>>\nstream\n", num, b.size, trailer, len(data))
	b.buf.Write(data)
	fmt.Fprintf(&b.buf, "\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n", off)
}

func (b *pdfBuilder) bytes() []byte { return bytes.Clone(b.buf.Bytes()) }

// utf16Hex returns s as a PDF hexadecimal text string in UTF-16BE with a
// byte order mark, as writers store non-Latin text.
func utf16Hex(s string) string {
	var b strings.Builder
	b.WriteString("<FEFF")
	for _, r := range s {
		if r >= 0x10000 {
			panic("not in the BMP")
		}
		fmt.Fprintf(&b, "%04X", r)
	}
	b.WriteString(">")
	return b.String()
}

// Identifier strings of the test PDFs.
const (
	pdfID      = "3A5F9C0B7D2E41F8A6C1D0E9B8F7A6C5"
	pdfContent = "0 0 m 100 100 l S"
)

// classicPDF returns a one-page PDF with a classic cross-reference table, an
// information dictionary (author in UTF-16, producer, dates, a custom key),
// an uncompressed XMP stream and a file identifier.
func classicPDF() []byte {
	b := newPDF()
	b.obj(1, "<</Type /Catalog /Pages 2 0 R /Metadata 5 0 R /Outlines 7 0 R>>")
	b.obj(2, "<</Type /Pages /Kids [3 0 R] /Count 1>>")
	b.obj(3, "<</Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R /Annots [8 0 R]>>")
	b.stream(4, "", []byte(pdfContent))
	b.stream(5, "/Type /Metadata /Subtype /XML", []byte(xmpPacket()))
	b.obj(6, "<</Author "+utf16Hex(secretAuthor)+" /Creator (Microsoft\\256 Word \\(Secret Creator\\)) /Producer (SecretProducer 1.0)"+
		" /Title (Secret Title) /CreationDate (D:20261128150000+07'00') /ModDate (D:20261128150000+07'00') /Company (Secret Company)>>")
	b.obj(7, "<</Type /Outlines /First 9 0 R /Last 9 0 R /Count 1>>")
	b.obj(8, "<</Type /Annot /Subtype /Text /Rect [10 10 30 30] /T (Secret Reviewer) /Contents (Kept comment) /M (D:20261128)>>")
	b.obj(9, "<</Title (Kept Outline Title) /Parent 7 0 R /Dest [3 0 R /Fit]>>")
	b.xref("/Root 1 0 R /Info 6 0 R /ID [<" + pdfID + "> <" + pdfID + ">]")
	return b.bytes()
}

// compressedPDF returns a PDF 1.5 file whose information dictionary and
// catalog sit in a FlateDecode object stream compressed at zlib level, with
// a compressed XMP stream and a cross-reference stream.
func compressedPDF(level int) []byte {
	b := newPDF()
	b.obj(2, "<</Type /Pages /Kids [3 0 R] /Count 1>>")
	b.obj(3, "<</Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R>>")
	b.stream(4, "", []byte(pdfContent))
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	zw.Write([]byte(xmpPacket()))
	zw.Close()
	b.stream(5, "/Type /Metadata /Subtype /XML /Filter /FlateDecode", z.Bytes())
	b.objectStream(7, map[int]string{
		1: "<</Type /Catalog /Pages 2 0 R /Metadata 5 0 R>>",
		6: "<</Author " + utf16Hex(secretAuthor) + " /Producer (SecretProducer 1.0) /CreationDate (D:20261128150000+07'00')>>",
	}, level)
	b.xrefStream(8, "/Root 1 0 R /Info 6 0 R /ID [<"+pdfID+"> <"+pdfID+">]")
	return b.bytes()
}
