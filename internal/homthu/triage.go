package homthu

import (
	"regexp"
	"strings"
	"time"
)

// Kind is what an item is, decided at triage. Codes are a contract.
type Kind string

// The kinds (issue 9, "Triage"). A formal denunciation (tố cáo) has rules of
// its own under the Law on Denunciation (Luật Tố cáo 2018): see Triage.Rules.
const (
	KindReport       Kind = "report"       // phản ánh: something that happened
	KindProposal     Kind = "proposal"     // kiến nghị: a request that something be done
	KindComment      Kind = "comment"      // góp ý: an opinion on a cadre's or party member's conduct
	KindDenunciation Kind = "denunciation" // tố cáo: a formal denunciation of a violation
	KindOutside      Kind = "outside"      // outside Regulation 124: the submitter is told where to go
)

// Kinds lists every kind.
var Kinds = []Kind{KindReport, KindProposal, KindComment, KindDenunciation, KindOutside}

// Valid reports whether k is a known kind.
func (k Kind) Valid() bool {
	for _, v := range Kinds {
		if k == v {
			return true
		}
	}
	return false
}

// Label is the Vietnamese name of the kind.
func (k Kind) Label() string {
	switch k {
	case KindReport:
		return "Phản ánh"
	case KindProposal:
		return "Kiến nghị"
	case KindComment:
		return "Góp ý"
	case KindDenunciation:
		return "Tố cáo"
	case KindOutside:
		return "Không thuộc phạm vi"
	case "":
		return "Chưa phân loại"
	}
	return string(k)
}

// Priority orders the work.
type Priority string

// The priorities.
const (
	PriorityNormal Priority = "normal"
	PriorityHigh   Priority = "high"
	PriorityUrgent Priority = "urgent"
)

// Priorities lists every priority, lowest first.
var Priorities = []Priority{PriorityNormal, PriorityHigh, PriorityUrgent}

// Valid reports whether p is a known priority.
func (p Priority) Valid() bool {
	return p == PriorityNormal || p == PriorityHigh || p == PriorityUrgent
}

// Label is the Vietnamese name of the priority.
func (p Priority) Label() string {
	switch p {
	case PriorityNormal:
		return "Bình thường"
	case PriorityHigh:
		return "Ưu tiên"
	case PriorityUrgent:
		return "Khẩn"
	}
	return string(p)
}

// YesNo is an answer that may not be known: "" (not known), "yes", "no".
type YesNo string

// The answers.
const (
	Unknown YesNo = ""
	Yes     YesNo = "yes"
	No      YesNo = "no"
)

// Valid reports whether v is "", "yes" or "no".
func (v YesNo) Valid() bool { return v == Unknown || v == Yes || v == No }

// Label is the Vietnamese answer.
func (v YesNo) Label() string {
	switch v {
	case Yes:
		return "Có"
	case No:
		return "Không"
	}
	return "Chưa rõ"
}

// ManagedBy is the level whose party committee manages the cadre concerned
// (phân cấp quản lý cán bộ): it decides which body is competent.
type ManagedBy string

// The management levels.
const (
	ManagedUnknown  ManagedBy = ""
	ManagedNone     ManagedBy = "none"     // not a cadre managed by a party committee (a party member, a civil servant)
	ManagedCommune  ManagedBy = "commune"  // managed by the commune's party committee
	ManagedProvince ManagedBy = "province" // managed by the provincial party committee (or its standing committee)
	ManagedCentral  ManagedBy = "central"  // managed by the Central Committee, the Politburo or the Secretariat
)

// ManagementLevels lists every level, from the bottom.
var ManagementLevels = []ManagedBy{ManagedNone, ManagedCommune, ManagedProvince, ManagedCentral}

// Valid reports whether m is a known level or unknown.
func (m ManagedBy) Valid() bool {
	if m == ManagedUnknown {
		return true
	}
	for _, v := range ManagementLevels {
		if m == v {
			return true
		}
	}
	return false
}

// Label is the Vietnamese name of the level.
func (m ManagedBy) Label() string {
	switch m {
	case ManagedNone:
		return "Không thuộc diện cấp ủy quản lý"
	case ManagedCommune:
		return "Cấp ủy cấp xã quản lý"
	case ManagedProvince:
		return "Tỉnh ủy, Ban Thường vụ Tỉnh ủy quản lý"
	case ManagedCentral:
		return "Trung ương quản lý"
	}
	return "Chưa rõ"
}

// Triage is the Front's classification of an item.
type Triage struct {
	Kind Kind
	// Categories are codes of catalogue standards (the 27 manifestations,
	// the 19 prohibitions, or others an administrator loaded), several
	// allowed. The application checks them against the catalogues.
	Categories []string
	// Subject is the person concerned as the Front established it (the
	// submitter's words stay in the item's content).
	Subject  Subject
	Priority Priority
	Notes    string
	// Explanation is what the submitter is told when the item is outside
	// the Front's remit: why, and where to send it. Required for
	// KindOutside.
	Explanation string
}

// MaxNotesRunes bounds the staff's notes and explanations.
const MaxNotesRunes = 5000

// MaxCategories bounds the categories of one item (catalog.MaxClassify).
const MaxCategories = 10

// StandardRef names a catalogue standard at a version ("NQ4-05" at 1): what
// an item keeps of its classification, so that it keeps meaning what it
// meant the day it was classified (internal/catalog).
type StandardRef struct {
	Code    string `json:"code"`
	Version int    `json:"version"`
}

// CategoryCodes lists the codes of refs.
func CategoryCodes(refs []StandardRef) []string {
	out := make([]string, len(refs))
	for i, r := range refs {
		out[i] = r.Code
	}
	return out
}

var categoryCode = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$`)

// Normalize puts the text fields in NFC (through norm) and trims them,
// drops empty and repeated categories and defaults the priority.
func (t *Triage) Normalize(norm func(string) string) {
	for _, p := range []*string{&t.Notes, &t.Explanation, &t.Subject.Name, &t.Subject.Position, &t.Subject.Workplace, &t.Subject.Unit} {
		*p = strings.TrimSpace(norm(*p))
	}
	var cats []string
	seen := map[string]bool{}
	for _, c := range t.Categories {
		c = strings.TrimSpace(c)
		if c != "" && !seen[c] {
			seen[c] = true
			cats = append(cats, c)
		}
	}
	t.Categories = cats
	if t.Priority == "" {
		t.Priority = PriorityNormal
	}
}

// Validate checks a normalised triage.
func (t *Triage) Validate() error {
	if t.Kind == "" {
		return Errorf(EINVALID, "Xin chọn loại thư, đơn: phản ánh, kiến nghị, góp ý, tố cáo, hoặc không thuộc phạm vi.")
	}
	if !t.Kind.Valid() {
		return Errorf(EINVALID, "Loại thư, đơn %q không hợp lệ.", t.Kind)
	}
	if !t.Priority.Valid() {
		return Errorf(EINVALID, "Mức độ ưu tiên %q không hợp lệ.", t.Priority)
	}
	if len(t.Categories) > MaxCategories {
		return Errorf(EINVALID, "Chọn tối đa %d biểu hiện, điều cấm cho một thư, đơn.", MaxCategories)
	}
	for _, c := range t.Categories {
		if !categoryCode.MatchString(c) {
			return Errorf(EINVALID, "Mã biểu hiện, điều cấm %q không hợp lệ.", c)
		}
	}
	if err := t.Subject.validate(); err != nil {
		return err
	}
	if err := CheckText("Ghi chú", t.Notes, MaxNotesRunes, false); err != nil {
		return err
	}
	if err := CheckText("Nội dung hướng dẫn người phản ánh", t.Explanation, MaxNotesRunes, t.Kind == KindOutside); err != nil {
		if t.Kind == KindOutside && strings.TrimSpace(t.Explanation) == "" {
			return Errorf(EINVALID, "Thư, đơn không thuộc phạm vi: xin viết cho người phản ánh lý do và nơi có thẩm quyền để họ gửi đến. Thư, đơn không bao giờ bị bỏ qua mà không báo lại.")
		}
		return err
	}
	return nil
}

// validate checks the triage fields of a subject.
func (s Subject) validate() error {
	for _, f := range []struct{ label, v string }{
		{"Họ tên người bị phản ánh", s.Name},
		{"Chức vụ người bị phản ánh", s.Position},
		{"Nơi công tác người bị phản ánh", s.Workplace},
	} {
		if err := CheckText(f.label, f.v, MaxShortRunes, false); err != nil {
			return err
		}
	}
	if !s.PartyMember.Valid() {
		return Errorf(EINVALID, "Trường “là đảng viên” chỉ nhận yes, no hoặc để trống.")
	}
	if !s.ManagedBy.Valid() {
		return Errorf(EINVALID, "Cấp quản lý cán bộ %q không hợp lệ.", s.ManagedBy)
	}
	if len(s.Unit) > 40 {
		return Errorf(EINVALID, "Mã đơn vị nơi công tác quá dài.")
	}
	return nil
}

// Rules are the consequences of a kind the Front must follow, and tell the
// submitter about.
type Rules struct {
	// DenunciationLaw: a named denunciation is handled under the Law on
	// Denunciation (Luật Tố cáo 2018), with its time limits.
	DenunciationLaw bool
	// Inspection: a denunciation about a party member also goes to the
	// party's inspection committee (Ủy ban kiểm tra, Điều lệ Đảng, Article
	// 32; Regulation 22-QĐ/TW).
	Inspection bool
	// AsFeedback: an anonymous denunciation is not handled under that law
	// (its Article 25: information with denouncing content whose author is
	// unknown is not handled as a denunciation) but is still considered as
	// feedback.
	AsFeedback bool
	// Notice is what the submitter is told in the thread, "" for nothing.
	Notice string
}

// RulesFor returns the rules of a kind for an item, named or anonymous,
// about a subject.
func RulesFor(k Kind, anonymous bool, s Subject) Rules {
	switch {
	case k == KindDenunciation && anonymous:
		return Rules{AsFeedback: true, Notice: "Thư của bạn có nội dung tố cáo nhưng được gửi ẩn danh. Theo Điều 25 Luật Tố cáo năm 2018, " +
			"thông tin tố cáo không rõ họ tên, địa chỉ người tố cáo không được thụ lý giải quyết như một đơn tố cáo. " +
			"Mặt trận vẫn tiếp nhận, xem xét nội dung như một phản ánh và chuyển cơ quan có thẩm quyền nếu có căn cứ."}
	case k == KindDenunciation:
		r := Rules{DenunciationLaw: true, Notice: "Đơn của bạn được phân loại là đơn tố cáo và được xử lý theo Luật Tố cáo năm 2018: " +
			"Mặt trận chuyển đến cơ quan, người có thẩm quyền giải quyết; danh tính của bạn được giữ bí mật theo quy định."}
		if s.PartyMember == Yes {
			r.Inspection = true
			r.Notice += " Vì người bị tố cáo là đảng viên, đơn cũng được chuyển Ủy ban Kiểm tra của cấp ủy có thẩm quyền."
		}
		return r
	}
	return Rules{}
}

// Consent is the consent a named submitter gave to the processing of their
// personal data (Law 91/2025/QH15 on personal data protection): the version
// of the notice they read and when they agreed. It is kept with the item
// and shown to the staff who may see the identity.
type Consent struct {
	Notice string
	At     time.Time
}

// ConsentNotice is the version of the notice on processing personal data
// that the submission form shows today. Change it whenever the notice's
// text changes, so that each item records which text its submitter read.
const ConsentNotice = "2026-01"
