package cli

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"

	"homthu/internal/translog"
)

// TestTransparencyEndToEnd follows a receipt from submission to a verified
// proof through the HTTP server, then checks the log with the CLI: verify,
// audit against the citizen's bundle, and a monitor over HTTP.
func TestTransparencyEndToEnd(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	csv := filepath.Join(dir, "units.csv")
	os.WriteFile(csv, []byte("code,parent_code,kind,name,full_name\n37,,province,Ninh Bình,Tỉnh Ninh Bình\n14329,37,commune,Hoa Lư,Phường Hoa Lư\n"), 0o600)
	if code, out, errs := run(t, "", "units", "import", csv, "--data", dir); code != 0 {
		t.Fatal(out, errs)
	}
	c := &Config{Data: dir, LogOrigin: "homthu.test/log", CheckpointEvery: 30 * time.Second, SessionTTL: time.Hour, IdleTTL: time.Hour}
	s, err := openStore(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	a, err := newApp(ctx, c, s, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	h, err := buildHandler(ctx, c, a, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	post := func(path, body string) (*http.Response, map[string]any) {
		res, err := http.Post(srv.URL+path, "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var v map[string]any
		json.NewDecoder(res.Body).Decode(&v)
		return res, v
	}
	_, v := post("/api/v1/feedback", `{"area":"14329","content":"Thư có tên","anonymous":false,"submitter":{"name":"Nguyễn Văn A"}}`)
	named := v["receipt"].(string)
	_, v = post("/api/v1/feedback", `{"area":"14329","content":"Thư ẩn danh","anonymous":true}`)
	anon := v["receipt"].(string)

	res, v := post("/api/v1/track/proof", `{"receipt":"`+named+`"}`)
	if res.StatusCode != 409 || res.Header.Get("Retry-After") == "" {
		t.Fatalf("proof before a checkpoint = %d %v (Retry-After %q), want 409 with Retry-After", res.StatusCode, v, res.Header.Get("Retry-After"))
	}
	if n, err := a.TransLog.Sequence(ctx); err != nil || n != 1 {
		t.Fatalf("Sequence = %d, %v; want only the named item (the anonymous one waits for the end of its day)", n, err)
	}
	if _, err := a.TransLog.Sign(ctx); err != nil {
		t.Fatal(err)
	}
	res, v = post("/api/v1/track/proof", `{"receipt":"`+strings.ToLower(named)+`"}`)
	if res.StatusCode != 200 {
		t.Fatalf("proof = %d %v", res.StatusCode, v)
	}
	raw, _ := json.Marshal(v)
	bundle, err := translog.ParseBundle(raw)
	if err != nil {
		t.Fatal(err)
	}
	// Checked independently of our verifier: note.Open and tlog.CheckRecord.
	verifier, _ := note.NewVerifier(a.TransLog.VerifierKey())
	n, err := note.Open([]byte(bundle.Checkpoint), note.VerifierList(verifier))
	if err != nil {
		t.Fatalf("note.Open: %v", err)
	}
	lines := strings.Split(n.Text, "\n")
	size, _ := strconv.ParseInt(lines[1], 10, 64)
	root, _ := tlog.ParseHash(lines[2])
	var proof tlog.RecordProof
	for _, p := range bundle.Proof {
		h, err := tlog.ParseHash(p)
		if err != nil {
			t.Fatal(err)
		}
		proof = append(proof, h)
	}
	leafHash, _ := tlog.ParseHash(bundle.LeafHash)
	if err := tlog.CheckRecord(proof, size, root, bundle.Index, leafHash); err != nil {
		t.Errorf("tlog.CheckRecord: %v", err)
	}
	res, v = post("/api/v1/track/proof", `{"receipt":"`+anon+`"}`)
	if res.StatusCode != 409 {
		t.Errorf("anonymous proof = %d %v, want 409 until the day's batch", res.StatusCode, v)
	}
	if ra, _ := strconv.Atoi(res.Header.Get("Retry-After")); ra <= 30 {
		t.Errorf("anonymous Retry-After = %d s, want until the end of the day", ra)
	}

	bf := filepath.Join(dir, "bundle.json")
	os.WriteFile(bf, raw, 0o600)
	if code, out, errs := run(t, "", "log", "verify", "--key", a.TransLog.VerifierKey(), bf); code != 0 || !strings.Contains(out, "Hợp lệ") {
		t.Errorf("log verify = %d %s %s", code, out, errs)
	}
	bad := strings.Replace(string(raw), bundle.LeafHash, strings.Repeat("A", 43)+"=", 1)
	os.WriteFile(bf+".bad", []byte(bad), 0o600)
	if code, _, _ := run(t, "", "log", "verify", "--key", a.TransLog.VerifierKey(), bf+".bad"); code == 0 {
		t.Error("log verify accepted a tampered bundle")
	}
	if code, out, errs := run(t, "", "log", "audit", "--data", dir, bf); code != 0 || !strings.Contains(out, "nhất quán") {
		t.Errorf("log audit = %d %s %s", code, out, errs)
	}
	if code, out, errs := run(t, "", "log", "key", "--data", dir); code != 0 || strings.TrimSpace(out) != a.TransLog.VerifierKey() {
		t.Errorf("log key = %d %q %s", code, out, errs)
	}
	state := filepath.Join(dir, "monitor")
	if code, out, errs := run(t, "", "log", "monitor", "--key", a.TransLog.VerifierKey(), "--state", state, "--once", srv.URL+"/log"); code != 0 {
		t.Errorf("log monitor = %d %s %s", code, out, errs)
	}
	// The key endpoint serves the same verifier key, named like the checkpoint origin.
	kres, err := http.Get(srv.URL + "/log/key")
	if err != nil {
		t.Fatal(err)
	}
	kb, _ := io.ReadAll(kres.Body)
	kres.Body.Close()
	if strings.TrimSpace(string(kb)) != a.TransLog.VerifierKey() || !strings.HasPrefix(string(kb), "homthu.test/log+") {
		t.Errorf("/log/key = %q", kb)
	}
}
