package vntext

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Legacy Vietnamese encodings. Before Unicode, Vietnamese documents were
// typed with font-based 8-bit encodings, and many still circulate:
//
//   - TCVN3 (TCVN 5712:1993, the ".Vn" fonts of the ABC keyboard): one
//     byte per letter with its marks — "Céng hoµ" for "Cộng hoà";
//   - VNI Windows (the "VNI-" fonts): a Latin letter, then a byte for its
//     marks — "Coäng hoøa".
//
// A file in one of them is either raw bytes (not valid UTF-8) or text that
// was decoded once as Windows-1252 and saved as UTF-8: the garbled text
// people paste. DecodeLegacy handles both, working on the byte values of
// the text's runes.

// Encoding names what DecodeLegacy found.
type Encoding string

// The encodings DecodeLegacy tells apart.
const (
	Unicode Encoding = "unicode"
	TCVN3   Encoding = "tcvn3"
	VNI     Encoding = "vni"
)

// tcvn3 maps the bytes 0xA1–0xFF of TCVN 5712:1993 to Unicode (its
// combining marks, 0xB0–0xB4, are composed by NFC). Bytes below are ASCII.
var tcvn3 = [96]rune{
	/* A0 */ 0, 'Ă', 'Â', 'Ê', 'Ô', 'Ơ', 'Ư', 'Đ', 'ă', 'â', 'ê', 'ô', 'ơ', 'ư', 'đ', 'Ằ',
	/* B0 */ '\u0300', '\u0309', '\u0303', '\u0301', '\u0323', 'à', 'ả', 'ã', 'á', 'ạ', 'Ẳ', 'ằ', 'ẳ', 'ẵ', 'ắ', 'Ẵ',
	/* C0 */ 'Ắ', 'Ầ', 'Ẩ', 'Ẫ', 'Ấ', 'Ề', 'ặ', 'ầ', 'ẩ', 'ẫ', 'ấ', 'ậ', 'è', 'Ể', 'ẻ', 'ẽ',
	/* D0 */ 'é', 'ẹ', 'ề', 'ể', 'ễ', 'ế', 'ệ', 'ì', 'ỉ', 'Ễ', 'Ế', 'Ồ', 'ĩ', 'í', 'ị', 'ò',
	/* E0 */ 'Ổ', 'ỏ', 'õ', 'ó', 'ọ', 'ồ', 'ổ', 'ỗ', 'ố', 'ộ', 'ờ', 'ở', 'ỡ', 'ớ', 'ợ', 'ù',
	/* F0 */ 'Ỗ', 'ủ', 'ũ', 'ú', 'ụ', 'ừ', 'ử', 'ữ', 'ứ', 'ự', 'ỳ', 'ỷ', 'ỹ', 'ý', 'ỵ', 'Ố',
}

// vniMark is what a VNI mark byte (lower case; upper case is 0x20 less, as
// in Latin-1) does to the letter before it: the vowel's quality mark
// (circumflex '^', breve '(') and the tone (one of "`?~'." or none).
type vniMark struct{ quality, tone byte }

var vniMarks = map[byte]vniMark{
	0xF9: {0, '\''}, 0xF8: {0, '`'}, 0xFB: {0, '?'}, 0xF5: {0, '~'}, 0xEF: {0, '.'},
	0xE2: {'^', 0}, 0xE1: {'^', '\''}, 0xE0: {'^', '`'}, 0xE5: {'^', '?'}, 0xE3: {'^', '~'}, 0xE4: {'^', '.'},
	0xEA: {'(', 0}, 0xE9: {'(', '\''}, 0xE8: {'(', '`'}, 0xFA: {'(', '?'}, 0xFC: {'(', '~'}, 0xEB: {'(', '.'},
}

// vniLetters are the VNI bytes that are whole letters (lower case; upper
// case is 0x20 less): ơ ư đ and the i and y with a tone that has no room
// for a following mark byte.
var vniLetters = map[byte]rune{
	0xF4: 'ơ', 0xF6: 'ư', 0xF1: 'đ',
	0xED: 'í', 0xEC: 'ì', 0xE6: 'ỉ', 0xF3: 'ĩ', 0xF2: 'ị', 0xEE: 'ỵ',
}

// toneMarks are the combining tone marks, by the VNI tone letter.
var toneMarks = map[byte]rune{'\'': '\u0301', '`': '\u0300', '?': '\u0309', '~': '\u0303', '.': '\u0323'}

// DecodeLegacy returns text in Unicode (NFC) and the encoding it was in.
// It converts from TCVN3 or VNI only when the text as it is has the marks
// of garbling — Latin-1 signs and letters Vietnamese never uses, like µ,
// ¸, Ö, ä, ø, inside its words — and the conversion removes nearly all of
// them and yields Vietnamese letters; otherwise it returns the text
// unchanged as Unicode (raw bytes that are not UTF-8 are then read as
// Windows-1252). Text that already has letters of Vietnamese Unicode (ơ,
// ư, ạ…) is never converted, nor is correct text with only Latin-1 letters
// ("Cà phê").
func DecodeLegacy(b []byte) (string, Encoding) {
	var units []rune
	if utf8.Valid(b) {
		units = []rune(string(b))
	} else {
		units = make([]rune, len(b))
		for i, c := range b {
			units[i] = cp1252Rune(c)
		}
	}
	plain := NFC(string(units))
	base := score(plain)
	garbled := base.stray >= 3 && base.stray*100 >= base.letters && base.native*20 < base.letters
	if !garbled {
		return plain, Unicode
	}
	raw := make([]byte, 0, len(units))
	for _, r := range units {
		c, ok := cp1252Byte(r)
		if !ok {
			return plain, Unicode // a rune no 8-bit file could have held
		}
		raw = append(raw, c)
	}
	best, enc, bestBad := plain, Unicode, 3*base.stray+2*badClusters(plain)
	for _, cand := range []struct {
		enc  Encoding
		conv func([]byte) string
	}{{TCVN3, decodeTCVN3}, {VNI, decodeVNI}} {
		s := NFC(cand.conv(raw))
		sc := score(s)
		bad := 3*sc.stray + 2*badClusters(s)
		if sc.native > 0 && sc.stray*4 <= base.stray && bad < bestBad {
			best, enc, bestBad = s, cand.enc, bad
		}
	}
	return best, enc
}

// vowelClusters are the vowel sequences a Vietnamese syllable may have,
// folded (ươ is "uo"; "qu" and "gi" put a u or an i before the vowel).
var vowelClusters = func() map[string]bool {
	m := map[string]bool{}
	for _, v := range strings.Fields("a e i o u y ai ao au ay eo eu ia ie iu oa oe oi ua ue ui uo uu uy ya ye yu " +
		"oai oao oay oeo uai uao uay uau uoi uou uya uye uyu ieu yeu iua iuo iue") {
		m[v] = true
	}
	return m
}()

// badClusters counts the words of s with a run of vowels no Vietnamese
// syllable has: what converting with the wrong table produces ("houa",
// "nguuui").
func badClusters(s string) int {
	n := 0
	for _, w := range strings.Fields(Fold(s)) {
		run := 0
		for i := 0; i <= len(w); i++ {
			if i < len(w) && strings.IndexByte("aeiouy", w[i]) >= 0 {
				run++
				continue
			}
			if run > 0 && !vowelClusters[w[i-run:i]] {
				n++
				break
			}
			run = 0
		}
	}
	return n
}

// textScore counts what tells Vietnamese Unicode text from garbled text.
type textScore struct {
	letters int // all letters
	native  int // letters Vietnamese has and Latin-1 has not (ă, ơ, ạ, đ…)
	stray   int // Latin-1 letters and signs Vietnamese does not use (Ë, µ, ¸, Ö…)
}

func score(s string) textScore {
	var t textScore
	for _, r := range s {
		switch {
		case r < 0x80:
			if unicode.IsLetter(r) {
				t.letters++
			}
		case r >= 0xA1 && r <= 0xFF:
			if !vietLatin1(r) {
				t.stray++
			} else {
				t.letters++
			}
		case r == 'Ă' || r == 'ă' || r == 'Đ' || r == 'đ' || r == 'Ĩ' || r == 'ĩ' || r == 'Ũ' || r == 'ũ' ||
			r == 'Ơ' || r == 'ơ' || r == 'Ư' || r == 'ư' || (r >= 0x1EA0 && r <= 0x1EF9):
			t.native++
			t.letters++
		case unicode.IsLetter(r):
			t.letters++
		}
	}
	return t
}

// vietLatin1 reports whether a Latin-1 letter is one Vietnamese uses
// (à á â ã è é ê ì í ò ó ô õ ù ú ý and their capitals).
func vietLatin1(r rune) bool {
	return strings.ContainsRune("ÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝàáâãèéêìíòóôõùúý", r)
}

func decodeTCVN3(b []byte) string {
	var out strings.Builder
	for _, c := range b {
		if c >= 0xA0 && tcvn3[c-0xA0] != 0 {
			out.WriteRune(tcvn3[c-0xA0])
		} else {
			out.WriteRune(cp1252Rune(c))
		}
	}
	return out.String()
}

func decodeVNI(b []byte) string {
	var out strings.Builder
	for i := 0; i < len(b); i++ {
		c := b[i]
		lower := c | 0x20
		if c >= 0xC0 {
			if r, ok := vniLetters[lower]; ok {
				if c&0x20 == 0 {
					r = unicode.ToUpper(r)
				}
				out.WriteRune(r)
				// ơ and ư take a tone byte after them.
				if (lower == 0xF4 || lower == 0xF6) && i+1 < len(b) {
					if m, ok := vniMarks[b[i+1]|0x20]; ok && m.quality == 0 {
						out.WriteRune(toneMarks[m.tone])
						i++
					}
				}
				continue
			}
		}
		if isVowel(c) && i+1 < len(b) && b[i+1] >= 0xC0 {
			if m, ok := vniMarks[b[i+1]|0x20]; ok {
				out.WriteByte(c)
				switch m.quality {
				case '^':
					out.WriteRune('\u0302')
				case '(':
					out.WriteRune('\u0306')
				}
				if m.tone != 0 {
					out.WriteRune(toneMarks[m.tone])
				}
				i++
				continue
			}
		}
		out.WriteRune(cp1252Rune(c))
	}
	return out.String()
}

func isVowel(c byte) bool { return strings.IndexByte("aeiouyAEIOUY", c) >= 0 }

// cp1252High are the runes Windows-1252 gives the bytes 0x80–0x9F.
var cp1252High = [32]rune{
	'€', 0x81, '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', 0x8D, 'Ž', 0x8F,
	0x90, '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', 0x9D, 'ž', 'Ÿ',
}

func cp1252Rune(c byte) rune {
	if c >= 0x80 && c < 0xA0 {
		return cp1252High[c-0x80]
	}
	return rune(c)
}

// cp1252Byte is the Windows-1252 byte of r, if it has one.
func cp1252Byte(r rune) (byte, bool) {
	if r < 0x80 || (r >= 0xA0 && r <= 0xFF) {
		return byte(r), true
	}
	for i, h := range cp1252High {
		if h == r {
			return byte(0x80 + i), true
		}
	}
	return 0, false
}
