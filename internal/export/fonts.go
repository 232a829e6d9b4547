package export

import (
	_ "embed"
	"fmt"
	"sync"

	"golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// The fonts, from Debian's fonts-liberation2 2.1.5 (SIL Open Font License
// 1.1, fonts/LICENSE). Liberation Serif is metric-compatible with Times New
// Roman, which Decree 30/2020, Appendix I, section I.1 prescribes.
var (
	//go:embed fonts/LiberationSerif-Regular.ttf
	serifRegular []byte
	//go:embed fonts/LiberationSerif-Bold.ttf
	serifBold []byte
	//go:embed fonts/LiberationSerif-Italic.ttf
	serifItalic []byte
	//go:embed fonts/LiberationSerif-BoldItalic.ttf
	serifBoldItalic []byte
	//go:embed fonts/LiberationSans-Regular.ttf
	sansRegular []byte
	//go:embed fonts/LiberationSans-Bold.ttf
	sansBold []byte
)

// FontFiles returns the embedded TrueType files by name, for a caller that
// needs the same faces elsewhere (a page's @font-face, say).
func FontFiles() map[string][]byte {
	return map[string][]byte{
		"LiberationSerif-Regular.ttf":    serifRegular,
		"LiberationSerif-Bold.ttf":       serifBold,
		"LiberationSerif-Italic.ttf":     serifItalic,
		"LiberationSerif-BoldItalic.ttf": serifBoldItalic,
		"LiberationSans-Regular.ttf":     sansRegular,
		"LiberationSans-Bold.ttf":        sansBold,
	}
}

// style is a font face of the document family.
type style int

const (
	regular style = iota
	bold
	italic
	boldItalic
	sans
	sansBoldFace
)

func styleOf(b, i bool) style {
	switch {
	case b && i:
		return boldItalic
	case b:
		return bold
	case i:
		return italic
	}
	return regular
}

// parsedFonts holds the parsed faces. They are parsed once, on first use,
// and never change after: there is no mutable state behind them.
var parsedFonts = sync.OnceValues(func() ([]*sfnt.Font, error) {
	var fs []*sfnt.Font
	for _, b := range [][]byte{serifRegular, serifBold, serifItalic, serifBoldItalic, sansRegular, sansBold} {
		f, err := opentype.Parse(b)
		if err != nil {
			return nil, fmt.Errorf("export: parsing an embedded font: %w", err)
		}
		fs = append(fs, f)
	}
	return fs, nil
})

// metrics measures text in the embedded faces. A zero metrics is not
// usable; get one from newMetrics.
type metrics struct {
	fonts []*sfnt.Font
	buf   sfnt.Buffer
	adv   map[advKey]float64 // advance in em, by face and rune
}

type advKey struct {
	st style
	r  rune
}

func newMetrics() (*metrics, error) {
	fs, err := parsedFonts()
	if err != nil {
		return nil, err
	}
	return &metrics{fonts: fs, adv: map[advKey]float64{}}, nil
}

// width returns the advance width of s at size points, in points, with
// kerning ignored (Word and LibreOffice do not kern body text by default).
func (m *metrics) width(s string, st style, size float64) float64 {
	em := 0.0
	for _, r := range s {
		a, ok := m.adv[advKey{st, r}]
		if !ok {
			a = m.advance(st, r)
			if len(m.adv) < 1<<16 {
				m.adv[advKey{st, r}] = a
			}
		}
		em += a
	}
	return em * size
}

// advance returns the advance of r in em; a character the face lacks
// measures as "?".
func (m *metrics) advance(st style, r rune) float64 {
	f := m.fonts[st]
	ppem := fixed.Int26_6(f.UnitsPerEm()) << 6 // advances in font units
	gi, err := f.GlyphIndex(&m.buf, r)
	if err != nil || gi == 0 {
		gi, _ = f.GlyphIndex(&m.buf, '?')
	}
	adv, err := f.GlyphAdvance(&m.buf, gi, ppem, font.HintingNone)
	if err != nil {
		return 0
	}
	return float64(adv) / 64 / float64(f.UnitsPerEm())
}

// face returns a rasterising face at size pixels, for PNG charts.
func (m *metrics) face(st style, px float64) (font.Face, error) {
	return opentype.NewFace(m.fonts[st], &opentype.FaceOptions{Size: px, DPI: 72, Hinting: font.HintingNone})
}
