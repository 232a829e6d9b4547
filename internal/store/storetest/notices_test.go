package storetest

import (
	"context"
	"fmt"
	"testing"

	"homthu/internal/homthu"
	"homthu/internal/store"
)

// mustUser creates an account and returns its id.
func mustUser(t testing.TB, s *store.Store, name string, role homthu.Role, unit, email string) int64 {
	t.Helper()
	u := &homthu.User{Username: name, Role: role, Unit: unit, Email: email}
	if err := s.CreateUser(context.Background(), u, "hash"); err != nil {
		t.Fatalf("CreateUser(%s): %v", name, err)
	}
	return u.ID
}

func notify(t testing.TB, s *store.Store, n homthu.NewNotice) []store.NoticeRecipient {
	t.Helper()
	if err := n.Validate(); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	var rs []store.NoticeRecipient
	err := s.Transact(context.Background(), func(tx *store.Tx) error {
		var err error
		rs, err = store.Notify(context.Background(), tx, &n)
		return err
	})
	if err != nil {
		t.Fatalf("Notify: %v", err)
	}
	return rs
}

// TestNotices: a notice to a role at a unit reaches every enabled account
// of that role at exactly that unit, once per key; each account lists,
// counts and reads only its own.
func TestNotices(t *testing.T) {
	for _, engine := range Engines() {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			s := Open(t, engine)
			Tree(t, s)
			a := mustUser(t, s, "mt-hoalu-1", homthu.RoleFront, "14329", "a@example.vn")
			b := mustUser(t, s, "mt-hoalu-2", homthu.RoleFront, "14329", "")
			off := mustUser(t, s, "mt-hoalu-cu", homthu.RoleFront, "14329", "")
			if err := s.SetDisabled(ctx, off, true); err != nil {
				t.Fatal(err)
			}
			province := mustUser(t, s, "mt-tinh", homthu.RoleFront, "37", "")
			committee := mustUser(t, s, "bct-hoabinh", homthu.RoleCommittee, "14329-001", "")

			deadline := homthu.NewNotice{To: homthu.NoticeTo{Role: homthu.RoleFront, Unit: "14329"},
				Text: "Có 2 thư, đơn sắp đến hạn xử lý.", Link: "/can-bo/?han=sap-den", Key: "deadline:2026-05-04"}
			rs := notify(t, s, deadline)
			if len(rs) != 2 || rs[0].User != a || rs[0].Email != "a@example.vn" || rs[1].User != b || rs[1].Email != "" {
				t.Errorf("Notify(front of 14329) reached %+v, want accounts %d (with address) and %d", rs, a, b)
			}
			if rs := notify(t, s, deadline); len(rs) != 0 {
				t.Errorf("the same key again reached %+v, want nobody", rs)
			}
			notify(t, s, homthu.NewNotice{To: homthu.NoticeTo{User: committee}, Text: "Hòm thư Tổ dân phố Hòa Bình đến hạn mở ngày 15/5/2026."})
			for i := 0; i < 25; i++ {
				notify(t, s, homthu.NewNotice{To: homthu.NoticeTo{User: a}, Text: fmt.Sprintf("Thông báo %d", i)})
			}
			if rs := notify(t, s, homthu.NewNotice{To: homthu.NoticeTo{Role: homthu.RoleCommittee, Unit: "14330-001"}, Text: "Không ai nhận"}); len(rs) != 0 {
				t.Errorf("a unit without such accounts: reached %v", rs)
			}

			for _, tt := range []struct {
				user int64
				want int
			}{{a, 26}, {b, 1}, {off, 0}, {province, 0}, {committee, 1}} {
				if n, err := s.UnreadNotices(ctx, tt.user); err != nil || n != tt.want {
					t.Errorf("UnreadNotices(%d) = %d, %v; want %d", tt.user, n, err, tt.want)
				}
			}

			// Pages of 10, newest first, without gaps or repeats.
			var all []*homthu.Notice
			var before int64
			for page := 0; ; page++ {
				ns, next, err := s.ListNotices(ctx, a, before, false, 10)
				if err != nil {
					t.Fatal(err)
				}
				all = append(all, ns...)
				if next == 0 {
					break
				}
				before = next
				if page > 5 {
					t.Fatal("ListNotices does not end")
				}
			}
			if len(all) != 26 || all[0].Text != "Thông báo 24" || all[25].Link != "/can-bo/?han=sap-den" {
				t.Fatalf("ListNotices pages: %d notices, first %q", len(all), all[0].Text)
			}
			for i := 1; i < len(all); i++ {
				if all[i].ID >= all[i-1].ID {
					t.Errorf("notices not newest first at %d", i)
				}
			}

			// b cannot read a's notice; a can, and it leaves the unread list.
			if _, err := s.ReadNotice(ctx, b, all[0].ID); homthu.ErrorCode(err) != homthu.ENOTFOUND {
				t.Errorf("ReadNotice of another account's notice = %v, want ENOTFOUND", err)
			}
			n, err := s.ReadNotice(ctx, a, all[0].ID)
			if err != nil || !n.Read() || n.Text != "Thông báo 24" {
				t.Fatalf("ReadNotice = %+v, %v", n, err)
			}
			if again, err := s.ReadNotice(ctx, a, all[0].ID); err != nil || !again.ReadAt.Equal(n.ReadAt) {
				t.Errorf("reading again changed the time read: %v → %v (%v)", n.ReadAt, again.ReadAt, err)
			}
			unread, _, err := s.ListNotices(ctx, a, 0, true, 100)
			if err != nil || len(unread) != 25 {
				t.Errorf("unread after one read = %d, %v", len(unread), err)
			}
			if n, err := s.ReadAllNotices(ctx, a); err != nil || n != 25 {
				t.Errorf("ReadAllNotices = %d, %v", n, err)
			}
			if n, _ := s.UnreadNotices(ctx, a); n != 0 {
				t.Errorf("unread after ReadAllNotices = %d", n)
			}
			if n, _ := s.UnreadNotices(ctx, b); n != 1 {
				t.Errorf("another account's unread changed: %d", n)
			}

			if err := s.SetUserEmail(ctx, b, "b@example.vn"); err != nil {
				t.Fatal(err)
			}
			if u, _ := s.FindUser(ctx, "37", b); u.Email != "b@example.vn" {
				t.Errorf("email after SetUserEmail = %q", u.Email)
			}
		})
	}
}

func TestNoticeValidate(t *testing.T) {
	long := make([]rune, homthu.MaxNoticeRunes+1)
	for i := range long {
		long[i] = 'ơ'
	}
	for _, tt := range []struct {
		name string
		n    homthu.NewNotice
		ok   bool
	}{
		{"to a user", homthu.NewNotice{To: homthu.NoticeTo{User: 1}, Text: "x"}, true},
		{"to a role at a unit", homthu.NewNotice{To: homthu.NoticeTo{Role: homthu.RoleCommittee, Unit: "14329-001"}, Text: "x", Link: "/can-bo/hom-thu"}, true},
		{"nobody", homthu.NewNotice{Text: "x"}, false},
		{"both", homthu.NewNotice{To: homthu.NoticeTo{User: 1, Role: homthu.RoleFront, Unit: "37"}, Text: "x"}, false},
		{"role without unit", homthu.NewNotice{To: homthu.NoticeTo{Role: homthu.RoleFront}, Text: "x"}, false},
		{"bad role", homthu.NewNotice{To: homthu.NoticeTo{Role: "chief", Unit: "37"}, Text: "x"}, false},
		{"empty", homthu.NewNotice{To: homthu.NoticeTo{User: 1}, Text: "  "}, false},
		{"too long", homthu.NewNotice{To: homthu.NoticeTo{User: 1}, Text: string(long)}, false},
		{"outside link", homthu.NewNotice{To: homthu.NoticeTo{User: 1}, Text: "x", Link: "https://evil.example/"}, false},
		{"citizen link", homthu.NewNotice{To: homthu.NoticeTo{User: 1}, Text: "x", Link: "/tra-cuu"}, false},
		{"mail without subject", homthu.NewNotice{To: homthu.NoticeTo{User: 1}, Text: "x", Mail: true}, false},
	} {
		if err := tt.n.Validate(); (err == nil) != tt.ok {
			t.Errorf("%s: Validate() = %v, want ok %v", tt.name, err, tt.ok)
		}
	}
}
