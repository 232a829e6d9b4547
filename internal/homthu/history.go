package homthu

import "time"

// HistoryEntry is one change to an item (issue 9: "every change is recorded
// in the item's history: who, when, what changed, from what to what").
// Entries are append-only. A citizen's entry on an anonymous item keeps
// only its day, as the item itself does.
type HistoryEntry struct {
	ID    int64
	At    time.Time
	Event Event
	// Actor is the account that made the change, 0 for the submitter or the
	// system; ActorName is its username, or "Người phản ánh", "Hệ thống".
	Actor     int64
	ActorName string
	ActorRole Role
	From, To  Status
	Changes   []Change
	// Note is the staff's note on the change (internal).
	Note     string
	DateOnly bool
	// Public marks a step the submitter reads on the receipt page, with
	// PublicNote what they read (e.g. where an out-of-remit item should go).
	Public     bool
	PublicNote string
}

// Change is one field changed: what it is (a Vietnamese label) and its
// value before and after, as a person reads them.
type Change struct {
	Field string `json:"field"`
	From  string `json:"from"`
	To    string `json:"to"`
}

// AtLabel is the entry's time for the API.
func (h *HistoryEntry) AtLabel() string {
	if h.DateOnly {
		return h.At.In(VNTime).Format(time.DateOnly)
	}
	return h.At.Format(time.RFC3339)
}

// Diff appends to cs a change of field from a to b, if they differ.
func Diff(cs []Change, field, a, b string) []Change {
	if a == b {
		return cs
	}
	return append(cs, Change{Field: field, From: a, To: b})
}
