package storetest

import (
	"context"
	"testing"
	"time"

	"homthu/internal/homthu"
	"homthu/internal/store"
)

func TestRetention(t *testing.T) {
	for _, engine := range Engines() {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			s := Open(t, engine)
			Tree(t, s)
			att := []homthu.Attachment{{SHA256: "aa", Name: "anh.jpg", Type: "image/jpeg", Size: 10}, {SHA256: "bb", Name: "b.pdf", Type: "application/pdf", Size: 20}}
			mk := func(id string, atts []homthu.Attachment) {
				it := &store.NewItem{ID: id, Unit: "14329", ReceivedOn: "2026-01-01", ReceivedAt: time.Now(), Identity: []byte("sealed"),
					CommitSalt: []byte("s"), TextHash: []byte("h"),
					Sub: homthu.Submission{Area: "14329-001", Channel: homthu.ChannelOnline, Content: "x", Attachments: atts}}
				if err := s.Batch(ctx, func(tx *store.Tx) error { return store.CreateItem(ctx, tx, it) }); err != nil {
					t.Fatal(err)
				}
			}
			mk("old", att)
			mk("shared", att[1:]) // shares blob bb, still open
			mk("open", nil)
			if err := s.SetStatus(ctx, "old", homthu.StatusClosed); err != nil {
				t.Fatal(err)
			}
			if got, err := s.EraseExpired(ctx, time.Now().Add(-time.Hour), 0); err != nil || len(got) != 0 {
				t.Fatalf("EraseExpired before the period = %v, %v; want nothing", got, err)
			}
			got, err := s.EraseExpired(ctx, time.Now().Add(time.Hour), 0)
			if err != nil || len(got) != 1 || got[0].ID != "old" || len(got[0].Blobs) != 1 || got[0].Blobs[0] != "aa" {
				t.Fatalf("EraseExpired = %+v, %v; want item old with only blob aa unreferenced", got, err)
			}
			if sealed, _ := s.SealedIdentity(ctx, "37", "old"); sealed != nil {
				t.Error("identity of an expired item kept")
			}
			if sealed, _ := s.SealedIdentity(ctx, "37", "shared"); sealed == nil {
				t.Error("identity of an open item erased")
			}
			it, _ := s.FindItem(ctx, "37", "old")
			if len(it.Attachments) != 0 || it.Content != "x" {
				t.Errorf("after erasure: %+v", it)
			}
			recs, _ := s.ListAudit(ctx, "37", "old", 0)
			if len(recs) != 1 || recs[0].Action != homthu.AuditRetentionErase {
				t.Errorf("audit = %v, want one retention.erase", recs)
			}
			if got, _ := s.EraseExpired(ctx, time.Now().Add(time.Hour), 0); len(got) != 0 {
				t.Errorf("second EraseExpired = %v, want nothing left", got)
			}
		})
	}
}
