package web

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"homthu/internal/homthu"
)

// agencyFlow is the rest of the processing chain in the browser (issue 9:
// "an agency handler answers; the citizen reads the answer on the tracking
// page and rates it"): the handler logs in, finds the referral in their
// inbox, acknowledges it, asks for more time, records the outcome (after
// an error that keeps what was typed); the Front passes the answer on; the
// citizen reads it with the receipt and says they are not satisfied, which
// reopens the case. The item is of Xã Gia Viễn, whose Front has no
// account, so that the commune officer of the staff flow sees nothing of it.
func (b *browserEnv) agencyFlow(t *testing.T, receipt, item string) {
	tb := b.newTab(t, "agency", false)
	tb.open("/can-bo/dang-nhap", 200)
	tb.do("log in", chromedp.SendKeys(chromedp.ID("username"), "ubnd.giavien"), chromedp.SendKeys(chromedp.ID("password"), testPassword))
	tb.click(`button.primary`, 200)
	if loc := tb.location(); !strings.HasSuffix(loc, agencyPath) {
		t.Errorf("agency: the handler's login lands on %s", loc)
	}
	tb.check("01-inbox")
	tb.click(`.items a`, 200)
	tb.check("02-referral")
	if strings.Contains(tb.text("main"), "Nguyễn Thị Minh") {
		t.Errorf("agency: the referral page shows the submitter's name")
	}
	tb.click(`form[action$="/da-nhan"] button`, 200)
	if !strings.Contains(tb.text("[role=status]"), "Đã xác nhận") {
		t.Errorf("agency: no notice after the acknowledgement")
	}
	tb.do("ask for more time", chromedp.Click(chromedp.CSS(`#xin-gia-han + details summary`)),
		chromedp.SendKeys(chromedp.ID("so_ngay"), "10"), chromedp.SendKeys(chromedp.ID("ly_do"), "Cần khảo sát hiện trường cùng các hộ dân."))
	tb.check("03-extension-form")
	tb.click(`form[action$="/gia-han"] button`, 200)
	// An answer without text or file: the error keeps the measures.
	tb.do("answer without text", chromedp.Click(chromedp.ID("kq-partly_founded")), chromedp.SendKeys(chromedp.ID("bien_phap"), "Yêu cầu trả lại đất công."))
	tb.click(`form[action$="/tra-loi"] button`, 400)
	if got := tb.eval(`document.getElementById("bien_phap").value`); got != "Yêu cầu trả lại đất công." {
		t.Errorf("agency: the answer's error lost the measures: %q", got)
	}
	tb.check("04-answer-error")
	tb.do("answer", chromedp.Click(chromedp.ID("kq-partly_founded")),
		chromedp.SendKeys(chromedp.ID("noi_dung"), "UBND xã đã xác minh: việc lấn chiếm có thật một phần; đã yêu cầu trả lại phần đất công."))
	tb.click(`form[action$="/tra-loi"] button`, 200)
	tb.check("05-answered")

	// The Front passes the answer on.
	s := b.e.session("tinh")
	it, _, err := b.e.app.Item(t.Context(), s, item)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.e.app.Close(t.Context(), s, item, it.Version, "UBND xã Gia Viễn đã trả lời; kết quả như văn bản kèm theo.", true); err != nil {
		t.Fatal(err)
	}

	ct := b.newTab(t, "agency-citizen", false)
	ct.open("/tra-cuu", 200)
	ct.do("receipt", chromedp.SendKeys(chromedp.ID("receipt"), receipt))
	ct.click(`form.track button`, 200)
	if got := ct.text("#tra-loi + dl"); !strings.Contains(got, "Đúng một phần") {
		t.Errorf("agency: the receipt page lacks the outcome: %q", got)
	}
	ct.check("06-track-answer")
	ct.do("not satisfied", chromedp.Click(chromedp.ID("hai-long-0")))
	ct.click(`form.rate button`, 400)
	ct.check("07-rate-error")
	ct.do("not satisfied, why", chromedp.Click(chromedp.ID("hai-long-0")), chromedp.SendKeys(chromedp.ID("y_kien"), "Phần đất còn lại vẫn bị chiếm."))
	ct.click(`form.rate button`, 200)
	if got := ct.text(".status .badge"); !strings.Contains(got, homthu.StatusReopened.Label()) {
		t.Errorf("agency: after not satisfied the status is %q", got)
	}
	ct.check("08-rated")
}

// agencyData makes the agency flow's referral: a named letter about Xã
// Gia Viễn, referred by the province's officer to its UBND, whose handler
// is ubnd.giavien. It returns the receipt and the item's id.
func agencyData(t *testing.T, e *env) (string, string) {
	ag := e.addAgency("14330", homthu.AgencyManaging, "UBND xã Gia Viễn", "Hoàng Văn Sáu")
	e.addHandler("ubnd.giavien", ag.ID, "Lý Thị Bảy")
	v := namedValues("ag-b", "Trưởng thôn Đông lấn chiếm đất công để xây nhà kho.")
	v.Set("area", "14330-001")
	receipt := receiptOf(t, e.do("POST", "/gui", v, nil).Body)
	id := ""
	for _, it := range mustItems(t, e, "14330") {
		id = it.ID
	}
	e.refer("tinh", id, ag.ID)
	return receipt, id
}
