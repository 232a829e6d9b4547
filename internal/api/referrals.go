package api

import (
	"net/http"
	"strconv"
	"time"

	"homthu/internal/homthu"
	"homthu/internal/store"
)

// The agency handler's side of the API (issue 9): the referrals to the
// caller's own body, and the same three acts as the pages — acknowledge,
// ask for more time, record the outcome. The app checks everything
// (app.AgencyInbox, AgencyReferral, Acknowledge, RequestExtension,
// AnswerReferral); another body's referral is 404.

// Referral is a referral as its agency sees it.
type Referral struct {
	ID         int64       `json:"id"`
	Number     string      `json:"number"`
	SentOn     string      `json:"sent_on"`
	DueOn      string      `json:"due_on"`
	Days       int         `json:"days"`
	Working    bool        `json:"working_days"`
	State      string      `json:"state"`
	StateLabel string      `json:"state_label"`
	Overdue    bool        `json:"overdue"`
	Agency     string      `json:"agency"`
	Kind       homthu.Kind `json:"kind,omitempty"`
	Area       string      `json:"area"`
	// Content is the item's text: in full on one referral, cut in a list.
	Content string `json:"content"`
	// The fields below are on one referral only.
	Letter         string           `json:"letter,omitempty"`
	Categories     []string         `json:"categories,omitempty"`
	Subject        *homthu.Subject  `json:"subject,omitempty"`
	Attachments    []Attachment     `json:"attachments,omitempty"`
	Extensions     []ExtensionState `json:"extensions,omitempty"`
	AcknowledgedAt string           `json:"acknowledged_at,omitempty"`
	Outcome        homthu.Outcome   `json:"outcome,omitempty"`
	Measures       string           `json:"measures,omitempty"`
	Answer         string           `json:"answer,omitempty"`
	AnsweredAt     string           `json:"answered_at,omitempty"`
}

// ExtensionState is a request for more time and what the Front decided.
type ExtensionState struct {
	Days   int    `json:"days"`
	Reason string `json:"reason"`
	State  string `json:"state"`
	Note   string `json:"note,omitempty"`
}

func apiTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

func referralOf(r *store.ReferralRow, today string) Referral {
	return Referral{ID: r.ID, Number: r.Number, SentOn: r.SentOn, DueOn: r.DueOn, Days: r.Days, Working: r.Working,
		State: string(r.State), StateLabel: r.State.Label(), Overdue: r.Overdue(today), Agency: r.AgencyName,
		AcknowledgedAt: apiTime(r.AcknowledgedAt), Outcome: r.Outcome, Measures: r.Measures, Answer: r.Answer, AnsweredAt: apiTime(r.AnsweredAt)}
}

// getReferrals lists the referrals to the caller's agency: ?state=open
// (default), answered or all; ?order=due soonest deadline first (else
// newest first); ?overdue=true; ?cursor= from next; ?limit=1..100.
func (a *API) getReferrals(w http.ResponseWriter, r *http.Request) error {
	sess, err := a.session(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	f := store.AgencyInboxFilter{State: q.Get("state"), Cursor: q.Get("cursor"), Limit: 50}
	switch q.Get("order") {
	case "", "newest":
	case "due":
		f.ByDue = true
	default:
		return homthu.Errorf(homthu.EINVALID, "order chỉ nhận newest hoặc due.")
	}
	switch q.Get("overdue") {
	case "", "false", "0":
	case "true", "1":
		f.Overdue = true
	default:
		return homthu.Errorf(homthu.EINVALID, "overdue chỉ nhận true hoặc false.")
	}
	if v := q.Get("limit"); v != "" {
		if f.Limit, err = strconv.Atoi(v); err != nil || f.Limit < 1 || f.Limit > 100 {
			return homthu.Errorf(homthu.EINVALID, "limit phải là số nguyên từ 1 đến 100.")
		}
	}
	rows, next, err := a.App.AgencyInbox(r.Context(), sess, f)
	if err != nil {
		return err
	}
	today := homthu.Today(time.Now())
	out := struct {
		Referrals []Referral `json:"referrals"`
		Next      string     `json:"next,omitempty"`
	}{Referrals: []Referral{}, Next: next}
	for _, it := range rows {
		v := referralOf(it.Referral, today)
		v.Kind, v.Area, v.Content = it.Kind, it.AreaName, cut(it.Snippet, 300)
		v.Measures, v.Answer = "", ""
		out.Referrals = append(out.Referrals, v)
	}
	return writeJSON(w, http.StatusOK, out)
}

// cut shortens s to n runes.
func cut(s string, n int) string {
	rs := []rune(s)
	if len(rs) <= n {
		return s
	}
	return string(rs[:n]) + "…"
}

// referralParam reads the {referral} of the path; a malformed one is 0,
// which the app finds nowhere (after checking the caller's permission, so
// that a role that may not is refused the same whatever the path).
func referralParam(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("referral"), 10, 64)
	if err != nil || id < 1 {
		return 0, nil
	}
	return id, nil
}

// writeReferral answers with one referral of the caller's agency.
func (a *API) writeReferral(w http.ResponseWriter, r *http.Request, status int) error {
	sess, err := a.session(r)
	if err != nil {
		return err
	}
	id, err := referralParam(r)
	if err != nil {
		return err
	}
	c, err := a.App.AgencyReferral(r.Context(), sess, id)
	if err != nil {
		return err
	}
	v := referralOf(c.Referral, homthu.Today(time.Now()))
	it := c.Item
	v.Kind, v.Area, v.Content, v.Letter = it.Kind, it.AreaName, it.Content, c.Referral.Letter
	v.Categories = homthu.CategoryCodes(it.Categories)
	if !it.Subject.Empty() {
		v.Subject = &it.Subject
	}
	for _, f := range it.Attachments {
		v.Attachments = append(v.Attachments, Attachment{Name: f.Name, Type: f.Type, Size: f.Size})
	}
	for _, e := range c.Referral.Extensions {
		v.Extensions = append(v.Extensions, ExtensionState{Days: e.Days, Reason: e.Reason, State: string(e.State), Note: e.Note})
	}
	return writeJSON(w, status, v)
}

// getReferral is one referral of the caller's agency (audited as a look at
// the item).
func (a *API) getReferral(w http.ResponseWriter, r *http.Request) error {
	return a.writeReferral(w, r, http.StatusOK)
}

// postAcknowledge records that the agency received the referral.
func (a *API) postAcknowledge(w http.ResponseWriter, r *http.Request) error {
	sess, err := a.session(r)
	if err != nil {
		return err
	}
	id, err := referralParam(r)
	if err != nil {
		return err
	}
	if err := a.App.Acknowledge(r.Context(), sess, id); err != nil {
		return err
	}
	return a.writeReferral(w, r, http.StatusOK)
}

// postExtension asks the Front for more time: {"days": 1..60, "reason": "…"}.
func (a *API) postExtension(w http.ResponseWriter, r *http.Request) error {
	sess, err := a.session(r)
	if err != nil {
		return err
	}
	id, err := referralParam(r)
	if err != nil {
		return err
	}
	var req struct {
		Days   int    `json:"days"`
		Reason string `json:"reason"`
	}
	if err := decode(w, r, &req); err != nil {
		return err
	}
	if err := a.App.RequestExtension(r.Context(), sess, id, req.Days, req.Reason); err != nil {
		return err
	}
	return a.writeReferral(w, r, http.StatusCreated)
}

// postAnswer records the outcome: {"outcome": "founded|partly_founded|
// unfounded|not_in_remit|accepted", "measures": "…", "text": "…"}. (The
// signed answer as a file is uploaded on the page.)
func (a *API) postAnswer(w http.ResponseWriter, r *http.Request) error {
	sess, err := a.session(r)
	if err != nil {
		return err
	}
	id, err := referralParam(r)
	if err != nil {
		return err
	}
	var req struct {
		Outcome  homthu.Outcome `json:"outcome"`
		Measures string         `json:"measures"`
		Text     string         `json:"text"`
	}
	if err := decode(w, r, &req); err != nil {
		return err
	}
	if err := a.App.AnswerReferral(r.Context(), sess, id, homthu.Answer{Outcome: req.Outcome, Measures: req.Measures, Text: req.Text}); err != nil {
		return err
	}
	return a.writeReferral(w, r, http.StatusOK)
}

// postTrackRating rates the result with the receipt: {"receipt": "…",
// "satisfied": true|false, "comment": "…"}; not satisfied (with a comment)
// reopens the case for the Front.
func (a *API) postTrackRating(w http.ResponseWriter, r *http.Request) error {
	var req struct {
		Receipt   string `json:"receipt"`
		Satisfied *bool  `json:"satisfied"`
		Comment   string `json:"comment"`
	}
	if err := decode(w, r, &req); err != nil {
		return err
	}
	if req.Satisfied == nil {
		return homthu.Errorf(homthu.EINVALID, "Xin cho biết satisfied: true (hài lòng) hoặc false (chưa hài lòng).")
	}
	if err := a.App.Rate(r.Context(), req.Receipt, *req.Satisfied, req.Comment); err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, struct {
		OK bool `json:"ok"`
	}{true})
}
