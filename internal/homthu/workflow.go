package homthu

// The workflow of an item (DESIGN.md, flow 3 "Processing"; issue 9) is a
// state machine: an Event moves an item from one Status to another, and
// each event needs an Action of the permission table. Step is the one place
// where both are checked; the application calls it for every change, from
// the pages and from the API alike, so that no path can skip a rule.
//
//	received ─triage→ considering ─refer→ referred ─answer→ answered ─close→ closed
//	                  considering ─close→ closed (the Front answers itself)
//	closed ─reopen→ reopened (the submitter is not satisfied) ─triage/refer/close→ …
//	received, considering ─spam→ spam ─restore→ considering
//	received, considering, reopened ─redirect→ out_of_scope ─restore→ considering
//	received, considering, reopened ─link→ linked ─unlink→ considering
//	referred ─recall→ considering;  answered ─refer→ referred (the answer fell short)
//
// The agency's own steps on a referral (acknowledge, ask for more time) and
// the Front's decision on more time leave the status as it is: they are
// recorded in the item's history and on the referral.

// Event is something done to an item. Codes are a contract, like statuses.
type Event string

// The events.
const (
	EvTriage           Event = "triage"            // classify: kind, categories, the person concerned, priority, notes
	EvRedirect         Event = "redirect"          // outside the Front's remit: the submitter is told where to go
	EvSpam             Event = "spam"              // spam or abuse: hidden from the inbox, never deleted
	EvRestore          Event = "restore"           // back to consideration from spam or out of scope
	EvEscalate         Event = "escalate"          // to the Front one level up (conflict of interest)
	EvAssign           Event = "assign"            // give the item to a staff member (also hand-over)
	EvLink             Event = "link"              // join a duplicate to the case it repeats
	EvUnlink           Event = "unlink"            // take it out of that case again
	EvRefer            Event = "refer"             // send to the competent body with a deadline
	EvRecall           Event = "recall"            // withdraw a referral (e.g. a conflict found late)
	EvAcknowledge      Event = "acknowledge"       // the agency confirms it received the referral
	EvRequestExtension Event = "extension_request" // the agency asks for more time, with a reason
	EvDecideExtension  Event = "extension_decide"  // the Front approves or refuses more time
	EvAnswer           Event = "answer"            // the agency records its outcome and written answer
	EvClose            Event = "close"             // the Front tells the submitter the result and closes the case
	EvReopen           Event = "reopen"            // the submitter is not satisfied, or the Front reopens
	EvRate             Event = "rate"              // the submitter rates the answer
	EvConflict         Event = "conflict"          // a person decides whether the subject is someone the item could reach
)

// Label is what a person reads for the event, in the history and in errors.
func (e Event) Label() string {
	switch e {
	case EvTriage:
		return "Phân loại"
	case EvRedirect:
		return "Hướng dẫn gửi đến nơi có thẩm quyền (không thuộc phạm vi)"
	case EvSpam:
		return "Đánh dấu thư rác, lạm dụng"
	case EvRestore:
		return "Khôi phục để xem xét"
	case EvEscalate:
		return "Chuyển lên Mặt trận cấp trên"
	case EvAssign:
		return "Giao cán bộ xử lý"
	case EvLink:
		return "Gộp vào vụ việc trùng"
	case EvUnlink:
		return "Tách khỏi vụ việc"
	case EvRefer:
		return "Chuyển cơ quan có thẩm quyền"
	case EvRecall:
		return "Rút lại văn bản chuyển"
	case EvAcknowledge:
		return "Cơ quan xác nhận đã nhận"
	case EvRequestExtension:
		return "Cơ quan xin gia hạn"
	case EvDecideExtension:
		return "Quyết định gia hạn"
	case EvAnswer:
		return "Cơ quan ghi kết quả xử lý"
	case EvClose:
		return "Báo kết quả cho người phản ánh, kết thúc"
	case EvReopen:
		return "Mở lại để xem xét tiếp"
	case EvRate:
		return "Người phản ánh đánh giá kết quả"
	case EvConflict:
		return "Xác nhận trùng người (xung đột lợi ích)"
	}
	return string(e)
}

// RoleCitizen is the submitter acting with their receipt. It has no
// account and no session (it is not in Roles, and Valid is false), but it
// has a row in the permission table, so that what a receipt allows is
// checked by the same Step as what staff do.
const RoleCitizen Role = "citizen"

// RoleSystem marks what homthu does by itself in an item's history (a
// possible conflict of interest flagged, a deadline passed). It has no
// permission at all: Step refuses it everything.
const RoleSystem Role = "system"

// transition is one row of the state machine: event ev, done by a role
// that may act, moves an item in one of the from statuses to to ("" leaves
// the status as it is).
type transition struct {
	ev   Event
	act  Action
	from []Status
	to   Status
}

// open lists the statuses in which a case is still being processed by the
// Front or an agency.
var open = []Status{StatusReceived, StatusConsidering, StatusReferred, StatusAnswered, StatusReopened}

// transitions is the state machine. Step reads it; TestWorkflow holds every
// (role, status, event) against an independent list of what is allowed.
var transitions = []transition{
	{EvTriage, ActTriage, []Status{StatusReceived, StatusConsidering, StatusReopened}, StatusConsidering},
	{EvTriage, ActTriage, []Status{StatusReferred, StatusAnswered}, ""}, // correcting the classification
	{EvRedirect, ActTriage, []Status{StatusReceived, StatusConsidering, StatusReopened}, StatusOutOfScope},
	{EvSpam, ActTriage, []Status{StatusReceived, StatusConsidering}, StatusSpam},
	{EvRestore, ActTriage, []Status{StatusSpam, StatusOutOfScope}, StatusConsidering},
	{EvEscalate, ActTriage, []Status{StatusReceived, StatusConsidering, StatusReopened}, ""},
	{EvAssign, ActTriage, open, ""},
	{EvConflict, ActTriage, open, ""},
	{EvLink, ActTriage, []Status{StatusReceived, StatusConsidering, StatusReopened}, StatusLinked},
	{EvUnlink, ActTriage, []Status{StatusLinked}, StatusConsidering},
	{EvRefer, ActRefer, []Status{StatusConsidering, StatusReopened, StatusAnswered}, StatusReferred},
	{EvRecall, ActRefer, []Status{StatusReferred}, StatusConsidering},
	{EvDecideExtension, ActRefer, []Status{StatusReferred}, ""},
	{EvAcknowledge, ActHandleReferral, []Status{StatusReferred}, ""},
	{EvRequestExtension, ActHandleReferral, []Status{StatusReferred}, ""},
	{EvAnswer, ActHandleReferral, []Status{StatusReferred}, StatusAnswered},
	{EvClose, ActConclude, []Status{StatusConsidering, StatusAnswered, StatusReopened}, StatusClosed},
	{EvReopen, ActConclude, []Status{StatusClosed}, StatusReopened},
	{EvReopen, ActRate, []Status{StatusClosed}, StatusReopened},
	{EvRate, ActRate, []Status{StatusClosed}, ""},
}

// Events lists every event, in the order of the table.
func Events() []Event {
	var out []Event
	seen := map[Event]bool{}
	for _, t := range transitions {
		if !seen[t.ev] {
			seen[t.ev] = true
			out = append(out, t.ev)
		}
	}
	return out
}

// Step checks that a person with role r may do ev to an item in status
// from, and returns the status the item moves to. A role that may never do
// ev gets EFORBIDDEN; a role that may, on an item whose status does not
// allow it, gets ECONFLICT, with a message that says why in Vietnamese.
func Step(r Role, from Status, ev Event) (Status, error) {
	allowedRole := false
	for _, t := range transitions {
		if t.ev != ev || !r.Can(t.act) {
			continue
		}
		allowedRole = true
		for _, f := range t.from {
			if f == from {
				if t.to == "" {
					return from, nil
				}
				return t.to, nil
			}
		}
	}
	if !allowedRole {
		if r == RoleCitizen {
			return "", Errorf(EFORBIDDEN, "Người phản ánh không thực hiện được việc “%s”.", ev.Label())
		}
		return "", Errorf(EFORBIDDEN, "Vai trò %s không được thực hiện việc “%s”.", r.Label(), ev.Label())
	}
	return "", Errorf(ECONFLICT, "Không thể thực hiện việc “%s” khi thư, đơn đang ở trạng thái “%s”.", ev.Label(), from.Label())
}

// Allowed lists the events role r may do to an item in status st: what a
// page offers. It is Step, asked for every event.
func Allowed(r Role, st Status) map[Event]bool {
	out := map[Event]bool{}
	for _, ev := range Events() {
		if _, err := Step(r, st, ev); err == nil {
			out[ev] = true
		}
	}
	return out
}
