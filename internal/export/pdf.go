package export

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"codeberg.org/go-pdf/fpdf"
)

// WritePDF renders d as PDF: A4 or A3, the margins, faces and sizes of
// Decree 30/2020, Appendix I, with Liberation Serif embedded (subset), page
// numbers from page 2 centred in the top margin, and charts as vectors. The
// output is byte-for-byte reproducible for the same document.
func WritePDF(w io.Writer, d *Document) error {
	m, err := newMetrics()
	if err != nil {
		return err
	}
	pw, ph := d.pageDims()
	orient := "P"
	if d.Orientation == Landscape {
		orient = "L"
	}
	sw, sh := d.Size.dims()
	pdf := fpdf.NewCustom(&fpdf.InitType{
		OrientationStr: orient,
		UnitStr:        "mm",
		Size:           fpdf.SizeType{Wd: sw, Ht: sh},
	})
	for _, f := range []struct {
		family, style string
		data          []byte
	}{
		{"serif", "", serifRegular}, {"serif", "B", serifBold}, {"serif", "I", serifItalic},
		{"serif", "BI", serifBoldItalic}, {"sans", "", sansRegular}, {"sans", "B", sansBold},
	} {
		pdf.AddUTF8FontFromBytes(f.family, f.style, f.data)
	}
	created := d.created()
	pdf.SetCreationDate(created)
	pdf.SetModificationDate(created)
	pdf.SetCatalogSort(true)
	pdf.SetCompression(true)
	pdf.SetTitle(d.title(), true)
	pdf.SetCreator("homthu", true)
	pdf.SetProducer("homthu", true)
	pdf.SetLang("vi-VN")
	pdf.SetMargins(marginLeft, marginTop, marginRight)
	pdf.SetAutoPageBreak(false, marginBottom)
	pdf.SetTextColor(0, 0, 0)
	pdf.SetDrawColor(0, 0, 0)

	p := &pdfWriter{pdf: pdf, m: m, d: d, pw: pw, ph: ph}
	pdf.SetHeaderFuncMode(func() {
		if n := pdf.PageNo(); n > 1 {
			p.font(regular, sizePageNo)
			s := strconv.Itoa(n)
			p.text(pw/2-p.textW(s, regular, sizePageNo)/2, marginTop/2+2, s)
		}
	}, true)
	pdf.AddPage()
	p.y = marginTop
	p.heading()
	for _, b := range d.Body {
		p.block(b)
	}
	p.signatures()
	if err := pdf.Error(); err != nil {
		return fmt.Errorf("export: pdf: %w", err)
	}
	if err := pdf.Output(w); err != nil {
		return fmt.Errorf("export: pdf: %w", err)
	}
	return nil
}

// pdfWriter lays a document out on fpdf pages, top to bottom.
type pdfWriter struct {
	pdf    *fpdf.Fpdf
	m      *metrics
	d      *Document
	pw, ph float64
	y      float64 // top of the next line, mm
}

const ptMM = 25.4 / 72

func (p *pdfWriter) left() float64   { return marginLeft }
func (p *pdfWriter) width() float64  { return p.pw - marginLeft - marginRight }
func (p *pdfWriter) bottom() float64 { return p.ph - marginBottom }

func (p *pdfWriter) font(st style, size float64) {
	fam, s := "serif", ""
	switch st {
	case bold:
		s = "B"
	case italic:
		s = "I"
	case boldItalic:
		s = "BI"
	case sans:
		fam = "sans"
	case sansBoldFace:
		fam, s = "sans", "B"
	}
	p.pdf.SetFont(fam, s, size)
}

// textW returns the width of s in mm, as p.text draws it.
func (p *pdfWriter) textW(s string, st style, size float64) float64 {
	return p.m.width(pdfSafe(s), st, size) * ptMM
}

// text draws s with its baseline's start at x, y.
func (p *pdfWriter) text(x, y float64, s string) { p.pdf.Text(x, y, pdfSafe(s)) }

// pdfSafe replaces the characters outside the Basic Multilingual Plane
// (emoji, mostly), which fpdf's font subsetter cannot map, with U+FFFD.
func pdfSafe(s string) string {
	for _, r := range s {
		if r > 0xFFFF {
			return strings.Map(func(r rune) rune {
				if r > 0xFFFF {
					return '\uFFFD'
				}
				return r
			}, s)
		}
	}
	return s
}

// newPage starts a page; the header function prints its number.
func (p *pdfWriter) newPage() {
	p.pdf.AddPage()
	p.y = marginTop
}

// need starts a new page unless h mm fit below y, or the page is fresh.
func (p *pdfWriter) need(h float64) {
	if p.y+h > p.bottom() && p.y > marginTop+0.01 {
		p.newPage()
	}
}

// lineH returns the line height in mm for a size: 1.3 lines, between the
// single and 1.5 spacing Appendix I allows.
func lineH(size float64) float64 { return size * 1.3 * ptMM }

// baseline returns the baseline of a line of height lh whose top is y.
func baseline(y, lh, size float64) float64 { return y + lh/2 + 0.33*size*ptMM }

// centred draws s centred on cx with its line's top at y.
func (p *pdfWriter) centred(s string, cx, y float64, st style, size, lh float64) {
	p.font(st, size)
	p.text(cx-p.textW(s, st, size)/2, baseline(y, lh, size), s)
}

// heading draws the heading of Appendix I: items 1–5.
func (p *pdfWriter) heading() {
	d := p.d
	if strings.TrimSpace(d.Issuer) != "" {
		p.officialHeading()
	}
	kind, summary := upper(d.Kind), clean(d.Summary)
	if strings.TrimSpace(kind) != "" {
		p.y += 5
		lh := lineH(sizeMotto)
		for _, l := range wrapPlain(p.m, kind, bold, sizeMotto, p.width()/ptMM) {
			p.centred(l, p.left()+p.width()/2, p.y, bold, sizeMotto, lh)
			p.y += lh
		}
		if summary != "" {
			widest := 0.0
			for _, l := range wrapPlain(p.m, summary, bold, sizeMotto, p.width()*0.85/ptMM) {
				p.centred(l, p.left()+p.width()/2, p.y, bold, sizeMotto, lh)
				widest = math.Max(widest, p.textW(l, bold, sizeMotto))
				p.y += lh
			}
			p.rule(p.left()+p.width()/2, p.y+1, widest/3)
			p.y += 2
		}
		p.y += 4
	}
	if lines := addresseeLines(d.Addressees); len(lines) > 0 {
		p.y += 3
		lh := lineH(sizeBody)
		if len(lines) == 1 {
			for _, l := range wrapPlain(p.m, lines[0], regular, sizeBody, p.width()/ptMM) {
				p.centred(l, p.left()+p.width()/2, p.y, regular, sizeBody, lh)
				p.y += lh
			}
		} else {
			x := p.left() + p.width()*0.18
			p.font(regular, sizeBody)
			p.text(x, baseline(p.y, lh, sizeBody), lines[0])
			x += p.textW("Kính gửi: ", regular, sizeBody)
			for _, l := range lines[1:] {
				for _, part := range wrapPlain(p.m, l, regular, sizeBody, (p.left()+p.width()-x)/ptMM) {
					p.need(lh)
					p.font(regular, sizeBody)
					p.text(x, baseline(p.y, lh, sizeBody), part)
					p.y += lh
				}
			}
		}
		p.y += 3
	}
}

// headingColumns returns the widths of the heading's two columns (the
// issuer's on the left, the motto's on the right) and the size of the
// country's name: 13 pt, or 12 pt where 13 does not leave the issuer room.
func (p *pdfWriter) headingColumns() (lw, rw, countrySize float64) {
	countrySize = sizeHeading
	rw = p.textW(mottoCountry, bold, countrySize) + 4
	if rw > p.width()*0.6 {
		countrySize = 12
		rw = p.textW(mottoCountry, bold, countrySize) + 4
	}
	return p.width() - rw, rw, countrySize
}

// officialHeading draws items 1–4 and, for an official letter, 5b.
func (p *pdfWriter) officialHeading() {
	d := p.d
	lw, rw, countrySize := p.headingColumns()
	cxL := p.left() + lw/2
	cxR := p.left() + lw + rw/2
	top := p.y
	lh := lineH(sizeHeading) * 0.92

	// Left: managing body, issuing body, rule.
	y := top
	if man := upper(d.Managing); strings.TrimSpace(man) != "" {
		for _, l := range wrapPlain(p.m, man, regular, sizeHeading, (lw-2)/ptMM) {
			p.centred(l, cxL, y, regular, sizeHeading, lh)
			y += lh
		}
	}
	widest := 0.0
	for _, l := range wrapPlain(p.m, upper(d.Issuer), bold, sizeHeading, (lw-2)/ptMM) {
		p.centred(l, cxL, y, bold, sizeHeading, lh)
		widest = math.Max(widest, p.textW(l, bold, sizeHeading))
		y += lh
	}
	p.rule(cxL, y+1.2, widest*0.4)
	leftBottom := y + 1.5

	// Right: the national motto and its rule, as long as the motto.
	y = top
	p.centred(mottoCountry, cxR, y, bold, countrySize, lh)
	y += lh
	p.centred(mottoMotto, cxR, y, bold, sizeMotto, lineH(sizeMotto)*0.92)
	y += lineH(sizeMotto) * 0.92
	p.rule(cxR, y+1.2, p.textW(mottoMotto, bold, sizeMotto))
	rightBottom := y + 1.5

	// Number under the issuer, place and date under the motto, on one line.
	y = math.Max(leftBottom, rightBottom) + 2.5
	nl := lineH(sizeHeading)
	num, date := numberLine(d.Number), d.dateLine()
	p.centred(num, cxL, y, regular, sizeHeading, nl)
	p.centred(date, cxR, y, italic, sizeMotto, nl)
	if num != "" || date != "" {
		y += nl
	}
	if strings.TrimSpace(d.Kind) == "" && strings.TrimSpace(d.Summary) != "" {
		for _, l := range wrapPlain(p.m, "V/v "+clean(d.Summary), regular, 12.5, (lw-4)/ptMM) {
			p.centred(l, cxL, y, regular, 12.5, lineH(12.5)*0.95)
			y += lineH(12.5) * 0.95
		}
	}
	p.y = y + 2
}

// rule draws a solid horizontal rule of width w centred on cx at y.
func (p *pdfWriter) rule(cx, y, w float64) {
	p.pdf.SetLineWidth(0.25)
	p.pdf.Line(cx-w/2, y, cx+w/2, y)
}

func (p *pdfWriter) block(b Block) {
	switch b := b.(type) {
	case Heading:
		st := bold
		if b.Level >= 3 {
			st = boldItalic
		}
		lh := lineH(sizeBody)
		p.need(3 * lh)
		p.paragraph(Paragraph{Runs: []Run{{Text: b.Text, Bold: true, Italic: st == boldItalic}}, Align: AlignJustify}, sizeBody, true)
	case Paragraph:
		p.paragraph(b, sizeBody, false)
	case List:
		for i, it := range b.Items {
			marker := "- "
			if b.Ordered {
				marker = strconv.Itoa(i+1) + ". "
			}
			p.paragraph(Paragraph{Runs: []Run{{Text: marker + it}}}, sizeBody, false)
		}
	case *Table:
		if b != nil {
			p.table(b)
		}
	case *Chart:
		if b != nil {
			p.chart(b)
		}
	case PageBreak:
		p.newPage()
	}
}

// word is a word of a paragraph: one or more styled pieces without spaces
// between them.
type word struct {
	segs []seg
	w    float64 // mm
}

type seg struct {
	text string
	st   style
}

// pline is a laid-out line: its words and whether it ends its paragraph.
type pline struct {
	words []word
	last  bool
}

// words splits runs into words, breaking at spaces; a nil word stands for
// a "\n", a forced line end.
func (p *pdfWriter) words(runs []Run, size float64) []*word {
	var out []*word
	var cur *word
	for _, r := range runs {
		st := styleOf(r.Bold, r.Italic)
		text := strings.ReplaceAll(clean(r.Text), "\t", " ")
		for i := 0; i < len(text); {
			switch text[i] {
			case '\n':
				if cur != nil {
					out = append(out, cur)
				}
				out = append(out, nil)
				cur = nil
				i++
			case ' ':
				if cur != nil {
					out = append(out, cur)
					cur = nil
				}
				i++
			default:
				j := strings.IndexAny(text[i:], " \n")
				if j < 0 {
					j = len(text) - i
				}
				piece := text[i : i+j]
				if cur == nil {
					cur = &word{}
				}
				cur.segs = append(cur.segs, seg{piece, st})
				cur.w += p.textW(piece, st, size)
				i += j
			}
		}
	}
	if cur != nil {
		out = append(out, cur)
	}
	return out
}

// layoutLines breaks words into lines of width w mm, the first indented.
func (p *pdfWriter) layoutLines(ws []*word, w, indent, size float64) []pline {
	space := p.textW(" ", regular, size)
	var lines []pline
	var cur []word
	curW := indent
	flush := func(last bool) {
		lines = append(lines, pline{words: cur, last: last})
		cur = nil
		curW = 0
	}
	for _, wd := range ws {
		if wd == nil {
			flush(true) // "\n": end the line here
			continue
		}
		for _, piece := range p.splitWord(*wd, w-indent, size) {
			add := piece.w
			if len(cur) > 0 {
				add += space
			}
			if len(cur) > 0 && curW+add > w+0.01 {
				flush(false)
				add = piece.w
			}
			cur = append(cur, piece)
			curW += add
		}
	}
	flush(true)
	return lines
}

// splitWord splits a word wider than w mm into pieces that fit: after a
// hyphen, slash or comma where there is one, else between any letters.
func (p *pdfWriter) splitWord(wd word, w, size float64) []word {
	if wd.w <= w || w <= 0 {
		return []word{wd}
	}
	if len(wd.segs) == 1 {
		s := wd.segs[0]
		best := -1
		for i, r := range s.text {
			if i > 0 && strings.ContainsRune("-/,;", r) && p.textW(s.text[:i+1], s.st, size) <= w {
				best = i + 1
			}
		}
		if best > 0 && best < len(s.text) {
			head, tail := s.text[:best], s.text[best:]
			first := word{segs: []seg{{head, s.st}}, w: p.textW(head, s.st, size)}
			rest := word{segs: []seg{{tail, s.st}}, w: p.textW(tail, s.st, size)}
			return append([]word{first}, p.splitWord(rest, w, size)...)
		}
	}
	var out []word
	cur := word{}
	for _, s := range wd.segs {
		for _, r := range s.text {
			rw := p.textW(string(r), s.st, size)
			if cur.w+rw > w && cur.w > 0 {
				out = append(out, cur)
				cur = word{}
			}
			if n := len(cur.segs); n > 0 && cur.segs[n-1].st == s.st {
				cur.segs[n-1].text += string(r)
			} else {
				cur.segs = append(cur.segs, seg{string(r), s.st})
			}
			cur.w += rw
		}
	}
	if len(cur.segs) > 0 {
		out = append(out, cur)
	}
	return out
}

// paragraph draws a paragraph at the body's width.
func (p *pdfWriter) paragraph(par Paragraph, size float64, keep bool) {
	lh := lineH(size)
	indent := 12.7
	if par.NoIndent || par.Align == AlignCenter || par.Align == AlignRight {
		indent = 0
	}
	ws := p.words(par.Runs, size)
	lines := p.layoutLines(ws, p.width(), indent, size)
	if keep {
		p.need(float64(len(lines)+2) * lh)
	}
	// No orphan or widow: a paragraph that breaks leaves at least two of
	// its lines on each page.
	breakAt := -1
	if room := int((p.bottom() - p.y) / lh); len(lines) > room && p.y > marginTop+0.01 {
		switch {
		case room < 2:
			p.newPage()
		case len(lines) >= 4 && len(lines)-room == 1:
			breakAt = room - 1
		case len(lines) < 4:
			p.newPage()
		}
	}
	for i, l := range lines {
		if i == breakAt {
			p.newPage()
		}
		p.need(lh)
		ind := 0.0
		if i == 0 {
			ind = indent
		}
		p.drawLine(l, p.left()+ind, p.width()-ind, p.y, lh, size, par.Align)
		p.y += lh
	}
	p.y += 6 * ptMM // Appendix I: paragraphs at least 6 pt apart
}

// drawLine draws one line of words in a box of width w from x.
func (p *pdfWriter) drawLine(l pline, x, w, y, lh, size float64, align Align) {
	if len(l.words) == 0 {
		return
	}
	space := p.textW(" ", regular, size)
	total := 0.0
	for _, wd := range l.words {
		total += wd.w
	}
	gap := space
	natural := total + space*float64(len(l.words)-1)
	switch align {
	case AlignCenter:
		x += (w - natural) / 2
	case AlignRight:
		x += w - natural
	case AlignLeft:
	default: // justified, but not the paragraph's last line
		if !l.last && len(l.words) > 1 && natural < w {
			gap = (w - total) / float64(len(l.words)-1)
		}
	}
	by := baseline(y, lh, size)
	for _, wd := range l.words {
		for _, s := range wd.segs {
			p.font(s.st, size)
			p.text(x, by, s.text)
			x += p.textW(s.text, s.st, size)
		}
		x += gap
	}
}

// cellLines lays out a table cell's text in a column of width w mm.
func (p *pdfWriter) cellLines(text string, st style, w, size float64) []pline {
	return p.layoutLines(p.words([]Run{{Text: text, Bold: st == bold || st == boldItalic, Italic: st == italic || st == boldItalic}}, size), w, 0, size)
}

// table draws a ruled table; the header is repeated on every page and a row
// taller than a page continues on the next.
func (p *pdfWriter) table(t *Table) {
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
	size := sizeTable
	lh := lineH(size) * 0.92
	pad := 1.2
	widths := colWidths(cols, p.width())
	xs := make([]float64, n+1)
	xs[0] = p.left()
	for i, w := range widths {
		xs[i+1] = xs[i] + w
	}

	// Header: an optional group row, then the column titles.
	groups, grouped := headerGroups(cols)
	titleLines := make([][]pline, n)
	maxTitle := 1
	for i, c := range cols {
		titleLines[i] = p.cellLines(c.Title, bold, widths[i]-2*pad, size)
		if !grouped || c.Group != "" {
			maxTitle = max(maxTitle, len(titleLines[i]))
		}
	}
	groupLines := make([][]pline, len(groups))
	maxGroup := 0
	if grouped {
		for gi, g := range groups {
			if g.name != "" {
				groupLines[gi] = p.cellLines(g.name, bold, xs[g.first+g.span]-xs[g.first]-2*pad, size)
				maxGroup = max(maxGroup, len(groupLines[gi]))
			}
		}
	}
	hGroup := float64(maxGroup)*lh + 2*pad
	hTitle := float64(maxTitle)*lh + 2*pad
	if grouped {
		for i, c := range cols {
			if c.Group == "" {
				hTitle = math.Max(hTitle, float64(len(titleLines[i]))*lh+2*pad-hGroup)
			}
		}
	}
	headerH := hTitle
	if grouped {
		headerH += hGroup
	}
	drawHeader := func() {
		y := p.y
		p.pdf.SetLineWidth(0.2)
		if grouped {
			for gi, g := range groups {
				x0, x1 := xs[g.first], xs[g.first+g.span]
				if g.name == "" {
					c := g.first
					p.pdf.Rect(x0, y, x1-x0, headerH, "D")
					p.cellText(titleLines[c], x0, x1-x0, y+(headerH-float64(len(titleLines[c]))*lh)/2, lh, size, AlignCenter)
					continue
				}
				p.pdf.Rect(x0, y, x1-x0, hGroup, "D")
				p.cellText(groupLines[gi], x0, x1-x0, y+(hGroup-float64(len(groupLines[gi]))*lh)/2, lh, size, AlignCenter)
				for c := g.first; c < g.first+g.span; c++ {
					p.pdf.Rect(xs[c], y+hGroup, widths[c], hTitle, "D")
					p.cellText(titleLines[c], xs[c], widths[c], y+hGroup+(hTitle-float64(len(titleLines[c]))*lh)/2, lh, size, AlignCenter)
				}
			}
		} else {
			for c := range cols {
				p.pdf.Rect(xs[c], y, widths[c], headerH, "D")
				p.cellText(titleLines[c], xs[c], widths[c], y+(headerH-float64(len(titleLines[c]))*lh)/2, lh, size, AlignCenter)
			}
		}
		p.y += headerH
	}

	// Caption, kept with the header and a row.
	if cap := clean(t.Caption); strings.TrimSpace(cap) != "" {
		capLines := wrapPlain(p.m, cap, bold, sizeCaption, p.width()/ptMM)
		clh := lineH(sizeCaption)
		p.need(float64(len(capLines))*clh + headerH + lh + 2*pad)
		for _, l := range capLines {
			p.centred(l, p.left()+p.width()/2, p.y, bold, sizeCaption, clh)
			p.y += clh
		}
		p.y += 1
	} else {
		p.need(headerH + lh + 2*pad)
	}
	drawHeader()

	rows := t.Rows
	if t.Total != nil {
		rows = append(rows[:len(rows):len(rows)], t.Total)
	}
	for ri, row := range rows {
		total := t.Total != nil && ri == len(rows)-1
		cells := rowCells(row, n)
		lines := make([][]pline, n)
		aligns := make([]Align, n)
		most := 1
		for i, c := range cells {
			st := regular
			if c.Bold || total {
				st = bold
			}
			lines[i] = p.cellLines(c.String(), st, widths[i]-2*pad, size)
			aligns[i] = cellAlign(cols[i], c)
			most = max(most, len(lines[i]))
		}
		from := 0
		fresh := false // just turned the page: draw something, to make progress
		for from < most {
			room := int((p.bottom() - p.y - 2*pad) / lh)
			if !fresh && (room < 1 || (from == 0 && room < most && float64(most)*lh+2*pad <= p.bottom()-marginTop-headerH)) {
				p.newPage()
				drawHeader()
				fresh = true
				continue
			}
			fresh = false
			k := min(most-from, max(room, 1))
			h := float64(k)*lh + 2*pad
			p.pdf.SetLineWidth(0.2)
			for i := range cells {
				p.pdf.Rect(xs[i], p.y, widths[i], h, "D")
				end := min(len(lines[i]), from+k)
				if from < end {
					p.cellText(lines[i][from:end], xs[i], widths[i], p.y+pad, lh, size, aligns[i])
				}
			}
			p.y += h
			from += k
		}
	}
	if note := clean(t.Note); strings.TrimSpace(note) != "" {
		p.y += 1
		p.paragraph(Paragraph{Runs: []Run{{Text: note, Italic: true}}, NoIndent: true, Align: AlignLeft}, sizeNote, false)
	} else {
		p.y += 6 * ptMM
	}
}

// cellText draws lines in a cell from x of width w, the first line's top at y.
func (p *pdfWriter) cellText(lines []pline, x, w, y, lh, size float64, align Align) {
	const pad = 1.2
	if align == AlignDefault || align == AlignJustify {
		align = AlignLeft
	}
	for _, l := range lines {
		p.drawLine(l, x+pad, w-2*pad, y, lh, size, align)
		y += lh
	}
}

// chart draws a chart as vectors at the body's width.
func (p *pdfWriter) chart(c *Chart) {
	cv := c.docCanvas(p.m, p.width(), 0)
	h := cv.h * ptMM
	p.need(h + 2)
	x0, y0 := p.left(), p.y
	pdf := p.pdf
	for _, pr := range cv.prims {
		pdf.SetDrawColor(int(pr.color.r), int(pr.color.g), int(pr.color.b))
		pdf.SetFillColor(int(pr.color.r), int(pr.color.g), int(pr.color.b))
		switch pr.kind {
		case pRect:
			pdf.Rect(x0+pr.x*ptMM, y0+pr.y*ptMM, pr.w*ptMM, pr.h*ptMM, "F")
		case pLine:
			pdf.SetLineWidth(math.Max(pr.lineW*ptMM, 0.1))
			pdf.Line(x0+pr.x*ptMM, y0+pr.y*ptMM, x0+pr.x2*ptMM, y0+pr.y2*ptMM)
		case pPolyline:
			pdf.SetLineWidth(pr.lineW * ptMM)
			pdf.SetLineJoinStyle("round")
			pts := make([]fpdf.PointType, len(pr.pts))
			for i, pt := range pr.pts {
				pts[i] = fpdf.PointType{X: x0 + pt[0]*ptMM, Y: y0 + pt[1]*ptMM}
			}
			for i := 1; i < len(pts); i++ {
				pdf.Line(pts[i-1].X, pts[i-1].Y, pts[i].X, pts[i].Y)
			}
			pdf.SetLineJoinStyle("miter")
		case pCircle:
			pdf.Circle(x0+pr.x*ptMM, y0+pr.y*ptMM, pr.w*ptMM, "F")
		case pText:
			st := sans
			if pr.bold {
				st = sansBoldFace
			}
			pdf.SetTextColor(int(pr.color.r), int(pr.color.g), int(pr.color.b))
			p.font(st, pr.size)
			x := x0 + pr.x*ptMM
			tw := p.textW(pr.text, st, pr.size)
			switch pr.anchor {
			case 0:
				x -= tw / 2
			case 1:
				x -= tw
			}
			p.text(x, y0+pr.y*ptMM, pr.text)
		}
	}
	pdf.SetTextColor(0, 0, 0)
	pdf.SetDrawColor(0, 0, 0)
	pdf.SetFillColor(255, 255, 255)
	p.y += h + 6*ptMM
}

// sigLines is a signature block laid out: its lines with their styles, and
// the gap for the signature after the position.
type sigLine struct {
	text string
	st   style
	size float64
	gap  float64 // space before this line, mm
}

func (p *pdfWriter) sigBlock(s Signature, w float64) []sigLine {
	var out []sigLine
	add := func(text string, st style, size, gap float64) {
		for i, l := range wrapPlain(p.m, text, st, size, (w-2)/ptMM) {
			g := 0.0
			if i == 0 {
				g = gap
			}
			out = append(out, sigLine{l, st, size, g})
		}
	}
	if a := upper(s.Authority); strings.TrimSpace(a) != "" {
		add(a, bold, sizeBody, 0)
	}
	if pos := upper(s.Position); strings.TrimSpace(pos) != "" {
		add(pos, bold, sizeBody, 0)
	}
	if h := clean(s.Hint); strings.TrimSpace(h) != "" {
		add(h, italic, sizeNote, 0)
	}
	name := clean(s.Name)
	if strings.TrimSpace(name) == "" {
		name = " "
	}
	add(name, bold, sizeBody, 24) // the space to sign and seal
	return out
}

func sigHeight(ls []sigLine) float64 {
	h := 0.0
	for _, l := range ls {
		h += l.gap + lineH(l.size)
	}
	return h
}

func (p *pdfWriter) drawSig(ls []sigLine, cx, y float64) {
	for _, l := range ls {
		y += l.gap
		p.centred(l.text, cx, y, l.st, l.size, lineH(l.size))
		y += lineH(l.size)
	}
}

// signatures draws the signature blocks and the recipients (items 7 and 9a):
// one signature on the right with the recipients on its left; several side
// by side, two a row, with the recipients under them.
func (p *pdfWriter) signatures() {
	d := p.d
	recips := recipientLines(d.Recipients)
	if len(d.Signatures) == 0 && len(recips) == 0 {
		return
	}
	p.y += 2
	W := p.width()
	if len(d.Signatures) <= 1 {
		lw := W * 0.45
		var sig []sigLine
		if len(d.Signatures) == 1 {
			sig = p.sigBlock(d.Signatures[0], W-lw)
		}
		h := math.Max(sigHeight(sig), p.recipHeight(recips, lw))
		if h <= p.bottom()-marginTop {
			p.need(h)
		} else {
			p.need(sigHeight(sig))
		}
		top := p.y
		p.drawSig(sig, p.left()+lw+(W-lw)/2, top)
		p.drawRecipients(recips, p.left(), lw)
		p.y = math.Max(p.y, top+sigHeight(sig))
		return
	}
	cw := W / 2
	for i := 0; i < len(d.Signatures); i += 2 {
		a := p.sigBlock(d.Signatures[i], cw)
		var b []sigLine
		h := sigHeight(a)
		if i+1 < len(d.Signatures) {
			b = p.sigBlock(d.Signatures[i+1], cw)
			h = math.Max(h, sigHeight(b))
		}
		p.need(h)
		if b == nil { // an odd last signature is centred
			p.drawSig(a, p.left()+W/2, p.y)
		} else {
			p.drawSig(a, p.left()+cw/2, p.y)
			p.drawSig(b, p.left()+cw+cw/2, p.y)
		}
		p.y += h + 4
	}
	if len(recips) > 0 {
		p.need(p.recipHeight(recips, W*0.45))
		p.drawRecipients(recips, p.left(), W*0.45)
	}
}

func (p *pdfWriter) recipLines(recips []string, w float64) []string {
	var out []string
	for _, r := range recips {
		out = append(out, wrapPlain(p.m, r, regular, sizeRecip, (w-2)/ptMM)...)
	}
	return out
}

func (p *pdfWriter) recipHeight(recips []string, w float64) float64 {
	if len(recips) == 0 {
		return 0
	}
	return lineH(sizeRecipHead) + float64(len(p.recipLines(recips, w)))*lineH(sizeRecip)*0.9
}

// drawRecipients draws "Nơi nhận:" and the recipients from y down.
func (p *pdfWriter) drawRecipients(recips []string, x, w float64) {
	if len(recips) == 0 {
		return
	}
	lh := lineH(sizeRecipHead)
	p.font(boldItalic, sizeRecipHead)
	p.text(x, baseline(p.y, lh, sizeRecipHead), "Nơi nhận:")
	p.y += lh
	rl := lineH(sizeRecip) * 0.9
	for _, l := range p.recipLines(recips, w) {
		if p.y+rl > p.bottom() {
			p.newPage()
		}
		p.font(regular, sizeRecip)
		p.text(x, baseline(p.y, rl, sizeRecip), l)
		p.y += rl
	}
}
