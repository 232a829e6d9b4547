package api

import (
	"net/http"

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
	v, err := a.App.Track(r.Context(), req.Receipt)
	if err != nil {
		return err
	}
	if a.Proof == nil {
		return homthu.Errorf(homthu.ENOTFOUND, "Máy chủ này chưa bật nhật ký minh bạch.")
	}
	return a.Proof(w, r, v.ItemID)
}
