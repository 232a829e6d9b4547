package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"homthu/internal/app"
	"homthu/internal/export"
	"homthu/internal/homthu"
)

// The prints of the paper mailbox (issue 8): the minutes of one opening
// (biên bản mở hòm thư) and the logbook of a mailbox for a year (sổ theo
// dõi mở hòm thư), laid out as Decree 30/2020/NĐ-CP, Appendix I, lays out
// an administrative document (internal/export: the issuing body and the
// national motto, number and symbol, place and date, page numbers from
// page 2, the signatures). One export.Document is built for each; the PDF
// renders it with its fonts embedded, and the printable HTML page draws the
// same document, so that the two never say different things.

// issuer names the body that keeps a box's minutes: an area's working
// committee (Ban Công tác Mặt trận) under the commune's Front, or, for a
// box at the commune's office, the commune's Front.
func issuer(kind homthu.UnitKind, unitName, communeName string) (managing, body string) {
	if kind == homthu.KindCommune {
		return "", "Ủy ban MTTQ Việt Nam " + homthu.LowerKind(communeName)
	}
	return "Ủy ban MTTQ Việt Nam " + homthu.LowerKind(communeName), "Ban Công tác Mặt trận " + homthu.LowerKind(unitName)
}

// clock writes a time as the minutes do: "08 giờ 30 phút ngày 05/01/2026".
func clock(t time.Time) string {
	t = t.In(homthu.VNTime)
	return t.Format("15") + " giờ " + t.Format("04") + " phút ngày " + t.Format("02/01/2006")
}

func personLine(p homthu.Participant) string {
	var what []string
	for _, s := range []string{p.Role, p.Org} {
		if s != "" {
			what = append(what, s)
		}
	}
	if len(what) == 0 {
		return p.Name
	}
	return p.Name + " – " + strings.Join(what, ", ")
}

// sealShort is the seal's state in a logbook's narrow column.
func sealShort(s homthu.SealState) string {
	switch s {
	case homthu.SealIntact:
		return "Nguyên vẹn"
	case homthu.SealBroken:
		return "Bị rách, cạy phá"
	case homthu.SealNone:
		return "Không niêm phong"
	}
	return string(s)
}

// sentence ends s with a full stop, once.
func sentence(s string) string {
	s = strings.TrimRight(strings.TrimSpace(s), ".;")
	return s + "."
}

// minutesDocument is the minutes of a sealed opening. A letter the reader
// may not read (Hidden) is listed by its reference alone.
func minutesDocument(o *homthu.Opening) *export.Document {
	managing, body := issuer(o.UnitKind, o.UnitName, o.CommuneName)
	month := homthu.MonthOf(o.OpenedAt)
	d := &export.Document{Managing: managing, Issuer: body, Number: o.Symbol(), Place: homthu.PlaceName(o.CommuneName),
		Date: o.OpenedAt.In(homthu.VNTime), Kind: "Biên bản",
		Summary: fmt.Sprintf("Mở hòm thư góp ý tháng %02d năm %d", int(month.Month), month.Year), Created: o.SealedAt}
	chair := o.Chair()
	d.Body = append(d.Body,
		export.P(fmt.Sprintf("Hôm nay, hồi %s, tại %s (%s), %s tiến hành mở hòm thư góp ý theo Quy định số 124-QĐ/TW ngày 02/02/2018 của Ban Bí thư, gồm:",
			clock(o.OpenedAt), o.Place, o.UnitName, body)),
		export.Paragraph{Runs: []export.Run{{Text: "Người chủ trì: ", Bold: true}, {Text: personLine(chair) + "."}}, NoIndent: true},
		export.Paragraph{Runs: []export.Run{{Text: "Người chứng kiến:", Bold: true}}, NoIndent: true})
	var ws []string
	for _, w := range o.Witnesses() {
		ws = append(ws, personLine(w)+";")
	}
	if len(ws) > 0 {
		ws[len(ws)-1] = strings.TrimSuffix(ws[len(ws)-1], ";") + "."
	}
	d.Body = append(d.Body, export.List{Items: ws})
	seal := "Tình trạng niêm phong khi mở: " + o.Seal.Label()
	if o.SealNote != "" {
		seal += " (" + o.SealNote + ")"
	}
	d.Body = append(d.Body, export.P(seal+"."))
	if o.LetterCount == 0 {
		d.Body = append(d.Body, export.P("Trong hòm không có thư nào (0 thư)."))
	} else {
		d.Body = append(d.Body, export.P(fmt.Sprintf("Trong hòm có %02d thư, đã đăng ký từng thư như sau:", o.LetterCount)))
		t := &export.Table{Columns: []export.Column{{Title: "STT", Width: 0.5, Align: export.AlignCenter}, {Title: "Mã thư", Width: 2},
			{Title: "Tóm tắt nội dung", Width: 3.4}, {Title: "Ký tên", Width: 1.1}, {Title: "Số ảnh", Width: 0.7, Align: export.AlignCenter}}}
		for _, l := range o.Letters {
			content := l.Content
			if l.Hidden {
				content = "(Nội dung chỉ cán bộ Mặt trận nơi nhận thư được xem)"
			}
			signed := "Ẩn danh"
			if l.Signed {
				signed = "Có ký tên"
			}
			t.Rows = append(t.Rows, []export.Cell{export.Int(int64(l.Number)), export.Text(l.ItemID), export.Text(snippet(content, 400)), export.Text(signed),
				export.Int(int64(max(l.PageCount, len(l.Pages))))})
		}
		d.Body = append(d.Body, t)
	}
	sealed := fmt.Sprintf("Biên bản kết thúc hồi %s, đã đọc lại cho những người có mặt cùng nghe, nhất trí và ký tên dưới đây. "+
		"Biên bản được niêm phong trên hệ thống Hòm thư góp ý bởi %s", clock(o.SealedAt), o.SealedBy)
	if o.LeafIndex >= 0 {
		sealed += fmt.Sprintf(" và ghi vào nhật ký minh bạch (mục số %d); từ đó không sửa được nữa.", o.LeafIndex)
	} else {
		sealed += " và đưa vào nhật ký minh bạch; từ đó không sửa được nữa."
	}
	d.Body = append(d.Body, export.P(sealed))
	if len(o.Corrections) > 0 {
		d.Body = append(d.Body, export.Heading{Level: 2, Text: "Đính chính sau khi niêm phong"})
		var items []string
		for _, c := range o.Corrections {
			s := c.Kind.Label()
			if c.Letter > 0 {
				s += " (thư số " + strconv.Itoa(c.Letter) + ")"
			}
			if !c.OpenedAt.IsZero() {
				s += ": thời gian mở đúng là " + clock(c.OpenedAt)
			}
			if c.Body != "" {
				s += ": " + c.Body
			}
			s = sentence(s) + " Lý do: " + sentence(c.Reason) + " (" + c.By + ", " + vnTime(c.At) + ")."
			items = append(items, s)
		}
		d.Body = append(d.Body, export.List{Items: items, Ordered: true})
	}
	for _, w := range o.Witnesses() {
		d.Signatures = append(d.Signatures, export.Signature{Position: "Người chứng kiến", Hint: "(Ký, ghi rõ họ tên)", Name: w.Name})
	}
	d.Signatures = append(d.Signatures, export.Signature{Position: "Người chủ trì", Hint: "(Ký, ghi rõ họ tên)", Name: chair.Name})
	return d
}

// logbookDocument is the logbook of a mailbox for a year: a row per month
// up to the current one, with the month's sealed openings (or "Không mở").
func logbookDocument(lb *app.Logbook, now time.Time) *export.Document {
	m := lb.Mailbox
	kind := homthu.KindArea
	if m.Unit == "" || m.UnitName == m.CommuneName {
		kind = homthu.KindCommune
	}
	managing, body := issuer(kind, m.UnitName, m.CommuneName)
	d := &export.Document{Orientation: export.Landscape, Managing: managing, Issuer: body, Place: homthu.PlaceName(m.CommuneName),
		Kind: "Sổ theo dõi mở hòm thư góp ý", Summary: fmt.Sprintf("Năm %d — Hòm thư tại %s (%s)", lb.Year, m.Place, m.UnitName)}
	t := &export.Table{Columns: []export.Column{{Title: "Tháng", Width: 0.8, Align: export.AlignCenter}, {Title: "Ngày, giờ mở", Width: 1.1},
		{Title: "Người chủ trì", Width: 1.4}, {Title: "Người chứng kiến", Width: 2.4}, {Title: "Niêm phong", Width: 1.2},
		{Title: "Số thư", Width: 0.6, Align: export.AlignCenter}, {Title: "Số biên bản", Width: 1.3}, {Title: "Ghi chú", Width: 1.6}}}
	byMonth := map[homthu.Month][]*homthu.Opening{}
	for _, o := range lb.Openings {
		byMonth[homthu.MonthOf(o.EffectiveOpenedAt())] = append(byMonth[homthu.MonthOf(o.EffectiveOpenedAt())], o)
	}
	this := homthu.MonthOf(now)
	installed, _ := time.ParseInLocation(time.DateOnly, m.InstalledOn, homthu.VNTime)
	letters := 0
	for i := 1; i <= 12; i++ {
		month := homthu.Month{Year: lb.Year, Month: time.Month(i)}
		if month.Index() > this.Index() {
			break
		}
		os := byMonth[month]
		if len(os) == 0 {
			note := "Không mở"
			switch {
			case month.Index() < homthu.MonthOf(installed).Index():
				note = "Chưa lắp đặt"
			case month == this:
				note = "Chưa mở"
			}
			t.Rows = append(t.Rows, []export.Cell{export.Text(month.Label()), export.Text(""), export.Text(""), export.Text(""), export.Text(""),
				export.Text(""), export.Text(""), export.Text(note)})
			continue
		}
		for _, o := range os {
			var ws []string
			for _, w := range o.Witnesses() {
				ws = append(ws, w.Name)
			}
			var notes []string
			if !o.OnTime {
				notes = append(notes, "Mở muộn")
			}
			if o.RecordedLate() {
				notes = append(notes, "Ghi vào hệ thống muộn")
			}
			if len(o.Corrections) > 0 {
				notes = append(notes, fmt.Sprintf("%d đính chính", len(o.Corrections)))
			}
			letters += o.LetterCount
			t.Rows = append(t.Rows, []export.Cell{export.Text(month.Label()), export.Text(o.EffectiveOpenedAt().In(homthu.VNTime).Format("02/01/2006 15:04")),
				export.Text(o.Chair().Name), export.Text(strings.Join(ws, ", ")), export.Text(sealShort(o.Seal)), export.Int(int64(o.LetterCount)),
				export.Text(o.Symbol()), export.Text(strings.Join(notes, "; "))})
		}
	}
	t.Total = []export.Cell{export.Text("Cộng"), export.Text(fmt.Sprintf("%d lần mở", len(lb.Openings))), export.Text(""), export.Text(""), export.Text(""),
		export.Int(int64(letters)), export.Text(""), export.Text("")}
	d.Body = append(d.Body, export.P(fmt.Sprintf("Hòm thư đặt tại %s, %s, lắp đặt ngày %s; %s.", m.Place, m.UnitName, vnDate(m.InstalledOn),
		strings.ToLower(m.ScheduleLabel()[:1])+m.ScheduleLabel()[1:])), t)
	if lb.Open > 0 {
		d.Body = append(d.Body, export.Paragraph{Runs: []export.Run{{Text: fmt.Sprintf("Có %d lần mở chưa niêm phong biên bản, chưa ghi vào sổ.", lb.Open), Italic: true}}})
	}
	d.Signatures = []export.Signature{{Position: "Người giữ sổ", Hint: "(Ký, ghi rõ họ tên)"}}
	return d
}

// PrintPage is a printable document: the same export.Document the PDF is
// rendered from, drawn as HTML.
type PrintPage struct {
	Base
	Doc  *export.Document
	PDF  string // the same document as a PDF
	Back string
}

func (*PrintPage) templateName() string { return "print.html" }

// NumberLine is the number and symbol line ("Số: 01/BB-BCTMT").
func (p *PrintPage) NumberLine() string {
	if p.Doc.Number == "" {
		return ""
	}
	return "Số: " + p.Doc.Number
}

// DateLine is the place and date line.
func (p *PrintPage) DateLine() string {
	if p.Doc.Place == "" && p.Doc.Date.IsZero() {
		return ""
	}
	return export.DateLine(p.Doc.Place, p.Doc.Date)
}

// Blocks are the body's blocks as the template draws them.
func (p *PrintPage) Blocks() []DocBlock {
	var out []DocBlock
	for _, b := range p.Doc.Body {
		switch b := b.(type) {
		case export.Heading:
			out = append(out, DocBlock{Heading: b.Text})
		case export.Paragraph:
			out = append(out, DocBlock{Runs: b.Runs, NoIndent: b.NoIndent})
		case export.List:
			out = append(out, DocBlock{Items: b.Items, Ordered: b.Ordered})
		case *export.Table:
			tb := &DocTable{Caption: b.Caption}
			for _, c := range b.Columns {
				tb.Head = append(tb.Head, c.Title)
			}
			for _, r := range b.Rows {
				var row []string
				for _, c := range r {
					row = append(row, c.String())
				}
				tb.Rows = append(tb.Rows, row)
			}
			for _, c := range b.Total {
				tb.Total = append(tb.Total, c.String())
			}
			out = append(out, DocBlock{Table: tb})
		}
	}
	return out
}

// DocBlock is one block of a printed document's body: a heading, a
// paragraph (Runs), a list (Items) or a table.
type DocBlock struct {
	Heading  string
	Runs     []export.Run
	NoIndent bool
	Items    []string
	Ordered  bool
	Table    *DocTable
}

// DocTable is a table of a printed document.
type DocTable struct {
	Caption string
	Head    []string
	Rows    [][]string
	Total   []string
}

// writePDF sends a document as a PDF download.
func writePDF(w http.ResponseWriter, d *export.Document, title string) error {
	var buf bytes.Buffer
	if err := export.Render(&buf, export.PDF, d); err != nil {
		return fmt.Errorf("web.writePDF: %w", err)
	}
	w.Header().Set("Content-Type", export.PDF.ContentType())
	w.Header().Set("Content-Disposition", export.ContentDisposition(title, export.PDF))
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(http.StatusOK)
	_, err := w.Write(buf.Bytes())
	return err
}

// sealedOpening returns a sealed opening of the session's scope, for its
// prints; open minutes have no number yet and are not printed.
func (s *Server) sealedOpening(r *http.Request, sess *homthu.Session) (*homthu.Opening, error) {
	id, err := openingID(r)
	if err != nil {
		return nil, err
	}
	o, err := s.app.Opening(r.Context(), sess, id)
	if err != nil {
		return nil, err
	}
	if !o.Sealed() {
		return nil, homthu.Errorf(homthu.ECONFLICT, "Biên bản chưa niêm phong nên chưa in được: hãy đếm thư và niêm phong trước.")
	}
	return o, nil
}

// minutes answers GET /can-bo/mo-hom-thu/{opening}/bien-ban: the minutes,
// printable.
func (s *Server) minutes(w http.ResponseWriter, r *http.Request, sess *homthu.Session) error {
	o, err := s.sealedOpening(r, sess)
	if err != nil {
		return err
	}
	href := openingHref(o.ID)
	p := &PrintPage{Base: staffBase("Biên bản mở hòm thư số "+o.Symbol(), sess), Doc: minutesDocument(o), PDF: href + "/bien-ban.pdf", Back: href}
	p.Script = true // the print button
	return s.renderOK(w, r, p)
}

// minutesPDF answers GET /can-bo/mo-hom-thu/{opening}/bien-ban.pdf.
func (s *Server) minutesPDF(w http.ResponseWriter, r *http.Request, sess *homthu.Session) error {
	o, err := s.sealedOpening(r, sess)
	if err != nil {
		return err
	}
	return writePDF(w, minutesDocument(o), "Biên bản mở hòm thư "+strings.ReplaceAll(o.Symbol(), "/", "-")+" "+o.UnitName)
}

// logbookOf reads the {mailbox} and ?nam= of a logbook's request.
func (s *Server) logbookOf(r *http.Request, sess *homthu.Session) (*app.Logbook, error) {
	id, err := mailboxID(r)
	if err != nil {
		return nil, err
	}
	year := homthu.MonthOf(s.now()).Year
	if v := r.URL.Query().Get("nam"); v != "" {
		if year, err = strconv.Atoi(v); err != nil {
			return nil, homthu.Errorf(homthu.EINVALID, "Năm %q không hợp lệ.", v)
		}
	}
	return s.app.Logbook(r.Context(), sess, id, year)
}

// logbook answers GET /can-bo/hom-thu/{mailbox}/so-theo-doi?nam=: the
// logbook of a year, printable.
func (s *Server) logbook(w http.ResponseWriter, r *http.Request, sess *homthu.Session) error {
	lb, err := s.logbookOf(r, sess)
	if err != nil {
		return err
	}
	href := mailboxHref(lb.Mailbox.ID)
	p := &PrintPage{Base: staffBase(fmt.Sprintf("Sổ theo dõi mở hòm thư năm %d", lb.Year), sess), Doc: logbookDocument(lb, s.now()),
		PDF: href + "/so-theo-doi.pdf?nam=" + strconv.Itoa(lb.Year), Back: href}
	p.Script = true
	return s.renderOK(w, r, p)
}

// logbookPDF answers GET /can-bo/hom-thu/{mailbox}/so-theo-doi.pdf?nam=.
func (s *Server) logbookPDF(w http.ResponseWriter, r *http.Request, sess *homthu.Session) error {
	lb, err := s.logbookOf(r, sess)
	if err != nil {
		return err
	}
	return writePDF(w, logbookDocument(lb, s.now()), fmt.Sprintf("Sổ theo dõi mở hòm thư %d %s", lb.Year, lb.Mailbox.UnitName))
}

// openingProof answers GET /can-bo/mo-hom-thu/{opening}/bang-chung: the
// proof that sealed minutes are in the transparency log — the committed
// record and its bundle (leaf, inclusion proof, signed checkpoint) — as a
// JSON download that anyone checks on /minh-bach or with homthu verify.
// Until a signed checkpoint covers the minutes (within a minute), a 409
// page says when to come back.
func (s *Server) openingProof(w http.ResponseWriter, r *http.Request, sess *homthu.Session) error {
	id, err := openingID(r)
	if err != nil {
		return err
	}
	pr, err := s.app.ProofOfOpening(r.Context(), sess, id)
	var pending *app.ProofPending
	if errors.As(err, &pending) {
		w.Header().Set("Retry-After", strconv.Itoa(max(int(math.Ceil(pending.RetryAfter.Seconds())), 1)))
		return homthu.Errorf(homthu.ECONFLICT, "Biên bản đã niêm phong nhưng chưa vào nhật ký minh bạch (việc này diễn ra trong vòng một phút). Xin quay lại sau khoảng %s.", waitLabel(pending.RetryAfter))
	} else if err != nil {
		return err
	}
	body, err := json.MarshalIndent(pr, "", "  ")
	if err != nil {
		return fmt.Errorf("web.openingProof: %w", err)
	}
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Content-Disposition", `attachment; filename="bang-chung-bien-ban-`+strconv.FormatInt(id, 10)+`.json"`)
	h.Set("Content-Length", strconv.Itoa(len(body)+1))
	w.WriteHeader(http.StatusOK)
	_, err = w.Write(append(body, '\n'))
	return err
}
