package web

import (
	"bytes"
	"html/template"
	"net/http"
	"strconv"
	"time"

	"homthu/internal/export"
	"homthu/internal/homthu"
	"homthu/internal/stats"
)

// Open statistics ("Số liệu công khai"): per commune of a province, the
// items received and answered in a year, as a table, a chart and a CSV
// file, with small counts suppressed (internal/stats).

// StatsPage is a province's statistics for a year.
type StatsPage struct {
	Base
	Provinces []Option
	Province  string
	Name      string
	Year      int
	Years     []Option
	Rows      []StatsRow
	Total     StatsRow
	Chart     template.HTML
	CSV       string
	Threshold int
}

func (*StatsPage) templateName() string { return "stats.html" }

// StatsRow is a commune's published figures.
type StatsRow struct {
	Name               string
	Received, Answered stats.Cell
	Rate               string
}

// statsData computes the published figures of a province for a year.
func (s *Server) statsData(r *http.Request) (*StatsPage, error) {
	q := r.URL.Query()
	provs, err := s.app.Store.ChildUnits(r.Context(), "", 100)
	if err != nil {
		return nil, err
	}
	if len(provs) == 0 {
		return nil, homthu.Errorf(homthu.ENOTFOUND, "Chưa có tỉnh, thành phố nào.")
	}
	p := &StatsPage{Base: Base{Title: "Số liệu công khai"}, Province: q.Get("tinh"), Year: s.now().In(homthu.VNTime).Year(), Threshold: stats.Threshold}
	if p.Province == "" {
		p.Province = provs[0].Code
	}
	for _, u := range provs {
		p.Provinces = append(p.Provinces, Option{Value: u.Code, Label: u.FullName, Selected: u.Code == p.Province})
		if u.Code == p.Province {
			p.Name = u.FullName
		}
	}
	if p.Name == "" {
		return nil, homthu.Errorf(homthu.ENOTFOUND, "Không có tỉnh, thành phố có mã %q.", p.Province)
	}
	this := p.Year
	if y := q.Get("nam"); y != "" {
		n, err := strconv.Atoi(y)
		if err != nil || n < 2018 || n > this {
			return nil, homthu.Errorf(homthu.EINVALID, "Năm phải từ 2018 (năm ban hành Quy định 124) đến %d.", this)
		}
		p.Year = n
	}
	for y := this; y >= max(2018, this-7); y-- {
		p.Years = append(p.Years, Option{Value: strconv.Itoa(y), Label: strconv.Itoa(y), Selected: y == p.Year})
	}
	counts, err := s.app.Store.ItemCountsByCommune(r.Context(), p.Province, strconv.Itoa(p.Year)+"-01-01", strconv.Itoa(p.Year)+"-12-31")
	if err != nil {
		return nil, err
	}
	rec, ans := make([]int, len(counts)), make([]int, len(counts))
	totalR, totalA := 0, 0
	for i, c := range counts {
		rec[i], ans[i] = c.Received, c.Answered
		totalR += c.Received
		totalA += c.Answered
	}
	recC, ansC := stats.Suppress(rec), stats.Suppress(ans)
	for i, c := range counts {
		if c.Received == 0 && i == len(counts)-1 {
			continue // no row for the province itself when nothing is about it
		}
		// An answered count may not tell more than its received count.
		if recC[i].Suppressed {
			ansC[i].Suppressed = ansC[i].N > 0 || ansC[i].Suppressed
		}
		p.Rows = append(p.Rows, StatsRow{Name: c.Name, Received: recC[i], Answered: ansC[i], Rate: stats.Rate(ansC[i], recC[i])})
	}
	p.Total = StatsRow{Name: "Cả tỉnh", Received: stats.Total(totalR), Answered: stats.Total(totalA)}
	p.Total.Rate = stats.Rate(p.Total.Answered, p.Total.Received)
	p.CSV = "/thong-ke.csv?tinh=" + p.Province + "&nam=" + strconv.Itoa(p.Year)
	return p, nil
}

// statsPage answers GET /thong-ke?tinh=&nam=.
func (s *Server) statsPage(w http.ResponseWriter, r *http.Request) error {
	p, err := s.statsData(r)
	if err != nil {
		return err
	}
	// The chart: the fifteen communes that received most, shown counts only.
	top := make([]StatsRow, 0, len(p.Rows))
	for _, row := range p.Rows {
		if !row.Received.Suppressed && row.Received.N > 0 {
			top = append(top, row)
		}
	}
	sortRows(top)
	if len(top) > 15 {
		top = top[:15]
	}
	if len(top) > 0 {
		c := &export.Chart{Kind: export.Bar, Horizontal: true, Title: "Thư, đơn nhận được năm " + strconv.Itoa(p.Year) + " (15 xã, phường nhiều nhất)"}
		var rec, ans []float64
		for _, row := range top {
			c.Categories = append(c.Categories, row.Name)
			rec = append(rec, float64(row.Received.N))
			a := 0.0
			if !row.Answered.Suppressed {
				a = float64(row.Answered.N)
			}
			ans = append(ans, a)
		}
		c.Series = []export.Series{{Name: "Đã nhận", Values: rec}, {Name: "Đã trả lời", Values: ans}}
		svg, err := c.SVG(640, float64(120+28*len(top)))
		if err != nil {
			return err
		}
		p.Chart = svg
	}
	s.publicCache(w)
	return s.renderOK(w, r, p)
}

func sortRows(rows []StatsRow) {
	for i := 1; i < len(rows); i++ {
		for j := i; j > 0 && rows[j].Received.N > rows[j-1].Received.N; j-- {
			rows[j], rows[j-1] = rows[j-1], rows[j]
		}
	}
}

// statsCSV answers GET /thong-ke.csv?tinh=&nam=: the same published
// figures (suppressed cells as "< 5").
func (s *Server) statsCSV(w http.ResponseWriter, r *http.Request) error {
	p, err := s.statsData(r)
	if err != nil {
		return err
	}
	t := &export.Table{Columns: []export.Column{{Title: "Xã, phường"}, {Title: "Đã nhận"}, {Title: "Đã trả lời"}, {Title: "Tỷ lệ trả lời"}}}
	for _, row := range append(p.Rows, p.Total) {
		t.Rows = append(t.Rows, []export.Cell{export.Text(row.Name), export.Text(row.Received.String()), export.Text(row.Answered.String()), export.Text(row.Rate)})
	}
	var buf bytes.Buffer
	if err := export.WriteCSV(&buf, t); err != nil {
		return err
	}
	title := "So lieu " + p.Name + " " + strconv.Itoa(p.Year)
	w.Header().Set("Content-Type", export.CSV.ContentType())
	w.Header().Set("Content-Disposition", export.ContentDisposition(title, export.CSV))
	w.Header().Set("Last-Modified", s.now().UTC().Format(time.RFC1123))
	s.publicCache(w)
	_, err = w.Write(buf.Bytes())
	return err
}
