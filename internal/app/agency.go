package app

import (
	"context"
	"strconv"
	"strings"

	"homthu/internal/homthu"
	"homthu/internal/secret"
	"homthu/internal/store"
	"homthu/internal/vntext"
)

// Agencies and their handlers. An administrator keeps the agencies (with
// their heads, whom the conflict-of-interest check compares) and their
// handler accounts; a handler sees only the referrals to their own agency,
// and of those items only what the agency needs: never the submitter's
// identity nor the thread with the Front, and the attachments only when
// the Front sent them along.

// Agencies lists the agencies at the session's unit and below.
func (a *App) Agencies(ctx context.Context, s *homthu.Session) ([]*homthu.Agency, error) {
	if err := need(s, homthu.ActManageAgencies); err != nil {
		return nil, err
	}
	return a.Store.ListAgencies(ctx, store.AgencyFilter{Under: s.User.Unit})
}

// CreateAgency adds an agency at a unit in the administrator's scope.
func (a *App) CreateAgency(ctx context.Context, s *homthu.Session, ag *homthu.Agency) error {
	if err := need(s, homthu.ActManageAgencies); err != nil {
		return err
	}
	ag.Normalize(vntext.NFC)
	if err := ag.Validate(); err != nil {
		return err
	}
	if _, _, err := a.inScope(ctx, s, ag.Unit); err != nil {
		return err
	}
	return a.Store.CreateAgency(ctx, ag)
}

// UpdateAgency changes an agency in the administrator's scope.
func (a *App) UpdateAgency(ctx context.Context, s *homthu.Session, ag *homthu.Agency) error {
	if err := need(s, homthu.ActManageAgencies); err != nil {
		return err
	}
	old, err := a.Store.FindAgency(ctx, ag.ID)
	if err != nil {
		return err
	}
	if _, _, err := a.inScope(ctx, s, old.Unit); err != nil {
		return homthu.Errorf(homthu.ENOTFOUND, "Không có cơ quan này.")
	}
	ag.Unit, ag.Kind = old.Unit, old.Kind
	return a.Store.UpdateAgency(ctx, ag)
}

// CreateHandler adds a handler account to an agency in the administrator's
// scope and returns its generated password (shown once).
func (a *App) CreateHandler(ctx context.Context, s *homthu.Session, agency int64, username, fullName, position string) (*homthu.User, string, error) {
	if err := need(s, homthu.ActManageAgencies); err != nil {
		return nil, "", err
	}
	ag, err := a.Store.FindAgency(ctx, agency)
	if err != nil {
		return nil, "", err
	}
	if _, _, err := a.inScope(ctx, s, ag.Unit); err != nil {
		return nil, "", homthu.Errorf(homthu.ENOTFOUND, "Không có cơ quan này.")
	}
	if strings.TrimSpace(fullName) == "" {
		return nil, "", homthu.Errorf(homthu.EINVALID, "Xin ghi họ tên cán bộ: hệ thống đối chiếu họ tên để thư, đơn không bao giờ đến tay chính người bị phản ánh.")
	}
	pw := secret.GeneratePassword()
	u := &homthu.User{Username: username, Role: homthu.RoleAgency, Unit: ag.Unit, Agency: ag.ID, FullName: fullName, Position: position}
	if err := a.Store.CreateUser(ctx, u, secret.HashPassword(pw)); err != nil {
		return nil, "", err
	}
	return u, pw, nil
}

// AgencyInbox lists the referrals to the handler's agency.
func (a *App) AgencyInbox(ctx context.Context, s *homthu.Session, f store.AgencyInboxFilter) ([]*store.AgencyItem, string, error) {
	if err := need(s, homthu.ActHandleReferral); err != nil {
		return nil, "", err
	}
	if s.User.Agency == 0 {
		return nil, "", homthu.Errorf(homthu.EFORBIDDEN, "Tài khoản này chưa được gắn với cơ quan nào.")
	}
	f.Agency, f.Today = s.User.Agency, homthu.Today(a.now())
	items, next, err := a.Store.AgencyInbox(ctx, f)
	if err != nil {
		return nil, "", err
	}
	// A handler who may be the person an item concerns never sees it.
	out := items[:0]
	for _, it := range items {
		if hidden, err := a.Store.Excluded(ctx, it.Referral.Item, s.User.ID); err != nil {
			return nil, "", err
		} else if !hidden {
			out = append(out, it)
		}
	}
	return out, next, nil
}

// AgencyCase is what an agency handler sees of a referral: the referral
// and covering letter, and of the item its content, kind, categories, the
// person concerned and the attachments if the Front sent them along.
type AgencyCase struct {
	Referral *store.ReferralRow
	Item     *homthu.Item
	// Files says the attachments are sent along (Item.Attachments is
	// empty otherwise).
	Files bool
}

// AgencyReferral opens a referral of the handler's agency (audited as a
// look at the item).
func (a *App) AgencyReferral(ctx context.Context, s *homthu.Session, id int64) (*AgencyCase, error) {
	r, it, err := a.agencyAccess(ctx, s, id)
	if err != nil {
		return nil, err
	}
	if err := a.Store.Audit(ctx, &homthu.AuditRecord{At: a.now(), Actor: s.User.ID, ActorName: s.User.Username, Unit: s.User.Unit,
		Action: homthu.AuditItemOpen, Item: it.ID, Reason: "văn bản chuyển số " + r.Number}); err != nil {
		return nil, err
	}
	c := &AgencyCase{Referral: r, Item: it, Files: r.Files}
	if !r.Files {
		it.Attachments = nil
	}
	// What the agency sees: no notes of the Front, no assignee.
	it.Notes, it.Assignee, it.AssigneeName = "", 0, ""
	return c, nil
}

// agencyAccess checks that a handler may act on a referral: their agency's,
// not recalled, and its subject not possibly them (a match found now is
// recorded, and the referral is then not found).
func (a *App) agencyAccess(ctx context.Context, s *homthu.Session, id int64) (*store.ReferralRow, *homthu.Item, error) {
	if err := need(s, homthu.ActHandleReferral); err != nil {
		return nil, nil, err
	}
	notFound := homthu.Errorf(homthu.ENOTFOUND, "Không tìm thấy văn bản chuyển này.")
	r, err := a.Store.FindReferral(ctx, id)
	if homthu.ErrorCode(err) == homthu.ENOTFOUND || err == nil && (r.Agency != s.User.Agency || s.User.Agency == 0 || r.State == homthu.ReferralRecalled) {
		return nil, nil, notFound
	} else if err != nil {
		return nil, nil, err
	}
	it, err := a.Store.FindItemUnscoped(ctx, r.Item)
	if err != nil {
		return nil, nil, err
	}
	me := homthu.Person{User: s.User.ID, Name: s.User.FullName, Position: s.User.Position, Unit: r.AgencyUnit, Workplace: r.AgencyName, Agency: r.Agency}
	if err := a.flagConflicts(ctx, it, []homthu.Person{me}); err != nil {
		return nil, nil, err
	}
	if hidden, err := a.Store.Excluded(ctx, it.ID, s.User.ID); err != nil {
		return nil, nil, err
	} else if hidden {
		return nil, nil, notFound
	}
	return r, it, nil
}

// Acknowledge records that the agency received a referral.
func (a *App) Acknowledge(ctx context.Context, s *homthu.Session, id int64) error {
	r, it, err := a.agencyAccess(ctx, s, id)
	if err != nil {
		return err
	}
	_, err = a.change(ctx, staffActor(s), "", it.ID, AnyVersion, homthu.EvAcknowledge, func(tx *store.Tx, it *homthu.Item, h *homthu.HistoryEntry) error {
		cur, err := a.current(ctx, tx, it.ID, r.ID)
		if err != nil {
			return err
		}
		if cur.State != homthu.ReferralSent {
			return homthu.Errorf(homthu.ECONFLICT, "Văn bản chuyển này đã được xác nhận (%s).", cur.State.Label())
		}
		cur.State, cur.AcknowledgedAt = homthu.ReferralAcknowledged, h.At
		h.Changes = homthu.Diff(nil, "Văn bản chuyển số "+cur.Number, homthu.ReferralSent.Label(), cur.State.Label())
		h.Public, h.PublicNote = true, cur.AgencyName+" đã nhận thư, đơn và đang xem xét, giải quyết."
		return store.UpdateReferral(ctx, tx, cur, s.User.ID, 0)
	})
	return err
}

// current is the referral r of item, which must be the one waiting.
func (a *App) current(ctx context.Context, tx *store.Tx, item string, r int64) (*homthu.Referral, error) {
	cur, err := activeReferral(ctx, tx, item)
	if err != nil {
		return nil, err
	}
	if cur.ID != r {
		return nil, homthu.Errorf(homthu.ECONFLICT, "Văn bản chuyển này không còn chờ trả lời.")
	}
	return cur, nil
}

// RequestExtension asks the Front for more time on a referral, with the reason.
func (a *App) RequestExtension(ctx context.Context, s *homthu.Session, id int64, days int, reason string) error {
	r, it, err := a.agencyAccess(ctx, s, id)
	if err != nil {
		return err
	}
	if days < 1 || days > homthu.MaxExtensionDays {
		return homthu.Errorf(homthu.EINVALID, "Số ngày xin gia hạn phải từ 1 đến %d.", homthu.MaxExtensionDays)
	}
	if reason, err = checkReason("Lý do xin gia hạn", reason); err != nil {
		return err
	}
	_, err = a.change(ctx, staffActor(s), "", it.ID, AnyVersion, homthu.EvRequestExtension, func(tx *store.Tx, it *homthu.Item, h *homthu.HistoryEntry) error {
		cur, err := a.current(ctx, tx, it.ID, r.ID)
		if err != nil {
			return err
		}
		if e, err := store.PendingExtensionTx(ctx, tx, cur.ID); err != nil {
			return err
		} else if e != nil {
			return homthu.Errorf(homthu.ECONFLICT, "Đã có một đề nghị gia hạn đang chờ Mặt trận quyết định.")
		}
		e := &homthu.Extension{Days: days, Reason: reason, State: homthu.ExtensionRequested, RequestedAt: h.At}
		h.Changes = homthu.Diff(nil, "Đề nghị gia hạn", "", strconv.Itoa(days)+" ngày")
		h.Note = reason
		if err := store.InsertExtension(ctx, tx, cur.ID, e, s.User.ID); err != nil {
			return err
		}
		return a.tellFront(ctx, tx, it, "extension:"+strconv.FormatInt(e.ID, 10), "Đề nghị gia hạn văn bản chuyển số "+cur.Number,
			cur.AgencyName+" đề nghị gia hạn "+strconv.Itoa(days)+" ngày văn bản chuyển số "+cur.Number+" (hạn hiện tại ngày "+vnDay(cur.DueOn)+"). Lý do: "+reason+" Xin xem xét, quyết định đồng ý hay không.")
	})
	return err
}

// AnswerReferral records the agency's outcome: its category, the measures
// taken, and the written answer as text and/or a file (already sanitised
// and stored). The case goes back to the Front, which tells the submitter.
func (a *App) AnswerReferral(ctx context.Context, s *homthu.Session, id int64, ans homthu.Answer) error {
	r, it, err := a.agencyAccess(ctx, s, id)
	if err != nil {
		return err
	}
	ans.Measures = strings.TrimSpace(vntext.NFC(ans.Measures))
	ans.Text = strings.TrimSpace(vntext.NFC(ans.Text))
	if err := ans.Validate(); err != nil {
		return err
	}
	_, err = a.change(ctx, staffActor(s), "", it.ID, AnyVersion, homthu.EvAnswer, func(tx *store.Tx, it *homthu.Item, h *homthu.HistoryEntry) error {
		cur, err := a.current(ctx, tx, it.ID, r.ID)
		if err != nil {
			return err
		}
		cur.State, cur.Outcome, cur.Measures, cur.Answer, cur.AnswerFile, cur.AnsweredAt = homthu.ReferralAnswered, ans.Outcome, ans.Measures, ans.Text, ans.File, h.At
		if cur.AcknowledgedAt.IsZero() {
			cur.AcknowledgedAt = h.At
		}
		h.Changes = homthu.Diff(nil, "Kết quả xử lý", "", ans.Outcome.Label())
		h.Public, h.PublicNote = true, cur.AgencyName+" đã có văn bản trả lời; Mặt trận sẽ thông báo kết quả cho bạn."
		it.DueOn = a.due(informDays)
		if err := store.UpdateReferral(ctx, tx, cur, s.User.ID, s.User.ID); err != nil {
			return err
		}
		return a.tellFront(ctx, tx, it, "answer:"+strconv.FormatInt(cur.ID, 10), "Đã có văn bản trả lời số "+cur.Number,
			cur.AgencyName+" đã trả lời văn bản chuyển số "+cur.Number+" (kết quả: "+ans.Outcome.Label()+"). Xin thông báo kết quả cho người phản ánh trong "+strconv.Itoa(informDays)+" ngày.")
	})
	return err
}

// AgencyAttachment opens an attachment of a referred item, if the Front
// sent the attachments along (audited).
func (a *App) AgencyAttachment(ctx context.Context, s *homthu.Session, id int64, pos int) (*homthu.Attachment, error) {
	r, it, err := a.agencyAccess(ctx, s, id)
	if err != nil {
		return nil, err
	}
	if !r.Files || pos < 0 || pos >= len(it.Attachments) {
		return nil, homthu.Errorf(homthu.ENOTFOUND, "Không có tệp đính kèm này.")
	}
	if err := a.Store.Audit(ctx, &homthu.AuditRecord{At: a.now(), Actor: s.User.ID, ActorName: s.User.Username, Unit: s.User.Unit,
		Action: homthu.AuditAttachment, Item: it.ID, Reason: it.Attachments[pos].Name}); err != nil {
		return nil, err
	}
	return &it.Attachments[pos], nil
}

// Agency returns an agency in the administrator's scope; another unit's
// is not found.
func (a *App) Agency(ctx context.Context, s *homthu.Session, id int64) (*homthu.Agency, error) {
	if err := need(s, homthu.ActManageAgencies); err != nil {
		return nil, err
	}
	ag, err := a.Store.FindAgency(ctx, id)
	if err != nil {
		return nil, err
	}
	if _, _, err := a.inScope(ctx, s, ag.Unit); err != nil {
		return nil, homthu.Errorf(homthu.ENOTFOUND, "Không có cơ quan này.")
	}
	return ag, nil
}

// Handlers lists the handler accounts of an agency in the administrator's
// scope.
func (a *App) Handlers(ctx context.Context, s *homthu.Session, agency int64) ([]*homthu.User, error) {
	if _, err := a.Agency(ctx, s, agency); err != nil {
		return nil, err
	}
	return a.Store.AgencyUsers(ctx, agency)
}

// tellFront tells the Front staff of the item's unit, in tx, in the app
// and by mail where they set an address, of an agency's act that waits for
// them (a request for more time, an answer). key makes it once-only. The
// text names the letter and the body, never the submitter.
func (a *App) tellFront(ctx context.Context, tx *store.Tx, it *homthu.Item, key, subject, text string) error {
	if r := []rune(text); len(r) > homthu.MaxNoticeRunes {
		text = string(r[:homthu.MaxNoticeRunes-1]) + "…"
	}
	_, err := a.Notify(ctx, tx, homthu.NewNotice{To: homthu.NoticeTo{Role: homthu.RoleFront, Unit: it.Unit}, Text: text, Subject: subject,
		Link: "/can-bo/thu/" + it.ID, Key: "referral-" + key, Mail: true})
	return err
}
