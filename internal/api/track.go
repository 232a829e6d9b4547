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
	out := trackAnswer{Status: v.Status, StatusLabel: v.Status.Label(), ReceivedAt: v.ReceivedLabel(), Messages: apiMessages(v.Messages),
		Steps: []Step{}, CanRate: v.CanRate}
	for _, st := range v.Steps {
		if st.PublicNote != "" {
			out.Steps = append(out.Steps, Step{On: homthu.Today(st.At), Text: st.PublicNote})
		}
	}
	if an := v.Answer; an != nil {
		out.Answer = &TrackResult{Agency: an.Agency, Outcome: an.Outcome, OutcomeLabel: an.Outcome.Label(), Text: an.Text, On: an.On}
		if an.File != nil {
			out.Answer.File = an.File.Name
		}
	}
	if rt := v.Rating; rt != nil {
		out.Rating = &TrackRating{Satisfied: rt.Satisfied, Comment: rt.Comment, At: homthu.Today(rt.At)}
	}
	return writeJSON(w, http.StatusOK, out)
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

// trackAnswer is what a receipt shows in the API: as the receipt page.
type trackAnswer struct {
	Status      homthu.Status `json:"status"`
	StatusLabel string        `json:"status_label"`
	ReceivedAt  string        `json:"received_at"`
	Messages    []Message     `json:"messages"`
	// Steps are the steps that concern the submitter, by day only.
	Steps   []Step       `json:"steps"`
	Answer  *TrackResult `json:"answer,omitempty"`
	Rating  *TrackRating `json:"rating,omitempty"`
	CanRate bool         `json:"can_rate"`
}

// Step is a step of processing the submitter reads.
type Step struct {
	On   string `json:"on"`
	Text string `json:"text"`
}

// TrackResult is the competent body's answer, once the Front passed it on.
type TrackResult struct {
	Agency       string         `json:"agency"`
	Outcome      homthu.Outcome `json:"outcome"`
	OutcomeLabel string         `json:"outcome_label"`
	Text         string         `json:"text,omitempty"`
	On           string         `json:"on,omitempty"`
	File         string         `json:"file,omitempty"`
}

// TrackRating is the submitter's rating.
type TrackRating struct {
	Satisfied bool   `json:"satisfied"`
	Comment   string `json:"comment,omitempty"`
	At        string `json:"at"`
}
