package homthu

import (
	"strings"
	"time"
)

// Conflict of interest (issue 9; DESIGN.md, flow 3): an item must never be
// routed to, nor be visible to, the person it concerns, nor a body that
// person heads. The system compares the person concerned with the people
// an item could reach — the handlers and the head of an agency, the Front
// staff of the unit it is addressed to — flags a possible match, a person
// confirms or dismisses it, and a confirmed match takes the item one level
// up (commune → province), the reason recorded.
//
// Names are common: a province has many "Nguyễn Văn Hùng". A person is
// therefore never matched on a name alone when their units are known and
// differ; but within one unit the same name is flagged even when the
// positions differ, because one cadre often holds two posts (Bí thư kiêm
// Chủ tịch). When too little is known to tell two people apart, a person
// decides: a false alarm costs a click, a missed match exposes a submitter.

// Person is someone an item could reach: an agency's head or handler, a
// Front staff member.
type Person struct {
	// User is the account id, 0 for an agency head without an account.
	User     int64
	Name     string
	Position string
	// Unit is the code of the person's unit; UnitName and Workplace (the
	// agency's name) are matched against the subject's workplace.
	Unit      string
	UnitName  string
	Workplace string
	// Agency is the agency the person heads or works for, 0 for Front staff.
	Agency int64
	// Head says the person heads Agency.
	Head bool
}

// MatchLevel is how alike the subject and a person are.
type MatchLevel int

// The levels. Possible and Likely both need a person's decision.
const (
	MatchNone     MatchLevel = iota
	MatchPossible            // same name, nothing known tells them apart
	MatchLikely              // same name and the same unit, workplace or position
)

// Label is the Vietnamese name of the level.
func (m MatchLevel) Label() string {
	switch m {
	case MatchPossible:
		return "Có thể trùng"
	case MatchLikely:
		return "Nhiều khả năng trùng"
	}
	return "Không trùng"
}

// Match is the result of comparing the subject with a person.
type Match struct {
	Level MatchLevel
	// Why says what matched, in Vietnamese, for the person who decides.
	Why string
}

// Text is the Vietnamese text handling the matcher needs; vntext has both
// (the domain imports nothing of ours).
type Text struct {
	// Fold is the search-key folding: no case, no diacritics.
	Fold func(string) string
	// SameName says whether two person names may be the same name.
	SameName func(a, b string) bool
}

// MatchPerson compares the subject of an item with a person.
func (tx Text) MatchPerson(s Subject, p Person) Match {
	fold := tx.Fold
	if !tx.SameName(s.Name, p.Name) {
		return Match{}
	}
	if s.Unit != "" && p.Unit != "" && s.Unit != p.Unit {
		return Match{} // two people of the same name in different units
	}
	why := []string{"cùng họ tên “" + p.Name + "”"}
	sw := fold(s.Workplace)
	samePlace := (s.Unit != "" && s.Unit == p.Unit) ||
		within(sw, fold(p.Workplace)) || within(sw, fold(p.UnitName))
	sp, pp := fold(s.Position), fold(p.Position)
	samePosition := within(sp, pp) || within(pp, sp)
	if samePlace {
		why = append(why, "cùng đơn vị, nơi công tác")
	}
	if samePosition {
		why = append(why, "cùng chức vụ")
	}
	m := Match{Level: MatchPossible}
	switch {
	case samePlace || samePosition:
		m.Level = MatchLikely
	case sp != "" && pp != "":
		why = append(why, "khác chức vụ (“"+s.Position+"” và “"+p.Position+"”) nhưng chưa rõ có cùng đơn vị không")
	default:
		why = append(why, "chưa đủ thông tin về chức vụ, nơi công tác để phân biệt")
	}
	m.Why = strings.Join(why, ", ") + "."
	return m
}

// within reports whether the words of short all appear, in order and
// whole, in long.
func within(long, short string) bool {
	if short == "" || long == "" {
		return false
	}
	return strings.Contains(" "+long+" ", " "+short+" ")
}

// ConflictState is where a possible conflict of interest is.
type ConflictState string

// The states.
const (
	ConflictPossible  ConflictState = "possible"  // flagged, waiting for a person's decision
	ConflictConfirmed ConflictState = "confirmed" // the same person: the item never reaches them
	ConflictDismissed ConflictState = "dismissed" // two different people
)

// Label is the Vietnamese name of the state.
func (s ConflictState) Label() string {
	switch s {
	case ConflictPossible:
		return "Có thể trùng người — cần xác nhận"
	case ConflictConfirmed:
		return "Đã xác nhận là cùng một người"
	case ConflictDismissed:
		return "Đã xác nhận là hai người khác nhau"
	}
	return string(s)
}

// Conflict is a possible match between an item's subject and a person the
// item could reach.
type Conflict struct {
	ID     int64
	Item   string
	Person Person
	Level  MatchLevel
	Why    string
	State  ConflictState
	// AgencyName names the agency concerned, for display.
	AgencyName string
	DecidedBy  string
	DecidedAt  time.Time
	Note       string
}
