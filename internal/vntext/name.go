package vntext

import (
	"sort"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// SameName reports whether two person names may be the same name. Names
// are compared word by word on their folded letters; the marks of a word
// are compared too, as a set regardless of where the tone sits ("Hoà" and
// "Hòa" are one name), unless one of the names has no marks at all: a
// name typed without diacritics ("Nguyen Van Hung") may be any marked
// form, while between two marked names "Hùng" and "Hưng", or "Lan" and
// "Lân", differ (a keyboard writes all of a name's marks or none).
func SameName(a, b string) bool {
	wa, wb := nameWords(a), nameWords(b)
	if len(wa) == 0 || len(wa) != len(wb) {
		return false
	}
	strict := marked(wa) && marked(wb)
	for i := range wa {
		if wa[i].base != wb[i].base || (strict && wa[i].marks != wb[i].marks) {
			return false
		}
	}
	return true
}

func marked(ws []nameWord) bool {
	for _, w := range ws {
		if w.marks != "" {
			return true
		}
	}
	return false
}

type nameWord struct{ base, marks string }

// nameWords splits a name into words, each its folded letters and its
// sorted marks (đ counts as a mark: "Đức" and "Dúc" differ).
func nameWords(s string) []nameWord {
	var out []nameWord
	for _, w := range strings.FieldsFunc(NFC(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.Is(unicode.Mn, r) }) {
		var marks []rune
		for _, r := range norm.NFD.String(w) {
			switch {
			case unicode.Is(unicode.Mn, r):
				marks = append(marks, r)
			case r == 'đ' || r == 'Đ':
				marks = append(marks, 'đ')
			}
		}
		sort.Slice(marks, func(i, j int) bool { return marks[i] < marks[j] })
		out = append(out, nameWord{base: Fold(w), marks: string(marks)})
	}
	return out
}
