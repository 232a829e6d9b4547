package app

import (
	"context"
	"maps"
	"slices"

	"homthu/internal/homthu"
	"homthu/internal/mail"
	"homthu/internal/store"
)

// SystemStatus is what an administrator sees of the background machinery
// (page /can-bo/he-thong): the mail queue and the jobs. It holds counts,
// errors and times, never an address nor an item.
type SystemStatus struct {
	// MailConfigured: this process sends mail; MailServer names the server.
	MailConfigured bool
	MailServer     string
	// Mail has the queue's counts per kind of recipient (every kind, also
	// those with nothing queued yet).
	Mail []JobKindStatus
	// Jobs has the counts of every other kind.
	Jobs []JobKindStatus
	// Failed are the newest failed jobs; FailedNext the page after.
	Failed     []*store.JobInfo
	FailedNext int64
}

// JobKindStatus is one kind of job on the status page.
type JobKindStatus struct {
	store.JobKindStats
	Label string
	// Handled: this process runs the kind. Recurrence: when a periodic
	// kind runs ("" for others).
	Handled    bool
	Recurrence string
}

// SystemStatus reads the status page; failedBefore pages the failed jobs.
func (a *App) SystemStatus(ctx context.Context, s *homthu.Session, failedBefore int64) (*SystemStatus, error) {
	if err := need(s, homthu.ActSystemStatus); err != nil {
		return nil, err
	}
	st, err := a.Store.JobStats(ctx, "")
	if err != nil {
		return nil, err
	}
	out := &SystemStatus{}
	if a.Mail != nil {
		out.MailConfigured, out.MailServer = a.Mail.Configured(), a.Mail.Server()
	}
	// The mail queue's kinds always show; the other kinds are those with
	// jobs, then those this process runs that have none yet.
	byKind := map[string]store.JobKindStats{}
	for _, k := range st {
		byKind[k.Kind] = k
	}
	for _, kind := range []string{mail.KindSubmitter, mail.KindStaff} {
		k := byKind[kind]
		k.Kind = kind
		out.Mail = append(out.Mail, a.kindStatus(k))
		delete(byKind, kind)
	}
	if a.Jobs != nil {
		for _, kind := range a.Jobs.Kinds() {
			if _, ok := byKind[kind]; !ok && !slices.Contains([]string{mail.KindSubmitter, mail.KindStaff}, kind) {
				byKind[kind] = store.JobKindStats{Kind: kind}
			}
		}
	}
	for _, kind := range slices.Sorted(maps.Keys(byKind)) {
		out.Jobs = append(out.Jobs, a.kindStatus(byKind[kind]))
	}
	out.Failed, out.FailedNext, err = a.Store.ListJobs(ctx, store.JobFilter{State: store.JobFailed, Before: failedBefore, Limit: 20})
	return out, err
}

func (a *App) kindStatus(k store.JobKindStats) JobKindStatus {
	v := JobKindStatus{JobKindStats: k, Label: mail.Label(k.Kind)}
	if a.Jobs != nil {
		v.Label, v.Handled = a.Jobs.Label(k.Kind), a.Jobs.Handles(k.Kind)
		if rec := a.Jobs.Recurrence(k.Kind); rec != nil {
			v.Recurrence = rec.String()
		}
	}
	return v
}

// RetryMailNow makes every waiting mail due now (after the mail server was
// fixed) and returns how many.
func (a *App) RetryMailNow(ctx context.Context, s *homthu.Session) (int, error) {
	if err := need(s, homthu.ActSystemStatus); err != nil {
		return 0, err
	}
	return a.Store.RetryJobsNow(ctx, mail.KindPrefix)
}

// RetryJob runs a failed job again with fresh attempts.
func (a *App) RetryJob(ctx context.Context, s *homthu.Session, id int64) error {
	if err := need(s, homthu.ActSystemStatus); err != nil {
		return err
	}
	return a.Store.RetryFailedJob(ctx, id)
}

// KindLabel is the Vietnamese name of a kind of job.
func (a *App) KindLabel(kind string) string {
	if a.Jobs != nil {
		return a.Jobs.Label(kind)
	}
	return mail.Label(kind)
}
