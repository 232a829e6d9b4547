package app

import (
	"context"
	"fmt"
	"strings"
	"time"

	"homthu/internal/catalog"
	"homthu/internal/homthu"
	"homthu/internal/store"
	"homthu/internal/vntext"
)

// Processing (issue 9): every change to an item goes through change, which
// reads the item for update, checks the permission table and the state
// machine with homthu.Step, applies the change, and records it in the
// item's history, in one transaction. The pages and the API call the
// methods below; neither checks a role or a status itself.

// actor is who makes a change: a staff account, or the submitter with the
// receipt (user nil).
type actor struct {
	role homthu.Role
	user *homthu.User
}

func staffActor(s *homthu.Session) actor { return actor{role: s.User.Role, user: s.User} }

var citizen = actor{role: homthu.RoleCitizen}

// AnyVersion skips the check that a change is made on the item's current
// version (the API's callers that do not send one).
const AnyVersion = -1

// frontDays is how long the Front takes to consider an item (or a reopened
// case) before it acts: the promise the submission form makes.
const frontDays = homthu.AnswerDays

// informDays is how long the Front takes to tell the submitter an agency's
// answer.
const informDays = 7

// change applies ev to item id in its own transaction: see changeTx.
func (a *App) change(ctx context.Context, who actor, scope, id string, version int, ev homthu.Event,
	fn func(tx *store.Tx, it *homthu.Item, h *homthu.HistoryEntry) error) (*homthu.Item, error) {
	var out *homthu.Item
	err := a.Store.Transact(ctx, func(tx *store.Tx) error {
		var err error
		out, err = a.changeTx(ctx, tx, who, scope, id, version, ev, fn)
		return err
	})
	return out, err
}

// changeTx is the one place a workflow change happens. It reads the item
// (scoped to scope, a unit code, unless ""), refuses an item hidden from
// the actor by a conflict of interest as not found, refuses a stale
// version, asks homthu.Step whether the actor's role may do ev in the
// item's status, lets fn change the item (the status is already the new
// one) and describe the change in h, and saves both.
func (a *App) changeTx(ctx context.Context, tx *store.Tx, who actor, scope, id string, version int, ev homthu.Event,
	fn func(tx *store.Tx, it *homthu.Item, h *homthu.HistoryEntry) error) (*homthu.Item, error) {
	it, err := store.LockItem(ctx, tx, scope, id)
	if err != nil {
		return nil, err
	}
	if who.user != nil {
		if hidden, err := store.ExcludedTx(ctx, tx, id, who.user.ID); err != nil {
			return nil, err
		} else if hidden {
			return nil, homthu.Errorf(homthu.ENOTFOUND, "Không tìm thấy thư, đơn này.")
		}
	}
	if version != AnyVersion && version != it.Version {
		return nil, homthu.Errorf(homthu.ECONFLICT, "Thư, đơn này vừa được cập nhật (bởi người khác, hoặc bạn đã bấm hai lần). Xin xem lại thông tin hiện tại rồi làm lại nếu cần.")
	}
	from := it.Status
	to, err := homthu.Step(who.role, from, ev)
	if err != nil {
		return nil, err
	}
	now := a.now()
	h := &homthu.HistoryEntry{At: now, Event: ev, ActorRole: who.role, From: from}
	if who.user != nil {
		h.Actor, h.ActorName = who.user.ID, who.user.Username
	} else {
		// The submitter's acts keep only their day: an anonymous
		// submitter's timing is metadata, and a duplicate's anonymous
		// submitter may act on a named case.
		h.ActorName, h.DateOnly = "Người phản ánh", true
	}
	read := it.Version
	it.Status = to
	if err := fn(tx, it, h); err != nil {
		return nil, err
	}
	h.To = it.Status
	closedAt, err := a.closedAt(ctx, tx, it, from, now)
	if err != nil {
		return nil, err
	}
	if err := store.SaveItem(ctx, tx, it, read, closedAt); err != nil {
		return nil, err
	}
	if from.Open() != it.Status.Open() || it.Status == homthu.StatusLinked {
		// The duplicates linked to this case close and reopen with it.
		if err := store.SetCaseClosed(ctx, tx, it.ID, closedAt); err != nil {
			return nil, err
		}
	}
	if err := store.AppendHistory(ctx, tx, it.ID, h); err != nil {
		return nil, err
	}
	// A step the submitter reads, made by someone else: tell them by mail.
	if h.Public && who.user != nil {
		if err := a.mailSubmitter(ctx, tx, it.ID); err != nil {
			return nil, err
		}
	}
	return it, nil
}

// closedAt is when the item's processing ended, after a change from status
// from: now if it just ended, as before if it had ended already, zero while
// open; a linked duplicate ends with its case.
func (a *App) closedAt(ctx context.Context, tx *store.Tx, it *homthu.Item, from homthu.Status, now time.Time) (time.Time, error) {
	switch {
	case it.Status == homthu.StatusLinked:
		return store.ClosedAt(ctx, tx, it.CaseOf)
	case it.Status.Open():
		return time.Time{}, nil
	case from.Open() || from == homthu.StatusLinked:
		return now, nil
	}
	return store.ClosedAt(ctx, tx, it.ID)
}

// due is the day n calendar days after today.
func (a *App) due(n int) string {
	return homthu.Today(a.now().AddDate(0, 0, n))
}

// Triage classifies an item (kind, categories, the person concerned,
// priority, notes). An item outside the Front's remit (KindOutside) is
// redirected: the submitter reads the explanation on the receipt page. The
// rules of a denunciation are applied and told to the submitter.
func (a *App) Triage(ctx context.Context, s *homthu.Session, id string, version int, t homthu.Triage) (*homthu.Item, error) {
	if err := need(s, homthu.ActTriage); err != nil {
		return nil, err
	}
	t.Normalize(vntext.NFC)
	if err := t.Validate(); err != nil {
		return nil, err
	}
	ev := homthu.EvTriage
	if t.Kind == homthu.KindOutside {
		ev = homthu.EvRedirect
	}
	if t.Subject.Unit != "" {
		if _, err := a.Store.FindUnit(ctx, t.Subject.Unit); err != nil {
			return nil, homthu.Errorf(homthu.EINVALID, "Không có đơn vị có mã %q (nơi công tác của người bị phản ánh).", t.Subject.Unit)
		}
	}
	var people []homthu.Person
	it, err := a.change(ctx, staffActor(s), s.User.Unit, id, version, ev, func(tx *store.Tx, it *homthu.Item, h *homthu.HistoryEntry) error {
		cats, err := a.classify(ctx, it.Categories, t.Categories)
		if err != nil {
			return err
		}
		first := it.Kind == ""
		cs := homthu.Diff(nil, "Loại", it.Kind.Label(), t.Kind.Label())
		cs = homthu.Diff(cs, "Biểu hiện, điều cấm", strings.Join(homthu.CategoryCodes(it.Categories), ", "), strings.Join(homthu.CategoryCodes(cats), ", "))
		cs = subjectDiff(cs, it.Subject, t.Subject)
		cs = homthu.Diff(cs, "Mức độ ưu tiên", it.Priority.Label(), t.Priority.Label())
		cs = homthu.Diff(cs, "Ghi chú", it.Notes, t.Notes)
		h.Changes = cs
		oldRules := homthu.Rules{DenunciationLaw: it.DenunciationLaw, Inspection: it.Inspection}
		kindChanged := it.Kind != t.Kind
		it.Kind, it.Categories, it.Priority, it.Notes = t.Kind, cats, t.Priority, t.Notes
		it.Subject = t.Subject
		rules := homthu.RulesFor(it.Kind, it.Anonymous, it.Subject)
		it.DenunciationLaw, it.Inspection = rules.DenunciationLaw, rules.Inspection
		switch {
		case ev == homthu.EvRedirect:
			it.DueOn = ""
			h.Public, h.PublicNote = true, t.Explanation
			return store.InsertMessage(ctx, tx, it.ID, homthu.Message{From: "front", Body: t.Explanation, At: h.At}, s.User.ID)
		case first || kindChanged:
			h.Public, h.PublicNote = true, "Thư, đơn được phân loại: "+it.Kind.Label()+"."
		}
		if rules.Notice != "" && (kindChanged || rules.DenunciationLaw != oldRules.DenunciationLaw || rules.Inspection != oldRules.Inspection) {
			h.PublicNote += " " + rules.Notice
			if err := store.InsertMessage(ctx, tx, it.ID, homthu.Message{From: "front", Body: rules.Notice, At: h.At}, s.User.ID); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	// The person concerned, as now established, against the staff who read
	// this inbox: a match hides the item from them until a person decides.
	if people, err = a.Store.StaffPeople(ctx, it.Unit); err != nil {
		return nil, err
	}
	if err := a.flagConflicts(ctx, it, people); err != nil {
		return nil, err
	}
	return it, nil
}

// subjectDiff lists what changed of the person concerned.
func subjectDiff(cs []homthu.Change, a, b homthu.Subject) []homthu.Change {
	cs = homthu.Diff(cs, "Họ tên người bị phản ánh", a.Name, b.Name)
	cs = homthu.Diff(cs, "Chức vụ", a.Position, b.Position)
	cs = homthu.Diff(cs, "Nơi công tác", a.Workplace, b.Workplace)
	cs = homthu.Diff(cs, "Là đảng viên", a.PartyMember.Label(), b.PartyMember.Label())
	cs = homthu.Diff(cs, "Cấp quản lý", a.ManagedBy.Label(), b.ManagedBy.Label())
	return homthu.Diff(cs, "Đơn vị nơi công tác", a.Unit, b.Unit)
}

// classify checks the chosen standards against the catalogues
// (Store.ClassifyStandards): a code the item had keeps its version even if
// retired since; a new one must be current, at the version in force.
func (a *App) classify(ctx context.Context, had []homthu.StandardRef, codes []string) ([]homthu.StandardRef, error) {
	keep := make([]catalog.Ref, len(had))
	for i, r := range had {
		keep[i] = catalog.Ref{Code: r.Code, Version: r.Version}
	}
	refs, err := a.Store.ClassifyStandards(ctx, codes, keep)
	if err != nil {
		return nil, err
	}
	out := make([]homthu.StandardRef, len(refs))
	for i, r := range refs {
		out[i] = homthu.StandardRef{Code: r.Code, Version: r.Version}
	}
	return out, nil
}

// MinReasonRunes is the shortest reason accepted for a change that needs one.
const MinReasonRunes = 5

func checkReason(label, v string) (string, error) {
	v = strings.TrimSpace(vntext.NFC(v))
	if err := homthu.CheckText(label, v, homthu.MaxNotesRunes, true); err != nil {
		return "", err
	}
	if len([]rune(v)) < MinReasonRunes {
		return "", homthu.Errorf(homthu.EINVALID, "%s quá ngắn: xin ghi rõ (ít nhất %d ký tự).", label, MinReasonRunes)
	}
	return v, nil
}

// MarkSpam hides an item from the inbox as spam or abuse, with the reason.
// Nothing is deleted; the item is counted apart in reports.
func (a *App) MarkSpam(ctx context.Context, s *homthu.Session, id string, version int, reason string) (*homthu.Item, error) {
	return a.simple(ctx, s, homthu.ActTriage, id, version, homthu.EvSpam, "Lý do", reason, func(it *homthu.Item) { it.DueOn = "" })
}

// Restore brings an item back from spam or out of scope to consideration.
func (a *App) Restore(ctx context.Context, s *homthu.Session, id string, version int, reason string) (*homthu.Item, error) {
	return a.simple(ctx, s, homthu.ActTriage, id, version, homthu.EvRestore, "Lý do", reason, func(it *homthu.Item) { it.DueOn = a.due(frontDays) })
}

// Reopen reopens a closed case for the Front's own reasons (new facts).
func (a *App) Reopen(ctx context.Context, s *homthu.Session, id string, version int, reason string) (*homthu.Item, error) {
	return a.simple(ctx, s, homthu.ActConclude, id, version, homthu.EvReopen, "Lý do mở lại", reason, func(it *homthu.Item) { it.DueOn = a.due(frontDays) })
}

// simple is a change that needs only a reason.
func (a *App) simple(ctx context.Context, s *homthu.Session, act homthu.Action, id string, version int, ev homthu.Event,
	label, reason string, mod func(*homthu.Item)) (*homthu.Item, error) {
	if err := need(s, act); err != nil {
		return nil, err
	}
	reason, err := checkReason(label, reason)
	if err != nil {
		return nil, err
	}
	return a.change(ctx, staffActor(s), s.User.Unit, id, version, ev, func(tx *store.Tx, it *homthu.Item, h *homthu.HistoryEntry) error {
		mod(it)
		h.Note = reason
		return nil
	})
}

// Escalate takes an item to the Front one level up (commune → province),
// with the reason recorded: the person concerned may be one of the staff
// who read this inbox, or a body they head. The commune's staff no longer
// see it.
func (a *App) Escalate(ctx context.Context, s *homthu.Session, id string, version int, reason string) (*homthu.Item, error) {
	if err := need(s, homthu.ActTriage); err != nil {
		return nil, err
	}
	reason, err := checkReason("Lý do chuyển lên cấp trên", reason)
	if err != nil {
		return nil, err
	}
	return a.change(ctx, staffActor(s), s.User.Unit, id, version, homthu.EvEscalate, func(tx *store.Tx, it *homthu.Item, h *homthu.HistoryEntry) error {
		return a.escalateTx(ctx, it, h, reason)
	})
}

// escalateTx moves it to the parent unit's Front.
func (a *App) escalateTx(ctx context.Context, it *homthu.Item, h *homthu.HistoryEntry, reason string) error {
	u, err := a.Store.FindUnit(ctx, it.Unit)
	if err != nil {
		return err
	}
	if u.Parent == "" {
		return homthu.Errorf(homthu.ECONFLICT, "Thư, đơn đã ở Mặt trận cấp tỉnh, không còn cấp trên trong hệ thống để chuyển lên.")
	}
	p, err := a.Store.FindUnit(ctx, u.Parent)
	for err == nil && p.Kind != homthu.KindProvince && p.Kind != homthu.KindCommune {
		p, err = a.Store.FindUnit(ctx, p.Parent) // past a district, to the province
	}
	if err != nil {
		return err
	}
	h.Changes = homthu.Diff(nil, "Mặt trận nhận", u.FullName, p.FullName)
	if it.Assignee != 0 {
		h.Changes = homthu.Diff(h.Changes, "Cán bộ xử lý", it.AssigneeName, "")
	}
	h.Note = reason
	h.Public, h.PublicNote = true, "Thư, đơn được chuyển lên Mặt trận "+p.FullName+" xem xét, xử lý."
	it.Unit, it.UnitName, it.Assignee, it.AssigneeName = p.Code, p.FullName, 0, ""
	return nil
}

// Assign gives an item to a Front staff member who can see it (their unit
// is the item's or above it, and no conflict of interest hides it from
// them); 0 takes it back.
func (a *App) Assign(ctx context.Context, s *homthu.Session, id string, version int, to int64) (*homthu.Item, error) {
	if err := need(s, homthu.ActTriage); err != nil {
		return nil, err
	}
	var u *homthu.User
	if to != 0 {
		var err error
		if u, err = a.Store.FindUser(ctx, s.User.Unit, to); err != nil {
			return nil, err
		}
	}
	return a.change(ctx, staffActor(s), s.User.Unit, id, version, homthu.EvAssign, func(tx *store.Tx, it *homthu.Item, h *homthu.HistoryEntry) error {
		return a.assignTx(ctx, tx, it, h, u)
	})
}

func (a *App) assignTx(ctx context.Context, tx *store.Tx, it *homthu.Item, h *homthu.HistoryEntry, u *homthu.User) error {
	name := ""
	if u != nil {
		if err := a.canHandle(ctx, tx, it, u); err != nil {
			return err
		}
		name = u.Username
	}
	if u == nil && it.Assignee == 0 || u != nil && u.ID == it.Assignee {
		return homthu.Errorf(homthu.EINVALID, "Thư, đơn đã được giao như vậy; không có gì thay đổi.")
	}
	h.Changes = homthu.Diff(nil, "Cán bộ xử lý", it.AssigneeName, name)
	it.Assignee, it.AssigneeName = 0, ""
	if u != nil {
		it.Assignee, it.AssigneeName = u.ID, u.Username
	}
	return nil
}

// canHandle checks that u may be given item it: an active Front account
// whose unit is the item's unit or above it, not hidden from it.
func (a *App) canHandle(ctx context.Context, tx *store.Tx, it *homthu.Item, u *homthu.User) error {
	if u.Role != homthu.RoleFront || u.Disabled {
		return homthu.Errorf(homthu.EINVALID, "Chỉ giao thư, đơn cho tài khoản cán bộ Mặt trận đang hoạt động (%s không phải).", u.Username)
	}
	_, path, err := a.Store.UnitKindPath(ctx, it.Unit)
	if err != nil {
		return err
	}
	for _, c := range path {
		if c == u.Unit {
			if hidden, err := store.ExcludedTx(ctx, tx, it.ID, u.ID); err != nil {
				return err
			} else if hidden {
				return homthu.Errorf(homthu.EINVALID, "Không giao được cho %s: người bị phản ánh có thể là chính cán bộ này.", u.Username)
			}
			return nil
		}
	}
	return homthu.Errorf(homthu.EINVALID, "%s thuộc %s, không xem được thư, đơn gửi Mặt trận %s.", u.Username, u.UnitName, it.UnitName)
}

// MaxHandover bounds one hand-over.
const MaxHandover = 10000

// Handover gives every open item of a staff member (who leaves or moves)
// to a named colleague, in one step and one transaction; each item's
// history records it. It returns how many items moved.
func (a *App) Handover(ctx context.Context, s *homthu.Session, from, to int64, note string) (int, error) {
	if err := need(s, homthu.ActHandover); err != nil {
		return 0, err
	}
	if from == to {
		return 0, homthu.Errorf(homthu.EINVALID, "Xin chọn một cán bộ khác để nhận bàn giao.")
	}
	fu, err := a.Store.FindUser(ctx, s.User.Unit, from)
	if err != nil {
		return 0, err
	}
	tu, err := a.Store.FindUser(ctx, s.User.Unit, to)
	if err != nil {
		return 0, err
	}
	note = strings.TrimSpace(vntext.NFC(note))
	if err := homthu.CheckText("Ghi chú bàn giao", note, homthu.MaxNotesRunes, false); err != nil {
		return 0, err
	}
	if note == "" {
		note = "Bàn giao thư, đơn của " + fu.Username + " cho " + tu.Username + "."
	}
	who := staffActor(s)
	n := 0
	err = a.Store.Transact(ctx, func(tx *store.Tx) error {
		ids, err := store.AssignedOpen(ctx, tx, from, MaxHandover)
		if err != nil {
			return err
		}
		for _, id := range ids {
			_, err := a.changeTx(ctx, tx, who, s.User.Unit, id, AnyVersion, homthu.EvAssign, func(tx *store.Tx, it *homthu.Item, h *homthu.HistoryEntry) error {
				h.Note = note
				return a.assignTx(ctx, tx, it, h, tu)
			})
			if err != nil {
				return fmt.Errorf("thư, đơn %s: %w", id, err)
			}
			n++
		}
		return nil
	})
	if err != nil {
		if homthu.ErrorCode(err) != homthu.EINTERNAL {
			return 0, homthu.Errorf(homthu.ErrorCode(err), "Chưa bàn giao được (không thư, đơn nào được chuyển): %s", homthu.ErrorMessage(err))
		}
		return 0, err
	}
	return n, nil
}

// Link joins a duplicate to the case it repeats; nothing is deleted. A
// duplicate of a duplicate joins the first case, and the items linked to
// the duplicate move with it.
func (a *App) Link(ctx context.Context, s *homthu.Session, id string, version int, caseID string) (*homthu.Item, error) {
	if err := need(s, homthu.ActTriage); err != nil {
		return nil, err
	}
	c, err := a.Store.FindItem(ctx, s.User.Unit, caseID)
	if err != nil {
		return nil, homthu.Errorf(homthu.EINVALID, "Không có thư, đơn %q trong phạm vi của bạn để gộp vào.", caseID)
	}
	if c.Status == homthu.StatusLinked {
		c, err = a.Store.FindItem(ctx, s.User.Unit, c.CaseOf)
		if err != nil {
			return nil, err
		}
	}
	if c.ID == id {
		return nil, homthu.Errorf(homthu.EINVALID, "Không gộp một thư, đơn vào chính nó.")
	}
	if c.Status == homthu.StatusSpam {
		return nil, homthu.Errorf(homthu.EINVALID, "Không gộp vào một thư đã đánh dấu là thư rác.")
	}
	return a.change(ctx, staffActor(s), s.User.Unit, id, version, homthu.EvLink, func(tx *store.Tx, it *homthu.Item, h *homthu.HistoryEntry) error {
		h.Changes = homthu.Diff(nil, "Gộp vào vụ việc", "", c.ID)
		h.Public = true
		it.CaseOf, it.DueOn = c.ID, ""
		return store.MoveLinked(ctx, tx, it.ID, c.ID)
	})
}

// Unlink takes a duplicate out of its case, back to consideration.
func (a *App) Unlink(ctx context.Context, s *homthu.Session, id string, version int, reason string) (*homthu.Item, error) {
	if err := need(s, homthu.ActTriage); err != nil {
		return nil, err
	}
	reason, err := checkReason("Lý do tách", reason)
	if err != nil {
		return nil, err
	}
	return a.change(ctx, staffActor(s), s.User.Unit, id, version, homthu.EvUnlink, func(tx *store.Tx, it *homthu.Item, h *homthu.HistoryEntry) error {
		h.Changes = homthu.Diff(nil, "Gộp vào vụ việc", it.CaseOf, "")
		h.Note, h.Public = reason, true
		it.CaseOf, it.DueOn = "", a.due(frontDays)
		return nil
	})
}

// Close tells the submitter the result and ends the case. message is what
// they read on the receipt page (and by mail, if they gave an address);
// withAnswer passes on the agency's written answer (text and file).
func (a *App) Close(ctx context.Context, s *homthu.Session, id string, version int, message string, withAnswer bool) (*homthu.Item, error) {
	if err := need(s, homthu.ActConclude); err != nil {
		return nil, err
	}
	message = strings.TrimSpace(vntext.NFC(message))
	if err := homthu.CheckText("Nội dung thông báo kết quả cho người phản ánh", message, homthu.MaxContentRunes, true); err != nil {
		return nil, err
	}
	return a.change(ctx, staffActor(s), s.User.Unit, id, version, homthu.EvClose, func(tx *store.Tx, it *homthu.Item, h *homthu.HistoryEntry) error {
		if it.Kind == "" {
			return homthu.Errorf(homthu.ECONFLICT, "Xin phân loại thư, đơn trước khi báo kết quả.")
		}
		if withAnswer {
			if err := store.PublishAnswer(ctx, tx, it.ID); err != nil {
				return err
			}
		}
		h.Public, h.PublicNote = true, message
		it.DueOn = ""
		return nil
	})
}

// MaxRatingRunes bounds the submitter's comment on a rating.
const MaxRatingRunes = 2000

// Rate records the submitter's rating of the result, authorised by the
// receipt alone. Not satisfied (with the reason, required) reopens the
// case for the Front; the reason also goes into the thread. A linked
// duplicate's submitter rates the case it was joined to.
func (a *App) Rate(ctx context.Context, receipt string, satisfied bool, comment string) error {
	comment = strings.TrimSpace(vntext.NFC(comment))
	if err := homthu.CheckText("Ý kiến của bạn", comment, MaxRatingRunes, !satisfied); err != nil {
		if !satisfied && comment == "" {
			return homthu.Errorf(homthu.EINVALID, "Xin cho biết vì sao bạn chưa hài lòng, để Mặt trận xem xét lại.")
		}
		return err
	}
	id, err := a.itemByReceipt(ctx, receipt)
	if err != nil {
		return err
	}
	own, err := a.Store.FindItemUnscoped(ctx, id)
	if err != nil {
		return err
	}
	now := a.now()
	rating := &homthu.Rating{Satisfied: satisfied, Comment: comment, At: now}
	return a.Store.Transact(ctx, func(tx *store.Tx) error {
		target := id
		if own.Status == homthu.StatusLinked {
			target = own.CaseOf
			// The rating is the duplicate's own; the case is what it
			// rates and what reopens. Step checks the case's status.
			c, err := store.LockItem(ctx, tx, "", target)
			if err != nil {
				return err
			}
			if _, err := homthu.Step(homthu.RoleCitizen, c.Status, homthu.EvRate); err != nil {
				return err
			}
			if err := store.SetRating(ctx, tx, id, rating); err != nil {
				return err
			}
		}
		ev := homthu.EvRate
		if !satisfied {
			ev = homthu.EvReopen
		}
		_, err := a.changeTx(ctx, tx, citizen, "", target, AnyVersion, ev, func(tx *store.Tx, it *homthu.Item, h *homthu.HistoryEntry) error {
			label := "Hài lòng"
			if !satisfied {
				label = "Chưa hài lòng"
				it.DueOn = a.due(frontDays)
				h.Public, h.PublicNote = true, "Bạn chưa hài lòng với kết quả; Mặt trận xem xét lại."
				if err := store.InsertMessage(ctx, tx, id, homthu.Message{From: "citizen", Body: "Chưa hài lòng với kết quả: " + comment, At: now}, 0); err != nil {
					return err
				}
			}
			h.Changes = homthu.Diff(nil, "Đánh giá của người phản ánh", "", label)
			if target == id {
				it.Rating = rating
			}
			return nil
		})
		return err
	})
}

// AnswerFile opens the written answer's file that the Front passed on to
// the submitter of a receipt.
func (a *App) AnswerFile(ctx context.Context, receipt string) (*homthu.Attachment, error) {
	v, err := a.Track(ctx, receipt)
	if err != nil {
		return nil, err
	}
	if v.Answer == nil || v.Answer.File == nil {
		return nil, homthu.Errorf(homthu.ENOTFOUND, "Chưa có văn bản trả lời đính kèm.")
	}
	return v.Answer.File, nil
}
