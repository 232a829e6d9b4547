package api

import (
	"net/http"
	"strconv"
	"time"

	"homthu/internal/homthu"
)

// Notice is an in-app notification in API answers.
type Notice struct {
	ID      int64  `json:"id"`
	Text    string `json:"text"`
	Link    string `json:"link,omitempty"`
	Created string `json:"created"`
	ReadAt  string `json:"read_at,omitempty"`
}

// getNotifications lists the caller's own notices, newest first:
// ?unread=true only unread ones, ?before=ID the page below that notice,
// ?limit=1..100 (default 20).
func (a *API) getNotifications(w http.ResponseWriter, r *http.Request) error {
	sess, err := a.session(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	var before int64
	if v := q.Get("before"); v != "" {
		if before, err = strconv.ParseInt(v, 10, 64); err != nil || before < 1 {
			return homthu.Errorf(homthu.EINVALID, "before phải là mã của một thông báo (số nguyên dương).")
		}
	}
	limit := 20
	if v := q.Get("limit"); v != "" {
		if limit, err = strconv.Atoi(v); err != nil || limit < 1 || limit > 100 {
			return homthu.Errorf(homthu.EINVALID, "limit phải là số nguyên từ 1 đến 100.")
		}
	}
	unread := false
	switch q.Get("unread") {
	case "", "false", "0":
	case "true", "1":
		unread = true
	default:
		return homthu.Errorf(homthu.EINVALID, "unread chỉ nhận true hoặc false.")
	}
	ns, next, count, err := a.App.Notices(r.Context(), sess, before, unread, limit)
	if err != nil {
		return err
	}
	out := struct {
		Notifications []Notice `json:"notifications"`
		Unread        int      `json:"unread"`
		Next          string   `json:"next,omitempty"`
	}{Notifications: []Notice{}, Unread: count}
	for _, n := range ns {
		v := Notice{ID: n.ID, Text: n.Text, Link: n.Link, Created: n.Created.UTC().Format(time.RFC3339)}
		if n.Read() {
			v.ReadAt = n.ReadAt.UTC().Format(time.RFC3339)
		}
		out.Notifications = append(out.Notifications, v)
	}
	if next > 0 {
		out.Next = strconv.FormatInt(next, 10)
	}
	return writeJSON(w, http.StatusOK, out)
}

// postNotificationRead marks one of the caller's notices read.
func (a *API) postNotificationRead(w http.ResponseWriter, r *http.Request) error {
	sess, err := a.session(r)
	if err != nil {
		return err
	}
	id, err := strconv.ParseInt(r.PathValue("notice"), 10, 64)
	if err != nil || id < 1 {
		return homthu.Errorf(homthu.ENOTFOUND, "Không tìm thấy thông báo này.")
	}
	n, err := a.App.ReadNotice(r.Context(), sess, id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, Notice{ID: n.ID, Text: n.Text, Link: n.Link,
		Created: n.Created.UTC().Format(time.RFC3339), ReadAt: n.ReadAt.UTC().Format(time.RFC3339)})
}

// postNotificationsRead marks every notice of the caller read.
func (a *API) postNotificationsRead(w http.ResponseWriter, r *http.Request) error {
	sess, err := a.session(r)
	if err != nil {
		return err
	}
	n, err := a.App.ReadAllNotices(r.Context(), sess)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, struct {
		Marked int `json:"marked"`
	}{n})
}
