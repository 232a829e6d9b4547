package vntext

import (
	"testing"
	"unicode/utf8"
)

func TestDecodeLegacy(t *testing.T) {
	for _, tt := range []struct {
		name string
		in   []byte
		want string
		enc  Encoding
	}{
		{"tcvn3 bytes", []byte("C\xe9ng ho\xb5 x\xb7 h\xe9i ch\xf1 ngh\xdca Vi\xd6t Nam"), "Cộng hoà xã hội chủ nghĩa Việt Nam", TCVN3},
		{"tcvn3 seen as cp1252 and saved as UTF-8", []byte("Céng hoµ x· héi chñ nghÜa ViÖt Nam. §éc lËp - Tù do - H¹nh phóc"),
			"Cộng hoà xã hội chủ nghĩa Việt Nam. Độc lập - Tự do - Hạnh phúc", TCVN3},
		{"vni seen as cp1252", []byte("Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam. Ñoäc laäp - Töï do - Haïnh phuùc"),
			"Cộng hòa xã hội chủ nghĩa Việt Nam. Độc lập - Tự do - Hạnh phúc", VNI},
		{"vni bytes", []byte("Xin cha\xf8o ca\xf9c ba\xefn, ng\xf6\xf4\xf8i d\xe2n"), "Xin chào các bạn, người dân", VNI},
		{"unicode", []byte("Cộng hòa xã hội chủ nghĩa Việt Nam"), "Cộng hòa xã hội chủ nghĩa Việt Nam", Unicode},
		{"unicode with Latin-1 letters only", []byte("Cà phê và bánh mì, ông bà"), "Cà phê và bánh mì, ông bà", Unicode},
		{"nfd unicode", []byte("Vie\u0323\u0302t Nam"), "Việt Nam", Unicode},
		{"ascii", []byte("Luat so 91/2015/QH13"), "Luat so 91/2015/QH13", Unicode},
		{"french", []byte("Où est la bibliothèque? À côté."), "Où est la bibliothèque? À côté.", Unicode},
		{"latin-1 bytes, not Vietnamese", []byte("caf\xe9 cr\xe8me"), "café crème", Unicode},
	} {
		got, enc := DecodeLegacy(tt.in)
		if got != tt.want || enc != tt.enc {
			t.Errorf("DecodeLegacy(%s) = %q, %s; want %q, %s", tt.name, got, enc, tt.want, tt.enc)
		}
	}
}

func FuzzDecodeLegacy(f *testing.F) {
	f.Add([]byte("Céng hoµ x· héi"))
	f.Add([]byte("Coäng hoøa"))
	f.Add([]byte("\xff\xfe\x00"))
	f.Fuzz(func(t *testing.T, b []byte) {
		s, enc := DecodeLegacy(b)
		if !utf8.ValidString(s) || NFC(s) != s {
			t.Fatalf("DecodeLegacy(%q) = %q: not valid NFC", b, s)
		}
		if enc == Unicode && utf8.Valid(b) && s != NFC(string(b)) {
			t.Fatalf("DecodeLegacy(%q) changed Unicode text", b)
		}
	})
}
