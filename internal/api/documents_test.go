package api

import (
	"context"
	"testing"

	"homthu/internal/app"
)

func TestDocumentsAPI(t *testing.T) {
	f := newFixture(t)
	_, err := f.app.ImportDocumentFiles(context.Background(), []app.NamedFile{
		{Name: "124.txt", Data: []byte("BAN BÍ THƯ\n\nĐẢNG CỘNG SẢN VIỆT NAM\n\nSố 124-QĐ/TW\n\nHà Nội, ngày 2 tháng 2 năm 2018\n\nQUY ĐỊNH\n\nVỀ GIÁM SÁT CỦA MẶT TRẬN TỔ QUỐC VIỆT NAM\n\nGiám sát việc tu dưỡng, rèn luyện đạo đức, lối sống của cán bộ, đảng viên.\n")},
		{Name: "khac.txt", Data: []byte("QUỐC HỘI\n\nSố: 124/2015/QH13\n\nHà Nội, ngày 1 tháng 1 năm 2015\n\nLUẬT\n\nTHỬ NGHIỆM\n\nNội dung khác.\n")},
	}, "thử")
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		q      string
		n      int
		first  string
		status int
	}{
		{"?q=124/QĐ-TW", 1, "124-QĐ/TW", 200},
		{"?q=124", 2, "", 200},
		{"?q=ren%20luyen%20dao%20duc", 1, "124-QĐ/TW", 200},
		{"?q=giam%20sat&year=2018", 1, "124-QĐ/TW", 200},
		{"?q=giam%20sat&type=luat", 0, "", 200},
		{"?q=124&issuer=quoc%20hoi", 1, "124/2015/QH13", 200},
		{"?year=hai", 0, "", 400},
		{"?q=x&limit=500", 0, "", 400},
	} {
		code, v := f.do(t, "GET", "/api/v1/documents"+tt.q, "")
		if code != tt.status {
			t.Errorf("GET %s = %d %v", tt.q, code, v)
			continue
		}
		if code != 200 {
			if errCode(v) != "invalid" {
				t.Errorf("GET %s: error %v", tt.q, v)
			}
			continue
		}
		docs := v["documents"].([]any)
		if len(docs) != tt.n {
			t.Errorf("GET %s = %d documents, want %d", tt.q, len(docs), tt.n)
			continue
		}
		if tt.first != "" {
			d := docs[0].(map[string]any)
			if d["number"] != tt.first || d["title"] == "" || d["doc_type"] == "" || d["issuer"] == "" || d["date_issued"] == "" {
				t.Errorf("GET %s: first = %v", tt.q, d)
			}
		}
	}
	_, v := f.do(t, "GET", "/api/v1/documents?q=ren+luyen", "")
	d := v["documents"].([]any)[0].(map[string]any)
	hl := d["highlights"].([]any)
	snip := []rune(d["snippet"].(string))
	if len(hl) != 2 {
		t.Fatalf("highlights = %v in %q", hl, string(snip))
	}
	h := hl[0].([]any)
	if got := string(snip[int(h[0].(float64)):int(h[1].(float64))]); got != "rèn" {
		t.Errorf("the first highlight is %q, want rèn", got)
	}
}
