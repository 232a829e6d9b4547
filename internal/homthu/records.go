package homthu

import (
	"time"
	"unicode/utf8"
)

// The Front's records of its work under Regulation 124-QĐ/TW, which its
// reports count (issue 10): the coordination programmes it signs with the
// socio-political organisations, the activities it holds (dialogue
// conferences, trainings, briefings, supervision visits), and the units it
// chooses as pilots (điểm chỉ đạo). Each belongs to a unit and is read in
// that unit's scope, as items are.

// Programme is a coordination programme (chương trình phối hợp) signed by
// the Front committee of a unit and the socio-political organisations.
type Programme struct {
	ID     int64
	Unit   string
	Number string // number and symbol, e.g. "01/CTPH-MTTQ-ĐT"; not unique
	// SignedOn is the day it was signed (YYYY-MM-DD).
	SignedOn string
	Title    string
	// Parties are the signatories, e.g. "Ủy ban MTTQ phường Hoa Lư",
	// "Hội Liên hiệp Phụ nữ phường".
	Parties []string
	Scope   string
	// From and To are the period it covers (YYYY-MM-DD); To may be empty
	// for "until replaced".
	From, To string
	File     *Attachment
	UnitName string // filled by the store
}

// Limits on the text of the records.
const (
	MaxRecordTitleRunes = 300
	MaxRecordTextRunes  = 5000
	MaxParties          = 20
)

// Validate checks a normalised programme.
func (p *Programme) Validate() error {
	switch {
	case p.Unit == "":
		return Errorf(EINVALID, "Đơn vị: xin chọn đơn vị ký chương trình.")
	case p.Number == "" || utf8.RuneCountInString(p.Number) > 50:
		return Errorf(EINVALID, "Số, ký hiệu: xin ghi số, ký hiệu của chương trình (tối đa 50 ký tự).")
	case !validDay(p.SignedOn):
		return Errorf(EINVALID, "Ngày ký: %q không phải một ngày (ví dụ 2025-03-15).", p.SignedOn)
	case p.Title == "" || utf8.RuneCountInString(p.Title) > MaxRecordTitleRunes:
		return Errorf(EINVALID, "Tên chương trình: xin ghi tên, tối đa %d ký tự.", MaxRecordTitleRunes)
	case len(p.Parties) < 2 || len(p.Parties) > MaxParties:
		return Errorf(EINVALID, "Các bên ký: một chương trình phối hợp có từ 2 đến %d bên; xin ghi mỗi bên một dòng.", MaxParties)
	case utf8.RuneCountInString(p.Scope) > MaxRecordTextRunes:
		return Errorf(EINVALID, "Phạm vi: tối đa %d ký tự.", MaxRecordTextRunes)
	case !validDay(p.From):
		return Errorf(EINVALID, "Thời gian thực hiện: ngày bắt đầu %q không hợp lệ.", p.From)
	case p.To != "" && (!validDay(p.To) || p.To < p.From):
		return Errorf(EINVALID, "Thời gian thực hiện: ngày kết thúc %q phải là một ngày không trước ngày bắt đầu.", p.To)
	}
	for _, party := range p.Parties {
		if utf8.RuneCountInString(party) > 200 {
			return Errorf(EINVALID, "Các bên ký: tên mỗi bên tối đa 200 ký tự.")
		}
	}
	return nil
}

// ActivityKind is the kind of an activity. The codes are a contract.
type ActivityKind string

// The kinds of activity the reports count.
const (
	ActivityDialogue    ActivityKind = "dialogue"    // hội nghị đối thoại
	ActivityTraining    ActivityKind = "training"    // tập huấn
	ActivityBriefing    ActivityKind = "briefing"    // quán triệt, triển khai
	ActivitySupervision ActivityKind = "supervision" // giám sát
)

// ActivityKinds lists every kind, in the order of the forms.
var ActivityKinds = []ActivityKind{ActivityDialogue, ActivityTraining, ActivityBriefing, ActivitySupervision}

// Valid reports whether k is a known kind.
func (k ActivityKind) Valid() bool {
	for _, v := range ActivityKinds {
		if k == v {
			return true
		}
	}
	return false
}

// Label is what a person reads for the kind.
func (k ActivityKind) Label() string {
	switch k {
	case ActivityDialogue:
		return "Hội nghị đối thoại"
	case ActivityTraining:
		return "Tập huấn"
	case ActivityBriefing:
		return "Hội nghị quán triệt, triển khai"
	case ActivitySupervision:
		return "Giám sát"
	}
	return string(k)
}

// OrgCount is how many people of one organisation took part.
type OrgCount struct {
	Org   string
	Count int
}

// Activity is one conference, training, briefing or supervision visit.
type Activity struct {
	ID     int64
	Unit   string
	Kind   ActivityKind
	HeldOn string // YYYY-MM-DD
	Topic  string
	// Participants is the number of people; ByOrg, optional, splits them
	// by organisation and then adds up to at most Participants.
	Participants int
	ByOrg        []OrgCount
	Outcome      string
	Files        []Attachment
	UnitName     string // filled by the store
}

// Validate checks a normalised activity.
func (a *Activity) Validate() error {
	switch {
	case a.Unit == "":
		return Errorf(EINVALID, "Đơn vị: xin chọn đơn vị tổ chức.")
	case !a.Kind.Valid():
		return Errorf(EINVALID, "Loại hoạt động: xin chọn một loại.")
	case !validDay(a.HeldOn):
		return Errorf(EINVALID, "Ngày tổ chức: %q không phải một ngày (ví dụ 2025-03-15).", a.HeldOn)
	case a.Topic == "" || utf8.RuneCountInString(a.Topic) > MaxRecordTitleRunes:
		return Errorf(EINVALID, "Chủ đề: xin ghi chủ đề, tối đa %d ký tự.", MaxRecordTitleRunes)
	case a.Participants < 0 || a.Participants > 1000000:
		return Errorf(EINVALID, "Số người tham dự: xin ghi một số từ 0.")
	case utf8.RuneCountInString(a.Outcome) > MaxRecordTextRunes:
		return Errorf(EINVALID, "Kết quả: tối đa %d ký tự.", MaxRecordTextRunes)
	case len(a.Files) > MaxAttachments:
		return Errorf(EINVALID, "Tệp: tối đa %d tệp.", MaxAttachments)
	}
	sum := 0
	for _, o := range a.ByOrg {
		if o.Org == "" || o.Count < 0 {
			return Errorf(EINVALID, "Số người theo tổ chức: mỗi dòng cần tên tổ chức và một số từ 0 (ví dụ “Hội Nông dân: 25”).")
		}
		sum += o.Count
	}
	if sum > a.Participants {
		return Errorf(EINVALID, "Số người theo tổ chức: tổng %d nhiều hơn số người tham dự (%d).", sum, a.Participants)
	}
	return nil
}

// Pilot marks a unit as a pilot (điểm chỉ đạo) of the unit above for a
// period.
type Pilot struct {
	ID       int64
	Unit     string
	From, To string // YYYY-MM-DD; To empty for "until further notice"
	Note     string
	UnitName string
}

// Validate checks a normalised pilot.
func (p *Pilot) Validate() error {
	switch {
	case p.Unit == "":
		return Errorf(EINVALID, "Đơn vị: xin chọn đơn vị làm điểm.")
	case !validDay(p.From):
		return Errorf(EINVALID, "Từ ngày: %q không phải một ngày.", p.From)
	case p.To != "" && (!validDay(p.To) || p.To < p.From):
		return Errorf(EINVALID, "Đến ngày: %q phải là một ngày không trước ngày bắt đầu.", p.To)
	case utf8.RuneCountInString(p.Note) > 1000:
		return Errorf(EINVALID, "Ghi chú: tối đa 1.000 ký tự.")
	}
	return nil
}

func validDay(s string) bool {
	_, err := time.Parse(time.DateOnly, s)
	return err == nil
}
