package homthu

import (
	"strings"
	"time"
)

// AgencyKind is what sort of competent body an agency is (DESIGN.md:
// "Agency — cấp ủy, cơ quan quản lý, UBKT").
type AgencyKind string

// The kinds of agency.
const (
	AgencyPartyCommittee AgencyKind = "party_committee" // cấp ủy: Đảng ủy xã, phường; Tỉnh ủy
	AgencyInspection     AgencyKind = "inspection"      // Ủy ban Kiểm tra of a party committee (UBKT)
	AgencyManaging       AgencyKind = "managing"        // cơ quan quản lý: UBND, a department, a school…
)

// AgencyKinds lists every kind of agency.
var AgencyKinds = []AgencyKind{AgencyPartyCommittee, AgencyInspection, AgencyManaging}

// Valid reports whether k is a known kind.
func (k AgencyKind) Valid() bool {
	return k == AgencyPartyCommittee || k == AgencyInspection || k == AgencyManaging
}

// Label is the Vietnamese name of the kind.
func (k AgencyKind) Label() string {
	switch k {
	case AgencyPartyCommittee:
		return "Cấp ủy"
	case AgencyInspection:
		return "Ủy ban Kiểm tra"
	case AgencyManaging:
		return "Cơ quan quản lý"
	}
	return string(k)
}

// Agency is a body that receives referrals. It sits at a unit (a commune
// or a province) and has a head; its handlers are staff accounts with the
// agency role attached to it.
type Agency struct {
	ID           int64
	Unit         string
	UnitName     string
	Kind         AgencyKind
	Name         string // e.g. "Ban Thường vụ Đảng ủy phường Hoa Lư"
	HeadName     string // the person who heads it, for the conflict-of-interest check
	HeadPosition string
	Disabled     bool
	// Handlers is the number of active handler accounts (filled by lists).
	Handlers int
}

// Validate checks a normalised agency.
func (a *Agency) Validate() error {
	if a.Unit == "" {
		return Errorf(EINVALID, "Xin chọn đơn vị (xã, phường hoặc tỉnh) nơi cơ quan đặt trụ sở.")
	}
	if !a.Kind.Valid() {
		return Errorf(EINVALID, "Loại cơ quan %q không hợp lệ: cấp ủy (party_committee), ủy ban kiểm tra (inspection) hoặc cơ quan quản lý (managing).", a.Kind)
	}
	for _, f := range []struct {
		label, v string
		required bool
	}{
		{"Tên cơ quan", a.Name, true},
		{"Họ tên người đứng đầu", a.HeadName, false},
		{"Chức vụ người đứng đầu", a.HeadPosition, false},
	} {
		if err := CheckText(f.label, f.v, MaxShortRunes, f.required); err != nil {
			return err
		}
	}
	return nil
}

// Normalize puts the text fields in NFC and trims them.
func (a *Agency) Normalize(norm func(string) string) {
	for _, p := range []*string{&a.Unit, &a.Name, &a.HeadName, &a.HeadPosition} {
		*p = strings.TrimSpace(norm(*p))
	}
}

// Competence is the body the Front should refer an item to, as suggested
// from the person's management level and party membership; the staff may
// choose another.
type Competence struct {
	Kind AgencyKind
	// Level is "commune" or "province": where the body sits.
	Level Level
	// Why explains the suggestion, in Vietnamese.
	Why string
}

// SuggestCompetence applies the rules of cadre management (phân cấp quản
// lý cán bộ) to an item of kind k about subject s, addressed to the Front
// at level at:
//
//   - the level is where the person is managed: a commune cadre (or someone
//     no party committee manages) at the commune; a cadre of the province's
//     or the Centre's list at the province (the Front of a province has no
//     central body to refer to, so the provincial party committee reports
//     up). Unknown: where the item was sent.
//   - the body: a denunciation about a party member goes to the inspection
//     committee; anything else about a party member to the party
//     committee; about anyone else to the managing agency.
func SuggestCompetence(k Kind, s Subject, at Level) Competence {
	c := Competence{Level: at}
	var why []string
	switch s.ManagedBy {
	case ManagedNone, ManagedCommune:
		c.Level = ToCommune
		why = append(why, "người bị phản ánh do cấp xã quản lý")
	case ManagedProvince:
		c.Level = ToProvince
		why = append(why, "người bị phản ánh thuộc diện Tỉnh ủy quản lý")
	case ManagedCentral:
		c.Level = ToProvince
		why = append(why, "người bị phản ánh thuộc diện Trung ương quản lý: chuyển cấp tỉnh để báo cáo lên Trung ương")
	default:
		why = append(why, "chưa rõ cấp quản lý: đề xuất cơ quan cùng cấp với Mặt trận nhận thư")
	}
	switch {
	case k == KindDenunciation && s.PartyMember == Yes:
		c.Kind = AgencyInspection
		why = append(why, "đơn tố cáo đảng viên thuộc thẩm quyền Ủy ban Kiểm tra")
	case s.PartyMember == Yes:
		c.Kind = AgencyPartyCommittee
		why = append(why, "người bị phản ánh là đảng viên: chuyển cấp ủy quản lý")
	default:
		c.Kind = AgencyManaging
		why = append(why, "chuyển cơ quan quản lý người bị phản ánh")
	}
	c.Why = strings.Join(why, "; ") + "."
	return c
}

// ReferralState is where a referral is.
type ReferralState string

// The states of a referral.
const (
	ReferralSent         ReferralState = "sent"         // sent, not yet acknowledged
	ReferralAcknowledged ReferralState = "acknowledged" // the agency confirmed receipt
	ReferralAnswered     ReferralState = "answered"     // the agency recorded its outcome
	ReferralRecalled     ReferralState = "recalled"     // the Front withdrew it
)

// Label is the Vietnamese name of the state.
func (s ReferralState) Label() string {
	switch s {
	case ReferralSent:
		return "Đã gửi, chờ cơ quan xác nhận"
	case ReferralAcknowledged:
		return "Cơ quan đã nhận, đang xử lý"
	case ReferralAnswered:
		return "Cơ quan đã trả lời"
	case ReferralRecalled:
		return "Mặt trận đã rút lại"
	}
	return string(s)
}

// Outcome is what the agency decided (kết quả xử lý).
type Outcome string

// The outcomes. For a denunciation the Law on Denunciation's words apply
// (tố cáo đúng, đúng một phần, sai); for feedback the same three.
const (
	OutcomeFounded       Outcome = "founded"        // đúng
	OutcomePartlyFounded Outcome = "partly_founded" // đúng một phần
	OutcomeUnfounded     Outcome = "unfounded"      // không đúng, không có cơ sở
	OutcomeNotInRemit    Outcome = "not_in_remit"   // không thuộc thẩm quyền
	OutcomeAccepted      Outcome = "accepted"       // a proposal or comment taken on board, with an explanation
)

// Outcomes lists every outcome.
var Outcomes = []Outcome{OutcomeFounded, OutcomePartlyFounded, OutcomeUnfounded, OutcomeNotInRemit, OutcomeAccepted}

// Valid reports whether o is a known outcome.
func (o Outcome) Valid() bool {
	for _, v := range Outcomes {
		if o == v {
			return true
		}
	}
	return false
}

// Label is the Vietnamese name of the outcome.
func (o Outcome) Label() string {
	switch o {
	case OutcomeFounded:
		return "Đúng"
	case OutcomePartlyFounded:
		return "Đúng một phần"
	case OutcomeUnfounded:
		return "Không đúng, không có cơ sở"
	case OutcomeNotInRemit:
		return "Không thuộc thẩm quyền"
	case OutcomeAccepted:
		return "Tiếp thu, giải trình"
	}
	return string(o)
}

// Referral is an item sent to an agency (chuyển đến cơ quan có thẩm
// quyền), with its official letter's number and date and a deadline.
type Referral struct {
	ID         int64
	Item       string
	Agency     int64
	AgencyName string
	AgencyUnit string
	Number     string // số văn bản, e.g. "15/CV-MTTQ"
	SentOn     string // YYYY-MM-DD
	DueOn      string // YYYY-MM-DD, after approved extensions
	Working    bool   // the deadline counts working days
	Days       int
	State      ReferralState
	Letter     string // the covering letter's text (trích yếu and body)
	CreatedBy  string
	CreatedAt  time.Time

	AcknowledgedAt time.Time
	AcknowledgedBy string

	Outcome    Outcome
	Measures   string // biện pháp đã xử lý
	Answer     string // the written answer (văn bản trả lời), as text
	AnswerFile *Attachment
	AnsweredAt time.Time
	AnsweredBy string

	Extensions []Extension
}

// Overdue reports whether the referral waits for an answer past its
// deadline on day today (YYYY-MM-DD).
func (r *Referral) Overdue(today string) bool {
	return (r.State == ReferralSent || r.State == ReferralAcknowledged) && r.DueOn != "" && r.DueOn < today
}

// PendingExtension is the extension request waiting for the Front's
// decision, or nil.
func (r *Referral) PendingExtension() *Extension {
	for i := range r.Extensions {
		if r.Extensions[i].State == ExtensionRequested {
			return &r.Extensions[i]
		}
	}
	return nil
}

// ExtensionState is where a request for more time is.
type ExtensionState string

// The states of an extension request.
const (
	ExtensionRequested ExtensionState = "requested"
	ExtensionApproved  ExtensionState = "approved"
	ExtensionRefused   ExtensionState = "refused"
)

// Label is the Vietnamese name of the state.
func (s ExtensionState) Label() string {
	switch s {
	case ExtensionRequested:
		return "Chờ Mặt trận quyết định"
	case ExtensionApproved:
		return "Đã đồng ý gia hạn"
	case ExtensionRefused:
		return "Không đồng ý gia hạn"
	}
	return string(s)
}

// Extension is an agency's request for more time on a referral.
type Extension struct {
	ID          int64
	Days        int
	Reason      string
	State       ExtensionState
	RequestedAt time.Time
	RequestedBy string
	DecidedAt   time.Time
	DecidedBy   string
	Note        string // the Front's note on its decision
}

// MaxExtensionDays bounds one extension.
const MaxExtensionDays = 60

// Answer is what an agency handler records as the outcome of a referral.
type Answer struct {
	Outcome  Outcome
	Measures string
	Text     string
	File     *Attachment // the signed written answer, scanned or as PDF
}

// Validate checks a normalised answer.
func (a *Answer) Validate() error {
	if !a.Outcome.Valid() {
		return Errorf(EINVALID, "Xin chọn kết quả xử lý: đúng, đúng một phần, không đúng, không thuộc thẩm quyền, hoặc tiếp thu, giải trình.")
	}
	if err := CheckText("Biện pháp đã xử lý", a.Measures, MaxNotesRunes, false); err != nil {
		return err
	}
	if err := CheckText("Nội dung văn bản trả lời", a.Text, MaxContentRunes, a.File == nil); err != nil {
		if strings.TrimSpace(a.Text) == "" {
			return Errorf(EINVALID, "Xin ghi nội dung văn bản trả lời, hoặc đính kèm văn bản trả lời (PDF, ảnh chụp).")
		}
		return err
	}
	return nil
}

// Rating is the submitter's view of the answer.
type Rating struct {
	Satisfied bool
	Comment   string
	At        time.Time
}
