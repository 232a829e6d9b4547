package backup

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"testing"
)

type entry struct {
	name string
	data string
}

// build writes entries as an archive, as Create lays them out.
func build(t testing.TB, entries ...entry) []byte {
	t.Helper()
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	for _, e := range entries {
		if err := tw.WriteHeader(&tar.Header{Typeflag: tar.TypeReg, Name: e.name, Size: int64(len(e.data)), Mode: 0o600}); err != nil {
			t.Fatal(err)
		}
		tw.Write([]byte(e.data))
	}
	tw.Close()
	gz.Close()
	return buf.Bytes()
}

func hexSum(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// valid returns the entries of a small, correct archive: one blob, a table
// in two chunks, an empty table, and the manifest.
func valid(t testing.TB) []entry {
	blob := "ảnh"
	h := hexSum(blob)
	a, b := "[\"37\",\"Ninh Bình\"]\n", "[\"01\",\"Hà Nội\"]\n"
	m := Manifest{Format: Format, SchemaVersion: 3, Engine: "sqlite",
		Tables: []Table{
			{Name: "units", Columns: []string{"code", "name"}, Rows: 2, SHA256: hexSum(a + b)},
			{Name: "items", Columns: []string{"id"}, Rows: 0, SHA256: hexSum("")},
		},
		Blobs: Blobs{Count: 1, Bytes: int64(len(blob))}}
	raw, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return []entry{
		{"blobs/" + h[:2] + "/" + h, blob},
		{"tables/units/000000.jsonl", a},
		{"tables/units/000001.jsonl", b},
		{"tables/items/000000.jsonl", ""},
		{"manifest.json", string(raw)},
	}
}

func TestVerifyLayout(t *testing.T) {
	ok := valid(t)
	if m, err := Verify(bytes.NewReader(build(t, ok...)), ""); err != nil || m.Rows() != 2 {
		t.Fatalf("Verify(valid archive) = %v, %v", m, err)
	}
	with := func(i int, e entry) []entry {
		out := append([]entry(nil), ok...)
		out[i] = e
		return out
	}
	without := func(i int) []entry { return append(append([]entry(nil), ok[:i]...), ok[i+1:]...) }
	swap := func(i, j int) []entry {
		out := append([]entry(nil), ok...)
		out[i], out[j] = out[j], out[i]
		return out
	}
	for _, tt := range []struct {
		name    string
		entries []entry
	}{
		{"blob content changed", with(0, entry{ok[0].name, "ảnh khác"})},
		{"blob in the wrong fan-out", with(0, entry{"blobs/00/" + hexSum("ảnh"), "ảnh"})},
		{"path traversal", with(0, entry{"../../etc/passwd", "x"})},
		{"row changed", with(1, entry{ok[1].name, "[\"37\",\"Ninh Binh\"]\n"})},
		{"chunk missing", without(2)},
		{"chunks swapped", swap(1, 2)},
		{"tables swapped", append(append([]entry{ok[0], ok[3]}, ok[1:3]...), ok[4])},
		{"blob after tables", append(append([]entry(nil), ok[1:4]...), ok[0], ok[4])},
		{"table missing", without(3)},
		{"no manifest", without(4)},
		{"entry after manifest", append(append([]entry(nil), ok...), entry{"tables/x/000000.jsonl", ""})},
		{"stranger", append([]entry{{"README", "x"}}, ok...)},
		{"key in clear out of the manifest", append(append([]entry(nil), ok[:4]...), entry{"keys/receipt.key", "k"}, ok[4])},
	} {
		if _, err := Verify(bytes.NewReader(build(t, tt.entries...)), ""); !errors.Is(err, ErrDamaged) {
			t.Errorf("Verify(%s) = %v, want ErrDamaged", tt.name, err)
		}
	}
	m := valid(t)
	var man Manifest
	json.Unmarshal([]byte(m[4].data), &man)
	man.Format = "homthu-backup/99"
	raw, _ := json.Marshal(man)
	m[4].data = string(raw)
	if _, err := Verify(bytes.NewReader(build(t, m...)), ""); err == nil || errors.Is(err, ErrDamaged) {
		t.Errorf("Verify(format 99) = %v, want a refusal of the format", err)
	}
}

// FuzzVerify: no input makes Verify panic, and whatever it accepts is
// consistent with its own manifest (Verify's checks), so only refusals
// need classifying.
func FuzzVerify(f *testing.F) {
	f.Add(build(f, valid(f)...))
	f.Add([]byte{0x1f, 0x8b})
	f.Fuzz(func(t *testing.T, in []byte) {
		if bytes.HasPrefix(in, []byte(magic)) {
			return // FuzzDecrypt's ground
		}
		m, err := Verify(bytes.NewReader(in), "")
		if err == nil && m.Format != Format {
			t.Errorf("Verify accepted format %q", m.Format)
		}
	})
}
