package export

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
)

// WriteDOCX renders d as a Word document (Office Open XML, ECMA-376) that
// officials edit and sign: the heading of Decree 30/2020, Appendix I as a
// borderless two-column table (issuer and number on the left, the national
// motto and the date on the right, each with its rule), paragraph styles for
// the text (Normal, Heading 1–3) in Times New Roman 14 pt, real Word tables
// whose header rows repeat on every page, charts as PNG pictures, the
// signature and the recipients in a borderless table, and page numbers in
// the header from page 2 (a first-page header left empty). The output is
// byte-for-byte reproducible for the same document.
func WriteDOCX(w io.Writer, d *Document) error {
	m, err := newMetrics()
	if err != nil {
		return err
	}
	x := &docxWriter{m: m, d: d}
	pw, _ := d.pageDims()
	x.contentW = mmTw(pw - marginLeft - marginRight)
	body, err := x.document()
	if err != nil {
		return err
	}
	created := d.created().UTC()
	zw := zip.NewWriter(w)
	files := []struct {
		name string
		data []byte
	}{
		{"[Content_Types].xml", []byte(docxContentTypes)},
		{"_rels/.rels", []byte(docxRootRels)},
		{"docProps/core.xml", []byte(x.core(created))},
		{"docProps/app.xml", []byte(docxApp)},
		{"word/document.xml", body},
		{"word/styles.xml", []byte(docxStyles)},
		{"word/settings.xml", []byte(docxSettings)},
		{"word/header1.xml", []byte(docxHeaderPage)},
		{"word/header2.xml", []byte(docxHeaderEmpty)},
		{"word/_rels/document.xml.rels", []byte(x.rels())},
	}
	for _, img := range x.images {
		files = append(files, struct {
			name string
			data []byte
		}{"word/media/" + img.name, img.data})
	}
	for _, f := range files {
		method := zip.Deflate
		if strings.HasSuffix(f.name, ".png") {
			method = zip.Store // already compressed
		}
		fw, err := zw.CreateHeader(&zip.FileHeader{Name: f.name, Method: method, Modified: created})
		if err != nil {
			return fmt.Errorf("export: docx: %w", err)
		}
		if _, err := fw.Write(f.data); err != nil {
			return fmt.Errorf("export: docx: %w", err)
		}
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("export: docx: %w", err)
	}
	return nil
}

// mmTw converts millimetres to twentieths of a point (twips).
func mmTw(mm float64) int { return int(math.Round(mm * 72 / 25.4 * 20)) }

// ptTw converts points to twips.
func ptTw(pt float64) int { return int(math.Round(pt * 20)) }

type docxImage struct {
	name, rid string
	data      []byte
}

// docxWriter builds word/document.xml.
type docxWriter struct {
	m        *metrics
	d        *Document
	b        strings.Builder
	contentW int // twips
	images   []docxImage
	drawings int
}

// pp are a paragraph's properties.
type pp struct {
	style            string
	align            string // left, center, right, both
	firstLine, hang  int
	left, right      int
	before, after    int
	line             int // 240ths of a line; 0: the style's
	exact            bool
	keepNext, border bool
	noIndent         bool
}

// rp are a run's properties.
type rp struct {
	bold, italic bool
	size         float64 // points; 0: the style's
}

func (x *docxWriter) pOpen(p pp) {
	b := &x.b
	b.WriteString("<w:p><w:pPr>")
	if p.style != "" {
		fmt.Fprintf(b, `<w:pStyle w:val="%s"/>`, p.style)
	}
	if p.keepNext {
		b.WriteString("<w:keepNext/>")
	}
	if p.border {
		b.WriteString(`<w:pBdr><w:top w:val="single" w:sz="6" w:space="1" w:color="000000"/></w:pBdr>`)
	}
	// Paragraphs laid out by hand (noIndent: the heading, cells, the
	// signature) carry their own spacing, zero where unset; body paragraphs
	// take the style's.
	if p.noIndent || p.before != 0 || p.after != 0 || p.line != 0 || p.exact {
		fmt.Fprintf(b, `<w:spacing w:before="%d" w:after="%d"`, p.before, p.after)
		if p.line != 0 {
			rule := "auto"
			if p.exact {
				rule = "exact"
			}
			fmt.Fprintf(b, ` w:line="%d" w:lineRule="%s"`, p.line, rule)
		}
		b.WriteString("/>")
	}
	if p.noIndent || p.left != 0 || p.right != 0 || p.firstLine != 0 || p.hang != 0 {
		fmt.Fprintf(b, `<w:ind w:left="%d" w:right="%d"`, p.left, p.right)
		if p.hang != 0 {
			fmt.Fprintf(b, ` w:hanging="%d"`, p.hang)
		} else {
			fmt.Fprintf(b, ` w:firstLine="%d"`, p.firstLine)
		}
		b.WriteString("/>")
	}
	if p.align != "" {
		fmt.Fprintf(b, `<w:jc w:val="%s"/>`, p.align)
	}
	b.WriteString("</w:pPr>")
}

func (x *docxWriter) run(text string, r rp) {
	b := &x.b
	b.WriteString("<w:r>")
	if r.bold || r.italic || r.size != 0 {
		b.WriteString("<w:rPr>")
		if r.bold {
			b.WriteString("<w:b/><w:bCs/>")
		}
		if r.italic {
			b.WriteString("<w:i/><w:iCs/>")
		}
		if r.size != 0 {
			fmt.Fprintf(b, `<w:sz w:val="%d"/><w:szCs w:val="%d"/>`, int(math.Round(r.size*2)), int(math.Round(r.size*2)))
		}
		b.WriteString("</w:rPr>")
	}
	for i, line := range strings.Split(clean(text), "\n") {
		if i > 0 {
			b.WriteString("<w:br/>")
		}
		for j, part := range strings.Split(line, "\t") {
			if j > 0 {
				b.WriteString("<w:tab/>")
			}
			if part == "" {
				continue
			}
			b.WriteString(`<w:t xml:space="preserve">`)
			xml.EscapeText(b, []byte(part))
			b.WriteString("</w:t>")
		}
	}
	b.WriteString("</w:r>")
}

// para writes a whole paragraph of one run.
func (x *docxWriter) para(p pp, text string, r rp) {
	x.pOpen(p)
	if text != "" {
		x.run(text, r)
	}
	x.b.WriteString("</w:p>")
}

// rule writes a short solid rule of width w twips centred in a box of
// width box twips: an empty paragraph with a top border, indented.
func (x *docxWriter) rule(box, w int) {
	ind := max((box-w)/2, 0)
	x.pOpen(pp{border: true, left: ind, right: ind, before: 50, line: 120, exact: true, noIndent: true, after: 0})
	x.b.WriteString("</w:p>")
}

// tableOpen starts a borderless fixed-layout table of the given column widths.
func (x *docxWriter) tableOpen(widths []int, style string, cellMarginZero bool) {
	b := &x.b
	sum := 0
	for _, w := range widths {
		sum += w
	}
	b.WriteString("<w:tbl><w:tblPr>")
	if style != "" {
		fmt.Fprintf(b, `<w:tblStyle w:val="%s"/>`, style)
	}
	fmt.Fprintf(b, `<w:tblW w:w="%d" w:type="dxa"/>`, sum)
	if style == "" {
		b.WriteString(`<w:tblBorders><w:top w:val="nil"/><w:left w:val="nil"/><w:bottom w:val="nil"/><w:right w:val="nil"/><w:insideH w:val="nil"/><w:insideV w:val="nil"/></w:tblBorders>`)
	}
	b.WriteString(`<w:tblLayout w:type="fixed"/>`)
	if cellMarginZero {
		b.WriteString(`<w:tblCellMar><w:left w:w="0" w:type="dxa"/><w:right w:w="0" w:type="dxa"/></w:tblCellMar>`)
	}
	b.WriteString(`<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" w:noHBand="0" w:noVBand="1"/>`)
	b.WriteString("</w:tblPr><w:tblGrid>")
	for _, w := range widths {
		fmt.Fprintf(b, `<w:gridCol w:w="%d"/>`, w)
	}
	b.WriteString("</w:tblGrid>")
}

// cellOpen starts a table cell.
func (x *docxWriter) cellOpen(w, span int, vmerge string, vcenter bool) {
	b := &x.b
	fmt.Fprintf(b, `<w:tc><w:tcPr><w:tcW w:w="%d" w:type="dxa"/>`, w)
	if span > 1 {
		fmt.Fprintf(b, `<w:gridSpan w:val="%d"/>`, span)
	}
	switch vmerge {
	case "restart":
		b.WriteString(`<w:vMerge w:val="restart"/>`)
	case "continue":
		b.WriteString(`<w:vMerge/>`)
	}
	if vcenter {
		b.WriteString(`<w:vAlign w:val="center"/>`)
	}
	b.WriteString("</w:tcPr>")
}

func (x *docxWriter) document() ([]byte, error) {
	b := &x.b
	b.WriteString(xml.Header)
	b.WriteString(`<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"><w:body>`)
	x.heading()
	for _, blk := range x.d.Body {
		if err := x.block(blk); err != nil {
			return nil, err
		}
	}
	x.signatures()
	x.sectPr()
	b.WriteString("</w:body></w:document>")
	return []byte(b.String()), nil
}

// textTw returns the width of s in twips.
func (x *docxWriter) textTw(s string, st style, size float64) int {
	return ptTw(x.m.width(s, st, size))
}

// heading writes Appendix I, items 1–5.
func (x *docxWriter) heading() {
	d := x.d
	if strings.TrimSpace(d.Issuer) != "" {
		x.officialHeading()
	}
	if kind := upper(d.Kind); strings.TrimSpace(kind) != "" {
		x.para(pp{align: "center", before: ptTw(12), after: 0, noIndent: true, keepNext: true}, kind, rp{bold: true, size: sizeMotto})
		if summary := clean(d.Summary); strings.TrimSpace(summary) != "" {
			ind := int(float64(x.contentW) * 0.075)
			x.para(pp{align: "center", left: ind, right: ind, after: 0, noIndent: true, keepNext: true}, summary, rp{bold: true, size: sizeMotto})
			widest := 0.0
			for _, l := range wrapPlain(x.m, summary, bold, sizeMotto, float64(x.contentW-2*ind)/20) {
				widest = math.Max(widest, x.m.width(l, bold, sizeMotto))
			}
			x.rule(x.contentW, ptTw(widest/3))
		}
		x.para(pp{noIndent: true, after: 0, line: 240}, "", rp{})
	}
	if lines := addresseeLines(d.Addressees); len(lines) > 0 {
		if len(lines) == 1 {
			x.para(pp{align: "center", before: ptTw(6), noIndent: true}, lines[0], rp{})
		} else {
			left := int(float64(x.contentW) * 0.18)
			hang := x.textTw("Kính gửi: ", regular, sizeBody)
			x.para(pp{align: "left", before: ptTw(6), after: 0, left: left, noIndent: true}, lines[0], rp{})
			for _, l := range lines[1:] {
				x.para(pp{align: "left", after: 0, left: left + hang, noIndent: true}, l, rp{})
			}
			x.para(pp{noIndent: true, after: 0}, "", rp{})
		}
	}
}

// officialHeading writes items 1–4 (and 5b) as a borderless table.
func (x *docxWriter) officialHeading() {
	d := x.d
	countrySize := sizeHeading
	rw := x.textTw(mottoCountry, bold, countrySize) + mmTw(4)
	if float64(rw) > float64(x.contentW)*0.6 {
		countrySize = 12
		rw = x.textTw(mottoCountry, bold, countrySize) + mmTw(4)
	}
	lw := x.contentW - rw
	x.tableOpen([]int{lw, rw}, "", true)
	tight := pp{align: "center", after: 0, line: 240, noIndent: true}

	x.b.WriteString("<w:tr>")
	x.cellOpen(lw, 1, "", false)
	if man := upper(d.Managing); strings.TrimSpace(man) != "" {
		x.para(tight, man, rp{size: sizeHeading})
	}
	issuer := upper(d.Issuer)
	x.para(tight, issuer, rp{bold: true, size: sizeHeading})
	widest := 0.0
	for _, l := range wrapPlain(x.m, issuer, bold, sizeHeading, float64(lw)/20-6) {
		widest = math.Max(widest, x.m.width(l, bold, sizeHeading))
	}
	x.rule(lw, ptTw(widest*0.4))
	x.b.WriteString("</w:tc>")
	x.cellOpen(rw, 1, "", false)
	x.para(tight, mottoCountry, rp{bold: true, size: countrySize})
	x.para(tight, mottoMotto, rp{bold: true, size: sizeMotto})
	x.rule(rw, x.textTw(mottoMotto, bold, sizeMotto))
	x.b.WriteString("</w:tc></w:tr>")

	x.b.WriteString("<w:tr>")
	x.cellOpen(lw, 1, "", false)
	x.para(pp{align: "center", before: ptTw(4), after: 0, line: 240, noIndent: true}, numberLine(d.Number), rp{size: sizeHeading})
	if strings.TrimSpace(d.Kind) == "" && strings.TrimSpace(d.Summary) != "" {
		x.para(pp{align: "center", after: 0, line: 240, noIndent: true, left: mmTw(2), right: mmTw(2)}, "V/v "+clean(d.Summary), rp{size: 12.5})
	}
	x.b.WriteString("</w:tc>")
	x.cellOpen(rw, 1, "", false)
	x.para(pp{align: "center", before: ptTw(4), after: 0, line: 240, noIndent: true}, d.dateLine(), rp{italic: true, size: sizeMotto})
	x.b.WriteString("</w:tc></w:tr></w:tbl>")
}

func (x *docxWriter) block(blk Block) error {
	switch b := blk.(type) {
	case Heading:
		lvl := min(max(b.Level, 1), 3)
		x.para(pp{style: "Heading" + strconv.Itoa(lvl)}, b.Text, rp{})
	case Paragraph:
		p := pp{}
		switch b.Align {
		case AlignLeft:
			p.align = "left"
		case AlignCenter:
			p.align, p.noIndent = "center", true
		case AlignRight:
			p.align, p.noIndent = "right", true
		}
		if b.NoIndent {
			p.noIndent = true
		}
		x.pOpen(p)
		for _, r := range b.Runs {
			x.run(r.Text, rp{bold: r.Bold, italic: r.Italic})
		}
		x.b.WriteString("</w:p>")
	case List:
		for i, it := range b.Items {
			marker := "- "
			if b.Ordered {
				marker = strconv.Itoa(i+1) + ". "
			}
			x.para(pp{}, marker+it, rp{})
		}
	case *Table:
		if b != nil {
			x.table(b)
		}
	case *Chart:
		if b != nil {
			return x.chart(b)
		}
	case PageBreak:
		x.b.WriteString(`<w:p><w:pPr><w:spacing w:after="0"/></w:pPr><w:r><w:br w:type="page"/></w:r></w:p>`)
	}
	return nil
}

// table writes a Word table with its header rows marked to repeat.
func (x *docxWriter) table(t *Table) {
	cols := t.Columns
	n := len(cols)
	for _, r := range t.Rows {
		n = max(n, len(r))
	}
	if n == 0 {
		return
	}
	for len(cols) < n {
		cols = append(cols, Column{})
	}
	if cap := clean(t.Caption); strings.TrimSpace(cap) != "" {
		x.para(pp{align: "center", keepNext: true, noIndent: true, before: ptTw(6), after: ptTw(3)}, cap, rp{bold: true, size: sizeCaption})
	}
	fw := colWidths(cols, float64(x.contentW))
	widths := make([]int, n)
	for i, w := range fw {
		widths[i] = int(w)
	}
	x.tableOpen(widths, "TableGrid", false)
	head := pp{style: "TableText", align: "center"}
	headRun := rp{bold: true}
	groups, grouped := headerGroups(cols)
	if grouped {
		x.b.WriteString(`<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>`)
		for _, g := range groups {
			w := 0
			for c := g.first; c < g.first+g.span; c++ {
				w += widths[c]
			}
			if g.name == "" {
				x.cellOpen(w, 1, "restart", true)
				x.para(head, cols[g.first].Title, headRun)
			} else {
				x.cellOpen(w, g.span, "", true)
				x.para(head, g.name, headRun)
			}
			x.b.WriteString("</w:tc>")
		}
		x.b.WriteString("</w:tr>")
	}
	x.b.WriteString(`<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>`)
	for c, col := range cols {
		if grouped && col.Group == "" {
			x.cellOpen(widths[c], 1, "continue", true)
			x.para(head, "", headRun)
		} else {
			x.cellOpen(widths[c], 1, "", true)
			x.para(head, col.Title, headRun)
		}
		x.b.WriteString("</w:tc>")
	}
	x.b.WriteString("</w:tr>")
	rows := t.Rows
	if t.Total != nil {
		rows = append(rows[:len(rows):len(rows)], t.Total)
	}
	for ri, r := range rows {
		total := t.Total != nil && ri == len(rows)-1
		x.b.WriteString(`<w:tr><w:trPr><w:cantSplit/></w:trPr>`)
		for c, v := range rowCells(r, n) {
			x.cellOpen(widths[c], 1, "", false)
			al := map[Align]string{AlignLeft: "left", AlignCenter: "center", AlignRight: "right", AlignJustify: "both"}[cellAlign(cols[c], v)]
			x.para(pp{style: "TableText", align: al}, v.String(), rp{bold: v.Bold || total})
			x.b.WriteString("</w:tc>")
		}
		x.b.WriteString("</w:tr>")
	}
	x.b.WriteString("</w:tbl>")
	if note := clean(t.Note); strings.TrimSpace(note) != "" {
		x.para(pp{align: "left", noIndent: true, before: ptTw(3)}, note, rp{italic: true, size: sizeNote})
	} else {
		x.para(pp{noIndent: true, after: 0, line: 240}, "", rp{})
	}
}

// chart writes a chart as an inline PNG picture at the body's width.
func (x *docxWriter) chart(c *Chart) error {
	pw, _ := x.d.pageDims()
	wmm := pw - marginLeft - marginRight
	cv := c.docCanvas(x.m, wmm, 0)
	hmm := cv.h * ptMM
	var buf bytes.Buffer
	if err := c.PNG(&buf, wmm, hmm, 200); err != nil {
		return err
	}
	x.drawings++
	n := x.drawings
	img := docxImage{name: fmt.Sprintf("chart%d.png", n), rid: fmt.Sprintf("rIdImg%d", n), data: buf.Bytes()}
	x.images = append(x.images, img)
	cx, cy := int(wmm*36000), int(hmm*36000)
	x.pOpen(pp{align: "center", noIndent: true, keepNext: false, after: ptTw(6), line: 240})
	var desc strings.Builder
	xml.EscapeText(&desc, []byte(cv.desc))
	var title strings.Builder
	xml.EscapeText(&title, []byte(clean(c.Title)))
	fmt.Fprintf(&x.b, `<w:r><w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0"><wp:extent cx="%d" cy="%d"/><wp:docPr id="%d" name="Biểu đồ %d" title="%s" descr="%s"/><wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect="1"/></wp:cNvGraphicFramePr><a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic><pic:nvPicPr><pic:cNvPr id="%d" name="%s"/><pic:cNvPicPr/></pic:nvPicPr><pic:blipFill><a:blip r:embed="%s"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill><pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="%d" cy="%d"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>`,
		cx, cy, n, n, title.String(), desc.String(), n, img.name, img.rid, cx, cy)
	return nil
}

// sigCell writes one signature block into the current cell.
func (x *docxWriter) sigCell(s Signature) {
	kp := pp{align: "center", after: 0, line: 240, noIndent: true}
	if a := upper(s.Authority); strings.TrimSpace(a) != "" {
		x.para(kp, a, rp{bold: true, size: sizeBody})
	}
	if p := upper(s.Position); strings.TrimSpace(p) != "" {
		x.para(kp, p, rp{bold: true, size: sizeBody})
	}
	if h := clean(s.Hint); strings.TrimSpace(h) != "" {
		x.para(kp, h, rp{italic: true, size: sizeNote})
	}
	name := pp{align: "center", after: 0, line: 240, noIndent: true, before: mmTw(24)}
	x.para(name, clean(s.Name), rp{bold: true, size: sizeBody})
}

// recipients writes "Nơi nhận:" and its lines into the current cell or body.
func (x *docxWriter) recipients(recips []string) {
	if len(recips) == 0 {
		x.para(pp{noIndent: true, after: 0}, "", rp{})
		return
	}
	x.para(pp{align: "left", after: 0, line: 240, noIndent: true}, "Nơi nhận:", rp{bold: true, italic: true, size: sizeRecipHead})
	for _, r := range recips {
		x.para(pp{align: "left", after: 0, line: 240, noIndent: true}, r, rp{size: sizeRecip})
	}
}

// signatures writes the signature blocks and recipients (items 7 and 9a).
func (x *docxWriter) signatures() {
	d := x.d
	recips := recipientLines(d.Recipients)
	if len(d.Signatures) == 0 && len(recips) == 0 {
		return
	}
	x.para(pp{noIndent: true, after: 0}, "", rp{})
	if len(d.Signatures) <= 1 {
		lw := int(float64(x.contentW) * 0.45)
		rw := x.contentW - lw
		x.tableOpen([]int{lw, rw}, "", true)
		x.b.WriteString(`<w:tr><w:trPr><w:cantSplit/></w:trPr>`)
		x.cellOpen(lw, 1, "", false)
		x.recipients(recips)
		x.b.WriteString("</w:tc>")
		x.cellOpen(rw, 1, "", false)
		if len(d.Signatures) == 1 {
			x.sigCell(d.Signatures[0])
		} else {
			x.para(pp{noIndent: true}, "", rp{})
		}
		x.b.WriteString("</w:tc></w:tr></w:tbl>")
		return
	}
	cw := x.contentW / 2
	x.tableOpen([]int{cw, cw}, "", true)
	for i := 0; i < len(d.Signatures); i += 2 {
		x.b.WriteString(`<w:tr><w:trPr><w:cantSplit/></w:trPr>`)
		if i+1 == len(d.Signatures) { // an odd last signature is centred
			x.cellOpen(2*cw, 2, "", false)
			x.sigCell(d.Signatures[i])
			x.para(pp{noIndent: true, after: ptTw(6)}, "", rp{})
			x.b.WriteString("</w:tc></w:tr>")
			continue
		}
		for _, s := range d.Signatures[i : i+2] {
			x.cellOpen(cw, 1, "", false)
			x.sigCell(s)
			x.para(pp{noIndent: true, after: ptTw(6)}, "", rp{})
			x.b.WriteString("</w:tc>")
		}
		x.b.WriteString("</w:tr>")
	}
	x.b.WriteString("</w:tbl>")
	if len(recips) > 0 {
		x.para(pp{noIndent: true, after: 0}, "", rp{})
		x.recipients(recips)
	}
}

// sectPr writes the section: page size, the margins of Appendix I, the
// page-number header from page 2.
func (x *docxWriter) sectPr() {
	w, h := x.d.pageDims()
	orient := ""
	if x.d.Orientation == Landscape {
		orient = ` w:orient="landscape"`
	}
	fmt.Fprintf(&x.b, `<w:sectPr><w:headerReference w:type="default" r:id="rIdH1"/><w:headerReference w:type="first" r:id="rIdH2"/><w:pgSz w:w="%d" w:h="%d"%s/><w:pgMar w:top="%d" w:right="%d" w:bottom="%d" w:left="%d" w:header="567" w:footer="567" w:gutter="0"/><w:cols w:space="720"/><w:titlePg/><w:docGrid w:linePitch="360"/></w:sectPr>`,
		mmTw(w), mmTw(h), orient, mmTw(marginTop), mmTw(marginRight), mmTw(marginBottom), mmTw(marginLeft))
}

func (x *docxWriter) rels() string {
	var b strings.Builder
	b.WriteString(xml.Header)
	b.WriteString(`<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`)
	b.WriteString(`<Relationship Id="rIdStyles" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>`)
	b.WriteString(`<Relationship Id="rIdSettings" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/>`)
	b.WriteString(`<Relationship Id="rIdH1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header1.xml"/>`)
	b.WriteString(`<Relationship Id="rIdH2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header2.xml"/>`)
	for _, img := range x.images {
		fmt.Fprintf(&b, `<Relationship Id="%s" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="media/%s"/>`, img.rid, img.name)
	}
	b.WriteString(`</Relationships>`)
	return b.String()
}

func (x *docxWriter) core(created time.Time) string {
	var title strings.Builder
	xml.EscapeText(&title, []byte(x.d.title()))
	ts := created.Format("2006-01-02T15:04:05Z")
	return xml.Header + `<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` +
		`<dc:title>` + title.String() + `</dc:title><dc:creator>homthu</dc:creator><dc:language>vi-VN</dc:language>` +
		`<dcterms:created xsi:type="dcterms:W3CDTF">` + ts + `</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">` + ts + `</dcterms:modified></cp:coreProperties>`
}

const docxContentTypes = `<?xml version="1.0" encoding="UTF-8"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Default Extension="png" ContentType="image/png"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/><Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/><Override PartName="/word/header1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/><Override PartName="/word/header2.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/><Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/></Types>`

const docxRootRels = `<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/></Relationships>`

const docxApp = `<?xml version="1.0" encoding="UTF-8"?>
<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>homthu</Application></Properties>`

const docxSettings = `<?xml version="1.0" encoding="UTF-8"?>
<w:settings xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:zoom w:percent="100"/><w:defaultTabStop w:val="720"/><w:characterSpacingControl w:val="doNotCompress"/><w:compat><w:doNotExpandShiftReturn/><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat><w:themeFontLang w:val="vi-VN"/></w:settings>`

// docxHeaderPage is the header of pages 2 on: the page number, centred,
// 13 pt (Appendix I, section I.4).
const docxHeaderPage = `<?xml version="1.0" encoding="UTF-8"?>
<w:hdr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:p><w:pPr><w:pStyle w:val="Header"/><w:jc w:val="center"/></w:pPr><w:r><w:rPr><w:sz w:val="26"/></w:rPr><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:rPr><w:sz w:val="26"/></w:rPr><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r><w:r><w:rPr><w:sz w:val="26"/></w:rPr><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:rPr><w:sz w:val="26"/></w:rPr><w:t>2</w:t></w:r><w:r><w:rPr><w:sz w:val="26"/></w:rPr><w:fldChar w:fldCharType="end"/></w:r></w:p></w:hdr>`

// docxHeaderEmpty is the first page's header: page 1 carries no number.
const docxHeaderEmpty = `<?xml version="1.0" encoding="UTF-8"?>
<w:hdr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:p><w:pPr><w:pStyle w:val="Header"/></w:pPr></w:p></w:hdr>`

// docxStyles: Times New Roman 14 pt, justified, first line indented
// 1.27 cm, 6 pt after each paragraph, 1.15 of Word's single spacing (which
// for Times is 1.15 em: 1.3 em, as in the PDF; Appendix I, item 6 allows
// single to 1.5 lines).
const docxStyles = `<?xml version="1.0" encoding="UTF-8"?>
<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:eastAsia="Times New Roman" w:cs="Times New Roman"/><w:sz w:val="28"/><w:szCs w:val="28"/><w:lang w:val="vi-VN" w:eastAsia="en-US" w:bidi="ar-SA"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults>` +
	`<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/><w:pPr><w:spacing w:before="0" w:after="120" w:line="276" w:lineRule="auto"/><w:ind w:firstLine="720"/><w:jc w:val="both"/></w:pPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:pPr><w:keepNext/><w:spacing w:before="120" w:after="120"/><w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:b/><w:bCs/></w:rPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:pPr><w:keepNext/><w:outlineLvl w:val="1"/></w:pPr><w:rPr><w:b/><w:bCs/></w:rPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="Heading3"><w:name w:val="heading 3"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:pPr><w:keepNext/><w:outlineLvl w:val="2"/></w:pPr><w:rPr><w:b/><w:bCs/><w:i/><w:iCs/></w:rPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="TableText"><w:name w:val="Table Text"/><w:basedOn w:val="Normal"/><w:qFormat/><w:pPr><w:spacing w:before="40" w:after="40" w:line="240" w:lineRule="auto"/><w:ind w:firstLine="0"/><w:jc w:val="left"/></w:pPr><w:rPr><w:sz w:val="24"/><w:szCs w:val="24"/></w:rPr></w:style>` +
	`<w:style w:type="paragraph" w:styleId="Header"><w:name w:val="header"/><w:basedOn w:val="Normal"/><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/><w:ind w:firstLine="0"/><w:jc w:val="center"/></w:pPr></w:style>` +
	`<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>` +
	`<w:style w:type="table" w:styleId="TableGrid"><w:name w:val="Table Grid"/><w:basedOn w:val="TableNormal"/><w:tblPr><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="68" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="68" w:type="dxa"/></w:tblCellMar><w:tblBorders><w:top w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:left w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:bottom w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:right w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:insideH w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:insideV w:val="single" w:sz="4" w:space="0" w:color="000000"/></w:tblBorders></w:tblPr></w:style>` +
	`</w:styles>`
