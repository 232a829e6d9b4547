package homthu

import (
	"strings"
	"testing"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// fold is a stand-in for vntext.Fold (the domain imports nothing of ours):
// lower case, marks removed, đ as d, runs of other characters as one space.
func fold(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(strings.ToLower(s)) {
		switch {
		case unicode.Is(unicode.Mn, r):
		case r == 'đ':
			b.WriteRune('d')
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(r)
		default:
			b.WriteRune(' ')
		}
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

// TestMatchPerson: two "Nguyễn Văn Hùng" in one province are told apart by
// their units; the same name in one unit is flagged even with another
// position (one cadre, two posts); a name alone asks a person.
func TestMatchPerson(t *testing.T) {
	giaVien := Subject{Name: "Nguyễn Văn Hùng", Position: "Chủ tịch UBND xã", Workplace: "UBND xã Gia Viễn", Unit: "14330"}
	for _, tt := range []struct {
		name string
		s    Subject
		p    Person
		want MatchLevel
	}{
		{"the other Hùng, at the province", giaVien,
			Person{Name: "Nguyễn Văn Hùng", Position: "Giám đốc", Unit: "37", UnitName: "Tỉnh Ninh Bình", Workplace: "Sở Tài chính"}, MatchNone},
		{"the same Hùng heads the commune's party committee", giaVien,
			Person{Name: "Nguyễn Văn Hùng", Position: "Bí thư Đảng ủy", Unit: "14330", UnitName: "Xã Gia Viễn", Workplace: "Đảng ủy xã Gia Viễn"}, MatchLikely},
		{"tone mark elsewhere, no diacritics", Subject{Name: "nguyen van hung", Workplace: "xa gia vien"},
			Person{Name: "Nguyễn Văn Hùng", UnitName: "Xã Gia Viễn"}, MatchLikely},
		{"name alone", Subject{Name: "Nguyễn Văn Hùng"}, Person{Name: "Nguyễn Văn Hùng", Unit: "37"}, MatchPossible},
		{"same position, unit unknown", Subject{Name: "Lê Thị Hoà", Position: "Chủ tịch"},
			Person{Name: "Lê Thị Hòa", Position: "Chủ tịch UBND phường"}, MatchLikely},
		{"other position, unit unknown", Subject{Name: "Lê Thị Hoà", Position: "Kế toán"},
			Person{Name: "Lê Thị Hòa", Position: "Chủ tịch UBND phường"}, MatchPossible},
		{"another name", giaVien, Person{Name: "Nguyễn Văn Hiền", Unit: "14330"}, MatchNone},
		{"no name given", Subject{Position: "Chủ tịch"}, Person{Name: "Nguyễn Văn Hùng", Position: "Chủ tịch"}, MatchNone},
		{"part of a name is not the name", Subject{Name: "Văn Hùng"}, Person{Name: "Nguyễn Văn Hùng"}, MatchNone},
	} {
		m := Text{Fold: fold, SameName: func(a, b string) bool { return a != "" && fold(a) == fold(b) }}.MatchPerson(tt.s, tt.p)
		if m.Level != tt.want {
			t.Errorf("%s: MatchPerson = %v (%s), want %v", tt.name, m.Level, m.Why, tt.want)
		}
		if m.Level != MatchNone && !strings.Contains(m.Why, "cùng họ tên") {
			t.Errorf("%s: Why = %q does not say what matched", tt.name, m.Why)
		}
	}
}

func TestSuggestCompetence(t *testing.T) {
	for _, tt := range []struct {
		kind Kind
		s    Subject
		at   Level
		want Competence
	}{
		{KindDenunciation, Subject{PartyMember: Yes, ManagedBy: ManagedCommune}, ToCommune, Competence{Kind: AgencyInspection, Level: ToCommune}},
		{KindDenunciation, Subject{PartyMember: Yes, ManagedBy: ManagedProvince}, ToCommune, Competence{Kind: AgencyInspection, Level: ToProvince}},
		{KindReport, Subject{PartyMember: Yes, ManagedBy: ManagedCentral}, ToCommune, Competence{Kind: AgencyPartyCommittee, Level: ToProvince}},
		{KindReport, Subject{PartyMember: No, ManagedBy: ManagedNone}, ToProvince, Competence{Kind: AgencyManaging, Level: ToCommune}},
		{KindComment, Subject{}, ToProvince, Competence{Kind: AgencyManaging, Level: ToProvince}},
		{KindDenunciation, Subject{}, ToCommune, Competence{Kind: AgencyManaging, Level: ToCommune}},
	} {
		got := SuggestCompetence(tt.kind, tt.s, tt.at)
		if got.Kind != tt.want.Kind || got.Level != tt.want.Level || got.Why == "" {
			t.Errorf("SuggestCompetence(%s, %+v, %s) = %+v, want %s at %s", tt.kind, tt.s, tt.at, got, tt.want.Kind, tt.want.Level)
		}
	}
}

func TestRulesFor(t *testing.T) {
	party := Subject{Name: "A", PartyMember: Yes}
	for _, tt := range []struct {
		kind      Kind
		anonymous bool
		s         Subject
		law, insp bool
		feedback  bool
		notice    string
	}{
		{KindDenunciation, false, party, true, true, false, "Ủy ban Kiểm tra"},
		{KindDenunciation, false, Subject{Name: "A"}, true, false, false, "Luật Tố cáo"},
		{KindDenunciation, true, party, false, false, true, "Điều 25"},
		{KindReport, false, party, false, false, false, ""},
	} {
		r := RulesFor(tt.kind, tt.anonymous, tt.s)
		if r.DenunciationLaw != tt.law || r.Inspection != tt.insp || r.AsFeedback != tt.feedback || !strings.Contains(r.Notice, tt.notice) {
			t.Errorf("RulesFor(%s, anonymous=%v, %+v) = %+v", tt.kind, tt.anonymous, tt.s, r)
		}
		if tt.notice == "" && r.Notice != "" {
			t.Errorf("RulesFor(%s) tells the submitter %q", tt.kind, r.Notice)
		}
	}
}

// weekdays is a calendar of Mondays to Fridays but 2 September.
type weekdays struct{}

func (weekdays) WorkingDay(d time.Time) bool {
	if d.Month() == time.September && d.Day() == 2 {
		return false
	}
	return d.Weekday() != time.Saturday && d.Weekday() != time.Sunday
}

func TestDeadline(t *testing.T) {
	for _, tt := range []struct {
		rule        string
		start, want string
	}{
		{"30", "2026-01-31", "2026-03-02"},
		{"5w", "2026-08-28", "2026-09-07"}, // Fri 28 → Mon 31, Tue 1, (Wed 2 Sep holiday), Thu 3, Fri 4, Mon 7
		{"1w", "2026-08-29", "2026-08-31"}, // sent on a Saturday
		{"10", "2026-12-25", "2027-01-04"},
	} {
		r, err := ParseDeadlineRule(tt.rule)
		if err != nil {
			t.Fatalf("ParseDeadlineRule(%q): %v", tt.rule, err)
		}
		if r.String() != tt.rule {
			t.Errorf("ParseDeadlineRule(%q).String() = %q", tt.rule, r.String())
		}
		got, err := r.Due(tt.start, weekdays{})
		if err != nil || got != tt.want {
			t.Errorf("%s from %s: Due = %s, %v; want %s", tt.rule, tt.start, got, err, tt.want)
		}
	}
	for _, bad := range []string{"", "0", "-3", "366", "w", "3d", "3 w"} {
		if _, err := ParseDeadlineRule(bad); ErrorCode(err) != EINVALID {
			t.Errorf("ParseDeadlineRule(%q) = %v, want EINVALID", bad, err)
		}
	}
	if _, err := (DeadlineRule{Days: 3, Working: true}).Due("2026-01-01", nil); err == nil {
		t.Errorf("a working-day deadline without a calendar gave no error")
	}
}

func TestTriageValidate(t *testing.T) {
	ok := Triage{Kind: KindReport, Categories: []string{"NQ4-01", "QD37-05"}, Subject: Subject{Name: "Nguyễn Văn A", PartyMember: Yes, ManagedBy: ManagedCommune}}
	for _, tt := range []struct {
		name string
		mod  func(*Triage)
		ok   bool
	}{
		{"ok", func(*Triage) {}, true},
		{"no kind", func(t *Triage) { t.Kind = "" }, false},
		{"bad kind", func(t *Triage) { t.Kind = "khiếu nại" }, false},
		{"outside without explanation", func(t *Triage) { t.Kind = KindOutside }, false},
		{"outside explained", func(t *Triage) {
			t.Kind = KindOutside
			t.Explanation = "Việc cấp giấy phép lái xe thuộc Sở Xây dựng; xin gửi đến bộ phận một cửa."
		}, true},
		{"bad category", func(t *Triage) { t.Categories = []string{"NQ4 01; DROP"} }, false},
		{"too many categories", func(t *Triage) { t.Categories = strings.Fields("a b c d e f g h i j k l m n o p q r s t u") }, false},
		{"bad party", func(t *Triage) { t.Subject.PartyMember = "maybe" }, false},
		{"bad level", func(t *Triage) { t.Subject.ManagedBy = "district" }, false},
		{"bad priority", func(t *Triage) { t.Priority = "now" }, false},
		{"control in notes", func(t *Triage) { t.Notes = "a\x07" }, false},
	} {
		tr := ok
		tr.Categories = append([]string(nil), ok.Categories...)
		tt.mod(&tr)
		tr.Normalize(func(s string) string { return s })
		err := tr.Validate()
		if (err == nil) != tt.ok {
			t.Errorf("Validate(%s) = %v, want ok=%v", tt.name, err, tt.ok)
		}
		if err != nil && (ErrorCode(err) != EINVALID || ErrorMessage(err) == "") {
			t.Errorf("Validate(%s) = %v: want EINVALID with a message", tt.name, err)
		}
	}
	tr := Triage{Kind: KindReport, Categories: []string{" A1 ", "A1", "", "B2"}}
	tr.Normalize(func(s string) string { return s })
	if strings.Join(tr.Categories, ",") != "A1,B2" || tr.Priority != PriorityNormal {
		t.Errorf("Normalize = %v, %s", tr.Categories, tr.Priority)
	}
}

func TestAnswerValidate(t *testing.T) {
	for _, tt := range []struct {
		a  Answer
		ok bool
	}{
		{Answer{Outcome: OutcomeFounded, Text: "Đã kiểm điểm."}, true},
		{Answer{Outcome: OutcomeFounded, File: &Attachment{Name: "tra-loi.pdf"}}, true},
		{Answer{Outcome: OutcomeFounded}, false},
		{Answer{Outcome: "ok", Text: "x"}, false},
	} {
		if err := tt.a.Validate(); (err == nil) != tt.ok {
			t.Errorf("Validate(%+v) = %v, want ok=%v", tt.a, err, tt.ok)
		}
	}
}
