package export

import (
	"bytes"
	"encoding/xml"
	"image/png"
	"io"
	"math"
	"strconv"
	"strings"
	"testing"
)

func TestNiceScale(t *testing.T) {
	for _, tt := range []struct {
		lo, hi            float64
		integer           bool
		wantMax, wantStep float64
	}{
		{0, 1234, true, 1250, 250},
		{0, 7, true, 8, 2},
		{0, 3, true, 3, 1},
		{0, 0, true, 1, 1},
		{0, 0.96, false, 1, 0.2},
		{0, 100, true, 100, 20},
		{0, 1_000_000, true, 1_000_000, 200_000},
	} {
		_, max, step := niceScale(tt.lo, tt.hi, tt.integer)
		if max != tt.wantMax || step != tt.wantStep {
			t.Errorf("niceScale(%v, %v) = max %v step %v, want %v %v", tt.lo, tt.hi, max, step, tt.wantMax, tt.wantStep)
		}
	}
}

// svgRects returns the filled rectangles of an SVG chart by colour.
func svgRects(t *testing.T, svg string) map[string][]map[string]float64 {
	t.Helper()
	out := map[string][]map[string]float64{}
	dec := xml.NewDecoder(strings.NewReader(svg))
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("SVG is not well-formed: %v\n%s", err, svg)
		}
		se, ok := tok.(xml.StartElement)
		if !ok || se.Name.Local != "rect" {
			continue
		}
		r := map[string]float64{}
		fill := ""
		for _, a := range se.Attr {
			if a.Name.Local == "fill" {
				fill = a.Value
			} else {
				r[a.Name.Local], _ = strconv.ParseFloat(a.Value, 64)
			}
		}
		out[fill] = append(out[fill], r)
	}
	return out
}

// TestChartBars checks that bars are drawn to scale: one per category and
// series, in the series' colour, heights proportional to the values.
func TestChartBars(t *testing.T) {
	c := &Chart{Kind: Bar, Title: "Ý kiến <theo> tháng", Categories: []string{"01/2026", "02/2026", "03/2026"},
		Series: []Series{{Name: "Tiếp nhận", Values: []float64{10, 20, 40}}, {Name: "Trả lời", Values: []float64{5, 10}}}}
	svg, err := c.SVG(640, 400)
	if err != nil {
		t.Fatal(err)
	}
	s := string(svg)
	for _, want := range []string{`role="img"`, "<title>Ý kiến &lt;theo&gt; tháng</title>", "<desc>", "Tiếp nhận: 01/2026 10; 02/2026 20; 03/2026 40"} {
		if !strings.Contains(s, want) {
			t.Errorf("SVG lacks %q", want)
		}
	}
	rects := svgRects(t, s)
	blue, orange := rects[palette[0].hex()], rects[palette[1].hex()]
	if len(blue) != 1+3 || len(orange) != 1+2 { // a legend swatch and the bars; a missing value is 0
		t.Fatalf("%d blue and %d orange rects, want 4 and 3", len(blue), len(orange))
	}
	h := func(r map[string]float64) float64 { return r["height"] }
	if r := h(blue[2]) / h(blue[1]); math.Abs(r-2) > 0.01 {
		t.Errorf("bar 20 is %.3f× bar 10, want 2", r)
	}
	if r := h(blue[3]) / h(orange[1]); math.Abs(r-8) > 0.01 {
		t.Errorf("bar 40 is %.3f× bar 5, want 8", r)
	}
	if blue[1]["y"]+h(blue[1]) != blue[3]["y"]+h(blue[3]) {
		t.Error("bars do not share a baseline")
	}
}

func TestChartStackedAndLine(t *testing.T) {
	st := &Chart{Kind: StackedBar, Categories: []string{"A", "B"}, Series: []Series{{Name: "Trực tuyến", Values: []float64{3, 1}}, {Name: "Thư giấy", Values: []float64{1, 3}}}}
	svg, err := st.SVG(400, 300)
	if err != nil {
		t.Fatal(err)
	}
	rects := svgRects(t, string(svg))
	blue, orange := rects[palette[0].hex()], rects[palette[1].hex()]
	if len(blue) != 3 || len(orange) != 3 {
		t.Fatalf("stacked: %d and %d rects", len(blue), len(orange))
	}
	// Category A: blue 3 at the bottom, orange 1 on top of it.
	if got := blue[1]["y"]; math.Abs(got-(orange[1]["y"]+orange[1]["height"])) > 0.01 {
		t.Errorf("orange segment does not sit on the blue one: %v vs %v", orange[1], blue[1])
	}
	if got := blue[1]["height"] + orange[1]["height"] - blue[2]["height"] - orange[2]["height"]; math.Abs(got) > 0.01 {
		t.Errorf("stacks of equal totals differ in height by %v", got)
	}
	ln := &Chart{Kind: Line, Percent: true, Categories: []string{"1", "2", "3"}, Series: []Series{{Name: "Đúng hạn", Values: []float64{0.5, math.NaN(), 1}}}}
	svg, err = ln.SVG(400, 300)
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(svg), "<circle"); n != 2 {
		t.Errorf("line with a gap: %d markers, want 2", n)
	}
	if strings.Contains(string(svg), "<polyline") {
		t.Error("a line broken by a gap into single points draws a polyline")
	}
	if !strings.Contains(string(svg), ">100%<") {
		t.Error("percent axis has no 100% tick")
	}
}

func TestChartPNG(t *testing.T) {
	c := sampleReport().Body[6].(*Chart)
	var b bytes.Buffer
	if err := c.PNG(&b, 165, 80, 100); err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(&b)
	if err != nil {
		t.Fatal(err)
	}
	if w, h := img.Bounds().Dx(), img.Bounds().Dy(); w != 650 || h != 315 {
		t.Errorf("PNG is %d × %d, want 650 × 315 (165 × 80 mm at 100 dpi)", w, h)
	}
	blue := 0
	for y := 0; y < img.Bounds().Dy(); y++ {
		for x := 0; x < img.Bounds().Dx(); x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			if r>>8 == 0 && g>>8 == 0x72 && bl>>8 == 0xB2 {
				blue++
			}
		}
	}
	if blue < 2000 {
		t.Errorf("%d pixels of the first series' colour: the bars are not drawn", blue)
	}
}

func TestChartEmpty(t *testing.T) {
	for _, c := range []*Chart{{Kind: Bar}, {Kind: Line, Categories: []string{"a"}}, {Kind: StackedBar, Horizontal: true}} {
		svg, err := c.SVG(300, 0)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(svg), "Không có số liệu") {
			t.Errorf("empty %v chart does not say so", c.Kind)
		}
		var b bytes.Buffer
		if err := c.PNG(&b, 100, 0, 72); err != nil {
			t.Errorf("PNG of an empty chart: %v", err)
		}
	}
}

func BenchmarkRender(b *testing.B) {
	for _, f := range []Format{PDF, DOCX, XLSX} {
		b.Run(string(f), func(b *testing.B) {
			d := sampleReport()
			for b.Loop() {
				if err := Render(io.Discard, f, d); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
