// Command mkunits writes the national unit list that package units ships,
// in the import format described in docs/units-csv.md.
//
// It is run by "go generate ./internal/units" and reads the public data set
// in ../shared/data/vn-admin-units (see its README.md):
//
//   - two-level-2026: the current 34 provinces and 3,321 communes, with
//     their names and codes;
//   - two-level-2025-07: the same units as first published on 1 July 2025,
//     to record the names that changed on 30 April 2026 (Tỉnh Đồng Nai →
//     Thành phố Đồng Nai, ten Xã → Phường, one spelling correction);
//   - mapping-2025-07: which pre-reform provinces and communes became part
//     of which new ones (province_merges.csv, commune_merges.csv);
//   - three-level-2025-03: the official pre-reform names of those old
//     communes, their districts and provinces.
//
// Units are matched by code, never by name: 192 names differ between the
// releases only in where the tone mark sits ("Hòa"/"Hoà"). The few places
// where the mapping's codes or names disagree with the official lists are
// corrected here, each with a check that the correction is still needed and
// still right, and reported on standard error.
//
// Usage:
//
//	mkunits -data DIR -out FILE
//
// A FILE ending in .gz is written gzip-compressed, which package units reads
// as it reads plain CSV.
package main

import (
	"bytes"
	"cmp"
	"compress/gzip"
	"encoding/csv"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"homthu/internal/vntext"
)

// The days after which the old names stopped being official. Dates in the
// import format are calendar days in Vietnam.
const (
	// reformDay is when the two-level local government took effect
	// (Resolution 202/2025/QH15 and the 34 resolutions of the Standing
	// Committee of the National Assembly on the 2025 commune arrangement).
	reformDay = "2025-07-01"
	// renameDay is when the 2026 changes in two-level-2026 took effect
	// (30/2026/QH16 and 237/NQ-UBTVQH16, per the data set's README).
	renameDay = "2026-04-30"
)

// mappingCodeFixes returns the corrections of new-commune codes in the
// dvhcvn mapping that are not the official ones: the mapping gives Xã Ba Chẽ
// (Quảng Ninh) the code of the old Thị trấn Ba Chẽ, and Xã Ia Mơ (Gia Lai)
// the code of the old Xã Ia Mơ Nông. The official list has 06978 and 23938.
func mappingCodeFixes() map[string]string {
	return map[string]string{
		"06970": "06978",
		"23737": "23938",
	}
}

func main() {
	data := flag.String("data", "", "directory of the vn-admin-units data set")
	out := flag.String("out", "vn-2026.csv.gz", "file to write; gzip-compressed if it ends in .gz")
	flag.Parse()
	if *data == "" || flag.NArg() > 0 {
		fmt.Fprintln(os.Stderr, "usage: mkunits -data DIR -out FILE")
		os.Exit(2)
	}
	if err := run(*data, *out, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "mkunits:", err)
		os.Exit(1)
	}
}

// unit is a current province or commune.
type unit struct {
	code, parent, kind, name, fullName string
	formers                            []former
}

// former is a name that led to a unit before a merger or rename.
type former struct {
	code, fullName, parent, until string
}

// oldUnit is a pre-reform province, district or commune.
type oldUnit struct {
	code, parent, fullName string
}

func run(dir, out string, log io.Writer) error {
	provinces, err := readCurrent(filepath.Join(dir, "two-level-2026", "provinces.csv"), "province")
	if err != nil {
		return err
	}
	communes, err := readCurrent(filepath.Join(dir, "two-level-2026", "communes.csv"), "commune")
	if err != nil {
		return err
	}
	current := map[string]*unit{}
	for _, u := range append(slices.Clone(provinces), communes...) {
		if current[u.code] != nil {
			return fmt.Errorf("two-level-2026: code %s appears twice", u.code)
		}
		current[u.code] = u
	}
	for _, c := range communes {
		if p := current[c.parent]; p == nil || p.kind != "province" {
			return fmt.Errorf("two-level-2026: commune %s: no province %s", c.code, c.parent)
		}
	}

	old, err := readOld(filepath.Join(dir, "three-level-2025-03"))
	if err != nil {
		return err
	}
	first, err := readFirstRelease(filepath.Join(dir, "two-level-2025-07"))
	if err != nil {
		return err
	}
	if err := addProvinceMerges(filepath.Join(dir, "mapping-2025-07", "province_merges.csv"), current, old); err != nil {
		return err
	}
	if err := addCommuneMerges(filepath.Join(dir, "mapping-2025-07", "commune_merges.csv"), current, first, old, log); err != nil {
		return err
	}
	if err := addRenames(current, first, log); err != nil {
		return err
	}

	for _, u := range current {
		u.formers = dedupe(u.formers)
	}
	slices.SortFunc(provinces, func(a, b *unit) int { return cmp.Compare(a.code, b.code) })
	slices.SortFunc(communes, func(a, b *unit) int {
		return cmp.Or(cmp.Compare(a.parent, b.parent), cmp.Compare(a.code, b.code))
	})
	var buf bytes.Buffer
	if err := write(&buf, append(provinces, communes...)); err != nil {
		return err
	}
	plain := buf.Len()
	if strings.HasSuffix(out, ".gz") {
		var z bytes.Buffer
		zw, err := gzip.NewWriterLevel(&z, gzip.BestCompression)
		if err != nil {
			return err
		}
		if _, err := zw.Write(buf.Bytes()); err != nil {
			return err
		}
		if err := zw.Close(); err != nil {
			return err
		}
		buf = z
	}
	if err := os.WriteFile(out, buf.Bytes(), 0o644); err != nil {
		return err
	}
	n := 0
	for _, u := range current {
		n += len(u.formers)
	}
	fmt.Fprintf(log, "mkunits: wrote %s: %d provinces, %d communes, %d former names, %d bytes of CSV, %d in the file\n",
		out, len(provinces), len(communes), n, plain, buf.Len())
	return nil
}

// readCurrent reads a two-level provinces.csv or communes.csv.
func readCurrent(path, kind string) ([]*unit, error) {
	rows, err := readCSV(path, "code", "name", "full_name")
	if err != nil {
		return nil, err
	}
	var out []*unit
	for _, r := range rows {
		out = append(out, &unit{
			code:     r["code"],
			parent:   r["province_code"], // absent (empty) in provinces.csv
			kind:     kind,
			name:     clean(r["name"]),
			fullName: capitalize(clean(r["full_name"])),
		})
	}
	return out, nil
}

// readOld reads the pre-reform three-level list into one map from code to
// unit: provinces have 2-digit codes, districts 3, communes 5, so the codes
// do not collide.
func readOld(dir string) (map[string]oldUnit, error) {
	old := map[string]oldUnit{}
	for _, f := range []struct{ file, parentCol string }{
		{"provinces.csv", "code"}, // no parent; a column that exists
		{"districts.csv", "province_code"},
		{"communes.csv", "district_code"},
	} {
		rows, err := readCSV(filepath.Join(dir, f.file), "code", f.parentCol, "full_name")
		if err != nil {
			return nil, err
		}
		for _, r := range rows {
			o := oldUnit{code: r["code"], parent: r[f.parentCol], fullName: capitalize(clean(r["full_name"]))}
			if f.parentCol == "code" {
				o.parent = ""
			}
			old[o.code] = o
		}
	}
	return old, nil
}

// readFirstRelease reads the list as published on 1 July 2025, by code.
func readFirstRelease(dir string) (map[string]*unit, error) {
	first := map[string]*unit{}
	for _, f := range []struct{ file, kind string }{{"provinces.csv", "province"}, {"communes.csv", "commune"}} {
		us, err := readCurrent(filepath.Join(dir, f.file), f.kind)
		if err != nil {
			return nil, err
		}
		for _, u := range us {
			first[u.code] = u
		}
	}
	return first, nil
}

// addProvinceMerges gives every current province the old provinces it was
// formed from, itself included: "Tỉnh Ninh Bình" is a former name of today's
// Tỉnh Ninh Bình as much as "Tỉnh Hà Nam" is, and each carries its old code.
func addProvinceMerges(path string, current map[string]*unit, old map[string]oldUnit) error {
	rows, err := readCSV(path, "new_code", "old_code", "old_full_name")
	if err != nil {
		return err
	}
	for _, r := range rows {
		u := current[r["new_code"]]
		o, ok := old[r["old_code"]]
		if u == nil || u.kind != "province" || !ok || len(o.code) != 2 {
			return fmt.Errorf("%s: province %s → %s: unknown code", path, r["old_code"], r["new_code"])
		}
		if vntext.Fold(o.fullName) != vntext.Fold(r["old_full_name"]) {
			return fmt.Errorf("%s: province %s is %q in the mapping but %q in the official list", path, o.code, r["old_full_name"], o.fullName)
		}
		u.formers = append(u.formers, former{code: o.code, fullName: o.fullName, until: reformDay})
	}
	return nil
}

// addCommuneMerges gives every current commune the old communes (and, for
// the five island districts that became đặc khu, the old districts) merged
// into it, fully or in part. An old commune split between several new ones
// is a former name of each.
func addCommuneMerges(path string, current, first map[string]*unit, old map[string]oldUnit, log io.Writer) error {
	rows, err := readCSV(path, "new_province_code", "new_code", "new_full_name", "old_code", "old_full_name")
	if err != nil {
		return err
	}
	provinceOf, err := newProvinces(current)
	if err != nil {
		return err
	}
	oldCommunes := sortedCodes(old, 5)
	fixes := mappingCodeFixes()
	misspelt := map[string]bool{}
	for _, fix := range slices.Sorted(maps.Keys(fixes)) {
		official := fixes[fix]
		if current[fix] != nil || current[official] == nil {
			return fmt.Errorf("%s: code fix %s → %s no longer applies", path, fix, official)
		}
		for _, r := range rows {
			if r["new_code"] == official {
				return fmt.Errorf("%s: code fix %s → %s: the mapping now has %s", path, fix, official, official)
			}
		}
		fmt.Fprintf(log, "mkunits: mapping code %s for %s read as the official %s\n", fix, current[official].fullName, official)
	}
	for _, r := range rows {
		code := r["new_code"]
		if fixed, ok := fixes[code]; ok {
			code = fixed
		}
		u, f := current[code], first[code]
		if u == nil || u.kind != "commune" || f == nil {
			return fmt.Errorf("%s: new commune %s is in no official list", path, r["new_code"])
		}
		if u.parent != r["new_province_code"] {
			return fmt.Errorf("%s: commune %s is in province %s, the mapping says %s", path, code, u.parent, r["new_province_code"])
		}
		// The mapping names the units of 1 July 2025.
		if vntext.Fold(f.fullName) != vntext.Fold(r["new_full_name"]) {
			return fmt.Errorf("%s: commune %s is %q, the mapping says %q", path, code, f.fullName, r["new_full_name"])
		}
		fm, province, err := oldFormer(r["old_code"], r["old_full_name"], old, oldCommunes)
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		if vntext.Fold(fm.fullName) != vntext.Fold(r["old_full_name"]) && !misspelt[fm.code] {
			misspelt[fm.code] = true
			fmt.Fprintf(log, "mkunits: old unit %s: official name %q used, not the mapping's %q\n", fm.code, fm.fullName, r["old_full_name"])
		}
		if province != "" && provinceOf[province] != u.parent {
			fmt.Fprintf(log, "mkunits: dropped %s %s (%s) → %s %s: its province became %s, not %s\n",
				fm.code, fm.fullName, fm.parent, u.code, u.fullName, provinceOf[province], u.parent)
			continue
		}
		u.formers = append(u.formers, fm)
	}
	return nil
}

// oldFormer returns the former name of an old commune or district with its
// old district and province, and the code of its old province.
//
// Twelve communes of the mapping are not in the list of 1 March 2025 (they
// had been merged shortly before); their official name is unknown here, so
// the mapping's is used, with the old province their code falls in: GSO
// allocates commune codes in blocks per province, and the generator checks
// that the codes on both sides belong to the same one.
func oldFormer(code, mappingName string, old map[string]oldUnit, oldCommunes []string) (former, string, error) {
	o, ok := old[code]
	switch {
	case ok && len(code) == 5: // commune: district, province
		d, p := old[o.parent], old[old[o.parent].parent]
		if d.code == "" || p.code == "" {
			return former{}, "", fmt.Errorf("old commune %s: no district or province", code)
		}
		return former{code: code, fullName: o.fullName, parent: d.fullName + ", " + p.fullName, until: reformDay}, p.code, nil
	case ok && len(code) == 3: // island district that became a đặc khu
		p := old[o.parent]
		if p.code == "" {
			return former{}, "", fmt.Errorf("old district %s: no province", code)
		}
		return former{code: code, fullName: o.fullName, parent: p.fullName, until: reformDay}, p.code, nil
	case len(code) == 5:
		i, _ := slices.BinarySearch(oldCommunes, code)
		if i == 0 || i == len(oldCommunes) {
			return former{}, "", fmt.Errorf("old commune %s: code outside the old list", code)
		}
		below, above := old[oldCommunes[i-1]], old[oldCommunes[i]]
		pb, pa := old[below.parent].parent, old[above.parent].parent
		if pb != pa {
			return former{}, "", fmt.Errorf("old commune %s: between provinces %s and %s", code, pb, pa)
		}
		return former{code: code, fullName: capitalize(clean(mappingName)), parent: old[pb].fullName, until: reformDay}, pb, nil
	}
	return former{}, "", fmt.Errorf("old unit %s: unknown code", code)
}

// newProvinces maps each old province code to the code of the province it
// became part of. Every old province went whole into one new province
// (Resolution 202/2025/QH15), so the map is a function.
func newProvinces(current map[string]*unit) (map[string]string, error) {
	m := map[string]string{}
	for _, u := range current {
		if u.kind != "province" {
			continue
		}
		for _, f := range u.formers {
			if prev, ok := m[f.code]; ok && prev != u.code {
				return nil, fmt.Errorf("old province %s went to both %s and %s", f.code, prev, u.code)
			}
			m[f.code] = u.code
		}
	}
	return m, nil
}

// addRenames records the names that changed between the list of 1 July 2025
// and the current one as former names. Changes of tone-mark placement alone
// are not renames (they fold to the same search key) and are skipped.
func addRenames(current, first map[string]*unit, log io.Writer) error {
	for _, code := range slices.Sorted(maps.Keys(first)) {
		f, u := first[code], current[code]
		if u == nil {
			return fmt.Errorf("two-level-2025-07: %s %s is not in two-level-2026", code, f.fullName)
		}
		if vntext.Fold(u.fullName) == vntext.Fold(f.fullName) {
			continue
		}
		parent := ""
		if u.kind == "commune" {
			parent = first[f.parent].fullName
		}
		u.formers = append(u.formers, former{code: code, fullName: f.fullName, parent: parent, until: renameDay})
		fmt.Fprintf(log, "mkunits: %s renamed %q → %q on %s\n", code, f.fullName, u.fullName, renameDay)
	}
	return nil
}

// dedupe sorts formers by old code and name and merges those with the same
// code and name (Tỉnh Đồng Nai was a name both before the 2025 merger and
// until the 2026 rename), keeping the later date.
func dedupe(fs []former) []former {
	slices.SortFunc(fs, func(a, b former) int {
		return cmp.Or(cmp.Compare(a.code, b.code), cmp.Compare(a.fullName, b.fullName), cmp.Compare(b.until, a.until))
	})
	return slices.CompactFunc(fs, func(a, b former) bool { return a.code == b.code && a.fullName == b.fullName })
}

// write writes the units, each followed by its former names, in the import
// format of package units.
func write(w io.Writer, units []*unit) error {
	cw := csv.NewWriter(w)
	rows := [][]string{{"code", "parent_code", "kind", "name", "full_name", "valid_to", "successor", "former_of", "former_parent"}}
	for _, u := range units {
		rows = append(rows, []string{u.code, u.parent, u.kind, u.name, u.fullName, "", "", "", ""})
		for _, f := range u.formers {
			rows = append(rows, []string{f.code, "", "", "", f.fullName, f.until, "", u.code, f.parent})
		}
	}
	if err := cw.WriteAll(rows); err != nil {
		return fmt.Errorf("write: %w", err)
	}
	return nil
}

// readCSV reads a CSV file with a header row into maps from column name to
// value. Every column named in cols must exist; others may (a missing column
// reads as "").
func readCSV(path string, cols ...string) ([]map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(recs) == 0 {
		return nil, fmt.Errorf("%s: empty", path)
	}
	header := recs[0]
	for _, c := range cols {
		if !slices.Contains(header, c) {
			return nil, fmt.Errorf("%s: no column %q", path, c)
		}
	}
	var out []map[string]string
	for i, rec := range recs[1:] {
		m := map[string]string{}
		for j, h := range header {
			if !utf8.ValidString(rec[j]) {
				return nil, fmt.Errorf("%s:%d: invalid UTF-8", path, i+2)
			}
			m[h] = rec[j]
		}
		out = append(out, m)
	}
	return out, nil
}

// sortedCodes returns the sorted codes of the given length.
func sortedCodes(old map[string]oldUnit, n int) []string {
	var out []string
	for c := range old {
		if len(c) == n {
			out = append(out, c)
		}
	}
	slices.Sort(out)
	return out
}

// clean returns s in NFC with runs of white space made one space and trimmed:
// the mapping has names like "Xã  Hoàng Văn Thụ" and "Xã Ngư Thủy ".
func clean(s string) string {
	return strings.Join(strings.Fields(vntext.NFC(s)), " ")
}

// capitalize upper-cases the first letter of a full name; the 2026 list has
// one slip, "xã Bắc Sơn" (06325).
func capitalize(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError || unicode.IsUpper(r) {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}
