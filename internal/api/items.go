package api

import (
	"net/http"
	"strconv"

	"homthu/internal/homthu"
)

// Item is an item in API answers. It never carries the submitter's identity.
type Item struct {
	ID          string          `json:"id"`
	Unit        string          `json:"unit"`
	Area        string          `json:"area"`
	Status      homthu.Status   `json:"status"`
	Channel     homthu.Channel  `json:"channel"`
	ReceivedAt  string          `json:"received_at"`
	Content     string          `json:"content"`
	Anonymous   bool            `json:"anonymous"`
	Unattended  bool            `json:"unattended"`
	Subject     *homthu.Subject `json:"subject,omitempty"`
	Attachments []Attachment    `json:"attachments,omitempty"`
	Messages    []Message       `json:"messages,omitempty"`
}

// Attachment describes an attached file.
type Attachment struct {
	Name string `json:"name"`
	Type string `json:"type"`
	Size int64  `json:"size"`
}

func apiItem(it *homthu.Item) Item {
	out := Item{ID: it.ID, Unit: it.Unit, Area: it.Area, Status: it.Status, Channel: it.Channel,
		ReceivedAt: it.ReceivedLabel(), Content: it.Content, Anonymous: it.Anonymous, Unattended: it.Unattended}
	if !it.Subject.Empty() {
		s := it.Subject
		out.Subject = &s
	}
	for _, a := range it.Attachments {
		out.Attachments = append(out.Attachments, Attachment{a.Name, a.Type, a.Size})
	}
	return out
}

func (a *API) getItems(w http.ResponseWriter, r *http.Request) error {
	sess, err := a.session(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	limit := 50
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return homthu.Errorf(homthu.EINVALID, "limit phải là số nguyên từ 1 đến 100.")
		}
		limit = min(n, 100)
	}
	items, next, err := a.App.Items(r.Context(), sess, homthu.ItemFilter{
		Query: q.Get("q"), Status: homthu.Status(q.Get("status")), Channel: homthu.Channel(q.Get("channel")),
		Unit: q.Get("unit"), Area: q.Get("area"), From: q.Get("from"), To: q.Get("to"),
		Limit: limit, Cursor: q.Get("cursor"),
	})
	if err != nil {
		return err
	}
	out := struct {
		Items      []Item `json:"items"`
		NextCursor string `json:"next_cursor"`
	}{Items: []Item{}, NextCursor: next}
	for _, it := range items {
		out.Items = append(out.Items, apiItem(it))
	}
	return writeJSON(w, http.StatusOK, out)
}

func (a *API) getItem(w http.ResponseWriter, r *http.Request) error {
	sess, err := a.session(r)
	if err != nil {
		return err
	}
	it, msgs, err := a.App.Item(r.Context(), sess, r.PathValue("id"))
	if err != nil {
		return err
	}
	out := apiItem(it)
	out.Messages = apiMessages(msgs)
	return writeJSON(w, http.StatusOK, out)
}

func (a *API) postItemMessage(w http.ResponseWriter, r *http.Request) error {
	sess, err := a.session(r)
	if err != nil {
		return err
	}
	var req struct {
		Body string `json:"body"`
	}
	if err := decode(w, r, &req); err != nil {
		return err
	}
	if err := a.App.StaffMessage(r.Context(), sess, r.PathValue("id"), req.Body); err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, struct {
		OK bool `json:"ok"`
	}{true})
}
