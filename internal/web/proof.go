package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"time"

	"homthu/internal/app"
	"homthu/internal/homthu"
)

// proofFilename is the name a downloaded proof bundle is saved under. It
// holds no index or date: the file name says nothing of the letter.
const proofFilename = "bang-chung-homthu.json"

// trackProof answers POST /tra-cuu/bang-chung: the proof bundle of the
// receipt's item (issue 4) as a JSON download, or, until a signed checkpoint
// covers the item, the tracking page again saying when to come back. The
// receipt travels in the form's body, never in a URL.
func (s *Server) trackProof(w http.ResponseWriter, r *http.Request) error {
	if err := parseSmallForm(w, r); err != nil {
		return err
	}
	receipt := r.PostForm.Get("receipt")
	b, err := s.app.Proof(r.Context(), receipt)
	if err == nil {
		body, err := json.MarshalIndent(b, "", "  ")
		if err != nil {
			return fmt.Errorf("web.trackProof: %w", err)
		}
		h := w.Header()
		h.Set("Content-Type", "application/json; charset=utf-8")
		h.Set("Content-Disposition", `attachment; filename="`+proofFilename+`"`)
		h.Set("Content-Length", strconv.Itoa(len(body)+1))
		w.WriteHeader(http.StatusOK)
		w.Write(append(body, '\n'))
		return nil
	}

	// The tracking page again, with what happened to the request.
	p := s.newTrackPage()
	p.Receipt = receipt
	if status := s.fillTrack(r, p); status != http.StatusOK {
		s.render(w, r, status, p)
		return nil
	}
	var pending *app.ProofPending
	if errors.As(err, &pending) {
		w.Header().Set("Retry-After", strconv.Itoa(max(int(math.Ceil(pending.RetryAfter.Seconds())), 1)))
		p.ProofWait = proofWaitMessage(p.Anonymous, s.now(), pending.RetryAfter)
		s.render(w, r, http.StatusConflict, p)
		return nil
	}
	s.logIfInternal(r, err)
	p.ProofError = homthu.ErrorMessage(err)
	s.render(w, r, statusOf(err), p)
	return nil
}

// proofWaitMessage says, in words, why a bundle is not ready and when to
// come back. Anonymous items enter the log once a day in one shuffled batch
// with the day's other anonymous items, so that the log's order and timing
// say no more than the day (docs/translog.md); named items enter at the next
// round, within a minute.
func proofWaitMessage(anonymous bool, now time.Time, wait time.Duration) string {
	back := now.Add(wait)
	if anonymous {
		return "Thư của bạn đã được nhận nhưng chưa vào nhật ký minh bạch. Thư gửi ẩn danh được đưa vào nhật ký mỗi ngày một lần, " +
			"sau nửa đêm, cùng mọi thư ẩn danh khác của ngày đó và theo thứ tự xáo trộn, để không ai dựa vào nhật ký mà đoán được " +
			"ai gửi lúc nào. Xin quay lại tải gói bằng chứng từ " + vnTime(back) + "."
	}
	return "Thư của bạn đã được nhận nhưng chưa vào nhật ký minh bạch. Thư có ghi tên được đưa vào nhật ký trong vòng một phút. " +
		"Xin quay lại sau khoảng " + waitLabel(wait) + " (từ " + vnTime(back) + ")."
}

// waitLabel writes a wait for a person: "30 giây", "2 phút", "5 giờ".
func waitLabel(d time.Duration) string {
	switch {
	case d >= time.Hour:
		return strconv.Itoa(int(math.Ceil(d.Hours()))) + " giờ"
	case d >= time.Minute:
		return strconv.Itoa(int(math.Ceil(d.Minutes()))) + " phút"
	}
	return strconv.Itoa(max(int(math.Ceil(d.Seconds())), 1)) + " giây"
}
