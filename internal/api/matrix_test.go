package api

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"homthu/internal/homthu"
	"homthu/internal/secret"
)

// TestRouteRoleMatrix walks every route of the API with every role (and
// with no session) and checks the permission table: a role that may not
// act gets 403 (401 without a session); one that may is never refused. An
// item id of another unit, or a notice of another account, is 404 for
// everyone else: no one learns that it exists.
func TestRouteRoleMatrix(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	// One account per role at the province, plus front staff of Hà Nội.
	// The agency account handles a body of the province.
	for _, r := range homthu.Roles {
		if r == homthu.RoleAgency {
			continue
		}
		if err := f.app.Store.CreateUser(ctx, &homthu.User{Username: "r-" + string(r), Role: r, Unit: "37"}, secret.HashPasswordParams("mat-khau-r-"+string(r), secret.TestParams())); err != nil {
			t.Fatal(err)
		}
	}
	ownAgency := f.addAgency(t, "37", homthu.AgencyPartyCommittee, "Ban Thường vụ Tỉnh ủy Ninh Bình", "r-agency")
	_, v := f.do(t, "POST", "/api/v1/feedback", `{"area":"14329-001","content":"thư của Ninh Bình","anonymous":false,"submitter":{"name":"A"}}`)
	rc := v["receipt"].(string)
	_, v = f.do(t, "POST", "/api/v1/feedback", `{"area":"00004","content":"thư của Hà Nội","anonymous":true}`)
	tokHN := "Bearer " + f.login(t, "hanoi")
	_, list := f.do(t, "GET", "/api/v1/items", "", "Authorization", tokHN)
	hanoiItem := list["items"].([]any)[0].(map[string]any)["id"].(string)
	_, list = f.do(t, "GET", "/api/v1/items", "", "Authorization", "Bearer "+f.login(t, "tinh"))
	ownItem := list["items"].([]any)[0].(map[string]any)["id"].(string)
	// A referral of each item: the own one to r-agency's body, Hà Nội's to a body there.
	ownRef := strconv.FormatInt(f.referItem(t, "tinh", "37", ownItem, ownAgency.ID), 10)
	hanoiRef := strconv.FormatInt(f.referItem(t, "hanoi", "01", hanoiItem, f.addAgency(t, "01", homthu.AgencyManaging, "UBND phường Ba Đình", "ubnd.badinh").ID), 10)

	// An open opening of the province's area and one of Hà Nội, with a
	// letter per role to remove (so that each allowed role removes its own).
	ownOpening, hanoiOpening := openingOf(t, f, "37", "14329-001"), openingOf(t, f, "01", "00004")
	seqs := map[homthu.Role]string{"": "1"}
	tinh := &homthu.Session{User: &homthu.User{Username: "tinh", Role: homthu.RoleFront, Unit: "37"}}
	for _, role := range homthu.Roles {
		seq, _, err := f.app.RegisterLetter(ctx, tinh, mustID(t, ownOpening), homthu.LetterInput{Content: "Thư của " + string(role)}, "")
		if err != nil {
			t.Fatal(err)
		}
		seqs[role] = strconv.Itoa(seq)
	}
	box, _ := f.app.Store.FindOpening(ctx, "", mustID(t, ownOpening))

	bodies := map[string]string{
		"/api/v1/mailboxes":                      `{"unit":"14329-001","place":"Nhà văn hóa","installed_on":"2024-01-01","day":10}`,
		"/api/v1/openings":                       `{"mailbox":` + strconv.FormatInt(box.Mailbox, 10) + `,"opened_at":"` + time.Now().Add(-time.Hour).Format(time.RFC3339) + `","seal":"intact","participants":[{"name":"A","chair":true},{"name":"B"},{"name":"C"}]}`,
		"/api/v1/openings/{opening}/letters":     `{"content":"Thư trong ma trận."}`,
		"/api/v1/openings/{opening}/seal":        `{"counted":99}`,
		"/api/v1/feedback":                       `{"area":"14329-001","content":"x","anonymous":true}`,
		"/api/v1/track":                          `{"receipt":"` + rc + `"}`,
		"/api/v1/track/messages":                 `{"receipt":"` + rc + `","body":"x"}`,
		"/api/v1/track/proof":                    `{"receipt":"` + rc + `"}`,
		"/api/v1/session":                        `{"username":"r-editor","password":"mat-khau-r-editor"}`,
		"/api/v1/items/{id}/messages":            `{"body":"Xin bổ sung."}`,
		"/api/v1/referrals/{referral}/extension": `{"days":5,"reason":"Cần xác minh thêm."}`,
		"/api/v1/referrals/{referral}/answer":    `{"outcome":"founded","text":"Đã xử lý."}`,
		"/api/v1/track/rating":                   `{"receipt":"` + rc + `","satisfied":true}`,
		"/api/v1/items/{id}/identity":            `{"otp":"123456","reason":"Cần xác minh thêm nội dung phản ánh"}`,
	}
	tokens := map[homthu.Role]string{}
	for _, role := range homthu.Roles {
		tokens[role] = "Bearer " + f.login(t, "r-"+string(role))
	}
	// A notice of each role's account, and one of the Hà Nội account: a
	// notice of another account is 404 for everyone else.
	notices := map[homthu.Role]string{}
	for _, role := range append([]homthu.Role{""}, homthu.Roles...) {
		name := "r-" + string(role)
		if role == "" {
			name = "hanoi"
		}
		notices[role] = f.notice(t, name)
	}
	hanoiNotice := notices[""]
	for _, rt := range (&API{App: f.app}).routes() {
		for _, role := range append([]homthu.Role{""}, homthu.Roles...) {
			own, other := ownItem, hanoiItem
			if strings.Contains(rt.pattern, "{notice}") {
				own, other = notices[role], hanoiNotice
			}
			if strings.Contains(rt.pattern, "{opening}") {
				own, other = ownOpening, hanoiOpening
			}
			if strings.Contains(rt.pattern, "{referral}") {
				own, other = ownRef, hanoiRef
			}
			for _, id := range []string{own, other} {
				if id == other && !strings.Contains(rt.pattern, "{id}") && !strings.Contains(rt.pattern, "{notice}") && !strings.Contains(rt.pattern, "{opening}") &&
					!strings.Contains(rt.pattern, "{referral}") {
					continue
				}
				path := strings.NewReplacer("{id}", id, "{notice}", id, "{code}", "NQ4-05", "{opening}", id, "{seq}", seqs[role], "{referral}", id).Replace(rt.pattern)
				if rt.method == "GET" && strings.HasSuffix(path, "/units") {
					path += "?q=hoa"
				}
				hdr := []string{}
				if role != "" {
					hdr = []string{"Authorization", tokens[role]}
				}
				code, v := f.do(t, rt.method, path, bodies[rt.pattern], hdr...)
				if rt.method == "DELETE" && code == 204 {
					tokens[role] = "Bearer " + f.login(t, "r-"+string(role)) // logged out: log in again
				}
				switch {
				case rt.act == "":
					if code == 401 || code == 403 {
						t.Errorf("%s %s as %q = %d: public route refused", rt.method, path, role, code)
					}
				case role == "":
					if code != 401 {
						t.Errorf("%s %s without session = %d %v, want 401", rt.method, path, code, v)
					}
				case !role.Can(rt.act):
					if code != 403 {
						t.Errorf("%s %s as %s = %d %v, want 403 (%s may not %s)", rt.method, path, role, code, v, role, rt.act)
					}
				case id == other:
					if code != 404 {
						t.Errorf("%s %s as %s = %d %v, want 404 for another unit's item or another account's notice", rt.method, path, role, code, v)
					}
				default:
					// Allowed: anything but a refusal (the step-up may still
					// answer 403 for an account without a second factor).
					if code == 401 || (code == 403 && rt.act != homthu.ActRevealIdentity) || code == 404 {
						t.Errorf("%s %s as %s = %d %v: allowed role refused", rt.method, path, role, code, v)
					}
				}
			}
		}
	}
}

// openingOf registers a mailbox at unit and starts an opening of it, as a
// Front officer of scope, and returns the opening's id.
func openingOf(t *testing.T, f *fixture, scope, unit string) string {
	t.Helper()
	sess := &homthu.Session{User: &homthu.User{Username: "tinh", Role: homthu.RoleFront, Unit: scope}}
	m, err := f.app.CreateMailbox(t.Context(), sess, homthu.MailboxInput{Unit: unit, Place: "Nhà văn hóa", InstalledOn: "2024-01-01", Day: 10})
	if err != nil {
		t.Fatal(err)
	}
	id, err := f.app.StartOpening(t.Context(), sess, homthu.OpeningInput{Mailbox: m.ID, OpenedAt: time.Now().Add(-time.Hour), Seal: homthu.SealIntact,
		Participants: []homthu.Participant{{Name: "A", Chair: true}, {Name: "B"}, {Name: "C"}}}, "")
	if err != nil {
		t.Fatal(err)
	}
	return strconv.FormatInt(id, 10)
}

func mustID(t *testing.T, s string) int64 {
	t.Helper()
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return n
}
