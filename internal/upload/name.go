package upload

import (
	"strings"
	"unicode"

	"homthu/internal/vntext"
)

// SafeName returns a display name for a file of MIME type typ that the
// sender's device called name: the last element of name (browsers on
// Windows send "C:\fakepath\…"), in NFC, without control, format
// (U+202E RIGHT-TO-LEFT OVERRIDE, which can disguise "ảnh‮gpj.exe" as
// "ảnhexe.jpg", zero-width characters) or private-use characters, with the
// characters that file systems reserve (/ \ : * ? " < > |) replaced by "_",
// without leading dots, at most MaxNameRunes runes long. For a type that
// Sanitize returns it ends in that type's extension (".jpg", ".png",
// ".pdf"), which replaces the one the name had; for any other typ (such as
// "", before the type is known) the name keeps its own. Vietnamese letters
// are kept. A name left empty becomes "tệp".
func SafeName(name, typ string) string {
	ext := extension(typ)
	stem := cleanName(name)
	if ext != "" {
		stem = stripExtension(stem)
	}
	stem = strings.TrimRight(truncateRunes(stem, MaxNameRunes-len([]rune(ext))), " .")
	if stem == "" {
		stem = "tệp"
	}
	return stem + ext
}

// shownName is name as error messages show it, with its own extension,
// since the file's type is often the subject of the error.
func shownName(name string) string {
	if cleanName(name) == "" {
		return "không tên"
	}
	return SafeName(name, "")
}

// extension returns the file name extension for a MIME type that Sanitize
// returns, or "" for any other.
func extension(typ string) string {
	switch typ {
	case TypeJPEG:
		return ".jpg"
	case TypePNG:
		return ".png"
	case TypePDF:
		return ".pdf"
	}
	return ""
}

// cleanName applies the character rules of SafeName to the last element of
// name.
func cleanName(name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	var b strings.Builder
	space := false
	for _, r := range vntext.NFC(name) {
		switch {
		case r == unicode.ReplacementChar, r == '\uFFFE', r == '\uFFFF',
			unicode.In(r, unicode.Cc, unicode.Cf, unicode.Co, unicode.Cs) && !unicode.IsSpace(r):
			continue
		case unicode.IsSpace(r):
			space = b.Len() > 0
			continue
		case strings.ContainsRune(`/\:*?"<>|`, r):
			r = '_'
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	// Removing format characters can bring a letter next to the mark that
	// follows them, so normalise again.
	return strings.TrimLeft(strings.TrimRight(vntext.NFC(b.String()), " ."), ". ")
}

// stripExtension removes a trailing extension of one to five ASCII letters
// or digits from name.
func stripExtension(name string) string {
	i := strings.LastIndexByte(name, '.')
	if i <= 0 || len(name)-i-1 < 1 || len(name)-i-1 > 5 {
		return name
	}
	for _, c := range name[i+1:] {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9') {
			return name
		}
	}
	return strings.TrimRight(name[:i], " .")
}

// truncateRunes cuts s to at most n runes, never between a letter and the
// combining marks that follow it.
func truncateRunes(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	cut := n
	for cut > 0 && unicode.Is(unicode.Mn, r[cut]) {
		cut--
	}
	return strings.TrimRight(string(r[:cut]), " ")
}
