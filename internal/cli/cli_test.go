package cli

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"homthu/internal/homthu"
)

func run(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Run(context.Background(), args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

func TestCommands(t *testing.T) {
	dir := t.TempDir()
	data := "--data=" + dir
	csv := filepath.Join(dir, "units.csv")
	os.WriteFile(csv, []byte("code,parent_code,kind,name,full_name\n37,,province,Ninh Bình,Tỉnh Ninh Bình\n14329,37,commune,Hoa Lư,Phường Hoa Lư\n"), 0o600)
	cal := filepath.Join(dir, "lich-2027.txt")
	os.WriteFile(cal, []byte("homthu-workdays 1\nyear 2027\nsource Thông báo (kiểm thử)\nholiday 2027-01-01 Tết Dương lịch\n"), 0o600)
	badCal := filepath.Join(dir, "lich-sai.txt")
	os.WriteFile(badCal, []byte("homthu-workdays 1\nyear 2027\nholiday 2027-01-01 Tết Dương lịch\n"), 0o600)
	bad := filepath.Join(dir, "bad.csv")
	os.WriteFile(bad, []byte("code,parent_code,kind,name,full_name\n14329,99,commune,Hoa Lư,Phường Hoa Lư\n"), 0o600)

	for _, tt := range []struct {
		stdin    string
		args     []string
		code     int
		lastLine string // expected last line of stdout, if set
		contains string
	}{
		{"", []string{"--help"}, 0, "", "homthu"},
		{"", []string{"nope"}, 2, "", ""},
		{"", []string{"migrate", data}, 0, "", "phiên bản mới nhất"},
		{"", []string{"migrate", "--help"}, 0, "", ""},
		{"", []string{"units", "import", csv, data}, 0, "", "Đã nhập 2 đơn vị"},
		{"", []string{"units", "import", bad, data}, 1, "", ""},
		{"", []string{"units", "add", "--parent", "14329", "--kind", "area", "--name", "Tổ dân phố 1", data}, 0, "14329-001", ""},
		{"", []string{"units", "add", "--parent", "14329", "--kind", "area", "--name", "Tổ dân phố 2", data}, 0, "14329-002", ""},
		{"", []string{"units", "add", "--parent", "37", "--kind", "area", "--name", "Thôn X", data}, 1, "", ""},
		{"", []string{"units", "add", "--parent", "14329", data}, 2, "", ""},
		{"mat-khau-rat-dai-1\n", []string{"user", "add", "--username", "hoalu", "--role", "front", "--unit", "14329", "--password-stdin", data}, 0, "", "hoalu"},
		{"", []string{"user", "add", "--username", "tinh", "--role", "front", "--unit", "37", data}, 0, "", "Mật khẩu: "},
		{"", []string{"user", "add", "--username", "tinh2", "--role", "front", "--unit", "37", "--totp", data}, 0, "", "otpauth://totp/"},
		{"", []string{"user", "add", "--username", "x", "--role", "king", "--unit", "37", data}, 1, "", ""},
		{"", []string{"user", "add", "--username", "hoalu", "--role", "front", "--unit", "37", data}, 1, "", ""},
		{"short\n", []string{"user", "add", "--username", "y", "--role", "front", "--unit", "37", "--password-stdin", data}, 1, "", ""},
		{"", []string{"user", "add", "--username", "bct", "--role", "committee", "--unit", "14329-001", "--email", "bct@example.vn", data}, 0, "", "bct"},
		{"", []string{"user", "add", "--username", "z", "--role", "front", "--unit", "37", "--email", "không phải", data}, 1, "", ""},
		{"", []string{"workdays", "show", data}, 0, "", "2025  17 ngày  đầy đủ"},
		{"", []string{"workdays", "add", "2025-04-29", "1", data}, 0, "2025-05-05", ""},
		{"", []string{"workdays", "add", "2025-05-05", "-2", data}, 0, "2025-04-28", ""},
		{"", []string{"workdays", "add", "2025-04-31", "1", data}, 1, "", ""},
		{"", []string{"workdays", "load", badCal, data}, 1, "", ""},
		{"", []string{"workdays", "add", "2026-12-31", "1", data}, 0, "2027-01-01", ""},
		{"", []string{"workdays", "load", cal, data}, 0, "", "Đã nạp lịch ngày làm việc năm 2027"},
		{"", []string{"workdays", "add", "2026-12-31", "1", data}, 0, "2027-01-04", ""},
		{"", []string{"workdays", "show", "2027", data}, 0, "2027-01-01  holiday  Tết Dương lịch", ""},
		{"", []string{"workdays", "export", data}, 0, "", "holiday 2027-01-01 Tết Dương lịch"},
		{"", []string{"workdays", "nope", data}, 2, "", ""},
	} {
		code, out, errs := run(t, tt.stdin, tt.args...)
		if code != tt.code {
			t.Errorf("homthu %v = exit %d, want %d\nstdout: %s\nstderr: %s", tt.args, code, tt.code, out, errs)
			continue
		}
		lines := strings.Split(strings.TrimSpace(out), "\n")
		if tt.lastLine != "" && lines[len(lines)-1] != tt.lastLine {
			t.Errorf("homthu %v: last line %q, want %q", tt.args, lines[len(lines)-1], tt.lastLine)
		}
		if tt.contains != "" && !strings.Contains(out, tt.contains) {
			t.Errorf("homthu %v: output %q lacks %q", tt.args, out, tt.contains)
		}
	}
}

func TestDemoTwiceAndKeyRotation(t *testing.T) {
	dir := t.TempDir()
	code, out, errs := run(t, "", "demo", "--data", dir)
	if code != 0 || !strings.Contains(out, "129 xã, phường") || !strings.Contains(out, "mttq.hoalu") {
		t.Fatalf("demo = %d\n%s\n%s", code, out, errs)
	}
	code, out2, _ := run(t, "", "demo", "--data", dir)
	if code != 0 || !strings.Contains(out2, "không nạp lại") || !strings.Contains(out2, "mttq.hoalu") {
		t.Fatalf("second demo = %d\n%s", code, out2)
	}
	ctx := context.Background()
	c := &Config{Data: dir}
	s, err := openStore(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	// The 42 sample items, and the paper letters of the demo's openings.
	var items []*homthu.Item
	for _, st := range []homthu.Status{"", homthu.StatusSpam} {
		for cursor := "start"; cursor != ""; {
			if cursor == "start" {
				cursor = ""
			}
			page, next, err := s.ListItems(ctx, homthu.ItemFilter{Scope: "37", Status: st, Limit: 100, Cursor: cursor})
			if err != nil {
				t.Fatal(err)
			}
			items, cursor = append(items, page...), next
		}
	}
	m := regexp.MustCompile(`(\d+) lần mở hòm thư với (\d+) thư giấy`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("demo output says nothing of the openings:\n%s", out)
	}
	letters, _ := strconv.Atoi(m[2])
	if opened, _ := strconv.Atoi(m[1]); opened < 1000 || letters < 100 {
		t.Errorf("demo recorded %d openings with %d letters; want a year of openings for hundreds of areas", opened, letters)
	}
	// The Front's records (issue 10): most communes signed, activities over the year, pilots.
	year := time.Now().In(homthu.VNTime).Year()
	from, to := fmt.Sprintf("%d-01-01", year-1), fmt.Sprintf("%d-12-31", year)
	signed, total, err := s.SignedRatio(ctx, "37", homthu.KindCommune, from, to)
	if err != nil || total < 100 || signed < total*8/10 || signed == total {
		t.Errorf("demo: %d/%d communes signed a programme (%v); want most, not all", signed, total, err)
	}
	recs, err := s.RecordCounts(ctx, "37", from, to)
	if err != nil {
		t.Fatal(err)
	}
	acts, pilots := 0, 0
	for _, r := range recs {
		for _, n := range r.Activities {
			acts += n
		}
		if r.Pilot {
			pilots++
		}
	}
	if acts < 200 || pilots != 3 {
		t.Errorf("demo: %d activities, %d pilots; want 200+ and 3", acts, pilots)
	}
	if len(items) != 42+letters {
		t.Errorf("demo twice left %d items, want 42 and %d paper letters", len(items), letters)
	}
	seen := map[homthu.Status]bool{}
	for _, it := range items {
		seen[it.Status] = true
	}
	if len(seen) != len(homthu.Statuses) {
		t.Errorf("demo statuses %v, want every status", seen)
	}
	s.Close()

	code, out, errs = run(t, "", "keys", "rotate", "--data", dir)
	if code != 0 {
		t.Fatalf("keys rotate = %d %s %s", code, out, errs)
	}
	s, _ = openStore(ctx, c)
	defer s.Close()
	keys, err := loadKeys(ctx, c, s)
	if err != nil {
		t.Fatalf("loadKeys after rotation: %v", err)
	}
	// Every sealed value opens, and only under the new key.
	only := *keys
	only.OldIdentity = nil
	n, err := s.Reseal(ctx, func(sealed, ad []byte) ([]byte, error) {
		if _, err := only.Open(sealed, ad); err != nil {
			t.Errorf("value not under the new key after rotation: %v", err)
		}
		return sealed, nil
	})
	if err != nil || n == 0 {
		t.Errorf("Reseal check = %d, %v", n, err)
	}
}
