package api

import (
	"errors"
	"math"
	"net/http"
	"strconv"
	"time"

	"homthu/internal/app"

	"homthu/internal/homthu"
)

type trackRequest struct {
	Receipt string `json:"receipt"`
}

// Message is a message of a thread in API answers.
type Message struct {
	From string `json:"from"`
	Body string `json:"body"`
	At   string `json:"at"`
}

func apiMessages(ms []homthu.Message) []Message {
	out := []Message{}
	for _, m := range ms {
		out = append(out, Message{From: m.From, Body: m.Body, At: m.AtLabel()})
	}
	return out
}

func (a *API) postTrack(w http.ResponseWriter, r *http.Request) error {
	var req trackRequest
	if err := decode(w, r, &req); err != nil {
		return err
	}
	v, err := a.App.Track(r.Context(), req.Receipt)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, struct {
		Status      homthu.Status `json:"status"`
		StatusLabel string        `json:"status_label"`
		ReceivedAt  string        `json:"received_at"`
		Messages    []Message     `json:"messages"`
	}{v.Status, v.Status.Label(), v.ReceivedLabel(), apiMessages(v.Messages)})
}

func (a *API) postTrackMessage(w http.ResponseWriter, r *http.Request) error {
	var req struct {
		Receipt string `json:"receipt"`
		Body    string `json:"body"`
	}
	if err := decode(w, r, &req); err != nil {
		return err
	}
	if err := a.App.TrackMessage(r.Context(), req.Receipt, req.Body); err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, struct {
		OK bool `json:"ok"`
	}{true})
}

func (a *API) postTrackProof(w http.ResponseWriter, r *http.Request) error {
	var req trackRequest
	if err := decode(w, r, &req); err != nil {
		return err
	}
	b, err := a.App.Proof(r.Context(), req.Receipt)
	var pending *app.ProofPending
	if errors.As(err, &pending) {
		secs := int(math.Ceil(pending.RetryAfter.Seconds()))
		w.Header().Set("Retry-After", strconv.Itoa(max(secs, 1)))
		return homthu.Errorf(homthu.ECONFLICT, "Thư đã được ghi nhận nhưng chưa có điểm kiểm tra nào được ký bao gồm nó. Xin thử lại sau khoảng %s.", humanWait(pending.RetryAfter))
	}
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, b)
}

// humanWait writes a wait in Vietnamese: "30 giây", "5 phút", "3 giờ".
func humanWait(d time.Duration) string {
	switch {
	case d >= time.Hour:
		return strconv.Itoa(int(math.Ceil(d.Hours()))) + " giờ"
	case d >= time.Minute:
		return strconv.Itoa(int(math.Ceil(d.Minutes()))) + " phút"
	}
	return strconv.Itoa(max(int(math.Ceil(d.Seconds())), 1)) + " giây"
}
