package homthu

import (
	"strings"
	"testing"
	"time"
)

func vn(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, VNTime)
}

func TestMonthOf(t *testing.T) {
	for _, tt := range []struct {
		at   time.Time
		want string
	}{
		// An opening at 00:30 on 1 November in Vietnam is 17:30 on
		// 31 October in UTC: it counts for November.
		{time.Date(2026, 10, 31, 17, 30, 0, 0, time.UTC), "2026-11"},
		{time.Date(2026, 10, 31, 16, 59, 59, 0, time.UTC), "2026-10"},
		{vn(2026, 11, 1, 0, 0), "2026-11"},
		{vn(2026, 11, 30, 23, 59), "2026-11"},
		// New Year's Eve in UTC is already January in Vietnam.
		{time.Date(2025, 12, 31, 18, 0, 0, 0, time.UTC), "2026-01"},
	} {
		if got := MonthOf(tt.at).String(); got != tt.want {
			t.Errorf("MonthOf(%s) = %s, want %s", tt.at.Format(time.RFC3339), got, tt.want)
		}
	}
}

func TestMonthArithmetic(t *testing.T) {
	m := Month{2026, time.January}
	for _, tt := range []struct {
		n    int
		want string
	}{{0, "2026-01"}, {-1, "2025-12"}, {11, "2026-12"}, {12, "2027-01"}, {-13, "2024-12"}, {-312, "2000-01"}} {
		if got := m.Add(tt.n).String(); got != tt.want {
			t.Errorf("%s.Add(%d) = %s, want %s", m, tt.n, got, tt.want)
		}
	}
	if got := (Month{2024, time.February}).Days(); got != 29 {
		t.Errorf("days of 2024-02 = %d, want 29", got)
	}
	if got := (Month{2026, time.February}).Deadline(31); got != 20260228 {
		t.Errorf("deadline of day 31 in 2026-02 = %d, want 20260228", got)
	}
	if got := (Month{2026, time.November}).Deadline(0); got != 20261130 {
		t.Errorf("deadline of any day in 2026-11 = %d", got)
	}
	for _, s := range []string{"2026-13", "2026-1", "1999-12", "2026-11-01", "", "abcd-ef"} {
		if _, err := ParseMonth(s); ErrorCode(err) != EINVALID {
			t.Errorf("ParseMonth(%q) = %v, want EINVALID", s, err)
		}
	}
	if m, err := ParseMonth("2026-11"); err != nil || m != (Month{2026, time.November}) || m.Label() != "11/2026" {
		t.Errorf("ParseMonth(2026-11) = %v, %v", m, err)
	}
	for _, tt := range []struct {
		in   string
		want int
	}{{"2026-11-05", 20261105}, {"2026-1-05", 0}, {"2026-11-0x", 0}, {"", 0}} {
		if got := DayNum(tt.in); got != tt.want {
			t.Errorf("DayNum(%q) = %d, want %d", tt.in, got, tt.want)
		}
	}
}

func TestOnTime(t *testing.T) {
	for _, tt := range []struct {
		day  int
		at   time.Time
		want bool
	}{
		{10, vn(2026, 11, 10, 23, 59), true},
		{10, vn(2026, 11, 11, 0, 0), false},
		{10, vn(2026, 11, 3, 9, 0), true},  // early is on time
		{31, vn(2026, 2, 28, 16, 0), true}, // day 31 in February: its last day
		{0, vn(2026, 11, 30, 20, 0), true}, // no fixed day
		// 23:30 on the 10th in UTC is the 11th in Vietnam: late.
		{10, time.Date(2026, 11, 10, 17, 30, 0, 0, time.UTC), false},
	} {
		if got := OnTime(tt.day, tt.at); got != tt.want {
			t.Errorf("OnTime(%d, %s) = %v, want %v", tt.day, tt.at.Format(time.RFC3339), got, tt.want)
		}
	}
}

func TestMarks(t *testing.T) {
	got := Marks([]OpeningMark{
		{vn(2000, 1, 5, 9, 0), 10},   // on time
		{vn(2000, 3, 15, 9, 0), 10},  // late
		{vn(2000, 4, 15, 9, 0), 10},  // late, then
		{vn(2000, 4, 2, 9, 0), 10},   // on time in the same month: on time wins
		{vn(2000, 5, 2, 9, 0), 1},    // late…
		{vn(2000, 5, 20, 9, 0), 0},   // …and on time under another schedule: on time
		{vn(1999, 12, 31, 9, 0), 10}, // before 2000: no mark
	})
	if want := "o-loo"; got != want {
		t.Errorf("Marks = %q, want %q", got, want)
	}
	if Marks(nil) != "" {
		t.Errorf("Marks(nil) = %q", Marks(nil))
	}
}

// TestComplianceStatus pins the counting rules of compliance.go one case at
// a time, with today = 15 November 2026.
func TestComplianceStatus(t *testing.T) {
	today := 20261115
	nov, oct, dec := Month{2026, time.November}, Month{2026, time.October}, Month{2026, time.December}
	box := func(from, to string, day int, marks string) ComplianceBox {
		return ComplianceBox{From: DayNum(from), To: DayNum(to), Day: day, Marks: marks}
	}
	always := box("2020-01-01", "", 10, "")
	for _, tt := range []struct {
		name string
		area ComplianceArea
		m    Month
		want ComplianceStatus
	}{
		{"opened on time", ComplianceArea{Boxes: []ComplianceBox{box("2020-01-01", "", 10, "o")}}, oct, StatusOnTime},
		{"opened late", ComplianceArea{Boxes: []ComplianceBox{box("2020-01-01", "", 10, "l")}}, oct, StatusLate},
		{"not opened, month over", ComplianceArea{Boxes: []ComplianceBox{always}}, oct, StatusMissed},
		{"this month, day passed", ComplianceArea{Boxes: []ComplianceBox{always}}, nov, StatusOverdue},
		{"this month, day to come", ComplianceArea{Boxes: []ComplianceBox{box("2020-01-01", "", 20, "")}}, nov, StatusUpcoming},
		{"this month, day is today", ComplianceArea{Boxes: []ComplianceBox{box("2020-01-01", "", 15, "")}}, nov, StatusUpcoming},
		{"this month, any day", ComplianceArea{Boxes: []ComplianceBox{box("2020-01-01", "", 0, "")}}, nov, StatusUpcoming},
		{"this month, opened", ComplianceArea{Boxes: []ComplianceBox{box("2020-01-01", "", 10, "l")}}, nov, StatusLate},
		{"next month", ComplianceArea{Boxes: []ComplianceBox{always}}, dec, StatusFuture},
		{"no box at all", ComplianceArea{}, oct, StatusNoMailbox},
		{"box installed after the month", ComplianceArea{Boxes: []ComplianceBox{box("2026-11-01", "", 10, "")}}, oct, StatusNoMailbox},
		{"box removed before the month", ComplianceArea{Boxes: []ComplianceBox{box("2020-01-01", "2026-10-01", 10, "")}}, oct, StatusNoMailbox},
		{"box installed on the 1st", ComplianceArea{Boxes: []ComplianceBox{box("2026-10-01", "", 10, "")}}, oct, StatusMissed},
		{"box installed on the 2nd", ComplianceArea{Boxes: []ComplianceBox{box("2026-10-02", "", 10, "")}}, oct, StatusNotDue},
		{"box installed mid-month and opened", ComplianceArea{Boxes: []ComplianceBox{box("2026-10-12", "", 10, "l")}}, oct, StatusLate},
		{"box removed mid-month, not opened", ComplianceArea{Boxes: []ComplianceBox{box("2020-01-01", "2026-10-20", 10, "")}}, oct, StatusNotDue},
		{"box removed on the last day", ComplianceArea{Boxes: []ComplianceBox{box("2020-01-01", "2026-10-31", 10, "")}}, oct, StatusNotDue},
		{"box removed the day after the month", ComplianceArea{Boxes: []ComplianceBox{box("2020-01-01", "2026-11-01", 10, "")}}, oct, StatusMissed},
		{"box removed mid-month, opened before", ComplianceArea{Boxes: []ComplianceBox{box("2020-01-01", "2026-10-20", 10, "o")}}, oct, StatusOnTime},
		{"box replaced mid-month", ComplianceArea{Boxes: []ComplianceBox{box("2020-01-01", "2026-10-15", 10, ""),
			box("2026-10-15", "", 10, "")}}, oct, StatusNotDue},
		{"area created on the 1st", ComplianceArea{From: 20261001, Boxes: []ComplianceBox{always}}, oct, StatusMissed},
		{"area created mid-month", ComplianceArea{From: 20261015, Boxes: []ComplianceBox{box("2026-10-15", "", 10, "")}}, oct, StatusNotDue},
		{"area created mid-month, the next month", ComplianceArea{From: 20261015, Boxes: []ComplianceBox{box("2026-10-15", "", 10, "")}}, nov, StatusOverdue},
		{"area created mid-month without a box", ComplianceArea{From: 20261015}, oct, StatusNotDue},
		{"area merged away mid-month", ComplianceArea{To: 20261020, Boxes: []ComplianceBox{always}}, oct, StatusNotDue},
		{"area merged away, opened before", ComplianceArea{To: 20261020, Boxes: []ComplianceBox{box("2020-01-01", "", 10, "o")}}, oct, StatusOnTime},
		{"two boxes, one opened late, one on time", ComplianceArea{Boxes: []ComplianceBox{box("2020-01-01", "", 10, "l"),
			box("2020-01-01", "", 10, "o")}}, oct, StatusOnTime},
		{"two boxes, one opened", ComplianceArea{Boxes: []ComplianceBox{always, box("2020-01-01", "", 10, "l")}}, oct, StatusLate},
		{"two boxes, the later day counts this month", ComplianceArea{Boxes: []ComplianceBox{box("2020-01-01", "", 5, ""),
			box("2020-01-01", "", 25, "")}}, nov, StatusUpcoming},
	} {
		// Marks are given for the board's month index 0.
		if got := tt.area.Status(0, tt.m, today); got != tt.want {
			t.Errorf("%s: Status(%s) = %s, want %s", tt.name, tt.m, got, tt.want)
		}
	}
}

// TestOpeningOnTheFirst: an opening at 00:30 on 1 November, Vietnam time,
// stored as UTC, marks November, not October, end to end through Marks and
// Status.
func TestOpeningOnTheFirst(t *testing.T) {
	at := time.Date(2026, 10, 31, 17, 30, 0, 0, time.UTC)
	marks := Marks([]OpeningMark{{At: at, Day: 1}})
	oct, nov := Month{2026, time.October}, Month{2026, time.November}
	a := ComplianceArea{Boxes: []ComplianceBox{{From: 20200101, Day: 1, Marks: marks[oct.Index():]}}}
	if got := a.Status(0, oct, 20261201); got != StatusMissed {
		t.Errorf("October = %s, want missed", got)
	}
	if got := a.Status(1, nov, 20261201); got != StatusOnTime {
		t.Errorf("November = %s, want on time (an opening on the 1st counts for that month)", got)
	}
}

func TestBuildBoard(t *testing.T) {
	oct, nov := Month{2026, time.October}, Month{2026, time.November}
	months := []Month{oct, nov}
	areas := []ComplianceArea{
		{Code: "a", Boxes: []ComplianceBox{{From: 20200101, Day: 10, Marks: "oo"}}},
		{Code: "b", Boxes: []ComplianceBox{{From: 20200101, Day: 10, Marks: "l"}}},
		{Code: "c", Boxes: []ComplianceBox{{From: 20200101, Day: 20}}},
		{Code: "d"},
		{Code: "e", From: 20261105, Boxes: []ComplianceBox{{From: 20261105, Day: 10}}},
	}
	tallies, total := BuildBoard(areas, []int{0, 0, 1, 1, 1}, 2, months, 20261115)
	want := [][]Tally{
		{{OnTime: 1, Late: 1}, {OnTime: 1, Overdue: 1}},
		{{Missed: 1, NoMailbox: 1, NotDue: 1}, {Upcoming: 1, NoMailbox: 1, NotDue: 1}},
	}
	for g := range want {
		for i := range months {
			if tallies[g][i] != want[g][i] {
				t.Errorf("tally[%d][%s] = %+v, want %+v", g, months[i], tallies[g][i], want[g][i])
			}
		}
	}
	if total[0] != (Tally{OnTime: 1, Late: 1, Missed: 1, NoMailbox: 1, NotDue: 1}) {
		t.Errorf("total[oct] = %+v", total[0])
	}
	if p, ok := total[0].Percent(); !ok || p != 50 {
		t.Errorf("October share = %d%%, %v; want 50%% (2 of 4: the area created in November is not counted)", p, ok)
	}
	if _, ok := (Tally{NotDue: 3}).Percent(); ok {
		t.Errorf("a month with nothing expected has a share")
	}
	if p, _ := (Tally{OnTime: 199, Missed: 1}).Percent(); p != 99 {
		t.Errorf("199 of 200 = %d%%, want 99%% (never rounded up to 100)", p)
	}
}

func TestMailboxValidate(t *testing.T) {
	ok := MailboxInput{Unit: "14329-001", Place: "Nhà văn hóa tổ dân phố Hòa Bình", InstalledOn: "2024-03-15", Day: 10}
	for _, tt := range []struct {
		name string
		mod  func(*MailboxInput)
		ok   bool
	}{
		{"ok", func(*MailboxInput) {}, true},
		{"any day", func(in *MailboxInput) { in.Day = 0 }, true},
		{"removed", func(in *MailboxInput) { in.Status, in.RemovedOn = MailboxRemoved, "2026-01-01" }, true},
		{"damaged", func(in *MailboxInput) { in.Status = MailboxDamaged }, true},
		{"no unit", func(in *MailboxInput) { in.Unit = "" }, false},
		{"no place", func(in *MailboxInput) { in.Place = " " }, false},
		{"day 32", func(in *MailboxInput) { in.Day = 32 }, false},
		{"day -1", func(in *MailboxInput) { in.Day = -1 }, false},
		{"bad date", func(in *MailboxInput) { in.InstalledOn = "2024-02-30" }, false},
		{"future install", func(in *MailboxInput) { in.InstalledOn = "2026-12-01" }, false},
		{"removed without date", func(in *MailboxInput) { in.Status = MailboxRemoved }, false},
		{"date without removal", func(in *MailboxInput) { in.RemovedOn = "2026-01-01" }, false},
		{"removed before installed", func(in *MailboxInput) { in.Status, in.RemovedOn = MailboxRemoved, "2024-01-01" }, false},
		{"removed in the future", func(in *MailboxInput) { in.Status, in.RemovedOn = MailboxRemoved, "2026-12-01" }, false},
		{"bad status", func(in *MailboxInput) { in.Status = "lost" }, false},
		{"control character", func(in *MailboxInput) { in.Place = "a\x07b" }, false},
	} {
		in := ok
		tt.mod(&in)
		in.Normalize(func(s string) string { return s })
		err := in.Validate("2026-11-15")
		if (err == nil) != tt.ok {
			t.Errorf("%s: Validate = %v, want ok=%v", tt.name, err, tt.ok)
		}
		if err != nil && (ErrorCode(err) != EINVALID || ErrorMessage(err) == "") {
			t.Errorf("%s: error %v, want EINVALID with a message", tt.name, err)
		}
	}
}

func TestOpeningValidate(t *testing.T) {
	now := vn(2026, 11, 15, 10, 0)
	people := []Participant{{Name: "Nguyễn Văn An", Role: "Trưởng ban công tác Mặt trận", Chair: true},
		{Name: "Trần Thị Bình", Role: "Chi hội trưởng Hội Phụ nữ"}, {Name: "Lê Văn Cường", Org: "Chi hội Cựu chiến binh"}}
	ok := OpeningInput{Mailbox: 1, OpenedAt: vn(2026, 11, 15, 9, 0), Seal: SealIntact, Participants: people}
	for _, tt := range []struct {
		name      string
		mod       func(*OpeningInput)
		witnesses int
		ok        bool
	}{
		{"ok", func(*OpeningInput) {}, 2, true},
		{"blank rows dropped", func(in *OpeningInput) {
			in.Participants = append(append([]Participant{}, people...), Participant{}, Participant{Name: "  "})
		}, 2, true},
		{"one witness", func(in *OpeningInput) { in.Participants = people[:2] }, 2, false},
		{"one witness, one required", func(in *OpeningInput) { in.Participants = people[:2] }, 1, true},
		{"three required", func(in *OpeningInput) {}, 3, false},
		{"no chair", func(in *OpeningInput) {
			in.Participants = []Participant{{Name: "A"}, {Name: "B"}, {Name: "C"}}
		}, 2, false},
		{"two chairs", func(in *OpeningInput) {
			in.Participants = []Participant{{Name: "A", Chair: true}, {Name: "B", Chair: true}, {Name: "C"}}
		}, 1, false},
		{"a witness without a name", func(in *OpeningInput) {
			in.Participants = append(append([]Participant{}, people...), Participant{Role: "Trưởng thôn"})
		}, 2, false},
		{"in the future", func(in *OpeningInput) { in.OpenedAt = now.Add(time.Hour) }, 2, false},
		{"clock drift", func(in *OpeningInput) { in.OpenedAt = now.Add(2 * time.Minute) }, 2, true},
		{"before the box existed", func(in *OpeningInput) { in.OpenedAt = vn(2024, 3, 14, 9, 0) }, 2, false},
		{"no time", func(in *OpeningInput) { in.OpenedAt = time.Time{} }, 2, false},
		{"no seal state", func(in *OpeningInput) { in.Seal = "" }, 2, false},
		{"broken seal without a note", func(in *OpeningInput) { in.Seal = SealBroken }, 2, false},
		{"broken seal with a note", func(in *OpeningInput) { in.Seal, in.SealNote = SealBroken, "Khóa bị cạy" }, 2, true},
		{"no mailbox", func(in *OpeningInput) { in.Mailbox = 0 }, 2, false},
	} {
		in := ok
		tt.mod(&in)
		in.Normalize(func(s string) string { return s })
		err := in.Validate(now, "2024-03-15", tt.witnesses)
		if (err == nil) != tt.ok {
			t.Errorf("%s: Validate = %v, want ok=%v", tt.name, err, tt.ok)
		}
		if err != nil && (ErrorCode(err) != EINVALID || ErrorMessage(err) == "") {
			t.Errorf("%s: error %v, want EINVALID with a message", tt.name, err)
		}
	}
}

func TestLetterValidate(t *testing.T) {
	for _, tt := range []struct {
		name string
		in   LetterInput
		ok   bool
	}{
		{"anonymous summary", LetterInput{Content: "Phản ánh trưởng thôn uống rượu trong giờ làm việc."}, true},
		{"signed", LetterInput{Content: "Nội dung", Signed: true, Signer: Identity{Name: "Nguyễn Văn Hùng", Address: "Xóm 3"}}, true},
		{"signed without a name", LetterInput{Content: "Nội dung", Signed: true, Signer: Identity{Address: "Xóm 3"}}, false},
		{"anonymous with a name", LetterInput{Content: "Nội dung", Signer: Identity{Name: "A"}}, false},
		{"no text", LetterInput{Content: ""}, false},
		{"ten pages", LetterInput{Content: "Nội dung", Pages: make([]Attachment, 10)}, true},
		{"eleven pages", LetterInput{Content: "Nội dung", Pages: make([]Attachment, 11)}, false},
		{"to the province", LetterInput{Content: "Về Chủ tịch UBND xã", To: ToProvince}, true},
		{"to the nation", LetterInput{Content: "Nội dung", To: "nation"}, false},
	} {
		in := tt.in
		sub := in.Submission("14329-001")
		sub.Normalize(func(s string) string { return s })
		in.To = sub.To
		err := in.Validate("14329-001")
		if (err == nil) != tt.ok {
			t.Errorf("%s: Validate = %v, want ok=%v", tt.name, err, tt.ok)
		}
		if sub.Channel != ChannelPaper || sub.Anonymous == in.Signed {
			t.Errorf("%s: Submission = %+v, want channel paper, anonymous = !signed", tt.name, sub)
		}
	}
}

func TestCorrectionValidate(t *testing.T) {
	now := vn(2026, 11, 15, 10, 0)
	sealed := &Opening{State: OpeningSealed, LetterCount: 2}
	for _, tt := range []struct {
		name string
		o    *Opening
		in   CorrectionInput
		code string
	}{
		{"time", sealed, CorrectionInput{Kind: CorrectOpenedAt, OpenedAt: vn(2026, 11, 10, 9, 0), Reason: "Ghi nhầm ngày"}, ""},
		{"time missing", sealed, CorrectionInput{Kind: CorrectOpenedAt, Reason: "Ghi nhầm ngày"}, EINVALID},
		{"time in the future", sealed, CorrectionInput{Kind: CorrectOpenedAt, OpenedAt: now.AddDate(0, 0, 1), Reason: "x"}, EINVALID},
		{"letter 2", sealed, CorrectionInput{Kind: CorrectLetter, Letter: 2, Body: "Thư số 2 có ký tên", Reason: "Đọc sót"}, ""},
		{"letter 3 of 2", sealed, CorrectionInput{Kind: CorrectLetter, Letter: 3, Body: "x", Reason: "y"}, EINVALID},
		{"letter number on another kind", sealed, CorrectionInput{Kind: CorrectSeal, Letter: 1, Body: "x", Reason: "y"}, EINVALID},
		{"time on another kind", sealed, CorrectionInput{Kind: CorrectOther, OpenedAt: now, Body: "x", Reason: "y"}, EINVALID},
		{"no reason", sealed, CorrectionInput{Kind: CorrectOther, Body: "x"}, EINVALID},
		{"no body", sealed, CorrectionInput{Kind: CorrectParticipants, Reason: "y"}, EINVALID},
		{"bad kind", sealed, CorrectionInput{Kind: "everything", Body: "x", Reason: "y"}, EINVALID},
		{"not sealed", &Opening{State: OpeningOpen}, CorrectionInput{Kind: CorrectOther, Body: "x", Reason: "y"}, ECONFLICT},
	} {
		err := tt.in.Validate(tt.o, now)
		if ErrorCode(err) != tt.code {
			t.Errorf("%s: Validate = %v, want code %q", tt.name, err, tt.code)
		}
	}
}

func TestEffectiveOpenedAt(t *testing.T) {
	o := &Opening{OpenedAt: vn(2026, 11, 3, 9, 0)}
	if !o.EffectiveOpenedAt().Equal(o.OpenedAt) {
		t.Errorf("without corrections: %v", o.EffectiveOpenedAt())
	}
	o.Corrections = []Correction{
		{Kind: CorrectOpenedAt, OpenedAt: vn(2026, 10, 30, 9, 0)},
		{Kind: CorrectOther, Body: "x"},
		{Kind: CorrectOpenedAt, OpenedAt: vn(2026, 10, 31, 9, 0)},
	}
	if got := o.EffectiveOpenedAt(); !got.Equal(vn(2026, 10, 31, 9, 0)) {
		t.Errorf("EffectiveOpenedAt = %v, want the last correction's time", got)
	}
}

func TestRecords(t *testing.T) {
	o := &Opening{ID: 7, Mailbox: 3, Unit: "14329-001", UnitKind: KindArea, Place: "Nhà văn hóa \"Hòa Bình\"",
		OpenedAt: time.Date(2026, 11, 10, 2, 0, 0, 0, time.UTC), Seal: SealIntact, Number: 3,
		SealedAt: time.Date(2026, 11, 10, 2, 40, 0, 0, time.UTC), SealedBy: "bancongtac.hoalu",
		Participants: []Participant{{Name: "Nguyễn Văn An", Role: "Trưởng ban", Chair: true}, {Name: "Trần Thị Bình"}}}
	got := OpeningRecord(o, []string{"AAA=", "BBB="})
	want := "homthu opening v1\nopening 7\nmailbox 3\nunit 14329-001\nplace \"Nhà văn hóa \\\"Hòa Bình\\\"\"\n" +
		"opened 2026-11-10T09:00:00+07:00\nseal intact\nseal-note \"\"\n" +
		"participant chair \"Nguyễn Văn An\" \"Trưởng ban\" \"\"\nparticipant witness \"Trần Thị Bình\" \"\" \"\"\n" +
		"letters 2\nletter 1 AAA=\nletter 2 BBB=\nnumber 03/BB-BCTMT\nsealed 2026-11-10T09:40:00+07:00\nby \"bancongtac.hoalu\"\n"
	if got != want {
		t.Errorf("OpeningRecord =\n%s\nwant\n%s", got, want)
	}
	l := LetterRecord(7, 1, "abc", true, "SGFzaA==", []string{"ff00"})
	if l != "homthu letter v1\nopening 7\nnumber 1\nitem abc\nsigned true\ntext SGFzaA==\npage ff00\n" {
		t.Errorf("LetterRecord = %q", l)
	}
	c := CorrectionRecord(&Correction{Opening: 7, Kind: CorrectOpenedAt, OpenedAt: o.OpenedAt, Reason: "Ghi nhầm\ngiờ", By: "mttq.hoalu", At: o.SealedAt})
	if !strings.Contains(c, "opened 2026-11-10T09:00:00+07:00\n") || !strings.Contains(c, "reason \"Ghi nhầm\\ngiờ\"\n") {
		t.Errorf("CorrectionRecord = %q", c)
	}
	if (&Opening{Number: 12, UnitKind: KindCommune}).Symbol() != "12/BB-MTTQ" || (&Opening{}).Symbol() != "" {
		t.Errorf("Symbol wrong")
	}
}
