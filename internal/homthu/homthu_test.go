package homthu

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestReceipt(t *testing.T) {
	seen := map[string]bool{}
	for i := 0; i < 1000; i++ {
		r := NewReceipt()
		if len(r) != 24 || strings.Count(r, "-") != 4 {
			t.Fatalf("NewReceipt() = %q, want 5 groups of 4", r)
		}
		c, err := NormalizeReceipt(r)
		if err != nil || GroupReceipt(c) != r {
			t.Fatalf("NormalizeReceipt(%q) = %q, %v", r, c, err)
		}
		if seen[c] {
			t.Fatalf("receipt %q drawn twice", r)
		}
		seen[c] = true
	}
	for _, tt := range []struct {
		in, want string
		ok       bool
	}{
		{"7K3M-QX9A-TP2D-H8WE-Z4RC", "7K3MQX9ATP2DH8WEZ4RC", true},
		{"7k3m qx9a tp2d h8we z4rc", "7K3MQX9ATP2DH8WEZ4RC", true},
		{"7K3MQX9ATP2DH8WEZ4RC", "7K3MQX9ATP2DH8WEZ4RC", true},
		{"7K3M.QX9A.TP2D.H8WE.Z4RC", "7K3MQX9ATP2DH8WEZ4RC", true},
		{"IL0O-QX9A-TP2D-H8WE-Z4RC", "1100QX9ATP2DH8WEZ4RC", true}, // look-alikes read as digits
		{"7K3M-QX9A-TP2D-H8WE", "", false},
		{"7K3M-QX9A-TP2D-H8WE-Z4RC-AAAA", "", false},
		{"7K3M-QX9A-TP2D-H8WE-Z4RU", "", false}, // U is not in the alphabet
		{"7K3M-QX9A-TP2D-H8WE-Z4RĐ", "", false},
		{"", "", false},
	} {
		got, err := NormalizeReceipt(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("NormalizeReceipt(%q) = %q, %v; want %q ok=%v", tt.in, got, err, tt.want, tt.ok)
		}
		if err != nil && ErrorCode(err) != EINVALID {
			t.Errorf("NormalizeReceipt(%q) error code %q", tt.in, ErrorCode(err))
		}
	}
}

func FuzzNormalizeReceipt(f *testing.F) {
	for _, s := range []string{"7K3M-QX9A-TP2D-H8WE-Z4RC", "iiii llll oooo 0000 1111", "\xff", strings.Repeat("A", 1000)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := NormalizeReceipt(s)
		if err != nil {
			if ErrorCode(err) != EINVALID || !utf8.ValidString(ErrorMessage(err)) {
				t.Fatalf("NormalizeReceipt(%q) = %v", s, err)
			}
			return
		}
		if len(c) != 20 {
			t.Fatalf("NormalizeReceipt(%q) = %q", s, c)
		}
		again, err := NormalizeReceipt(GroupReceipt(c))
		if err != nil || again != c {
			t.Fatalf("round trip of %q: %q, %v", c, again, err)
		}
	})
}

func TestSubmissionValidate(t *testing.T) {
	ok := Submission{Area: "14329-001", Content: "Nội dung", Anonymous: true}
	for _, tt := range []struct {
		name string
		mod  func(s *Submission)
		ok   bool
	}{
		{"anonymous", func(s *Submission) {}, true},
		{"named", func(s *Submission) {
			s.Anonymous = false
			s.Submitter = Identity{Name: "A", Phone: "0912 345 678", Email: "a@b.vn"}
		}, true},
		{"anonymous with identity", func(s *Submission) { s.Submitter.Name = "A" }, false},
		{"named without name", func(s *Submission) { s.Anonymous = false }, false},
		{"no area", func(s *Submission) { s.Area = "" }, false},
		{"blank content", func(s *Submission) { s.Content = " \n\t" }, false},
		{"NUL", func(s *Submission) { s.Content = "a\x00b" }, false},
		{"control", func(s *Submission) { s.Subject.Name = "a\x1bb" }, false},
		{"invalid UTF-8", func(s *Submission) { s.Content = "a\xffb" }, false},
		{"too long", func(s *Submission) { s.Content = strings.Repeat("ạ", MaxContentRunes+1) }, false},
		{"bad phone", func(s *Submission) { s.Anonymous = false; s.Submitter = Identity{Name: "A", Phone: "gọi tôi"} }, false},
		{"bad email", func(s *Submission) { s.Anonymous = false; s.Submitter = Identity{Name: "A", Email: "không có"} }, false},
		{"bad level", func(s *Submission) { s.To = "nation" }, false},
		{"six files", func(s *Submission) { s.Attachments = make([]Attachment, 6) }, false},
	} {
		s := ok
		tt.mod(&s)
		s.Normalize(func(v string) string { return v })
		err := s.Validate()
		if (err == nil) != tt.ok {
			t.Errorf("Validate(%s) = %v, want ok=%v", tt.name, err, tt.ok)
		}
		if err != nil && (ErrorCode(err) != EINVALID || ErrorMessage(err) == "") {
			t.Errorf("Validate(%s) error %v: want EINVALID with a message", tt.name, err)
		}
	}
}

func TestPermissions(t *testing.T) {
	for _, tt := range []struct {
		role Role
		act  Action
		want bool
	}{
		{RoleFront, ActReadItems, true}, {RoleFront, ActRevealIdentity, true}, {RoleFront, ActReadAudit, false},
		{RoleLeader, ActReadItems, true}, {RoleLeader, ActRevealIdentity, false}, {RoleLeader, ActReadAudit, true},
		{RoleCommittee, ActReadItems, false}, {RoleAgency, ActReadItems, false}, {RoleEditor, ActMessage, false},
		{RoleAdmin, ActRevealIdentity, false}, {RoleAdmin, ActManageUsers, true},
		{"boss", ActSession, false}, {RoleEditor, ActSession, true},
		// The paper mailbox: the committee records but neither corrects
		// nor sees the board; only Front staff correct sealed minutes.
		{RoleCommittee, ActRecordOpening, true}, {RoleCommittee, ActReadOpenings, true}, {RoleCommittee, ActCorrectOpening, false},
		{RoleCommittee, ActReadCompliance, false}, {RoleCommittee, ActManageMailboxes, false},
		{RoleFront, ActRecordOpening, true}, {RoleFront, ActCorrectOpening, true}, {RoleFront, ActManageMailboxes, true},
		{RoleAdmin, ActManageMailboxes, true}, {RoleAdmin, ActRecordOpening, false}, {RoleAdmin, ActCorrectOpening, false},
		{RoleLeader, ActReadCompliance, true}, {RoleLeader, ActRecordOpening, false},
		{RoleAgency, ActReadOpenings, false}, {RoleEditor, ActReadCompliance, false},
	} {
		if got := tt.role.Can(tt.act); got != tt.want {
			t.Errorf("%s.Can(%s) = %v, want %v", tt.role, tt.act, got, tt.want)
		}
	}
}
