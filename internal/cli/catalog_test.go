package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCatalogCommands(t *testing.T) {
	dir := t.TempDir()
	data := "--data=" + dir
	file := filepath.Join(dir, "qd37.txt")

	// A fresh database has the shipped catalogues.
	code, out, errs := run(t, "", "catalog", "list", data)
	if code != 0 || !strings.Contains(out, "NQ4    phiên bản 1  27 mục đang dùng") || !strings.Contains(out, "QD37   phiên bản 1  19 mục") {
		t.Fatalf("catalog list = %d\n%s%s", code, out, errs)
	}
	// Export, add the official wording of Article 14, raise the version, load.
	if code, _, errs := run(t, "", "catalog", "export", "qd37", "--out", file, data); code != 0 {
		t.Fatalf("catalog export = %d: %s", code, errs)
	}
	b, _ := os.ReadFile(file)
	text := strings.Replace(string(b), "version 1", "version 2", 1)
	text = strings.Replace(text, "source Quy định 37-QĐ/TW, Điều 14\n", "source Quy định 37-QĐ/TW, Điều 14\nofficial\n    Nguyên văn điều 14.\n", 1)
	os.WriteFile(file, []byte(text), 0o600)

	for _, tt := range []struct {
		args     []string
		code     int
		contains string
	}{
		{[]string{"catalog"}, 2, ""},
		{[]string{"catalog", "--help"}, 0, "catalog load FILE"},
		{[]string{"catalog", "nope", data}, 2, ""},
		{[]string{"catalog", "show", "NQ4", data}, 0, "NQ4-27"},
		{[]string{"catalog", "show", "nq4-05", data}, 0, "Né tránh tự phê bình"},
		{[]string{"catalog", "show", "NQ4-99", data}, 1, ""},
		{[]string{"catalog", "load", file, "--dry-run", data}, 0, "Sửa 1 mục: QD37-14"},
		{[]string{"catalog", "show", "QD37-14", data}, 0, "phiên bản 1"}, // the dry run loaded nothing
		{[]string{"catalog", "load", file, data}, 0, "Đã nạp danh mục QD37 phiên bản 2"},
		{[]string{"catalog", "load", file, data}, 1, ""}, // version 2 is no longer the next
		{[]string{"catalog", "show", "QD37-14", data}, 0, "Nguyên văn điều 14."},
		{[]string{"catalog", "load", filepath.Join(dir, "none.txt"), data}, 1, ""},
		{[]string{"catalog", "retire", "QD37-07", data}, 1, ""}, // no reason
		{[]string{"catalog", "retire", "qd37-07", "--reason", "Thử bãi bỏ", data}, 0, "phiên bản 3"},
		{[]string{"catalog", "show", "QD37", data}, 0, "[đã bãi bỏ từ phiên bản 3]"},
		{[]string{"catalog", "list", data}, 0, "QD37   phiên bản 3  18 mục đang dùng, 1 đã bãi bỏ"},
		{[]string{"catalog", "export", "QD37", "--version", "1", data}, 0, "version 1"},
	} {
		code, out, errs := run(t, "", tt.args...)
		if code != tt.code || !strings.Contains(out, tt.contains) {
			t.Errorf("homthu %v = exit %d, want %d containing %q\nstdout: %s\nstderr: %s", tt.args, code, tt.code, tt.contains, out, errs)
		}
		if code == 1 && !strings.HasPrefix(errs, "homthu catalog: ") {
			t.Errorf("homthu %v: error %q, want a message", tt.args, errs)
		}
	}
	os.WriteFile(file, []byte("homthu-catalog 1\ncatalog QD37\nversion x\n"), 0o600)
	if code, _, errs := run(t, "", "catalog", "load", file, data); code != 1 || !strings.Contains(errs, "Dòng") {
		t.Errorf("catalog load (bad file) = %d, %q; want the line named", code, errs)
	}
}
