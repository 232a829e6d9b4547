// Package workdays is Vietnam's working-day calendar, for deadlines "in
// working days" (issue 9: a referral answered within 30 days, reminders
// before a deadline).
//
// A day is a working day unless it is a Saturday or a Sunday, a public
// holiday, or a working day the government swapped for a day off; and a
// Saturday or Sunday the government made a working day is one. The public
// holidays are those of the Labour Code 2019, Article 112: 1 January; Tết,
// the lunar new year, 5 days whose solar dates the Prime Minister fixes
// each year; the Hùng Kings' day (10th day of the 3rd lunar month); 30
// April; 1 May; National Day, 2 September and one day before or after it.
// A holiday on a weekly rest day gives the next working day off (Article
// 111, clause 3). Because Tết, the day beside National Day and the swaps
// are decided each year, a year is known only once its announcement is
// out: the calendar holds the years it was given, in the file format of
// format.go, each with its sources. The shipped file (vn.txt) has the
// years we could state from the government's announcements.
//
// A year the calendar does not hold falls back to weekends only, and says
// so: Loaded reports it, Missing lists the years a range needs that are
// not loaded, and Unloaded the years this calendar was asked about without
// having them — the administrators' status page shows them as warnings.
//
// Days are days of Vietnam's time zone (Asia/Ho_Chi_Minh, UTC+7, no
// daylight saving): a time is first placed in that zone, and only its date
// counts. Deadlines follow the rule for periods of time (Civil Code 2015,
// Article 147): the day of the event is not counted; a period of n working
// days ends at the end of the n-th working day after it.
package workdays

import (
	_ "embed"
	"sort"
	"sync"
	"time"

	"homthu/internal/homthu"
)

// Calendar answers which days are working days. It is safe for concurrent
// use; it is not changed after New, except for the record of the years it
// was asked about and did not have.
type Calendar struct {
	years map[int]*Year
	days  map[civil]Day

	mu       sync.Mutex
	unloaded map[int]bool
}

// civil is a date without a time zone.
type civil struct {
	y int
	m time.Month
	d int
}

func civilOf(t time.Time) civil {
	v := t.In(homthu.VNTime)
	return civil{v.Year(), v.Month(), v.Day()}
}

func (c civil) time() time.Time { return time.Date(c.y, c.m, c.d, 0, 0, 0, 0, homthu.VNTime) }

func (c civil) add(days int) civil {
	return civilOf(time.Date(c.y, c.m, c.d+days, 12, 0, 0, 0, homthu.VNTime))
}

func (c civil) weekend() bool {
	wd := time.Date(c.y, c.m, c.d, 12, 0, 0, 0, time.UTC).Weekday()
	return wd == time.Saturday || wd == time.Sunday
}

//go:embed vn.txt
var shipped []byte

// Shipped returns the shipped calendar file, parsed. It panics if the
// file does not parse: a test holds it.
func Shipped() *File {
	f, err := Parse(shipped)
	if err != nil {
		panic("workdays: the shipped calendar does not parse: " + err.Error())
	}
	return f
}

// ShippedText is the shipped calendar file as written.
func ShippedText() []byte { return append([]byte(nil), shipped...) }

// New builds a calendar from files; a year in a later file replaces the
// same year of an earlier one (an administrator's file over the shipped
// one).
func New(files ...*File) *Calendar {
	c := &Calendar{years: map[int]*Year{}, days: map[civil]Day{}, unloaded: map[int]bool{}}
	for _, f := range files {
		for i := range f.Years {
			y := f.Years[i]
			c.years[y.Year] = &y
		}
	}
	for _, y := range c.years {
		for _, d := range y.Days {
			t, _ := time.Parse(time.DateOnly, d.Date)
			c.days[civil{t.Year(), t.Month(), t.Day()}] = d
		}
	}
	return c
}

// note records that the calendar was asked about a year it does not hold.
func (c *Calendar) note(year int) {
	if y, ok := c.years[year]; ok && y.Incomplete == "" {
		return
	}
	c.mu.Lock()
	c.unloaded[year] = true
	c.mu.Unlock()
}

func (c *Calendar) workday(d civil) bool {
	c.note(d.y)
	if v, ok := c.days[d]; ok {
		return v.Kind == Work
	}
	return !d.weekend()
}

// IsWorkday reports whether t's day (in Vietnam's time) is a working day.
func (c *Calendar) IsWorkday(t time.Time) bool { return c.workday(civilOf(t)) }

// WorkingDay is IsWorkday: a Calendar is a homthu.Calendar, which the
// deadlines of referrals (homthu.DeadlineRule.Due) count with.
func (c *Calendar) WorkingDay(t time.Time) bool { return c.IsWorkday(t) }

// Holiday returns the listed day of t's date (a holiday, a swapped day off
// or a working weekend day) and ok == false for an ordinary day.
func (c *Calendar) Holiday(t time.Time) (Day, bool) {
	d, ok := c.days[civilOf(t)]
	return d, ok
}

// maxWorkdays bounds the n of AddWorkdays (about 40 years): beyond that a
// loop over days would be a mistake, not a deadline.
const maxWorkdays = 10000

// AddWorkdays returns the start (00:00, Vietnam time) of the day that is
// the n-th working day after t's day — t's day itself is not counted — or,
// for a negative n, the |n|-th working day before it; for n == 0, t's day.
// A period "within 30 working days of the referral" ends at the end of
// AddWorkdays(referredAt, 30). |n| is bounded at 10,000.
func (c *Calendar) AddWorkdays(t time.Time, n int) time.Time {
	n = max(-maxWorkdays, min(n, maxWorkdays))
	d := civilOf(t)
	step := 1
	if n < 0 {
		step, n = -1, -n
	}
	for n > 0 {
		d = d.add(step)
		if c.workday(d) {
			n--
		}
	}
	return d.time()
}

// WorkdaysBetween counts the working days after a's day up to and
// including b's day, negative when b's day is before a's: the inverse of
// AddWorkdays, WorkdaysBetween(t, AddWorkdays(t, n)) == n. A deadline's
// "working days left" is WorkdaysBetween(now, deadline).
func (c *Calendar) WorkdaysBetween(a, b time.Time) int {
	from, to := civilOf(a), civilOf(b)
	sign := 1
	if to.time().Before(from.time()) {
		from, to, sign = to, from, -1
	}
	n := 0
	for d := from.add(1); !d.time().After(to.time()); d = d.add(1) {
		if c.workday(d) {
			n++
		}
	}
	return sign * n
}

// EndOfDay is the last instant of t's day in Vietnam's time, when a
// deadline of that day ends.
func EndOfDay(t time.Time) time.Time {
	return civilOf(t).add(1).time().Add(-time.Nanosecond)
}

// Loaded reports whether the calendar holds the whole year: a year it
// lacks, or holds marked incomplete, counts only some (or no) holidays.
func (c *Calendar) Loaded(year int) bool {
	y, ok := c.years[year]
	return ok && y.Incomplete == ""
}

// Missing returns the years from a's to b's (in either order) that are not
// loaded: a deadline computed over them may be too early by the holidays
// the calendar does not know, and the place that shows it says so.
func (c *Calendar) Missing(a, b time.Time) []int {
	y1, y2 := civilOf(a).y, civilOf(b).y
	if y2 < y1 {
		y1, y2 = y2, y1
	}
	var out []int
	for y := y1; y <= y2; y++ {
		if !c.Loaded(y) {
			out = append(out, y)
		}
	}
	return out
}

// Unloaded returns, in order, the years this calendar was asked about
// (IsWorkday, AddWorkdays, WorkdaysBetween) without holding them whole.
func (c *Calendar) Unloaded() []int {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]int, 0, len(c.unloaded))
	for y := range c.unloaded {
		out = append(out, y)
	}
	sort.Ints(out)
	return out
}

// Years returns the years the calendar holds, in order.
func (c *Calendar) Years() []Year {
	out := make([]Year, 0, len(c.years))
	for _, y := range c.years {
		out = append(out, *y)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Year < out[j].Year })
	return out
}
