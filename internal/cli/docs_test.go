package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestDocsImport(t *testing.T) {
	dir := t.TempDir()
	data := "--data=" + dir
	docs := filepath.Join(dir, "vb")
	os.MkdirAll(filepath.Join(docs, "con"), 0o755)
	os.WriteFile(filepath.Join(docs, "124.txt"), []byte("BAN BÍ THƯ\n\nĐẢNG CỘNG SẢN VIỆT NAM\n\nSố 124-QĐ/TW\n\nHà Nội, ngày 2 tháng 2 năm 2018\n\nQUY ĐỊNH\n\nVỀ GIÁM SÁT CỦA MẶT TRẬN TỔ QUỐC\n\nNội dung.\n"), 0o600)
	// A law in TCVN3 bytes, in a subfolder.
	os.WriteFile(filepath.Join(docs, "con", "tcvn3.txt"), []byte("Qu\xe8c h\xe9i\n\nS\xe8: 9/2099/QH99\n\nLu\xcbt th\xf6 nghi\xd6m\n\nC\xe9ng ho\xb5 x\xb7 h\xe9i ch\xf1 ngh\xdca Vi\xd6t Nam\n"), 0o600)
	os.WriteFile(filepath.Join(docs, "anh.png"), []byte("not a document"), 0o600)
	os.WriteFile(filepath.Join(dir, "rong.txt"), []byte("   \n"), 0o600)

	code, out, errs := run(t, "", "docs", "import", docs, data)
	if code != 0 || !strings.Contains(out, "Quy định 124-QĐ/TW (BAN BÍ THƯ, 2018-02-02)") || !strings.Contains(out, "chuyển từ mã TCVN3") ||
		!strings.Contains(out, "Đã nhập 2 văn bản; 0 đã có từ trước; 0 tệp lỗi.") {
		t.Fatalf("docs import = %d\n%s\n%s", code, out, errs)
	}
	code, out, _ = run(t, "", "docs", "import", filepath.Join(docs, "124.txt"), data)
	if code != 0 || !strings.Contains(out, "đã có") {
		t.Errorf("docs import again = %d\n%s", code, out)
	}
	code, _, errs = run(t, "", "docs", "import", filepath.Join(dir, "rong.txt"), data)
	if code != 1 || !strings.Contains(errs, "không có chữ nào") {
		t.Errorf("docs import of an empty file = %d, %q", code, errs)
	}
	if code, _, _ := run(t, "", "docs", data); code != 2 {
		t.Errorf("docs without import = %d, want 2", code)
	}
}
