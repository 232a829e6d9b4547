package app

import (
	"context"
	"fmt"
	"time"

	"homthu/internal/homthu"
	"homthu/internal/store"
)

// Reminders of mailbox openings (issue 8; Regulation 124-QĐ/TW: every
// area's box opened once a month). Once a day a job reads every box's
// marks for last month and this month — the compliance board's own query
// and rules, so that a reminder never disagrees with the board — and
// reminds the area's working committee, in the app and by mail where an
// address is set:
//
//   - ReminderDays days before the scheduled day of this month, when the
//     box has not been opened yet this month ("đến hạn mở");
//   - once a month is over without an opening ("không mở").
//
// Each reminder has a key (the area and the month), so that the daily run,
// a restart or a second process sends it once. An area without a
// committee account is reminded through the Front staff of its commune.

// RemindKind is the kind of the daily reminder job.
const RemindKind = "openings.remind"

// ReminderDays is how many days before its scheduled day an area is
// reminded that its box is due.
const ReminderDays = 3

// Reminded counts the reminders RemindOpenings delivered (not those it had
// delivered before).
type Reminded struct {
	Due, Missed int // areas reminded
	Escalated   int // of those, through the commune's staff (no committee account)
}

// RemindOpenings sends the reminders due at now (the day is Vietnam's). It
// is idempotent: a reminder already delivered is not delivered again.
func (a *App) RemindOpenings(ctx context.Context, now time.Time) (Reminded, error) {
	var out Reminded
	this := homthu.MonthOf(now)
	last := this.Add(-1)
	today := homthu.DayNumOf(now)
	soon := homthu.DayNumOf(now.AddDate(0, 0, ReminderDays))
	units, err := a.Store.ComplianceUnits(ctx, "", last, 2)
	if err != nil {
		return out, err
	}
	type reminder struct {
		unit, parent string
		month        homthu.Month
		deadline     int // DayNum; 0 for a missed month
	}
	var todo []reminder
	for i := range units {
		u := &units[i]
		if len(u.Boxes) == 0 {
			continue
		}
		if u.Status(0, last, today) == homthu.StatusMissed {
			todo = append(todo, reminder{u.Code, u.Parent, last, 0})
		}
		if u.Status(1, this, today) == homthu.StatusUpcoming {
			if d, ok := u.Deadline(this); ok && d <= soon {
				todo = append(todo, reminder{u.Code, u.Parent, this, d})
			}
		}
	}
	for start := 0; start < len(todo); start += 1000 {
		batch := todo[start:min(start+1000, len(todo))]
		codes := make([]string, len(batch))
		for i, r := range batch {
			codes[i] = r.unit
		}
		names, err := a.Store.UnitNames(ctx, codes)
		if err != nil {
			return out, err
		}
		for _, r := range batch {
			n := remindNotice(r.unit, names[r.unit], r.month, r.deadline)
			var reached int
			escalated := false
			err := a.Store.Transact(ctx, func(tx *store.Tx) error {
				has, err := store.HasAccounts(ctx, tx, homthu.RoleCommittee, r.unit)
				if err != nil {
					return err
				}
				if !has && r.parent != "" {
					// No committee account at the area: its commune's
					// Front staff pass the reminder on.
					n.To, n.Key, escalated = homthu.NoticeTo{Role: homthu.RoleFront, Unit: r.parent}, n.Key+":front", true
				}
				reached, err = a.Notify(ctx, tx, n)
				return err
			})
			if err != nil {
				return out, fmt.Errorf("app.RemindOpenings %s: %w", r.unit, err)
			}
			if reached == 0 {
				continue // sent before (or nobody to tell)
			}
			if r.deadline == 0 {
				out.Missed++
			} else {
				out.Due++
			}
			if escalated {
				out.Escalated++
			}
		}
	}
	return out, nil
}

// remindNotice is the reminder of an area's box for month: due on the
// DayNum deadline, or missed (deadline 0).
func remindNotice(code, name string, month homthu.Month, deadline int) homthu.NewNotice {
	if name == "" {
		name = code
	}
	n := homthu.NewNotice{To: homthu.NoticeTo{Role: homthu.RoleCommittee, Unit: code}, Mail: true,
		Link: "/can-bo/hom-thu?don-vi=" + code}
	if deadline == 0 {
		n.Key = "opening-missed:" + code + ":" + month.String()
		n.Subject = "Hòm thư góp ý của " + name + " chưa được mở tháng " + month.Label()
		n.Text = fmt.Sprintf("Hòm thư góp ý của %s chưa được mở trong tháng %s. Theo Quy định 124-QĐ/TW, hòm thư phải được mở mỗi tháng một lần, "+
			"có người chứng kiến; xin tổ chức mở hòm thư sớm và ghi biên bản trên hệ thống (nếu đã mở trên giấy, xin ghi lại biên bản đó).", name, month.Label())
		return n
	}
	day := fmt.Sprintf("%02d/%02d/%04d", deadline%100, deadline/100%100, deadline/10000)
	n.Key = "opening-due:" + code + ":" + month.String()
	n.Subject = "Hòm thư góp ý của " + name + " đến hạn mở ngày " + day
	n.Text = fmt.Sprintf("Hòm thư góp ý của %s đến hạn mở tháng %s, chậm nhất ngày %s. Xin tổ chức mở hòm thư với ít nhất hai người chứng kiến, "+
		"đăng ký từng thư và niêm phong biên bản trên hệ thống.", name, month.Label(), day)
	return n
}
