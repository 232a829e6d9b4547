package loadgen_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"homthu/internal/api"
	"homthu/internal/app"
	"homthu/internal/homthu"
	"homthu/internal/loadgen"
	"homthu/internal/secret"
	"homthu/internal/store/storetest"
	"homthu/internal/upload"
	"homthu/internal/web"
)

// fullServer serves homthu's pages and API over a fresh store, with a
// province Front account "tinh" (password "mat-khau-thu-tai").
func fullServer(t *testing.T) *httptest.Server {
	t.Helper()
	s := storetest.Open(t, "sqlite")
	storetest.Tree(t, s)
	if _, err := s.InstallShippedCatalogs(context.Background()); err != nil {
		t.Fatal(err)
	}
	u := homthu.User{Username: "tinh", Role: homthu.RoleFront, Unit: "37"}
	if err := s.CreateUser(context.Background(), &u, secret.HashPasswordParams("mat-khau-thu-tai", secret.TestParams())); err != nil {
		t.Fatal(err)
	}
	keys := &secret.Keys{Receipt: make([]byte, 32), Identity: make([]byte, 32)}
	a := &app.App{Store: s, Keys: keys, SessionTTL: time.Hour, IdleTTL: time.Hour, Blobs: &upload.Blobs{Dir: t.TempDir()},
		Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	w, err := web.New(web.Config{App: a})
	if err != nil {
		t.Fatal(err)
	}
	apiH := (&api.API{App: a}).Handler()
	webH := w.Handler()
	srv := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/api/") {
			apiH.ServeHTTP(rw, r)
			return
		}
		webH.ServeHTTP(rw, r)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// Every kind of a mixed run reaches the server and is measured apart.
func TestRunMix(t *testing.T) {
	srv := fullServer(t)
	w, err := loadgen.ParseMix("submit=3,submit-form=2,submit-file=1,track=2,reply=1,inbox=2,search=1,board=1,documents=1")
	if err != nil {
		t.Fatal(err)
	}
	r, err := loadgen.RunMix(context.Background(), loadgen.MixConfig{
		Config:  loadgen.Config{URL: srv.URL, Clients: 4, Requests: 400, Duration: time.Minute},
		Weights: w, Staff: "tinh:mat-khau-thu-tai", Unit: "37",
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Kinds) != len(w) {
		t.Fatalf("RunMix measured %d kinds, want %d", len(r.Kinds), len(w))
	}
	total := 0
	for _, k := range r.Kinds {
		total += k.OK + k.Errors()
		if k.OK == 0 || k.Errors() > 0 {
			t.Errorf("kind %s: %d OK, errors %v (%v)", k.Kind, k.OK, k.Statuses, k.FirstErr)
		}
		if len(k.Latencies) != k.OK || k.Quantile(0.5) <= 0 {
			t.Errorf("kind %s: %d latencies for %d OK", k.Kind, len(k.Latencies), k.OK)
		}
	}
	if total != 400 {
		t.Errorf("RunMix sent %d measured requests, want 400", total)
	}
}

func TestParseMix(t *testing.T) {
	for _, tt := range []struct {
		in string
		ok bool
	}{
		{loadgen.DefaultMix, true},
		{"submit=1", true},
		{"submit=0", false},
		{"post=1", false},
		{"submit", false},
		{"submit=-1", false},
		{"submit=x", false},
	} {
		if _, err := loadgen.ParseMix(tt.in); (err == nil) != tt.ok {
			t.Errorf("ParseMix(%q) = %v, want ok %v", tt.in, err, tt.ok)
		}
	}
	// Staff kinds without an account are refused before any load.
	w, _ := loadgen.ParseMix("inbox=1")
	if _, err := loadgen.RunMix(context.Background(), loadgen.MixConfig{Config: loadgen.Config{URL: "http://127.0.0.1:1", Clients: 1, Requests: 1}, Weights: w}); err == nil || !strings.Contains(err.Error(), "staff") {
		t.Errorf("RunMix(inbox, no staff) = %v, want a staff error", err)
	}
}
