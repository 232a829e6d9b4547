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
)

// Statuses lists every status in processing order.
var Statuses = []Status{StatusReceived, StatusConsidering, StatusReferred, StatusAnswered, StatusClosed, StatusOutOfScope}

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
	}
	return string(s)
}

// Open reports whether the case is still being processed.
func (s Status) Open() bool { return s != StatusClosed && s != StatusOutOfScope }

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
type Subject struct {
	Name      string `json:"name,omitempty"`
	Position  string `json:"position,omitempty"`
	Workplace string `json:"workplace,omitempty"`
}

// Empty reports whether nothing of the subject was given.
func (s Subject) Empty() bool { return s.Name == "" && s.Position == "" && s.Workplace == "" }

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
	for _, f := range []struct{ label, v string }{
		{"Họ tên người bị phản ánh", s.Subject.Name},
		{"Chức vụ người bị phản ánh", s.Subject.Position},
		{"Nơi công tác người bị phản ánh", s.Subject.Workplace},
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
	Status  Status
	Channel Channel
	Area    string
	From    string // YYYY-MM-DD inclusive
	To      string // YYYY-MM-DD inclusive
	Query   string
	Limit   int
	Cursor  string
}

// TrackView is what a receipt shows: the status and the thread, nothing else.
type TrackView struct {
	ItemID     string
	Status     Status
	ReceivedOn string
	ReceivedAt time.Time
	Anonymous  bool
	Messages   []Message
}

// ReceivedLabel is as for Item.
func (v *TrackView) ReceivedLabel() string {
	it := Item{Anonymous: v.Anonymous, ReceivedOn: v.ReceivedOn, ReceivedAt: v.ReceivedAt}
	return it.ReceivedLabel()
}

// AnswerDays is how many days the Front takes to consider an item and tell
// the submitter what it will do, shown on the form before sending.
const AnswerDays = 15
