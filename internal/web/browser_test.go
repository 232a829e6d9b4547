package web

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"homthu/internal/api"
)

// The browser test drives the pages in a real headless Chromium on a
// 390 × 844 phone screen (issue 3: "a real browser for the flows a person
// clicks through"): the citizen's flow without JavaScript (the page's one
// script is blocked) and with it, the receipt's confirmation, tracking, the
// transparency page, and the staff login, inbox and security pages. On
// every page it checks lang="vi", runs axe-core with the WCAG 2.1 A and AA
// rules and fails on a serious or critical violation, fails on a script
// error or a Content-Security-Policy violation, and saves a screenshot.
//
// Chromium comes from HOMTHU_CHROMIUM (default /usr/bin/chromium), axe-core
// from the file HOMTHU_AXE_JS (axe.min.js from the npm package axe-core@4;
// .ci/run installs it). Without either the test skips — but fails when CI
// is set, so that CI never passes without having run it.

// browserEnv is the server, the browser and what every page is checked with.
type browserEnv struct {
	t     *testing.T
	e     *env
	base  string
	axe   string
	shots string
	// named is the id of a named item, for the step-up; bundle its proof
	// bundle, for the transparency page.
	named, bundle string
	// browser is the browser's context; each tab is a child of it.
	browser context.Context
}

func newBrowserEnv(t *testing.T) *browserEnv {
	t.Helper()
	missing := func(format string, args ...any) {
		t.Helper()
		if os.Getenv("CI") != "" {
			t.Fatalf("browser test: "+format+" (CI is set: the browser test must run)", args...)
		}
		t.Skipf("browser test skipped: "+format, args...)
	}
	chromium := os.Getenv("HOMTHU_CHROMIUM")
	if chromium == "" {
		chromium = "/usr/bin/chromium"
	}
	if _, err := os.Stat(chromium); err != nil {
		missing("no Chromium at %s (set HOMTHU_CHROMIUM)", chromium)
	}
	axePath := os.Getenv("HOMTHU_AXE_JS")
	if axePath == "" {
		missing("HOMTHU_AXE_JS is not set (the path of axe.min.js from npm install axe-core@4)")
	}
	axe, err := os.ReadFile(axePath)
	if err != nil {
		missing("cannot read HOMTHU_AXE_JS: %v", err)
	}

	e := newEnv(t)
	mux := http.NewServeMux()
	mux.Handle("/api/", (&api.API{App: e.app}).Handler())
	mux.Handle("/log/", http.StripPrefix("/log", e.app.TransLog.Handler()))
	mux.Handle("/", e.h)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)

	shots := os.Getenv("HOMTHU_SCREENSHOTS")
	if shots == "" {
		if shots, err = os.MkdirTemp("", "homthu-browser-"); err != nil {
			t.Fatal(err)
		}
	} else if err := os.MkdirAll(shots, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshots in %s", shots)

	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(chromium),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.NoFirstRun,
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
	)
	browser, cancelBrowser := chromedp.NewContext(alloc)
	t.Cleanup(func() { cancelBrowser(); cancelAlloc() })
	if err := chromedp.Do(browser); err != nil { // starts the browser, with no timeout
		t.Fatalf("start Chromium: %v", err)
	}
	return &browserEnv{t: t, e: e, base: srv.URL, axe: string(axe), shots: shots, browser: browser}
}

// tab is one browser tab on a phone-sized screen.
type tab struct {
	b    *browserEnv
	t    *testing.T
	name string
	ctx  context.Context
	// problems collects script errors and CSP violations as they happen.
	mu       sync.Mutex
	problems []string
}

// newTab opens a tab at 390 × 844; without JavaScript, the page's script
// is blocked from loading (turning JavaScript off in the browser would
// also stop axe-core and the checks).
func (b *browserEnv) newTab(t *testing.T, name string, js bool) *tab {
	t.Helper()
	// Each tab has its own browser context, so its own cookies: tabs that
	// log in as different accounts side by side must not share a session.
	ctx, cancel := chromedp.NewContext(b.browser, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	ctx, cancelTimeout := context.WithTimeout(ctx, 40*time.Second)
	t.Cleanup(cancelTimeout)
	tb := &tab{b: b, t: t, name: name, ctx: ctx}
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulatePortrait, chromedp.EmulateMobile)); err != nil {
		t.Fatalf("open tab: %v", err)
	}
	if !js {
		if _, err := chromedp.Call(ctx, network.SetBlockedURLs, network.SetBlockedURLsParams{
			URLPatterns: []*network.BlockPattern{{URLPattern: "*://*:*/static/*.js*", Block: true}},
		}); err != nil {
			t.Fatalf("block scripts: %v", err)
		}
	}
	err := chromedp.Listen(ctx, func(ev any) {
		var p string
		switch ev := ev.(type) {
		case *runtime.EventExceptionThrown:
			p = "script error: " + ev.ExceptionDetails.Text
			if ev.ExceptionDetails.Exception != nil {
				p += " " + ev.ExceptionDetails.Exception.Description
			}
		case *cdplog.EventEntryAdded:
			blocked := !js && strings.Contains(ev.Entry.Text, "ERR_BLOCKED_BY_CLIENT")
			if ev.Entry.Level == cdplog.EntryLevelError && !blocked && !strings.Contains(ev.Entry.Text, "status of 4") {
				p = "console: " + ev.Entry.Text
			}
		}
		if p != "" {
			tb.mu.Lock()
			tb.problems = append(tb.problems, p)
			tb.mu.Unlock()
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	return tb
}

// do runs actions; a failure stops the test.
func (tb *tab) do(what string, actions ...chromedp.Action[chromedp.Void]) {
	tb.t.Helper()
	if err := chromedp.Do(tb.ctx, actions...); err != nil {
		tb.t.Fatalf("%s: %s: %v", tb.name, what, err)
	}
}

// load runs actions that cause a navigation (a click on a link or a submit
// button) and checks the answer's status.
func (tb *tab) load(what string, status int64, actions ...chromedp.Action[chromedp.Void]) {
	tb.t.Helper()
	resp, err := chromedp.RunResponse(tb.ctx, actions...)
	if err != nil {
		tb.t.Fatalf("%s: %s: %v", tb.name, what, err)
	}
	if resp.Status != status {
		tb.t.Fatalf("%s: %s: status %d, want %d (%s)", tb.name, what, resp.Status, status, resp.URL)
	}
}

func (tb *tab) open(path string, status int64) {
	tb.t.Helper()
	tb.load("open "+path, status, chromedp.Navigate(tb.b.base+path))
}

func (tb *tab) click(sel string, status int64) {
	tb.t.Helper()
	tb.load("click "+sel, status, chromedp.Click(chromedp.CSS(sel)))
}

func (tb *tab) text(sel string) string {
	tb.t.Helper()
	s, err := chromedp.Run(tb.ctx, chromedp.TextContent(chromedp.CSS(sel)))
	if err != nil {
		tb.t.Fatalf("%s: text of %s: %v", tb.name, sel, err)
	}
	return s
}

func (tb *tab) eval(js string) string {
	tb.t.Helper()
	s, err := chromedp.Run(tb.ctx, chromedp.Evaluate[string](js))
	if err != nil {
		tb.t.Fatalf("%s: evaluate %s: %v", tb.name, js, err)
	}
	return s
}

func (tb *tab) location() string {
	tb.t.Helper()
	loc, err := chromedp.Run(tb.ctx, chromedp.Location())
	if err != nil {
		tb.t.Fatal(err)
	}
	return loc
}

// axeViolation is what the check keeps of an axe-core result.
type axeViolation struct {
	ID     string   `json:"id"`
	Impact string   `json:"impact"`
	Help   string   `json:"help"`
	Nodes  []string `json:"nodes"`
}

const axeRun = `axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}, resultTypes: ['violations']})
  .then(r => r.violations.map(v => ({id: v.id, impact: v.impact || '', help: v.help,
    nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))})))`

// check checks the page on screen: lang="vi", no serious or critical axe
// violation, no script error or CSP violation so far; and saves a
// screenshot (and logs its path).
func (tb *tab) check(step string) {
	tb.t.Helper()
	tb.shot(step)
	name := tb.name + "-" + step
	tb.do("inject axe-core", chromedp.Evaluate[chromedp.Void](tb.b.axe))
	vs, err := chromedp.Run(tb.ctx, chromedp.Evaluate[[]axeViolation](axeRun, chromedp.EvalAwaitPromise))
	if err != nil {
		tb.t.Fatalf("%s: axe.run: %v", name, err)
	}
	for _, v := range vs {
		line := fmt.Sprintf("%s: axe %s %s: %s — %s", name, v.Impact, v.ID, v.Help, strings.Join(v.Nodes, " | "))
		if v.Impact == "serious" || v.Impact == "critical" {
			tb.t.Error(line)
		} else {
			tb.t.Log(line)
		}
	}
}

// shot is check without axe-core, for a page that axe has seen already in
// the same state: lang="vi", no script error or CSP violation, a screenshot.
func (tb *tab) shot(step string) {
	tb.t.Helper()
	name := tb.name + "-" + step
	img, err := chromedp.Run(tb.ctx, chromedp.FullScreenshot(85)) // JPEG: far cheaper than PNG
	if err != nil {
		tb.t.Fatalf("%s: screenshot: %v", name, err)
	}
	file := filepath.Join(tb.b.shots, name+".jpg")
	if err := os.WriteFile(file, img, 0o644); err != nil {
		tb.t.Fatal(err)
	}
	tb.t.Logf("screenshot %s", file)

	if lang := tb.eval(`document.documentElement.lang`); lang != "vi" {
		tb.t.Errorf("%s: <html lang=%q>, want vi", name, lang)
	}
	tb.mu.Lock()
	for _, p := range tb.problems {
		tb.t.Errorf("%s: %s", name, p)
	}
	tb.problems = nil
	tb.mu.Unlock()
}

var codeRE = regexp.MustCompile(`^[0-9A-Z]{4}(-[0-9A-Z]{4}){4}$`)

// citizen is the citizen's flow: home → find the area → the form → an
// error that keeps what was typed → the receipt → (js) leaving warns →
// confirm → thanks → tracking → reply → the proof bundle (pending for an
// anonymous letter) → the transparency page.
func (b *browserEnv) citizen(t *testing.T, js bool) {
	name := "nojs"
	if js {
		name = "js"
	}
	tb := b.newTab(t, name, js)
	// axe-core runs on every page without JavaScript; with it, only on the
	// pages the script changes (the live search, the receipt), to keep the
	// test fast. Every page gets its screenshot either way.
	check := tb.check
	if js {
		check = tb.shot
	}
	tb.open("/", 200)
	check("01-home")
	tb.click(`a.action[href="/gui"]`, 200)
	check("02-area")

	tb.do("type the area", chromedp.SendKeys(chromedp.ID("q"), "hoa lu"))
	if js {
		// The live search shows results while typing, from the JSON API.
		tb.do("live search", chromedp.WaitVisible(chromedp.CSS(`#ket-qua a[href="/gui?area=14329"]`)))
		tb.check("03-live-search")
	}
	tb.click(`.search button[type=submit]`, 200)
	check("03-search")
	tb.click(`#ket-qua .more`, 200)
	check("04-areas")
	tb.click(`#ket-qua a.unit-name[href="/gui?area=14329-001"]`, 200)
	check("05-form")

	// An error keeps what was typed.
	tb.do("fill the form", chromedp.SendKeys(chromedp.ID("f-subject_name"), "Nguyễn Văn Thử"),
		chromedp.SendKeys(chromedp.ID("f-content"), "   "))
	// The browser's own check stops an empty content; the server's is
	// reached by removing the attribute, as an old browser would.
	tb.do("drop required", chromedp.Evaluate[chromedp.Void](`document.getElementById('f-content').removeAttribute('required')`))
	tb.click(`form.send button.primary`, 400)
	check("06-form-error")
	if v, _ := chromedp.Run(tb.ctx, chromedp.Value(chromedp.ID("f-subject_name"))); v != "Nguyễn Văn Thử" {
		t.Errorf("%s: the form lost what was typed: %q", name, v)
	}
	if !strings.Contains(tb.text(`[role=alert]`), "Nội dung phản ánh") {
		t.Errorf("%s: the error is not in the alert", name)
	}

	// A named letter shows the consent box and its notice.
	tb.do("choose named", chromedp.Click(chromedp.ID("anon-0")))
	if v := tb.eval(`getComputedStyle(document.querySelector('.identity')).display`); v == "none" {
		t.Errorf("%s: the identity fields stay hidden after choosing a name", name)
	}
	check("07-form-named")
	tb.do("back to anonymous", chromedp.Click(chromedp.ID("anon-1")))

	tb.do("write", chromedp.SetValue(chromedp.ID("f-content"), "Kiểm thử trên trình duyệt: cán bộ phường uống rượu trong giờ làm việc."))
	tb.click(`form.send button.primary`, 200)
	tb.check("08-receipt")
	code := strings.Join(strings.Fields(tb.text(".code")), "-")
	if !codeRE.MatchString(code) {
		t.Fatalf("%s: receipt %q", name, code)
	}
	if loc := tb.location(); strings.Contains(loc, code) || strings.Contains(loc, strings.ReplaceAll(code, "-", "")) {
		t.Errorf("%s: the receipt is in the URL %s", name, loc)
	}
	if tb.eval(`document.querySelector('svg.qr') ? 'yes' : 'no'`) != "yes" {
		t.Errorf("%s: no QR code", name)
	}
	if shown := tb.eval(`String(!document.querySelector('[data-print]').hidden)`); shown != fmt.Sprint(js) {
		t.Errorf("%s: print button shown = %s, want %v", name, shown, js)
	}

	if js {
		// Leaving without confirming asks first; staying keeps the receipt.
		dialogs := chromedp.Events(tb.ctx, cdppage.JavascriptDialogOpening)
		tb.do("click the page", chromedp.Click(chromedp.CSS(".code"))) // browsers want a gesture first
		go chromedp.Do(tb.ctx, chromedp.Click(chromedp.CSS(`.foot a[href="/"]`)))
		got := ""
		for ev, err := range dialogs {
			if err == nil {
				got = string(ev.Type)
				chromedp.Call(tb.ctx, cdppage.HandleJavaScriptDialog, cdppage.HandleJavaScriptDialogParams{Accept: false})
			}
			break
		}
		if got != string(cdppage.DialogTypeBeforeunload) {
			t.Errorf("js: leaving the receipt page unconfirmed gave no warning (%q)", got)
		}
		if loc := tb.location(); !strings.HasSuffix(loc, "/gui") {
			t.Errorf("js: after dismissing the warning the page is %s, want the receipt still", loc)
		}
	}
	tb.do("tick saved", chromedp.Click(chromedp.ID("saved")))
	tb.click(`#xac-nhan button[type=submit]`, 200)
	if loc := tb.location(); !strings.HasSuffix(loc, "/da-gui") {
		t.Errorf("%s: after confirming, the page is %s, want /da-gui", name, loc)
	}
	check("09-thanks")

	tb.open("/tra-cuu", 200)
	check("10-track-form")
	tb.do("type the receipt", chromedp.SendKeys(chromedp.ID("receipt"), strings.ToLower(strings.ReplaceAll(code, "-", " "))))
	tb.click(`form.track button.primary`, 200)
	check("11-track")
	tb.do("reply", chromedp.SendKeys(chromedp.ID("body"), "Tôi bổ sung: việc xảy ra chiều thứ Sáu."))
	tb.click(`.reply button.primary`, 200)
	if !strings.Contains(tb.text(".thread"), "chiều thứ Sáu") {
		t.Errorf("%s: the reply is not in the thread", name)
	}
	check("12-track-reply")
	tb.click(`form.proof button`, 409)
	if !strings.Contains(tb.text("#proof-wait"), "mỗi ngày một lần") {
		t.Errorf("%s: the pending proof does not say when to come back", name)
	}
	check("13-proof-pending")

	tb.click(`.foot a[href="/minh-bach"]`, 200)
	check("14-transparency")
	if !js {
		tb.do("paste a bundle", chromedp.SetValue(chromedp.ID("bundle"), b.bundle))
		tb.click(`form.verify button.primary`, 200)
		if got := tb.text("#ket-qua-kiem-tra"); !strings.Contains(got, "Hợp lệ: thư số 0 có trong nhật ký") {
			t.Errorf("nojs: verifying a bundle says %q", got)
		}
		check("15-transparency-verified")
	}
}

// staff logs in (a wrong password first), opens the inbox, an item, the
// account page, and, as an administrator, the audit log and the accounts.
func (b *browserEnv) staff(t *testing.T) {
	tb := b.newTab(t, "staff", true)
	tb.open("/can-bo/dang-nhap", 200)
	tb.check("01-login")
	tb.do("wrong password", chromedp.SendKeys(chromedp.ID("username"), "xa"), chromedp.SendKeys(chromedp.ID("password"), "sai mật khẩu"))
	tb.click(`button.primary`, 401)
	if !strings.Contains(tb.text("[role=alert]"), "không đúng") {
		t.Errorf("staff: a wrong password gives no alert")
	}
	tb.do("password", chromedp.SendKeys(chromedp.ID("password"), testPassword))
	tb.click(`button.primary`, 200)
	tb.check("02-inbox")
	tb.click(`.items a`, 200)
	tb.check("03-item")
	tb.open("/can-bo/", 200)
	tb.do("open the filters", chromedp.Click(chromedp.CSS(".filters summary")), chromedp.SendKeys(chromedp.CSS("form #q"), "ruou"))
	tb.click(`.filters button.primary`, 200)
	tb.check("04-inbox-search")
	// Notices: the menu counts the unread ones; opening one leads to its page.
	tb.click(`.staff-nav a[href="/can-bo/thong-bao"]`, 200)
	if got := tb.text(`.staff-nav a[href="/can-bo/thong-bao"] .count`); !strings.HasPrefix(got, "2") {
		t.Errorf("staff: the menu counts %q unread notices, want 2", got)
	}
	tb.check("04b-notices")
	tb.click(`.notices li a`, 200)
	tb.open("/can-bo/thong-bao", 200)
	if got := tb.text(`.staff-nav a[href="/can-bo/thong-bao"] .count`); !strings.HasPrefix(got, "1") {
		t.Errorf("staff: after opening a notice the menu counts %q, want 1", got)
	}
	tb.click(`.staff-nav a[href="/can-bo/tai-khoan"]`, 200)
	tb.check("05-account")
	tb.click(`form[action="/can-bo/tai-khoan/xac-thuc-hai-lop"] button`, 200)
	tb.check("06-totp-enrol")

	// Enrol with the secret on screen, then reveal the named submitter.
	secret := strings.ReplaceAll(tb.text(".secret"), " ", "")
	code := totpCode(t, secret, false)
	tb.do("password", chromedp.SendKeys(chromedp.ID("enrol-password"), testPassword))
	tb.do("first code", chromedp.SendKeys(chromedp.ID("enrol-otp"), code))
	tb.click(`form[action$="/xac-nhan"] button`, 200)
	if !strings.Contains(tb.text("[role=status]"), "Đã bật xác thực hai lớp") {
		t.Errorf("staff: no notice after enrolment")
	}
	tb.open("/can-bo/thu/"+b.named, 200)
	tb.do("open the step-up", chromedp.Click(chromedp.CSS(".reveal summary")),
		chromedp.SendKeys(chromedp.ID("reason"), "Cần gọi điện xác minh thời gian sự việc."),
		chromedp.SendKeys(chromedp.ID("otp"), code))
	tb.check("07-item-step-up")
	tb.click(`.reveal button[type=submit]`, 200)
	if got := tb.text(".identity-shown"); !strings.Contains(got, "Nguyễn Thị Minh") {
		t.Errorf("staff: the identity is not shown after the step-up: %q", got)
	}
	tb.check("08-item-identity")
	tb.click(`.staff-nav button.link`, 200)

	tb.do("admin", chromedp.SendKeys(chromedp.ID("username"), "admin"), chromedp.SendKeys(chromedp.ID("password"), testPassword))
	tb.click(`button.primary`, 200)
	tb.click(`.staff-nav a[href="/can-bo/nhat-ky"]`, 200)
	if !strings.Contains(tb.text(".audit"), "Xem danh tính người phản ánh") {
		t.Errorf("staff: the audit log lacks the reveal")
	}
	tb.check("09-audit")
	tb.click(`.staff-nav a[href="/can-bo/tai-khoan-can-bo"]`, 200)
	tb.check("10-users")
	tb.click(`.staff-nav a[href="/can-bo/don-vi-chua-co-can-bo"]`, 200)
	tb.check("11-unstaffed")
	tb.click(`.staff-nav a[href="/can-bo/he-thong"]`, 200)
	if !strings.Contains(tb.text("main"), "thư đang chờ") {
		t.Errorf("staff: the system page does not say that mail is waiting")
	}
	tb.check("12-system")
	tb.click(`.staff-nav a[href="/can-bo/ban-bien-tap"]`, 200)
	tb.check("13-editorial-inbox")
	tb.click(`table.list a`, 200)
	tb.check("14-editorial-message")
	tb.click(`.staff-nav a[href="/can-bo/cong-tac"]`, 200)
	tb.check("15-records")
}

// TestBrowser runs the flows in Chromium.
func TestBrowser(t *testing.T) {
	b := newBrowserEnv(t)
	// Some staff work to see: a named letter with a thread and an attachment
	// list, an anonymous one, and a signed checkpoint for /minh-bach.
	named := receiptOf(t, b.e.do("POST", "/gui", namedValues("k1", "Cán bộ phường uống rượu trong giờ làm việc, ngày 12."), nil).Body)
	b.e.do("POST", "/gui", submitValues("14329-001", "k2", "Trưởng thôn thu tiền không có biên lai."), nil)
	b.e.sequenceAndSign()
	b.bundle = b.e.do("POST", "/tra-cuu/bang-chung", url.Values{"receipt": {named}}, nil).Body
	for _, it := range mustItems(t, b.e, "37") {
		if !it.Anonymous {
			b.named = it.ID
		}
	}
	// Two notices for the commune officer, and mail waiting without SMTP.
	b.e.addNotice(b.e.userID("xa"), "Có 1 thư, đơn sắp đến hạn xử lý (còn 3 ngày làm việc).", "/can-bo/")
	b.e.addNotice(b.e.userID("xa"), "Hòm thư góp ý Tổ dân phố Hòa Bình đến hạn mở ngày 15/5/2026.", "/can-bo/")
	b.e.addStaffMail("can.bo@example.vn")
	portalData(t, b.e)
	agencyReceipt, agencyItem := agencyData(t, b.e)

	// Three tabs of one browser, side by side.
	t.Run("nojs", func(t *testing.T) { t.Parallel(); b.citizen(t, false) })
	t.Run("js", func(t *testing.T) { t.Parallel(); b.citizen(t, true) })
	t.Run("staff", func(t *testing.T) { t.Parallel(); b.staff(t) })
	t.Run("portal", func(t *testing.T) { t.Parallel(); b.portal(t) })
	t.Run("agency", func(t *testing.T) { t.Parallel(); b.agencyFlow(t, agencyReceipt, agencyItem) })
	t.Run("openings", func(t *testing.T) { t.Parallel(); b.openings(t) })
}
