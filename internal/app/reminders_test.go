package app

import (
	"context"
	"strings"
	"testing"
	"time"

	"homthu/internal/homthu"
	"homthu/internal/mail"
	"homthu/internal/store"
)

// TestRemindOpenings: three days before a box's scheduled day its area's
// committee is reminded, and once a month is over without an opening;
// an area without a committee account is reminded through its commune's
// Front staff; an area that opened this month is not reminded; a second
// run sends nothing; the committee with an address also gets a mail.
func TestRemindOpenings(t *testing.T) {
	now := time.Date(2026, 11, 7, 7, 0, 0, 0, homthu.VNTime)
	e := newOpeningsEnv(t, now)
	ctx := context.Background()
	a, ss := e.a, e.sessions
	for _, in := range []homthu.MailboxInput{
		{Unit: "14329-001", Place: "Nhà văn hóa tổ dân phố Hòa Bình", InstalledOn: "2024-03-15", Day: 10},
		{Unit: "14330-001", Place: "Nhà văn hóa thôn Đông", InstalledOn: "2024-01-01", Day: 10},
	} {
		if _, err := a.CreateMailbox(ctx, ss["quantri"], in); err != nil {
			t.Fatal(err)
		}
	}
	if err := a.Store.SetUserEmail(ctx, userID(t, a, "bct.hoabinh"), "bct@example.vn"); err != nil {
		t.Fatal(err)
	}
	// Thôn Đông's committee account is disabled: nobody there reads notices.
	if err := a.Store.SetDisabled(ctx, userID(t, a, "bct.thondong"), true); err != nil {
		t.Fatal(err)
	}
	notices := func(user string) []string {
		ns, _, err := a.Store.ListNotices(ctx, userID(t, a, user), 0, false, 100)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, n := range ns {
			out = append(out, n.Text)
		}
		return out
	}
	got, err := a.RemindOpenings(ctx, now)
	if err != nil {
		t.Fatal(err)
	}
	if want := (Reminded{Due: 2, Missed: 2, Escalated: 2}); got != want {
		t.Errorf("RemindOpenings = %+v, want %+v", got, want)
	}
	if ns := notices("bct.hoabinh"); len(ns) != 2 || !anyContains(ns, "đến hạn mở tháng 11/2026, chậm nhất ngày 10/11/2026") || !anyContains(ns, "chưa được mở trong tháng 10/2026") {
		t.Errorf("committee's notices = %q", ns)
	}
	if ns := notices("mttq.giavien"); len(ns) != 2 || !anyContains(ns, "Thôn Đông") {
		t.Errorf("Gia Viễn staff's notices (no committee at Thôn Đông) = %q", ns)
	}
	if ns := notices("mttq.hoalu"); len(ns) != 0 {
		t.Errorf("Hoa Lư staff got %q; its area has a committee", ns)
	}
	st, err := a.Store.JobStats(ctx, mail.KindPrefix)
	if err != nil {
		t.Fatal(err)
	}
	mails := 0
	for _, k := range st {
		mails += k.Waiting
	}
	if mails != 2 {
		t.Errorf("%d mails queued, want 2 (the committee's address)", mails)
	}

	// Again the same day, and two days later after Hòa Bình opened its box:
	// nothing new.
	if got, err := a.RemindOpenings(ctx, now); err != nil || got != (Reminded{}) || len(notices("bct.hoabinh")) != 2 || len(notices("mttq.giavien")) != 2 {
		t.Errorf("second run = %+v, %v; notices %q %q", got, err, notices("bct.hoabinh"), notices("mttq.giavien"))
	}
	boxes, _, err := a.Mailboxes(ctx, ss["mttq.hoalu"], store.MailboxFilter{})
	if err != nil || len(boxes) != 1 {
		t.Fatalf("Mailboxes = %v, %v", boxes, err)
	}
	id, err := a.StartOpening(ctx, ss["bct.hoabinh"], homthu.OpeningInput{Mailbox: boxes[0].ID, OpenedAt: now.Add(-time.Hour), Seal: homthu.SealIntact, Participants: witnesses}, "")
	if err != nil {
		t.Fatal(err)
	}
	if err := a.SealOpening(ctx, ss["bct.hoabinh"], id, 0); err != nil {
		t.Fatal(err)
	}
	// December: Hòa Bình opened in November, Thôn Đông did not.
	dec := time.Date(2026, 12, 7, 7, 0, 0, 0, homthu.VNTime)
	a.Now = func() time.Time { return dec }
	if got, err := a.RemindOpenings(ctx, dec); err != nil || got != (Reminded{Due: 2, Missed: 1, Escalated: 2}) {
		t.Errorf("RemindOpenings in December = %+v, %v; want both due, Thôn Đông missed November", got, err)
	}
	if ns := notices("bct.hoabinh"); len(ns) != 3 || anyContains(ns, "tháng 11/2026. Theo") {
		t.Errorf("committee's notices in December = %q", ns)
	}
}

func userID(t *testing.T, a *App, username string) int64 {
	t.Helper()
	l, err := a.Store.FindLogin(context.Background(), username)
	if err != nil {
		t.Fatal(err)
	}
	return l.User.ID
}

func anyContains(list []string, sub string) bool {
	for _, s := range list {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}
