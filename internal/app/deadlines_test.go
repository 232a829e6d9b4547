package app

import (
	"strings"
	"testing"
	"time"

	"homthu/internal/homthu"
	"homthu/internal/mail"
	"homthu/internal/store/storetest"
)

// TestRemindDeadlines runs the daily reminder of referral deadlines on a
// fixed clock: a referral whose deadline counts working days is reminded
// three working days before it (not three calendar days), once however
// often the job runs and after a restart, and again once overdue; a
// referral on calendar days is not reminded early; an answered referral
// never. The agency's handlers and the Front staff of the unit are told in
// the app and by mail, without a word of the submitter.
func TestRemindDeadlines(t *testing.T) {
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			f := newFixture(t, engine)
			dang := f.agencies["Đảng ủy phường Hoa Lư"]
			ok(t, "SetNoticeEmail", f.app.SetNoticeEmail(f.ctx, f.s("dangu"), "dangu@example.vn"))
			subject := homthu.Subject{Name: "Lê Văn Tư", Position: "Trưởng thôn Đông", PartyMember: homthu.Yes, ManagedBy: homthu.ManagedCommune}
			refer := func(content, deadline string) *homthu.Referral {
				t.Helper()
				_, id := f.submit(content, false, subject)
				it := f.item("xa", id)
				it, err := f.app.Triage(f.ctx, f.s("xa"), id, it.Version, homthu.Triage{Kind: homthu.KindReport, Priority: homthu.PriorityNormal, Subject: subject})
				ok(t, "Triage", err)
				r, err := f.app.Refer(f.ctx, f.s("xa"), id, it.Version, ReferRequest{Agency: dang.ID, Deadline: deadline})
				ok(t, "Refer", err)
				return r
			}
			// Monday 2 March 2026: 10 working days → Monday 16 March; 30 days → 1 April.
			working := refer("Trưởng thôn Đông uống rượu trong giờ làm việc.", "10w")
			calendar := refer("Trưởng thôn Đông không công khai các khoản thu.", "30")
			answered := refer("Trưởng thôn Đông vắng họp nhiều lần.", "10w")
			ok(t, "AnswerReferral", f.app.AnswerReferral(f.ctx, f.s("dangu"), f.referralOf(answered.Item), homthu.Answer{Outcome: homthu.OutcomeFounded, Text: "Đã kiểm điểm."}))
			if working.DueOn != "2026-03-16" || calendar.DueOn != "2026-04-01" {
				t.Fatalf("deadlines %s and %s, want 2026-03-16 and 2026-04-01", working.DueOn, calendar.DueOn)
			}
			day := func(d string) time.Time {
				t.Helper()
				tm, err := time.ParseInLocation(time.DateOnly, d, homthu.VNTime)
				if err != nil {
					t.Fatal(err)
				}
				return tm.Add(7 * time.Hour)
			}
			for _, tt := range []struct {
				day  string
				want DeadlineReminders
			}{
				{"2026-03-10", DeadlineReminders{}},        // Tuesday: 3 working days on is Friday the 13th, before the 16th
				{"2026-03-11", DeadlineReminders{Soon: 1}}, // Wednesday: 3 working days on is the 16th (3 calendar days would be the 13th)
				{"2026-03-11", DeadlineReminders{}},        // the same day again: delivered once
				{"2026-03-13", DeadlineReminders{}},        // still the same deadline
				{"2026-03-16", DeadlineReminders{}},        // the last day is not overdue
				{"2026-03-17", DeadlineReminders{Overdue: 1}},
				{"2026-03-18", DeadlineReminders{}},
				{"2026-03-29", DeadlineReminders{Soon: 1}}, // Sunday: 3 calendar days before 1 April
			} {
				got, err := f.app.RemindDeadlines(f.ctx, day(tt.day))
				ok(t, "RemindDeadlines("+tt.day+")", err)
				if got != tt.want {
					t.Errorf("RemindDeadlines(%s) = %+v, want %+v", tt.day, got, tt.want)
				}
			}
			// A restart (a new App on the same database) delivers nothing again.
			again := &App{Store: f.app.Store, Keys: f.app.Keys}
			if got, err := again.RemindDeadlines(f.ctx, day("2026-03-17")); err != nil || got != (DeadlineReminders{}) {
				t.Errorf("RemindDeadlines after a restart = %+v, %v, want nothing", got, err)
			}

			for _, who := range []string{"dangu", "xa", "xa2"} {
				ns, _, err := f.app.Store.ListNotices(f.ctx, f.s(who).User.ID, 0, false, 20)
				ok(t, "ListNotices", err)
				var texts []string
				for _, n := range ns {
					texts = append(texts, n.Text)
				}
				all := strings.Join(texts, "\n")
				// The Front also has the notice of the answer (AnswerReferral).
				want := 4
				if who == "dangu" {
					want = 3
				}
				if len(ns) != want || !strings.Contains(all, working.Number) || !strings.Contains(all, "còn 3 ngày làm việc") || !strings.Contains(all, "quá 1 ngày") {
					t.Errorf("notices of %s: %d\n%s", who, len(ns), all)
				}
				if strings.Contains(all, "Trần Thị B") || strings.Contains(all, "b@example.vn") || strings.Contains(all, "uống rượu") {
					t.Errorf("a reminder to %s tells of the submitter or the item:\n%s", who, all)
				}
				if who == "dangu" && !strings.Contains(ns[0].Link, "/can-bo/co-quan/chuyen/") {
					t.Errorf("the handler's reminder leads to %q", ns[0].Link)
				}
			}
			// A commune without Front staff: the province's staff are reminded.
			_, gv := f.submitAt("14330-001", "Trưởng thôn Đông xã Gia Viễn chiếm dụng đất công.")
			it := f.item("tinh", gv)
			it, err := f.app.Triage(f.ctx, f.s("tinh"), gv, it.Version, homthu.Triage{Kind: homthu.KindReport, Priority: homthu.PriorityNormal})
			ok(t, "Triage", err)
			up, err := f.app.Refer(f.ctx, f.s("tinh"), gv, it.Version, ReferRequest{Agency: f.agencies["Ban Thường vụ Tỉnh ủy Ninh Bình"].ID, SentOn: "2026-03-02", Deadline: "30"})
			ok(t, "Refer", err)
			if got, err := f.app.RemindDeadlines(f.ctx, day("2026-05-01")); err != nil || got.Overdue != 2 {
				t.Errorf("RemindDeadlines(2026-05-01) = %+v, %v, want 2 overdue", got, err)
			}
			ns, _, err := f.app.Store.ListNotices(f.ctx, f.s("tinh").User.ID, 0, false, 20)
			ok(t, "ListNotices", err)
			if len(ns) != 1 || !strings.Contains(ns[0].Text, up.Number) || !strings.Contains(ns[0].Text, "quá hạn") {
				t.Errorf("the province's notices: %+v", ns)
			}

			// Another agency's handler hears nothing.
			if ns, _, err := f.app.Store.ListNotices(f.ctx, f.s("ubkt").User.ID, 0, false, 20); err != nil || len(ns) != 0 {
				t.Errorf("notices of another agency's handler: %d, %v", len(ns), err)
			}
			st, err := f.app.Store.JobStats(f.ctx, mail.KindStaff)
			ok(t, "JobStats", err)
			if len(st) != 1 || st[0].Waiting != 4 {
				t.Errorf("staff mail waiting: %+v, want 4 (the handler's four reminders)", st)
			}
		})
	}
}

// submitAt sends an anonymous letter about area and returns its receipt and id.
func (f *fixture) submitAt(area, content string) (string, string) {
	f.t.Helper()
	r, err := f.app.Submit(f.ctx, homthu.Submission{Area: area, Content: content, Anonymous: true}, "")
	if err != nil {
		f.t.Fatalf("Submit: %v", err)
	}
	return r.Code, r.ItemID
}
