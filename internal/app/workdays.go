package app

import (
	"context"
	"maps"
	"slices"
	"strconv"
	"sync"
	"time"

	"homthu/internal/homthu"
	"homthu/internal/store"
	"homthu/internal/workdays"
)

// calendarCheck is how often Workdays looks whether the loaded years
// changed (another process may have loaded a year).
const calendarCheck = 30 * time.Second

// calendarCache holds the built calendar and what it was built from.
type calendarCache struct {
	mu      sync.Mutex
	cal     *workdays.Calendar
	version string
	checked time.Time
}

// Workdays returns the working-day calendar that deadlines follow: the
// shipped years (internal/workdays/vn.txt), with the years an
// administrator loaded over them. It is cached and rebuilt when the loaded
// years change. A year it lacks counts weekends only: show
// cal.Missing(from, to) where a deadline over such a year is shown.
func (a *App) Workdays(ctx context.Context) (*workdays.Calendar, error) {
	c := &a.workdays
	c.mu.Lock()
	defer c.mu.Unlock()
	now := a.now()
	if c.cal != nil && now.Sub(c.checked) < calendarCheck {
		return c.cal, nil
	}
	v, err := a.Store.WorkdayYearsVersion(ctx)
	if err != nil {
		return nil, err
	}
	if c.cal != nil && v == c.version {
		c.checked = now
		return c.cal, nil
	}
	rows, err := a.Store.WorkdayYears(ctx)
	if err != nil {
		return nil, err
	}
	files := []*workdays.File{workdays.Shipped()}
	for _, r := range rows {
		f, err := workdays.Parse([]byte(r.Text))
		if err != nil {
			// Stored only after it parsed: a row that no longer parses is
			// a bug or a hand edit, and must not silently change deadlines.
			if a.Log != nil {
				a.Log.Error("workdays: a loaded year does not parse; it is ignored", "year", r.Year, "err", err)
			}
			continue
		}
		files = append(files, f)
	}
	c.cal, c.version, c.checked = workdays.New(files...), v, now
	return c.cal, nil
}

// LoadWorkdays loads the years of a calendar file (an administrator's, or
// the command line's when s is nil): each replaces the year of the same
// number. Nothing is stored if any line is wrong. The load is audited.
func (a *App) LoadWorkdays(ctx context.Context, s *homthu.Session, data []byte) ([]workdays.Year, error) {
	var by *homthu.User
	if s != nil {
		if err := need(s, homthu.ActManageWorkdays); err != nil {
			return nil, err
		}
		by = s.User
	}
	f, err := workdays.Parse(data)
	if err != nil {
		return nil, err
	}
	rows := make([]store.WorkdayYear, 0, len(f.Years))
	for _, y := range f.Years {
		rows = append(rows, store.WorkdayYear{Year: y.Year, Text: string(workdays.Format(&workdays.File{Years: []workdays.Year{y}}))})
	}
	if err := a.Store.PutWorkdayYears(ctx, rows, by); err != nil {
		return nil, err
	}
	a.workdays.mu.Lock()
	a.workdays.cal = nil // rebuild at the next use
	a.workdays.mu.Unlock()
	return f.Years, nil
}

// CalendarStatus is the calendar as the status page shows it.
type CalendarStatus struct {
	Years []CalendarYear
	// Warnings name the years deadlines need that the calendar lacks: this
	// year and the next, and any year it was asked about.
	Warnings []string
}

// CalendarYear is one year the calendar holds.
type CalendarYear struct {
	workdays.Year
	// Shipped: the year comes with homthu; otherwise LoadedBy (an account,
	// "" for the command line) loaded it at LoadedAt.
	Shipped  bool
	LoadedBy string
	LoadedAt time.Time
}

// WorkdaysStatus reads the calendar for the status page.
func (a *App) WorkdaysStatus(ctx context.Context, s *homthu.Session) (*CalendarStatus, error) {
	if err := need(s, homthu.ActSystemStatus); err != nil {
		return nil, err
	}
	cal, err := a.Workdays(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := a.Store.WorkdayYears(ctx)
	if err != nil {
		return nil, err
	}
	loaded := map[int]store.WorkdayYear{}
	for _, r := range rows {
		loaded[r.Year] = r
	}
	out := &CalendarStatus{}
	for _, y := range cal.Years() {
		v := CalendarYear{Year: y, Shipped: true}
		if r, ok := loaded[y.Year]; ok {
			v.Shipped, v.LoadedBy, v.LoadedAt = false, r.LoadedBy, r.LoadedAt
		}
		out.Years = append(out.Years, v)
	}
	this := a.now().In(homthu.VNTime).Year()
	asked := map[int]bool{this: true, this + 1: true}
	for _, y := range cal.Unloaded() {
		asked[y] = true
	}
	for _, y := range slices.Sorted(maps.Keys(asked)) {
		if !cal.Loaded(y) {
			out.Warnings = append(out.Warnings, workdaysWarning(cal, y))
		}
	}
	return out, nil
}

// workdaysWarning says what a missing or incomplete year means.
func workdaysWarning(cal *workdays.Calendar, year int) string {
	for _, y := range cal.Years() {
		if y.Year == year && y.Incomplete != "" {
			return "Lịch ngày làm việc năm " + strconv.Itoa(year) + " chưa đầy đủ: " + y.Incomplete +
				" Thời hạn tính theo ngày làm việc trong năm này có thể sớm hơn thực tế."
		}
	}
	return "Chưa nạp lịch ngày làm việc năm " + strconv.Itoa(year) + ": thời hạn tính theo ngày làm việc trong năm này chỉ trừ thứ Bảy, Chủ nhật, chưa trừ các ngày lễ, Tết và ngày nghỉ hoán đổi. Hãy nạp lịch năm " + strconv.Itoa(year) + " khi Chính phủ công bố."
}

// liveCalendar is the working-day calendar as a homthu.Calendar: each
// question reads the cached calendar (Workdays), so that a year loaded by
// an administrator counts from the next deadline on.
type liveCalendar struct{ a *App }

func (c liveCalendar) WorkingDay(day time.Time) bool {
	cal, err := c.a.Workdays(context.Background())
	if err != nil {
		if c.a.Log != nil {
			c.a.Log.Error("workdays: read the calendar; counting weekends only", "err", err)
		}
		return weekdays{}.WorkingDay(day)
	}
	return cal.IsWorkday(day)
}
