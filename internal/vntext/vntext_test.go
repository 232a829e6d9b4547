package vntext

import (
	"bufio"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

func TestFold(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"Hoa Lư", "hoa lu"},
		{"hoà lư", "hoa lu"},
		{"HÒA LƯ", "hoa lu"},
		{"hoa lu", "hoa lu"},
		{"Đảng", "dang"},
		{"ĐỒNG NAI", "dong nai"},
		{"  Phường HOÀ  Lư! ", "phuong hoa lu"},
		{"Tỉnh Thanh Hóa", "tinh thanh hoa"},
		{"Tỉnh Thanh Hoá", "tinh thanh hoa"},
		{"Thủy Thuỷ Thụy Thuỵ", "thuy thuy thuy thuy"},
		{"124-QĐ/TW", "124 qd tw"},
		{norm.NFD.String("Nguyễn Thị Ánh"), "nguyen thi anh"},
		{"", ""},
		{"!!!", ""},
	} {
		if got := Fold(tt.in); got != tt.want {
			t.Errorf("Fold(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestNFC(t *testing.T) {
	d := norm.NFD.String("Hòa Bình")
	if got := NFC(d); got != "Hòa Bình" {
		t.Errorf("NFC(%q) = %q, want %q", d, got, "Hòa Bình")
	}
	if got := NFC("a\xffb"); got != "a\uFFFDb" {
		t.Errorf("NFC(invalid) = %q", got)
	}
}

func TestWords(t *testing.T) {
	got := strings.Join(Words("Hòa hoà HOA bình"), ",")
	if got != "hoa,binh" {
		t.Errorf("Words = %q, want %q", got, "hoa,binh")
	}
}

func FuzzFold(f *testing.F) {
	for _, s := range []string{"Hoa Lư", "hoà lư", "Đảng ủy", "\xff\xfe", "a\u0300\u0301", "𝔸"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		k := Fold(s)
		if !utf8.ValidString(k) {
			t.Fatalf("Fold(%q) = %q: invalid UTF-8", s, k)
		}
		if Fold(k) != k {
			t.Fatalf("Fold not idempotent: Fold(%q)=%q, Fold of that=%q", s, k, Fold(k))
		}
		if Fold(NFC(s)) != Fold(norm.NFD.String(NFC(s))) {
			t.Fatalf("Fold differs between NFC and NFD of %q", s)
		}
		if slow := foldSlow(s); k != slow {
			t.Fatalf("Fold(%q) = %q, foldSlow = %q", s, k, slow)
		}
		if strings.HasPrefix(k, " ") || strings.HasSuffix(k, " ") || strings.Contains(k, "  ") {
			t.Fatalf("Fold(%q) = %q: untrimmed spaces", s, k)
		}
	})
}

// TestFoldCorpus checks the fast path against the general one on real
// Vietnamese text (Wikipedia articles, in NFC and NFD).
func TestFoldCorpus(t *testing.T) {
	f, err := os.Open("../../../shared/data/vn-text/viwiki/viwiki_subset.jsonl")
	if err != nil {
		t.Skipf("no corpus beside the repository: %v", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<22)
	n := 0
	for sc.Scan() && n < 300 {
		var doc struct{ Text string }
		if err := json.Unmarshal(sc.Bytes(), &doc); err != nil {
			t.Fatal(err)
		}
		for _, s := range []string{doc.Text, norm.NFD.String(doc.Text)} {
			if got, want := Fold(s), foldSlow(s); got != want {
				t.Fatalf("Fold differs from foldSlow on article %d", n)
			}
		}
		n++
	}
}

func BenchmarkFold(b *testing.B) {
	s := "Cán bộ địa chính xã gây khó khăn, hẹn đi hẹn lại nhiều lần khi gia đình tôi làm thủ tục cấp giấy chứng nhận quyền sử dụng đất, có ý gợi ý bồi dưỡng."
	b.Run("fast", func(b *testing.B) {
		for b.Loop() {
			Fold(s)
		}
	})
	b.Run("slow", func(b *testing.B) {
		for b.Loop() {
			foldSlow(s)
		}
	})
}

func TestSameName(t *testing.T) {
	for _, tt := range []struct {
		a, b string
		want bool
	}{
		{"Nguyễn Văn Hùng", "Nguyễn Văn Hùng", true},
		{"Nguyễn Văn Hùng", "NGUYỄN  VĂN HÙNG", true},
		{"Nguyễn Văn Hùng", "nguyen van hung", true},
		{"Lê Thị Hoà", "Lê Thị Hòa", true},            // tone on another vowel
		{"Lê Thị Hoà", "Le Thi Hoa", true},            // no marks at all
		{"Nguyễn Văn Hùng", "Nguyễn Văn Hưng", false}, // another name
		{"Lê Thị Hoà", "Lê Thị Hoa", false},           // a marked name's "Hoa" has no tone
		{"Trần Thị Lan", "Trần Thị Lân", false},
		{"Đinh Đức", "Dinh Duc", true},         //
		{"Đinh Đức", "Đinh Dúc", false},        //
		{"Nguyễn Văn Hùng", "Văn Hùng", false}, // part of the name
		{"", "", false}, //
		{"Nguye\u0302\u0303n Va\u0306n Hu\u0300ng", "Nguyễn Văn Hùng", true}, // NFD input
	} {
		if got := SameName(tt.a, tt.b); got != tt.want {
			t.Errorf("SameName(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
		if got := SameName(tt.b, tt.a); got != tt.want {
			t.Errorf("SameName(%q, %q) = %v, want %v", tt.b, tt.a, got, tt.want)
		}
	}
}
