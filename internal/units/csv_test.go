package units

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"os"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"homthu/internal/homthu"
)

const header = "code,parent_code,kind,name,full_name,valid_to,successor,former_of,former_parent\n"

// day is a date of the format: midnight in Vietnam.
func day(y int, m time.Month, d int) time.Time {
	return time.Date(y, m, d, 0, 0, 0, 0, homthu.ReformDate.Location())
}

func TestParse(t *testing.T) {
	// Children before parents, a district, a merged-away area, a split
	// former name, CRLF, a BOM, NFD text and stray spaces.
	in := "\uFEFF" + strings.ReplaceAll(header+
		"14329-001,14329,area,Tổ dân phố 1,,,,,\n"+
		"14329-009,14329,area,Tổ dân phố  Bích Sơn , Tổ dân phố Bích Sơn,2026-01-01,14329-001,,\n"+
		"14329,37,commune,Hoa Lư,Phường Hoa Lư,,,,\n"+
		"14323,,,,Phường Tân Thành,2025-07-01,,14329,\"Thành phố Hoa Lư, Tỉnh Ninh Bình\"\n"+
		"14674,37,commune,Lai Thành,Xã Lai Thành,,,,\n"+
		"14323,,,,Phường Tân Thành,2025-07-01,,14674,\"Thành phố Hoa Lư, Tỉnh Ninh Bình\"\n"+
		"14563,373,commune,"+norm.NFD.String("Gia Hưng")+","+norm.NFD.String("Xã Gia Hưng")+",2025-07-01,,,\n"+
		"373,37,district,Gia Viễn,Huyện Gia Viễn,2025-07-01,,,\n"+
		"37,,province,Ninh Bình,Tỉnh Ninh Bình,,,,\n"+
		"35,,,,Tỉnh Hà Nam,2025-07-01,,37,\n", "\n", "\r\n")
	got, err := Parse(strings.NewReader(in))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	tanThanh := homthu.Former{Code: "14323", FullName: "Phường Tân Thành", Parent: "Thành phố Hoa Lư, Tỉnh Ninh Bình", Until: day(2025, 7, 1)}
	want := []homthu.UnitImport{
		{Unit: homthu.Unit{Code: "37", Kind: homthu.KindProvince, Name: "Ninh Bình", FullName: "Tỉnh Ninh Bình"},
			Formers: []homthu.Former{{Code: "35", FullName: "Tỉnh Hà Nam", Until: day(2025, 7, 1)}}},
		{Unit: homthu.Unit{Code: "373", Parent: "37", Kind: homthu.KindDistrict, Name: "Gia Viễn", FullName: "Huyện Gia Viễn", ValidTo: day(2025, 7, 1)}},
		{Unit: homthu.Unit{Code: "14329", Parent: "37", Kind: homthu.KindCommune, Name: "Hoa Lư", FullName: "Phường Hoa Lư"},
			Formers: []homthu.Former{tanThanh}},
		{Unit: homthu.Unit{Code: "14674", Parent: "37", Kind: homthu.KindCommune, Name: "Lai Thành", FullName: "Xã Lai Thành"},
			Formers: []homthu.Former{tanThanh}},
		{Unit: homthu.Unit{Code: "14563", Parent: "373", Kind: homthu.KindCommune, Name: "Gia Hưng", FullName: "Xã Gia Hưng", ValidTo: day(2025, 7, 1)}},
		{Unit: homthu.Unit{Code: "14329-001", Parent: "14329", Kind: homthu.KindArea, Name: "Tổ dân phố 1", FullName: "Tổ dân phố 1"}},
		{Unit: homthu.Unit{Code: "14329-009", Parent: "14329", Kind: homthu.KindArea, Name: "Tổ dân phố Bích Sơn", FullName: "Tổ dân phố Bích Sơn",
			ValidTo: day(2026, 1, 1), Successor: "14329-001"}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Parse =\n%+v\nwant\n%+v", got, want)
	}
}

func TestParseOptionalColumns(t *testing.T) {
	// Only the required columns, in another order, with a header in capitals.
	in := "Kind,Code,Name,Full_Name,Parent_Code\nprovince,37,Ninh Bình,Tỉnh Ninh Bình,\ncommune,14329,Hoa Lư,,37\n"
	got, err := Parse(strings.NewReader(in))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if len(got) != 2 || got[1].Unit.FullName != "Hoa Lư" || got[1].Unit.Parent != "37" {
		t.Errorf("Parse = %+v, want 2 units, the commune with full name %q", got, "Hoa Lư")
	}
}

func TestParseGzip(t *testing.T) {
	plain := header + "37,,province,Ninh Bình,Tỉnh Ninh Bình,,,,\n"
	var z bytes.Buffer
	zw := gzip.NewWriter(&z)
	zw.Write([]byte("\uFEFF" + plain))
	zw.Close()
	got, err := Parse(&z)
	if err != nil {
		t.Fatalf("Parse(gzip): %v", err)
	}
	want, _ := Parse(strings.NewReader(plain))
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Parse(gzip) = %+v, want %+v", got, want)
	}
	// Cut short: the whole file is refused, not what came before the cut.
	var big bytes.Buffer
	zw = gzip.NewWriter(&big)
	zw.Write([]byte(plain))
	zw.Close()
	if _, err := Parse(bytes.NewReader(big.Bytes()[:big.Len()-6])); homthu.ErrorCode(err) != homthu.EINVALID {
		t.Errorf("Parse(truncated gzip) error = %v, want code %s", err, homthu.EINVALID)
	}
}

// errLine returns the line number a Parse error names: N of "Dòng N: ...",
// 0 for a message about the whole file.
func errLine(t *testing.T, err error) int {
	t.Helper()
	var e *homthu.Error
	if !errors.As(err, &e) || e.Code != homthu.EINVALID {
		t.Fatalf("error %v is not a homthu.Error with code %s", err, homthu.EINVALID)
	}
	m := regexp.MustCompile(`^Dòng (\d+): `).FindStringSubmatch(e.Message)
	if m == nil {
		return 0
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

func TestParseErrors(t *testing.T) {
	const p = "37,,province,Ninh Bình,Tỉnh Ninh Bình,,,,\n" // line 2 after the header
	const c = "14329,37,commune,Hoa Lư,Phường Hoa Lư,,,,\n"
	for _, tt := range []struct {
		name string
		in   string
		line int    // 0: the message is about the whole file
		want string // part of the message
	}{
		{"empty file", "", 0, "Tệp trống"},
		{"header only", header, 0, "không có đơn vị nào"},
		{"unknown column", "code,parent_code,kind,name,full_name,ten\n", 1, `cột "ten" không được hỗ trợ`},
		{"missing column", "code,parent_code,kind,name\n", 1, `thiếu cột bắt buộc "full_name"`},
		{"duplicate column", "code,parent_code,kind,name,full_name,name\n", 1, `cột "name" có hai lần`},
		{"unnamed column", "code,parent_code,kind,name,full_name,\n", 1, "cột thứ 6 của dòng tiêu đề không có tên"},
		{"too few fields", header + p + "14329,37,commune\n", 3, "có 3 cột, nhưng dòng tiêu đề có 9 cột"},
		{"too many fields", header + p + c + c[:len(c)-1] + ",x\n", 4, "có 10 cột"},
		// The examples of docs/units-csv.md, at the lines it gives.
		{"province code lost its zero", header + "1,,province,Hà Nội,Thành phố Hà Nội,,,,\n", 2,
			`Dòng 2: mã tỉnh "1" không đúng dạng: mã tỉnh có đúng 2 chữ số (ví dụ 37); nếu tệp đã mở bằng Excel, có thể các chữ số 0 ở đầu đã bị mất`},
		{"unknown kind", header + p + "\n\n" + "14329,37,xa,Hoa Lư,Phường Hoa Lư,,,,\n", 5,
			`Dòng 5: loại đơn vị "xa" không hợp lệ; dùng province, district, commune hoặc area`},
		{"area under a province", header + p + "\n\n" + c + "\n" + "14329-001,37,area,Thôn Đông,,,,,\n", 7,
			`Dòng 7: khu dân cư phải thuộc một xã (mã 5 chữ số), nhưng mã đơn vị cha "37" là mã tỉnh`},
		{"duplicate code", header + p + "\n\n" + c + "\n\n\n" + c, 9, "Dòng 9: mã đơn vị 14329 đã có ở dòng 5"},
		{"missing kind", header + p + "14329,37,,Hoa Lư,Phường Hoa Lư,,,,\n", 3, "thiếu loại đơn vị"},
		{"missing code", header + p + ",37,commune,Hoa Lư,Phường Hoa Lư,,,,\n", 3, "thiếu mã đơn vị"},
		{"commune code of 4 digits", header + p + "4329,37,commune,Hoa Lư,,,,,\n", 3, "mã xã có đúng 5 chữ số"},
		{"commune code with a letter", header + p + "1432A,37,commune,Hoa Lư,,,,,\n", 3, `mã xã "1432A" không đúng dạng`},
		{"district code of 2 digits", header + p + "37,37,district,Hoa Lư,,,,,\n", 3, "mã huyện có đúng 3 chữ số"},
		{"area code without its commune", header + p + c + "001,14329,area,Thôn Đông,,,,,\n", 4, "mã khu dân cư là mã xã"},
		{"area code of another commune", header + p + c + "14332-001,14329,area,Thôn Đông,,,,,\n", 4, "phải bắt đầu bằng mã xã cha 14329"},
		{"area number too long", header + p + c + "14329-1234567,14329,area,Thôn Đông,,,,,\n", 4, "1 đến 6 chữ số"},
		{"province with a parent", header + "37,01,province,Ninh Bình,,,,,\n", 2, "tỉnh không có đơn vị cha"},
		{"commune without a parent", header + p + "14329,,commune,Hoa Lư,,,,,\n", 3, "thiếu mã đơn vị cha"},
		{"commune under a commune", header + p + c + "14332,14329,commune,Bích Đào,,,,,\n", 4, `nhưng mã đơn vị cha "14329" là mã xã`},
		{"district under a district", header + p + "374,373,district,Hoa Lư,,,,,\n", 3, "huyện phải thuộc một tỉnh"},
		{"parent code malformed", header + p + "14329,3 7,commune,Hoa Lư,,,,,\n", 3, "không phải mã đơn vị hợp lệ"},
		{"empty name", header + p + "14329,37,commune,,Phường Hoa Lư,,,,\n", 3, "thiếu tên đơn vị"},
		{"blank name", header + p + "14329,37,commune,  ,Phường Hoa Lư,,,,\n", 3, "thiếu tên đơn vị"},
		{"bad date", header + p + "14329,37,commune,Hoa Lư,,1/7/2025,,,\n", 3, `ngày "1/7/2025"`},
		{"impossible date", header + p + "14329,37,commune,Hoa Lư,,2025-02-30,,,\n", 3, "không hợp lệ"},
		{"successor without date", header + p + c + "14332,37,commune,Bích Đào,,,14329,,\n", 4, "phải có ngày thôi hiệu lực"},
		{"successor is itself", header + p + "14329,37,commune,Hoa Lư,,2025-07-01,14329,,\n", 3, "không thể là chính"},
		{"successor of another kind", header + p + "14329,37,commune,Hoa Lư,,2025-07-01,37,,\n", 3, "mã đơn vị kế thừa xã"},
		{"invalid UTF-8", header + p + "14329,37,commune,Hoa L\xff,,,,,\n", 3, "không phải UTF-8"},
		{"Windows-1258 file", header + p + "14329,37,commune,Hoa L\xdd,,,,,\n", 3, "không phải UTF-8"},
		{"NUL", header + p + "14329,37,commune,Hoa\x00Lư,,,,,\n", 3, "U+0000"},
		{"tab", header + p + "14329,37,commune,Hoa\tLư,,,,,\n", 3, "U+0009"},
		{"zero-width space", header + p + "14329,37,commune,Hoa\u200bLư,,,,,\n", 3, "U+200B"},
		{"line break in a quoted name", header + p + "14329,37,commune,\"Hoa\nLư\",,,,,\n" + c, 3, "U+000A"},
		{"replacement character", header + p + "14329,37,commune,Hoa L\uFFFD,,,,,\n", 3, "U+FFFD"},
		{"name too long", header + p + "14329,37,commune," + strings.Repeat("a", 301) + ",,,,,\n", 3, "quá giới hạn 300"},
		{"bare quote", header + p + "14329,37,commune,Hoa \"Lư\",,,,,\n", 3, "dấu ngoặc kép"},
		{"unclosed quote", header + p + "14329,37,commune,\"Hoa Lư,,,,,\n" + c + c, 3, "không được đóng đúng"},
		{"former_parent on a unit row", header + p + "14329,37,commune,Hoa Lư,,,,,Tỉnh Ninh Bình\n", 3, "former_parent chỉ dùng"},
		{"former with a kind", header + p + "35,,province,,Tỉnh Hà Nam,,,37,\n", 3, "phải để trống cột kind"},
		{"former with a name", header + p + "35,,,Hà Nam,Tỉnh Hà Nam,,,37,\n", 3, "phải để trống cột name"},
		{"former with a parent", header + p + "35,01,,,Tỉnh Hà Nam,,,37,\n", 3, "phải để trống cột parent_code"},
		{"former without a name", header + p + "35,,,,,2025-07-01,,37,\n", 3, "thiếu tên cũ"},
		{"former of a malformed code", header + p + "35,,,,Tỉnh Hà Nam,,,3x,\n", 3, "cột former_of không đúng dạng"},
		{"former with a malformed code", header + p + "3500,,,,Tỉnh Hà Nam,,,37,\n", 3, `mã cũ "3500"`},
		{"former with a bad date", header + p + "35,,,,Tỉnh Hà Nam,01/07/2025,,37,\n", 3, "ngày"},
		{"former of a unit not in the file", header + p + "35,,,,Tỉnh Hà Nam,,,36,\n" + c, 3, "đơn vị 36, nhưng đơn vị này không có trong tệp"},
		{"duplicate former", header + p + "35,,,,Tỉnh Hà Nam,,,37,\n" + "35,,,,Tỉnh  Hà Nam,,,37,\n", 4, "đã có ở dòng 3"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(strings.NewReader(tt.in))
			if err == nil {
				t.Fatalf("Parse(%q) succeeded, want an error at line %d", tt.in, tt.line)
			}
			if got := errLine(t, err); got != tt.line {
				t.Errorf("Parse(%q) error at line %d, want %d: %v", tt.in, got, tt.line, err)
			}
			if msg := homthu.ErrorMessage(err); !strings.Contains(msg, tt.want) {
				t.Errorf("Parse(%q) message = %q, want it to contain %q", tt.in, msg, tt.want)
			}
		})
	}
}

func TestParseLimits(t *testing.T) {
	lim := limits{rows: 100, bytes: 4096}
	t.Run("rows", func(t *testing.T) {
		var b strings.Builder
		b.WriteString(header + "37,,province,Ninh Bình,Tỉnh Ninh Bình,,,,\n")
		for i := range lim.rows - 1 {
			b.WriteString("35,,,,Tỉnh Hà Nam " + strconv.Itoa(i) + ",,,37,\n")
		}
		if _, err := parse(strings.NewReader(b.String()), limits{rows: lim.rows, bytes: MaxBytes}); err != nil {
			t.Errorf("parse(%d rows): %v", lim.rows, err)
		}
		b.WriteString("35,,,,Tỉnh Hà Nam,,,37,\n")
		if _, err := parse(strings.NewReader(b.String()), limits{rows: lim.rows, bytes: MaxBytes}); err == nil || errLine(t, err) != lim.rows+2 {
			t.Errorf("parse(%d rows) error = %v, want one at line %d", lim.rows+1, err, lim.rows+2)
		}
	})
	t.Run("bytes", func(t *testing.T) {
		// A small gzip file that expands beyond the limit is refused once
		// the limit has been read, even within one field.
		var z bytes.Buffer
		zw := gzip.NewWriter(&z)
		zw.Write([]byte(header + "37,,province,Ninh Bình,\""))
		zw.Write(bytes.Repeat([]byte("a"), 1<<20))
		zw.Close()
		_, err := parse(&z, lim)
		if homthu.ErrorCode(err) != homthu.EINVALID || !strings.Contains(homthu.ErrorMessage(err), "MiB") {
			t.Errorf("parse(%d-byte bomb) error = %v, want a too-large error", z.Len(), err)
		}
	})
}

type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, io.ErrClosedPipe }

func TestParseReadError(t *testing.T) {
	_, err := Parse(io.MultiReader(strings.NewReader(header), failingReader{}))
	if !errors.Is(err, io.ErrClosedPipe) || homthu.ErrorCode(err) != homthu.EINTERNAL {
		t.Errorf("Parse(failing reader) error = %v, want it to wrap %v as an internal error", err, io.ErrClosedPipe)
	}
}

// TestDocExample parses the example of docs/units-csv.md, so that the
// documentation cannot drift from the parser.
func TestDocExample(t *testing.T) {
	doc, err := os.ReadFile("../../docs/units-csv.md")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile("(?s)```csv\n(.*?)```").FindSubmatch(doc)
	if m == nil {
		t.Fatal("docs/units-csv.md has no ```csv example")
	}
	rows, err := Parse(bytes.NewReader(m[1]))
	if err != nil {
		t.Fatalf("Parse(example of docs/units-csv.md): %v", err)
	}
	if len(rows) != 6 {
		t.Errorf("the example has %d units, want 6", len(rows))
	}
}

func TestWriteRoundTrip(t *testing.T) {
	in := header +
		"37,,province,Ninh Bình,Tỉnh Ninh Bình,,,,\n" +
		"35,,,,Tỉnh Hà Nam,2025-07-01,,37,\n" +
		"14329,37,commune,Hoa Lư,Phường Hoa Lư,,,,\n" +
		"14536,,,,Xã Ninh Khang,2025-07-01,,14329,\"Thành phố Hoa Lư, Tỉnh Ninh Bình\"\n" +
		"14329-001,14329,area,\"Thôn \"\"Đông\"\"\",\"Thôn \"\"Đông\"\"\",2026-01-01,14329-002,,\n"
	rows, err := Parse(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := Write(&out, rows); err != nil {
		t.Fatal(err)
	}
	if out.String() != in {
		t.Errorf("Write(Parse(in)) =\n%s\nwant\n%s", out.String(), in)
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		header + "37,,province,Ninh Bình,Tỉnh Ninh Bình,,,,\n35,,,,Tỉnh Hà Nam,2025-07-01,,37,\n",
		header + "14329,37,commune,Hoa Lư,Phường Hoa Lư,,,,\n14329-001,14329,area,Thôn Đông,,2026-01-01,14329-002,,\n",
		header + "374,37,district,Hoa Lư,Thành phố Hoa Lư,2025-07-01,,,\n14536,374,commune,Ninh Khang,Xã Ninh Khang,,,,\n",
		"\uFEFFkind,code,name,full_name,parent_code\r\nprovince,01,Hà Nội,,\r\n",
		header + "37,,province,\"Ninh\nBình\",,,,,\n",
		header + "1,,province,\"Hà Nội,,,,\n",
		"\x1f\x8b\x08\x00",
		"code\n\xff",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		rows, err := Parse(bytes.NewReader(in))
		if err != nil {
			var e *homthu.Error
			if !errors.As(err, &e) || e.Code != homthu.EINVALID {
				t.Fatalf("Parse(%q) error %v is not a homthu.Error with code %s", in, err, homthu.EINVALID)
			}
			if !utf8.ValidString(e.Message) || !(strings.HasPrefix(e.Message, "Dòng ") || strings.HasPrefix(e.Message, "Tệp ")) {
				t.Fatalf("Parse(%q) message %q does not name the line or the file", in, e.Message)
			}
			return
		}
		seen := map[string]homthu.UnitKind{}
		for _, r := range rows {
			u := r.Unit
			for _, s := range []string{u.Name, u.FullName} {
				if s == "" || !utf8.ValidString(s) || !norm.NFC.IsNormalString(s) || s != strings.TrimSpace(s) {
					t.Fatalf("Parse(%q): unit %s has name %q", in, u.Code, s)
				}
			}
			if k, ok := seen[u.Parent]; u.Parent != "" && ok && k.Rank() >= u.Kind.Rank() {
				t.Fatalf("Parse(%q): %s under %s of kind %s", in, u.Code, u.Parent, k)
			}
			for _, c := range rows {
				if c.Unit.Parent == u.Code && seen[c.Unit.Code] != "" {
					t.Fatalf("Parse(%q): child %s before its parent %s", in, c.Unit.Code, u.Code)
				}
			}
			if _, dup := seen[u.Code]; dup {
				t.Fatalf("Parse(%q): code %s twice", in, u.Code)
			}
			seen[u.Code] = u.Kind
		}
		// Whatever Parse accepts, Write writes so that Parse reads it back.
		var out bytes.Buffer
		if err := Write(&out, rows); err != nil {
			t.Fatal(err)
		}
		again, err := Parse(&out)
		if err != nil {
			t.Fatalf("Parse(Write(Parse(%q))): %v", in, err)
		}
		if !reflect.DeepEqual(again, rows) {
			t.Fatalf("Parse(Write(Parse(%q))) =\n%+v\nwant\n%+v", in, again, rows)
		}
	})
}
