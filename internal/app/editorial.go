package app

import (
	"context"
	"crypto/hmac"
	"encoding/base64"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"homthu/internal/homthu"
	"homthu/internal/mail"
	"homthu/internal/store"
	"homthu/internal/vntext"
)

// The editorial board's form resists spam without a third-party CAPTCHA
// (which would send the reader's address to a foreign service): a form
// token signed with the deployment's key says when the form was served,
// and a message posted sooner than EditorialMinFill after it, or with a
// token older than EditorialTokenLife, is refused; the form's hidden field
// (a honeypot, checked by the page) catches the bots that fill every
// field; and each client may send EditorialPerHour messages an hour and
// EditorialPerDay a day, counted under a keyed hash of its address that is
// never stored with the message.
const (
	EditorialMinFill   = 3 * time.Second
	EditorialTokenLife = 24 * time.Hour
	EditorialPerHour   = 5
	EditorialPerDay    = 20
)

const editorialTokenPurpose = "editorial: form token"

// EditorialToken returns the token of a form served now.
func (a *App) EditorialToken() string {
	at := strconv.FormatInt(a.now().UnixMilli(), 36)
	return at + "." + base64.RawURLEncoding.EncodeToString(a.Keys.Hash(editorialTokenPurpose, at)[:16])
}

// checkEditorialToken returns EINVALID, with what to do, unless tok was
// issued by EditorialToken between EditorialTokenLife and EditorialMinFill ago.
func (a *App) checkEditorialToken(tok string) error {
	at, mac, ok := strings.Cut(tok, ".")
	want := base64.RawURLEncoding.EncodeToString(a.Keys.Hash(editorialTokenPurpose, at)[:16])
	ms, err := strconv.ParseInt(at, 36, 64)
	if !ok || len(tok) > 100 || err != nil || !hmac.Equal([]byte(mac), []byte(want)) {
		return homthu.Errorf(homthu.EINVALID, "Biểu mẫu không còn hợp lệ (có thể trang đã mở quá lâu). Nội dung bạn viết vẫn còn dưới đây; xin bấm “Gửi” lại.")
	}
	age := a.now().Sub(time.UnixMilli(ms))
	switch {
	case age > EditorialTokenLife || age < -time.Minute:
		return homthu.Errorf(homthu.EINVALID, "Biểu mẫu đã mở quá %d giờ nên không còn hợp lệ. Nội dung bạn viết vẫn còn dưới đây; xin bấm “Gửi” lại.", int(EditorialTokenLife.Hours()))
	case age < EditorialMinFill:
		return homthu.Errorf(homthu.EINVALID, "Thư được gửi quá nhanh sau khi mở trang, nên hệ thống chưa nhận (để chặn thư rác tự động). Xin đọc lại thư rồi bấm “Gửi” lại.")
	}
	return nil
}

// SendEditorial receives a message to the editorial board, posted with the
// form's token, and returns its id.
func (a *App) SendEditorial(ctx context.Context, in homthu.EditorialInput, token string) (int64, error) {
	if err := a.checkEditorialToken(token); err != nil {
		return 0, err
	}
	in.Normalize(vntext.NFC)
	if err := in.Validate(); err != nil {
		return 0, err
	}
	client := clientOf(ctx)
	if err := a.limit(ctx, "editorial-hour", client, EditorialPerHour, time.Hour); err != nil {
		return 0, err
	}
	if err := a.limit(ctx, "editorial-day", client, EditorialPerDay, 24*time.Hour); err != nil {
		return 0, err
	}
	return a.Store.CreateEditorialMessage(ctx, &in, a.now())
}

// EditorialInbox returns a page of the editorial board's messages and the
// count in each state.
func (a *App) EditorialInbox(ctx context.Context, s *homthu.Session, f store.EditorialFilter) ([]*homthu.EditorialMessage, int64, map[homthu.EditorialStatus]int, error) {
	if err := need(s, homthu.ActEditorialInbox); err != nil {
		return nil, 0, nil, err
	}
	ms, next, err := a.Store.EditorialMessages(ctx, f)
	if err != nil {
		return nil, 0, nil, err
	}
	counts, err := a.Store.EditorialCounts(ctx)
	return ms, next, counts, err
}

// EditorialMessage returns one message to the editorial board.
func (a *App) EditorialMessage(ctx context.Context, s *homthu.Session, id int64) (*homthu.EditorialMessage, error) {
	if err := need(s, homthu.ActEditorialInbox); err != nil {
		return nil, err
	}
	return a.Store.FindEditorialMessage(ctx, id)
}

// ReplyEditorial answers a message by mail, through the durable queue, in
// the transaction that records the answer: the answer is recorded exactly
// when its mail is queued. key (the reply form's) makes a re-sent form one
// mail. A message left with a telephone number only cannot be answered
// here: the editor calls and marks it done.
func (a *App) ReplyEditorial(ctx context.Context, s *homthu.Session, id int64, reply, key string) error {
	if err := need(s, homthu.ActEditorialInbox); err != nil {
		return err
	}
	m, err := a.Store.FindEditorialMessage(ctx, id)
	if err != nil {
		return err
	}
	reply = strings.TrimSpace(vntext.NFC(reply))
	if reply == "" || utf8.RuneCountInString(reply) > homthu.MaxEditorialReplyRunes {
		return homthu.Errorf(homthu.EINVALID, "Thư trả lời: xin viết nội dung, tối đa %d ký tự.", homthu.MaxEditorialReplyRunes)
	}
	to, err := mail.CheckAddress(m.Contact)
	if err != nil {
		return homthu.Errorf(homthu.EINVALID, "Người gửi chỉ để lại số điện thoại (%s), không có địa chỉ thư điện tử: xin gọi điện trả lời rồi đánh dấu “Đã xong”.", m.Contact)
	}
	if len(key) > 100 {
		key = ""
	}
	text := "Kính gửi " + m.Name + ",\n\n" + reply + "\n\n" + quote(m)
	now := a.now()
	return a.Store.Transact(ctx, func(tx *store.Tx) error {
		if err := store.ReplyEditorial(ctx, tx, id, reply, s.User.Username, now); err != nil {
			return err
		}
		mk := ""
		if key != "" {
			mk = strconv.FormatInt(id, 10) + ":" + key
		}
		return mail.EnqueueEditorial(ctx, tx, a.Keys, mail.EditorialReply{To: to, Subject: m.Subject, Text: text, Key: mk})
	})
}

// quote is the person's message under an answer, each line after "> ".
func quote(m *homthu.EditorialMessage) string {
	var b strings.Builder
	b.WriteString("Thư của bạn gửi ngày " + m.Received.In(homthu.VNTime).Format("02/01/2006") + ", tiêu đề “" + m.Subject + "”:\n")
	for _, l := range strings.Split(m.Text, "\n") {
		b.WriteString("> " + l + "\n")
	}
	return strings.TrimRight(b.String(), "\n")
}

// SetEditorialDone marks a message done, or open again.
func (a *App) SetEditorialDone(ctx context.Context, s *homthu.Session, id int64, done bool) error {
	if err := need(s, homthu.ActEditorialInbox); err != nil {
		return err
	}
	return a.Store.SetEditorialDone(ctx, id, done, s.User.Username, a.now())
}
