package app

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"homthu/internal/homthu"
	"homthu/internal/store"
)

// Deadlines of referrals (issue 9: "deadlines run in the background, in
// working days where the rule says so"). Once a day a durable periodic job
// (DeadlineKind, registered by serve; the runner keeps one pending job per
// periodic kind, so a restart neither loses nor doubles it) reads the
// referrals waiting for an answer and reminds, in the app and by mail where
// an address is set:
//
//   - the agency's handlers and the Front staff of the unit that referred
//     the item, DeadlineReminderDays before the deadline — working days
//     when the referral's deadline counts working days (the calendar of
//     internal/workdays), else calendar days;
//   - both again once the deadline has passed without an answer.
//
// A unit without Front staff (its items are shown to the province) has its
// reminders go to the province's Front staff.
//
// Each reminder has a key (the referral, its deadline, the kind of
// reminder), so that the daily run, a restart or a second process
// delivers it once; an approved extension moves the deadline, and so
// brings a new reminder before the new one. A reminder names the letter's
// number and the body, never the submitter, and no word of the item.

// DeadlineKind is the kind of the daily job of referral deadlines.
const DeadlineKind = "referrals.remind"

// DeadlineReminderDays is how long before its deadline a referral is
// reminded, counted as its deadline is.
const DeadlineReminderDays = 3

// DeadlineReminders counts the reminders RemindDeadlines delivered (not
// those it had delivered before): referrals reminded before their deadline
// and referrals overdue.
type DeadlineReminders struct {
	Soon, Overdue int
}

// RemindDeadlines sends the reminders of referral deadlines due at now (the
// day is Vietnam's). It is idempotent.
func (a *App) RemindDeadlines(ctx context.Context, now time.Time) (DeadlineReminders, error) {
	var out DeadlineReminders
	today := homthu.Today(now)
	cal := a.calendar()
	calSoon, err := homthu.DeadlineRule{Days: DeadlineReminderDays}.Due(today, cal)
	if err != nil {
		return out, err
	}
	workSoon, err := homthu.DeadlineRule{Days: DeadlineReminderDays, Working: true}.Due(today, cal)
	if err != nil {
		return out, err
	}
	until := max(calSoon, workSoon)
	afterDue, afterID := "", int64(0)
	for {
		rs, err := a.Store.DueReferrals(ctx, until, afterDue, afterID, 1000)
		if err != nil {
			return out, err
		}
		for _, r := range rs {
			overdue := r.DueOn < today
			if !overdue {
				soon := calSoon
				if r.Working {
					soon = workSoon
				}
				if r.DueOn > soon {
					continue
				}
			}
			n, err := a.remindDeadline(ctx, r, today, overdue)
			if err != nil {
				return out, fmt.Errorf("app.RemindDeadlines %d: %w", r.ID, err)
			}
			if n == 0 {
				continue
			}
			if overdue {
				out.Overdue++
			} else {
				out.Soon++
			}
		}
		if len(rs) < 1000 {
			return out, nil
		}
		afterDue, afterID = rs[len(rs)-1].DueOn, rs[len(rs)-1].ID
	}
}

// remindDeadline tells a referral's agency handlers and the Front staff of
// its unit, in one transaction; it returns how many accounts it reached
// for the first time.
func (a *App) remindDeadline(ctx context.Context, r store.DueReferral, today string, overdue bool) (int, error) {
	due := vnDay(r.DueOn)
	what, subject := "sắp đến hạn trả lời", "Sắp đến hạn trả lời văn bản chuyển số "+r.Number
	left := daysBetween(today, r.DueOn)
	tail := fmt.Sprintf("hạn trả lời ngày %s (còn %d ngày)", due, left)
	if r.Working {
		tail = fmt.Sprintf("hạn trả lời ngày %s (còn %d ngày làm việc)", due, workingDaysBetween(today, r.DueOn, a.calendar()))
	}
	kind := "soon"
	if overdue {
		what, subject, kind = "đã quá hạn trả lời", "Quá hạn trả lời văn bản chuyển số "+r.Number, "overdue"
		tail = fmt.Sprintf("hạn trả lời là ngày %s, đã quá %d ngày", due, -left)
	}
	key := "referral-" + kind + ":" + strconv.FormatInt(r.ID, 10) + ":" + r.DueOn
	// The province above the unit, to escalate to.
	up := ""
	if _, path, err := a.Store.UnitKindPath(ctx, r.Unit); err == nil && len(path) > 0 && path[0] != r.Unit {
		up = path[0]
	} else if err != nil && homthu.ErrorCode(err) != homthu.ENOTFOUND {
		return 0, err
	}
	reached := 0
	err := a.Store.Transact(ctx, func(tx *store.Tx) error {
		handlers, err := store.AgencyHandlers(ctx, tx, r.Agency)
		if err != nil {
			return err
		}
		agencyText := fmt.Sprintf("Văn bản chuyển số %s của Mặt trận %s: %s. Xin xem xét, giải quyết và ghi kết quả trên hệ thống; nếu cần thêm thời gian, xin đề nghị gia hạn, nêu rõ lý do.",
			r.Number, what, tail)
		for _, u := range handlers {
			n, err := a.Notify(ctx, tx, homthu.NewNotice{To: homthu.NoticeTo{User: u}, Text: agencyText, Subject: subject, Mail: true,
				Key: key, Link: "/can-bo/co-quan/chuyen/" + strconv.FormatInt(r.ID, 10)})
			if err != nil {
				return err
			}
			reached += n
		}
		frontText := fmt.Sprintf("Văn bản chuyển số %s đến %s %s: %s.", r.Number, r.AgencyName, what, tail)
		if overdue {
			frontText += " Xin đôn đốc cơ quan trả lời."
		}
		front := homthu.NewNotice{To: homthu.NoticeTo{Role: homthu.RoleFront, Unit: r.Unit}, Text: frontText, Subject: subject,
			Mail: true, Key: key, Link: "/can-bo/thu/" + r.Item}
		if has, err := store.HasAccounts(ctx, tx, homthu.RoleFront, r.Unit); err != nil {
			return err
		} else if !has && up != "" {
			// No Front staff at the unit (its items are shown to the
			// province): the province's staff are told instead.
			front.To.Unit = up
		}
		n, err := a.Notify(ctx, tx, front)
		reached += n
		return err
	})
	return reached, err
}

// workingDaysBetween counts the working days after day a up to day b.
func workingDaysBetween(a, b string, cal homthu.Calendar) int {
	ta, err1 := time.Parse(time.DateOnly, a)
	tb, err2 := time.Parse(time.DateOnly, b)
	if err1 != nil || err2 != nil {
		return 0
	}
	n := 0
	for d := ta.AddDate(0, 0, 1); !d.After(tb); d = d.AddDate(0, 0, 1) {
		if cal.WorkingDay(d) {
			n++
		}
	}
	return n
}

// daysBetween is the number of calendar days from day a to day b.
func daysBetween(a, b string) int {
	ta, err1 := time.Parse(time.DateOnly, a)
	tb, err2 := time.Parse(time.DateOnly, b)
	if err1 != nil || err2 != nil {
		return 0
	}
	return int(tb.Sub(ta).Hours() / 24)
}
