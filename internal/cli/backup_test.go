package cli_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"homthu/internal/cli"
	"homthu/internal/store"
	"homthu/internal/store/storetest"
)

type result struct {
	code           int
	stdout, stderr string
}

func run(stdin string, args ...string) result {
	var out, errOut bytes.Buffer
	code := cli.Run(context.Background(), args, strings.NewReader(stdin), &out, &errOut)
	return result{code, out.String(), errOut.String()}
}

// counts returns the row count of each core table of the database at url.
func counts(t *testing.T, url string) map[string]int64 {
	t.Helper()
	ctx := context.Background()
	s, err := store.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	out := map[string]int64{}
	for _, table := range []string{"units", "unit_formers", "items", "messages", "users", "audit", "settings", "log_pending"} {
		var n int64
		if err := s.DB().QueryRowContext(ctx, "SELECT COUNT(*) FROM "+table).Scan(&n); err != nil {
			t.Fatalf("count %s: %v", table, err)
		}
		out[table] = n
	}
	return out
}

func TestBackupRestoreCommands(t *testing.T) {
	t.Setenv("HOMTHU_BACKUP_PASSPHRASE", "")
	t.Setenv("HOMTHU_DATABASE_URL", "")
	src := t.TempDir()
	if r := run("", "demo", "--data", src); r.code != 0 {
		t.Fatalf("demo: exit %d\n%s", r.code, r.stderr)
	}
	want := counts(t, filepath.Join(src, "homthu.db"))
	if want["items"] == 0 || want["users"] == 0 {
		t.Fatalf("demo database has %v; want items and users", want)
	}
	dir := t.TempDir()
	enc := filepath.Join(dir, "homthu.bak")
	plain := filepath.Join(dir, "homthu-plain.tar.gz")
	const pass = "cụm mật khẩu sao lưu của tỉnh\n"
	fresh := func() string { return filepath.Join(t.TempDir(), "data") }

	// Backups.
	for _, tt := range []struct {
		name     string
		stdin    string
		args     []string
		code     int
		want     string // in stdout (exit 0) or stderr
		wantFile string
	}{
		{"help", "", []string{"backup", "--help"}, 0, "", ""}, // usage goes to stderr
		{"no --out", "", []string{"backup", "--data", src}, 2, "--out", ""},
		{"keys in clear", "", []string{"backup", "--out", enc, "--with-keys", "--data", src}, 1, "--encrypt", ""},
		{"short passphrase", "ngắn\n", []string{"backup", "--out", enc, "--encrypt", "--data", src}, 1, "ít nhất 12", ""},
		{"no database", "", []string{"backup", "--out", enc, "--data", fresh()}, 1, "Không có cơ sở dữ liệu", ""},
		{"encrypted", pass, []string{"backup", "--out", enc, "--encrypt", "--with-keys", "--data", src}, 0, "Có kèm", enc},
		{"plain", "", []string{"backup", "--data", src, "--out", plain}, 0, "Không kèm tệp khóa", plain},
	} {
		t.Run("backup/"+tt.name, func(t *testing.T) {
			r := run(tt.stdin, tt.args...)
			if r.code != tt.code {
				t.Fatalf("homthu %s: exit %d, want %d\nstdout: %s\nstderr: %s", strings.Join(tt.args, " "), r.code, tt.code, r.stdout, r.stderr)
			}
			if got := map[bool]string{true: r.stdout, false: r.stderr}[tt.code == 0]; !strings.Contains(got, tt.want) {
				t.Errorf("homthu %s printed %q, want it to mention %q", strings.Join(tt.args, " "), got, tt.want)
			}
			if tt.wantFile != "" {
				if fi, err := os.Stat(tt.wantFile); err != nil || fi.Mode().Perm() != 0o600 {
					t.Errorf("backup file %s: %v, %v; want mode 0600", tt.wantFile, fi, err)
				}
				t.Logf("%s", r.stdout)
			}
		})
	}

	archive, err := os.ReadFile(enc)
	if err != nil {
		t.Fatal(err)
	}
	truncated := filepath.Join(dir, "truncated.bak")
	if err := os.WriteFile(truncated, archive[:len(archive)*2/3], 0o600); err != nil {
		t.Fatal(err)
	}
	flipped := filepath.Join(dir, "flipped.bak")
	archive[len(archive)/2] ^= 0x04
	if err := os.WriteFile(flipped, archive, 0o600); err != nil {
		t.Fatal(err)
	}

	// Restores that must change nothing.
	for _, tt := range []struct {
		name  string
		stdin string
		file  string
		data  string
		code  int
		want  string
	}{
		{"no passphrase", "", enc, fresh(), 1, "Cần cụm mật khẩu"},
		{"wrong passphrase", "không phải mật khẩu\n", enc, fresh(), 1, "Sai cụm mật khẩu"},
		{"truncated", pass, truncated, fresh(), 1, "bị cắt cụt"},
		{"flipped byte", pass, flipped, fresh(), 1, "bị hỏng"},
		{"not empty", "", plain, src, 1, "đã có dữ liệu"},
	} {
		t.Run("restore/"+tt.name, func(t *testing.T) {
			r := run(tt.stdin, "restore", tt.file, "--data", tt.data)
			if r.code != tt.code || !strings.Contains(r.stderr, tt.want) || !strings.Contains(r.stderr, "Chưa có gì bị thay đổi") {
				t.Fatalf("homthu restore %s --data %s: exit %d, stderr %q; want exit %d mentioning %q and that nothing changed",
					tt.file, tt.data, r.code, r.stderr, tt.code, tt.want)
			}
			if tt.data != src {
				if entries, _ := os.ReadDir(tt.data); len(entries) > 0 {
					t.Errorf("a refused restore left %d entries in %s", len(entries), tt.data)
				}
			}
		})
	}
	for _, tt := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"restore", "--help"}, 0, "restore FILE"},
		{[]string{"restore", "--data", fresh()}, 2, "restore FILE"},
		{[]string{"restore", filepath.Join(dir, "không-có.bak"), "--data", fresh()}, 1, "Không mở được"},
		{[]string{"restore", plain, "thừa", "--data", fresh()}, 2, "restore FILE"},
	} {
		if r := run("", tt.args...); r.code != tt.code || !strings.Contains(r.stderr, tt.want) {
			t.Errorf("homthu %s: exit %d, stderr %q; want exit %d mentioning %q", strings.Join(tt.args, " "), r.code, r.stderr, tt.code, tt.want)
		}
	}
	if got := counts(t, filepath.Join(src, "homthu.db")); !equalCounts(got, want) {
		t.Errorf("source database changed by a refused restore: %v, want %v", got, want)
	}

	// Restores that succeed: the encrypted one with its keys, and the plain
	// one into each engine.
	dst := fresh()
	r := run(pass, "restore", enc, "--data", dst)
	if r.code != 0 || strings.Contains(r.stdout, "Chú ý") {
		t.Fatalf("restore: exit %d\nstdout: %s\nstderr: %s", r.code, r.stdout, r.stderr)
	}
	t.Logf("%s", r.stdout)
	if got := counts(t, filepath.Join(dst, "homthu.db")); !equalCounts(got, want) {
		t.Errorf("restored counts %v, want %v", got, want)
	}
	for _, k := range []string{"receipt.key", "identity.key"} {
		a, _ := os.ReadFile(filepath.Join(src, k))
		b, err := os.ReadFile(filepath.Join(dst, k))
		if err != nil || !bytes.Equal(a, b) {
			t.Errorf("restored %s differs from the original (%v)", k, err)
		}
	}
	if r := run(pass, "restore", enc, "--data", dst); r.code != 1 || !strings.Contains(r.stderr, "đã có dữ liệu") {
		t.Errorf("second restore into %s: exit %d, stderr %q; want a refusal", dst, r.code, r.stderr)
	}
	for _, engine := range storetest.Engines() {
		t.Run("plain/"+engine, func(t *testing.T) {
			data := fresh()
			args := []string{"restore", plain, "--data", data}
			url := filepath.Join(data, "homthu.db")
			if engine == "postgres" {
				url = storetest.URL(t, "postgres")
				args = append(args, "--database", url)
			}
			r := run("", args...)
			if r.code != 0 || !strings.Contains(r.stdout, "chưa có khóa receipt.key") {
				t.Fatalf("restore into %s: exit %d\nstdout: %s\nstderr: %s\nwant success and a reminder to copy the keys", engine, r.code, r.stdout, r.stderr)
			}
			if got := counts(t, url); !equalCounts(got, want) {
				t.Errorf("restored counts %v, want %v", got, want)
			}
		})
	}
}

func equalCounts(a, b map[string]int64) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}
