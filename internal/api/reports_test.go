package api

import (
	"net/url"
	"testing"
	"time"

	"homthu/internal/homthu"
)

// TestDigestAPI: GET /api/v1/reports/digest returns the figures of the
// contract in openapi.json, rolled up by commune with totals that add up;
// bad days are a 400, another unit a 404, no token a 401.
func TestDigestAPI(t *testing.T) {
	f := newFixture(t)
	for _, body := range []string{
		`{"area":"14329-001","content":"Cán bộ phường uống rượu trong giờ làm việc","anonymous":true}`,
		`{"area":"14330-001","content":"Đường làng hỏng lâu chưa sửa","anonymous":true}`,
		`{"area":"14329-001","to":"province","content":"Về lãnh đạo phường","anonymous":true}`,
	} {
		if code, v := f.do(t, "POST", "/api/v1/feedback", body); code != 201 {
			t.Fatalf("feedback = %d %v", code, v)
		}
	}
	tok := f.login(t, "tinh")
	today := time.Now().In(homthu.VNTime).Format(time.DateOnly)
	q := url.Values{"from": {today[:8] + "01"}, "to": {today}}
	code, v := f.do(t, "GET", "/api/v1/reports/digest?"+q.Encode(), "", "Authorization", "Bearer "+tok)
	if code != 200 {
		t.Fatalf("digest = %d %v", code, v)
	}
	total := v["total"].(map[string]any)
	if total["received"].(float64) != 3 || total["by_channel"].(map[string]any)["online"].(float64) != 3 ||
		total["by_kind"].(map[string]any)["unclassified"].(float64) != 3 || v["unit"].(map[string]any)["code"] != "37" {
		t.Errorf("digest total = %v, unit %v", total, v["unit"])
	}
	var sum float64
	byCode := map[string]float64{}
	for _, r := range v["rows"].([]any) {
		row := r.(map[string]any)
		n := row["counts"].(map[string]any)["received"].(float64)
		sum += n
		byCode[row["code"].(string)] = n
	}
	if sum != 3 || byCode["14329"] != 1 || byCode["14330"] != 1 || byCode["37"] != 1 {
		t.Errorf("rows = %v (sum %v), want 1 each for 37 (own), 14329, 14330", byCode, sum)
	}
	if ms := v["months"].([]any); len(ms) != 1 || ms[0].(map[string]any)["received"].(float64) != 3 {
		t.Errorf("months = %v", ms)
	}
	for _, tt := range []struct {
		name, query, token string
		want               int
	}{
		{"no from", "to=" + today, tok, 400},
		{"bad day", "from=2026-02-30&to=2026-03-01", tok, 400},
		{"backwards", "from=2026-03-01&to=2026-02-01", tok, 400},
		{"another province", "unit=01&from=2026-01-01&to=2026-01-31", tok, 404},
		{"a commune's staff reads the province", "unit=37&from=2026-01-01&to=2026-01-31", f.login(t, "hoalu"), 404},
		{"committee", "from=2026-01-01&to=2026-01-31", f.login(t, "bct"), 403},
		{"no token", "from=2026-01-01&to=2026-01-31", "", 401},
	} {
		hdr := []string{}
		if tt.token != "" {
			hdr = []string{"Authorization", "Bearer " + tt.token}
		}
		if code, v := f.do(t, "GET", "/api/v1/reports/digest?"+tt.query, "", hdr...); code != tt.want || v["error"] == nil {
			t.Errorf("%s: GET ?%s = %d %v, want %d with an error", tt.name, tt.query, code, v, tt.want)
		}
	}
}
