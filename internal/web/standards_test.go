package web

import (
	"strings"
	"testing"
)

func TestStandardsPages(t *testing.T) {
	e := newEnv(t)
	r := e.do("GET", "/niem-yet", nil, nil)
	if r.StatusCode != 200 || strings.Count(r.Body, `href="/niem-yet/muc/NQ4-`) != 27 || strings.Count(r.Body, `href="/niem-yet/muc/QD37-`) != 19 ||
		r.Header.Get("Cache-Control") != "public, max-age=300" {
		t.Fatalf("GET /niem-yet = %d, %d and %d item links, cache %q", r.StatusCode,
			strings.Count(r.Body, `href="/niem-yet/muc/NQ4-`), strings.Count(r.Body, `href="/niem-yet/muc/QD37-`), r.Header.Get("Cache-Control"))
	}
	r = e.do("GET", "/niem-yet/qd37", nil, nil)
	if r.StatusCode != 200 || !strings.Contains(r.Body, `id="QD37-14"`) || !strings.Contains(r.Body, "Điều 14.") || strings.Count(r.Body, "Báo cáo trường hợp này") != 19 {
		t.Errorf("GET /niem-yet/qd37 = %d", r.StatusCode)
	}
	r = e.do("GET", "/niem-yet/muc/nq4-05", nil, nil)
	if r.StatusCode != 200 || !strings.Contains(r.Body, `href="/gui?muc=NQ4-05"`) || !strings.Contains(r.Body, "Biểu hiện 5") ||
		!strings.Contains(r.Body, `rel="prev" `) && !strings.Contains(r.Body, `rel="prev">`) {
		t.Errorf("GET /niem-yet/muc/nq4-05 = %d\n%s", r.StatusCode, r.Body)
	}
	for _, p := range []string{"/niem-yet/muc/NQ4-99", "/niem-yet/muc/XX-1", "/niem-yet/XX"} {
		if r := e.do("GET", p, nil, nil); r.StatusCode != 404 {
			t.Errorf("GET %s = %d, want 404", p, r.StatusCode)
		}
	}
	// A retired item leaves the lists but keeps its page, without the report button.
	if _, err := e.app.Store.RetireStandard(t.Context(), "NQ4-05", "Thử bãi bỏ", nil, "thử"); err != nil {
		t.Fatal(err)
	}
	if r := e.do("GET", "/niem-yet", nil, nil); strings.Contains(r.Body, `href="/niem-yet/muc/NQ4-05"`) {
		t.Error("a retired item is still posted")
	}
	r = e.do("GET", "/niem-yet/muc/NQ4-05", nil, nil)
	if r.StatusCode != 200 || !strings.Contains(r.Body, "đã được bãi bỏ") || strings.Contains(r.Body, "/gui?muc=") {
		t.Errorf("a retired item's page = %d", r.StatusCode)
	}
}
