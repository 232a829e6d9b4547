package api

import (
	"net/http"
	"strconv"
	"time"

	"homthu/internal/homthu"
)

// postItemIdentity reveals a named submitter's identity: a step-up with a
// fresh second-factor code and a reason, audited.
func (a *API) postItemIdentity(w http.ResponseWriter, r *http.Request) error {
	sess, err := a.session(r)
	if err != nil {
		return err
	}
	var req struct {
		OTP    string `json:"otp"`
		Reason string `json:"reason"`
	}
	if err := decode(w, r, &req); err != nil {
		return err
	}
	id, err := a.App.RevealIdentity(r.Context(), sess, r.PathValue("id"), req.OTP, req.Reason)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, id)
}

// AuditRecord is an audit-log entry in API answers.
type AuditRecord struct {
	ID     int64  `json:"id"`
	At     string `json:"at"`
	Actor  string `json:"actor"`
	Unit   string `json:"unit"`
	Action string `json:"action"`
	Item   string `json:"item,omitempty"`
	Reason string `json:"reason,omitempty"`
}

func (a *API) getAudit(w http.ResponseWriter, r *http.Request) error {
	sess, err := a.session(r)
	if err != nil {
		return err
	}
	limit := 200
	if v := r.URL.Query().Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return homthu.Errorf(homthu.EINVALID, "limit phải là số nguyên từ 1 đến 1000.")
		}
		limit = min(n, 1000)
	}
	recs, err := a.App.AuditLog(r.Context(), sess, r.URL.Query().Get("item"), limit)
	if err != nil {
		return err
	}
	out := struct {
		Records []AuditRecord `json:"records"`
	}{Records: []AuditRecord{}}
	for _, rec := range recs {
		out.Records = append(out.Records, AuditRecord{rec.ID, rec.At.UTC().Format(time.RFC3339), rec.ActorName, rec.Unit, rec.Action, rec.Item, rec.Reason})
	}
	return writeJSON(w, http.StatusOK, out)
}
