package web

import (
	"fmt"
	"html/template"
	"net/http"
	"strings"
	"time"

	"rsc.io/qr"

	"homthu/internal/homthu"
)

// ReceiptPage shows the receipt (mã tra cứu) of an item just sent: large,
// grouped for reading aloud, as a QR code, printable, with the day it was
// received. It is only ever the answer to a POST — never a page with the
// receipt in its URL — and it asks the person to confirm they saved the
// code before they leave, since it cannot be issued again.
type ReceiptPage struct {
	Base
	Code      string // grouped: 7K3M-QX9A-TP2D-H8WE-Z4RC
	Received  string // as a person reads it
	RawTime   string // as Receipt.ReceivedAt, carried by the confirmation form
	Anonymous bool
	QR        template.HTML
	Error     string // the confirmation box was not ticked
	// TrackURL is where to follow the item up, printed with the code.
	TrackURL string
}

func (*ReceiptPage) templateName() string { return "receipt.html" }

// Groups is the code's groups, shown with a gap between them.
func (p *ReceiptPage) Groups() []string { return strings.Split(p.Code, "-") }

func (s *Server) renderReceipt(w http.ResponseWriter, r *http.Request, status int, code, receivedAt string, anonymous bool, errMsg string) error {
	svg, err := qrSVG(code, "Mã QR của mã tra cứu")
	if err != nil {
		return fmt.Errorf("web.renderReceipt: %w", err)
	}
	p := &ReceiptPage{Code: code, RawTime: receivedAt, Received: receivedLabel(receivedAt), Anonymous: anonymous, QR: svg, Error: errMsg,
		TrackURL: s.siteURL(r) + "/tra-cuu"}
	p.Title = "Mã tra cứu của bạn"
	p.Script = true
	s.render(w, r, status, p)
	return nil
}

// confirmSaved answers POST /gui/da-luu, the form of the receipt page. Its
// box must be ticked (the browser asks for it already); then the person
// goes on to the thanks page, and the receipt is no longer on screen.
func (s *Server) confirmSaved(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		return homthu.Errorf(homthu.EINVALID, "Không đọc được nội dung biểu mẫu. Xin thử gửi lại.")
	}
	if r.PostForm.Get("saved") == "1" {
		http.Redirect(w, r, "/da-gui", http.StatusSeeOther)
		return nil
	}
	canonical, err := homthu.NormalizeReceipt(r.PostForm.Get("receipt"))
	if err != nil {
		return err
	}
	at := r.PostForm.Get("received_at")
	if _, err := time.Parse(time.RFC3339, at); err != nil {
		if _, err := time.Parse(time.DateOnly, at); err != nil {
			at = ""
		}
	}
	return s.renderReceipt(w, r, http.StatusBadRequest, homthu.GroupReceipt(canonical), at, r.PostForm.Get("anonymous") == "1",
		"Xin đánh dấu vào ô xác nhận rằng bạn đã lưu mã tra cứu. Nếu chưa lưu, hãy chép, chụp hoặc in mã ngay bây giờ.")
}

// qrSVG draws text as a QR code in inline SVG: one path of unit
// squares, scaled by the viewBox, with the four-module quiet zone that
// readers need. It needs no image request, no data: URI and no outside
// service; the receipt never leaves the page.
func qrSVG(text, label string) (template.HTML, error) {
	c, err := qr.Encode(text, qr.M)
	if err != nil {
		return "", err
	}
	const quiet = 4
	n := c.Size + 2*quiet
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="qr" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" role="img" aria-label="%s" shape-rendering="crispEdges">`, n, n, template.HTMLEscapeString(label))
	fmt.Fprintf(&b, `<rect width="%d" height="%d" fill="#fff"/><path fill="#000" d="`, n, n)
	for y := 0; y < c.Size; y++ {
		for x := 0; x < c.Size; x++ {
			if !c.Black(x, y) {
				continue
			}
			// A run of dark modules is one rectangle.
			run := 1
			for x+run < c.Size && c.Black(x+run, y) {
				run++
			}
			fmt.Fprintf(&b, "M%d %dh%dv1h-%dz", x+quiet, y+quiet, run, run)
			x += run - 1
		}
	}
	b.WriteString(`"/></svg>`)
	// The markup is built here from numbers and the escaped label alone:
	// nothing of the input but the QR modules reaches it.
	return template.HTML(b.String()), nil
}

// siteURL is the scheme and host the person reached us at, for a printed
// page. The host is what the browser sent; it is only shown back to the
// same person (escaped), never used to build a link or a redirect.
func (s *Server) siteURL(r *http.Request) string {
	scheme := "http"
	if s.overTLS(r) {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}
