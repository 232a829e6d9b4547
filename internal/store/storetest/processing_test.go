package storetest

import (
	"context"
	"testing"
	"time"

	"homthu/internal/homthu"
	"homthu/internal/store"
)

// processingTables must hold rows after fillProcessing.
var processingTables = []string{"agencies", "referrals", "referral_numbers", "extensions", "conflicts", "item_history", "item_categories"}

// fillProcessing gives item id every kind of processing row: an agency
// with a handler, categories, a referral with an extension, a conflict and
// history entries.
func fillProcessing(t *testing.T, s *store.Store, id string) {
	t.Helper()
	ctx := context.Background()
	if _, err := s.InstallShippedCatalogs(ctx); err != nil {
		t.Fatal(err)
	}
	ag := &homthu.Agency{Unit: "14329", Kind: homthu.AgencyPartyCommittee, Name: "Đảng ủy phường \"Hoa Lư\"", HeadName: "Nguyễn Văn Hùng", HeadPosition: "Bí thư"}
	if err := s.CreateAgency(ctx, ag); err != nil {
		t.Fatal(err)
	}
	h := &homthu.User{Username: "danguy", Role: homthu.RoleAgency, Agency: ag.ID, FullName: "Ngô Thị Lụa", Position: "Văn phòng"}
	if err := s.CreateUser(ctx, h, "x"); err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	err := s.Transact(ctx, func(tx *store.Tx) error {
		it, err := store.LockItem(ctx, tx, "37", id)
		if err != nil {
			return err
		}
		v := it.Version
		it.Status, it.Kind, it.Categories, it.Subject.Name, it.Agency, it.DueOn = homthu.StatusReferred, homthu.KindDenunciation,
			[]homthu.StandardRef{{Code: "NQ4-01", Version: 1}, {Code: "QD37-19", Version: 1}}, "Nguyễn Văn Hùng", ag.ID, "2026-12-31"
		if err := store.SaveItem(ctx, tx, it, v, time.Time{}); err != nil {
			return err
		}
		n, err := store.NextReferralNumber(ctx, tx, "14329", 2026)
		if err != nil || n != 1 {
			t.Errorf("NextReferralNumber = %d, %v", n, err)
		}
		r := &homthu.Referral{Item: id, Agency: ag.ID, Number: "1/MTTQ-BTT", SentOn: "2026-12-01", DueOn: "2026-12-31", Days: 30,
			State: homthu.ReferralSent, Letter: "Kính gửi: Đảng ủy.\n", CreatedAt: now}
		if err := store.InsertReferral(ctx, tx, r, true, 0); err != nil {
			return err
		}
		if err := store.InsertExtension(ctx, tx, r.ID, &homthu.Extension{Days: 10, Reason: "Cần xác minh", State: homthu.ExtensionRequested, RequestedAt: now}, h.ID); err != nil {
			return err
		}
		c := &homthu.Conflict{Item: id, Person: homthu.Person{Name: ag.HeadName, Position: ag.HeadPosition, Agency: ag.ID, Head: true}, Level: homthu.MatchLikely, Why: "cùng họ tên"}
		if _, err := store.AddConflict(ctx, tx, c, now); err != nil {
			return err
		}
		return store.AppendHistory(ctx, tx, id, &homthu.HistoryEntry{At: now, Event: homthu.EvRefer, ActorName: "hệ thống", ActorRole: homthu.RoleSystem,
			From: homthu.StatusReceived, To: homthu.StatusReferred, Changes: []homthu.Change{{Field: "Cơ quan", To: ag.Name}}, Public: true, PublicNote: "Đã chuyển."})
	})
	if err != nil {
		t.Fatalf("fillProcessing: %v", err)
	}
}

// TestProcessingStore: the workflow's storage on both engines — a save on
// a stale version is refused and changes nothing, history is append-only,
// the inbox filters of issue 9 select what they say.
func TestProcessingStore(t *testing.T) {
	for _, engine := range Engines() {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			s := Open(t, engine)
			Tree(t, s)
			a := MustCreateItem(t, s, "14329-001", "14329", "Trưởng thôn thu tiền không có biên lai", true, nil)
			b := MustCreateItem(t, s, "14329-001", "14329", "Đường làng xuống cấp", true, nil)
			fillProcessing(t, s, a)

			err := s.Transact(ctx, func(tx *store.Tx) error {
				it, err := store.LockItem(ctx, tx, "37", b)
				if err != nil {
					return err
				}
				it.Kind = homthu.KindComment
				return store.SaveItem(ctx, tx, it, it.Version+1, time.Time{})
			})
			if homthu.ErrorCode(err) != homthu.ECONFLICT {
				t.Errorf("SaveItem on a stale version = %v, want ECONFLICT", err)
			}
			if it, _ := s.FindItem(ctx, "37", b); it.Kind != "" || it.Version != 0 {
				t.Errorf("a refused save changed the item: kind %q version %d", it.Kind, it.Version)
			}
			if err := s.Transact(ctx, func(tx *store.Tx) error {
				_, err := store.LockItem(ctx, tx, "14330", a)
				return err
			}); homthu.ErrorCode(err) != homthu.ENOTFOUND {
				t.Errorf("LockItem outside the scope = %v, want ENOTFOUND", err)
			}
			for _, q := range []string{`UPDATE item_history SET note = 'x'`, `DELETE FROM item_history`} {
				if _, err := s.DB().ExecContext(ctx, q); err == nil {
					t.Errorf("%s succeeded: history must be append-only", q)
				}
			}
			ag, _ := s.ListAgencies(ctx, store.AgencyFilter{Under: "37"})
			for _, tt := range []struct {
				name string
				f    homthu.ItemFilter
				want []string
			}{
				{"kind", homthu.ItemFilter{Kind: homthu.KindDenunciation}, []string{a}},
				{"category", homthu.ItemFilter{Category: "QD37-19"}, []string{a}},
				{"no such category", homthu.ItemFilter{Category: "QD37-18"}, nil},
				{"agency", homthu.ItemFilter{Agency: ag[0].ID}, []string{a}},
				{"overdue", homthu.ItemFilter{Overdue: true, Today: "2027-01-01"}, []string{a}},
				{"not yet overdue", homthu.ItemFilter{Overdue: true, Today: "2026-12-31"}, nil},
				{"status", homthu.ItemFilter{Status: homthu.StatusReferred}, []string{a}},
				{"prefix words", homthu.ItemFilter{Query: "truong thon bien"}, []string{a}},
				{"subject", homthu.ItemFilter{Query: "Hùng"}, []string{a}},
				{"all", homthu.ItemFilter{}, []string{a, b}},
			} {
				tt.f.Scope = "37"
				items, _, err := s.ListItems(ctx, tt.f)
				if err != nil {
					t.Fatalf("%s: %v", tt.name, err)
				}
				var got []string
				for _, it := range items {
					got = append(got, it.ID)
				}
				if len(got) != len(tt.want) || (len(got) == 1 && got[0] != tt.want[0]) {
					t.Errorf("%s: ListItems = %v, want %v", tt.name, got, tt.want)
				}
			}
			if _, _, err := s.ListItems(ctx, homthu.ItemFilter{Scope: "37", Kind: "khiếu nại"}); homthu.ErrorCode(err) != homthu.EINVALID {
				t.Errorf("a bad kind = %v, want EINVALID", err)
			}
		})
	}
}
