package api

import (
	"testing"
)

func TestStandards(t *testing.T) {
	f := newFixture(t)
	code, v := f.do(t, "GET", "/api/v1/catalogs", "")
	cs, _ := v["catalogs"].([]any)
	if code != 200 || len(cs) != 2 {
		t.Fatalf("GET /api/v1/catalogs = %d %v", code, v)
	}
	nq4 := cs[0].(map[string]any)
	if nq4["code"] != "NQ4" || nq4["active"] != float64(27) || len(nq4["groups"].([]any)) != 3 {
		t.Errorf("catalogs[0] = %v", nq4)
	}
	for _, tt := range []struct {
		query string
		want  int
	}{{"", 46}, {"?catalog=qd37", 19}, {"?catalog=NQ4&group=tdb", 9}, {"?catalog=XX", 0}} {
		code, v := f.do(t, "GET", "/api/v1/standards"+tt.query, "")
		ss, ok := v["standards"].([]any)
		if code != 200 || !ok || len(ss) != tt.want {
			t.Errorf("GET /api/v1/standards%s = %d, %d standards; want %d", tt.query, code, len(ss), tt.want)
		}
	}
	code, v = f.do(t, "GET", "/api/v1/standards/qd37-14", "")
	if code != 200 || v["code"] != "QD37-14" || v["heading"] != "Điều 14" || v["version"] != float64(1) || v["retired"] != false || v["title"] == "" {
		t.Errorf("GET /api/v1/standards/qd37-14 = %d %v", code, v)
	}
	if _, err := f.app.Store.RetireStandard(t.Context(), "QD37-14", "Thử", nil, "thử"); err != nil {
		t.Fatal(err)
	}
	code, v = f.do(t, "GET", "/api/v1/standards/QD37-14", "")
	if code != 200 || v["retired"] != true || v["retired_in"] != float64(2) || v["retired_reason"] != "Thử" {
		t.Errorf("a retired standard = %d %v", code, v)
	}
	if _, v := f.do(t, "GET", "/api/v1/standards?catalog=QD37", ""); len(v["standards"].([]any)) != 18 {
		t.Errorf("the retired standard is still listed as active")
	}
	if code, v := f.do(t, "GET", "/api/v1/standards/NQ4-99", ""); code != 404 || errCode(v) != "not_found" {
		t.Errorf("GET an unknown standard = %d %v", code, v)
	}
}
