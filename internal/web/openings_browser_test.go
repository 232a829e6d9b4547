package web

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"homthu/internal/homthu"
)

// openings is the area committee's flow on a 390-px phone, without
// JavaScript: log in → the area's mailbox → start an opening with the
// people present → register two letters (one with a photo of its page,
// one signed) → count and seal → the printable minutes. Every page gets
// axe-core and a screenshot.
func (b *browserEnv) openings(t *testing.T) {
	e := b.e
	e.addUser("bct.browser", homthu.RoleCommittee, "14329-001")
	xa := &homthu.Session{User: &homthu.User{ID: e.userID("xa"), Username: "xa", Role: homthu.RoleFront, Unit: "14329"}}
	m, err := e.app.CreateMailbox(t.Context(), xa, homthu.MailboxInput{Unit: "14329-001", Place: "Nhà văn hóa tổ dân phố Hòa Bình", InstalledOn: "2024-03-15", Day: 10})
	if err != nil {
		t.Fatal(err)
	}
	photo := filepath.Join(t.TempDir(), "trang-thu.png")
	if err := os.WriteFile(photo, pngBytes(t), 0o644); err != nil {
		t.Fatal(err)
	}

	tb := b.newTab(t, "openings", false)
	tb.open("/can-bo/dang-nhap", 200)
	tb.do("log in", chromedp.SendKeys(chromedp.ID("username"), "bct.browser"), chromedp.SendKeys(chromedp.ID("password"), testPassword))
	tb.click(`button.primary`, 200)
	tb.check("01-mailboxes")
	tb.click(`.boxes a[href="`+mailboxHref(m.ID)+`"]`, 200)
	tb.check("02-mailbox")
	tb.click(`a.button.primary[href$="/mo"]`, 200)
	tb.check("03-start")
	tb.do("the people present",
		chromedp.SendKeys(chromedp.ID("f-ten-0"), "Nguyễn Văn An"), chromedp.SendKeys(chromedp.ID("f-chuc-vu-0"), "Trưởng ban Công tác Mặt trận"),
		chromedp.SendKeys(chromedp.ID("f-ten-1"), "Trần Thị Bình"), chromedp.SendKeys(chromedp.ID("f-chuc-vu-1"), "Bí thư Chi bộ"),
		chromedp.SendKeys(chromedp.ID("f-ten-2"), "Lê Văn Cường"), chromedp.SendKeys(chromedp.ID("f-to-chuc-2"), "Chi hội Cựu chiến binh"))
	tb.click(`form button.primary`, 200)
	tb.check("04-opening")

	tb.do("letter 1", chromedp.SendKeys(chromedp.ID("f-noi-dung"), "Phản ánh tổ trưởng thu tiền vệ sinh không có biên lai."),
		chromedp.SendKeys(chromedp.ID("f-cv-bpa"), "Tổ trưởng tổ dân phố"),
		chromedp.SetUploadFiles(chromedp.ID("f-files"), []string{photo}))
	tb.click(`form[action$="/thu"] button.primary`, 200)
	if got := tb.text("[role=status]"); !strings.Contains(got, "Đã lưu thư số 1") {
		t.Errorf("openings: after the first letter the page says %q", got)
	}
	if got := tb.text(`#cac-thu + ol .files a`); !strings.Contains(got, "Ảnh 1 (") {
		t.Errorf("openings: the first letter's photo link reads %q", got)
	}
	tb.do("letter 2", chromedp.SendKeys(chromedp.ID("f-noi-dung"), "Đề nghị công khai các khoản đóng góp xây dựng nhà văn hóa."),
		chromedp.Click(chromedp.ID("kt-1")), chromedp.SendKeys(chromedp.ID("f-ten-ky"), "Phạm Văn Dũng"))
	tb.click(`form[action$="/thu"] button.primary`, 200)
	tb.check("05-two-letters")
	if got := tb.text("#cac-thu"); !strings.Contains(got, "(2)") {
		t.Errorf("openings: the letters' heading says %q, want 2 letters", got)
	}

	tb.do("count", chromedp.SendKeys(chromedp.ID("f-so-thu"), "2"))
	tb.click(`form[action$="/niem-phong"] button.primary`, 200)
	tb.check("06-sealed")
	if got := tb.text("h1"); !strings.Contains(got, "01/BB-BCTMT") {
		t.Errorf("openings: the sealed page's heading is %q", got)
	}
	tb.click(`a.button.primary[href$="/bien-ban"]`, 200)
	tb.check("07-minutes")
	if got := tb.text(".doc"); !strings.Contains(got, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM") || !strings.Contains(got, "Lê Văn Cường") {
		t.Errorf("openings: the printable minutes lack the motto or a witness: %q", got)
	}
}
