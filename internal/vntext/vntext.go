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
func Fold(s string) string {
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
