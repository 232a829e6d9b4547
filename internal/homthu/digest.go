package homthu

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// The digest (tổng hợp ý kiến, kiến nghị của cử tri và nhân dân, issue 10)
// is a unit's periodic compiled report: what it received in a period,
// how, about what, where it went and how it was answered, rolled up the
// tree so that a province's report has a row per commune (or district)
// whose figures add up to the province's.

// PeriodKind is how a digest's period was chosen.
type PeriodKind string

// The periods of a digest: the reporting rhythm of the Front (monthly,
// quarterly, six-monthly and yearly reports) and any range of days.
const (
	PeriodMonth   PeriodKind = "month"
	PeriodQuarter PeriodKind = "quarter"
	PeriodHalf    PeriodKind = "half"
	PeriodYear    PeriodKind = "year"
	PeriodRange   PeriodKind = "range"
)

// Period is a range of local days (Asia/Ho_Chi_Minh), both inclusive.
type Period struct {
	Kind     PeriodKind
	From, To string // YYYY-MM-DD
}

// MaxPeriodDays bounds a digest's range (ten years): a longer one is a
// review report's business.
const MaxPeriodDays = 3660

// ParsePeriod reads a period: kind with value ("2026-11" for a month,
// "2026-Q4" a quarter, "2026-H2" six months, "2026" a year), or, for
// PeriodRange (or an empty kind), the days from and to. Bad input is
// EINVALID with a Vietnamese message.
func ParsePeriod(kind PeriodKind, value, from, to string) (Period, error) {
	value = strings.TrimSpace(value)
	bad := func() (Period, error) {
		return Period{}, Errorf(EINVALID, "Kỳ báo cáo %q không hợp lệ: viết tháng 2026-11, quý 2026-Q4, sáu tháng 2026-H1 hoặc năm 2026.", value)
	}
	year := func(s string) (int, bool) {
		y, err := strconv.Atoi(s)
		return y, err == nil && len(s) == 4 && y >= 2000 && y <= 2179
	}
	span := func(y, m, months int) Period {
		first := Month{Year: y, Month: time.Month(m)}
		last := first.Add(months - 1)
		return Period{From: fmt.Sprintf("%04d-%02d-01", y, m), To: fmt.Sprintf("%04d-%02d-%02d", last.Year, int(last.Month), last.Days())}
	}
	var p Period
	switch kind {
	case PeriodMonth:
		m, err := ParseMonth(value)
		if err != nil || m.Year < 2000 || m.Year > 2179 {
			return bad()
		}
		p = span(m.Year, int(m.Month), 1)
	case PeriodQuarter, PeriodHalf:
		ys, q, ok := strings.Cut(strings.ToUpper(value), "-")
		y, yok := year(ys)
		letter, n := "Q", 4
		if kind == PeriodHalf {
			letter, n = "H", 2
		}
		k, err := strconv.Atoi(strings.TrimPrefix(q, letter))
		if !ok || !yok || !strings.HasPrefix(q, letter) || err != nil || k < 1 || k > n {
			return bad()
		}
		months := 12 / n
		p = span(y, (k-1)*months+1, months)
	case PeriodYear:
		y, ok := year(value)
		if !ok {
			return bad()
		}
		p = span(y, 1, 12)
	case PeriodRange, "":
		from, to = strings.TrimSpace(from), strings.TrimSpace(to)
		if !ValidDay(from) || !ValidDay(to) {
			return Period{}, Errorf(EINVALID, "Ngày bắt đầu và ngày kết thúc của kỳ báo cáo viết theo dạng NĂM-THÁNG-NGÀY, ví dụ 2026-01-01.")
		}
		if to < from {
			return Period{}, Errorf(EINVALID, "Ngày kết thúc (%s) của kỳ báo cáo trước ngày bắt đầu (%s).", to, from)
		}
		f, _ := time.Parse(time.DateOnly, from)
		t, _ := time.Parse(time.DateOnly, to)
		if f.Year() < 2000 || t.Year() > 2179 {
			return Period{}, Errorf(EINVALID, "Kỳ báo cáo nằm trong khoảng từ năm 2000 đến năm 2179.")
		}
		if t.Sub(f).Hours()/24 >= MaxPeriodDays {
			return Period{}, Errorf(EINVALID, "Kỳ báo cáo dài tối đa 10 năm; báo cáo sơ kết, tổng kết dài hơn được lập riêng.")
		}
		p = Period{From: from, To: to}
		kind = PeriodRange
	default:
		return Period{}, Errorf(EINVALID, "Loại kỳ báo cáo %q không hợp lệ: chọn tháng, quý, sáu tháng, năm hoặc khoảng ngày.", string(kind))
	}
	p.Kind = kind
	return p, nil
}

// Months lists the months the period touches, in order.
func (p Period) Months() []Month {
	f, _ := time.Parse(time.DateOnly, p.From)
	t, _ := time.Parse(time.DateOnly, p.To)
	var out []Month
	for m := (Month{Year: f.Year(), Month: f.Month()}); m.Index() <= (Month{Year: t.Year(), Month: t.Month()}).Index(); m = m.Add(1) {
		out = append(out, m)
	}
	return out
}

// Label names the period as a report's title says it: "tháng 11 năm
// 2026", "quý IV năm 2026", "6 tháng đầu năm 2026", "năm 2026", "từ ngày
// 01/01/2026 đến ngày 15/03/2026".
func (p Period) Label() string {
	f, _ := time.Parse(time.DateOnly, p.From)
	t, _ := time.Parse(time.DateOnly, p.To)
	switch p.Kind {
	case PeriodMonth:
		return fmt.Sprintf("tháng %d năm %d", int(f.Month()), f.Year())
	case PeriodQuarter:
		return fmt.Sprintf("quý %s năm %d", []string{"I", "II", "III", "IV"}[(int(f.Month())-1)/3], f.Year())
	case PeriodHalf:
		if f.Month() == time.January {
			return fmt.Sprintf("6 tháng đầu năm %d", f.Year())
		}
		return fmt.Sprintf("6 tháng cuối năm %d", f.Year())
	case PeriodYear:
		return fmt.Sprintf("năm %d", f.Year())
	}
	return fmt.Sprintf("từ ngày %s đến ngày %s", f.Format("02/01/2006"), t.Format("02/01/2006"))
}

// Value is the period's value as ParsePeriod reads it back ("" for a range).
func (p Period) Value() string {
	f, _ := time.Parse(time.DateOnly, p.From)
	switch p.Kind {
	case PeriodMonth:
		return p.From[:7]
	case PeriodQuarter:
		return fmt.Sprintf("%d-Q%d", f.Year(), (int(f.Month())-1)/3+1)
	case PeriodHalf:
		return fmt.Sprintf("%d-H%d", f.Year(), (int(f.Month())-1)/6+1)
	case PeriodYear:
		return p.From[:4]
	}
	return ""
}

// DigestCounts are the figures of a digest for one unit (or one row of
// its roll-up). Items are counted by the period in which they were
// received; spam is counted apart and in no other figure.
type DigestCounts struct {
	Received  int // items received, spam excluded
	Spam      int // marked as spam or abuse
	ByChannel map[Channel]int
	ByKind    map[Kind]int // "" for items not yet classified
	ByStatus  map[Status]int
	// ByCategory counts items by standard code (one item may fall under
	// several standards of the 27 and the 19).
	ByCategory map[string]int
	// Answered counts the items whose competent body answered, or whose
	// processing ended with an answer (answered or closed), as the public
	// statistics count them (internal/stats).
	Answered int
	// Referrals counts referrals sent to competent bodies (not recalled),
	// by agency id in ByAgency; RefAnswered those answered, RefOnTime
	// those answered on or before their (extended) deadline, RefOverdue
	// those still waiting past it.
	Referrals   int
	ByAgency    map[int64]int
	RefAnswered int
	RefOnTime   int
	RefOverdue  int
}

// NewDigestCounts returns empty counts ready to add to.
func NewDigestCounts() *DigestCounts {
	return &DigestCounts{ByChannel: map[Channel]int{}, ByKind: map[Kind]int{}, ByStatus: map[Status]int{},
		ByCategory: map[string]int{}, ByAgency: map[int64]int{}}
}

// AddItems counts n items with the channel, kind and status.
func (c *DigestCounts) AddItems(ch Channel, k Kind, st Status, n int) {
	if st == StatusSpam {
		c.Spam += n
		return
	}
	c.Received += n
	c.ByChannel[ch] += n
	c.ByKind[k] += n
	c.ByStatus[st] += n
	if st == StatusAnswered || st == StatusClosed {
		c.Answered += n
	}
}

// Merge adds o's figures.
func (c *DigestCounts) Merge(o *DigestCounts) {
	c.Received += o.Received
	c.Spam += o.Spam
	c.Answered += o.Answered
	c.Referrals += o.Referrals
	c.RefAnswered += o.RefAnswered
	c.RefOnTime += o.RefOnTime
	c.RefOverdue += o.RefOverdue
	for k, n := range o.ByChannel {
		c.ByChannel[k] += n
	}
	for k, n := range o.ByKind {
		c.ByKind[k] += n
	}
	for k, n := range o.ByStatus {
		c.ByStatus[k] += n
	}
	for k, n := range o.ByCategory {
		c.ByCategory[k] += n
	}
	for k, n := range o.ByAgency {
		c.ByAgency[k] += n
	}
}

// OnTimePercent is the share of answered referrals answered on time, in
// tenths of a percent rounded down, and false when none was answered.
func (c *DigestCounts) OnTimePercent() (int, bool) {
	if c.RefAnswered == 0 {
		return 0, false
	}
	return c.RefOnTime * 1000 / c.RefAnswered, true
}

// AnsweredPercent is the share of items received that were answered, in
// tenths of a percent rounded down, and false when none was received.
func (c *DigestCounts) AnsweredPercent() (int, bool) {
	if c.Received == 0 {
		return 0, false
	}
	return c.Answered * 1000 / c.Received, true
}

// FormatPermille writes tenths of a percent as Vietnamese write a share:
// "87,5%" (as internal/export prints a share); "—" when there is nothing to divide.
func FormatPermille(v int, ok bool) string {
	if !ok {
		return "—"
	}
	return fmt.Sprintf("%d,%d%%", v/10, v%10)
}
