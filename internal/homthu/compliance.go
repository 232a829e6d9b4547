package homthu

import (
	"fmt"
	"time"
)

// The compliance board (bảng theo dõi việc mở hòm thư) tells commune and
// province staff, for each residential area and month, whether its box was
// opened on time, late, or not at all, and what share of areas opened
// theirs (the seed article counts "100% of residential areas"). The rules
// are explicit, because a board that counts wrongly blames the wrong area:
//
//  1. Time zone and months. Every time is read in Vietnam's time
//     (Asia/Ho_Chi_Minh, UTC+7, no daylight saving), and months are months
//     of the local calendar. An opening at 00:30 on 1 November (17:30 on
//     31 October in UTC) counts for November: an opening on the 1st of a
//     month counts for that month.
//  2. What is expected. An area is expected to open a box in a month only
//     if the area existed on every day of the month (created on the 1st
//     counts; created on the 2nd does not, nor does an area merged away
//     before the month's last day), and at least one of its boxes was in
//     service on every day of the month (installed on or before the 1st,
//     not removed before the month ended). A damaged box is still in
//     service: it is opened, and repaired.
//  3. Statuses. An opening always counts, expected or not: a sealed
//     opening in the month is on time if it took place on or before the
//     box's scheduled day (clamped to the month's last day; a box with no
//     fixed day is on time on any day of the month), and late otherwise;
//     with several boxes the best one counts. An expected area with no
//     opening has missed the month once the month is over; during the
//     month it is upcoming until the latest scheduled day of its boxes,
//     and overdue after it. An area with no box in service on any day of
//     the month has no mailbox; one with a box for part of the month only,
//     or that did not exist for the whole month, is not due.
//  4. Only sealed openings count, at the time they took place after
//     corrections (Opening.EffectiveOpenedAt), against the box's schedule
//     when it was sealed.
//  5. The share of a month is the areas whose box was opened (on time or
//     late) over the areas expected, plus those with no mailbox (an area
//     without a box cannot open one, and the board must show it), plus
//     those not expected that opened anyway. Months after today are not
//     counted at all.

// Month is a month of Vietnam's calendar.
type Month struct {
	Year  int
	Month time.Month
}

// MonthOf is the month of t in Vietnam.
func MonthOf(t time.Time) Month {
	t = t.In(VNTime)
	return Month{t.Year(), t.Month()}
}

// ParseMonth parses "YYYY-MM" (from the year 2000), or returns EINVALID.
func ParseMonth(s string) (Month, error) {
	t, err := time.Parse("2006-01", s)
	if err != nil || t.Year() < 2000 || t.Format("2006-01") != s {
		return Month{}, Errorf(EINVALID, "Tháng %q không hợp lệ: viết theo dạng NĂM-THÁNG, ví dụ 2026-11.", s)
	}
	return Month{t.Year(), t.Month()}, nil
}

// String is "YYYY-MM".
func (m Month) String() string { return fmt.Sprintf("%04d-%02d", m.Year, int(m.Month)) }

// Label is the month as Vietnamese documents write it: "11/2026".
func (m Month) Label() string { return fmt.Sprintf("%02d/%04d", int(m.Month), m.Year) }

// Add returns the month n months after m (before, for negative n).
func (m Month) Add(n int) Month {
	i := m.Index() + n
	return Month{2000 + floorDiv(i, 12), time.Month(i-12*floorDiv(i, 12)) + 1}
}

func floorDiv(a, b int) int {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// Index is the number of months since January 2000 (the first mark of a
// mailbox's Marks).
func (m Month) Index() int { return (m.Year-2000)*12 + int(m.Month) - 1 }

// Days is the number of days in the month.
func (m Month) Days() int {
	return time.Date(m.Year, m.Month+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// First and Last are the month's first and last day as day numbers
// (DayNum).
func (m Month) First() int { return m.Year*10000 + int(m.Month)*100 + 1 }

// Last is the month's last day as a DayNum.
func (m Month) Last() int { return m.Year*10000 + int(m.Month)*100 + m.Days() }

// Start is the first instant of the month in Vietnam.
func (m Month) Start() time.Time { return time.Date(m.Year, m.Month, 1, 0, 0, 0, 0, VNTime) }

// DayNum is a calendar day as the integer yyyymmdd (20261105), which orders
// like the day and costs nothing to compare; 0 means "no day".
func DayNum(day string) int {
	if len(day) != 10 || day[4] != '-' || day[7] != '-' {
		return 0
	}
	n := 0
	for i := 0; i < 10; i++ {
		if i == 4 || i == 7 {
			continue
		}
		c := day[i]
		if c < '0' || c > '9' {
			return 0
		}
		n = n*10 + int(c-'0')
	}
	return n
}

// DayNumOf is the day of t in Vietnam as a DayNum.
func DayNumOf(t time.Time) int {
	t = t.In(VNTime)
	return t.Year()*10000 + int(t.Month())*100 + t.Day()
}

// Deadline is the last day of m on which a box scheduled on day (0 for no
// fixed day) is opened on time, as a DayNum.
func (m Month) Deadline(day int) int {
	if day <= 0 || day > m.Days() {
		return m.Last()
	}
	return m.Year*10000 + int(m.Month)*100 + day
}

// OnTime reports whether an opening at t is on time for a box scheduled on
// day: on or before the scheduled day of t's month (in Vietnam).
func OnTime(day int, t time.Time) bool {
	return DayNumOf(t) <= MonthOf(t).Deadline(day)
}

// The marks of a mailbox: one byte per month since January 2000 (index
// Month.Index), derived from its sealed openings and stored with the box so
// that the board reads one short string per box instead of every opening.
const (
	MarkNone   byte = '-'
	MarkLate   byte = 'l'
	MarkOnTime byte = 'o'
)

// OpeningMark is what a sealed opening contributes to its box's marks: when
// it took place (after corrections) and the box's scheduled day at sealing.
type OpeningMark struct {
	At  time.Time
	Day int
}

// Marks computes a box's marks from its sealed openings: for each month the
// best of its openings, on time over late.
func Marks(openings []OpeningMark) string {
	var b []byte
	for _, o := range openings {
		m := MonthOf(o.At)
		i := m.Index()
		if i < 0 {
			continue
		}
		for len(b) <= i {
			b = append(b, MarkNone)
		}
		mark := MarkLate
		if OnTime(o.Day, o.At) {
			mark = MarkOnTime
		}
		if b[i] != MarkOnTime {
			b[i] = mark
		}
	}
	return string(b)
}

// ComplianceStatus is an area's status in one month. Codes are a contract.
type ComplianceStatus string

// The statuses of an area in a month.
const (
	StatusOnTime    ComplianceStatus = "on_time"
	StatusLate      ComplianceStatus = "late"
	StatusMissed    ComplianceStatus = "missed"
	StatusOverdue   ComplianceStatus = "overdue"  // this month, past the scheduled day, not yet opened
	StatusUpcoming  ComplianceStatus = "upcoming" // this month, the scheduled day not yet passed
	StatusNoMailbox ComplianceStatus = "no_mailbox"
	StatusNotDue    ComplianceStatus = "not_due"
	StatusFuture    ComplianceStatus = "future"
)

// ComplianceStatuses lists every status, best first.
var ComplianceStatuses = []ComplianceStatus{StatusOnTime, StatusLate, StatusUpcoming, StatusOverdue, StatusMissed,
	StatusNoMailbox, StatusNotDue, StatusFuture}

// Label is what a person reads for the status.
func (s ComplianceStatus) Label() string {
	switch s {
	case StatusOnTime:
		return "Mở đúng hạn"
	case StatusLate:
		return "Mở muộn"
	case StatusMissed:
		return "Không mở"
	case StatusOverdue:
		return "Quá ngày mở, chưa mở"
	case StatusUpcoming:
		return "Chưa đến ngày mở"
	case StatusNoMailbox:
		return "Chưa có hòm thư"
	case StatusNotDue:
		return "Không tính tháng này"
	case StatusFuture:
		return "Chưa đến tháng"
	}
	return string(s)
}

// Short is a one- or two-letter code for the board's cells, explained by
// the board's legend.
func (s ComplianceStatus) Short() string {
	switch s {
	case StatusOnTime:
		return "Đ"
	case StatusLate:
		return "M"
	case StatusMissed:
		return "K"
	case StatusOverdue:
		return "Q"
	case StatusUpcoming:
		return "C"
	case StatusNoMailbox:
		return "0"
	case StatusNotDue, StatusFuture:
		return "–"
	}
	return "?"
}

// Opened reports whether the status is an opening.
func (s ComplianceStatus) Opened() bool { return s == StatusOnTime || s == StatusLate }

// ComplianceBox is one mailbox as the board sees it.
type ComplianceBox struct {
	From, To int // DayNum of installation, and of removal (0: still in service)
	Day      int // scheduled day, 0 for any day
	// Marks is the box's marks from the board's first month on: Marks[i]
	// is the mark of the board's i-th month (missing bytes: none).
	Marks string
}

// ComplianceArea is one residential area (or a commune's own box) as the
// board sees it.
type ComplianceArea struct {
	Code     string
	From, To int // DayNum of the unit's creation (0: always existed) and of its end (0: still exists)
	Boxes    []ComplianceBox
}

// Status is the area's status in month m, the i-th month of the board,
// when today is the DayNum today.
func (a *ComplianceArea) Status(i int, m Month, today int) ComplianceStatus {
	first, last := m.First(), m.Last()
	if first > today {
		return StatusFuture
	}
	best := MarkNone
	for _, b := range a.Boxes {
		if i < len(b.Marks) {
			switch c := b.Marks[i]; {
			case c == MarkOnTime:
				best = MarkOnTime
			case c == MarkLate && best == MarkNone:
				best = MarkLate
			}
		}
	}
	switch best {
	case MarkOnTime:
		return StatusOnTime
	case MarkLate:
		return StatusLate
	}
	if (a.From != 0 && a.From > first) || (a.To != 0 && a.To <= last) {
		return StatusNotDue
	}
	some := false
	for _, b := range a.Boxes {
		if b.From <= last && (b.To == 0 || b.To > first) {
			some = true // in service on some day of the month
		}
	}
	deadline, due := a.Deadline(m)
	switch {
	case !some:
		return StatusNoMailbox
	case !due:
		return StatusNotDue
	case last < today:
		return StatusMissed
	case today > deadline:
		return StatusOverdue
	}
	return StatusUpcoming
}

// Deadline is the last day (a DayNum) on which the area's box is opened on
// time in m — the latest scheduled day of the boxes in service the whole
// month — and false when no box is due in m.
func (a *ComplianceArea) Deadline(m Month) (int, bool) {
	first, last := m.First(), m.Last()
	deadline, due := 0, false
	for _, b := range a.Boxes {
		if b.From <= first && (b.To == 0 || b.To > last) {
			due = true
			deadline = max(deadline, m.Deadline(b.Day))
		}
	}
	return deadline, due
}

// Tally counts the areas of a group in one month by status.
type Tally struct {
	OnTime, Late, Missed, Overdue, Upcoming, NoMailbox, NotDue int
}

// Add counts one status.
func (t *Tally) Add(s ComplianceStatus) {
	switch s {
	case StatusOnTime:
		t.OnTime++
	case StatusLate:
		t.Late++
	case StatusMissed:
		t.Missed++
	case StatusOverdue:
		t.Overdue++
	case StatusUpcoming:
		t.Upcoming++
	case StatusNoMailbox:
		t.NoMailbox++
	case StatusNotDue:
		t.NotDue++
	}
}

// Merge adds another tally.
func (t *Tally) Merge(o Tally) {
	t.OnTime += o.OnTime
	t.Late += o.Late
	t.Missed += o.Missed
	t.Overdue += o.Overdue
	t.Upcoming += o.Upcoming
	t.NoMailbox += o.NoMailbox
	t.NotDue += o.NotDue
}

// Opened is the number of areas whose box was opened.
func (t Tally) Opened() int { return t.OnTime + t.Late }

// Expected is the share's denominator (rule 5).
func (t Tally) Expected() int {
	return t.OnTime + t.Late + t.Missed + t.Overdue + t.Upcoming + t.NoMailbox
}

// Percent is the share of areas opened, rounded down to a whole percent
// (so that 99.6 % never shows as 100 %), and false when nothing was
// expected.
func (t Tally) Percent() (int, bool) {
	e := t.Expected()
	if e == 0 {
		return 0, false
	}
	return t.Opened() * 100 / e, true
}

// BuildBoard tallies areas by group and month: tallies[g][i] counts the
// areas of group g (groups[k] is area k's group, from 0 to n-1) in months[i],
// total[i] all areas. It is the board's whole computation, linear in areas
// × months; the caller fetches the areas with their boxes' marks.
func BuildBoard(areas []ComplianceArea, groups []int, n int, months []Month, today int) (tallies [][]Tally, total []Tally) {
	tallies = make([][]Tally, n)
	flat := make([]Tally, n*len(months))
	for g := range tallies {
		tallies[g] = flat[g*len(months) : (g+1)*len(months)]
	}
	total = make([]Tally, len(months))
	for k := range areas {
		row := tallies[groups[k]]
		for i, m := range months {
			st := areas[k].Status(i, m, today)
			row[i].Add(st)
			total[i].Add(st)
		}
	}
	return tallies, total
}
