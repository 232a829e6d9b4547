package storetest

import (
	"context"
	"testing"
	"time"

	"homthu/internal/homthu"
)

func TestAuditAppendOnly(t *testing.T) {
	for _, engine := range Engines() {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			s := Open(t, engine)
			Tree(t, s)
			a := MustCreateItem(t, s, "14329-001", "14329", "thư", false, []byte("r"))
			b := MustCreateItem(t, s, "00004", "00004", "thư Hà Nội", false, []byte("r2"))
			for i, r := range []homthu.AuditRecord{
				{Actor: 1, ActorName: "hoalu", Unit: "14329", Action: homthu.AuditItemOpen, Item: a},
				{Actor: 1, ActorName: "hoalu", Unit: "14329", Action: homthu.AuditIdentityReveal, Item: a, Reason: "xác minh nội dung phản ánh"},
				{Actor: 2, ActorName: "hanoi", Unit: "00004", Action: homthu.AuditItemOpen, Item: b},
			} {
				r.At = time.Now().Add(time.Duration(i) * time.Second)
				if err := s.Audit(ctx, &r); err != nil {
					t.Fatal(err)
				}
			}
			if n, err := s.VerifyAudit(ctx); n != 3 || err != nil {
				t.Fatalf("VerifyAudit = %d, %v", n, err)
			}
			recs, err := s.ListAudit(ctx, "37", "", 0)
			if err != nil || len(recs) != 2 || recs[0].Action != homthu.AuditIdentityReveal {
				t.Errorf("ListAudit(37) = %v, %v; want the two records of Ninh Bình, newest first", recs, err)
			}
			if recs, _ := s.ListAudit(ctx, "01", "", 0); len(recs) != 1 {
				t.Errorf("ListAudit(01) = %d records, want 1", len(recs))
			}
			for _, q := range []string{
				`UPDATE audit SET reason = 'không có gì' WHERE id = 2`,
				`DELETE FROM audit WHERE id = 2`,
				`DELETE FROM audit`,
			} {
				if _, err := s.DB().ExecContext(ctx, q); err == nil {
					t.Errorf("%s succeeded; the audit log must refuse it", q)
				}
			}
			if engine == "postgres" {
				if _, err := s.DB().ExecContext(ctx, `TRUNCATE audit`); err == nil {
					t.Error("TRUNCATE audit succeeded")
				}
			}
			if n, err := s.VerifyAudit(ctx); n != 3 || err != nil {
				t.Errorf("after refused tampering VerifyAudit = %d, %v", n, err)
			}
			// An attacker who drops the triggers and edits a record is caught by the chain.
			drop := []string{`DROP TRIGGER audit_no_update`}
			if engine == "postgres" {
				drop = []string{`DROP TRIGGER audit_no_change ON audit`}
			}
			for _, q := range drop {
				if _, err := s.DB().ExecContext(ctx, q); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := s.DB().ExecContext(ctx, `UPDATE audit SET reason = 'x' WHERE id = 2`); err != nil {
				t.Fatal(err)
			}
			if _, err := s.VerifyAudit(ctx); err == nil {
				t.Error("VerifyAudit did not notice an edited record")
			}
		})
	}
}
