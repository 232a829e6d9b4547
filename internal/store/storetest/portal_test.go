package storetest

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"homthu/internal/homthu"
	"homthu/internal/news"
	"homthu/internal/store"
)

func TestPosts(t *testing.T) {
	for _, engine := range Engines() {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			s := Open(t, engine)
			Tree(t, s)
			now := time.Now().Truncate(time.Millisecond)
			var ids []int64
			for i, p := range []*news.Post{
				{Title: "Sơ kết Quy định 124", Body: "a", Category: "quy-dinh-124", Unit: "37", PublishAt: now.Add(-3 * time.Hour)},
				{Title: "Sơ kết Quy định 124", Body: "b", Category: "hoat-dong", PublishAt: now.Add(-2 * time.Hour)},
				{Title: "Nháp", Body: "c", Category: "thong-bao", Draft: true},
				{Title: "Hẹn", Body: "d", Category: "thong-bao", PublishAt: now.Add(time.Hour)},
				{Title: "Của Hà Nội", Body: "e", Category: "hoat-dong", Unit: "01", PublishAt: now.Add(-time.Hour)},
			} {
				if err := s.SavePost(ctx, p); err != nil {
					t.Fatalf("SavePost %d: %v", i, err)
				}
				ids = append(ids, p.ID)
			}
			if p, _ := s.FindPost(ctx, ids[1]); p.Slug != "so-ket-quy-dinh-124-2" {
				t.Errorf("second slug = %q", p.Slug)
			}
			list, more, err := s.PublicPosts(ctx, store.PostFilter{Limit: 10}, now)
			if err != nil || more || len(list) != 3 || list[0].ID != ids[4] || list[2].ID != ids[0] || list[2].UnitName != "Tỉnh Ninh Bình" {
				t.Fatalf("PublicPosts = %d, %v, %v", len(list), more, err)
			}
			page, more, _ := s.PublicPosts(ctx, store.PostFilter{Limit: 2}, now)
			rest, more2, _ := s.PublicPosts(ctx, store.PostFilter{Limit: 2, BeforeAt: page[1].PublishAt, BeforeID: page[1].ID}, now)
			if len(page) != 2 || !more || len(rest) != 1 || more2 || rest[0].ID != ids[0] {
				t.Errorf("keyset pages: %d %v, %d %v", len(page), more, len(rest), more2)
			}
			if l, _, _ := s.PublicPosts(ctx, store.PostFilter{Unit: "37"}, now); len(l) != 2 {
				t.Errorf("posts of unit 37 and of the whole site = %d, want 2", len(l))
			}
			if _, err := s.PublicPost(ctx, "nhap", now); homthu.ErrorCode(err) != homthu.ENOTFOUND {
				t.Errorf("a draft by slug = %v", err)
			}
			if _, err := s.PublicPost(ctx, "hen", now.Add(2*time.Hour)); err != nil {
				t.Errorf("the scheduled post after its time: %v", err)
			}
			// A published post keeps its address when its title changes.
			p, _ := s.FindPost(ctx, ids[0])
			p.Title, p.Slug = "Tiêu đề mới", ""
			if err := s.SavePost(ctx, p); err != nil || p.Slug != "so-ket-quy-dinh-124" {
				t.Errorf("renaming a published post: slug %q, %v", p.Slug, err)
			}
			if err := s.SavePost(ctx, &news.Post{Title: "x", Body: "y", Category: "thong-bao", Draft: true, Unit: "999"}); homthu.ErrorCode(err) != homthu.EINVALID {
				t.Errorf("a post of an unknown unit = %v, want EINVALID", err)
			}
			if err := s.AddPostImage(ctx, "ab", "image/png", "x"); err != nil {
				t.Fatal(err)
			}
			if typ, err := s.PostImageType(ctx, "ab"); err != nil || typ != "image/png" {
				t.Errorf("PostImageType = %q, %v", typ, err)
			}
			if _, err := s.PostImageType(ctx, "cd"); homthu.ErrorCode(err) != homthu.ENOTFOUND {
				t.Errorf("an unknown image = %v", err)
			}
		})
	}
}

func TestItemCountsByCommune(t *testing.T) {
	for _, engine := range Engines() {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			s := Open(t, engine)
			Tree(t, s)
			MustCreateItem(t, s, "14329-001", "14329", "a", true, nil)
			MustCreateItem(t, s, "14329-001", "14329", "b", true, nil)
			MustCreateItem(t, s, "14330-001", "14330", "c", true, nil)
			MustCreateItem(t, s, "00004", "00004", "Hà Nội", true, nil)
			rows, err := s.ItemCountsByCommune(ctx, "37", "2000-01-01", "2999-12-31")
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]int{}
			for _, r := range rows {
				got[r.Code] = r.Received
			}
			if got["14329"] != 2 || got["14330"] != 1 || got["00004"] != 0 || rows[len(rows)-1].Code != "37" {
				t.Errorf("counts = %v", got)
			}
		})
	}
}

// TestPublicMailboxes: the public look-up returns the boxes in place of
// exactly the units named (not those below them), damaged ones included,
// removed ones not.
func TestPublicMailboxes(t *testing.T) {
	for _, engine := range Engines() {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			s := Open(t, engine)
			Tree(t, s)
			a := mustMailbox(t, s, "14329-001", "2024-03-15", 10)
			c := mustMailbox(t, s, "14329", "2025-07-01", 5)
			gone := mustMailbox(t, s, "14329-001", "2020-01-01", 1)
			if err := s.UpdateMailbox(ctx, gone.ID, &homthu.MailboxInput{Unit: gone.Unit, Place: gone.Place, InstalledOn: gone.InstalledOn,
				Status: homthu.MailboxRemoved, RemovedOn: "2024-03-15", Day: 1}); err != nil {
				t.Fatal(err)
			}
			b := mustMailbox(t, s, "14330-001", "2024-01-01", 0)
			if err := s.UpdateMailbox(ctx, b.ID, &homthu.MailboxInput{Unit: b.Unit, Place: b.Place, InstalledOn: b.InstalledOn,
				Status: homthu.MailboxDamaged}); err != nil {
				t.Fatal(err)
			}
			for _, tt := range []struct {
				units []string
				want  []int64
			}{
				{[]string{"14329-001"}, []int64{a.ID}},
				{[]string{"14329"}, []int64{c.ID}},
				{[]string{"14330-001", "14329-001", "14329"}, []int64{c.ID, a.ID, b.ID}},
				{[]string{"37"}, nil},
				{nil, nil},
			} {
				got, err := s.PublicMailboxes(ctx, tt.units)
				if err != nil {
					t.Fatalf("PublicMailboxes(%v): %v", tt.units, err)
				}
				var ids []int64
				for _, m := range got {
					ids = append(ids, m.ID)
				}
				if fmt.Sprint(ids) != fmt.Sprint(tt.want) {
					t.Errorf("PublicMailboxes(%v) = %v, want %v", tt.units, ids, tt.want)
				}
			}
		})
	}
}

// TestEditorialMessages: a message with and without an attachment, the
// list newest first by state with its cursor, the reply recorded in a
// transaction, done and open again, the counts; an unknown id is ENOTFOUND.
func TestEditorialMessages(t *testing.T) {
	for _, engine := range Engines() {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			s := Open(t, engine)
			at := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
			var ids []int64
			for i, att := range []*homthu.Attachment{nil, {SHA256: strings.Repeat("a", 64), Name: "anh.png", Type: "image/png", Size: 123}, nil} {
				id, err := s.CreateEditorialMessage(ctx, &homthu.EditorialInput{Name: "Lan", Contact: "lan@example.vn", Subject: fmt.Sprintf("Thư %d", i),
					Text: "Nội dung\ncó hai dòng", Attachment: att}, at.Add(time.Duration(i)*time.Minute))
				if err != nil {
					t.Fatal(err)
				}
				ids = append(ids, id)
			}
			m, err := s.FindEditorialMessage(ctx, ids[1])
			if err != nil || m.Attachment == nil || m.Attachment.Size != 123 || m.Status != homthu.EditorialNew || !m.Received.Equal(at.Add(time.Minute)) || m.Text != "Nội dung\ncó hai dòng" {
				t.Fatalf("FindEditorialMessage = %+v, %v", m, err)
			}
			if m, _ := s.FindEditorialMessage(ctx, ids[0]); m.Attachment != nil {
				t.Error("a message without a file has an attachment")
			}
			if _, err := s.FindEditorialMessage(ctx, 9999); homthu.ErrorCode(err) != homthu.ENOTFOUND {
				t.Errorf("FindEditorialMessage(9999) = %v", err)
			}
			page, next, err := s.EditorialMessages(ctx, store.EditorialFilter{Limit: 2})
			if err != nil || len(page) != 2 || page[0].ID != ids[2] || next != ids[1] {
				t.Fatalf("first page = %d messages, next %d, %v", len(page), next, err)
			}
			if page, next, _ = s.EditorialMessages(ctx, store.EditorialFilter{Limit: 2, Before: next}); len(page) != 1 || page[0].ID != ids[0] || next != 0 {
				t.Errorf("second page = %d, next %d", len(page), next)
			}
			if err := s.Transact(ctx, func(tx *store.Tx) error {
				return store.ReplyEditorial(ctx, tx, ids[0], "Cảm ơn", "bbt", at.Add(time.Hour))
			}); err != nil {
				t.Fatal(err)
			}
			if err := s.Transact(ctx, func(tx *store.Tx) error { return store.ReplyEditorial(ctx, tx, 9999, "x", "bbt", at) }); homthu.ErrorCode(err) != homthu.ENOTFOUND {
				t.Errorf("ReplyEditorial(9999) = %v", err)
			}
			if err := s.SetEditorialDone(ctx, ids[1], true, "bbt", at.Add(time.Hour)); err != nil {
				t.Fatal(err)
			}
			counts, err := s.EditorialCounts(ctx)
			if err != nil || counts[homthu.EditorialNew] != 1 || counts[homthu.EditorialReplied] != 1 || counts[homthu.EditorialDone] != 1 {
				t.Errorf("counts = %v, %v", counts, err)
			}
			if page, _, _ := s.EditorialMessages(ctx, store.EditorialFilter{Status: homthu.EditorialReplied}); len(page) != 1 || page[0].Reply != "Cảm ơn" || page[0].RepliedBy != "bbt" {
				t.Errorf("replied = %+v", page)
			}
			for _, tt := range []struct {
				id   int64
				want homthu.EditorialStatus
			}{{ids[1], homthu.EditorialNew}, {ids[0], homthu.EditorialReplied}} {
				if err := s.SetEditorialDone(ctx, tt.id, true, "bbt", at); err != nil {
					t.Fatal(err)
				}
				if err := s.SetEditorialDone(ctx, tt.id, false, "bbt", at); err != nil {
					t.Fatal(err)
				}
				if m, _ := s.FindEditorialMessage(ctx, tt.id); m.Status != tt.want || !m.DoneAt.IsZero() {
					t.Errorf("opened again %d = %s, want %s", tt.id, m.Status, tt.want)
				}
			}
			if _, _, err := s.EditorialMessages(ctx, store.EditorialFilter{Status: "zz"}); homthu.ErrorCode(err) != homthu.EINVALID {
				t.Errorf("status zz = %v", err)
			}
		})
	}
}
