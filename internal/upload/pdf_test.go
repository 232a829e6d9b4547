package upload

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"errors"
	"fmt"
	"image/jpeg"
	"io"
	"math/rand/v2"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"homthu/internal/homthu"
)

// pdfSecrets are the strings that the test PDFs carry, in the encodings
// they carry them in.
var pdfSecrets = []string{
	secretAuthor, // XMP, UTF-8
	strings.Trim(utf16Hex(secretAuthor), "<>"), // information dictionary, UTF-16BE hex
	"Secret Creator", "SecretProducer", "Secret Title", "Secret Company", "Secret Reviewer",
	"D:20261128150000", pdfID, "dc:creator",
}

// checkPDF checks that data still has the structure of a PDF that a
// reader opens without repair: it ends in %%EOF, its last startxref points
// at a cross-reference section, and every object that section (and those
// it chains to by /Prev) lists starts at its recorded offset.
func checkPDF(t *testing.T, data []byte) {
	t.Helper()
	if !bytes.HasSuffix(bytes.TrimRight(data, "\r\n"), []byte("%%EOF")) {
		t.Fatalf("PDF does not end with %%%%EOF")
	}
	if _, err := parseFile(data); err != nil {
		t.Fatalf("cleaned PDF does not parse: %v", err)
	}
	m := regexp.MustCompile(`startxref\s+(\d+)\s+%%EOF\s*$`).FindSubmatch(data)
	if m == nil {
		t.Fatalf("no startxref at the end")
	}
	off, _ := strconv.Atoi(string(m[1]))
	objAt := func(num, gen, at int) {
		t.Helper()
		want := fmt.Sprintf("%d %d obj", num, gen)
		if at < 0 || at+len(want) > len(data) || string(data[at:at+len(want)]) != want {
			t.Errorf("object %d %d is not at offset %d", num, gen, at)
		}
	}
	for seen := 0; off != 0 && seen < 10; seen++ {
		if bytes.HasPrefix(data[off:], []byte("xref")) {
			p := &parser{buf: data, pos: off + len("xref")}
			for {
				first, ok := p.parseUint()
				if !ok {
					break
				}
				count, _ := p.parseUint()
				for i := 0; i < int(count); i++ {
					o, _ := p.parseUint()
					gen, _ := p.parseUint()
					p.skipSpace()
					kind := p.peekKeyword()
					p.pos += len(kind)
					if kind == "n" {
						objAt(int(first)+i, int(gen), int(o))
					}
				}
			}
			p.skipSpace()
			if !hasKeywordAt(data, p.pos, "trailer") {
				t.Fatalf("no trailer after the cross-reference table at %d", off)
			}
			p.pos += len("trailer")
			tr, err := p.value(0)
			if err != nil {
				t.Fatalf("reading trailer: %v", err)
			}
			prev := tr.get("Prev")
			if prev == nil {
				return
			}
			off = int(prev.ival)
			continue
		}
		// A cross-reference stream, uncompressed with /W [1 4 2] in
		// these tests.
		p := &parser{buf: data, pos: off}
		num, _ := p.parseUint()
		p.parseUint()
		p.skipSpace()
		p.pos += len("obj")
		o, err := p.object(int(num), 0)
		if err != nil || !o.val.get("Type").isName("XRef") {
			t.Fatalf("startxref %d points at neither xref nor an XRef stream (%v)", off, err)
		}
		entries := data[o.dataStart:o.dataEnd]
		for i := 0; i+7 <= len(entries); i += 7 {
			if entries[i] == 1 {
				objAt(i/7, 0, int(binary.BigEndian.Uint32(entries[i+1:])))
			}
		}
		return
	}
}

// checkInfoEmpty checks that every information dictionary that a trailer
// of data names, in every revision and object stream, has no entries left.
func checkInfoEmpty(t *testing.T, data []byte) {
	t.Helper()
	f, err := parseFile(data)
	if err != nil {
		t.Fatal(err)
	}
	s := &scrubber{out: &segment{data: bytes.Clone(data)}, defs: map[objID][]located{}, budget: maxInflate}
	for _, o := range f.objects {
		s.define(objID{o.num, o.gen}, located{s.out, o.val})
		if o.dataStart >= 0 && o.val.get("Type").isName("ObjStm") {
			if err := s.readObjStm(o); err != nil {
				t.Fatal(err)
			}
		}
		if o.val.get("Type").isName("XRef") {
			f.trailers = append(f.trailers, o.val)
		}
	}
	found := 0
	for _, tr := range f.trailers {
		ref := tr.get("Info")
		if ref == nil {
			continue
		}
		for _, d := range s.defs[objID{ref.num, ref.gen}] {
			found++
			if len(d.val.keys) != 0 {
				t.Errorf("information dictionary %d %d still has %v", ref.num, ref.gen, d.val.keys)
			}
		}
	}
	if found == 0 {
		t.Errorf("no information dictionary found: the test checks nothing")
	}
}

// objStmData returns the decoded data of every object stream in a PDF.
func objStmData(t *testing.T, data []byte) [][]byte {
	t.Helper()
	f, err := parseFile(data)
	if err != nil {
		t.Fatal(err)
	}
	var out [][]byte
	for _, o := range f.objects {
		if o.dataStart < 0 || !(o.val.get("Type").isName("ObjStm") || o.val.get("Filter").isName("FlateDecode")) {
			continue
		}
		zr, err := zlib.NewReader(bytes.NewReader(data[o.dataStart:o.dataEnd]))
		if err != nil {
			t.Fatalf("object %d: %v", o.num, err)
		}
		d, err := io.ReadAll(zr)
		if err != nil {
			t.Fatalf("object %d: %v", o.num, err)
		}
		out = append(out, d)
	}
	return out
}

func TestSanitizePDF(t *testing.T) {
	for _, tt := range []struct {
		name string
		data []byte
		// planted are the secrets the input carries, visibly or compressed.
		planted []string
		kept    []string
	}{
		{"classic", classicPDF(), pdfSecrets, []string{pdfContent, "Kept comment", "Kept Outline Title"}},
		{"object-streams", compressedPDF(zlib.BestCompression), []string{secretAuthor, "SecretProducer", pdfID}, []string{pdfContent}},
		{"object-streams-fast", compressedPDF(zlib.BestSpeed), []string{secretAuthor, "SecretProducer", pdfID}, []string{pdfContent}},
		{"incremental", incrementalPDF(), []string{"Secret Second Author", "Secret Creator"}, []string{pdfContent}},
		{"obfuscated", obfuscatedPDF(), []string{"Secret Hidden Author", "Secret Indirect Author", "Secret Stray Producer", "Secret Untyped XMP"}, []string{pdfContent, "Kept Title"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			visible := func(data []byte) []byte {
				all := bytes.Clone(data)
				for _, d := range objStmData(t, data) {
					all = append(all, d...)
				}
				return all
			}
			in := visible(tt.data)
			for _, s := range tt.planted {
				if !bytes.Contains(in, []byte(s)) {
					t.Fatalf("test input does not carry %q", s)
				}
			}
			f, err := Sanitize(tt.data, "Đơn tố cáo.pdf")
			if err != nil {
				t.Fatalf("Sanitize = %v", err)
			}
			if f.Type != TypePDF || f.Name != "Đơn tố cáo.pdf" {
				t.Errorf("Sanitize = %s %q, want %s %q", f.Type, f.Name, TypePDF, "Đơn tố cáo.pdf")
			}
			if len(f.Data) != len(tt.data) {
				t.Errorf("Sanitize changed the length: %d → %d", len(tt.data), len(f.Data))
			}
			checkPDF(t, f.Data)
			checkInfoEmpty(t, f.Data)
			out := visible(f.Data)
			for _, s := range tt.planted {
				if bytes.Contains(out, []byte(s)) {
					t.Errorf("output still contains %q", s)
				}
			}
			for _, s := range tt.kept {
				if !bytes.Contains(out, []byte(s)) {
					t.Errorf("output lost %q, which is content", s)
				}
			}
			again, err := Sanitize(f.Data, f.Name)
			if err != nil {
				t.Fatalf("Sanitize(Sanitize(x)) = %v", err)
			}
			if !bytes.Equal(again.Data, f.Data) {
				t.Errorf("Sanitize(Sanitize(x)) changed the file again")
			}
		})
	}
}

// incrementalPDF returns classicPDF with an incremental update that adds a
// second information dictionary.
func incrementalPDF() []byte {
	b := newPDF()
	b.obj(1, "<</Type /Catalog /Pages 2 0 R>>")
	b.obj(2, "<</Type /Pages /Kids [3 0 R] /Count 1>>")
	b.obj(3, "<</Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R>>")
	b.stream(4, "", []byte(pdfContent))
	b.obj(5, "<</Creator (Secret Creator)>>")
	b.xref("/Root 1 0 R /Info 5 0 R")
	b.obj(6, "<</Author (Secret Second Author \\(with \\) parentheses\\))>>")
	b.xref("/Root 1 0 R /Info 6 0 R")
	return b.bytes()
}

// obfuscatedPDF hides an author behind a #-escaped key and another behind
// an indirect string, leaves an information dictionary that no trailer
// names, and compresses an XMP stream whose dictionary does not say what
// it is.
func obfuscatedPDF() []byte {
	b := newPDF()
	b.obj(1, "<</Type /Catalog /Pages 2 0 R /Metadata 9 0 R>>")
	b.obj(2, "<</Type /Pages /Kids [3 0 R] /Count 1>>")
	b.obj(3, "<</Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R>>")
	b.stream(4, "", []byte(pdfContent))
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	zw.Write([]byte(strings.Replace(xmpPacket(), secretAuthor, "Secret Untyped XMP", 1)))
	zw.Close()
	b.stream(9, "/Filter /FlateDecode", z.Bytes())
	b.obj(5, "<</Auth#6Fr (Secret Hidden Author) /Title 6 0 R>>")
	b.obj(6, "(Secret Indirect Author)")
	b.obj(7, "<</Producer (Secret Stray Producer)>>")
	b.obj(8, "<</Title (Kept Title) /Parent 2 0 R>>")
	b.xref("/Root 1 0 R /Info 5 0 R")
	return b.bytes()
}

// TestSanitizePDFImage checks that a photo embedded in a PDF loses its EXIF
// and what follows its end, and still decodes.
func TestSanitizePDFImage(t *testing.T) {
	img := jpegWithMetadata(t, photo(40, 30), binary.LittleEndian, 1)
	b := newPDF()
	b.obj(1, "<</Type /Catalog /Pages 2 0 R>>")
	b.obj(2, "<</Type /Pages /Kids [3 0 R] /Count 1>>")
	b.obj(3, "<</Type /Page /Parent 2 0 R /MediaBox [0 0 40 30] /Contents 4 0 R /Resources <</XObject <</Im0 5 0 R>>>>>>")
	b.stream(4, "", []byte("q 40 0 0 30 0 0 cm /Im0 Do Q"))
	b.stream(5, "/Type /XObject /Subtype /Image /Width 40 /Height 30 /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode", img)
	b.xref("/Root 1 0 R")
	f, err := Sanitize(b.bytes(), "scan.pdf")
	if err != nil {
		t.Fatal(err)
	}
	checkPDF(t, f.Data)
	for what, s := range secretBytes() {
		if bytes.Contains(f.Data, s) {
			t.Errorf("output still contains the %s", what)
		}
	}
	parsed, err := parseFile(f.Data)
	if err != nil {
		t.Fatal(err)
	}
	o := parsed.objects[4]
	if _, err := jpeg.Decode(bytes.NewReader(f.Data[o.dataStart:o.dataEnd])); err != nil {
		t.Errorf("embedded JPEG no longer decodes: %v", err)
	}
}

func TestSanitizePDFRefuses(t *testing.T) {
	page := func(b *pdfBuilder) {
		b.obj(1, "<</Type /Catalog /Pages 2 0 R>>")
		b.obj(2, "<</Type /Pages /Kids [] /Count 0>>")
	}
	encrypted := newPDF()
	page(encrypted)
	encrypted.obj(3, "<</Filter /Standard /V 2 /R 3 /O <00> /U <00> /P -4>>")
	encrypted.xref("/Root 1 0 R /Encrypt 3 0 R /ID [<00><00>]")

	embedded := newPDF()
	page(embedded)
	embedded.stream(3, "/Type /EmbeddedFile", []byte("hidden"))
	embedded.obj(4, "<</Type /Filespec /F (a.jpg) /EF <</F 3 0 R>>>>")
	embedded.xref("/Root 1 0 R")

	lzw := newPDF()
	page(lzw)
	lzw.stream(3, "/Type /ObjStm /N 1 /First 4 /Filter /LZWDecode", []byte("\x80\x0b\x60\x50"))
	lzw.xref("/Root 1 0 R")

	// An object stream compressed as tightly as Go can, in which cleaning
	// (one letter of an annotation's author) frees nothing: it cannot be
	// rewritten in its room.
	tight := newPDF()
	page(tight)
	tight.objectStream(3, map[int]string{5: "<</Subtype /Text /T (x) /Contents (" + noise(200) + ")>>"}, zlib.BestCompression)
	tight.xrefStream(6, "/Root 1 0 R")

	for _, tt := range []struct {
		name string
		data []byte
		want string // a word of the message
	}{
		{"encrypted", encrypted.bytes(), "mật khẩu"},
		{"embedded file", embedded.bytes(), "tệp khác bên trong"},
		{"LZW object stream", lzw.bytes(), "dạng nén"},
		{"no room", tight.bytes(), "dạng nén"},
		{"junk", []byte("%PDF-1.4\nhello world\n"), "bị hỏng"},
		{"unterminated string", []byte("%PDF-1.4\n1 0 obj\n(abc\nendobj\n"), "bị hỏng"},
		{"unterminated dictionary", []byte("%PDF-1.4\n1 0 obj\n<</A 1\n"), "bị hỏng"},
		{"no endstream", []byte("%PDF-1.4\n1 0 obj\n<</Length 100>>\nstream\nabc"), "bị hỏng"},
		{"nested", []byte("%PDF-1.4\n1 0 obj\n" + strings.Repeat("[", 1000) + "\nendobj\n"), "bị hỏng"},
	} {
		_, err := Sanitize(tt.data, "x.pdf")
		var he *homthu.Error
		if !errors.As(err, &he) || he.Code != homthu.EINVALID {
			t.Errorf("Sanitize(%s) = %v, want code %s", tt.name, err, homthu.EINVALID)
			continue
		}
		if !strings.Contains(he.Message, tt.want) || !strings.Contains(he.Message, "“x.pdf”") {
			t.Errorf("Sanitize(%s) message = %q, want it to name the file and say %q", tt.name, he.Message, tt.want)
		}
	}
}

// noise returns n letters that do not compress.
func noise(n int) string {
	r := rand.New(rand.NewPCG(3, 4))
	b := make([]byte, n)
	for i := range b {
		b[i] = 'a' + byte(r.IntN(26))
	}
	return string(b)
}

func TestEmptyXMP(t *testing.T) {
	for _, n := range []int{0, 10, len(emptyXMPHead) + len(emptyXMPTail), len(emptyXMPHead) + len(emptyXMPTail) + 1, 4000} {
		got := emptyXMP(n)
		if len(got) != n {
			t.Errorf("len(emptyXMP(%d)) = %d", n, len(got))
		}
		if bytes.HasPrefix(got, []byte("<?xpacket")) != bytes.HasSuffix(got, []byte(emptyXMPTail)) {
			t.Errorf("emptyXMP(%d) = %q: a packet must have both ends", n, got)
		}
	}
}
