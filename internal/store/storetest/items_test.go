package storetest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"homthu/internal/homthu"
	"homthu/internal/store"
)

func TestItemsScope(t *testing.T) {
	for _, engine := range Engines() {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			s := Open(t, engine)
			Tree(t, s)
			a := MustCreateItem(t, s, "14329-001", "14329", "Cán bộ phường Hoà Lư uống rượu trong giờ làm việc", true, []byte("r1"))
			b := MustCreateItem(t, s, "14330-001", "14330", "Trưởng thôn Đông nhận quà", false, []byte("r2"))
			c := MustCreateItem(t, s, "14329-001", "37", "Chủ tịch phường có biểu hiện tham nhũng", true, []byte("r3"))
			d := MustCreateItem(t, s, "00004", "00004", "Hà Nội", true, nil)

			for _, tt := range []struct {
				scope, unit, q string
				want           []string
			}{
				{"37", "", "", []string{a, b, c}},
				{"14329", "", "", []string{a}}, // the item to the province is not the commune's
				{"14330", "", "", []string{b}},
				{"01", "", "", []string{d}},
				{"37", "14330", "", []string{b}},
				{"37", "", "hoa lu", []string{a}},
				{"37", "", "RƯỢU giờ", []string{a}},
				{"37", "", "tham nhung", []string{c}},
				{"14329", "", "tham nhung", nil},
			} {
				items, _, err := s.ListItems(ctx, homthu.ItemFilter{Scope: tt.scope, Unit: tt.unit, Query: tt.q})
				if err != nil {
					t.Fatalf("ListItems(%s, %s, %q): %v", tt.scope, tt.unit, tt.q, err)
				}
				got := map[string]bool{}
				for _, it := range items {
					got[it.ID] = true
				}
				if len(got) != len(tt.want) {
					t.Errorf("ListItems(%s, %s, %q) = %d items, want %d", tt.scope, tt.unit, tt.q, len(got), len(tt.want))
				}
				for _, id := range tt.want {
					if !got[id] {
						t.Errorf("ListItems(%s, %s, %q) lacks %s", tt.scope, tt.unit, tt.q, id)
					}
				}
			}
			if _, _, err := s.ListItems(ctx, homthu.ItemFilter{Scope: "14329", Unit: "14330"}); homthu.ErrorCode(err) != homthu.ENOTFOUND {
				t.Errorf("ListItems narrowing outside scope = %v, want ENOTFOUND", err)
			}
			for _, tt := range []struct {
				scope, id, code string
			}{
				{"37", a, ""}, {"14329", a, ""}, {"14330", a, homthu.ENOTFOUND}, {"01", a, homthu.ENOTFOUND},
				{"14329", c, homthu.ENOTFOUND}, {"37", "nonexistent", homthu.ENOTFOUND},
			} {
				_, err := s.FindItem(ctx, tt.scope, tt.id)
				if homthu.ErrorCode(err) != tt.code {
					t.Errorf("FindItem(%s, %s) = %v, want %q", tt.scope, tt.id, err, tt.code)
				}
			}
			it, _ := s.FindItem(ctx, "37", b)
			if !it.Unattended || it.ReceivedAt.IsZero() || it.AreaName != "Thôn Đông" {
				t.Errorf("FindItem(b) = %+v: want unattended (no staff), a receipt time and the area name", it)
			}
			it, _ = s.FindItem(ctx, "37", a)
			if !it.ReceivedAt.IsZero() {
				t.Errorf("anonymous item has a receipt time %v", it.ReceivedAt)
			}
			if id, err := s.ItemByReceipt(ctx, []byte("r2")); err != nil || id != b {
				t.Errorf("ItemByReceipt(r2) = %q, %v", id, err)
			}
			if _, err := s.ItemByReceipt(ctx, []byte("nope")); homthu.ErrorCode(err) != homthu.ENOTFOUND {
				t.Errorf("ItemByReceipt(unknown) = %v", err)
			}
		})
	}
}

func TestItemsPagination(t *testing.T) {
	for _, engine := range Engines() {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			s := Open(t, engine)
			Tree(t, s)
			want := map[string]bool{}
			for i := 0; i < 23; i++ {
				want[MustCreateItem(t, s, "14329-001", "14329", fmt.Sprintf("thư số %d", i), i%2 == 0, nil)] = true
			}
			seen := map[string]bool{}
			cursor := ""
			pages := 0
			for {
				items, next, err := s.ListItems(ctx, homthu.ItemFilter{Scope: "37", Limit: 5, Cursor: cursor})
				if err != nil {
					t.Fatal(err)
				}
				pages++
				for _, it := range items {
					if seen[it.ID] {
						t.Errorf("item %s on two pages", it.ID)
					}
					seen[it.ID] = true
				}
				if next == "" {
					break
				}
				cursor = next
			}
			if len(seen) != 23 || pages != 5 {
				t.Errorf("paged through %d items in %d pages, want 23 in 5", len(seen), pages)
			}
			if _, _, err := s.ListItems(ctx, homthu.ItemFilter{Scope: "37", Cursor: "!!"}); homthu.ErrorCode(err) != homthu.EINVALID {
				t.Errorf("bad cursor: %v", err)
			}
		})
	}
}

// TestBatch checks group commit: concurrent batches all land, a failing
// request rolls back only itself.
func TestBatch(t *testing.T) {
	for _, engine := range Engines() {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			s := Open(t, engine)
			Tree(t, s)
			var wg sync.WaitGroup
			errs := make([]error, 200)
			for i := range errs {
				wg.Add(1)
				go func() {
					defer wg.Done()
					errs[i] = s.Batch(ctx, func(tx *store.Tx) error {
						_, err := tx.Exec(ctx, `INSERT INTO settings (name, value) VALUES (?, ?)`, fmt.Sprintf("k%d", i), "v")
						if err != nil {
							return err
						}
						if i%10 == 0 {
							return errors.New("refused")
						}
						return nil
					})
				}()
			}
			wg.Wait()
			for i, err := range errs {
				_, ok, _ := s.Setting(ctx, fmt.Sprintf("k%d", i))
				if i%10 == 0 && (err == nil || ok) {
					t.Errorf("request %d: err=%v stored=%v, want refused and not stored", i, err, ok)
				}
				if i%10 != 0 && (err != nil || !ok) {
					t.Errorf("request %d: err=%v stored=%v, want stored", i, err, ok)
				}
			}
		})
	}
}

func TestIdempotency(t *testing.T) {
	for _, engine := range Engines() {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			s := Open(t, engine)
			now := time.Now()
			put := func(key, body string) error {
				return s.Batch(ctx, func(tx *store.Tx) error {
					return store.PutIdempotency(ctx, tx, []byte(key), []byte(body), []byte("answer-"+body), now)
				})
			}
			if err := put("k", "b1"); err != nil {
				t.Fatal(err)
			}
			if err := put("k", "b2"); !errors.Is(err, store.ErrIdempotencyTaken) {
				t.Errorf("second Put = %v, want ErrIdempotencyTaken", err)
			}
			bh, resp, ok, err := s.GetIdempotency(ctx, []byte("k"))
			if err != nil || !ok || string(bh) != "b1" || string(resp) != "answer-b1" {
				t.Errorf("Get = %q %q %v %v", bh, resp, ok, err)
			}
			if _, _, ok, _ := s.GetIdempotency(ctx, []byte("other")); ok {
				t.Error("Get(unknown) found something")
			}
		})
	}
}

func TestUsersAndSessions(t *testing.T) {
	for _, engine := range Engines() {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			s := Open(t, engine)
			Tree(t, s)
			u := &homthu.User{Username: "CanBo.HoaLu", Role: homthu.RoleFront, Unit: "14329"}
			if err := s.CreateUser(ctx, u, "hash"); err != nil {
				t.Fatal(err)
			}
			for _, tt := range []struct {
				u    homthu.User
				code string
			}{
				{homthu.User{Username: "canbo.hoalu", Role: homthu.RoleFront, Unit: "14329"}, homthu.ECONFLICT},
				{homthu.User{Username: "x", Role: "boss", Unit: "14329"}, homthu.EINVALID},
				{homthu.User{Username: "x", Role: homthu.RoleFront, Unit: "999"}, homthu.EINVALID},
				{homthu.User{Username: "a b", Role: homthu.RoleFront, Unit: "14329"}, homthu.EINVALID},
			} {
				if err := s.CreateUser(ctx, &tt.u, "h"); homthu.ErrorCode(err) != tt.code {
					t.Errorf("CreateUser(%+v) = %v, want %s", tt.u, err, tt.code)
				}
			}
			unit, _ := s.FindUnit(ctx, "14329")
			if !unit.HasStaff {
				t.Error("commune with a front user has no staff flag")
			}
			l, err := s.FindLogin(ctx, "CANBO.hoalu")
			if err != nil || l.PasswordHash != "hash" || l.User.UnitName != "Phường Hoa Lư" {
				t.Fatalf("FindLogin = %+v, %v", l, err)
			}
			if err := s.CreateSession(ctx, []byte("tok"), l.User.ID, time.Now(), time.Now().Add(time.Hour)); err != nil {
				t.Fatal(err)
			}
			sess, err := s.FindSession(ctx, []byte("tok"), time.Now(), time.Minute)
			if err != nil || sess.User.Username != "canbo.hoalu" {
				t.Errorf("FindSession = %v, %v", sess, err)
			}
			if err := s.CreateSession(ctx, []byte("old"), l.User.ID, time.Now(), time.Now().Add(-time.Second)); err != nil {
				t.Fatal(err)
			}
			if _, err := s.FindSession(ctx, []byte("old"), time.Now(), time.Minute); homthu.ErrorCode(err) != homthu.EUNAUTHORIZED {
				t.Errorf("expired session: %v", err)
			}
			s.DeleteSession(ctx, []byte("tok"))
			if _, err := s.FindSession(ctx, []byte("tok"), time.Now(), time.Minute); homthu.ErrorCode(err) != homthu.EUNAUTHORIZED {
				t.Errorf("deleted session: %v", err)
			}
		})
	}
}

func TestMessages(t *testing.T) {
	for _, engine := range Engines() {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			s := Open(t, engine)
			Tree(t, s)
			id := MustCreateItem(t, s, "14329-001", "14329", "nội dung", true, []byte("r"))
			now := time.Date(2026, 11, 28, 15, 4, 5, 0, time.UTC)
			if err := s.AddMessage(ctx, id, homthu.Message{From: "front", Body: "Xin cho biết thêm?", At: now}, 0); err != nil {
				t.Fatal(err)
			}
			if err := s.AddMessage(ctx, id, homthu.Message{From: "citizen", Body: "Vâng, ở thôn Đông.", At: now}, 0); err != nil {
				t.Fatal(err)
			}
			v, err := s.Track(ctx, id)
			if err != nil || len(v.Messages) != 2 {
				t.Fatalf("Track = %+v, %v", v, err)
			}
			if v.Messages[0].DateOnly || !v.Messages[0].At.Equal(now) {
				t.Errorf("front message time = %v dateOnly=%v", v.Messages[0].At, v.Messages[0].DateOnly)
			}
			if !v.Messages[1].DateOnly || v.Messages[1].AtLabel() != "2026-11-28" {
				t.Errorf("citizen message on anonymous item keeps %v (%s), want the day only", v.Messages[1].At, v.Messages[1].AtLabel())
			}
			if err := s.AddMessage(ctx, "nope", homthu.Message{From: "citizen", Body: "x", At: now}, 0); homthu.ErrorCode(err) != homthu.ENOTFOUND {
				t.Errorf("AddMessage(unknown) = %v", err)
			}
		})
	}
}
