package main

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// dataDir is the data set, beside the repository (../shared in the layout
// the project is developed in); it is not part of the repository.
const dataDir = "../../../../../shared/data/vn-admin-units"

// TestShippedListIsFresh regenerates the national list and compares it with
// the committed one, so that a change to the generator is not forgotten in
// the file. It needs the source data, which only the generator needs.
func TestShippedListIsFresh(t *testing.T) {
	if _, err := os.Stat(filepath.Join(dataDir, "README.md")); err != nil {
		t.Skipf("source data not found beside the repository (%v); the shipped list is checked by package units", err)
	}
	out := filepath.Join(t.TempDir(), "vn-2026.csv.gz")
	var log strings.Builder
	if err := run(dataDir, out, &log); err != nil {
		t.Fatalf("run: %v\n%s", err, log.String())
	}
	got, want := gunzip(t, out), gunzip(t, "../../vn-2026.csv.gz")
	if !bytes.Equal(got, want) {
		t.Errorf("go generate ./internal/units would change vn-2026.csv.gz (%d bytes of CSV, committed %d): run it and commit the result", len(got), len(want))
	}
	for _, note := range []string{
		"mapping code 06970 for Xã Ba Chẽ read as the official 06978",
		"mapping code 23737 for Xã Ia Mơ read as the official 23938",
		"dropped 30622 Xã Tân Phú (Huyện Châu Thành, Tỉnh An Giang) → 30259 Xã Tân Phú Trung",
	} {
		if !strings.Contains(log.String(), note) {
			t.Errorf("run did not report %q; it said:\n%s", note, log.String())
		}
	}
}

func gunzip(t *testing.T, path string) []byte {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return b
}

func TestCapitalize(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"xã Bắc Sơn", "Xã Bắc Sơn"},
		{"đặc khu Côn Đảo", "Đặc khu Côn Đảo"},
		{"Phường Hoa Lư", "Phường Hoa Lư"},
		{"", ""},
	} {
		if got := capitalize(tt.in); got != tt.want {
			t.Errorf("capitalize(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestClean(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"Xã  Hoàng Văn Thụ", "Xã Hoàng Văn Thụ"},
		{"Xã Ngư Thủy ", "Xã Ngư Thủy"},
		{"Xa\u0303 Ba Che\u0303", "Xã Ba Chẽ"},
	} {
		if got := clean(tt.in); got != tt.want {
			t.Errorf("clean(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
