package web

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"

	"homthu/internal/translog"
)

// namedValues is a valid sending form of a named submitter.
func namedValues(key, content string) url.Values {
	v := submitValues("14329-001", key, content)
	v.Set("anonymous", "0")
	v.Set("name", "Nguyễn Thị Minh")
	v.Set("phone", "0912 345 678")
	v.Set("consent", "1")
	return v
}

// sequenceAndSign runs one round of the log, as the server's schedule does.
func (e *env) sequenceAndSign() {
	e.t.Helper()
	ctx := context.Background()
	if _, err := e.app.TransLog.Sequence(ctx); err != nil {
		e.t.Fatal(err)
	}
	if _, err := e.app.TransLog.Sign(ctx); err != nil {
		e.t.Fatal(err)
	}
}

// TestProofDownload: the tracking page offers the proof bundle by a POST
// with the receipt in a hidden field; before a checkpoint covers the item
// it says when to come back (a day for an anonymous item, a minute for a
// named one); after, the bundle downloads as a JSON attachment that
// tlog.CheckRecord and note.Open accept, independently of our verifier.
func TestProofDownload(t *testing.T) {
	e := newEnv(t)
	named := receiptOf(t, e.do("POST", "/gui", namedValues("k1", "Thư có tên về cán bộ phường."), nil).Body)
	anon := receiptOf(t, e.do("POST", "/gui", submitValues("14329-001", "k2", "Thư ẩn danh về cán bộ phường."), nil).Body)

	tr := e.do("POST", "/tra-cuu", url.Values{"receipt": {named}}, nil)
	for _, want := range []string{`<form method="post" action="/tra-cuu/bang-chung"`, `<input type="hidden" name="receipt" value="` + named + `">`,
		"Tải gói bằng chứng", `href="/minh-bach"`} {
		if !strings.Contains(tr.Body, want) {
			t.Errorf("track page lacks %q", want)
		}
	}

	for _, tt := range []struct {
		receipt string
		want    string
	}{
		{named, "trong vòng một phút"},
		{anon, "mỗi ngày một lần"},
	} {
		r := e.do("POST", "/tra-cuu/bang-chung", url.Values{"receipt": {tt.receipt}}, nil)
		if r.StatusCode != http.StatusConflict || r.Header.Get("Retry-After") == "" || !strings.Contains(r.Body, tt.want) ||
			!strings.Contains(r.Body, `id="proof-wait"`) {
			t.Errorf("proof before a checkpoint = %d (Retry-After %q), want 409 saying %q\n%s", r.StatusCode, r.Header.Get("Retry-After"), tt.want, r.Body)
		}
	}

	e.sequenceAndSign()
	r := e.do("POST", "/tra-cuu/bang-chung", url.Values{"receipt": {strings.ToLower(named)}}, nil)
	if r.StatusCode != 200 {
		t.Fatalf("proof after a checkpoint = %d\n%s", r.StatusCode, r.Body)
	}
	if cd := r.Header.Get("Content-Disposition"); cd != `attachment; filename="bang-chung-homthu.json"` {
		t.Errorf("Content-Disposition = %q", cd)
	}
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("Content-Type = %q", ct)
	}
	if cc := r.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("Cache-Control = %q", cc)
	}
	for _, secret := range []string{named, strings.ReplaceAll(named, "-", ""), "Nguyễn Thị Minh", "0912", "Thư có tên"} {
		if strings.Contains(r.Body, secret) {
			t.Errorf("the bundle contains %q", secret)
		}
	}
	b, err := translog.ParseBundle([]byte(r.Body))
	if err != nil {
		t.Fatalf("ParseBundle: %v\n%s", err, r.Body)
	}
	// Independently of translog.Verify: the signed note and the record proof.
	v, _ := note.NewVerifier(e.app.TransLog.VerifierKey())
	n, err := note.Open([]byte(b.Checkpoint), note.VerifierList(v))
	if err != nil {
		t.Fatalf("note.Open(checkpoint): %v", err)
	}
	lines := strings.Split(n.Text, "\n")
	root, _ := tlog.ParseHash(lines[2])
	var proof tlog.RecordProof
	for _, p := range b.Proof {
		h, _ := tlog.ParseHash(p)
		proof = append(proof, h)
	}
	if err := tlog.CheckRecord(proof, b.TreeSize, root, b.Index, tlog.RecordHash([]byte(b.Leaf))); err != nil {
		t.Errorf("tlog.CheckRecord: %v", err)
	}

	// A bad receipt is the tracking page's own error.
	if r := e.do("POST", "/tra-cuu/bang-chung", url.Values{"receipt": {"0000-0000-0000-0000-0000"}}, nil); r.StatusCode != 404 ||
		!strings.Contains(r.Body, "Không tìm thấy thư nào") {
		t.Errorf("proof of an unknown receipt = %d\n%s", r.StatusCode, r.Body)
	}
}

// TestTransparencyPage: the public page shows the verifier key, the latest
// checkpoint and how to monitor; it verifies a bundle pasted or uploaded,
// says a tampered or foreign one is not valid, and tells whether the
// current log still contains the bundle's tree — including when the
// server's log was forked by someone holding the signing key.
func TestTransparencyPage(t *testing.T) {
	skey, _, err := translog.GenerateKey("homthu.test/log")
	if err != nil {
		t.Fatal(err)
	}
	withKey := func(c *Config) {
		l, err := translog.New(translog.Config{Store: c.App.Store.TransLog(), SignerKey: skey, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
		if err != nil {
			t.Fatal(err)
		}
		c.App.TransLog = l
	}
	e := newEnv(t, withKey)
	code := receiptOf(t, e.do("POST", "/gui", namedValues("k1", "Thư thứ nhất."), nil).Body)
	e.sequenceAndSign()
	bundle := e.do("POST", "/tra-cuu/bang-chung", url.Values{"receipt": {code}}, nil).Body

	page := e.do("GET", "/minh-bach", nil, nil)
	vkey := e.app.TransLog.VerifierKey()
	for _, want := range []string{"Nhật ký minh bạch", "Không thư nào có thể biến mất", "không chứa nội dung thư, cũng không chứa danh tính",
		"không chứng minh ai là người gửi", htmlEscape(vkey), `href="/log/checkpoint"`, `href="/log/key"`, "homthu log monitor",
		"http://example.com/log", "Nhật ký hiện có 1 mục", "homthu.test/log\n1\n", `action="/minh-bach"`, `enctype="multipart/form-data"`} {
		if !strings.Contains(page.Body, want) {
			t.Errorf("/minh-bach lacks %q", want)
		}
	}
	if !strings.Contains(e.do("GET", "/", nil, nil).Body, `href="/minh-bach"`) {
		t.Errorf("the footer does not link /minh-bach")
	}

	// The log grows; the old bundle is still in it.
	receiptOf(t, e.do("POST", "/gui", namedValues("k2", "Thư thứ hai."), nil).Body)
	e.sequenceAndSign()

	var tampered map[string]any
	json.Unmarshal([]byte(bundle), &tampered)
	tampered["tree_size"] = 2.0
	tb, _ := json.Marshal(tampered)
	var badProof map[string]any
	json.Unmarshal([]byte(bundle), &badProof)
	badProof["leaf"] = strings.Replace(badProof["leaf"].(string), "14329", "14330", 1)
	bp, _ := json.Marshal(badProof)

	// A bundle of a fork: the same key, another history.
	fork := newEnv(t, withKey)
	forkCode := receiptOf(t, fork.do("POST", "/gui", namedValues("k9", "Thư của nhánh khác."), nil).Body)
	fork.sequenceAndSign()
	forkBundle := fork.do("POST", "/tra-cuu/bang-chung", url.Values{"receipt": {forkCode}}, nil).Body

	// A bundle of another log altogether.
	other := newEnv(t)
	otherCode := receiptOf(t, other.do("POST", "/gui", namedValues("k1", "Thư thứ nhất."), nil).Body)
	other.sequenceAndSign()
	otherBundle := other.do("POST", "/tra-cuu/bang-chung", url.Values{"receipt": {otherCode}}, nil).Body

	for _, tt := range []struct {
		name   string
		bundle string
		status int
		want   []string
	}{
		{"valid", bundle, 200, []string{"Hợp lệ: thư số 0 có trong nhật ký", "cây cỡ 1", "Phường Hoa Lư (mã 14329)",
			"Nhật ký hiện nay (cây cỡ 2) vẫn chứa nguyên vẹn cây này"}},
		{"moved", string(tb), 400, []string{"KHÔNG hợp lệ", "không khớp"}},
		{"leaf changed", string(bp), 400, []string{"KHÔNG hợp lệ", "không khớp"}},
		{"another log", otherBundle, 400, []string{"KHÔNG hợp lệ", "không mang chữ ký hợp lệ của nhật ký này"}},
		{"fork", forkBundle, 200, []string{"Hợp lệ", "CẢNH BÁO", "KHÔNG còn chứa nguyên vẹn"}},
		{"garbage", `{"index": "x"`, 400, []string{"không phải một gói bằng chứng"}},
		{"empty", "  ", 400, []string{"Xin chọn tệp gói bằng chứng"}},
	} {
		r := e.do("POST", "/minh-bach", url.Values{"bundle": {tt.bundle}}, nil)
		if r.StatusCode != tt.status {
			t.Errorf("%s: POST /minh-bach = %d, want %d\n%s", tt.name, r.StatusCode, tt.status, r.Body)
			continue
		}
		for _, w := range tt.want {
			if !strings.Contains(r.Body, w) {
				t.Errorf("%s: page lacks %q", tt.name, w)
			}
		}
	}

	// The same bundle as an uploaded file.
	ct, body := multipartFile(t, "bundle_file", "bang-chung-homthu.json", []byte(bundle))
	req := httptest.NewRequest("POST", "/minh-bach", body)
	req.Header.Set("Content-Type", ct)
	if r := e.serve(req); r.StatusCode != 200 || !strings.Contains(r.Body, "Hợp lệ: thư số 0") {
		t.Errorf("uploaded bundle = %d\n%s", r.StatusCode, r.Body)
	}
	// A huge paste is refused without reading it all.
	if r := e.do("POST", "/minh-bach", url.Values{"bundle": {strings.Repeat("x", 300<<10)}}, nil); r.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("a 300 KB paste = %d, want 413", r.StatusCode)
	}
}

func htmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;", "'", "&#39;", "+", "&#43;").Replace(s)
}
