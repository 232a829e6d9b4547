package homthu

import (
	"strconv"
	"strings"
	"time"
)

// Regulation 124-QĐ/TW and the Front's guidance ask every residential area
// to keep a feedback mailbox (hòm thư góp ý) at its cultural house or
// community point, and to open it once a month with witnesses, recording
// each opening in a logbook (sổ theo dõi mở hòm thư hàng tháng). This file
// holds the mailbox; opening.go the opening and its letters; compliance.go
// the rules by which openings are counted.

// MailboxStatus is the state of a mailbox. The codes are a contract.
type MailboxStatus string

// The states of a mailbox.
const (
	MailboxInUse   MailboxStatus = "in_use"  // in place and in use
	MailboxDamaged MailboxStatus = "damaged" // in place but damaged (a broken lock, a cracked box): still to be opened, and repaired
	MailboxRemoved MailboxStatus = "removed" // taken away; RemovedOn says since when
)

// MailboxStatuses lists every state.
var MailboxStatuses = []MailboxStatus{MailboxInUse, MailboxDamaged, MailboxRemoved}

// Valid reports whether s is a known state.
func (s MailboxStatus) Valid() bool {
	for _, v := range MailboxStatuses {
		if s == v {
			return true
		}
	}
	return false
}

// Label is what a person reads for the state.
func (s MailboxStatus) Label() string {
	switch s {
	case MailboxInUse:
		return "Đang sử dụng"
	case MailboxDamaged:
		return "Hư hỏng, cần sửa chữa"
	case MailboxRemoved:
		return "Đã gỡ bỏ"
	}
	return string(s)
}

// Mailbox is one feedback box: at a residential area (one or more per
// area) or, optionally, at the commune's Front office.
type Mailbox struct {
	ID       int64
	Unit     string // the area (or commune) the box belongs to
	UnitName string // filled by the store
	// CommuneName is the name of the commune the box's area belongs to (or
	// the commune itself), filled by the store for display.
	CommuneName string
	Place       string // where it hangs, e.g. "Nhà văn hóa thôn Đông"
	InstalledOn string // YYYY-MM-DD, Vietnam's calendar
	Status      MailboxStatus
	// RemovedOn is the first day the box is no longer in service
	// (YYYY-MM-DD); set exactly when Status is MailboxRemoved.
	RemovedOn string
	// Day is the day of the month the box is opened on: 1 to 31 (in a
	// shorter month, its last day), or 0 for "any day of the month".
	Day  int
	Note string
}

// ScheduleLabel says in words when the box is opened.
func (m *Mailbox) ScheduleLabel() string {
	if m.Day == 0 {
		return "Mỗi tháng một lần, ngày bất kỳ trong tháng"
	}
	return "Ngày " + strconv.Itoa(m.Day) + " hằng tháng"
}

// Label names the box for a person: its place and its area.
func (m *Mailbox) Label() string {
	if m.UnitName == "" {
		return m.Place
	}
	return m.Place + " (" + m.UnitName + ")"
}

// Limits on a mailbox's text fields.
const (
	MaxPlaceRunes = 200
	MaxNoteRunes  = 1000
)

// MailboxInput is what a person gives to register or change a mailbox.
type MailboxInput struct {
	Unit        string
	Place       string
	InstalledOn string
	Status      MailboxStatus
	RemovedOn   string
	Day         int
	Note        string
}

// Normalize puts the text fields in NFC and trims them; an empty status is
// "in use".
func (in *MailboxInput) Normalize(norm func(string) string) {
	for _, p := range []*string{&in.Unit, &in.Place, &in.InstalledOn, &in.RemovedOn, &in.Note} {
		*p = strings.TrimSpace(norm(*p))
	}
	if in.Status == "" {
		in.Status = MailboxInUse
	}
}

// Validate checks a normalised mailbox against today (in Vietnam): the
// place is given, the install date is a real day not in the future, the
// day of the month is 0 to 31, and a removal date is given exactly when
// the box is removed, on or after its installation and not in the future.
func (in *MailboxInput) Validate(today string) error {
	if in.Unit == "" {
		return Errorf(EINVALID, "Xin chọn khu dân cư (hoặc xã, phường) đặt hòm thư.")
	}
	if err := CheckText("Nơi đặt hòm thư", in.Place, MaxPlaceRunes, true); err != nil {
		return err
	}
	if err := CheckText("Ghi chú", in.Note, MaxNoteRunes, false); err != nil {
		return err
	}
	if !ValidDay(in.InstalledOn) {
		return Errorf(EINVALID, "Ngày lắp đặt %q không hợp lệ: viết theo dạng NĂM-THÁNG-NGÀY, ví dụ 2024-03-15.", in.InstalledOn)
	}
	if in.InstalledOn > today {
		return Errorf(EINVALID, "Ngày lắp đặt không được sau hôm nay.")
	}
	if !in.Status.Valid() {
		return Errorf(EINVALID, "Tình trạng hòm thư %q không hợp lệ.", in.Status)
	}
	if in.Day < 0 || in.Day > 31 {
		return Errorf(EINVALID, "Ngày mở hòm hằng tháng phải từ 1 đến 31 (hoặc 0: ngày bất kỳ trong tháng).")
	}
	switch {
	case in.Status == MailboxRemoved && in.RemovedOn == "":
		return Errorf(EINVALID, "Xin ghi ngày gỡ bỏ hòm thư.")
	case in.Status != MailboxRemoved && in.RemovedOn != "":
		return Errorf(EINVALID, "Chỉ ghi ngày gỡ bỏ khi hòm thư đã được gỡ bỏ.")
	case in.RemovedOn != "" && !ValidDay(in.RemovedOn):
		return Errorf(EINVALID, "Ngày gỡ bỏ %q không hợp lệ: viết theo dạng NĂM-THÁNG-NGÀY.", in.RemovedOn)
	case in.RemovedOn != "" && in.RemovedOn < in.InstalledOn:
		return Errorf(EINVALID, "Ngày gỡ bỏ không được trước ngày lắp đặt.")
	case in.RemovedOn > today:
		return Errorf(EINVALID, "Ngày gỡ bỏ không được sau hôm nay.")
	}
	return nil
}

// ValidDay reports whether s is a calendar day written YYYY-MM-DD, from
// the year 2000.
func ValidDay(s string) bool {
	t, err := time.Parse(time.DateOnly, s)
	return err == nil && t.Year() >= 2000 && t.Format(time.DateOnly) == s
}

// Today is the day of t in Vietnam, YYYY-MM-DD.
func Today(t time.Time) string { return t.In(VNTime).Format(time.DateOnly) }
