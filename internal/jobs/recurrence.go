package jobs

import (
	"fmt"
	"time"

	"homthu/internal/homthu"
)

// Recurrence is when a periodic job runs (Runner.Periodic).
type Recurrence interface {
	// Next is the first run time strictly after t.
	Next(t time.Time) time.Time
	// String describes it in Vietnamese, for the status page.
	String() string
}

// Daily runs every day at hour:minute in Vietnam's time (Asia/Ho_Chi_Minh,
// UTC+7 all year), e.g. Daily(7, 0) for a morning deadline sweep.
func Daily(hour, minute int) Recurrence {
	if hour < 0 || hour > 23 || minute < 0 || minute > 59 {
		panic(fmt.Sprintf("jobs.Daily(%d, %d): not a time of day", hour, minute))
	}
	return daily{hour, minute}
}

type daily struct{ hour, minute int }

func (d daily) Next(t time.Time) time.Time {
	v := t.In(homthu.VNTime)
	n := time.Date(v.Year(), v.Month(), v.Day(), d.hour, d.minute, 0, 0, homthu.VNTime)
	if !n.After(t) {
		n = time.Date(v.Year(), v.Month(), v.Day()+1, d.hour, d.minute, 0, 0, homthu.VNTime)
	}
	return n
}

func (d daily) String() string {
	return fmt.Sprintf("hằng ngày lúc %02d:%02d (giờ Việt Nam)", d.hour, d.minute)
}

// Interval runs every d, on multiples of d since the Unix epoch (so that
// every process agrees on the times), e.g. Interval(time.Hour) on the hour.
func Interval(d time.Duration) Recurrence {
	if d < time.Second {
		panic(fmt.Sprintf("jobs.Interval(%v): at least a second", d))
	}
	return interval(d)
}

type interval time.Duration

func (d interval) Next(t time.Time) time.Time {
	n := t.Truncate(time.Duration(d))
	if !n.After(t) {
		n = n.Add(time.Duration(d))
	}
	return n
}

func (d interval) String() string {
	switch dd := time.Duration(d); {
	case dd%time.Hour == 0:
		return fmt.Sprintf("mỗi %d giờ", dd/time.Hour)
	case dd%time.Minute == 0:
		return fmt.Sprintf("mỗi %d phút", dd/time.Minute)
	default:
		return fmt.Sprintf("mỗi %d giây", dd/time.Second)
	}
}
