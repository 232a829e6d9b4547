package web

import (
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// maxFirstLoad is the quality bar of issue 3: every citizen page weighs
// under 100 KB on first load — HTML, CSS, fonts and scripts (images aside).
const maxFirstLoad = 100 << 10

var assetRE = regexp.MustCompile(`(?:href|src)="(/static/[^"]+)"`)

// TestFirstLoadWeight fetches every citizen page and the static files it
// links, and adds them up.
func TestFirstLoadWeight(t *testing.T) {
	e := newEnv(t)
	receipt := e.do("POST", "/gui", submitValues("14329-001", "k", strings.Repeat("Nội dung phản ánh. ", 50)), nil)
	code := receiptOf(t, receipt.Body)
	pages := map[string]string{
		"/":                 e.do("GET", "/", nil, nil).Body,
		"/gui":              e.do("GET", "/gui", nil, nil).Body,
		"/gui?q=hoa":        e.do("GET", "/gui", url.Values{"q": {"hoa"}}, nil).Body,
		"/gui?area=":        e.do("GET", "/gui", url.Values{"area": {"14329-001"}}, nil).Body,
		"POST /gui":         receipt.Body,
		"/tra-cuu":          e.do("GET", "/tra-cuu", nil, nil).Body,
		"POST /tra-cuu":     e.do("POST", "/tra-cuu", url.Values{"receipt": {code}}, nil).Body,
		"/da-gui":           e.do("GET", "/da-gui", nil, nil).Body,
		"/minh-bach":        e.do("GET", "/minh-bach", nil, nil).Body,
		"/can-bo/dang-nhap": e.do("GET", "/can-bo/dang-nhap", nil, nil).Body,
	}
	for name, body := range pages {
		total := len(body)
		assets := assetRE.FindAllStringSubmatch(body, -1)
		if len(assets) == 0 {
			t.Errorf("%s links no stylesheet", name)
		}
		for _, m := range assets {
			r := e.do("GET", htmlUnescape(m[1]), nil, nil)
			if r.StatusCode != 200 {
				t.Errorf("%s: %s = %d", name, m[1], r.StatusCode)
			}
			if !strings.Contains(r.Header.Get("Cache-Control"), "immutable") {
				t.Errorf("%s: %s is not cacheable: %q", name, m[1], r.Header.Get("Cache-Control"))
			}
			total += len(r.Body)
		}
		if total > maxFirstLoad {
			t.Errorf("%s weighs %d bytes on first load, want under %d", name, total, maxFirstLoad)
		}
		t.Logf("%-20s %6d bytes", name, total)
	}
}
