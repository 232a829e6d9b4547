package api

import (
	"net/http"

	"homthu/internal/homthu"
)

// FeedbackRequest is the body of POST /api/v1/feedback.
type FeedbackRequest struct {
	Area      string           `json:"area"`
	To        string           `json:"to,omitempty"`
	Content   string           `json:"content"`
	Subject   *homthu.Subject  `json:"subject,omitempty"`
	Anonymous bool             `json:"anonymous"`
	Submitter *homthu.Identity `json:"submitter,omitempty"`
}

func (a *API) postFeedback(w http.ResponseWriter, r *http.Request) error {
	var req FeedbackRequest
	if err := decode(w, r, &req); err != nil {
		return err
	}
	sub := homthu.Submission{Area: req.Area, To: homthu.Level(req.To), Channel: homthu.ChannelOnline, Content: req.Content, Anonymous: req.Anonymous}
	if req.Subject != nil {
		sub.Subject = *req.Subject
	}
	if req.Submitter != nil {
		if req.Anonymous {
			return homthu.Errorf(homthu.EINVALID, "Thư ẩn danh không được kèm thông tin người gửi (submitter).")
		}
		sub.Submitter = *req.Submitter
	}
	rc, err := a.App.Submit(r.Context(), sub, r.Header.Get("Idempotency-Key"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, rc)
}
