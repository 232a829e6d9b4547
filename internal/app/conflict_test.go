package app

import (
	"strings"
	"testing"

	"homthu/internal/homthu"
	"homthu/internal/store"
	"homthu/internal/store/storetest"
)

// TestConflictOfInterest: an item about the head of the ward's party
// committee is never routed to that committee; a person confirms the match
// and the item goes to the body one level up. Two "Nguyễn Văn Hùng" sit in
// one province — the ward's Bí thư and the province's UBKT chairman — and
// only the one at the ward is flagged.
func TestConflictOfInterest(t *testing.T) {
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			f := newFixture(t, engine)
			_, id := f.submit("Bí thư Đảng ủy phường dùng xe công đi việc riêng vào cuối tuần.", true, homthu.Subject{Name: "Nguyen Van Hung"})
			it := f.item("xa", id)
			bithu := homthu.Subject{Name: "Nguyễn Văn Hùng", Position: "Bí thư Đảng ủy phường", Workplace: "Đảng ủy phường Hoa Lư", Unit: "14329",
				PartyMember: homthu.Yes, ManagedBy: homthu.ManagedCommune}
			it, err := f.app.Triage(f.ctx, f.s("xa"), id, it.Version, homthu.Triage{Kind: homthu.KindReport, Subject: bithu})
			ok(t, "Triage", err)

			// The suggestion is the ward's party committee, but it is headed by the person concerned.
			dangu := f.agencies["Đảng ủy phường Hoa Lư"]
			_, err = f.app.Refer(f.ctx, f.s("xa"), id, it.Version, ReferRequest{Agency: dangu.ID})
			wantCode(t, "Refer to the body the subject heads", err, homthu.ECONFLICT)
			if !strings.Contains(homthu.ErrorMessage(err), "xác nhận") {
				t.Errorf("message %q does not ask for a confirmation", homthu.ErrorMessage(err))
			}
			cs, err := f.app.Conflicts(f.ctx, f.s("xa"), id)
			ok(t, "Conflicts", err)
			var head *homthu.Conflict
			for _, c := range cs {
				if c.Person.Agency == dangu.ID && c.Person.Head {
					head = c
				}
				if c.Person.Name == "Nguyễn Văn Hùng" && c.Person.Agency == f.agencies["Ủy ban Kiểm tra Tỉnh ủy Ninh Bình"].ID {
					t.Errorf("the province's Nguyễn Văn Hùng was flagged: %+v", c)
				}
			}
			if head == nil || head.State != homthu.ConflictPossible || head.Level != homthu.MatchLikely {
				t.Fatalf("conflicts = %+v, want the ward's Bí thư flagged as likely", cs)
			}
			// The handler of the committee may not see it either: no referral was made.
			if rs, _ := f.app.Store.Referrals(f.ctx, id); len(rs) != 0 {
				t.Fatalf("a refused referral left %d referrals", len(rs))
			}
			sg, err := f.app.SuggestAgencies(f.ctx, f.s("xa"), id)
			ok(t, "SuggestAgencies", err)
			if sg.Barred[dangu.ID] == "" || len(sg.Agencies) != 1 || sg.Agencies[0].Name != "Ban Thường vụ Tỉnh ủy Ninh Bình" {
				t.Errorf("suggestion with the ward barred = %v, barred %v", sg.Agencies, sg.Barred)
			}

			it = f.item("xa", id)
			_, err = f.app.DecideConflict(f.ctx, f.s("xa"), id, it.Version, head.ID, true, "")
			wantCode(t, "a decision without its ground", err, homthu.EINVALID)
			it, err = f.app.DecideConflict(f.ctx, f.s("xa"), id, it.Version, head.ID, true, "Cùng họ tên, chức vụ và đơn vị.")
			ok(t, "DecideConflict", err)
			_, err = f.app.Refer(f.ctx, f.s("xa"), id, it.Version, ReferRequest{Agency: dangu.ID})
			wantCode(t, "Refer after the match is confirmed", err, homthu.ECONFLICT)
			if !strings.Contains(homthu.ErrorMessage(err), "cấp trên") {
				t.Errorf("message %q does not say to go one level up", homthu.ErrorMessage(err))
			}
			province := f.agencies["Ban Thường vụ Tỉnh ủy Ninh Bình"]
			_, err = f.app.Refer(f.ctx, f.s("xa"), id, it.Version, ReferRequest{Agency: province.ID, Note: "Đảng ủy phường do người bị phản ánh đứng đầu: chuyển cấp trên."})
			ok(t, "Refer one level up", err)
			// The ward's handler never sees it.
			if inbox, _, _ := f.app.AgencyInbox(f.ctx, f.s("dangu"), store.AgencyInboxFilter{State: "all"}); len(inbox) != 0 {
				t.Errorf("the ward's committee sees %d referrals", len(inbox))
			}
			hist, _ := f.app.Store.History(f.ctx, id, false)
			var got []string
			for _, h := range hist {
				got = append(got, string(h.Event)+"@"+string(h.ActorRole))
			}
			if s := strings.Join(got, " "); s != "triage@front conflict@system conflict@front refer@front" {
				t.Errorf("history = %s", s)
			}
		})
	}
}

// TestConflictWithFrontStaff: a letter about a staff member of the ward's
// Front is hidden from that account from the moment it arrives (no
// diacritics, another vowel carries the tone), listed and opened; a
// colleague confirms, and the item goes up to the province.
func TestConflictWithFrontStaff(t *testing.T) {
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			f := newFixture(t, engine)
			_, id := f.submit("Bà Phó Chủ tịch Mặt trận phường thu tiền quỹ không ghi sổ.", true,
				homthu.Subject{Name: "Lê Thị Hòa", Position: "Phó Chủ tịch Ủy ban MTTQ phường"})
			_, _, err := f.app.Item(f.ctx, f.s("xa2"), id)
			wantCode(t, "the person concerned opens the item", err, homthu.ENOTFOUND)
			items, _, err := f.app.Items(f.ctx, f.s("xa2"), homthu.ItemFilter{})
			ok(t, "Items(xa2)", err)
			for _, it := range items {
				if it.ID == id {
					t.Fatalf("the person concerned lists the item")
				}
			}
			it := f.item("xa", id)
			_, err = f.app.Triage(f.ctx, f.s("xa2"), id, it.Version, homthu.Triage{Kind: homthu.KindComment})
			wantCode(t, "the person concerned triages", err, homthu.ENOTFOUND)
			cs, _ := f.app.Conflicts(f.ctx, f.s("xa"), id)
			if len(cs) != 1 || cs[0].Person.Name != "Lê Thị Hoà" {
				t.Fatalf("conflicts = %+v", cs)
			}
			it, err = f.app.DecideConflict(f.ctx, f.s("xa"), id, it.Version, cs[0].ID, true, "Đúng là đồng chí Phó Chủ tịch.")
			ok(t, "DecideConflict", err)
			if it.Unit != "37" {
				t.Errorf("after the confirmed match the item is at %s, want the province 37", it.Unit)
			}
			_, _, err = f.app.Item(f.ctx, f.s("xa"), id)
			wantCode(t, "the ward opens the escalated item", err, homthu.ENOTFOUND)
			f.item("tinh", id)
		})
	}
}

// TestFlagAccount: an account created after an item was received is
// compared too, and never sees an item about its holder.
func TestFlagAccount(t *testing.T) {
	f := newFixture(t, "sqlite")
	_, id := f.submit("Cán bộ phường thường xuyên đi muộn.", true, homthu.Subject{Name: "Đỗ Thị Hạnh", Position: "Cán bộ Mặt trận"})
	u := &homthu.User{Username: "moi", Role: homthu.RoleFront, Unit: "14329", FullName: "Do Thi Hanh", Position: "Cán bộ"}
	if err := f.app.Store.CreateUser(f.ctx, u, "x"); err != nil {
		t.Fatal(err)
	}
	n, err := f.app.FlagAccount(f.ctx, u)
	if err != nil || n != 1 {
		t.Fatalf("FlagAccount = %d, %v; want 1 item flagged", n, err)
	}
	items, _, _ := f.app.Items(f.ctx, &homthu.Session{User: u}, homthu.ItemFilter{})
	for _, it := range items {
		if it.ID == id {
			t.Errorf("the new account lists the item about its holder")
		}
	}
}
