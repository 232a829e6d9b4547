package cli

import (
	"log/slog"
	"time"

	"homthu/internal/app"
	"homthu/internal/jobs"
)

// newRunner builds serve's job runner with the handler of every kind of
// background job registered (docs/jobs-and-mail.md lists them).
func newRunner(a *app.App, log *slog.Logger) *jobs.Runner {
	r := jobs.New(a.Store, jobs.Options{Log: log})
	r.Periodic(jobs.PurgeKind, jobs.Daily(3, 0), jobs.Purge(a.Store, time.Now))
	return r
}
