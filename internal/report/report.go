// Package report turns a digest (app.Digest, tổng hợp ý kiến, kiến nghị)
// into what people read: one export.Document — a report in the format of
// Decree 30/2020/NĐ-CP (issuing body and national motto, number and
// symbol, place and date, Times New Roman, signature block) rendered as
// PDF, DOCX, XLSX or CSV — and the charts the page draws as SVG from the
// same figures. The page, the exports and the API read one app.Digest, so
// they can never disagree.
package report

import (
	"fmt"
	"io"
	"math"
	"sort"
	"strings"

	"homthu/internal/app"
	"homthu/internal/export"
	"homthu/internal/homthu"
)

// Section adds blocks to a digest's report after its own sections: the
// hook through which later records (coordination programmes, conferences,
// evaluations) are counted in the same report. It returns nil to add
// nothing.
type Section func(d *app.Digest) []export.Block

// Title is the report's title, as its summary line and file name say it.
func Title(d *app.Digest) string {
	return "Tổng hợp ý kiến, kiến nghị của Nhân dân qua hòm thư góp ý " + d.Period.Label() + " — " + d.Unit.FullName
}

// issuer is the Front committee a unit's digest comes from.
func issuer(u *homthu.Unit) (managing, body string) {
	return "Ủy ban MTTQ Việt Nam " + homthu.LowerKind(u.FullName), "Ban Thường trực"
}

func share(n, of int) export.Cell {
	if of == 0 {
		return export.Text("")
	}
	return export.Percent(float64(n) / float64(of))
}

// shareText writes a share as the tables print it ("87,5%"), "—" for a
// share of nothing.
func shareText(n, of int) string {
	if of == 0 {
		return "—"
	}
	return export.FormatPercent(float64(n) / float64(of))
}

func tallyShare(t homthu.Tally) export.Cell { return share(t.Opened(), t.Expected()) }

func count(n int) export.Cell { return export.Int(int64(n)) }

// Document is the digest as a report to be edited and signed: its number
// left blank for the clerk, the date for the signer.
func Document(d *app.Digest, extra ...Section) *export.Document {
	managing, body := issuer(d.Unit)
	t := d.Total
	doc := &export.Document{Managing: managing, Issuer: body, Number: "/BC-MTTQ", Place: homthu.PlaceName(d.Unit.FullName),
		Kind: "Báo cáo", Summary: "Tổng hợp ý kiến, kiến nghị của Nhân dân qua hòm thư góp ý " + d.Period.Label(),
		Title: Title(d), Created: d.Generated}
	add := func(b ...export.Block) { doc.Body = append(doc.Body, b...) }

	add(export.P(fmt.Sprintf("Thực hiện Quy định số 124-QĐ/TW ngày 02/02/2018 của Ban Bí thư về giám sát của Mặt trận Tổ quốc Việt Nam, các đoàn thể chính trị - xã hội và Nhân dân đối với việc tu dưỡng, rèn luyện đạo đức, lối sống của người đứng đầu, cán bộ chủ chốt và cán bộ, đảng viên, Ban Thường trực Ủy ban MTTQ Việt Nam %s tổng hợp ý kiến, kiến nghị của Nhân dân %s (từ ngày %s đến ngày %s) như sau:",
		homthu.LowerKind(d.Unit.FullName), d.Period.Label(), day(d.Period.From), day(d.Period.To))))

	add(export.Heading{Level: 1, Text: "I. KẾT QUẢ TIẾP NHẬN"})
	s := fmt.Sprintf("Trong kỳ, đã tiếp nhận %s thư, đơn", export.FormatInt(int64(t.Received)))
	if t.Spam > 0 {
		s += fmt.Sprintf(" (không kể %s thư rác, lạm dụng)", export.FormatInt(int64(t.Spam)))
	}
	s += fmt.Sprintf("; đã có trả lời %s thư, đơn (%s).", export.FormatInt(int64(t.Answered)), shareText(t.Answered, t.Received))
	add(export.P(s))
	add(figureTable("Bảng 1. Thư, đơn tiếp nhận theo kênh", "Kênh tiếp nhận", d.Channels, t.Received),
		figureTable("Bảng 2. Thư, đơn theo loại", "Loại", d.Kinds, t.Received))
	cats := &export.Table{Caption: "Bảng 3. Thư, đơn theo biểu hiện, điều cấm", Columns: []export.Column{
		{Title: "STT", Width: 0.5, Align: export.AlignCenter}, {Title: "Danh mục", Width: 1.6}, {Title: "Biểu hiện, điều cấm", Width: 3.5}, {Title: "Số thư, đơn", Width: 0.9}},
		Note: "Một thư, đơn có thể phản ánh nhiều biểu hiện, điều cấm."}
	for i, c := range d.Categories {
		item := c.Title
		if c.Number > 0 {
			item = fmt.Sprintf("%d. %s", c.Number, c.Title)
		}
		cats.Rows = append(cats.Rows, []export.Cell{count(i + 1), export.Text(c.CatalogShort), export.Text(item), count(c.N)})
	}
	if len(cats.Rows) == 0 {
		cats.Rows = append(cats.Rows, []export.Cell{export.Text(""), export.Text(""), export.Text("Chưa có thư, đơn được phân loại theo biểu hiện, điều cấm"), count(0)})
	}
	add(cats, figureTable("Bảng 4. Thư, đơn theo tình trạng xử lý", "Tình trạng", d.Statuses, t.Received))

	add(export.Heading{Level: 1, Text: "II. CHUYỂN CƠ QUAN CÓ THẨM QUYỀN VÀ KẾT QUẢ TRẢ LỜI"})
	add(export.P(fmt.Sprintf("Đã chuyển %s lượt đến cấp ủy, tổ chức đảng, cơ quan có thẩm quyền; đã có trả lời %s lượt, trong đó đúng hạn %s lượt (%s); %s lượt quá hạn chưa trả lời.",
		export.FormatInt(int64(t.Referrals)), export.FormatInt(int64(t.RefAnswered)), export.FormatInt(int64(t.RefOnTime)),
		shareText(t.RefOnTime, t.RefAnswered), export.FormatInt(int64(t.RefOverdue)))))
	if len(d.Agencies) > 0 {
		add(figureTable("Bảng 5. Số lượt chuyển theo cơ quan có thẩm quyền", "Cơ quan", d.Agencies, t.Referrals))
	}

	add(export.Heading{Level: 1, Text: "III. VIỆC MỞ HÒM THƯ GÓP Ý"})
	if len(d.OpeningMonths) == 0 {
		add(export.P("Kỳ báo cáo chưa đến; chưa có số liệu mở hòm thư."))
	} else {
		o := d.Openings
		add(export.P(fmt.Sprintf("Trong %d tháng (%s – %s), %s lượt khu dân cư đã mở hòm thư trên %s lượt phải mở (%s), trong đó %s lượt mở đúng hạn, %s lượt mở muộn; %s lượt không mở; %s lượt khu dân cư chưa có hòm thư.",
			len(d.OpeningMonths), d.OpeningMonths[0].Label(), d.OpeningMonths[len(d.OpeningMonths)-1].Label(),
			export.FormatInt(int64(o.Opened())), export.FormatInt(int64(o.Expected())), shareText(o.Opened(), o.Expected()),
			export.FormatInt(int64(o.OnTime)), export.FormatInt(int64(o.Late)), export.FormatInt(int64(o.Missed+o.Overdue)), export.FormatInt(int64(o.NoMailbox)))))
	}

	if len(d.Rows) > 0 {
		add(export.Heading{Level: 1, Text: "IV. TỔNG HỢP THEO ĐƠN VỊ"})
		add(RowsTable(d))
	}
	add(export.Heading{Level: 1, Text: romanAfter(d, 0) + ". DIỄN BIẾN THEO THÁNG"})
	add(MonthsTable(d))
	if len(d.Months) > 1 {
		add(MonthsChart(d))
	}
	add(export.Heading{Level: 1, Text: romanAfter(d, 1) + ". Ý KIẾN, KIẾN NGHỊ TIÊU BIỂU"})
	if len(d.Quotes) == 0 {
		add(export.P("Không có ý kiến, kiến nghị được chọn trích dẫn trong kỳ."))
	}
	for i, q := range d.Quotes {
		head := fmt.Sprintf("%d. %s, %s (%s, %s): ", i+1, q.AreaName, day(q.ReceivedOn), q.Channel.Label(), kindLabel(q.Kind))
		runs := []export.Run{{Text: head, Bold: true}, {Text: "“" + strings.TrimSpace(q.Content) + "”"}}
		if q.Note != "" {
			runs = append(runs, export.Run{Text: " — " + q.Note, Italic: true})
		}
		add(export.Paragraph{Runs: runs})
	}
	for _, sec := range extra {
		add(sec(d)...)
	}
	doc.Signatures = []export.Signature{{Authority: "TM. Ban Thường trực", Position: "Chủ tịch", Hint: "(Ký, ghi rõ họ tên, đóng dấu)"}}
	doc.Recipients = []string{"Thường trực cấp ủy cùng cấp", "Ban Thường trực Ủy ban MTTQ Việt Nam cấp trên", "Lưu: VT"}
	return doc
}

// romanAfter numbers the sections after IV (which a unit without children
// has not).
func romanAfter(d *app.Digest, i int) string {
	n := 4 + i
	if len(d.Rows) > 0 {
		n++
	}
	return []string{"", "I", "II", "III", "IV", "V", "VI", "VII"}[n]
}

func kindLabel(k homthu.Kind) string {
	if k == "" {
		return "chưa phân loại"
	}
	return strings.ToLower(k.Label())
}

// day writes YYYY-MM-DD as DD/MM/YYYY.
func day(s string) string {
	if len(s) != 10 {
		return s
	}
	return s[8:] + "/" + s[5:7] + "/" + s[:4]
}

// figureTable is a breakdown with counts and shares of of.
func figureTable(caption, head string, fs []app.Figure, of int) *export.Table {
	t := &export.Table{Caption: caption, Columns: []export.Column{{Title: "STT", Width: 0.5, Align: export.AlignCenter}, {Title: head, Width: 4},
		{Title: "Số lượng", Width: 1}, {Title: "Tỉ lệ", Width: 1}}}
	sum := 0
	for i, f := range fs {
		t.Rows = append(t.Rows, []export.Cell{count(i + 1), export.Text(f.Label), count(f.N), share(f.N, of)})
		sum += f.N
	}
	t.Total = []export.Cell{export.Text(""), export.Text("Tổng cộng"), count(sum), share(sum, of)}
	return t
}

// RowsTable is the roll-up: a row per child unit, the unit's own first,
// and the total, which is their sum.
func RowsTable(d *app.Digest) *export.Table {
	t := &export.Table{Caption: "Tổng hợp theo đơn vị", Columns: []export.Column{
		{Title: "STT", Width: 0.5, Align: export.AlignCenter}, {Title: "Đơn vị", Width: 2.6},
		{Title: "Tiếp nhận", Group: "Thư, đơn", Width: 0.9}, {Title: "Đã trả lời", Group: "Thư, đơn", Width: 0.9}, {Title: "Tỉ lệ", Group: "Thư, đơn", Width: 0.9},
		{Title: "Thư rác", Group: "Thư, đơn", Width: 0.8},
		{Title: "Lượt chuyển", Group: "Chuyển cơ quan có thẩm quyền", Width: 0.9}, {Title: "Đã trả lời", Group: "Chuyển cơ quan có thẩm quyền", Width: 0.9},
		{Title: "Đúng hạn", Group: "Chuyển cơ quan có thẩm quyền", Width: 0.9},
		{Title: "Tỉ lệ mở hòm thư", Width: 1}},
		Note: "Dòng đầu: thư, đơn gửi thẳng đến cấp này. Tỉ lệ đúng hạn tính trên số lượt đã trả lời; tỉ lệ mở hòm thư tính trên lượt khu dân cư phải mở trong kỳ."}
	row := func(i int, name string, c *homthu.DigestCounts, o homthu.Tally) []export.Cell {
		first := export.Text("")
		if i > 0 {
			first = count(i)
		}
		return []export.Cell{first, export.Text(name), count(c.Received), count(c.Answered), share(c.Answered, c.Received), count(c.Spam),
			count(c.Referrals), count(c.RefAnswered), share(c.RefOnTime, c.RefAnswered), tallyShare(o)}
	}
	n := 0
	for _, r := range d.Rows {
		name := r.Name
		if r.Own {
			name = "Gửi thẳng " + r.Name
		} else {
			n++
		}
		i := n
		if r.Own {
			i = 0
		}
		t.Rows = append(t.Rows, row(i, name, r.Counts, r.Openings))
	}
	tot := row(0, "Tổng cộng", d.Total, d.Openings)
	t.Total = tot
	return t
}

// MonthsTable is the trend, a row per month.
func MonthsTable(d *app.Digest) *export.Table {
	t := &export.Table{Caption: "Diễn biến theo tháng", Columns: []export.Column{{Title: "Tháng", Width: 1, Align: export.AlignCenter},
		{Title: "Tiếp nhận", Width: 1}, {Title: "Đã trả lời", Width: 1}, {Title: "Thư rác", Width: 1}, {Title: "Tỉ lệ mở hòm thư", Width: 1}}}
	var r, a, s int
	for _, m := range d.Months {
		open := export.Text("")
		if m.OpeningsKnown {
			open = tallyShare(m.Openings)
		}
		t.Rows = append(t.Rows, []export.Cell{export.Text(m.Month.Label()), count(m.Received), count(m.Answered), count(m.Spam), open})
		r, a, s = r+m.Received, a+m.Answered, s+m.Spam
	}
	t.Total = []export.Cell{export.Text("Cộng"), count(r), count(a), count(s), tallyShare(d.Openings)}
	return t
}

// MonthsChart draws the trend: items received and answered each month.
func MonthsChart(d *app.Digest) *export.Chart {
	c := &export.Chart{Kind: export.Bar, Title: "Thư, đơn tiếp nhận và đã trả lời theo tháng", Unit: "Số thư, đơn",
		Series: []export.Series{{Name: "Tiếp nhận"}, {Name: "Đã trả lời"}}}
	for _, m := range d.Months {
		c.Categories = append(c.Categories, fmt.Sprintf("%02d/%d", int(m.Month.Month), m.Month.Year))
		c.Series[0].Values = append(c.Series[0].Values, float64(m.Received))
		c.Series[1].Values = append(c.Series[1].Values, float64(m.Answered))
	}
	return c
}

// OpeningsChart draws the share of areas that opened their box each month.
func OpeningsChart(d *app.Digest) *export.Chart {
	c := &export.Chart{Kind: export.Line, Title: "Tỉ lệ khu dân cư mở hòm thư theo tháng", Percent: true, Series: []export.Series{{Name: "Tỉ lệ đã mở"}}}
	for _, m := range d.Months {
		c.Categories = append(c.Categories, fmt.Sprintf("%02d/%d", int(m.Month.Month), m.Month.Year))
		v := math.NaN()
		if e := m.Openings.Expected(); m.OpeningsKnown && e > 0 {
			v = float64(m.Openings.Opened()) / float64(e)
		}
		c.Series[0].Values = append(c.Series[0].Values, v)
	}
	return c
}

// ChannelsChart draws the items by channel.
func ChannelsChart(d *app.Digest) *export.Chart {
	c := &export.Chart{Kind: export.Bar, Horizontal: true, Title: "Thư, đơn theo kênh tiếp nhận", Series: []export.Series{{Name: "Số thư, đơn"}}}
	for _, f := range d.Channels {
		c.Categories = append(c.Categories, f.Label)
		c.Series[0].Values = append(c.Series[0].Values, float64(f.N))
	}
	return c
}

// MaxChartRows bounds the units of RowsChart: a province of 3,000 communes
// draws the ones that received most.
const MaxChartRows = 20

// RowsChart draws the child units that received most items, and whether
// it left some out.
func RowsChart(d *app.Digest) (*export.Chart, bool) {
	rows := make([]app.DigestRow, 0, len(d.Rows))
	for _, r := range d.Rows {
		if !r.Own {
			rows = append(rows, r)
		}
	}
	sort.SliceStable(rows, func(i, j int) bool { return rows[i].Counts.Received > rows[j].Counts.Received })
	cut := len(rows) > MaxChartRows
	if cut {
		rows = rows[:MaxChartRows]
	}
	title := "Thư, đơn tiếp nhận theo đơn vị"
	if cut {
		title = fmt.Sprintf("%d đơn vị tiếp nhận nhiều thư, đơn nhất", MaxChartRows)
	}
	c := &export.Chart{Kind: export.StackedBar, Horizontal: true, Title: title,
		Series: []export.Series{{Name: "Đã trả lời"}, {Name: "Chưa trả lời"}}}
	for _, r := range rows {
		c.Categories = append(c.Categories, r.Name)
		c.Series[0].Values = append(c.Series[0].Values, float64(r.Counts.Answered))
		c.Series[1].Values = append(c.Series[1].Values, float64(r.Counts.Received-r.Counts.Answered))
	}
	return c, cut
}

// Render writes the digest's report in format f. CSV, which holds one
// table, is the roll-up for a unit with children (the open-data table) and
// the months otherwise.
func Render(w io.Writer, f export.Format, d *app.Digest, extra ...Section) error {
	if f == export.CSV {
		if len(d.Rows) > 0 {
			return export.WriteCSV(w, RowsTable(d))
		}
		return export.WriteCSV(w, MonthsTable(d))
	}
	doc := Document(d, extra...)
	if len(d.Rows) > 0 {
		doc.Orientation = export.Landscape
	}
	return export.Render(w, f, doc)
}
