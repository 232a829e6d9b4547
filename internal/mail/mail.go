// Package mail sends homthu's mail through a real SMTP server
// (github.com/wneessen/go-mail), from a durable queue on internal/jobs.
//
// Mail is enqueued in the transaction of the change it reports
// (EnqueueSubmitter, EnqueueStaff) and sent by a job; a failed attempt is
// retried with backoff for about three days, and every failure is logged
// and shown on the administrators' status page, so that a broken mail
// server is seen, not silent. Without SMTP configured, mail waits in the
// queue (and the status page says so) until it is.
//
// What mail may carry, by design (issue 9, DESIGN.md "what never happens"):
//
//   - Mail to a submitter says only that there is news about their
//     feedback, to be read on the site with their receipt: never the
//     receipt code, never a word of the item or its answer. Whoever reads
//     the mailbox learns nothing more than that its owner wrote to the
//     Front.
//   - Mail to staff carries the text of an in-app notice, which its author
//     writes for the recipient's role, and never a submitter's identity.
//   - The queue never holds an address in plain text: the address (and for
//     staff the text) is sealed under the identity key and bound to its
//     job (store.JobSecretAD), and erased from the database once the mail
//     is sent, cancelled or failed for good. Errors kept and logged have
//     every address replaced by "<địa chỉ>".
package mail

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"net/mail"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"homthu/internal/homthu"
	"homthu/internal/jobs"
	"homthu/internal/secret"
	"homthu/internal/store"
)

// Job kinds of the queue, one per kind of recipient (the status page counts
// them apart).
const (
	KindSubmitter = "mail.submitter"
	KindStaff     = "mail.staff"
	// KindEditorial is an editor's answer to a message sent to the
	// editorial board ("Gửi ban biên tập").
	KindEditorial = "mail.editorial"
	// KindPrefix selects every kind of the queue.
	KindPrefix = "mail."
)

// Retries: 14 attempts with jobs.Backoff (30 s doubling to 6 h) span about
// three days, long enough for a mail server's weekend outage.
const maxAttempts = 14

// newsDelay is how long a submitter's news mail waits for more news: a
// triage, a referral and a message in one sitting make one mail.
const newsDelay = 2 * time.Minute

// sealed is what a mail job's secret holds.
type sealed struct {
	To      string `json:"to"`
	Subject string `json:"subject,omitempty"`
	Text    string `json:"text,omitempty"`
	Link    string `json:"link,omitempty"`
}

// CheckAddress returns the address in canonical form (user@domain, without
// a display name), or EINVALID with a Vietnamese message.
func CheckAddress(addr string) (string, error) {
	addr = strings.TrimSpace(addr)
	a, err := mail.ParseAddress(addr)
	if err != nil || a.Name != "" || !strings.Contains(a.Address, "@") || strings.ContainsAny(a.Address, "\r\n<>") || len(a.Address) > 254 {
		return "", homthu.Errorf(homthu.EINVALID, "Địa chỉ thư điện tử %q không hợp lệ (ví dụ đúng: ten@example.vn).", addr)
	}
	return a.Address, nil
}

// EnqueueSubmitter queues, in tx, the news mail to the submitter of the item
// at addr: "there is news about your feedback; look it up with your
// receipt". Several calls for one item before the mail leaves make one
// mail. The item id is not stored with the job: its key is a keyed hash.
func EnqueueSubmitter(ctx context.Context, tx *store.Tx, keys *secret.Keys, itemID, addr string) error {
	to, err := CheckAddress(addr)
	if err != nil {
		return err
	}
	key := fmt.Sprintf("%x", keys.Hash("mail-news", itemID)[:16])
	b, _ := json.Marshal(sealed{To: to})
	_, err = jobs.Schedule(ctx, tx, KindSubmitter, struct{}{}, jobs.Opt{
		Key: key, At: time.Now().Add(newsDelay), MaxAttempts: maxAttempts,
		Secret: keys.Seal(b, store.JobSecretAD(KindSubmitter, key)),
	})
	return err
}

// StaffMail is a mail to a staff member.
type StaffMail struct {
	To string
	// Subject is the mail's subject, one line (at most 200 characters).
	Subject string
	// Text is the body (at most 4,000 characters): what the recipient's
	// role may read, never a submitter's identity.
	Text string
	// Link is a path of the site ("/can-bo/…"), written after the text as
	// a full address; empty for none.
	Link string
	// Key, when set, makes the mail once-only: a second mail with the same
	// key is not queued (a reminder planned twice is mailed once).
	Key string
}

// EnqueueStaff queues, in tx, a mail to a staff member.
func EnqueueStaff(ctx context.Context, tx *store.Tx, keys *secret.Keys, m StaffMail) error {
	to, err := CheckAddress(m.To)
	if err != nil {
		return err
	}
	m.Subject = strings.Join(strings.Fields(m.Subject), " ")
	if m.Subject == "" || utf8.RuneCountInString(m.Subject) > 200 || utf8.RuneCountInString(m.Text) > 4000 {
		return homthu.Errorf(homthu.EINVALID, "Thư gửi cán bộ cần tiêu đề (tối đa 200 ký tự) và nội dung tối đa 4.000 ký tự.")
	}
	if m.Link != "" && (!strings.HasPrefix(m.Link, "/") || strings.HasPrefix(m.Link, "//")) {
		return homthu.Errorf(homthu.EINVALID, "Liên kết trong thư phải là một đường dẫn của trang (bắt đầu bằng /).")
	}
	key := m.Key
	if key == "" {
		key = "m-" + rand.Text()
	} else {
		key = "k-" + key
	}
	b, _ := json.Marshal(sealed{To: to, Subject: m.Subject, Text: m.Text, Link: m.Link})
	_, _, err = jobs.Enqueue(ctx, tx, KindStaff, struct{}{}, jobs.Opt{
		Key: key, MaxAttempts: maxAttempts, Secret: keys.Seal(b, store.JobSecretAD(KindStaff, key)),
	})
	return err
}

// EditorialReply is an editor's answer to a message to the editorial board.
type EditorialReply struct {
	To string
	// Subject is the subject of the person's message; the mail's subject
	// is "Trả lời: " and it.
	Subject string
	// Text is the answer, then the person's message quoted (the caller
	// composes it; at most 12,000 characters).
	Text string
	// Key makes the mail once-only: an answer posted twice (a double click,
	// a re-sent form) is mailed once.
	Key string
}

// EnqueueEditorial queues, in tx, an editor's answer to the person who
// wrote to the editorial board. The address is sealed with the job, as
// every address of the queue.
func EnqueueEditorial(ctx context.Context, tx *store.Tx, keys *secret.Keys, m EditorialReply) error {
	to, err := CheckAddress(m.To)
	if err != nil {
		return err
	}
	subject := "Trả lời: " + strings.Join(strings.Fields(m.Subject), " ")
	if utf8.RuneCountInString(subject) > 220 || strings.TrimSpace(m.Text) == "" || utf8.RuneCountInString(m.Text) > 12000 {
		return homthu.Errorf(homthu.EINVALID, "Thư trả lời cần tiêu đề (tối đa 200 ký tự) và nội dung tối đa 12.000 ký tự.")
	}
	key := "e-" + m.Key
	if m.Key == "" {
		key = "e-" + rand.Text()
	}
	b, _ := json.Marshal(sealed{To: to, Subject: subject, Text: m.Text})
	_, _, err = jobs.Enqueue(ctx, tx, KindEditorial, struct{}{}, jobs.Opt{
		Key: key, MaxAttempts: maxAttempts, Secret: keys.Seal(b, store.JobSecretAD(KindEditorial, key)),
	})
	return err
}

// addressRE matches what looks like a mail address in an error text.
var addressRE = regexp.MustCompile(`<?[^\s<>"',;:()\[\]]+@[^\s<>"',;:()\[\]]+>?`)

// Redact replaces everything that looks like a mail address in s with
// "<địa chỉ>" (with the angle brackets around it, if any): SMTP errors
// name the recipient, and the errors are kept and logged.
func Redact(s string) string { return addressRE.ReplaceAllString(s, "<địa chỉ>") }
