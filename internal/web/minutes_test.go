package web

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"homthu/internal/app"
	"homthu/internal/export"
	"homthu/internal/homthu"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// sampleOpening is sealed minutes of an area's box with three witnesses,
// a letter hidden from the reader, and a correction; with letters it has
// enough rows to run onto a second page.
func sampleOpening() *homthu.Opening {
	at := time.Date(2026, 1, 5, 8, 30, 0, 0, homthu.VNTime)
	o := &homthu.Opening{ID: 7, Mailbox: 3, Unit: "14330-001", UnitKind: homthu.KindArea, UnitName: "Thôn Đông", CommuneName: "Xã Gia Viễn",
		Place: "Nhà văn hóa thôn Đông", OpenedAt: at, Month: "2026-01", Seal: homthu.SealIntact, State: homthu.OpeningSealed,
		Participants: []homthu.Participant{{Name: "Lê Thị Mai", Role: "Trưởng ban Công tác Mặt trận", Chair: true},
			{Name: "Phạm Văn Hùng", Role: "Bí thư Chi bộ"}, {Name: "Đinh Công Tráng", Role: "Trưởng thôn"},
			{Name: "Nguyễn Thị Hoa", Role: "Chi hội trưởng", Org: "Chi hội Phụ nữ thôn Đông"}},
		Created: at.Add(time.Hour), CreatedBy: "bct.thondong", SealedAt: at.Add(45 * time.Minute), SealedBy: "bct.thondong",
		Number: 1, OnTime: true, Day: 5, LeafIndex: 42,
		Corrections: []homthu.Correction{{Kind: homthu.CorrectSeal, Body: "Niêm phong bị rách một góc nhỏ.", Reason: "Ghi nhầm khi lập biên bản.",
			By: "mttq.giavien", At: at.Add(48 * time.Hour)}}}
	for i := 1; i <= 14; i++ {
		l := homthu.Letter{Seq: i, Number: i, ItemID: fmt.Sprintf("TG%02dXK3M9QZ", i), Signed: i%3 == 0, PageCount: i % 2,
			Content: fmt.Sprintf("Phản ánh số %d: cán bộ thôn nhận quà biếu của hộ dân khi xác nhận hồ sơ đất đai, đề nghị làm rõ.", i)}
		if i == 4 {
			l.Hidden, l.Content, l.To = true, "", homthu.ToProvince
		}
		o.Letters = append(o.Letters, l)
	}
	o.LetterCount = len(o.Letters)
	return o
}

// sampleLogbook is the logbook of 2026 of the same box, on 1 December
// 2026: openings in most months, one late, one month missed.
func sampleLogbook() (*app.Logbook, time.Time) {
	lb := &app.Logbook{Mailbox: &homthu.Mailbox{ID: 3, Unit: "14330-001", UnitName: "Thôn Đông", CommuneName: "Xã Gia Viễn", Place: "Nhà văn hóa thôn Đông",
		InstalledOn: "2024-01-10", Status: homthu.MailboxInUse, Day: 5}, Year: 2026, Open: 1}
	for m := 1; m <= 11; m++ {
		if m == 7 {
			continue // missed
		}
		o := sampleOpening()
		o.ID, o.Number, o.Corrections = int64(m), m, nil
		o.OpenedAt = time.Date(2026, time.Month(m), 5, 8, 0, 0, 0, homthu.VNTime)
		o.Created = o.OpenedAt
		if m == 9 {
			o.OpenedAt, o.OnTime = o.OpenedAt.AddDate(0, 0, 10), false
		}
		o.Letters, o.LetterCount = nil, m%3
		lb.Openings = append(lb.Openings, o)
	}
	return lb, time.Date(2026, 12, 1, 9, 0, 0, 0, homthu.VNTime)
}

func pdfTool(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s is not installed (poppler-utils)", name)
		}
		t.Skipf("%s is not installed", name)
	}
	return p
}

func goldenFile(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (run with -update if the change is intended):\n--- got\n%s", name, got)
	}
}

var bboxWordRE = regexp.MustCompile(`<word xMin="([0-9.]+)" yMin="([0-9.]+)" xMax="([0-9.]+)" yMax="([0-9.]+)">([^<]*)</word>`)

// TestPrintsPDF pins the text of the minutes and the logbook as PDFs
// (pdftotext -layout against testdata/*.pdf.txt) and their Decree 30
// layout: the issuing body top left and the motto top right on page 1,
// no page number on page 1, the number "2" at the top centre of page 2,
// and the witnesses' signature places.
func TestPrintsPDF(t *testing.T) {
	pdftotext := pdfTool(t, "pdftotext")
	lb, now := sampleLogbook()
	for _, tt := range []struct {
		name string
		doc  *export.Document
		want []string
	}{
		{"minutes", minutesDocument(sampleOpening()), []string{"BAN CÔNG TÁC MẶT TRẬN THÔN ĐÔNG", "Số: 01/BB-BCTMT", "Gia Viễn, ngày 05 tháng 01 năm 2026",
			"BIÊN BẢN", "Mở hòm thư góp ý tháng 01 năm 2026", "Người chứng kiến", "Người chủ trì", "Nguyễn Thị Hoa", "TG14XK3M9QZ",
			"nhật ký minh bạch (mục số 42)", "Đính chính sau khi niêm phong"}},
		{"logbook", logbookDocument(lb, now), []string{"SỔ THEO DÕI MỞ HÒM THƯ GÓP Ý", "Năm 2026", "Không mở", "Mở muộn", "NGƯỜI GIỮ SỔ",
			"chưa niêm phong biên bản"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := export.Render(&b, export.PDF, tt.doc); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(t.TempDir(), tt.name+".pdf")
			if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			text, err := exec.Command(pdftotext, "-layout", path, "-").Output()
			if err != nil {
				t.Fatal(err)
			}
			goldenFile(t, tt.name+".pdf.txt", text)
			flat := strings.Join(strings.Fields(string(text)), " ")
			for _, w := range tt.want {
				if !strings.Contains(flat, w) {
					t.Errorf("%s lacks %q", tt.name, w)
				}
			}
			out, err := exec.Command(pdftotext, "-bbox", path, "-").Output()
			if err != nil {
				t.Fatal(err)
			}
			pages := strings.Split(string(out), "<page ")[1:]
			if len(pages) < 2 {
				t.Fatalf("%s has %d page(s); the sample must run onto page 2", tt.name, len(pages))
			}
			w, _ := strconv.ParseFloat(regexp.MustCompile(`width="([0-9.]+)"`).FindStringSubmatch(pages[0])[1], 64)
			first := bboxWordRE.FindAllStringSubmatch(pages[0], -1)
			for _, m := range first[:3] {
				x, _ := strconv.ParseFloat(m[1], 64)
				if m[5] == "1" {
					t.Errorf("%s: page 1 carries a page number", tt.name)
				}
				if strings.HasPrefix(m[5], "CỘNG") && x < w/2 {
					t.Errorf("%s: the national motto starts at x=%.0f, want on the right half", tt.name, x)
				}
			}
			num := bboxWordRE.FindAllStringSubmatch(pages[1], -1)[0]
			x0, _ := strconv.ParseFloat(num[1], 64)
			x1, _ := strconv.ParseFloat(num[3], 64)
			y0, _ := strconv.ParseFloat(num[2], 64)
			if num[5] != "2" || (x0+x1)/2 < w/2-15 || (x0+x1)/2 > w/2+15 || y0 > 60 {
				t.Errorf("%s: page 2 starts with %q at x=%.0f..%.0f y=%.0f; want the number 2 at the top centre (page width %.0f)", tt.name, num[5], x0, x1, y0, w)
			}
		})
	}
}

// TestPrintPages: the printable minutes and logbook pages and their PDFs,
// for the committee that sealed them and the commune's staff; open minutes
// are not printed (409); another commune's are not found.
func TestPrintPages(t *testing.T) {
	e := newEnv(t)
	e.addUser("bct", homthu.RoleCommittee, "14329-001")
	e.addUser("giavien", homthu.RoleFront, "14330")
	xa := &homthu.Session{User: &homthu.User{ID: e.userID("xa"), Username: "xa", Role: homthu.RoleFront, Unit: "14329"}}
	ctx := t.Context()
	m, err := e.app.CreateMailbox(ctx, xa, homthu.MailboxInput{Unit: "14329-001", Place: "Nhà văn hóa tổ dân phố Hòa Bình", InstalledOn: "2024-03-15", Day: 10})
	if err != nil {
		t.Fatal(err)
	}
	start := homthu.OpeningInput{Mailbox: m.ID, OpenedAt: time.Now().Add(-time.Hour), Seal: homthu.SealIntact,
		Participants: []homthu.Participant{{Name: "Nguyễn Văn An", Chair: true}, {Name: "Trần Thị Bình"}, {Name: "Lê Văn Cường"}}}
	id, err := e.app.StartOpening(ctx, xa, start, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := e.app.RegisterLetter(ctx, xa, id, homthu.LetterInput{Content: "Phản ánh việc thu tiền không có chứng từ."}, ""); err != nil {
		t.Fatal(err)
	}
	path := openingHref(id) + "/bien-ban"
	if r := e.do("GET", path, nil, e.login("xa")); r.StatusCode != 409 || !strings.Contains(r.Body, "chưa niêm phong") {
		t.Errorf("open minutes printed: %d", r.StatusCode)
	}
	proof := openingHref(id) + "/bang-chung"
	if r := e.do("GET", proof, nil, e.login("xa")); r.StatusCode != 409 || !strings.Contains(r.Body, "chưa niêm phong") {
		t.Errorf("proof of open minutes = %d", r.StatusCode)
	}
	if err := e.app.SealOpening(ctx, xa, id, 1); err != nil {
		t.Fatal(err)
	}
	if r := e.do("GET", proof, nil, e.login("xa")); r.StatusCode != 409 || !strings.Contains(r.Body, "chưa vào nhật ký minh bạch") || r.Header.Get("Retry-After") == "" {
		t.Errorf("proof before the log's round = %d (Retry-After %q)", r.StatusCode, r.Header.Get("Retry-After"))
	}
	e.sequenceAndSign()
	year := strconv.Itoa(homthu.MonthOf(time.Now()).Year)
	logbook := mailboxHref(m.ID) + "/so-theo-doi?nam=" + year
	for _, tt := range []struct {
		who, path string
		status    int
		want      []string
	}{
		{"xa", path, 200, []string{"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "Số: 01/BB-BCTMT", "Biên bản",
			"Ban Công tác Mặt trận tổ dân phố Hòa Bình", "Người chứng kiến", "Trần Thị Bình", "thu tiền không có chứng từ", `href="` + path + `.pdf"`}},
		{"bct", path, 200, []string{"Số: 01/BB-BCTMT"}},
		{"giavien", path, 404, nil},
		{"xa", path + ".pdf", 200, []string{"%PDF-"}},
		{"giavien", path + ".pdf", 404, nil},
		{"xa", logbook, 200, []string{"Sổ theo dõi mở hòm thư góp ý", "Năm " + year, "01/BB-BCTMT", "Người giữ sổ"}},
		{"xa", mailboxHref(m.ID) + "/so-theo-doi.pdf?nam=" + year, 200, []string{"%PDF-"}},
		{"xa", mailboxHref(m.ID) + "/so-theo-doi?nam=1999", 400, []string{"Năm 1999 không hợp lệ"}},
		{"xa", mailboxHref(m.ID) + "/so-theo-doi?nam=abc", 400, nil},
		{"giavien", logbook, 404, nil},
		{"bct", proof, 200, []string{`"record": "homthu opening v1`, `"bundle"`}},
		{"giavien", proof, 404, nil},
		{"xa", openingHref(id), 200, []string{`href="` + proof + `"`, "của nhật ký minh bạch"}},
	} {
		r := e.do("GET", tt.path, nil, e.login(tt.who))
		if r.StatusCode != tt.status {
			t.Errorf("%s GET %s = %d, want %d", tt.who, tt.path, r.StatusCode, tt.status)
			continue
		}
		body := htmlUnescape(r.Body)
		for _, w := range tt.want {
			if !strings.Contains(body, w) {
				t.Errorf("%s GET %s lacks %q", tt.who, tt.path, w)
			}
		}
	}
}
