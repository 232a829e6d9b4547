package workdays

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"homthu/internal/homthu"
)

func day(s string) time.Time {
	t, err := time.ParseInLocation(time.DateOnly, s, homthu.VNTime)
	if err != nil {
		panic(err)
	}
	return t
}

func TestShipped(t *testing.T) {
	c := New(Shipped())
	for _, tt := range []struct {
		year   int
		loaded bool
	}{{2023, false}, {2024, true}, {2025, true}, {2026, false}, {2027, false}} {
		if got := c.Loaded(tt.year); got != tt.loaded {
			t.Errorf("Loaded(%d) = %v, want %v", tt.year, got, tt.loaded)
		}
	}
	for _, y := range c.Years() {
		if len(y.Sources) == 0 {
			t.Errorf("year %d has no source", y.Year)
		}
		// Article 112: 11 days off a year at least (1 + 5 + 1 + 1 + 1 + 2);
		// an incomplete year may lack some.
		n := 0
		for _, d := range y.Days {
			if wd := day(d.Date).Weekday(); d.Kind == Holiday && wd != time.Saturday && wd != time.Sunday {
				n++
			}
		}
		if y.Incomplete == "" && n < 11 {
			t.Errorf("year %d lists %d weekday holidays, want at least the 11 of Article 112", y.Year, n)
		}
	}
	if got := Format(Shipped()); !reflect.DeepEqual(mustParse(t, got), Shipped()) {
		t.Errorf("Parse(Format(shipped)) differs from shipped")
	}
}

func mustParse(t *testing.T, b []byte) *File {
	t.Helper()
	f, err := Parse(b)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return f
}

// TestIsWorkday pins the days of the announcements of 2024 to 2026.
func TestIsWorkday(t *testing.T) {
	c := New(Shipped())
	for _, tt := range []struct {
		date string
		want bool
		why  string
	}{
		{"2024-01-01", false, "Tết Dương lịch"},
		{"2024-01-02", true, "an ordinary Tuesday"},
		{"2024-02-07", true, "the day before Tết 2024"},
		{"2024-02-08", false, "Tết 2024 starts (29 tháng Chạp)"},
		{"2024-02-12", false, "Tết 2024, Monday"},
		{"2024-02-14", false, "Tết 2024 ends (mùng 5)"},
		{"2024-02-15", true, "back at work"},
		{"2024-04-18", false, "Hùng Kings 2024"},
		{"2024-04-29", false, "swapped Monday"},
		{"2024-05-04", true, "working Saturday"},
		{"2024-09-03", false, "National Day 2024, second day"},
		{"2025-01-01", false, "Tết Dương lịch"},
		{"2025-01-24", true, "the Friday before Tết 2025"},
		{"2025-01-27", false, "Tết 2025, Monday"},
		{"2025-01-31", false, "Tết 2025, Friday"},
		{"2025-02-03", true, "back at work"},
		{"2025-04-07", false, "Hùng Kings 2025"},
		{"2025-04-26", true, "working Saturday"},
		{"2025-05-02", false, "swapped Friday"},
		{"2025-09-01", false, "National Day 2025, day before"},
		{"2025-09-03", true, "the day after"},
		{"2026-01-02", false, "swapped Friday"},
		{"2026-01-10", true, "working Saturday"},
		{"2026-02-16", false, "Tết 2026"},
		{"2026-04-27", false, "compensatory Monday for Hùng Kings 2026"},
		{"2026-09-02", false, "National Day 2026"},
		{"2026-12-07", true, "an ordinary Monday"},
		{"2023-01-02", true, "2023 is not loaded: weekends only (it was the compensatory day)"},
		{"2027-01-01", true, "2027 is not loaded: weekends only"},
		{"2027-01-02", false, "a Saturday"},
	} {
		if got := c.IsWorkday(day(tt.date)); got != tt.want {
			t.Errorf("IsWorkday(%s) = %v, want %v (%s)", tt.date, got, tt.want, tt.why)
		}
	}
	if got := fmt.Sprint(c.Unloaded()); got != "[2023 2026 2027]" {
		t.Errorf("Unloaded() = %s, want [2023 2026 2027]", got)
	}
}

// TestTimeZone: a time is placed in Vietnam's zone before its day counts.
func TestTimeZone(t *testing.T) {
	c := New(Shipped())
	// 23:30 UTC on 29 April 2025 is 06:30 on 30 April in Hà Nội: a holiday.
	if c.IsWorkday(time.Date(2025, 4, 29, 23, 30, 0, 0, time.UTC)) {
		t.Errorf("29/4/2025 23:30 UTC counted as a working day; it is 30/4 in Vietnam")
	}
	if !c.IsWorkday(time.Date(2025, 4, 29, 16, 59, 0, 0, time.UTC)) {
		t.Errorf("29/4/2025 16:59 UTC (23:59 in Vietnam) not a working day")
	}
	if got := EndOfDay(time.Date(2025, 4, 29, 20, 0, 0, 0, time.UTC)); !got.Equal(time.Date(2025, 4, 30, 23, 59, 59, 999999999, homthu.VNTime)) {
		t.Errorf("EndOfDay = %v", got)
	}
}

func TestAddWorkdays(t *testing.T) {
	c := New(Shipped())
	for _, tt := range []struct {
		from string
		n    int
		want string
	}{
		{"2025-04-25", 0, "2025-04-25"},
		{"2025-04-25", 1, "2025-04-26"},  // the working Saturday
		{"2025-04-26", 1, "2025-04-28"},  // Sunday skipped
		{"2025-04-29", 1, "2025-05-05"},  // 30/4, 1/5, the swapped 2/5 and the weekend skipped
		{"2025-04-27", 1, "2025-04-28"},  // from a Sunday
		{"2025-01-24", 1, "2025-02-03"},  // over Tết 2025
		{"2025-02-03", -1, "2025-01-24"}, // and back
		{"2025-05-05", -2, "2025-04-28"},
		{"2025-01-02", 30, "2025-02-20"}, // 30 working days: 16 in January after the 2nd, then Tết, then 14 in February
		{"2024-12-31", 2, "2025-01-03"},  // across the new year: 1/1 skipped
		{"2027-06-30", 1, "2027-07-01"},  // a year not loaded: weekends only
		{"2027-07-02", 1, "2027-07-05"},
	} {
		if got := c.AddWorkdays(day(tt.from), tt.n).Format(time.DateOnly); got != tt.want {
			t.Errorf("AddWorkdays(%s, %d) = %s, want %s", tt.from, tt.n, got, tt.want)
		}
		if got := c.WorkdaysBetween(day(tt.from), day(tt.want)); got != tt.n && c.IsWorkday(day(tt.from)) {
			t.Errorf("WorkdaysBetween(%s, %s) = %d, want %d", tt.from, tt.want, got, tt.n)
		}
	}
	// The answer is the start of a day in Vietnam, whatever the input's zone.
	got := c.AddWorkdays(time.Date(2025, 4, 29, 20, 0, 0, 0, time.UTC), 1) // 03:00 on 30/4 in Vietnam
	if want := time.Date(2025, 5, 5, 0, 0, 0, 0, homthu.VNTime); !got.Equal(want) {
		t.Errorf("AddWorkdays(30/4 03:00 ICT, 1) = %v, want %v", got, want)
	}
	if got := c.AddWorkdays(day("2025-01-01"), 1<<30); got.Year() > 2070 {
		t.Errorf("AddWorkdays with a huge n = %v: not bounded", got)
	}
}

func TestWorkdaysBetween(t *testing.T) {
	c := New(Shipped())
	for _, tt := range []struct {
		a, b string
		want int
	}{
		{"2025-04-28", "2025-04-28", 0},
		{"2025-04-28", "2025-04-29", 1},
		{"2025-04-29", "2025-04-28", -1},
		{"2025-04-25", "2025-05-05", 4}, // 26/4 (Saturday), 28/4, 29/4, 5/5
		{"2025-05-05", "2025-04-25", -4},
		{"2025-01-01", "2025-12-31", 250}, // 2025: 261 weekdays − 12 days off on weekdays (1/1 among them) + 1 working Saturday
	} {
		if got := c.WorkdaysBetween(day(tt.a), day(tt.b)); got != tt.want {
			t.Errorf("WorkdaysBetween(%s, %s) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestMissing(t *testing.T) {
	c := New(Shipped())
	if got := fmt.Sprint(c.Missing(day("2027-03-01"), day("2024-05-01"))); got != "[2026 2027]" {
		t.Errorf("Missing(2024…2027) = %s", got)
	}
	if got := c.Missing(day("2025-01-01"), day("2025-12-31")); len(got) != 0 {
		t.Errorf("Missing(2025) = %v", got)
	}
	// An administrator's file replaces a shipped year.
	f := mustParse(t, []byte("homthu-workdays 1\nyear 2026\nsource Thông báo của Bộ Nội vụ\nholiday 2026-09-01..2026-09-02 Quốc khánh\n"))
	c2 := New(Shipped(), f)
	if !c2.Loaded(2026) || c2.IsWorkday(day("2026-09-01")) || !c2.IsWorkday(day("2026-01-02")) {
		t.Errorf("a loaded 2026 does not replace the shipped one")
	}
}

// TestParseErrors: every mistake is refused with a Vietnamese message that
// names the line.
func TestParseErrors(t *testing.T) {
	head := "homthu-workdays 1\nyear 2025\nsource Thông báo\n"
	for _, tt := range []struct {
		name, text, want string
	}{
		{"empty", "", "trống"},
		{"no header", "year 2025\n", "dòng 1"},
		{"future version", "homthu-workdays 2\n", "phiên bản"},
		{"no year", "homthu-workdays 1\n", "không có năm"},
		{"no source", "homthu-workdays 1\nyear 2025\nholiday 2025-01-01 Tết\n", "thiếu dòng \"source\""},
		{"no source, then a year", "homthu-workdays 1\nyear 2025\nyear 2026\nsource x\n", "năm 2025 thiếu"},
		{"bad year", "homthu-workdays 1\nyear hai nghìn\n", "dòng 2"},
		{"year twice", head + "year 2025\n", "hai lần"},
		{"day before year", "homthu-workdays 1\nholiday 2025-01-01 Tết\n", "sau dòng \"year\""},
		{"bad date", head + "holiday 2025-13-01 Tết\n", "dòng 4"},
		{"no name", head + "holiday 2025-01-01\n", "cần tên"},
		{"other year", head + "holiday 2026-01-01 Tết\n", "không thuộc năm 2025"},
		{"twice", head + "holiday 2025-01-01 Tết\noff 2025-01-01 Nghỉ\n", "đã có ở dòng 4"},
		{"range backwards", head + "holiday 2025-02-02..2025-01-25 Tết\n", "ngày cuối phải sau"},
		{"range too long", head + "holiday 2025-01-01..2025-03-01 Tết\n", "dài quá"},
		{"work on a weekday", head + "work 2025-04-28 Làm bù\n", "không phải thứ Bảy"},
		{"off on a weekend", head + "off 2025-04-26 Nghỉ\n", "đã là thứ Bảy"},
		{"unknown word", head + "vacation 2025-04-28 Nghỉ\n", "không hiểu"},
		{"not NFC", head + "holiday 2025-01-01 Te\u0302\u0301t\n", "NFC"},
		{"not UTF-8", head + "holiday 2025-01-01 \xff\n", "UTF-8"},
		{"incomplete twice", head + "incomplete a\nincomplete b\n", "hai dòng"},
	} {
		_, err := Parse([]byte(tt.text))
		if homthu.ErrorCode(err) != homthu.EINVALID || !strings.Contains(homthu.ErrorMessage(err), tt.want) {
			t.Errorf("%s: Parse = %v, want EINVALID with %q", tt.name, err, tt.want)
		}
	}
	f := mustParse(t, []byte("\ufeff# lịch\n\n"+head+"# Tết\nholiday 2025-01-01 Tết Dương lịch\r\nwork 2025-04-26 Làm bù\nincomplete Chưa có Quốc khánh\n"))
	if len(f.Years) != 1 || len(f.Years[0].Days) != 2 || f.Years[0].Incomplete != "Chưa có Quốc khánh" {
		t.Errorf("Parse of a valid file with a BOM, comments and CRLF = %+v", f)
	}
}

// FuzzParse: Parse never panics, and what it accepts formats and parses
// back to the same.
func FuzzParse(f *testing.F) {
	f.Add(shipped)
	f.Add([]byte("homthu-workdays 1\nyear 2025\nsource x\nholiday 2025-01-25..2025-02-02 Tết\n"))
	f.Add([]byte("homthu-workdays 1\nyear 2025\nsource x\nwork 2025-04-26 a\noff 2025-05-02 b\nincomplete c\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		file, err := Parse(b)
		if err != nil {
			if homthu.ErrorCode(err) != homthu.EINVALID {
				t.Fatalf("Parse error %v is not EINVALID", err)
			}
			return
		}
		again, err := Parse(Format(file))
		if err != nil {
			t.Fatalf("Parse(Format(f)): %v\n%s", err, Format(file))
		}
		if !reflect.DeepEqual(file, again) {
			t.Fatalf("Parse(Format(f)) = %+v, want %+v", again, file)
		}
		New(file).AddWorkdays(day("2025-01-01"), 20)
	})
}

// FuzzAddWorkdays: WorkdaysBetween inverts AddWorkdays from a working day,
// and AddWorkdays lands on a working day, for any start and any n.
func FuzzAddWorkdays(f *testing.F) {
	c := New(Shipped())
	f.Add(int64(0), 30)
	f.Add(int64(400), -17)
	f.Add(int64(-300), 250)
	f.Fuzz(func(t *testing.T, offset int64, n int) {
		n %= 400
		start := day("2025-01-01").AddDate(0, 0, int(offset%1500))
		got := c.AddWorkdays(start, n)
		if n != 0 && !c.IsWorkday(got) {
			t.Fatalf("AddWorkdays(%v, %d) = %v, not a working day", start, n, got)
		}
		if c.IsWorkday(start) || n > 0 {
			if back := c.WorkdaysBetween(start, got); back != n {
				t.Fatalf("WorkdaysBetween(%v, AddWorkdays(…, %d) = %v) = %d", start, n, got, back)
			}
		}
	})
}

// TestDeadlineRule: the calendar is what referral deadlines in working days
// count with (homthu.DeadlineRule.Due).
func TestDeadlineRule(t *testing.T) {
	var cal homthu.Calendar = New(Shipped())
	due, err := homthu.DeadlineRule{Days: 3, Working: true}.Due("2025-04-28", cal)
	if err != nil || due != "2025-05-06" { // 29/4, then 5/5 and 6/5: 30/4–4/5 are off
		t.Errorf("Due(3 working days from 28/4/2025) = %s, %v; want 2025-05-06", due, err)
	}
}
