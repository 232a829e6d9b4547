// Package vntext handles Vietnamese text: Unicode NFC normalisation and the
// folded search key by which names and content are matched.
//
// Vietnamese is written with Latin letters carrying up to two marks (a vowel
// quality mark and a tone mark). The same word reaches us in many forms: NFC
// or NFD, with the tone on a different vowel ("Hòa" and "Hoà" are both in
// official use; the GSO unit list itself changed 192 names that way between
// 2025 and 2026), or without any marks at all when typed on a phone without a
// Vietnamese keyboard. Fold maps all of them to one key: lower case, every
// combining mark removed and đ/Đ (U+0111/U+0110, which has no decomposition)
// mapped to d.
package vntext

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// NFC returns s in Unicode Normalization Form C, the form every text is stored in.
// Invalid UTF-8 bytes are replaced by U+FFFD.
func NFC(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	return norm.NFC.String(s)
}

// Fold returns the search key of s: lower case, without diacritics, đ as d,
// every run of characters other than letters and digits replaced by one
// space, trimmed. Fold("  Phường HOÀ  Lư!") == "phuong hoa lu".
//
// Vietnamese text takes a fast path: every Latin letter with marks maps
// through a table to its base letter (fold is on the submission path and
// was a tenth of its CPU through norm.NFD); text with any other non-ASCII
// letter goes through the general path, foldSlow, which defines the result.
func Fold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		var c byte
		switch {
		case r < 0x80:
			switch {
			case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
				c = byte(r)
			case r >= 'A' && r <= 'Z':
				c = byte(r) + 'a' - 'A'
			default:
				space = b.Len() > 0
				continue
			}
		case r < rune(len(foldTable)) && foldTable[r] != 0:
			c = foldTable[r]
		case r >= 0x300 && r <= 0x36F: // combining marks of NFD input
			continue
		default:
			return foldSlow(s)
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteByte(c)
	}
	return b.String()
}

// foldTable maps each precomposed Latin letter up to U+1EFF (Latin-1,
// Extended-A and -B, Extended Additional — where every Vietnamese letter
// with marks lives) whose decomposition is an ASCII letter followed by
// combining marks, to that letter in lower case; đ and Đ map to d. Zero
// means "not such a letter". Built once; never written after.
var foldTable = buildFoldTable()

func buildFoldTable() *[0x1F00]byte {
	var t [0x1F00]byte
	for r := rune(0xC0); r < 0x1F00; r++ {
		if r == 'đ' || r == 'Đ' {
			t[r] = 'd'
			continue
		}
		d := []rune(norm.NFD.String(string(r)))
		if len(d) < 2 || d[0] >= 0x80 || !unicode.IsLetter(d[0]) {
			continue
		}
		ok := true
		for _, m := range d[1:] {
			if !unicode.Is(unicode.Mn, m) {
				ok = false
			}
		}
		if ok {
			t[r] = byte(unicode.ToLower(d[0]))
		}
	}
	return &t
}

// foldSlow is Fold for any text: NFD, combining marks dropped, đ as d.
// Invalid UTF-8 bytes are separators (norm would pass them through and stop
// decomposing what follows them).
func foldSlow(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, " ")
	}
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case r == 'đ' || r == 'Đ':
			r = 'd'
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			r = unicode.ToLower(r)
		default:
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Words returns the distinct folded words of s, in order of first appearance.
func Words(s string) []string {
	var out []string
	seen := map[string]bool{}
	for _, w := range strings.Fields(Fold(s)) {
		if !seen[w] {
			seen[w] = true
			out = append(out, w)
		}
	}
	return out
}
