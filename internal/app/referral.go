package app

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"homthu/internal/homthu"
	"homthu/internal/store"
	"homthu/internal/vntext"
)

// ReferRequest is what the Front fills in to refer an item.
type ReferRequest struct {
	Agency int64
	// Number is the covering letter's number (số văn bản); "" draws the
	// unit's next number of the year, as "15/MTTQ-BTT".
	Number string
	// SentOn is the letter's date (YYYY-MM-DD); "" is today.
	SentOn string
	// Deadline overrides the rule configured for the item's kind: "30"
	// (calendar days) or "15w" (working days); "" keeps it.
	Deadline string
	// Letter is the covering letter's body; "" writes the standard one.
	Letter string
	// Files lets the agency open the item's attachments.
	Files bool
	// Note says why this body (recorded in the history), e.g. when the
	// staff chose another than the suggested one.
	Note string
}

// ReferralSuffix follows the number of the Front's letters: the letter is
// signed for the standing committee (Ban Thường trực) of the Front.
const ReferralSuffix = "MTTQ-BTT"

// Suggestion is a body the Front may refer an item to, with why.
type Suggestion struct {
	Competence homthu.Competence
	// Agencies are the matching agencies at the suggested level, first the
	// suggested kind; an agency a confirmed conflict bars is left out.
	Agencies []*homthu.Agency
	// Reachable are every agency the item may be referred to: at the
	// units above its area.
	Reachable []*homthu.Agency
	// Barred names the agencies a possible or confirmed conflict of
	// interest bars, with why.
	Barred map[int64]string
}

// SuggestAgencies suggests the competent body for an item from the
// person's management level and party membership (homthu.SuggestCompetence),
// and lists every body it may go to: the agencies at its commune and its
// province.
func (a *App) SuggestAgencies(ctx context.Context, s *homthu.Session, id string) (*Suggestion, error) {
	if err := need(s, homthu.ActRefer); err != nil {
		return nil, err
	}
	it, err := a.visibleItem(ctx, s, id)
	if err != nil {
		return nil, err
	}
	_, path, err := a.Store.UnitKindPath(ctx, it.Area)
	if err != nil {
		return nil, err
	}
	reach, err := a.Store.ListAgencies(ctx, store.AgencyFilter{At: path, Active: true, Limit: 500})
	if err != nil {
		return nil, err
	}
	at := homthu.ToCommune
	if len(path) > 0 && it.Unit == path[0] {
		at = homthu.ToProvince
	}
	sg := &Suggestion{Competence: homthu.SuggestCompetence(it.Kind, it.Subject, at), Reachable: reach, Barred: map[int64]string{}}
	cs, err := a.Store.Conflicts(ctx, id)
	if err != nil {
		return nil, err
	}
	for _, c := range cs {
		if c.Person.Agency != 0 && c.State != homthu.ConflictDismissed {
			sg.Barred[c.Person.Agency] = c.State.Label() + ": " + c.Person.Name + " — " + c.Why
		}
	}
	level := func(ag *homthu.Agency) homthu.Level {
		if len(path) > 0 && ag.Unit == path[0] {
			return homthu.ToProvince
		}
		return homthu.ToCommune
	}
	for _, pass := range []homthu.Level{sg.Competence.Level, homthu.ToProvince} {
		for _, ag := range reach {
			if ag.Kind == sg.Competence.Kind && level(ag) == pass && sg.Barred[ag.ID] == "" {
				sg.Agencies = append(sg.Agencies, ag)
			}
		}
		if len(sg.Agencies) > 0 {
			break
		}
	}
	return sg, nil
}

// Refer sends an item to an agency with a numbered, dated covering letter
// and a deadline. The agency must sit at the item's commune or province,
// and no possible or confirmed conflict of interest may bar it: the item's
// subject is compared with the agency's head and handlers first, and a
// match stops the referral until a person decides.
func (a *App) Refer(ctx context.Context, s *homthu.Session, id string, version int, req ReferRequest) (*homthu.Referral, error) {
	if err := need(s, homthu.ActRefer); err != nil {
		return nil, err
	}
	it, err := a.visibleItem(ctx, s, id)
	if err != nil {
		return nil, err
	}
	ag, err := a.Store.FindAgency(ctx, req.Agency)
	if err != nil || ag.Disabled {
		return nil, homthu.Errorf(homthu.EINVALID, "Xin chọn cơ quan có thẩm quyền (cơ quan đã chọn không có hoặc đã ngừng nhận).")
	}
	_, path, err := a.Store.UnitKindPath(ctx, it.Area)
	if err != nil {
		return nil, err
	}
	if !contains(path, ag.Unit) {
		return nil, homthu.Errorf(homthu.EINVALID, "%s ở %s, không phải cơ quan của nơi xảy ra việc (%s).", ag.Name, ag.UnitName, it.AreaName)
	}
	req.Note = strings.TrimSpace(vntext.NFC(req.Note))
	req.Letter = strings.TrimSpace(vntext.NFC(req.Letter))
	req.Number = strings.TrimSpace(vntext.NFC(req.Number))
	for _, f := range []struct {
		label, v string
		max      int
	}{{"Ghi chú", req.Note, homthu.MaxNotesRunes}, {"Nội dung văn bản chuyển", req.Letter, homthu.MaxContentRunes}, {"Số văn bản", req.Number, 50}} {
		if err := homthu.CheckText(f.label, f.v, f.max, false); err != nil {
			return nil, err
		}
	}
	sent := req.SentOn
	if sent == "" {
		sent = homthu.Today(a.now())
	}
	if _, err := time.Parse(time.DateOnly, sent); err != nil {
		return nil, homthu.Errorf(homthu.EINVALID, "Ngày văn bản %q không hợp lệ: viết theo dạng NĂM-THÁNG-NGÀY.", sent)
	}
	if sent > homthu.Today(a.now()) {
		return nil, homthu.Errorf(homthu.EINVALID, "Ngày văn bản không được sau hôm nay.")
	}
	rule, err := a.DeadlineRule(ctx, it.Kind)
	if err != nil {
		return nil, err
	}
	if req.Deadline != "" {
		if rule, err = homthu.ParseDeadlineRule(req.Deadline); err != nil {
			return nil, err
		}
	}
	dueOn, err := rule.Due(sent, a.calendar())
	if err != nil {
		return nil, err
	}
	people, err := a.Store.AgencyPeople(ctx, ag.ID)
	if err != nil {
		return nil, err
	}
	if err := a.flagConflicts(ctx, it, people); err != nil {
		return nil, err
	}
	var r *homthu.Referral
	_, err = a.change(ctx, staffActor(s), s.User.Unit, id, version, homthu.EvRefer, func(tx *store.Tx, it *homthu.Item, h *homthu.HistoryEntry) error {
		if it.Kind == "" || it.Kind == homthu.KindOutside {
			return homthu.Errorf(homthu.ECONFLICT, "Xin phân loại thư, đơn (thuộc phạm vi) trước khi chuyển cơ quan có thẩm quyền.")
		}
		if err := agencyBarred(ctx, tx, it.ID, ag); err != nil {
			return err
		}
		number := req.Number
		if number == "" {
			n, err := store.NextReferralNumber(ctx, tx, it.Unit, a.now().In(homthu.VNTime).Year())
			if err != nil {
				return err
			}
			number = strconv.Itoa(n) + "/" + ReferralSuffix
		}
		r = &homthu.Referral{Item: it.ID, Agency: ag.ID, AgencyName: ag.Name, AgencyUnit: ag.Unit, Number: number, SentOn: sent,
			DueOn: dueOn, Days: rule.Days, Working: rule.Working, State: homthu.ReferralSent, Letter: req.Letter,
			CreatedBy: s.User.Username, CreatedAt: h.At}
		if r.Letter == "" {
			r.Letter = CoveringLetter(it, ag, r)
		}
		if err := store.InsertReferral(ctx, tx, r, req.Files, s.User.ID); err != nil {
			return err
		}
		h.Changes = homthu.Diff(nil, "Cơ quan có thẩm quyền", it.AgencyName, ag.Name)
		h.Changes = homthu.Diff(h.Changes, "Văn bản chuyển", "", "số "+number+" ngày "+vnDay(sent))
		h.Changes = homthu.Diff(h.Changes, "Thời hạn trả lời", vnDay(it.DueOn), vnDay(dueOn)+" ("+rule.Label()+")")
		h.Note = req.Note
		h.Public = true
		h.PublicNote = fmt.Sprintf("Mặt trận đã chuyển đến %s (văn bản số %s ngày %s) để xem xét, giải quyết theo thẩm quyền; thời hạn trả lời: ngày %s.",
			ag.Name, number, vnDay(sent), vnDay(dueOn))
		it.Agency, it.AgencyName, it.DueOn = ag.ID, ag.Name, dueOn
		return nil
	})
	if err != nil {
		return nil, err
	}
	return r, nil
}

// agencyBarred refuses an agency that a possible or confirmed conflict of
// interest names for the item.
func agencyBarred(ctx context.Context, tx *store.Tx, item string, ag *homthu.Agency) error {
	state, who, err := store.AgencyConflictTx(ctx, tx, item, ag.ID)
	switch {
	case err != nil:
		return err
	case state == homthu.ConflictPossible:
		return homthu.Errorf(homthu.ECONFLICT, "Người bị phản ánh có thể là %s của %s. Xin xác nhận cảnh báo trùng người ở mục “Xung đột lợi ích” trước khi chuyển.", who, ag.Name)
	case state == homthu.ConflictConfirmed:
		return homthu.Errorf(homthu.ECONFLICT, "Không chuyển được đến %s: người bị phản ánh (%s) đứng đầu hoặc làm việc tại cơ quan này. Xin chuyển cơ quan cấp trên.", ag.Name, who)
	}
	return nil
}

func contains(ss []string, s string) bool {
	for _, v := range ss {
		if v == s {
			return true
		}
	}
	return false
}

// vnDay writes YYYY-MM-DD as dd/mm/yyyy; "" as "".
func vnDay(day string) string {
	t, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return day
	}
	return t.Format("02/01/2006")
}

// CoveringLetter writes the standard body of a referral's covering letter
// (công văn chuyển đơn): what the Front received, that it is referred for
// settlement within the competence of the agency, the deadline, and the
// confidentiality of the submitter. It carries no identity of the
// submitter.
func CoveringLetter(it *homthu.Item, ag *homthu.Agency, r *homthu.Referral) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Kính gửi: %s.\n\n", ag.Name)
	what := strings.ToLower(it.Kind.Label())
	if it.Kind == "" {
		what = "phản ánh"
	}
	fmt.Fprintf(&b, "Ngày %s, Ủy ban Mặt trận Tổ quốc Việt Nam %s nhận được thư, đơn (%s, qua kênh %s) về việc xảy ra tại %s",
		vnDay(it.ReceivedOn), it.UnitName, what, strings.ToLower(it.Channel.Label()), it.AreaName)
	if it.Subject.Name != "" || it.Subject.Position != "" {
		b.WriteString(", liên quan đến ")
		b.WriteString(strings.TrimSpace(strings.Join(nonEmpty(it.Subject.Name, it.Subject.Position, it.Subject.Workplace), ", ")))
	}
	b.WriteString(".\n\n")
	b.WriteString("Thực hiện Quy định số 124-QĐ/TW ngày 02/02/2018 của Ban Bí thư về giám sát của Mặt trận Tổ quốc, các tổ chức chính trị - xã hội và Nhân dân đối với việc tu dưỡng, rèn luyện đạo đức, lối sống của người đứng đầu, cán bộ chủ chốt và cán bộ, đảng viên, ")
	fmt.Fprintf(&b, "Ủy ban Mặt trận Tổ quốc Việt Nam %s chuyển nội dung thư, đơn nêu trên (kèm theo) đến %s để xem xét, giải quyết theo thẩm quyền.\n\n", it.UnitName, ag.Name)
	if it.DenunciationLaw {
		b.WriteString("Đây là đơn tố cáo có ghi rõ họ tên người tố cáo; đề nghị xem xét, giải quyết theo quy định của Luật Tố cáo năm 2018 và giữ bí mật họ tên, địa chỉ, bút tích và các thông tin cá nhân khác của người tố cáo.\n\n")
	}
	fmt.Fprintf(&b, "Đề nghị %s thông báo kết quả giải quyết bằng văn bản cho Ủy ban Mặt trận Tổ quốc Việt Nam %s trước ngày %s để Mặt trận trả lời người phản ánh.\n",
		ag.Name, it.UnitName, vnDay(r.DueOn))
	return b.String()
}

func nonEmpty(ss ...string) []string {
	var out []string
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// DeadlineRule returns the deadline rule of referrals of a kind: the
// setting "deadline.KIND" ("30" or "15w"), else homthu.DefaultDeadline.
func (a *App) DeadlineRule(ctx context.Context, k homthu.Kind) (homthu.DeadlineRule, error) {
	v, ok, err := a.Store.Setting(ctx, "deadline."+string(k))
	if err != nil || !ok {
		return homthu.DefaultDeadline, err
	}
	return homthu.ParseDeadlineRule(v)
}

// SetDeadlineRule configures the deadline of referrals of a kind.
func (a *App) SetDeadlineRule(ctx context.Context, k homthu.Kind, rule string) error {
	if !k.Valid() || k == homthu.KindOutside {
		return homthu.Errorf(homthu.EINVALID, "Loại thư, đơn %q không hợp lệ: report, proposal, comment hoặc denunciation.", k)
	}
	r, err := homthu.ParseDeadlineRule(rule)
	if err != nil {
		return err
	}
	return a.Store.SetSetting(ctx, "deadline."+string(k), r.String())
}

// calendar is the working-day calendar: App.Calendar when set, else the
// calendar of internal/workdays (Vietnam's holidays and swapped days, see
// Workdays), which counts weekends only in a year it does not hold.
func (a *App) calendar() homthu.Calendar {
	if a.Calendar != nil {
		return a.Calendar
	}
	return liveCalendar{a}
}

// weekdays is the calendar without holidays: Saturdays and Sundays off.
type weekdays struct{}

func (weekdays) WorkingDay(d time.Time) bool {
	return d.Weekday() != time.Saturday && d.Weekday() != time.Sunday
}

// activeReferral returns the item's referral that waits for an answer.
func activeReferral(ctx context.Context, tx *store.Tx, item string) (*homthu.Referral, error) {
	r, err := store.ActiveReferralTx(ctx, tx, item)
	if err != nil {
		return nil, err
	}
	if r == nil {
		return nil, homthu.Errorf(homthu.ECONFLICT, "Thư, đơn này không có văn bản chuyển nào đang chờ trả lời.")
	}
	return r, nil
}

// Recall withdraws the referral that waits for an answer, with the
// reason; the agency no longer sees the item, and the case is back with
// the Front.
func (a *App) Recall(ctx context.Context, s *homthu.Session, id string, version int, reason string) (*homthu.Item, error) {
	if err := need(s, homthu.ActRefer); err != nil {
		return nil, err
	}
	reason, err := checkReason("Lý do rút lại", reason)
	if err != nil {
		return nil, err
	}
	return a.change(ctx, staffActor(s), s.User.Unit, id, version, homthu.EvRecall, func(tx *store.Tx, it *homthu.Item, h *homthu.HistoryEntry) error {
		return a.recallTx(ctx, tx, it, h, reason)
	})
}

func (a *App) recallTx(ctx context.Context, tx *store.Tx, it *homthu.Item, h *homthu.HistoryEntry, reason string) error {
	r, err := activeReferral(ctx, tx, it.ID)
	if err != nil {
		return err
	}
	r.State = homthu.ReferralRecalled
	if err := store.UpdateReferral(ctx, tx, r, 0, 0); err != nil {
		return err
	}
	h.Changes = homthu.Diff(nil, "Cơ quan có thẩm quyền", it.AgencyName, "")
	h.Note = reason
	it.Agency, it.AgencyName, it.DueOn = 0, "", a.due(frontDays)
	return nil
}

// DecideExtension approves or refuses an agency's request for more time.
// An approved request moves the deadline by the days asked, counted as the
// referral's deadline is.
func (a *App) DecideExtension(ctx context.Context, s *homthu.Session, id string, version int, approve bool, note string) (*homthu.Item, error) {
	if err := need(s, homthu.ActRefer); err != nil {
		return nil, err
	}
	note = strings.TrimSpace(vntext.NFC(note))
	if err := homthu.CheckText("Ghi chú", note, homthu.MaxNotesRunes, !approve); err != nil {
		if !approve && note == "" {
			return nil, homthu.Errorf(homthu.EINVALID, "Xin ghi lý do không đồng ý gia hạn, để cơ quan biết.")
		}
		return nil, err
	}
	return a.change(ctx, staffActor(s), s.User.Unit, id, version, homthu.EvDecideExtension, func(tx *store.Tx, it *homthu.Item, h *homthu.HistoryEntry) error {
		r, err := activeReferral(ctx, tx, it.ID)
		if err != nil {
			return err
		}
		e, err := store.PendingExtensionTx(ctx, tx, r.ID)
		if err != nil {
			return err
		}
		if e == nil {
			return homthu.Errorf(homthu.ECONFLICT, "Không có đề nghị gia hạn nào đang chờ quyết định.")
		}
		e.DecidedAt, e.Note = h.At, note
		e.State = homthu.ExtensionRefused
		h.Note = note
		if approve {
			e.State = homthu.ExtensionApproved
			due, err := homthu.DeadlineRule{Days: e.Days, Working: r.Working}.Due(r.DueOn, a.calendar())
			if err != nil {
				return err
			}
			h.Changes = homthu.Diff(nil, "Thời hạn trả lời", vnDay(r.DueOn), vnDay(due))
			h.Public = true
			h.PublicNote = fmt.Sprintf("%s được gia hạn thời gian giải quyết đến ngày %s.", r.AgencyName, vnDay(due))
			r.DueOn, it.DueOn = due, due
			if err := store.UpdateReferral(ctx, tx, r, 0, 0); err != nil {
				return err
			}
		} else {
			h.Changes = homthu.Diff(nil, "Đề nghị gia hạn "+strconv.Itoa(e.Days)+" ngày", homthu.ExtensionRequested.Label(), e.State.Label())
		}
		return store.DecideExtension(ctx, tx, e, s.User.ID)
	})
}
