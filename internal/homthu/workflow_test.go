package homthu

import (
	"strings"
	"testing"
)

// TestWorkflow checks every (role, status, event) against a list of what is
// allowed, written out again here and by hand: each line is "role event:
// from → to" ("=" for unchanged). Everything not on the list must be
// refused — EFORBIDDEN for a role that may never do the event, ECONFLICT for
// a status that does not allow it.
func TestWorkflow(t *testing.T) {
	const allowed = `
front triage: received → considering, considering → considering, reopened → considering, referred =, answered =
front redirect: received → out_of_scope, considering → out_of_scope, reopened → out_of_scope
front spam: received → spam, considering → spam
front restore: spam → considering, out_of_scope → considering
front escalate: received =, considering =, reopened =
front assign: received =, considering =, referred =, answered =, reopened =
front conflict: received =, considering =, referred =, answered =, reopened =
front link: received → linked, considering → linked, reopened → linked
front unlink: linked → considering
front refer: considering → referred, reopened → referred, answered → referred
front recall: referred → considering
front extension_decide: referred =
front close: considering → closed, answered → closed, reopened → closed
front reopen: closed → reopened
agency acknowledge: referred =
agency extension_request: referred =
agency answer: referred → answered
citizen reopen: closed → reopened
citizen rate: closed =
`
	want := map[string]Status{} // "role event from" → to
	mayDo := map[string]bool{}  // "role event"
	for _, line := range strings.Split(strings.TrimSpace(allowed), "\n") {
		head, rest, _ := strings.Cut(line, ": ")
		role, ev, _ := strings.Cut(head, " ")
		mayDo[role+" "+ev] = true
		for _, tr := range strings.Split(rest, ", ") {
			var from, to string
			if f, ok := strings.CutSuffix(tr, " ="); ok {
				from, to = f, f
			} else {
				from, to, _ = strings.Cut(tr, " → ")
			}
			want[role+" "+ev+" "+from] = Status(to)
		}
	}
	roles := append(append([]Role{}, Roles...), RoleCitizen, "boss")
	n := 0
	for _, r := range roles {
		for _, st := range Statuses {
			for _, ev := range Events() {
				key := string(r) + " " + string(ev) + " " + string(st)
				got, err := Step(r, st, ev)
				to, ok := want[key]
				switch {
				case ok && err != nil:
					t.Errorf("Step(%s, %s, %s) = %v, want → %s", r, st, ev, err, to)
				case ok && got != to:
					t.Errorf("Step(%s, %s, %s) = %s, want %s", r, st, ev, got, to)
				case !ok && err == nil:
					t.Errorf("Step(%s, %s, %s) = %s, want refused", r, st, ev, got)
				case !ok && mayDo[string(r)+" "+string(ev)] && ErrorCode(err) != ECONFLICT:
					t.Errorf("Step(%s, %s, %s) = %v, want ECONFLICT (the role may, the status does not allow)", r, st, ev, err)
				case !ok && !mayDo[string(r)+" "+string(ev)] && ErrorCode(err) != EFORBIDDEN:
					t.Errorf("Step(%s, %s, %s) = %v, want EFORBIDDEN", r, st, ev, err)
				case err != nil && !strings.Contains(ErrorMessage(err), ev.Label()):
					t.Errorf("Step(%s, %s, %s) error %q does not name the event", r, st, ev, ErrorMessage(err))
				}
				if ok {
					n++
				}
			}
		}
	}
	if n != len(want) {
		t.Errorf("%d allowed transitions checked, the list has %d: a line names an unknown role, event or status", n, len(want))
	}
	// Every status and event has a Vietnamese label, and every status is
	// reachable by some transition or is where items start.
	for _, st := range Statuses {
		if st.Label() == string(st) || st.PublicLabel() == "" {
			t.Errorf("status %s has no label", st)
		}
	}
	for _, ev := range Events() {
		if ev.Label() == string(ev) {
			t.Errorf("event %s has no label", ev)
		}
	}
	if a := Allowed(RoleAgency, StatusReferred); !a[EvAnswer] || !a[EvAcknowledge] || a[EvRefer] {
		t.Errorf("Allowed(agency, referred) = %v", a)
	}
}
