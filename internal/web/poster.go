package web

import (
	"net/http"
	"strings"

	"homthu/internal/catalog"
	"homthu/internal/export"
	"homthu/internal/homthu"
)

// The poster: what an area committee prints and pins on the board of the
// cultural house (Regulation 124-QĐ/TW asks that the manifestations and
// the prohibitions be posted where people live). It is the catalogues in
// force, group by group, as a PDF with its Vietnamese font embedded, on A4
// or on A3, and says how to report a case.

// posterSizes are the paper sizes offered, by the value of ?kho=.
var posterSizes = map[string]export.PageSize{"A4": export.A4, "A3": export.A3}

// standardsPoster answers GET /niem-yet/ap-phich.pdf?kho=A4|A3 (A4 when
// absent).
func (s *Server) standardsPoster(w http.ResponseWriter, r *http.Request) error {
	kho := strings.ToUpper(strings.TrimSpace(r.URL.Query().Get("kho")))
	if kho == "" {
		kho = "A4"
	}
	size, ok := posterSizes[kho]
	if !ok {
		return homthu.Errorf(homthu.EINVALID, "Khổ giấy %q không có; xin chọn A4 hoặc A3.", r.URL.Query().Get("kho"))
	}
	cs, err := s.app.Catalogs(r.Context())
	if err != nil {
		return err
	}
	s.publicCache(w)
	return writePDF(w, posterDocument(cs, size, s.feedURL(r)), "Niêm yết Quy định 124 "+kho)
}

// posterDocument lays the catalogues out as a poster: a title, each
// catalogue with its source, its groups and their numbered items in
// force, and the ways to report. site is the address printed for sending
// online.
func posterDocument(cs []*catalog.Catalog, size export.PageSize, site string) *export.Document {
	d := &export.Document{
		Title: "Những điều cần biết để giám sát — Quy định 124-QĐ/TW",
		Size:  size,
	}
	d.Body = append(d.Body,
		export.Paragraph{Align: export.AlignCenter, NoIndent: true, Runs: []export.Run{{Text: "NHỮNG ĐIỀU CẦN BIẾT ĐỂ GIÁM SÁT", Bold: true}}},
		export.Paragraph{Align: export.AlignCenter, NoIndent: true, Runs: []export.Run{{Text: "đạo đức, lối sống của cán bộ, đảng viên ở khu dân cư (Quy định 124-QĐ/TW của Ban Bí thư)", Italic: true}}},
	)
	for ci, c := range cs {
		v := catalogView(c)
		if v.Active == 0 {
			continue
		}
		d.Body = append(d.Body, export.Heading{Level: 1, Text: romanNumeral(ci+1) + ". " + strings.ToUpper(v.Title)})
		if v.Source != "" {
			d.Body = append(d.Body, export.Paragraph{NoIndent: true, Runs: []export.Run{{Text: v.Source, Italic: true}}})
		}
		for gi, g := range v.Groups {
			if len(v.Groups) > 1 {
				d.Body = append(d.Body, export.Heading{Level: 2, Text: string(rune('a'+gi)) + ") " + g.Title})
			}
			for _, st := range g.Standards {
				d.Body = append(d.Body, export.Paragraph{NoIndent: true, Align: export.AlignLeft,
					Runs: []export.Run{{Text: st.Heading() + ". ", Bold: true}, {Text: st.Title}}})
			}
		}
	}
	how := "Nếu thấy cán bộ, đảng viên nơi mình sống có biểu hiện nào nêu trên, xin bỏ thư vào hòm thư góp ý của khu dân cư (mở hằng tháng, có người chứng kiến)"
	if site != "" {
		how += ", hoặc gửi trực tuyến tại " + site + "/gui — có thể ẩn danh"
	}
	d.Body = append(d.Body, export.Heading{Level: 1, Text: "CÁCH PHẢN ÁNH"}, export.P(how+"."))
	return d
}

// romanNumeral is the numeral of a document's part: I, II, III, IV, V.
func romanNumeral(n int) string {
	numerals := []string{"", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"}
	if n > 0 && n < len(numerals) {
		return numerals[n]
	}
	return strings.Repeat("I", n)
}
