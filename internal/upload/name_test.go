package upload

import (
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

func TestSafeName(t *testing.T) {
	long := strings.Repeat("Đơn tố cáo ", 20)
	for _, tt := range []struct {
		name, typ, want string
	}{
		{"IMG_1234.JPG", TypeJPEG, "IMG_1234.jpg"},
		{"ảnh chụp.heic.jpeg", TypeJPEG, "ảnh chụp.heic.jpg"},
		{"Đơn tố cáo.pdf", TypePDF, "Đơn tố cáo.pdf"},
		{norm.NFD.String("Đơn tố cáo.pdf"), TypePDF, "Đơn tố cáo.pdf"},
		{"hoá đơn.exe", TypePDF, "hoá đơn.pdf"},
		{"photo.webp", TypeJPEG, "photo.jpg"},
		{"sticker.webp", TypePNG, "sticker.png"},
		{"no extension", TypePNG, "no extension.png"},
		{`C:\fakepath\Ảnh bìa.png`, TypePNG, "Ảnh bìa.png"},
		{"../../etc/passwd", TypePDF, "passwd.pdf"},
		{"/var/data/x.jpg", TypeJPEG, "x.jpg"},
		{"ảnh\u202Egpj.exe", TypeJPEG, "ảnhgpj.jpg"},
		{"a\u200bb\u200d.png", TypePNG, "ab.png"},
		{"tab\there\nnew.jpg", TypeJPEG, "tab here new.jpg"},
		{"  spaced   out  .png", TypePNG, "spaced out.png"},
		{"a:b*c?d\"e<f>g|h.png", TypePNG, "a_b_c_d_e_f_g_h.png"},
		{".bashrc", TypeJPEG, "bashrc.jpg"},
		{"...", TypeJPEG, "tệp.jpg"},
		{"", TypePDF, "tệp.pdf"},
		{"\x00\x01\x7f", TypePDF, "tệp.pdf"},
		{"bad\xffutf8.jpg", TypeJPEG, "badutf8.jpg"},
		{"version 1.2.final", TypePDF, "version 1.2.pdf"},
		{"ảnh chụp.HEIC", "", "ảnh chụp.HEIC"},
		{`C:\fakepath\setup.exe`, "", "setup.exe"},
		{"", "", "tệp"},
		{long + ".pdf", TypePDF, strings.TrimRight(string([]rune(long)[:MaxNameRunes-4]), " ") + ".pdf"},
	} {
		if got := SafeName(tt.name, tt.typ); got != tt.want {
			t.Errorf("SafeName(%q, %s) = %q, want %q", tt.name, tt.typ, got, tt.want)
		}
	}
}

func TestTruncateRunes(t *testing.T) {
	// "e" followed by two combining marks that NFC cannot fold into one
	// letter (U+0323 U+0302 compose to ệ, so use U+0304 U+0301).
	s := "abce\u0304\u0301"
	if got := truncateRunes(s, 5); got != "abc" {
		t.Errorf("truncateRunes(%q, 5) = %q, want %q", s, got, "abc")
	}
	if got := truncateRunes("abc", 5); got != "abc" {
		t.Errorf("truncateRunes(abc, 5) = %q", got)
	}
}

func FuzzSafeName(f *testing.F) {
	for _, s := range []string{"IMG_1234.JPG", `C:\fakepath\Ảnh.png`, "ảnh\u202Egpj.exe", "../..", "\xff", strings.Repeat("ư", 300)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		for _, typ := range []string{TypeJPEG, TypePNG, TypePDF} {
			got := SafeName(name, typ)
			if !utf8.ValidString(got) || !norm.NFC.IsNormalString(got) {
				t.Fatalf("SafeName(%q) = %q: not valid NFC", name, got)
			}
			if n := utf8.RuneCountInString(got); n > MaxNameRunes {
				t.Fatalf("SafeName(%q) = %q: %d runes", name, got, n)
			}
			if !strings.HasSuffix(got, extension(typ)) || len(got) == len(extension(typ)) {
				t.Fatalf("SafeName(%q, %s) = %q", name, typ, got)
			}
			if strings.ContainsAny(got, "/\\\x00\u202e") || strings.HasPrefix(got, ".") {
				t.Fatalf("SafeName(%q) = %q: unsafe", name, got)
			}
			if SafeName(got, typ) != got {
				t.Fatalf("SafeName(SafeName(%q)) = %q, want %q", name, SafeName(got, typ), got)
			}
		}
	})
}
