package export

import (
	"bytes"
	"fmt"
	"html/template"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"io"
	"math"
	"strconv"
	"strings"

	"golang.org/x/image/font"
	"golang.org/x/image/math/fixed"
	"golang.org/x/image/vector"
)

// SVG returns the chart as an inline SVG element for a page, laid out in a
// width × height box of CSS pixels (height 0: width × 0.6, or what a
// horizontal bar chart needs) with 14 px text. It scales to its container
// (width 100 %) and carries a title and a text description for screen
// readers; a page should show the figures in a table beside it as well.
func (c *Chart) SVG(width, height float64) (template.HTML, error) {
	var b bytes.Buffer
	if err := c.WriteSVG(&b, width, height, 14); err != nil {
		return "", err
	}
	return template.HTML(b.String()), nil // every text was escaped by WriteSVG
}

// WriteSVG writes the chart as a standalone-capable SVG element laid out in
// a width × height box with text of the given size.
func (c *Chart) WriteSVG(w io.Writer, width, height, size float64) error {
	m, err := newMetrics()
	if err != nil {
		return err
	}
	if width <= 0 {
		width = 640
	}
	if height <= 0 && !(c.Horizontal && c.Kind != Line) {
		height = width * 0.6
	}
	cv := c.layout(m, width, height, size)
	var b strings.Builder
	f := func(v float64) string { return strconv.FormatFloat(math.Round(v*100)/100, 'f', -1, 64) }
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %s %s" width="100%%" role="img" class="chart" font-family="'Liberation Sans',Arial,Helvetica,sans-serif" style="max-width:%spx;height:auto">`,
		f(cv.w), f(cv.h), f(cv.w))
	b.WriteString("<title>")
	template.HTMLEscape(&writerAdapter{&b}, []byte(clean(c.Title)))
	b.WriteString("</title><desc>")
	template.HTMLEscape(&writerAdapter{&b}, []byte(cv.desc))
	b.WriteString("</desc>")
	fmt.Fprintf(&b, `<rect width="%s" height="%s" fill="#fff"/>`, f(cv.w), f(cv.h))
	for _, p := range cv.prims {
		switch p.kind {
		case pRect:
			fmt.Fprintf(&b, `<rect x="%s" y="%s" width="%s" height="%s" fill="%s"/>`, f(p.x), f(p.y), f(p.w), f(p.h), p.color.hex())
		case pLine:
			fmt.Fprintf(&b, `<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="%s"/>`, f(p.x), f(p.y), f(p.x2), f(p.y2), p.color.hex(), f(p.lineW))
		case pPolyline:
			b.WriteString(`<polyline fill="none" stroke-linejoin="round" points="`)
			for i, pt := range p.pts {
				if i > 0 {
					b.WriteByte(' ')
				}
				b.WriteString(f(pt[0]) + "," + f(pt[1]))
			}
			fmt.Fprintf(&b, `" stroke="%s" stroke-width="%s"/>`, p.color.hex(), f(p.lineW))
		case pCircle:
			fmt.Fprintf(&b, `<circle cx="%s" cy="%s" r="%s" fill="%s"/>`, f(p.x), f(p.y), f(p.w), p.color.hex())
		case pText:
			anchor := map[int]string{-1: "start", 0: "middle", 1: "end"}[p.anchor]
			weight := ""
			if p.bold {
				weight = ` font-weight="bold"`
			}
			fmt.Fprintf(&b, `<text x="%s" y="%s" font-size="%s" text-anchor="%s" fill="%s"%s>`, f(p.x), f(p.y), f(p.size), anchor, p.color.hex(), weight)
			template.HTMLEscape(&writerAdapter{&b}, []byte(p.text))
			b.WriteString("</text>")
		}
	}
	b.WriteString("</svg>")
	_, err = io.WriteString(w, b.String())
	return err
}

type writerAdapter struct{ b *strings.Builder }

func (w *writerAdapter) Write(p []byte) (int, error) { return w.b.Write(p) }

// PNG writes the chart as a PNG image of a widthMM × heightMM figure at dpi
// dots per inch (height 0 as for [Chart.Height]), with 9 pt text: the same
// picture as the PDF's vector chart.
func (c *Chart) PNG(w io.Writer, widthMM, heightMM, dpi float64) error {
	img, err := c.raster(widthMM, heightMM, dpi)
	if err != nil {
		return err
	}
	enc := png.Encoder{CompressionLevel: png.DefaultCompression}
	return enc.Encode(w, img)
}

// chartTextPt is the size of a chart's text in documents, in points.
const chartTextPt = 9.0

// docCanvas lays the chart out for a document: in points, widthMM wide.
func (c *Chart) docCanvas(m *metrics, widthMM, heightMM float64) *canvas {
	if heightMM <= 0 {
		heightMM = c.Height
	}
	hPt := heightMM * 72 / 25.4
	if heightMM <= 0 {
		hPt = 80 * 72 / 25.4
		if c.Horizontal && c.Kind != Line {
			hPt = 0
		}
	}
	return c.layout(m, widthMM*72/25.4, hPt, chartTextPt)
}

// raster draws the chart into an RGBA image.
func (c *Chart) raster(widthMM, heightMM, dpi float64) (*image.RGBA, error) {
	m, err := newMetrics()
	if err != nil {
		return nil, err
	}
	if dpi <= 0 {
		dpi = 200
	}
	cv := c.docCanvas(m, widthMM, heightMM)
	scale := dpi / 72
	W, H := int(math.Ceil(cv.w*scale)), int(math.Ceil(cv.h*scale))
	if W <= 0 || H <= 0 || W*H > 40_000_000 {
		return nil, fmt.Errorf("export: chart of %d × %d pixels", W, H)
	}
	img := image.NewRGBA(image.Rect(0, 0, W, H))
	draw.Draw(img, img.Bounds(), image.White, image.Point{}, draw.Src)
	// Each shape is a list of closed polygons in points; it is rasterised
	// in its own bounding box, not the whole image, so that a chart of
	// hundreds of bars costs what its bars cover.
	ras := vector.NewRasterizer(1, 1)
	fill := func(col rgb, polys [][][2]float64) {
		x0, y0, x1, y1 := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
		for _, poly := range polys {
			for _, pt := range poly {
				x0, y0 = math.Min(x0, pt[0]*scale), math.Min(y0, pt[1]*scale)
				x1, y1 = math.Max(x1, pt[0]*scale), math.Max(y1, pt[1]*scale)
			}
		}
		box := image.Rect(int(math.Floor(x0)), int(math.Floor(y0)), int(math.Ceil(x1)), int(math.Ceil(y1))).Intersect(img.Bounds())
		if box.Empty() {
			return
		}
		ras.Reset(box.Dx(), box.Dy())
		ras.DrawOp = draw.Over
		for _, poly := range polys {
			for i, pt := range poly {
				x, y := float32(pt[0]*scale-float64(box.Min.X)), float32(pt[1]*scale-float64(box.Min.Y))
				if i == 0 {
					ras.MoveTo(x, y)
				} else {
					ras.LineTo(x, y)
				}
			}
			ras.ClosePath()
		}
		ras.Draw(img, box, image.NewUniform(color.RGBA{col.r, col.g, col.b, 0xff}), image.Point{})
	}
	quad := func(x1, y1, x2, y2, lw float64) [][2]float64 {
		dx, dy := x2-x1, y2-y1
		l := math.Hypot(dx, dy)
		if l == 0 {
			return nil
		}
		nx, ny := -dy/l*lw/2, dx/l*lw/2
		return [][2]float64{{x1 + nx, y1 + ny}, {x2 + nx, y2 + ny}, {x2 - nx, y2 - ny}, {x1 - nx, y1 - ny}}
	}
	disc := func(x, y, rad float64) [][2]float64 {
		const n = 24
		pts := make([][2]float64, n)
		for i := range pts {
			a := 2 * math.Pi * float64(i) / n
			pts[i] = [2]float64{x + rad*math.Cos(a), y + rad*math.Sin(a)}
		}
		return pts
	}
	faces := map[[2]float64]font.Face{}
	for _, p := range cv.prims {
		switch p.kind {
		case pRect:
			fill(p.color, [][][2]float64{{{p.x, p.y}, {p.x + p.w, p.y}, {p.x + p.w, p.y + p.h}, {p.x, p.y + p.h}}})
		case pLine:
			fill(p.color, [][][2]float64{quad(p.x, p.y, p.x2, p.y2, math.Max(p.lineW, 0.75/scale))})
		case pPolyline:
			var polys [][][2]float64
			for i := 1; i < len(p.pts); i++ {
				polys = append(polys, quad(p.pts[i-1][0], p.pts[i-1][1], p.pts[i][0], p.pts[i][1], p.lineW))
			}
			for _, pt := range p.pts {
				polys = append(polys, disc(pt[0], pt[1], p.lineW/2))
			}
			fill(p.color, polys)
		case pCircle:
			fill(p.color, [][][2]float64{disc(p.x, p.y, p.w)})
		case pText:
			st := sans
			if p.bold {
				st = sansBoldFace
			}
			key := [2]float64{float64(st), p.size}
			face := faces[key]
			if face == nil {
				face, err = m.face(st, p.size*scale)
				if err != nil {
					return nil, fmt.Errorf("export: chart font: %w", err)
				}
				faces[key] = face
			}
			d := &font.Drawer{Dst: img, Src: image.NewUniform(color.RGBA{p.color.r, p.color.g, p.color.b, 0xff}), Face: face}
			tw := float64(d.MeasureString(p.text)) / 64
			x := p.x * scale
			switch p.anchor {
			case 0:
				x -= tw / 2
			case 1:
				x -= tw
			}
			d.Dot = fixed.Point26_6{X: fixed.Int26_6(x * 64), Y: fixed.Int26_6(p.y * scale * 64)}
			d.DrawString(p.text)
		}
	}
	for _, f := range faces {
		f.Close()
	}
	return img, nil
}
