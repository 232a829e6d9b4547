package storetest

import (
	"context"
	"fmt"
	"testing"

	"homthu/internal/homthu"
	"homthu/internal/store"
)

func mustProgramme(t *testing.T, s *store.Store, unit, signed, to string) int64 {
	t.Helper()
	id, err := s.CreateProgramme(context.Background(), &homthu.Programme{Unit: unit, Number: "01/CTPH", SignedOn: signed, Title: "Chương trình phối hợp",
		Parties: []string{"Ủy ban MTTQ", "Hội Nông dân"}, From: signed, To: to}, "thu")
	if err != nil {
		t.Fatalf("CreateProgramme(%s): %v", unit, err)
	}
	return id
}

// TestRecords: programmes, activities (with their files and organisations)
// and pilots in scope by period; another unit's are not listed nor found;
// RecordCounts by unit and period, and the signed ratio of a level.
func TestRecords(t *testing.T) {
	for _, engine := range Engines() {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			s := Open(t, engine)
			Tree(t, s)
			p1 := mustProgramme(t, s, "14329", "2026-03-01", "")
			mustProgramme(t, s, "37", "2025-05-01", "2025-12-31") // ended before 2026
			mustProgramme(t, s, "00004", "2026-02-01", "")        // Hà Nội
			act := func(unit string, kind homthu.ActivityKind, day string, n int, files ...homthu.Attachment) int64 {
				id, err := s.CreateActivity(ctx, &homthu.Activity{Unit: unit, Kind: kind, HeldOn: day, Topic: "Chủ đề", Participants: n,
					ByOrg: []homthu.OrgCount{{Org: "Hội Phụ nữ", Count: n / 2}}, Files: files}, "thu")
				if err != nil {
					t.Fatalf("CreateActivity: %v", err)
				}
				return id
			}
			a1 := act("14329", homthu.ActivityDialogue, "2026-04-02", 40, homthu.Attachment{SHA256: "ab", Name: "bien-ban.pdf", Type: "application/pdf", Size: 9})
			act("14329-001", homthu.ActivityTraining, "2026-05-02", 20)
			act("14329", homthu.ActivityDialogue, "2025-12-30", 10) // before the period
			act("00004", homthu.ActivitySupervision, "2026-04-02", 5)
			if _, err := s.CreatePilot(ctx, &homthu.Pilot{Unit: "14330", From: "2026-01-01", To: "2026-12-31"}, "thu"); err != nil {
				t.Fatal(err)
			}
			if _, err := s.CreatePilot(ctx, &homthu.Pilot{Unit: "14329", From: "2024-01-01", To: "2024-12-31"}, "thu"); err != nil {
				t.Fatal(err)
			}

			ps, _, err := s.ListProgrammes(ctx, store.RecordFilter{Scope: "37", From: "2026-01-01", To: "2026-12-31"})
			if err != nil || len(ps) != 1 || ps[0].ID != p1 || len(ps[0].Parties) != 2 || ps[0].UnitName != "Phường Hoa Lư" {
				t.Errorf("ListProgrammes(37, 2026) = %+v, %v", ps, err)
			}
			as, _, err := s.ListActivities(ctx, store.RecordFilter{Scope: "37", From: "2026-01-01", To: "2026-12-31"}, "")
			if err != nil || len(as) != 2 {
				t.Fatalf("ListActivities(37, 2026) = %d, %v", len(as), err)
			}
			if got := as[1]; got.ID != a1 || len(got.Files) != 1 || got.Files[0].Name != "bien-ban.pdf" || len(got.ByOrg) != 1 || got.ByOrg[0].Count != 20 {
				t.Errorf("activity = %+v", got)
			}
			// Newest day first, one at a time across the pages.
			var days []string
			for before := int64(0); ; {
				page, next, err := s.ListActivities(ctx, store.RecordFilter{Scope: "37", Limit: 1, Before: before}, "")
				if err != nil {
					t.Fatal(err)
				}
				for _, a := range page {
					days = append(days, a.HeldOn)
				}
				if next == 0 || len(days) > 5 {
					break
				}
				before = next
			}
			if fmt.Sprint(days) != "[2026-05-02 2026-04-02 2025-12-30]" {
				t.Errorf("activities by pages of one = %v", days)
			}
			if as, _, _ := s.ListActivities(ctx, store.RecordFilter{Scope: "37"}, homthu.ActivityTraining); len(as) != 1 {
				t.Errorf("trainings = %d, want 1", len(as))
			}
			if _, err := s.ActivityFile(ctx, "37", a1, 0); err != nil {
				t.Errorf("ActivityFile in scope: %v", err)
			}
			if _, err := s.ActivityFile(ctx, "01", a1, 0); homthu.ErrorCode(err) != homthu.ENOTFOUND {
				t.Errorf("ActivityFile out of scope = %v", err)
			}
			if _, err := s.FindProgramme(ctx, "01", p1); homthu.ErrorCode(err) != homthu.ENOTFOUND {
				t.Errorf("FindProgramme out of scope = %v", err)
			}
			if _, _, err := s.ListProgrammes(ctx, store.RecordFilter{Scope: "14330", Unit: "14329"}); homthu.ErrorCode(err) != homthu.ENOTFOUND {
				t.Errorf("ListProgrammes of a unit outside the scope = %v", err)
			}
			pl, err := s.ListPilots(ctx, store.RecordFilter{Scope: "37", From: "2026-01-01", To: "2026-12-31"})
			if err != nil || len(pl) != 1 || pl[0].Unit != "14330" {
				t.Errorf("ListPilots(2026) = %+v, %v", pl, err)
			}

			counts, err := s.RecordCounts(ctx, "37", "2026-01-01", "2026-12-31")
			if err != nil {
				t.Fatal(err)
			}
			got := fmt.Sprint(counts)
			want := "[{14329 1 map[dialogue:1] 40 false} {14329-001 0 map[training:1] 20 false} {14330 0 map[] 0 true}]"
			if got != want {
				t.Errorf("RecordCounts(37, 2026) = %s, want %s", got, want)
			}
			for _, tt := range []struct {
				parent   string
				kind     homthu.UnitKind
				from, to string
				signed   int
				total    int
			}{
				{"37", homthu.KindCommune, "2026-01-01", "2026-12-31", 1, 2},
				{"37", homthu.KindProvince, "2026-01-01", "2026-12-31", 0, 1}, // the province's ended in 2025
				{"37", homthu.KindProvince, "2025-01-01", "2025-12-31", 1, 1},
				{"37", homthu.KindCommune, "2025-01-01", "2025-12-31", 0, 2}, // signed only in 2026
			} {
				signed, total, err := s.SignedRatio(ctx, tt.parent, tt.kind, tt.from, tt.to)
				if err != nil || signed != tt.signed || total != tt.total {
					t.Errorf("SignedRatio(%s, %s, %s..%s) = %d/%d, %v; want %d/%d", tt.parent, tt.kind, tt.from, tt.to, signed, total, err, tt.signed, tt.total)
				}
			}
		})
	}
}
