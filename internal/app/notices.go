package app

import (
	"context"
	"strconv"
	"strings"

	"homthu/internal/homthu"
	"homthu/internal/mail"
	"homthu/internal/store"
	"homthu/internal/vntext"
)

// Notify delivers an in-app notice in tx — to one account, or to every
// account of a role at a unit — and, when n.Mail, queues it by mail to
// each recipient who set an address (internal/mail: sealed, retried).
// It returns how many accounts it reached; 0 is not an error, so that the
// caller can escalate (a commune without Front staff). Reminders and
// deadline sweeps call it from their jobs; the text must not name a
// submitter.
func (a *App) Notify(ctx context.Context, tx *store.Tx, n homthu.NewNotice) (int, error) {
	n.Text, n.Subject = vntext.NFC(n.Text), vntext.NFC(n.Subject)
	if err := n.Validate(); err != nil {
		return 0, err
	}
	rs, err := store.Notify(ctx, tx, &n)
	if err != nil || !n.Mail {
		return len(rs), err
	}
	for _, r := range rs {
		if r.Email == "" {
			continue
		}
		m := mail.StaffMail{To: r.Email, Subject: n.Subject, Text: n.Text, Link: n.Link}
		if n.Key != "" {
			m.Key = "notice:" + n.Key + ":" + strconv.FormatInt(r.User, 10)
		}
		if err := mail.EnqueueStaff(ctx, tx, a.Keys, m); err != nil {
			return 0, err
		}
	}
	return len(rs), nil
}

// Notices returns a page of the session's own notices (see
// store.ListNotices) and the count of unread ones.
func (a *App) Notices(ctx context.Context, s *homthu.Session, before int64, unread bool, limit int) (ns []*homthu.Notice, next int64, unreadCount int, err error) {
	if err := need(s, homthu.ActSession); err != nil {
		return nil, 0, 0, err
	}
	if ns, next, err = a.Store.ListNotices(ctx, s.User.ID, before, unread, limit); err != nil {
		return nil, 0, 0, err
	}
	unreadCount, err = a.Store.UnreadNotices(ctx, s.User.ID)
	return ns, next, unreadCount, err
}

// UnreadNotices counts the session's unread notices (at most
// store.MaxUnreadCount), for the staff menu.
func (a *App) UnreadNotices(ctx context.Context, s *homthu.Session) (int, error) {
	if err := need(s, homthu.ActSession); err != nil {
		return 0, err
	}
	return a.Store.UnreadNotices(ctx, s.User.ID)
}

// ReadNotice marks one of the session's notices read and returns it.
func (a *App) ReadNotice(ctx context.Context, s *homthu.Session, id int64) (*homthu.Notice, error) {
	if err := need(s, homthu.ActSession); err != nil {
		return nil, err
	}
	return a.Store.ReadNotice(ctx, s.User.ID, id)
}

// ReadAllNotices marks all of the session's notices read.
func (a *App) ReadAllNotices(ctx context.Context, s *homthu.Session) (int, error) {
	if err := need(s, homthu.ActSession); err != nil {
		return 0, err
	}
	return a.Store.ReadAllNotices(ctx, s.User.ID)
}

// SetNoticeEmail sets the address at which the session's account also gets
// its notices by mail; "" stops the mail.
func (a *App) SetNoticeEmail(ctx context.Context, s *homthu.Session, email string) error {
	if err := need(s, homthu.ActSession); err != nil {
		return err
	}
	email = strings.TrimSpace(email)
	if email != "" {
		var err error
		if email, err = mail.CheckAddress(email); err != nil {
			return err
		}
	}
	if err := a.Store.SetUserEmail(ctx, s.User.ID, email); err != nil {
		return err
	}
	s.User.Email = email
	return nil
}
