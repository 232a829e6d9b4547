package homthu

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Status is where an item is in its processing. The codes are a contract:
// later work may add codes, never rename them. No status says "done" while
// the case is still open.
type Status string

// The statuses of an item.
const (
	StatusReceived    Status = "received"     // received, not yet looked at
	StatusConsidering Status = "considering"  // the Front is considering it
	StatusReferred    Status = "referred"     // sent to the competent body, awaiting its answer
	StatusAnswered    Status = "answered"     // the competent body answered; the Front informs the submitter
	StatusClosed      Status = "closed"       // processing finished
	StatusOutOfScope  Status = "out_of_scope" // not within Regulation 124; the submitter is told where to go
	StatusReopened    Status = "reopened"     // reopened after closing: the submitter was not satisfied, or new facts
	StatusLinked      Status = "linked"       // a duplicate, joined to the case it repeats; processed with it
	StatusSpam        Status = "spam"         // spam or abuse: hidden from the inbox, never deleted, counted apart
)

// Statuses lists every status in processing order.
var Statuses = []Status{StatusReceived, StatusConsidering, StatusReferred, StatusAnswered, StatusReopened, StatusClosed,
	StatusOutOfScope, StatusLinked, StatusSpam}

// Valid reports whether s is a known status.
func (s Status) Valid() bool {
	for _, v := range Statuses {
		if s == v {
			return true
		}
	}
	return false
}

// Label is what a person reads for the status.
func (s Status) Label() string {
	switch s {
	case StatusReceived:
		return "Đã tiếp nhận, chờ xem xét"
	case StatusConsidering:
		return "Đang xem xét, phân loại"
	case StatusReferred:
		return "Đã chuyển cơ quan có thẩm quyền, chờ trả lời"
	case StatusAnswered:
		return "Cơ quan có thẩm quyền đã trả lời"
	case StatusClosed:
		return "Đã kết thúc xử lý"
	case StatusOutOfScope:
		return "Không thuộc phạm vi Quy định 124"
	case StatusReopened:
		return "Đã mở lại, đang xem xét tiếp"
	case StatusLinked:
		return "Đã gộp vào vụ việc trùng nội dung"
	case StatusSpam:
		return "Thư rác, lạm dụng"
	}
	return string(s)
}

// PublicLabel is the status as the submitter reads it on the receipt page.
// It differs from Label only where the staff's word would be unkind or
// say more than the submitter needs.
func (s Status) PublicLabel() string {
	switch s {
	case StatusLinked:
		return "Đã gộp với thư, đơn khác cùng nội dung; được xem xét, xử lý chung"
	case StatusSpam:
		return "Không được xem xét: thư không có nội dung phản ánh, kiến nghị, hoặc có nội dung không phù hợp"
	}
	return s.Label()
}

// Open reports whether the case is still being processed. A linked item is
// processed with its case (and closes with it); spam is never processed.
func (s Status) Open() bool {
	return s != StatusClosed && s != StatusOutOfScope && s != StatusSpam && s != StatusLinked
}

// Hidden reports whether items in the status stay out of the inbox unless
// asked for by status: spam and abuse.
func (s Status) Hidden() bool { return s == StatusSpam }

// Channel is how an item reached the Front.
type Channel string

// The channels. Codes are a contract like the statuses.
const (
	ChannelOnline   Channel = "online"
	ChannelPaper    Channel = "paper"
	ChannelInPerson Channel = "in_person"
	ChannelPhone    Channel = "phone"
)

// Channels lists every channel.
var Channels = []Channel{ChannelOnline, ChannelPaper, ChannelInPerson, ChannelPhone}

// Valid reports whether c is a known channel.
func (c Channel) Valid() bool {
	for _, v := range Channels {
		if c == v {
			return true
		}
	}
	return false
}

// Label is what a person reads for the channel.
func (c Channel) Label() string {
	switch c {
	case ChannelOnline:
		return "Trực tuyến"
	case ChannelPaper:
		return "Thư qua hòm thư"
	case ChannelInPerson:
		return "Trực tiếp"
	case ChannelPhone:
		return "Điện thoại"
	}
	return string(c)
}

// Level says whose Front an online item is addressed to.
type Level string

// The addressees. An item about the commune's own leaders goes to the
// province, and then the commune's staff never see it.
const (
	ToCommune  Level = "commune"
	ToProvince Level = "province"
)

// Subject is the cadre or party member an item is about (người bị phản ánh).
// The submitter gives what they know; the Front completes it at triage
// (party membership, management level, the unit of the workplace), which
// decides the competent body and what the conflict-of-interest check
// compares.
type Subject struct {
	Name      string `json:"name,omitempty"`
	Position  string `json:"position,omitempty"`
	Workplace string `json:"workplace,omitempty"`
	// PartyMember says whether the person is a party member (đảng viên).
	PartyMember YesNo `json:"party_member,omitempty"`
	// ManagedBy is the level whose party committee manages the person.
	ManagedBy ManagedBy `json:"managed_by,omitempty"`
	// Unit is the code of the administrative unit where the person works,
	// when known.
	Unit string `json:"unit,omitempty"`
}

// Empty reports whether nothing of the subject was given.
func (s Subject) Empty() bool {
	return s.Name == "" && s.Position == "" && s.Workplace == "" && s.PartyMember == "" && s.ManagedBy == "" && s.Unit == ""
}

// Identity is who a named submitter is. It is stored only encrypted and shown
// only to roles that need it, each look audited.
type Identity struct {
	Name    string `json:"name,omitempty"`
	Phone   string `json:"phone,omitempty"`
	Email   string `json:"email,omitempty"`
	Address string `json:"address,omitempty"`
}

// Empty reports whether nothing of the identity was given.
func (id Identity) Empty() bool {
	return id.Name == "" && id.Phone == "" && id.Email == "" && id.Address == ""
}

// Attachment is a file sent with an item, stored content-addressed.
type Attachment struct {
	SHA256 string // hex digest of the stored (sanitised) bytes
	Name   string // a safe display name
	Type   string // MIME type, checked by content
	Size   int64
}

// Limits on what a submission may carry.
const (
	MaxContentRunes  = 20000
	MaxShortRunes    = 200
	MaxAttachments   = 5
	MaxAttachmentLen = 10 << 20 // bytes, after downscaling
	MaxMessageRunes  = 5000
)

// Submission is a new item as a citizen or a staff member sends it.
type Submission struct {
	Area      string // the residential area (or commune) the item concerns
	To        Level
	Channel   Channel
	Content   string
	Subject   Subject
	Anonymous bool
	Submitter Identity
	// Consent is the consent a named submitter gave (the notice version
	// and the time); zero when none was asked (anonymous, a paper letter).
	Consent Consent
	// Attachments have been sanitised and stored before the submission is made.
	Attachments []Attachment
}

// Normalize puts every text field in NFC (through norm) and trims it.
func (s *Submission) Normalize(norm func(string) string) {
	for _, p := range []*string{&s.Area, &s.Content, &s.Subject.Name, &s.Subject.Position, &s.Subject.Workplace,
		&s.Submitter.Name, &s.Submitter.Phone, &s.Submitter.Email, &s.Submitter.Address} {
		*p = strings.TrimSpace(norm(*p))
	}
	if s.To == "" {
		s.To = ToCommune
	}
	if s.Channel == "" {
		s.Channel = ChannelOnline
	}
}

// Validate checks a normalised submission and returns an EINVALID *Error
// whose message says, in Vietnamese, what to correct.
func (s *Submission) Validate() error {
	if s.Area == "" {
		return Errorf(EINVALID, "Xin chọn khu dân cư hoặc xã, phường nơi xảy ra việc bạn phản ánh.")
	}
	if s.To != ToCommune && s.To != ToProvince {
		return Errorf(EINVALID, "Nơi nhận phải là Mặt trận cấp xã (commune) hoặc cấp tỉnh (province).")
	}
	if !s.Channel.Valid() {
		return Errorf(EINVALID, "Kênh tiếp nhận không hợp lệ.")
	}
	if err := CheckText("Nội dung phản ánh", s.Content, MaxContentRunes, true); err != nil {
		return err
	}
	if err := s.Subject.validate(); err != nil {
		return err
	}
	for _, f := range []struct{ label, v string }{
		{"Họ tên của bạn", s.Submitter.Name},
		{"Số điện thoại", s.Submitter.Phone},
		{"Thư điện tử", s.Submitter.Email},
		{"Địa chỉ", s.Submitter.Address},
	} {
		if err := CheckText(f.label, f.v, MaxShortRunes, false); err != nil {
			return err
		}
	}
	if s.Anonymous && !s.Submitter.Empty() {
		return Errorf(EINVALID, "Thư ẩn danh không được kèm thông tin người gửi. Hãy bỏ chọn ẩn danh hoặc xóa họ tên, liên hệ.")
	}
	if !s.Anonymous && s.Submitter.Name == "" {
		return Errorf(EINVALID, "Xin ghi họ tên của bạn, hoặc chọn gửi ẩn danh.")
	}
	if s.Submitter.Email != "" && (!strings.Contains(s.Submitter.Email, "@") || strings.ContainsAny(s.Submitter.Email, " \t<>")) {
		return Errorf(EINVALID, "Địa chỉ thư điện tử không hợp lệ.")
	}
	if s.Submitter.Phone != "" {
		digits := 0
		for _, r := range s.Submitter.Phone {
			switch {
			case r >= '0' && r <= '9':
				digits++
			case r == '+' || r == ' ' || r == '.' || r == '-' || r == '(' || r == ')':
			default:
				return Errorf(EINVALID, "Số điện thoại chỉ gồm chữ số (có thể có dấu +, dấu cách).")
			}
		}
		if digits < 8 || digits > 15 {
			return Errorf(EINVALID, "Số điện thoại phải có từ 8 đến 15 chữ số.")
		}
	}
	// A paper letter may have more pages than a citizen attaches files.
	maxFiles := MaxAttachments
	if s.Channel == ChannelPaper {
		maxFiles = MaxLetterPages
	}
	if len(s.Attachments) > maxFiles {
		return Errorf(EINVALID, "Chỉ được đính kèm tối đa %d tệp.", maxFiles)
	}
	return nil
}

// CheckText validates one text field: valid UTF-8, no NUL or other control
// characters but newlines and tabs, at most max runes, and not blank when
// required.
func CheckText(label, v string, max int, required bool) error {
	if !utf8.ValidString(v) {
		return Errorf(EINVALID, "%s có ký tự không hợp lệ (không phải UTF-8).", label)
	}
	if required && strings.TrimSpace(v) == "" {
		return Errorf(EINVALID, "%s không được để trống.", label)
	}
	n := 0
	for _, r := range v {
		n++
		if r == 0 || (unicode.IsControl(r) && r != '\n' && r != '\r' && r != '\t') {
			return Errorf(EINVALID, "%s có ký tự điều khiển không hợp lệ.", label)
		}
	}
	if n > max {
		return Errorf(EINVALID, "%s quá dài: tối đa %d ký tự, bạn đã viết %d.", label, max, n)
	}
	return nil
}

// Item is one piece of feedback received, from any channel.
type Item struct {
	ID      string
	Area    string // the unit the item was sent about (kept even if the unit later merges)
	Unit    string // the unit whose Front it is addressed to (the commune or the province)
	Channel Channel
	Status  Status
	Content string
	Subject Subject
	// ReceivedOn is the day of receipt (Vietnam time). For an anonymous item
	// it is all that is kept: no finer time.
	ReceivedOn string
	// ReceivedAt is the full time of receipt, zero for anonymous items.
	ReceivedAt  time.Time
	Anonymous   bool
	Attachments []Attachment
	// Unattended is set when the addressee unit has no staff account, so the
	// item is shown to the nearest unit above with staff.
	Unattended bool
	// Names for display, filled by the store.
	UnitName string
	AreaName string

	// Processing (issue 9).
	Kind Kind
	// Categories are the catalogue standards the item was classified
	// under, each at the catalogue version in force when it was chosen.
	Categories []StandardRef
	Priority   Priority
	Notes      string
	// DenunciationLaw and Inspection are the rules of a denunciation
	// (RulesFor), set at triage.
	DenunciationLaw bool
	Inspection      bool
	Assignee        int64
	AssigneeName    string
	// CaseOf is the item whose case this duplicate was linked to.
	CaseOf string
	// Agency is the agency of the current referral, 0 when none.
	Agency     int64
	AgencyName string
	// DueOn is the deadline of the current step, "" once closed.
	DueOn string
	// Version counts the item's changes; a change made on an older
	// version is refused (two staff, or a double click).
	Version int
	// Consent is what a named submitter consented to; shown only to staff
	// who may see the identity.
	Consent Consent
	// Rating is the submitter's rating of the answer, nil when none.
	Rating *Rating
	// SortKey orders the inbox (the day, then random): internal.
	SortKey int64
}

// Overdue reports whether the item waits past its deadline on day today.
func (it *Item) Overdue(today string) bool {
	return it.DueOn != "" && it.DueOn < today && it.Status.Open()
}

// ReceivedLabel is the receipt time as shown to a person and in the API:
// RFC 3339 for a named item, the date only for an anonymous one.
func (it *Item) ReceivedLabel() string {
	if it.Anonymous || it.ReceivedAt.IsZero() {
		return it.ReceivedOn
	}
	return it.ReceivedAt.Format(time.RFC3339)
}

// Message is one message in the two-way thread between the Front and the
// submitter, who reads and answers it with the receipt.
type Message struct {
	From string // "citizen" or "front"
	Body string
	// At is the time of the message; for a citizen's message on an anonymous
	// item only the day is kept (At is then midnight, DateOnly true).
	At       time.Time
	DateOnly bool
}

// AtLabel is the message time for the API and pages.
func (m Message) AtLabel() string {
	if m.DateOnly {
		return m.At.In(VNTime).Format(time.DateOnly)
	}
	return m.At.Format(time.RFC3339)
}

// VNTime is Vietnam's time zone (UTC+7, no daylight saving).
var VNTime = time.FixedZone("ICT", 7*3600)

// ItemFilter selects items in an inbox. Scope is mandatory: the store never
// lists items outside it.
type ItemFilter struct {
	Scope   string // the caller's unit: only items addressed to it or units below
	Unit    string // optional narrowing to a unit's subtree (must be inside Scope)
	Status  Status // "" lists every status but the hidden ones (spam)
	Channel Channel
	Area    string
	From    string // YYYY-MM-DD inclusive
	To      string // YYYY-MM-DD inclusive
	Query   string
	// Processing filters (issue 9).
	Kind     Kind
	Category string // a catalogue standard's code
	Agency   int64  // the agency of the current referral
	Overdue  bool   // past the deadline of the current step on Today
	Today    string // YYYY-MM-DD, set by the application for Overdue
	Assignee int64  // items given to this account
	// Viewer is the account listing; items whose subject may be that
	// person (a possible or confirmed conflict of interest) are left out.
	Viewer int64
	// Oldest sorts oldest first instead of newest first.
	Oldest bool
	Limit  int
	Cursor string
}

// TrackView is what a receipt shows: the status, the steps of processing
// that concern the submitter, the answer once the Front passed it on, the
// rating, and the thread — nothing else.
type TrackView struct {
	ItemID     string
	Status     Status
	ReceivedOn string
	ReceivedAt time.Time
	Anonymous  bool
	Messages   []Message
	// Steps are the public steps of the item's history, oldest first; for
	// a linked duplicate, followed by those of its case.
	Steps []HistoryEntry
	// Answer is the agency's written answer, once the Front passed it on.
	Answer *PublicAnswer
	// Rating is the submitter's rating, nil when none.
	Rating *Rating
	// CanRate says the case is closed: the submitter may rate the result
	// and say if they are not satisfied.
	CanRate bool
}

// PublicAnswer is the answer of the competent body as the submitter reads it.
type PublicAnswer struct {
	Agency  string
	Outcome Outcome
	Text    string
	File    *Attachment
	On      string // the day of the answer, YYYY-MM-DD
}

// ReceivedLabel is as for Item.
func (v *TrackView) ReceivedLabel() string {
	it := Item{Anonymous: v.Anonymous, ReceivedOn: v.ReceivedOn, ReceivedAt: v.ReceivedAt}
	return it.ReceivedLabel()
}

// AnswerDays is how many days the Front takes to consider an item and tell
// the submitter what it will do, shown on the form before sending.
const AnswerDays = 15
