package api

import (
	"net/http"
	"strings"
	"time"

	"homthu/internal/homthu"
)

func (a *API) postSession(w http.ResponseWriter, r *http.Request) error {
	var req struct {
		Username string `json:"username"`
		Password string `json:"password"`
		OTP      string `json:"otp,omitempty"`
	}
	if err := decode(w, r, &req); err != nil {
		return err
	}
	token, sess, err := a.App.LoginOTP(r.Context(), req.Username, req.Password, req.OTP)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, struct {
		Token     string `json:"token"`
		ExpiresAt string `json:"expires_at"`
	}{token, sess.ExpiresAt.UTC().Format(time.RFC3339)})
}

func bearer(r *http.Request) string {
	h := r.Header.Get("Authorization")
	if len(h) > 7 && strings.EqualFold(h[:7], "bearer ") {
		return strings.TrimSpace(h[7:])
	}
	return ""
}

func (a *API) session(r *http.Request) (*homthu.Session, error) {
	return a.App.Session(r.Context(), bearer(r))
}

func (a *API) deleteSession(w http.ResponseWriter, r *http.Request) error {
	if _, err := a.session(r); err != nil {
		return err
	}
	if err := a.App.Logout(r.Context(), bearer(r)); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
