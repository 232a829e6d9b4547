package workdays

import (
	"bufio"
	"bytes"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"homthu/internal/homthu"
	"homthu/internal/vntext"
)

// The calendar file, version 1 (a text file, UTF-8):
//
//	# comments and blank lines are ignored
//	homthu-workdays 1
//	year 2025
//	source Văn bản 8726/VPCP-KGVX ngày 26/11/2024 …
//	holiday 2025-01-01 Tết Dương lịch
//	holiday 2025-01-27..2025-01-31 Tết Nguyên đán
//	off 2025-05-02 Nghỉ hoán đổi (làm bù thứ Bảy 26/4/2025)
//	work 2025-04-26 Làm bù cho thứ Sáu 2/5/2025
//	incomplete Chưa có …
//
// The first line that is not a comment names the format and its version;
// a reader refuses a version it does not know. Then come blocks, one per
// year: "year YYYY", then "source TEXT" (at least one: where the days come
// from — the government's yearly announcement), then the days of that
// year, each a date or an inclusive range of dates and a name:
//
//   - holiday: a public holiday of the Labour Code 2019, Article 112, or the
//     day off that replaces one falling on a weekly rest day (Article 111,
//     clause 3) — not a working day;
//   - off: a working day the government swapped for a day off (hoán đổi),
//     a Monday to Friday — not a working day;
//   - work: a Saturday or Sunday the government made a working day (làm
//     bù) — a working day.
//
// A year may say "incomplete TEXT": its days are used, but the year counts
// as not loaded (Calendar.Loaded), with TEXT saying what is missing, so
// that every place that uses it warns. Within a file a date appears once
// and a year once; days lie in their year. Every text is NFC.

// Version is the calendar file format this package reads and writes.
const Version = 1

// MaxFileBytes bounds a calendar file (a year is a few hundred bytes).
const MaxFileBytes = 256 << 10

// Kind is the kind of a listed day.
type Kind string

// The kinds of listed days.
const (
	Holiday Kind = "holiday"
	Off     Kind = "off"
	Work    Kind = "work"
)

// Day is a listed day of a year.
type Day struct {
	Date string // YYYY-MM-DD
	Kind Kind
	Name string
}

// Year is one year of a calendar file.
type Year struct {
	Year    int
	Sources []string
	// Incomplete, when set, says what the year lacks: it is then used but
	// not loaded.
	Incomplete string
	Days       []Day
}

// File is a parsed calendar file.
type File struct {
	Years []Year
}

// lineError is a parse error at a line, in Vietnamese.
func lineError(n int, format string, args ...any) error {
	return homthu.Errorf(homthu.EINVALID, "Tệp lịch ngày làm việc, dòng %d: %s", n, fmt.Sprintf(format, args...))
}

// Parse reads a calendar file. Any error is EINVALID with a Vietnamese
// message naming the line; nothing of a file with an error is used.
func Parse(b []byte) (*File, error) {
	if len(b) > MaxFileBytes {
		return nil, homthu.Errorf(homthu.EINVALID, "Tệp lịch ngày làm việc quá lớn (tối đa %d KB).", MaxFileBytes>>10)
	}
	if !utf8.Valid(b) {
		return nil, homthu.Errorf(homthu.EINVALID, "Tệp lịch ngày làm việc không phải văn bản UTF-8.")
	}
	b = bytes.TrimPrefix(b, []byte("\ufeff"))
	f := &File{}
	seenYear := map[int]bool{}
	seenDate := map[string]int{}
	var cur *Year
	versioned := false
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 4096), MaxFileBytes)
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if line != vntext.NFC(line) {
			return nil, lineError(n, "chữ tiếng Việt chưa ở dạng chuẩn NFC (hãy lưu tệp bằng trình soạn thảo thông thường).")
		}
		word, rest, _ := strings.Cut(line, " ")
		rest = strings.TrimSpace(rest)
		if !versioned {
			if word != "homthu-workdays" {
				return nil, lineError(n, "tệp phải bắt đầu bằng dòng \"homthu-workdays %d\".", Version)
			}
			v, err := strconv.Atoi(rest)
			if err != nil || v != Version {
				return nil, lineError(n, "phiên bản định dạng %q chưa được hỗ trợ (phiên bản hiện có: %d).", rest, Version)
			}
			versioned = true
			continue
		}
		switch word {
		case "year":
			y, err := strconv.Atoi(rest)
			if err != nil || y < 2000 || y > 2200 {
				return nil, lineError(n, "năm %q không hợp lệ (từ 2000 đến 2200).", rest)
			}
			if seenYear[y] {
				return nil, lineError(n, "năm %d có hai lần trong tệp.", y)
			}
			if err := checkYear(cur); err != nil {
				return nil, err
			}
			seenYear[y] = true
			f.Years = append(f.Years, Year{Year: y})
			cur = &f.Years[len(f.Years)-1]
		case "source", "incomplete":
			if cur == nil {
				return nil, lineError(n, "dòng %q phải nằm sau dòng \"year\".", word)
			}
			if rest == "" || utf8.RuneCountInString(rest) > 1000 {
				return nil, lineError(n, "dòng %q cần nội dung (tối đa 1.000 ký tự).", word)
			}
			if word == "source" {
				cur.Sources = append(cur.Sources, rest)
			} else if cur.Incomplete != "" {
				return nil, lineError(n, "năm %d có hai dòng \"incomplete\"; gộp thành một.", cur.Year)
			} else {
				cur.Incomplete = rest
			}
		case string(Holiday), string(Off), string(Work):
			if cur == nil {
				return nil, lineError(n, "ngày phải nằm sau dòng \"year\".")
			}
			span, name, _ := strings.Cut(rest, " ")
			name = strings.TrimSpace(name)
			if name == "" || utf8.RuneCountInString(name) > 200 {
				return nil, lineError(n, "ngày %q cần tên (tối đa 200 ký tự), ví dụ \"Tết Dương lịch\".", span)
			}
			from, to, err := parseSpan(span)
			if err != nil {
				return nil, lineError(n, "%s", err)
			}
			if to.Sub(from) > 31*24*time.Hour {
				return nil, lineError(n, "khoảng ngày %s dài quá 31 ngày.", span)
			}
			for d := from; !d.After(to); d = d.AddDate(0, 0, 1) {
				date := d.Format(time.DateOnly)
				if d.Year() != cur.Year {
					return nil, lineError(n, "ngày %s không thuộc năm %d.", vnDate(date), cur.Year)
				}
				if prev, ok := seenDate[date]; ok {
					return nil, lineError(n, "ngày %s đã có ở dòng %d.", vnDate(date), prev)
				}
				weekend := d.Weekday() == time.Saturday || d.Weekday() == time.Sunday
				if Kind(word) == Work && !weekend {
					return nil, lineError(n, "ngày làm bù %s không phải thứ Bảy hay Chủ nhật.", vnDate(date))
				}
				if Kind(word) == Off && weekend {
					return nil, lineError(n, "ngày nghỉ hoán đổi %s đã là thứ Bảy hay Chủ nhật.", vnDate(date))
				}
				seenDate[date] = n
				cur.Days = append(cur.Days, Day{Date: date, Kind: Kind(word), Name: name})
			}
		default:
			return nil, lineError(n, "không hiểu từ khóa %q (dùng: year, source, incomplete, holiday, off, work).", word)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, homthu.Errorf(homthu.EINVALID, "Không đọc được tệp lịch ngày làm việc: dòng quá dài.")
	}
	if !versioned {
		return nil, homthu.Errorf(homthu.EINVALID, "Tệp lịch ngày làm việc trống: cần dòng \"homthu-workdays %d\" rồi ít nhất một năm.", Version)
	}
	if err := checkYear(cur); err != nil {
		return nil, err
	}
	if len(f.Years) == 0 {
		return nil, homthu.Errorf(homthu.EINVALID, "Tệp lịch ngày làm việc không có năm nào (dòng \"year YYYY\").")
	}
	for i := range f.Years {
		sort.Slice(f.Years[i].Days, func(a, b int) bool { return f.Years[i].Days[a].Date < f.Years[i].Days[b].Date })
	}
	return f, nil
}

// checkYear checks a finished year block.
func checkYear(y *Year) error {
	if y != nil && len(y.Sources) == 0 {
		return homthu.Errorf(homthu.EINVALID, "Tệp lịch ngày làm việc: năm %d thiếu dòng \"source\" ghi căn cứ (văn bản thông báo lịch nghỉ của năm đó).", y.Year)
	}
	return nil
}

// parseSpan reads "YYYY-MM-DD" or "YYYY-MM-DD..YYYY-MM-DD".
func parseSpan(s string) (from, to time.Time, err error) {
	a, b, isRange := strings.Cut(s, "..")
	if from, err = time.Parse(time.DateOnly, a); err != nil {
		return from, to, fmt.Errorf("ngày %q không đúng dạng YYYY-MM-DD", a)
	}
	if !isRange {
		return from, from, nil
	}
	if to, err = time.Parse(time.DateOnly, b); err != nil {
		return from, to, fmt.Errorf("ngày %q không đúng dạng YYYY-MM-DD", b)
	}
	if !to.After(from) {
		return from, to, fmt.Errorf("khoảng ngày %s: ngày cuối phải sau ngày đầu", s)
	}
	return from, to, nil
}

// vnDate writes YYYY-MM-DD as dd/mm/yyyy.
func vnDate(date string) string {
	t, err := time.Parse(time.DateOnly, date)
	if err != nil {
		return date
	}
	return t.Format("02/01/2006")
}

// Span is a run of consecutive listed days of one kind and name.
type Span struct {
	From, To string // YYYY-MM-DD, To == From for one day
	Kind     Kind
	Name     string
}

// Spans groups days (in date order) into runs of consecutive days with the
// same kind and name, of at most 32 days, as a file writes them.
func Spans(days []Day) []Span {
	var out []Span
	var last time.Time
	for _, d := range days {
		t, _ := time.Parse(time.DateOnly, d.Date)
		if n := len(out); n > 0 && out[n-1].Kind == d.Kind && out[n-1].Name == d.Name && t.Equal(last.AddDate(0, 0, 1)) {
			if first, _ := time.Parse(time.DateOnly, out[n-1].From); t.Sub(first) <= 31*24*time.Hour {
				out[n-1].To, last = d.Date, t
				continue
			}
		}
		out = append(out, Span{From: d.Date, To: d.Date, Kind: d.Kind, Name: d.Name})
		last = t
	}
	return out
}

// Format writes f in the file format, consecutive days of one name as a
// range, so that Parse(Format(f)) equals f.
func Format(f *File) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "homthu-workdays %d\n", Version)
	for _, y := range f.Years {
		fmt.Fprintf(&b, "\nyear %d\n", y.Year)
		for _, s := range y.Sources {
			fmt.Fprintf(&b, "source %s\n", s)
		}
		if y.Incomplete != "" {
			fmt.Fprintf(&b, "incomplete %s\n", y.Incomplete)
		}
		for _, sp := range Spans(y.Days) {
			if sp.To == sp.From {
				fmt.Fprintf(&b, "%s %s %s\n", sp.Kind, sp.From, sp.Name)
			} else {
				fmt.Fprintf(&b, "%s %s..%s %s\n", sp.Kind, sp.From, sp.To, sp.Name)
			}
		}
	}
	return b.Bytes()
}
