package homthu

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Calendar says which days are working days: not a Saturday or a Sunday,
// and not an official holiday (Labour Code 2019, Article 112: Tết, 30/4,
// 1/5, 2/9, the Hùng Kings' day, and the days the Government moves around
// them). The working-day calendar of internal/workdays implements it.
type Calendar interface {
	WorkingDay(day time.Time) bool
}

// DeadlineRule is how long an agency has to answer a referral: Days, in
// working days when Working is set (the rule says so), else calendar days.
type DeadlineRule struct {
	Days    int
	Working bool
}

// DefaultDeadline is the deadline of a referral when nothing else is
// configured: 30 days (issue 9), as the Law on Denunciation 2018 (Article
// 30) gives for settling a denunciation.
var DefaultDeadline = DeadlineRule{Days: 30}

// MaxDeadlineDays bounds a configured deadline.
const MaxDeadlineDays = 365

// String writes the rule as it is configured: "30" or "15w" (working days).
func (r DeadlineRule) String() string {
	if r.Working {
		return strconv.Itoa(r.Days) + "w"
	}
	return strconv.Itoa(r.Days)
}

// Label writes the rule for a person: "30 ngày" or "15 ngày làm việc".
func (r DeadlineRule) Label() string {
	if r.Working {
		return fmt.Sprintf("%d ngày làm việc", r.Days)
	}
	return fmt.Sprintf("%d ngày", r.Days)
}

// ParseDeadlineRule reads "30" (calendar days) or "15w" (working days).
func ParseDeadlineRule(s string) (DeadlineRule, error) {
	s = strings.TrimSpace(s)
	var r DeadlineRule
	if d, ok := strings.CutSuffix(s, "w"); ok {
		r.Working, s = true, d
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > MaxDeadlineDays {
		return DeadlineRule{}, Errorf(EINVALID, "Thời hạn %q không hợp lệ: viết số ngày từ 1 đến %d, thêm chữ w nếu tính theo ngày làm việc (ví dụ 30 hoặc 15w).", s, MaxDeadlineDays)
	}
	r.Days = n
	return r, nil
}

// Due returns the last day to answer a referral sent on day start
// (YYYY-MM-DD): Days after it, counting only working days when the rule
// says so (the day of sending does not count). A calendar is needed for
// working days.
func (r DeadlineRule) Due(start string, cal Calendar) (string, error) {
	d, err := time.Parse(time.DateOnly, start)
	if err != nil {
		return "", Errorf(EINVALID, "Ngày %q không hợp lệ: viết theo dạng NĂM-THÁNG-NGÀY.", start)
	}
	if !r.Working {
		return d.AddDate(0, 0, r.Days).Format(time.DateOnly), nil
	}
	if cal == nil {
		return "", fmt.Errorf("homthu: a working-day deadline needs a calendar")
	}
	for n := 0; n < r.Days; {
		d = d.AddDate(0, 0, 1)
		if cal.WorkingDay(d) {
			n++
		}
	}
	return d.Format(time.DateOnly), nil
}
