package api

import (
	"context"
	"fmt"
	"strconv"
	"testing"

	"homthu/internal/homthu"
	"homthu/internal/store"
)

// notice gives the named account a notice and returns its id.
func (f *fixture) notice(t *testing.T, username string) string {
	t.Helper()
	ctx := context.Background()
	l, err := f.app.Store.FindLogin(ctx, username)
	if err != nil {
		t.Fatal(err)
	}
	err = f.app.Store.Transact(ctx, func(tx *store.Tx) error {
		_, err := f.app.Notify(ctx, tx, homthu.NewNotice{To: homthu.NoticeTo{User: l.User.ID}, Text: "Thông báo của " + username, Link: "/can-bo/"})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	ns, _, err := f.app.Store.ListNotices(ctx, l.User.ID, 0, false, 1)
	if err != nil || len(ns) == 0 {
		t.Fatalf("ListNotices: %v", err)
	}
	return strconv.FormatInt(ns[0].ID, 10)
}

// TestNotifications: GET /api/v1/notifications lists the caller's own
// notices, paged, with the unread count; marking one or all read works on
// the caller's own only.
func TestNotifications(t *testing.T) {
	f := newFixture(t)
	tok := "Bearer " + f.login(t, "bct")
	var ids []string
	for i := 0; i < 5; i++ {
		ids = append(ids, f.notice(t, "bct"))
	}
	theirs := f.notice(t, "hoalu")

	code, v := f.do(t, "GET", "/api/v1/notifications?limit=3", "", "Authorization", tok)
	ns, _ := v["notifications"].([]any)
	if code != 200 || len(ns) != 3 || v["unread"] != float64(5) || v["next"] != ids[2] {
		t.Fatalf("GET notifications = %d %v", code, v)
	}
	first := ns[0].(map[string]any)
	if first["id"] != float64(mustInt(t, ids[4])) || first["text"] != "Thông báo của bct" || first["link"] != "/can-bo/" || first["read_at"] != nil {
		t.Errorf("newest notice = %v", first)
	}
	code, v = f.do(t, "GET", "/api/v1/notifications?limit=3&before="+ids[2], "", "Authorization", tok)
	if ns, _ := v["notifications"].([]any); code != 200 || len(ns) != 2 || v["next"] != nil {
		t.Errorf("second page = %d %v", code, v)
	}

	if code, v := f.do(t, "POST", "/api/v1/notifications/"+ids[0]+"/read", "", "Authorization", tok); code != 200 || v["read_at"] == nil {
		t.Errorf("read own = %d %v", code, v)
	}
	if code, _ := f.do(t, "POST", "/api/v1/notifications/"+theirs+"/read", "", "Authorization", tok); code != 404 {
		t.Errorf("read another account's notice = %d, want 404", code)
	}
	code, v = f.do(t, "GET", "/api/v1/notifications?unread=true", "", "Authorization", tok)
	if ns, _ := v["notifications"].([]any); code != 200 || len(ns) != 4 || v["unread"] != float64(4) {
		t.Errorf("unread = %d %v", code, v)
	}
	if code, v := f.do(t, "POST", "/api/v1/notifications/read", "", "Authorization", tok); code != 200 || v["marked"] != float64(4) {
		t.Errorf("read all = %d %v", code, v)
	}
	if code, v := f.do(t, "GET", "/api/v1/notifications", "", "Authorization", "Bearer "+f.login(t, "hoalu")); code != 200 || v["unread"] != float64(1) {
		t.Errorf("the other account's unread after bct read all = %d %v", code, v)
	}
	for _, q := range []string{"?limit=0", "?limit=101", "?before=x", "?unread=maybe"} {
		if code, v := f.do(t, "GET", "/api/v1/notifications"+q, "", "Authorization", tok); code != 400 || errCode(v) != homthu.EINVALID {
			t.Errorf("GET notifications%s = %d %v, want 400", q, code, v)
		}
	}
}

func mustInt(t *testing.T, s string) int64 {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		t.Fatal(fmt.Errorf("not a number: %q", s))
	}
	return n
}
