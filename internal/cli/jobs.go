package cli

import (
	"context"
	"log/slog"
	"time"

	"homthu/internal/app"
	"homthu/internal/jobs"
	"homthu/internal/mail"
	"homthu/internal/report"
)

// newRunner builds serve's job runner with the handler of every kind of
// background job registered (docs/jobs-and-mail.md lists them).
func newRunner(ctx context.Context, a *app.App, log *slog.Logger) *jobs.Runner {
	r := jobs.New(a.Store, jobs.Options{Log: log})
	r.Periodic(jobs.PurgeKind, jobs.Daily(3, 0), jobs.Purge(a.Store, time.Now))
	r.SetLabel(jobs.PurgeKind, "Dọn các tác vụ đã xong từ lâu")
	r.Periodic(app.RemindKind, jobs.Daily(7, 0), func(ctx context.Context, j *jobs.Job) error {
		n, err := a.RemindOpenings(ctx, time.Now())
		if err == nil && n != (app.Reminded{}) {
			log.Info("openings: reminders sent", "due", n.Due, "missed", n.Missed, "escalated", n.Escalated)
		}
		return err
	})
	r.SetLabel(app.RemindKind, "Nhắc mở hòm thư góp ý (trước ngày mở và khi bỏ lỡ một tháng)")
	r.Periodic(app.DeadlineKind, jobs.Daily(7, 0), func(ctx context.Context, j *jobs.Job) error {
		n, err := a.RemindDeadlines(ctx, time.Now())
		if err == nil && n != (app.DeadlineReminders{}) {
			log.Info("referrals: deadline reminders sent", "soon", n.Soon, "overdue", n.Overdue)
		}
		return err
	})
	r.SetLabel(app.DeadlineKind, "Nhắc hạn trả lời văn bản chuyển (trước hạn và khi quá hạn)")
	r.Handle(app.DigestExportKind, report.Handler(a))
	r.SetLabel(app.DigestExportKind, "Lập báo cáo tổng hợp ý kiến, kiến nghị")
	if a.Mail != nil {
		a.Mail.Register(r)
		warnMailWaiting(ctx, a, log)
	}
	a.Jobs = r
	return r
}

// warnMailWaiting logs a warning at start when mail waits and this process
// will not send it (no SMTP server configured).
func warnMailWaiting(ctx context.Context, a *app.App, log *slog.Logger) {
	if a.Mail.Configured() {
		return
	}
	st, err := a.Store.JobStats(ctx, mail.KindPrefix)
	if err != nil {
		log.Error("mail: read the queue", "err", err)
		return
	}
	n := 0
	for _, k := range st {
		n += k.Waiting
	}
	if n > 0 {
		log.Warn("mail: chưa cấu hình máy chủ thư (HOMTHU_SMTP_HOST); thư chờ trong hàng đợi, chưa gửi", "waiting", n)
	}
}
