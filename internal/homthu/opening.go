package homthu

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// An opening (lần mở hòm thư) is one session at which the area's working
// committee opens a mailbox with witnesses: who was there, the state of the
// seal, and every letter found, each registered as a feedback item with
// channel "paper". While it is open, letters are saved one by one as they
// are typed (so a weak connection loses nothing); closing it seals the
// minutes (biên bản): from then on nothing of it changes, in the code and in
// the database, and a mistake is put right by a Correction, a new record
// linked to it that says what it corrects and why.

// OpeningState is where an opening is. The codes are a contract.
type OpeningState string

// The states of an opening.
const (
	OpeningOpen   OpeningState = "open"   // started, letters being registered
	OpeningSealed OpeningState = "sealed" // closed and sealed: never changes again
)

// Label is what a person reads for the state.
func (s OpeningState) Label() string {
	switch s {
	case OpeningOpen:
		return "Đang mở, chưa niêm phong biên bản"
	case OpeningSealed:
		return "Đã niêm phong biên bản"
	}
	return string(s)
}

// SealState is the state the box's seal and lock were found in.
type SealState string

// The states of the seal.
const (
	SealIntact SealState = "intact" // seal and lock intact
	SealBroken SealState = "broken" // seal torn or lock forced
	SealNone   SealState = "none"   // the box was not sealed
)

// SealStates lists every state of the seal.
var SealStates = []SealState{SealIntact, SealBroken, SealNone}

// Valid reports whether s is a known state.
func (s SealState) Valid() bool {
	for _, v := range SealStates {
		if s == v {
			return true
		}
	}
	return false
}

// Label is what a person reads for the state, as the minutes write it.
func (s SealState) Label() string {
	switch s {
	case SealIntact:
		return "Niêm phong và khóa còn nguyên vẹn"
	case SealBroken:
		return "Niêm phong bị rách hoặc khóa bị cạy phá"
	case SealNone:
		return "Hòm thư không được niêm phong"
	}
	return string(s)
}

// Participant is one person present at an opening. Exactly one of them
// presides (Chair): the person opening the box, usually the head of the
// area's working committee; the others are witnesses.
type Participant struct {
	Name  string `json:"name"`
	Role  string `json:"role,omitempty"`         // e.g. "Trưởng ban công tác Mặt trận"
	Org   string `json:"organisation,omitempty"` // e.g. "Chi hội Cựu chiến binh"
	Chair bool   `json:"chair,omitempty"`
}

// Limits on an opening.
const (
	// DefaultWitnesses is how many people besides the one opening the box
	// must be present, unless configured otherwise (issue 8: "at least two
	// besides the person opening, configurable").
	DefaultWitnesses = 2
	MaxParticipants  = 30
	MaxLetters       = 500 // letters in one opening
	MaxLetterPages   = 10  // photos or scans of one paper letter
	MaxReasonRunes   = 2000
)

// Opening is one opening of a mailbox, as stored and shown.
type Opening struct {
	ID       int64
	Mailbox  int64
	Unit     string // the mailbox's unit (an area, or a commune)
	UnitKind UnitKind
	UnitName string
	// CommuneName is the commune the area belongs to (or the commune).
	CommuneName  string
	ProvinceName string
	Place        string
	OpenedAt     time.Time
	Month        string // YYYY-MM of OpenedAt in Vietnam: the month it counts for
	Seal         SealState
	SealNote     string
	State        OpeningState
	Participants []Participant
	Letters      []Letter
	// Created is when it was recorded, CreatedBy by whom (username).
	Created   time.Time
	CreatedBy string
	// Set when sealed.
	SealedAt    time.Time
	SealedBy    string
	Number      int  // the minutes' number in the unit's year
	LetterCount int  // letters at sealing
	OnTime      bool // opened on or before the scheduled day
	Day         int  // the box's scheduled day when sealed (0: any day)
	// Record is the committed text of the sealed minutes (OpeningRecord);
	// LeafIndex its index in the transparency log, -1 until sequenced.
	Record      string
	LeafIndex   int64
	Corrections []Correction
}

// Sealed reports whether the opening is sealed.
func (o *Opening) Sealed() bool { return o.State == OpeningSealed }

// Chair returns the participant presiding, or a zero Participant.
func (o *Opening) Chair() Participant {
	for _, p := range o.Participants {
		if p.Chair {
			return p
		}
	}
	return Participant{}
}

// Witnesses returns the participants but the chair.
func (o *Opening) Witnesses() []Participant {
	var out []Participant
	for _, p := range o.Participants {
		if !p.Chair {
			out = append(out, p)
		}
	}
	return out
}

// Symbol is the minutes' number and symbol (số, ký hiệu) in the form of
// Decree 30/2020/NĐ-CP, Appendix I: "03/BB-BCTMT" for the minutes of an
// area's working committee (Ban công tác Mặt trận), "03/BB-MTTQ" for a box
// at the commune opened by the commune's Front. "" until sealed.
func (o *Opening) Symbol() string {
	if o.Number == 0 {
		return ""
	}
	body := "BCTMT"
	if o.UnitKind == KindCommune {
		body = "MTTQ"
	}
	return fmt.Sprintf("%02d/BB-%s", o.Number, body)
}

// RecordedLate reports whether the opening was entered in homthu more than
// two days after it took place (from a paper logbook, say): the logbook and
// the board say so.
func (o *Opening) RecordedLate() bool {
	return !o.Created.IsZero() && o.Created.Sub(o.OpenedAt) > 48*time.Hour
}

// EffectiveOpenedAt is when the opening took place after the corrections:
// the last correction of the time, if any, else OpenedAt.
func (o *Opening) EffectiveOpenedAt() time.Time {
	at := o.OpenedAt
	for _, c := range o.Corrections {
		if c.Kind == CorrectOpenedAt && !c.OpenedAt.IsZero() {
			at = c.OpenedAt
		}
	}
	return at
}

// Letter is one paper letter found at an opening. While the opening is
// open it is a draft, saved as it was registered; at sealing it becomes the
// feedback item ItemID (channel "paper"), and only the item keeps the text,
// the person concerned and the signer's identity.
type Letter struct {
	Seq    int // registration order within the opening, never reused
	Number int // the letter's number in the minutes (1, 2, …)
	ItemID string
	// Content is the text (a summary or the full text: Full); empty when
	// the reader may not see the item (Hidden).
	Content string
	Full    bool
	Signed  bool
	Subject Subject
	To      Level
	Pages   []Attachment
	// PageCount is the number of pages photographed or scanned.
	PageCount    int
	RegisteredAt time.Time
	// Scope is the path of the unit the item is (or will be) addressed
	// to; Hidden is set when the reader's scope does not include it (a
	// letter about the commune's own leaders, sent to the province), and
	// the text and the person concerned are then left out.
	Scope  string
	Hidden bool
	// Record is the committed text of the sealed letter (LetterRecord).
	Record string
}

// SignedLabel says whether the letter was signed, as the minutes write it.
func (l *Letter) SignedLabel() string {
	if l.Signed {
		return "Có ký tên"
	}
	return "Không ký tên (ẩn danh)"
}

// OpeningInput is what a person gives to start an opening, or to change its
// participants and seal state while it is open.
type OpeningInput struct {
	Mailbox      int64
	OpenedAt     time.Time
	Seal         SealState
	SealNote     string
	Participants []Participant
}

// Normalize puts the text fields in NFC, trims them and drops participant
// rows left blank.
func (in *OpeningInput) Normalize(norm func(string) string) {
	in.SealNote = strings.TrimSpace(norm(in.SealNote))
	var ps []Participant
	for _, p := range in.Participants {
		p.Name = strings.TrimSpace(norm(p.Name))
		p.Role = strings.TrimSpace(norm(p.Role))
		p.Org = strings.TrimSpace(norm(p.Org))
		if p.Name == "" && p.Role == "" && p.Org == "" {
			continue
		}
		ps = append(ps, p)
	}
	in.Participants = ps
}

// Validate checks a normalised opening: a known seal state, a time not in
// the future (five minutes of clock drift allowed) and not before the box
// was installed, and the participants (CheckParticipants).
func (in *OpeningInput) Validate(now time.Time, installedOn string, witnesses int) error {
	if in.Mailbox == 0 {
		return Errorf(EINVALID, "Xin chọn hòm thư được mở.")
	}
	if in.OpenedAt.IsZero() {
		return Errorf(EINVALID, "Xin ghi ngày và giờ mở hòm thư.")
	}
	if in.OpenedAt.After(now.Add(5 * time.Minute)) {
		return Errorf(EINVALID, "Thời gian mở hòm thư không được sau thời điểm hiện tại.")
	}
	if day := Today(in.OpenedAt); installedOn != "" && day < installedOn {
		return Errorf(EINVALID, "Hòm thư này được lắp đặt ngày %s, nên không thể mở trước ngày đó.", DayLabel(installedOn))
	}
	if !in.Seal.Valid() {
		return Errorf(EINVALID, "Xin ghi tình trạng niêm phong của hòm thư khi mở.")
	}
	if err := CheckText("Ghi chú về niêm phong", in.SealNote, MaxNoteRunes, false); err != nil {
		return err
	}
	if in.Seal == SealBroken && in.SealNote == "" {
		return Errorf(EINVALID, "Niêm phong hoặc khóa bị hư hại: xin ghi rõ tình trạng trong phần ghi chú.")
	}
	return CheckParticipants(in.Participants, witnesses)
}

// CheckParticipants checks the people present: each has a name, at most
// MaxParticipants, exactly one presides, and at least witnesses others.
func CheckParticipants(ps []Participant, witnesses int) error {
	if len(ps) > MaxParticipants {
		return Errorf(EINVALID, "Tối đa %d người tham dự.", MaxParticipants)
	}
	chairs := 0
	for i, p := range ps {
		n := strconv.Itoa(i + 1)
		if p.Name == "" {
			return Errorf(EINVALID, "Người tham dự thứ %s: xin ghi họ tên.", n)
		}
		for _, f := range []struct{ label, v string }{{"họ tên", p.Name}, {"chức vụ", p.Role}, {"tổ chức", p.Org}} {
			if err := CheckText("Người tham dự thứ "+n+", "+f.label, f.v, MaxShortRunes, false); err != nil {
				return err
			}
		}
		if p.Chair {
			chairs++
		}
	}
	switch {
	case chairs == 0:
		return Errorf(EINVALID, "Xin ghi người chủ trì mở hòm thư.")
	case chairs > 1:
		return Errorf(EINVALID, "Chỉ một người chủ trì mở hòm thư.")
	case len(ps)-1 < witnesses:
		return Errorf(EINVALID, "Cần ít nhất %d người chứng kiến ngoài người chủ trì; mới ghi %d.", witnesses, len(ps)-1)
	}
	return nil
}

// LetterInput is one letter as the committee registers it.
type LetterInput struct {
	Content string
	Full    bool // Content is the letter's full text, not a summary
	Signed  bool
	Signer  Identity // who signed it, when Signed
	Subject Subject
	To      Level // commune (default), or province for a letter about the commune's own leaders
	Pages   []Attachment
}

// Submission is the feedback item the letter becomes, for area.
func (in *LetterInput) Submission(area string) Submission {
	s := Submission{Area: area, To: in.To, Channel: ChannelPaper, Content: in.Content, Subject: in.Subject,
		Anonymous: !in.Signed, Attachments: in.Pages}
	if in.Signed {
		s.Submitter = in.Signer
	}
	return s
}

// Validate checks a normalised letter as the item it becomes would be
// checked, with the messages a committee member reads.
func (in *LetterInput) Validate(area string) error {
	if !in.Signed && !in.Signer.Empty() {
		return Errorf(EINVALID, "Thư không ký tên: xin để trống họ tên, địa chỉ người gửi (hoặc chọn “Có ký tên”).")
	}
	if in.Signed && in.Signer.Name == "" {
		return Errorf(EINVALID, "Thư có ký tên: xin ghi họ tên người ký như trên thư (hoặc chọn “Không ký tên”).")
	}
	if len(in.Pages) > MaxLetterPages {
		return Errorf(EINVALID, "Mỗi thư chỉ đính kèm tối đa %d ảnh, bản quét.", MaxLetterPages)
	}
	sub := in.Submission(area)
	if err := sub.Validate(); err != nil {
		return err
	}
	return nil
}

// CorrectionKind is what a correction corrects.
type CorrectionKind string

// The kinds of correction. Codes are a contract.
const (
	CorrectOpenedAt     CorrectionKind = "opened_at"    // the date and time of the opening
	CorrectParticipants CorrectionKind = "participants" // who was present
	CorrectSeal         CorrectionKind = "seal"         // the state of the seal
	CorrectLetter       CorrectionKind = "letter"       // one letter's registration
	CorrectOther        CorrectionKind = "other"
)

// CorrectionKinds lists every kind.
var CorrectionKinds = []CorrectionKind{CorrectOpenedAt, CorrectParticipants, CorrectSeal, CorrectLetter, CorrectOther}

// Label is what a person reads for the kind.
func (k CorrectionKind) Label() string {
	switch k {
	case CorrectOpenedAt:
		return "Ngày, giờ mở hòm thư"
	case CorrectParticipants:
		return "Người tham dự"
	case CorrectSeal:
		return "Tình trạng niêm phong"
	case CorrectLetter:
		return "Một thư đã đăng ký"
	case CorrectOther:
		return "Nội dung khác của biên bản"
	}
	return string(k)
}

// Valid reports whether k is a known kind.
func (k CorrectionKind) Valid() bool {
	for _, v := range CorrectionKinds {
		if k == v {
			return true
		}
	}
	return false
}

// Correction is a record that corrects a sealed opening: what, to what and
// why. It never changes the sealed record; it is itself sealed when made,
// and committed to the transparency log.
type Correction struct {
	ID       int64
	Opening  int64
	Kind     CorrectionKind
	Letter   int       // the letter's number, for CorrectLetter
	OpenedAt time.Time // the right time, for CorrectOpenedAt
	Body     string    // what the record should say
	Reason   string    // why
	By       string    // username
	At       time.Time
	Record   string
}

// CorrectionInput is a correction as a person writes it.
type CorrectionInput struct {
	Kind     CorrectionKind
	Letter   int
	OpenedAt time.Time
	Body     string
	Reason   string
}

// Validate checks a normalised correction of o.
func (in *CorrectionInput) Validate(o *Opening, now time.Time) error {
	if !o.Sealed() {
		return Errorf(ECONFLICT, "Biên bản chưa niêm phong: hãy sửa trực tiếp, không cần đính chính.")
	}
	if !in.Kind.Valid() {
		return Errorf(EINVALID, "Xin chọn nội dung cần đính chính.")
	}
	if err := CheckText("Nội dung đính chính", in.Body, MaxReasonRunes, in.Kind != CorrectOpenedAt); err != nil {
		return err
	}
	if err := CheckText("Lý do đính chính", in.Reason, MaxReasonRunes, true); err != nil {
		return err
	}
	switch in.Kind {
	case CorrectOpenedAt:
		if in.OpenedAt.IsZero() {
			return Errorf(EINVALID, "Xin ghi ngày, giờ mở hòm thư đúng.")
		}
		if in.OpenedAt.After(now.Add(5 * time.Minute)) {
			return Errorf(EINVALID, "Thời gian mở hòm thư không được sau thời điểm hiện tại.")
		}
	case CorrectLetter:
		if in.Letter < 1 || in.Letter > o.LetterCount {
			return Errorf(EINVALID, "Biên bản có %d thư: xin chọn số thứ tự thư cần đính chính.", o.LetterCount)
		}
	}
	if in.Kind != CorrectOpenedAt && !in.OpenedAt.IsZero() {
		return Errorf(EINVALID, "Chỉ ghi thời gian mới khi đính chính ngày, giờ mở hòm thư.")
	}
	if in.Kind != CorrectLetter && in.Letter != 0 {
		return Errorf(EINVALID, "Chỉ chọn số thư khi đính chính một thư.")
	}
	return nil
}

// The committed records. Each sealed record is committed to the
// transparency log (translog.Leaf, kinds "letter" and "opening") through
// its text, one field a line, strings quoted as Go's strconv.Quote writes
// them, times in RFC 3339 in Vietnam's zone. The text is stored with the
// record, so that anyone given it (and the salt) can recompute the
// commitment; it never holds a letter's content or its signer, only the
// hash of the item's text.

// LetterRecord is the committed text of one sealed letter. textHash is the
// item's text hash (base64), pages the SHA-256 of each page.
func LetterRecord(opening int64, number int, itemID string, signed bool, textHash string, pages []string) string {
	var b strings.Builder
	b.WriteString("homthu letter v1\n")
	fmt.Fprintf(&b, "opening %d\nnumber %d\nitem %s\nsigned %t\ntext %s\n", opening, number, itemID, signed, textHash)
	for _, p := range pages {
		fmt.Fprintf(&b, "page %s\n", p)
	}
	return b.String()
}

// OpeningRecord is the committed text of sealed minutes: the opening, its
// participants, the seal, and the commitment of each letter's leaf
// (letters, base64, in the letters' order).
func OpeningRecord(o *Opening, letters []string) string {
	var b strings.Builder
	b.WriteString("homthu opening v1\n")
	fmt.Fprintf(&b, "opening %d\nmailbox %d\nunit %s\nplace %s\nopened %s\nseal %s\nseal-note %s\n",
		o.ID, o.Mailbox, o.Unit, strconv.Quote(o.Place), o.OpenedAt.In(VNTime).Format(time.RFC3339), o.Seal, strconv.Quote(o.SealNote))
	for _, p := range o.Participants {
		role := "witness"
		if p.Chair {
			role = "chair"
		}
		fmt.Fprintf(&b, "participant %s %s %s %s\n", role, strconv.Quote(p.Name), strconv.Quote(p.Role), strconv.Quote(p.Org))
	}
	fmt.Fprintf(&b, "letters %d\n", len(letters))
	for i, c := range letters {
		fmt.Fprintf(&b, "letter %d %s\n", i+1, c)
	}
	fmt.Fprintf(&b, "number %s\nsealed %s\nby %s\n", o.Symbol(), o.SealedAt.In(VNTime).Format(time.RFC3339), strconv.Quote(o.SealedBy))
	return b.String()
}

// CorrectionRecord is the committed text of a correction.
func CorrectionRecord(c *Correction) string {
	var b strings.Builder
	b.WriteString("homthu correction v1\n")
	fmt.Fprintf(&b, "opening %d\nkind %s\nletter %d\n", c.Opening, c.Kind, c.Letter)
	if !c.OpenedAt.IsZero() {
		fmt.Fprintf(&b, "opened %s\n", c.OpenedAt.In(VNTime).Format(time.RFC3339))
	}
	fmt.Fprintf(&b, "body %s\nreason %s\nby %s\nat %s\n", strconv.Quote(c.Body), strconv.Quote(c.Reason), strconv.Quote(c.By),
		c.At.In(VNTime).Format(time.RFC3339))
	return b.String()
}

// DayLabel writes a YYYY-MM-DD day as Vietnamese documents do: 28/11/2026.
func DayLabel(day string) string {
	t, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return day
	}
	return t.Format("02/01/2006")
}
