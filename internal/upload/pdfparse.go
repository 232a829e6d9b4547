package upload

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
)

// This file is a reader of PDF object syntax (ISO 32000-2:2020 §7.2–7.5),
// just enough to find, with their byte offsets, the objects that carry
// metadata. It reads the file front to back, as the PDF repair routines of
// common readers do, rather than through the cross-reference table, so that
// it also sees objects that only an earlier revision or a damaged table
// refers to. It never builds a new file: scrubPDF overwrites bytes in place.

// nodeKind is the type of a PDF object.
type nodeKind int

const (
	nDict nodeKind = iota
	nArray
	nString    // literal string: (…)
	nHexString // hexadecimal string: <…>
	nName
	nNumber
	nRef     // indirect reference: N G R
	nKeyword // true, false, null and keywords out of place
)

// node is a parsed PDF object and its span [start, end) in the buffer it was
// read from.
type node struct {
	kind       nodeKind
	start, end int
	name       string   // nName: decoded, without "/"; nKeyword: the keyword
	num, gen   int      // nRef
	ival       int64    // nNumber, when isInt
	isInt      bool     // nNumber
	keys       []string // nDict: decoded key names, in order
	vals       []*node  // nDict: the values of keys
	items      []*node  // nArray
}

// get returns the value of key in a dictionary, or nil.
func (n *node) get(key string) *node {
	if n == nil || n.kind != nDict {
		return nil
	}
	for i, k := range n.keys {
		if k == key {
			return n.vals[i]
		}
	}
	return nil
}

// isName reports whether n is the name /s.
func (n *node) isName(s string) bool { return n != nil && n.kind == nName && n.name == s }

// names returns the names in n, a name or an array of names (a /Filter).
func (n *node) names() ([]string, bool) {
	switch {
	case n == nil:
		return nil, true
	case n.kind == nName:
		return []string{n.name}, true
	case n.kind == nArray:
		var s []string
		for _, it := range n.items {
			if it.kind != nName {
				return nil, false
			}
			s = append(s, it.name)
		}
		return s, true
	}
	return nil, false
}

// maxDepth bounds the nesting of arrays and dictionaries: real files nest a
// few levels; a hostile one could nest a million.
const maxDepth = 64

// parser reads PDF objects from buf.
type parser struct {
	buf []byte
	pos int
}

var errPDFSyntax = errors.New("PDF syntax")

func (p *parser) errorf(format string, args ...any) error {
	return fmt.Errorf("%w at offset %d: %s", errPDFSyntax, p.pos, fmt.Sprintf(format, args...))
}

func isSpace(c byte) bool {
	return c == 0 || c == '\t' || c == '\n' || c == '\f' || c == '\r' || c == ' '
}

func isDelim(c byte) bool {
	switch c {
	case '(', ')', '<', '>', '[', ']', '{', '}', '/', '%':
		return true
	}
	return false
}

func isRegular(c byte) bool { return !isSpace(c) && !isDelim(c) }

// skipSpace skips white space and comments.
func (p *parser) skipSpace() {
	for p.pos < len(p.buf) {
		c := p.buf[p.pos]
		switch {
		case isSpace(c):
			p.pos++
		case c == '%':
			for p.pos < len(p.buf) && p.buf[p.pos] != '\n' && p.buf[p.pos] != '\r' {
				p.pos++
			}
		default:
			return
		}
	}
}

// peekKeyword returns the run of regular characters at pos, without moving.
func (p *parser) peekKeyword() string {
	i := p.pos
	for i < len(p.buf) && isRegular(p.buf[i]) {
		i++
	}
	return string(p.buf[p.pos:i])
}

// parseUint reads a non-negative integer at pos (after white space) and
// returns it, or returns ok == false without moving.
func (p *parser) parseUint() (v int64, ok bool) {
	save := p.pos
	p.skipSpace()
	i := p.pos
	for i < len(p.buf) && '0' <= p.buf[i] && p.buf[i] <= '9' {
		i++
	}
	if i == p.pos || i-p.pos > 18 || i < len(p.buf) && isRegular(p.buf[i]) {
		p.pos = save
		return 0, false
	}
	v, _ = strconv.ParseInt(string(p.buf[p.pos:i]), 10, 64)
	p.pos = i
	return v, true
}

// value reads one object at pos (after white space).
func (p *parser) value(depth int) (*node, error) {
	if depth > maxDepth {
		return nil, p.errorf("nested too deeply")
	}
	p.skipSpace()
	if p.pos >= len(p.buf) {
		return nil, p.errorf("unexpected end")
	}
	start := p.pos
	c := p.buf[p.pos]
	switch {
	case c == '<' && p.pos+1 < len(p.buf) && p.buf[p.pos+1] == '<':
		return p.dict(depth)
	case c == '<':
		i := bytes.IndexByte(p.buf[p.pos:], '>')
		if i < 0 {
			return nil, p.errorf("unterminated hexadecimal string")
		}
		p.pos += i + 1
		return &node{kind: nHexString, start: start, end: p.pos}, nil
	case c == '(':
		return p.literal()
	case c == '[':
		p.pos++
		n := &node{kind: nArray, start: start}
		for {
			p.skipSpace()
			if p.pos >= len(p.buf) {
				return nil, p.errorf("unterminated array")
			}
			if p.buf[p.pos] == ']' {
				p.pos++
				n.end = p.pos
				return n, nil
			}
			v, err := p.value(depth + 1)
			if err != nil {
				return nil, err
			}
			if v.kind == nKeyword && !isConstant(v.name) {
				return nil, p.errorf("keyword %q in array", v.name)
			}
			n.items = append(n.items, v)
		}
	case c == '/':
		p.pos++
		for p.pos < len(p.buf) && isRegular(p.buf[p.pos]) {
			p.pos++
		}
		return &node{kind: nName, start: start, end: p.pos, name: decodeName(p.buf[start+1 : p.pos])}, nil
	case c == '+' || c == '-' || c == '.' || '0' <= c && c <= '9':
		return p.number()
	case isRegular(c):
		k := p.peekKeyword()
		p.pos += len(k)
		return &node{kind: nKeyword, start: start, end: p.pos, name: k}, nil
	}
	return nil, p.errorf("unexpected %q", c)
}

func isConstant(k string) bool { return k == "true" || k == "false" || k == "null" }

// dict reads a dictionary; pos is at "<<".
func (p *parser) dict(depth int) (*node, error) {
	n := &node{kind: nDict, start: p.pos}
	p.pos += 2
	for {
		p.skipSpace()
		if p.pos+1 < len(p.buf) && p.buf[p.pos] == '>' && p.buf[p.pos+1] == '>' {
			p.pos += 2
			n.end = p.pos
			return n, nil
		}
		if p.pos >= len(p.buf) || p.buf[p.pos] != '/' {
			return nil, p.errorf("dictionary key is not a name")
		}
		k, err := p.value(depth + 1)
		if err != nil {
			return nil, err
		}
		v, err := p.value(depth + 1)
		if err != nil {
			return nil, err
		}
		if v.kind == nKeyword && !isConstant(v.name) {
			return nil, p.errorf("keyword %q as a dictionary value", v.name)
		}
		n.keys = append(n.keys, k.name)
		n.vals = append(n.vals, v)
	}
}

// literal reads a literal string, with its balanced parentheses and
// backslash escapes (§7.3.4.2); pos is at "(".
func (p *parser) literal() (*node, error) {
	start := p.pos
	depth := 0
	for ; p.pos < len(p.buf); p.pos++ {
		switch p.buf[p.pos] {
		case '\\':
			p.pos++
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				p.pos++
				return &node{kind: nString, start: start, end: p.pos}, nil
			}
		}
	}
	return nil, p.errorf("unterminated string")
}

// number reads a number, or an indirect reference "N G R" when it is an
// integer followed by another and R.
func (p *parser) number() (*node, error) {
	start := p.pos
	for p.pos < len(p.buf) && isRegular(p.buf[p.pos]) {
		p.pos++
	}
	s := string(p.buf[start:p.pos])
	n := &node{kind: nNumber, start: start, end: p.pos}
	if v, err := strconv.ParseInt(s, 10, 64); err == nil {
		n.ival, n.isInt = v, true
	} else if _, err := strconv.ParseFloat(s, 64); err != nil && !malformedNumber(s) {
		return nil, p.errorf("bad number %q", s)
	}
	if !n.isInt || n.ival < 0 {
		return n, nil
	}
	save := p.pos
	if gen, ok := p.parseUint(); ok {
		p.skipSpace()
		if p.pos < len(p.buf) && p.buf[p.pos] == 'R' && (p.pos+1 == len(p.buf) || !isRegular(p.buf[p.pos+1])) {
			p.pos++
			return &node{kind: nRef, start: start, end: p.pos, num: int(n.ival), gen: int(gen)}, nil
		}
	}
	p.pos = save
	return n, nil
}

// malformedNumber reports whether s is one of the malformed numbers that
// real writers produce and readers accept ("--1", "1.2.3", "-"), read as 0.
func malformedNumber(s string) bool {
	for _, c := range s {
		if c != '+' && c != '-' && c != '.' && (c < '0' || c > '9') {
			return false
		}
	}
	return true
}

// decodeName decodes the #xx escapes of a name (§7.3.5): /Auth#6Fr is the
// key Author, and a writer could use it to hide one.
func decodeName(b []byte) string {
	if bytes.IndexByte(b, '#') < 0 {
		return string(b)
	}
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); i++ {
		if b[i] == '#' && i+2 < len(b) {
			if v, err := strconv.ParseUint(string(b[i+1:i+3]), 16, 8); err == nil {
				out = append(out, byte(v))
				i += 2
				continue
			}
		}
		out = append(out, b[i])
	}
	return string(out)
}

// hasKeywordAt reports whether the keyword k starts at pos and ends there.
func hasKeywordAt(buf []byte, pos int, k string) bool {
	end := pos + len(k)
	return end <= len(buf) && string(buf[pos:end]) == k && (end == len(buf) || !isRegular(buf[end]))
}

// pdfObject is an indirect object of the file: "N G obj … endobj", with its
// stream data when it is a stream.
type pdfObject struct {
	num, gen int
	val      *node
	// dataStart and dataEnd delimit the stream data in the file; dataStart
	// is -1 for an object that is not a stream.
	dataStart, dataEnd int
}

// pdfFile is the result of reading a whole file.
type pdfFile struct {
	objects  []*pdfObject
	trailers []*node // trailer dictionaries; xref streams are objects
}

// parseFile reads every indirect object, cross-reference table and trailer
// of a PDF file in order. It fails on anything else at the top level: a
// file that readers must repair is refused rather than half cleaned.
func parseFile(buf []byte) (*pdfFile, error) {
	p := &parser{buf: buf}
	f := &pdfFile{}
	for {
		p.skipSpace()
		if p.pos >= len(buf) {
			return f, nil
		}
		if num, ok := p.parseUint(); ok {
			gen, ok := p.parseUint()
			p.skipSpace()
			if !ok || !hasKeywordAt(buf, p.pos, "obj") {
				return nil, p.errorf("expected N G obj")
			}
			p.pos += len("obj")
			o, err := p.object(int(num), int(gen))
			if err != nil {
				return nil, err
			}
			f.objects = append(f.objects, o)
			continue
		}
		switch k := p.peekKeyword(); k {
		case "xref":
			p.pos += len(k)
			if err := p.xrefTable(); err != nil {
				return nil, err
			}
		case "trailer":
			p.pos += len(k)
			t, err := p.value(0)
			if err != nil {
				return nil, err
			}
			if t.kind != nDict {
				return nil, p.errorf("trailer is not a dictionary")
			}
			f.trailers = append(f.trailers, t)
		case "endobj", "endstream":
			// A stray keyword that readers skip.
			p.pos += len(k)
		case "startxref":
			p.pos += len(k)
			if _, ok := p.parseUint(); !ok {
				return nil, p.errorf("startxref without offset")
			}
		default:
			return nil, p.errorf("unexpected %q at top level", k)
		}
	}
}

// xrefTable skips the subsections of a cross-reference table (§7.5.4);
// pos is after "xref".
func (p *parser) xrefTable() error {
	for {
		if _, ok := p.parseUint(); ok {
			continue
		}
		p.skipSpace()
		switch k := p.peekKeyword(); k {
		case "f", "n":
			p.pos += len(k)
		case "trailer":
			return nil
		default:
			return p.errorf("unexpected %q in cross-reference table", k)
		}
	}
}

// object reads the body of an indirect object, after "obj".
func (p *parser) object(num, gen int) (*pdfObject, error) {
	o := &pdfObject{num: num, gen: gen, dataStart: -1}
	p.skipSpace()
	if hasKeywordAt(p.buf, p.pos, "endobj") {
		// An empty object is null (§7.3.10).
		o.val = &node{kind: nKeyword, start: p.pos, end: p.pos, name: "null"}
		p.pos += len("endobj")
		return o, nil
	}
	v, err := p.value(0)
	if err != nil {
		return nil, err
	}
	if v.kind == nKeyword && !isConstant(v.name) {
		return nil, p.errorf("keyword %q as an object", v.name)
	}
	o.val = v
	p.skipSpace()
	if v.kind == nDict && hasKeywordAt(p.buf, p.pos, "stream") {
		if err := p.stream(o); err != nil {
			return nil, err
		}
		p.skipSpace()
	}
	if hasKeywordAt(p.buf, p.pos, "endobj") {
		p.pos += len("endobj")
	}
	// A missing endobj is a common defect that readers accept; what
	// follows must still be a valid top-level element.
	return o, nil
}

// stream finds the data of a stream object (§7.3.8); pos is at "stream".
// The data is /Length bytes long when /Length is a direct integer that ends
// at "endstream"; otherwise (an indirect or wrong length) it runs to the
// first "endstream", less the end-of-line marker before it.
func (p *parser) stream(o *pdfObject) error {
	p.pos += len("stream")
	switch {
	case bytes.HasPrefix(p.buf[p.pos:], []byte("\r\n")):
		p.pos += 2
	case p.pos < len(p.buf) && (p.buf[p.pos] == '\n' || p.buf[p.pos] == '\r'):
		p.pos++
	}
	o.dataStart = p.pos
	if l := o.val.get("Length"); l != nil && l.kind == nNumber && l.isInt && l.ival >= 0 && l.ival <= int64(len(p.buf)-p.pos) {
		q := &parser{buf: p.buf, pos: p.pos + int(l.ival)}
		q.skipSpace()
		if hasKeywordAt(p.buf, q.pos, "endstream") {
			o.dataEnd = p.pos + int(l.ival)
			p.pos = q.pos + len("endstream")
			return nil
		}
	}
	i := bytes.Index(p.buf[p.pos:], []byte("endstream"))
	if i < 0 {
		return p.errorf("stream without endstream")
	}
	end := p.pos + i
	switch {
	case end-2 >= o.dataStart && string(p.buf[end-2:end]) == "\r\n":
		end -= 2
	case end-1 >= o.dataStart && (p.buf[end-1] == '\n' || p.buf[end-1] == '\r'):
		end--
	}
	o.dataEnd = end
	p.pos += i + len("endstream")
	return nil
}

// objStmEntry is an object stored in an object stream (§7.5.7).
type objStmEntry struct {
	num int
	val *node
}

// parseObjStm reads the objects of a decoded object stream whose dictionary
// gives /N objects, the first at byte /First.
func parseObjStm(data []byte, dict *node) ([]objStmEntry, error) {
	n, first := dict.get("N"), dict.get("First")
	if n == nil || !n.isInt || first == nil || !first.isInt || n.ival < 0 || first.ival < 0 || first.ival > int64(len(data)) || n.ival > int64(len(data)) {
		return nil, fmt.Errorf("%w: object stream without valid /N and /First", errPDFSyntax)
	}
	p := &parser{buf: data[:first.ival]}
	type pair struct{ num, off int64 }
	pairs := make([]pair, 0, n.ival)
	for i := int64(0); i < n.ival; i++ {
		num, ok1 := p.parseUint()
		off, ok2 := p.parseUint()
		if !ok1 || !ok2 || off > int64(len(data))-first.ival {
			return nil, fmt.Errorf("%w: object stream header, entry %d", errPDFSyntax, i)
		}
		pairs = append(pairs, pair{num, off})
	}
	entries := make([]objStmEntry, 0, len(pairs))
	for _, e := range pairs {
		q := &parser{buf: data, pos: int(first.ival + e.off)}
		v, err := q.value(0)
		if err != nil {
			return nil, fmt.Errorf("object %d in object stream: %w", e.num, err)
		}
		entries = append(entries, objStmEntry{num: int(e.num), val: v})
	}
	return entries, nil
}
