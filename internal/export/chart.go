package export

import (
	"fmt"
	"math"
	"strings"
)

// Chart is a bar, stacked bar or line chart of one or more series over the
// same categories. It is a [Block] of a document (drawn as vectors in PDF and
// as a PNG in DOCX) and renders on its own as SVG for pages ([Chart.SVG]) and
// PNG ([Chart.PNG]), all from one layout, so the page and the printed report
// show the same picture.
type Chart struct {
	Kind ChartKind
	// Title is printed above the chart.
	Title string
	// Categories label the bars or the line's points (months, communes).
	Categories []string
	Series     []Series
	// Horizontal draws bars left to right with the categories down the
	// side: the layout for many categories with long names (communes).
	// A line chart ignores it.
	Horizontal bool
	// Percent says the values are fractions (0.875) printed as 87,5%.
	Percent bool
	// Unit names the values' unit under the title, e.g. "Số thư".
	Unit string
	// Height is the height in millimetres in a document; 0 means 80 mm, or
	// what the categories need for a horizontal bar chart.
	Height float64
}

// ChartKind is the kind of chart.
type ChartKind int

// Chart kinds.
const (
	Bar ChartKind = iota
	StackedBar
	Line
)

// Series is one series of a chart: a name for the legend and one value per
// category (missing values count as 0; NaN leaves a gap in a line).
type Series struct {
	Name   string
	Values []float64
}

// palette is the Okabe–Ito palette, distinguishable with the common colour
// vision deficiencies and in greyscale print, with the yellow last because
// it has little contrast on white.
var palette = [...]rgb{
	{0x00, 0x72, 0xB2}, {0xE6, 0x9F, 0x00}, {0x00, 0x9E, 0x73}, {0xD5, 0x5E, 0x00},
	{0xCC, 0x79, 0xA7}, {0x56, 0xB4, 0xE9}, {0x99, 0x99, 0x99}, {0xF0, 0xE4, 0x42},
}

type rgb struct{ r, g, b uint8 }

func (c rgb) hex() string { return fmt.Sprintf("#%02x%02x%02x", c.r, c.g, c.b) }

var (
	colText = rgb{0x1b, 0x1b, 0x1b}
	colGrid = rgb{0xd8, 0xd8, 0xd8}
	colAxis = rgb{0x55, 0x55, 0x55}
)

// canvas is a chart laid out as primitives in a width × height space whose
// unit is the font size's (points in documents, CSS pixels on pages).
type canvas struct {
	w, h  float64
	prims []prim
	// desc is a plain-text summary for screen readers.
	desc string
}

type primKind int

const (
	pRect primKind = iota
	pLine
	pPolyline
	pCircle
	pText
)

type prim struct {
	kind       primKind
	x, y, w, h float64 // rect: corner and size; circle: centre and radius in w; text: baseline start
	x2, y2     float64 // line end
	pts        [][2]float64
	color      rgb
	lineW      float64
	text       string
	size       float64
	anchor     int // text: -1 start, 0 middle, 1 end
	bold       bool
}

// chartSeries returns the chart's series with values padded to the
// categories.
func (c *Chart) series() []Series {
	n := len(c.Categories)
	out := make([]Series, 0, len(c.Series))
	for _, s := range c.Series {
		v := make([]float64, n)
		for i := range v {
			if i < len(s.Values) {
				v[i] = s.Values[i]
			}
			if math.IsInf(v[i], 0) {
				v[i] = 0
			}
		}
		out = append(out, Series{Name: clean(s.Name), Values: v})
	}
	return out
}

// format formats a value for an axis or a label.
func (c *Chart) format(v float64, step float64) string {
	if c.Percent {
		p := v * 100
		if step*100 >= 1 || p == math.Trunc(p) {
			return FormatInt(int64(math.Round(p))) + "%"
		}
		return FormatPercent(v)
	}
	if step >= 1 || v == math.Trunc(v) {
		return FormatInt(int64(math.Round(v)))
	}
	d := int(math.Max(0, math.Ceil(-math.Log10(step))))
	return formatDecimal(v, d)
}

// niceScale returns an axis from lo to hi with about five ticks at a round
// step (1, 2, 2.5 or 5 times a power of ten).
func niceScale(lo, hi float64, integer bool) (min, max, step float64) {
	if hi <= lo {
		hi = lo + 1
	}
	raw := (hi - lo) / 5
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		step = m * mag
		if step >= raw {
			break
		}
	}
	if integer && step < 1 {
		step = 1
	}
	return math.Floor(lo/step) * step, math.Ceil(hi/step) * step, step
}

// layout lays the chart out in a w × h space with text of the given size.
// A horizontal bar chart computes its own height when h is 0.
func (c *Chart) layout(m *metrics, w, h, size float64) *canvas {
	cv := &canvas{w: w, h: h}
	ser := c.series()
	cats := make([]string, len(c.Categories))
	for i, s := range c.Categories {
		cats[i] = clean(s)
	}
	title := clean(c.Title)
	cv.desc = c.describe(ser, cats)
	lh := size * 1.25
	pad := size * 0.6
	y := pad

	// Title and unit.
	if title != "" {
		for _, l := range wrapPlain(m, title, sansBoldFace, size*1.15, w-2*pad) {
			y += size * 1.15
			cv.text(w/2, y, l, size*1.15, 0, true, colText)
			y += size * 0.3
		}
	}
	if u := clean(c.Unit); u != "" {
		y += size
		cv.text(w/2, y, "Đơn vị: "+u, size*0.9, 0, false, colAxis)
		y += size * 0.3
	}

	// Legend, when there is more than one series or the bars are stacked.
	if len(ser) > 1 || (c.Kind == StackedBar && len(ser) == 1) {
		y += size * 0.6
		x := pad
		sw := size * 0.9
		for i, s := range ser {
			tw := m.width(s.Name, sans, size)
			if x > pad && x+sw+4+tw > w-pad {
				x = pad
				y += lh
			}
			col := palette[i%len(palette)]
			cv.rect(x, y, sw, sw, col)
			cv.text(x+sw+size*0.35, y+sw*0.85, s.Name, size, -1, false, colText)
			x += sw + size*0.35 + tw + size*1.2
		}
		y += lh
	}
	y += pad

	if len(cats) == 0 || len(ser) == 0 {
		if h == 0 {
			h = y + 3*lh
			cv.h = h
		}
		cv.text(w/2, y+lh, "Không có số liệu", size, 0, false, colAxis)
		return cv
	}

	// Scale: stacked bars add up; bars start at zero.
	lo, hi := 0.0, 0.0
	integer := !c.Percent
	for i := range cats {
		pos, neg := 0.0, 0.0
		for _, s := range ser {
			v := s.Values[i]
			if math.IsNaN(v) {
				continue
			}
			if v != math.Trunc(v) {
				integer = false
			}
			if c.Kind == StackedBar {
				if v >= 0 {
					pos += v
				} else {
					neg += v
				}
			} else {
				hi, lo = math.Max(hi, v), math.Min(lo, v)
			}
		}
		hi, lo = math.Max(hi, pos), math.Min(lo, neg)
	}
	if c.Percent && hi <= 1 && lo >= 0 {
		hi = math.Max(hi, 0.0001)
	}
	vmin, vmax, step := niceScale(lo, hi, integer)
	if c.Percent && hi <= 1 && vmax > 1 && hi > 0.9 {
		vmax = 1
	}
	ticks := []float64{}
	for t := vmin; t <= vmax+step/1e6; t += step {
		ticks = append(ticks, t)
		if len(ticks) > 20 {
			break
		}
	}

	if c.Horizontal && c.Kind != Line {
		return c.layoutHorizontal(m, cv, ser, cats, y, size, vmin, vmax, step, ticks)
	}

	// Vertical: value axis on the left, categories along the bottom.
	gutter := 0.0
	for _, t := range ticks {
		gutter = math.Max(gutter, m.width(c.format(t, step), sans, size*0.9))
	}
	x0 := pad + gutter + size*0.5
	x1 := w - pad
	slot := (x1 - x0) / float64(len(cats))
	labels, labelLines, every := categoryLabels(m, cats, slot, size*0.9)
	y1 := h - pad - float64(labelLines)*size*0.9*1.2 - size*0.4 // plot bottom
	y0 := y + size*0.5                                          // plot top
	if y1-y0 < size*4 {
		y1 = y0 + size*4
		cv.h = y1 + pad + float64(labelLines)*size*1.1 + size*0.4
	}
	vy := func(v float64) float64 { return y1 - (v-vmin)/(vmax-vmin)*(y1-y0) }

	for _, t := range ticks {
		ty := vy(t)
		cv.line(x0, ty, x1, ty, colGrid, size*0.05)
		cv.text(x0-size*0.4, ty+size*0.3, c.format(t, step), size*0.9, 1, false, colAxis)
	}
	cv.line(x0, vy(math.Max(vmin, 0)), x1, vy(math.Max(vmin, 0)), colAxis, size*0.08)
	for i, ls := range labels {
		if i%every != 0 {
			continue
		}
		cx := x0 + slot*(float64(i)+0.5)
		for j, l := range ls {
			cv.text(cx, y1+size*0.4+float64(j+1)*size*0.9*1.15, l, size*0.9, 0, false, colText)
		}
	}

	showValues := len(cats)*max(1, len(ser)) <= 24 && c.Kind != Line
	switch c.Kind {
	case Bar:
		gw := slot * 0.8
		bw := gw / float64(len(ser))
		for i := range cats {
			gx := x0 + slot*float64(i) + slot*0.1
			for k, s := range ser {
				v := s.Values[i]
				if math.IsNaN(v) {
					continue
				}
				top, bot := vy(math.Max(v, 0)), vy(math.Min(v, 0))
				cv.rect(gx+bw*float64(k)+bw*0.05, top, bw*0.9, bot-top, palette[k%len(palette)])
				if showValues {
					cv.text(gx+bw*(float64(k)+0.5), top-size*0.25, c.format(v, step/10), size*0.8, 0, false, colText)
				}
			}
		}
	case StackedBar:
		bw := slot * 0.6
		for i := range cats {
			bx := x0 + slot*float64(i) + slot*0.2
			pos, neg := 0.0, 0.0
			for k, s := range ser {
				v := s.Values[i]
				if math.IsNaN(v) || v == 0 {
					continue
				}
				var a, b float64
				if v > 0 {
					a, b = pos, pos+v
					pos = b
				} else {
					a, b = neg+v, neg
					neg = a
				}
				cv.rect(bx, vy(b), bw, vy(a)-vy(b), palette[k%len(palette)])
			}
			if showValues {
				cv.text(bx+bw/2, vy(pos)-size*0.25, c.format(pos, step/10), size*0.8, 0, false, colText)
			}
		}
	case Line:
		for k, s := range ser {
			col := palette[k%len(palette)]
			var run [][2]float64
			flush := func() {
				if len(run) > 1 {
					cv.polyline(run, col, size*0.15)
				}
				run = nil
			}
			for i := range cats {
				v := s.Values[i]
				if math.IsNaN(v) {
					flush()
					continue
				}
				run = append(run, [2]float64{x0 + slot*(float64(i)+0.5), vy(v)})
			}
			flush()
			if len(cats) <= 40 {
				for i := range cats {
					if v := s.Values[i]; !math.IsNaN(v) {
						cv.circle(x0+slot*(float64(i)+0.5), vy(v), size*0.22, col)
					}
				}
			}
		}
	}
	return cv
}

// layoutHorizontal lays out a bar chart with the categories down the left.
func (c *Chart) layoutHorizontal(m *metrics, cv *canvas, ser []Series, cats []string, y, size, vmin, vmax, step float64, ticks []float64) *canvas {
	pad := size * 0.6
	w := cv.w
	rowH := size * 1.6
	if c.Kind == Bar && len(ser) > 1 {
		rowH = size * (0.9*float64(len(ser)) + 0.7)
	}
	labelW := 0.0
	for _, s := range cats {
		labelW = math.Max(labelW, m.width(s, sans, size*0.9))
	}
	labelW = math.Min(labelW, w*0.35)
	x0 := pad + labelW + size*0.5
	x1 := w - pad - m.width(c.format(vmax, step), sans, size*0.8) - size*0.4
	y0 := y
	y1 := y0 + rowH*float64(len(cats))
	need := y1 + size*0.4 + size*0.9*1.3 + pad
	if cv.h == 0 || cv.h < need {
		cv.h = need
	}
	vx := func(v float64) float64 { return x0 + (v-vmin)/(vmax-vmin)*(x1-x0) }
	for _, t := range ticks {
		tx := vx(t)
		cv.line(tx, y0, tx, y1, colGrid, size*0.05)
		cv.text(tx, y1+size*0.4+size*0.9, c.format(t, step), size*0.9, 0, false, colAxis)
	}
	cv.line(vx(math.Max(vmin, 0)), y0, vx(math.Max(vmin, 0)), y1, colAxis, size*0.08)
	showValues := true
	for i, cat := range cats {
		ry := y0 + rowH*float64(i)
		cv.text(x0-size*0.4, ry+rowH/2+size*0.3, truncate(m, cat, sans, size*0.9, labelW), size*0.9, 1, false, colText)
		switch c.Kind {
		case StackedBar:
			pos, neg := 0.0, 0.0
			bh := rowH * 0.7
			for k, s := range ser {
				v := s.Values[i]
				if math.IsNaN(v) || v == 0 {
					continue
				}
				var a, b float64
				if v > 0 {
					a, b = pos, pos+v
					pos = b
				} else {
					a, b = neg+v, neg
					neg = a
				}
				cv.rect(vx(a), ry+rowH*0.15, vx(b)-vx(a), bh, palette[k%len(palette)])
			}
			if showValues {
				cv.text(vx(pos)+size*0.3, ry+rowH/2+size*0.3, c.format(pos, step/10), size*0.8, -1, false, colText)
			}
		default:
			bh := rowH * 0.8 / float64(len(ser))
			for k, s := range ser {
				v := s.Values[i]
				if math.IsNaN(v) {
					continue
				}
				by := ry + rowH*0.1 + bh*float64(k)
				a, b := vx(math.Min(v, 0)), vx(math.Max(v, 0))
				cv.rect(a, by+bh*0.05, b-a, bh*0.9, palette[k%len(palette)])
				if showValues {
					cv.text(b+size*0.3, by+bh/2+size*0.28, c.format(v, step/10), size*0.8, -1, false, colText)
				}
			}
		}
	}
	return cv
}

// describe returns a plain-text summary of the data for screen readers.
func (c *Chart) describe(ser []Series, cats []string) string {
	var b strings.Builder
	if t := clean(c.Title); t != "" {
		b.WriteString(t)
		b.WriteString(". ")
	}
	for _, s := range ser {
		if s.Name != "" {
			b.WriteString(s.Name)
			b.WriteString(": ")
		}
		for i, cat := range cats {
			if i > 0 {
				b.WriteString("; ")
			}
			if i >= 60 {
				fmt.Fprintf(&b, "và %d mục khác", len(cats)-i)
				break
			}
			b.WriteString(cat)
			b.WriteString(" ")
			if math.IsNaN(s.Values[i]) {
				b.WriteString("không có số liệu")
			} else {
				b.WriteString(c.format(s.Values[i], 0.001))
			}
		}
		b.WriteString(". ")
	}
	return strings.TrimSpace(b.String())
}

// categoryLabels fits the category labels under slots of the given width:
// up to two lines each, shortened with "…", and every k-th label only when
// even that does not fit.
func categoryLabels(m *metrics, cats []string, slot, size float64) (labels [][]string, lines, every int) {
	every = 1
	widest := 0.0
	for _, s := range cats {
		widest = math.Max(widest, m.width(s, sans, size))
	}
	if widest <= slot*0.95 {
		lines = 1
		for _, s := range cats {
			labels = append(labels, []string{s})
		}
		return labels, lines, every
	}
	// How many slots one label may use: at least the width of "00/00".
	minW := m.width("00/0000", sans, size)
	for slot*float64(every) < minW && every < len(cats) {
		every++
	}
	room := slot * float64(every) * 0.95
	lines = 1
	for _, s := range cats {
		ls := wrapPlain(m, s, sans, size, room)
		if len(ls) > 2 {
			ls = []string{ls[0], truncate(m, strings.Join(ls[1:], " "), sans, size, room)}
		}
		for i := range ls {
			ls[i] = truncate(m, ls[i], sans, size, room)
		}
		lines = max(lines, len(ls))
		labels = append(labels, ls)
	}
	return labels, lines, every
}

// truncate shortens s with "…" to fit width.
func truncate(m *metrics, s string, st style, size, width float64) string {
	if m.width(s, st, size) <= width {
		return s
	}
	r := []rune(s)
	lo, hi := 0, len(r) // the longest prefix that fits is in [lo, hi)
	for lo+1 < hi {
		mid := (lo + hi) / 2
		if m.width(string(r[:mid])+"…", st, size) <= width {
			lo = mid
		} else {
			hi = mid
		}
	}
	return strings.TrimSpace(string(r[:lo])) + "…"
}

// wrapPlain breaks s into lines no wider than width, splitting words that
// are wider than a line.
func wrapPlain(m *metrics, s string, st style, size, width float64) []string {
	var lines []string
	for _, para := range strings.Split(s, "\n") {
		line := ""
		for _, word := range strings.Fields(para) {
			for _, piece := range splitLong(m, word, st, size, width) {
				cand := piece
				if line != "" {
					cand = line + " " + piece
				}
				if line != "" && m.width(cand, st, size) > width {
					lines = append(lines, line)
					line = piece
				} else {
					line = cand
				}
			}
		}
		lines = append(lines, line)
	}
	return lines
}

// splitLong splits a word wider than width into pieces that fit.
func splitLong(m *metrics, word string, st style, size, width float64) []string {
	if m.width(word, st, size) <= width {
		return []string{word}
	}
	var out []string
	start, w := 0, 0.0
	for i, r := range word {
		rw := m.width(string(r), st, size)
		if w+rw > width && i > start {
			out = append(out, word[start:i])
			start, w = i, 0
		}
		w += rw
	}
	return append(out, word[start:])
}

func (cv *canvas) rect(x, y, w, h float64, col rgb) {
	if w <= 0 || h <= 0 {
		return
	}
	cv.prims = append(cv.prims, prim{kind: pRect, x: x, y: y, w: w, h: h, color: col})
}

func (cv *canvas) line(x, y, x2, y2 float64, col rgb, lw float64) {
	cv.prims = append(cv.prims, prim{kind: pLine, x: x, y: y, x2: x2, y2: y2, color: col, lineW: lw})
}

func (cv *canvas) polyline(pts [][2]float64, col rgb, lw float64) {
	cv.prims = append(cv.prims, prim{kind: pPolyline, pts: pts, color: col, lineW: lw})
}

func (cv *canvas) circle(x, y, r float64, col rgb) {
	cv.prims = append(cv.prims, prim{kind: pCircle, x: x, y: y, w: r, color: col})
}

func (cv *canvas) text(x, y float64, s string, size float64, anchor int, bold bool, col rgb) {
	if s == "" {
		return
	}
	cv.prims = append(cv.prims, prim{kind: pText, x: x, y: y, text: s, size: size, anchor: anchor, bold: bold, color: col})
}
