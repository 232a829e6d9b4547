package upload

import (
	"bytes"
	"errors"
	"fmt"
	"slices"

	"homthu/internal/homthu"
)

// scrubPDF returns a copy of a PDF file with its metadata overwritten in
// place, byte for byte, so that every offset of the cross-reference table
// (or stream) stays valid and the file opens as before. No PDF library is
// needed and nothing of the document's content is re-encoded.
//
// Guaranteed, for a file that scrubPDF accepts:
//
//   - Document information dictionary (ISO 32000-2 §14.3.3): every
//     dictionary that a trailer or cross-reference stream names as /Info,
//     in every revision, whether a plain object or inside an object stream,
//     is emptied ("<<" and ">>" with spaces between), and the string objects
//     it referred to are blanked. A trailer /Info given directly is emptied.
//   - Wherever else they occur (an orphaned information dictionary, article
//     thread information), the string values of /Author, /Creator,
//     /Producer, /CreationDate, /ModDate and /Keywords are blanked, and
//     those of /Title and /Subject in a dictionary that has one of these.
//   - Markup annotations (comments, highlights, stamps…) lose the author in
//     their /T entry.
//   - XMP metadata (§14.3.2): every stream of /Type /Metadata or
//     /Subtype /XML, or that a /Metadata entry refers to, is replaced by an empty XMP packet padded with spaces
//     (decoded, replaced and compressed again to the same length when
//     FlateDecode-compressed), and any XMP packet ("<?xpacket" …, or
//     "<x:xmpmeta" … "</x:xmpmeta>") found verbatim in other stream data is
//     overwritten with spaces.
//   - The file identifier (/ID in the trailer), derived by writers from
//     the file's path, time and size, is overwritten with zeros.
//   - Images embedded as baseline JPEG (DCTDecode alone) lose their
//     application segments other than JFIF and Adobe (EXIF with GPS and
//     camera, XMP, ICC, IPTC), their comments and any data after their end
//     of image (phones append previews and "motion photo" videos there).
//
// Refused, with a Vietnamese message that tells the sender what to do:
// encrypted files, since their strings cannot be read; files that embed
// other files (/EmbeddedFile, /EF), since those would carry their own
// metadata; files whose object streams are compressed by a filter other
// than FlateDecode, or whose cleaned metadata does not compress back into
// its room; files whose syntax cannot be read front to back (readers would
// have to repair them, and could find objects this reader did not).
//
// Not touched: the document's text, pictures and fonts, which the sender
// chose to send, and any name the document shows on its pages.
func scrubPDF(data []byte, shown string) ([]byte, error) {
	f, err := parseFile(data)
	if err != nil {
		return nil, fmt.Errorf("pdf: %w: %w", err, pdfDamaged(shown))
	}
	s := &scrubber{
		out:      &segment{data: bytes.Clone(data)},
		shown:    shown,
		defs:     make(map[objID][]located),
		metadata: make(map[objID]bool),
		budget:   maxInflate,
	}
	if err := s.scrub(f); err != nil {
		return nil, fmt.Errorf("pdf: %w", err)
	}
	return s.out.data, nil
}

// maxInflate bounds the bytes that scrubPDF decompresses from one file: a
// 10 MB file of DEFLATE streams could otherwise expand a thousandfold.
const maxInflate = 64 << 20

// infoKeys are the entries of a document information dictionary that name
// people, software or times; titleKeys are blanked only next to them, since
// outline items and other dictionaries use /Title for content.
var (
	infoKeys  = []string{"Author", "Creator", "Producer", "CreationDate", "ModDate", "Keywords"}
	titleKeys = []string{"Title", "Subject"}
	// markupSubtypes are the markup annotations (§12.5.6.2), whose /T is
	// the name of the person who made them.
	markupSubtypes = []string{"Text", "FreeText", "Line", "Square", "Circle", "Polygon", "PolyLine",
		"Highlight", "Underline", "Squiggly", "StrikeOut", "Caret", "Stamp", "Ink",
		"FileAttachment", "Sound", "Redact", "Projection"}
)

// objID is an object number and generation.
type objID struct{ num, gen int }

// segment is a buffer that scrubbing rewrites: the output file, or the
// decoded data of an object stream.
type segment struct {
	data  []byte
	dirty bool
}

// fill overwrites data[start:end] with c.
func (g *segment) fill(start, end int, c byte) {
	for i := start; i < end; i++ {
		if g.data[i] != c {
			g.data[i] = c
			g.dirty = true
		}
	}
}

// located is a parsed object and the segment its spans refer to.
type located struct {
	seg *segment
	val *node
}

// objStm is a compressed object stream, decoded. (An uncompressed one is
// rewritten where it is, in the output.)
type objStm struct {
	obj     *pdfObject
	seg     *segment
	wrapped bool // zlib-wrapped DEFLATE
}

type scrubber struct {
	out   *segment
	shown string
	defs  map[objID][]located // every definition of every object
	all   []located           // the same, in file order
	infos []objID
	// metadata are the objects that a /Metadata entry refers to: XMP
	// streams, even when their dictionary does not say so.
	metadata map[objID]bool
	objStms  []*objStm
	budget   int
}

func (s *scrubber) scrub(f *pdfFile) error {
	for _, o := range f.objects {
		s.define(objID{o.num, o.gen}, located{s.out, o.val})
		if o.dataStart >= 0 && o.val.get("Type").isName("ObjStm") {
			if err := s.readObjStm(o); err != nil {
				return err
			}
		}
	}
	// Trailers: classic ones, and cross-reference streams.
	var trailers []*node
	trailers = append(trailers, f.trailers...)
	for _, o := range f.objects {
		if o.dataStart >= 0 && o.val.get("Type").isName("XRef") {
			trailers = append(trailers, o.val)
		}
	}
	for _, t := range trailers {
		switch info := t.get("Info"); {
		case info == nil:
		case info.kind == nRef:
			s.infos = append(s.infos, objID{info.num, info.gen})
		case info.kind == nDict:
			s.emptyDict(located{s.out, info})
		}
		if id := t.get("ID"); id != nil && id.kind == nArray {
			for _, it := range id.items {
				if it.kind == nString || it.kind == nHexString {
					s.out.fill(it.start+1, it.end-1, '0')
				}
			}
		}
	}
	// Every dictionary, wherever it is.
	for _, d := range s.all {
		if err := s.visit(d.seg, d.val); err != nil {
			return err
		}
	}
	for _, t := range f.trailers {
		if err := s.visit(s.out, t); err != nil {
			return err
		}
	}
	for _, id := range s.infos {
		for _, d := range s.defs[id] {
			if d.val.kind == nDict {
				s.emptyDict(d)
			}
		}
	}
	for _, o := range f.objects {
		if o.dataStart >= 0 {
			if err := s.scrubStream(o); err != nil {
				return err
			}
		}
	}
	for _, st := range s.objStms {
		if !st.seg.dirty {
			continue
		}
		if err := s.rewrite(st.obj, st.seg.data, st.wrapped); err != nil {
			return err
		}
	}
	return nil
}

// readObjStm decodes an object stream and records its objects.
func (s *scrubber) readObjStm(o *pdfObject) error {
	filters, ok := o.val.get("Filter").names()
	raw := s.out.data[o.dataStart:o.dataEnd]
	st := &objStm{obj: o}
	switch {
	case ok && len(filters) == 0:
		// Uncompressed: rewrite the file's own bytes.
		st.seg = &segment{data: raw}
	case ok && len(filters) == 1 && filters[0] == "FlateDecode" && !hasPredictor(o.val):
		data, wrapped, err := inflate(raw, s.budget)
		if err != nil {
			return fmt.Errorf("object stream %d: %w: %w", o.num, err, pdfUnreadableStream(s.shown))
		}
		s.budget -= len(data)
		st.seg, st.wrapped = &segment{data: data}, wrapped
		s.objStms = append(s.objStms, st)
	default:
		return fmt.Errorf("object stream %d: filter %v: %w", o.num, filters, pdfUnreadableStream(s.shown))
	}
	entries, err := parseObjStm(st.seg.data, o.val)
	if err != nil {
		return fmt.Errorf("object stream %d: %w: %w", o.num, err, pdfDamaged(s.shown))
	}
	for _, e := range entries {
		s.define(objID{e.num, 0}, located{st.seg, e.val})
	}
	return nil
}

// define records a definition of object id.
func (s *scrubber) define(id objID, d located) {
	s.defs[id] = append(s.defs[id], d)
	s.all = append(s.all, d)
}

func hasPredictor(dict *node) bool {
	p := dict.get("DecodeParms")
	if p != nil && p.kind == nArray && len(p.items) == 1 {
		p = p.items[0]
	}
	pred := p.get("Predictor")
	return pred != nil && !(pred.isInt && pred.ival <= 1)
}

// visit applies the rules of scrubPDF to every dictionary in v. The
// parser bounds the depth of the recursion.
func (s *scrubber) visit(seg *segment, v *node) error {
	switch v.kind {
	case nArray:
		for _, it := range v.items {
			if err := s.visit(seg, it); err != nil {
				return err
			}
		}
		return nil
	case nDict:
	default:
		return nil
	}
	if v.get("Encrypt") != nil {
		return homthu.Errorf(homthu.EINVALID,
			"Tệp PDF “%s” được đặt mật khẩu hoặc mã hoá, nên hệ thống không xoá được thông tin cá nhân (tên tác giả, phần mềm, thời gian) trong đó. Xin gửi bản không đặt mật khẩu.", s.shown)
	}
	if v.get("EF") != nil || v.get("Type").isName("EmbeddedFile") {
		return homthu.Errorf(homthu.EINVALID,
			"Tệp PDF “%s” có chứa tệp khác bên trong (tệp đính kèm của PDF), nên hệ thống không xoá được thông tin cá nhân trong đó. Xin gửi riêng từng tệp.", s.shown)
	}
	if m := v.get("Metadata"); m != nil && m.kind == nRef {
		s.metadata[objID{m.num, m.gen}] = true
	}
	hasInfo := false
	for i, k := range v.keys {
		if slices.Contains(infoKeys, k) {
			hasInfo = true
			s.blank(seg, v.vals[i])
		}
	}
	for i, k := range v.keys {
		if hasInfo && slices.Contains(titleKeys, k) {
			s.blank(seg, v.vals[i])
		}
	}
	if st := v.get("Subtype"); st != nil && st.kind == nName && slices.Contains(markupSubtypes, st.name) {
		if t := v.get("T"); t != nil {
			s.blank(seg, t)
		}
	}
	for _, val := range v.vals {
		if err := s.visit(seg, val); err != nil {
			return err
		}
	}
	return nil
}

// blank overwrites a string with spaces; for a reference, it blanks the
// strings of every definition of the object referred to.
func (s *scrubber) blank(seg *segment, v *node) {
	switch v.kind {
	case nString, nHexString:
		seg.fill(v.start+1, v.end-1, ' ')
	case nRef:
		for _, d := range s.defs[objID{v.num, v.gen}] {
			if d.val.kind == nString || d.val.kind == nHexString {
				d.seg.fill(d.val.start+1, d.val.end-1, ' ')
			}
		}
	}
}

// emptyDict overwrites everything between "<<" and ">>" with spaces, after
// blanking the string objects that the dictionary refers to.
func (s *scrubber) emptyDict(d located) {
	for _, v := range d.val.vals {
		s.blank(d.seg, v)
	}
	d.seg.fill(d.val.start+2, d.val.end-2, ' ')
}

// emptyXMP is a valid XMP packet with no properties (XMP Specification
// Part 1, §7.3), padded with spaces as §7.3.2 provides for in-place edits.
const (
	emptyXMPHead = `<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/"/>`
	emptyXMPTail = `<?xpacket end="w"?>`
)

// emptyXMP returns an empty XMP packet of exactly n bytes, or n spaces if
// the packet does not fit.
func emptyXMP(n int) []byte {
	b := bytes.Repeat([]byte(" "), n)
	if n >= len(emptyXMPHead)+len(emptyXMPTail)+1 {
		copy(b, emptyXMPHead)
		copy(b[n-len(emptyXMPTail):], emptyXMPTail)
	}
	return b
}

// scrubStream applies the rules of scrubPDF to the data of a stream.
func (s *scrubber) scrubStream(o *pdfObject) error {
	if typ := o.val.get("Type"); typ.isName("ObjStm") || typ.isName("XRef") {
		// Structure, not content: an object stream's objects were
		// visited one by one, whatever else its dictionary claims.
		return nil
	}
	filters, ok := o.val.get("Filter").names()
	raw := s.out.data[o.dataStart:o.dataEnd]
	if o.val.get("Type").isName("Metadata") || o.val.get("Subtype").isName("XML") || s.metadata[objID{o.num, o.gen}] {
		switch {
		case ok && len(filters) == 0:
			copy(raw, emptyXMP(len(raw)))
			return nil
		case ok && len(filters) == 1 && filters[0] == "FlateDecode" && !hasPredictor(o.val):
			data, wrapped, err := inflate(raw, s.budget)
			if err != nil {
				return fmt.Errorf("metadata stream %d: %w: %w", o.num, err, pdfUnreadableStream(s.shown))
			}
			s.budget -= len(data)
			return s.rewrite(o, emptyXMP(len(data)), wrapped)
		}
		return fmt.Errorf("metadata stream %d: filter %v: %w", o.num, filters, pdfUnreadableStream(s.shown))
	}
	if ok && len(filters) == 1 && filters[0] == "DCTDecode" {
		scrubJPEG(raw)
	}
	blankXMPPackets(raw)
	return nil
}

// rewrite replaces the data of a FlateDecode stream by data, compressed to
// the stream's exact length.
func (s *scrubber) rewrite(o *pdfObject, data []byte, wrapped bool) error {
	enc, err := deflateExact(data, o.dataEnd-o.dataStart, wrapped)
	if err != nil {
		if errors.Is(err, errNoFit) {
			return fmt.Errorf("stream %d: %w: %w", o.num, err, pdfUnreadableStream(s.shown))
		}
		return fmt.Errorf("stream %d: %w", o.num, err)
	}
	copy(s.out.data[o.dataStart:o.dataEnd], enc)
	return nil
}

// blankXMPPackets overwrites with spaces every XMP packet that appears
// verbatim in data: from "<?xpacket begin" to the end of the matching
// "<?xpacket end…?>", or from "<x:xmpmeta" to "</x:xmpmeta>".
func blankXMPPackets(data []byte) {
	for _, m := range []struct{ open, close string }{
		{"<?xpacket begin", "<?xpacket end"},
		{"<x:xmpmeta", "</x:xmpmeta>"},
	} {
		for from := 0; ; {
			i := bytes.Index(data[from:], []byte(m.open))
			if i < 0 {
				break
			}
			i += from
			j := bytes.Index(data[i:], []byte(m.close))
			end := len(data)
			if j >= 0 {
				end = i + j + len(m.close)
				if k := bytes.Index(data[end:], []byte("?>")); m.open[1] == '?' && k >= 0 {
					end += k + 2
				}
			}
			for k := i; k < end; k++ {
				data[k] = ' '
			}
			from = end
		}
	}
}

// scrubJPEG overwrites, in a JPEG stream embedded in a PDF, the payload of
// every application segment but APP0 (JFIF) and APP14 (Adobe, which says how
// to convert the colours) and of every comment with zeros, and zeros
// anything after the end-of-image marker. Decoders skip segments they do
// not recognise, so the image displays as before.
func scrubJPEG(data []byte) {
	end := walkJPEG(data, func(marker byte, payload []byte) bool {
		if marker >= 0xe1 && marker <= 0xef && marker != 0xee || marker == 0xfe {
			clear(payload)
		}
		return true
	})
	if end > 0 {
		clear(data[end:])
	}
}

func pdfDamaged(shown string) error {
	return homthu.Errorf(homthu.EINVALID,
		"Tệp PDF “%s” bị hỏng hoặc có cấu trúc mà hệ thống chưa đọc được, nên chưa thể xoá thông tin cá nhân trong đó. Xin mở tệp rồi lưu lại (hoặc in ra PDF) và gửi lại.", shown)
}

func pdfUnreadableStream(shown string) error {
	return homthu.Errorf(homthu.EINVALID,
		"Tệp PDF “%s” lưu thông tin về tác giả ở dạng nén mà hệ thống chưa xoá được. Xin mở tệp rồi in ra PDF (“In” → “Lưu dưới dạng PDF”) và gửi lại.", shown)
}
