package document

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"io"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
	"unicode"

	"homthu/internal/homthu"
	"homthu/internal/vntext"
)

// Read returns the text of a document file — plain text, Markdown, DOCX or
// PDF, told by its name's extension and checked by its content — in NFC
// Unicode, converted from TCVN3 or VNI when it was in one (enc says which).
// Control characters but newlines and tabs are dropped, Markdown's
// emphasis and escapes and pandoc's table rules removed. PDF text comes
// from pdftotext (poppler-utils), run with a time limit; a scanned PDF
// without text is refused with a message that says so.
func Read(ctx context.Context, name string, data []byte) (text string, enc vntext.Encoding, err error) {
	if len(data) > MaxFileBytes {
		return "", "", homthu.Errorf(homthu.ETOOLARGE, "Tệp %s quá lớn: tối đa %d MB.", name, MaxFileBytes>>20)
	}
	switch ext := strings.ToLower(filepath.Ext(name)); {
	case ext == ".docx" || bytes.HasPrefix(data, []byte("PK\x03\x04")):
		text, err = readDOCX(data)
		if err != nil {
			return "", "", homthu.Errorf(homthu.EINVALID, "Không đọc được tệp DOCX %s: tệp hỏng hoặc không phải văn bản Word.", name)
		}
		text, enc = vntext.DecodeLegacy([]byte(text)) // a DOCX typed in a .Vn font
	case ext == ".pdf" || bytes.HasPrefix(data, []byte("%PDF-")):
		b, perr := pdfText(ctx, data)
		if perr != nil {
			return "", "", perr
		}
		text, enc = vntext.DecodeLegacy(b)
	case ext == ".txt" || ext == ".md" || ext == ".csv" || ext == "":
		text, enc = vntext.DecodeLegacy(bytes.TrimPrefix(data, []byte("\uFEFF")))
		if ext == ".md" {
			text = stripMarkdown(text)
		}
	default:
		return "", "", homthu.Errorf(homthu.EINVALID, "Tệp %s: chỉ nhận văn bản dạng .txt, .md, .docx hoặc .pdf.", name)
	}
	text = cleanText(text)
	if strings.TrimSpace(text) == "" {
		return "", "", homthu.Errorf(homthu.EINVALID, "Tệp %s không có chữ nào đọc được (có thể là bản quét ảnh: cần nhận dạng chữ trước khi nhập).", name)
	}
	return text, enc, nil
}

// cleanText drops control characters (form feeds of pdftotext, stray
// bytes) but newlines and tabs, normalises line ends and trims trailing
// spaces.
func cleanText(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r == '\f' || r == '\r' || r == '\v':
			b.WriteByte('\n')
		case r == '\n' || r == '\t':
			b.WriteRune(r)
		case r == 0xFFFD || unicode.IsControl(r):
		default:
			b.WriteRune(r)
		}
	}
	lines := strings.Split(b.String(), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRightFunc(l, unicode.IsSpace)
	}
	return strings.TrimSpace(strings.Join(lines, "\n"))
}

// stripMarkdown turns the Markdown that converters make of documents into
// plain text: no emphasis, no backslash escapes, no table rules.
func stripMarkdown(s string) string {
	lines := strings.Split(s, "\n")
	out := lines[:0]
	for _, l := range lines {
		t := strings.TrimSpace(l)
		if t != "" && strings.Trim(t, "-=+|: ") == "" {
			continue // a table rule
		}
		l = strings.NewReplacer(`\-`, "-", `\*`, "*", `\_`, "_", `\.`, ".", `\[`, "[", `\]`, "]", `\`, "", "**", "", "__", "").Replace(l)
		l = strings.TrimLeft(l, "#")
		if strings.HasPrefix(strings.TrimSpace(l), "|") {
			cells := strings.Split(strings.Trim(strings.TrimSpace(l), "|"), "|")
			for i := range cells {
				cells[i] = strings.TrimSpace(cells[i])
			}
			l = strings.Join(cells, " · ")
		}
		out = append(out, l)
	}
	return strings.Join(out, "\n")
}

// readDOCX returns the paragraphs of a DOCX file (WordprocessingML,
// ECMA-376 Part 1 §17): the text runs (w:t) of each paragraph (w:p) of
// word/document.xml, tabs and breaks kept.
func readDOCX(data []byte) (string, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return "", err
	}
	for _, f := range zr.File {
		if f.Name != "word/document.xml" {
			continue
		}
		if f.UncompressedSize64 > MaxTextBytes*4 {
			return "", errors.New("document.xml too large")
		}
		rc, err := f.Open()
		if err != nil {
			return "", err
		}
		defer rc.Close()
		dec := xml.NewDecoder(io.LimitReader(rc, MaxTextBytes*4))
		var b strings.Builder
		inText := false
		for {
			tok, err := dec.Token()
			if err == io.EOF {
				return b.String(), nil
			} else if err != nil {
				return "", err
			}
			switch t := tok.(type) {
			case xml.StartElement:
				switch t.Name.Local {
				case "t":
					inText = true
				case "tab":
					b.WriteByte('\t')
				case "br", "cr":
					b.WriteByte('\n')
				}
			case xml.EndElement:
				switch t.Name.Local {
				case "t":
					inText = false
				case "p":
					b.WriteByte('\n')
				}
			case xml.CharData:
				if inText {
					b.Write(t)
				}
			}
			if b.Len() > MaxTextBytes {
				return "", errors.New("text too large")
			}
		}
	}
	return "", errors.New("no word/document.xml")
}

// pdfText runs pdftotext on a PDF and returns its text (UTF-8, layout
// kept so that the header's two columns stay apart).
func pdfText(ctx context.Context, data []byte) ([]byte, error) {
	path, err := exec.LookPath("pdftotext")
	if err != nil {
		return nil, homthu.Errorf(homthu.EINVALID, "Máy chủ chưa cài pdftotext (gói poppler-utils) nên chưa đọc được tệp PDF; hãy nhập bản DOCX hoặc văn bản, hoặc nhờ quản trị viên cài gói này.")
	}
	ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, path, "-layout", "-enc", "UTF-8", "-", "-")
	cmd.Stdin = bytes.NewReader(data)
	var out bytes.Buffer
	cmd.Stdout = &limitedWriter{w: &out, n: MaxTextBytes}
	if err := cmd.Run(); err != nil {
		return nil, homthu.Errorf(homthu.EINVALID, "Không đọc được chữ trong tệp PDF (tệp hỏng, có mật khẩu hoặc quá phức tạp).")
	}
	return out.Bytes(), nil
}

// limitedWriter keeps at most n bytes and drops the rest.
type limitedWriter struct {
	w io.Writer
	n int
}

func (l *limitedWriter) Write(p []byte) (int, error) {
	k := len(p)
	if len(p) > l.n {
		p = p[:l.n]
	}
	l.n -= len(p)
	if _, err := l.w.Write(p); err != nil {
		return 0, err
	}
	return k, nil
}

// FromFile reads a document file and fills a Document from its header:
// number, type, issuer, date and title (the file's name when the header
// has none). The caller may correct them before storing.
func FromFile(ctx context.Context, name string, data []byte) (*Document, error) {
	text, enc, err := Read(ctx, name, data)
	if err != nil {
		return nil, err
	}
	h := ParseHeader(text)
	d := &Document{Number: h.Number, Type: h.Type, Issuer: h.Issuer, Issued: h.Issued, Title: h.Title, Text: text,
		FileName: filepath.Base(name)}
	if enc != vntext.Unicode {
		d.Encoding = string(enc)
	}
	if d.Title == "" {
		d.Title = strings.TrimSuffix(filepath.Base(name), filepath.Ext(name))
	}
	if r := []rune(d.Title); len(r) > MaxTitleRunes {
		d.Title = string(r[:MaxTitleRunes])
	}
	d.Normalize(vntext.NFC)
	return d, nil
}
