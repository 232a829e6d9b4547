package document

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"homthu/internal/vntext"
)

// Query is a search as the store runs it.
type Query struct {
	// Raw is what was typed (NFC).
	Raw string
	// Numbers are the folded keys of the document numbers in the query:
	// "124-QĐ/TW", "124/QĐ-TW" and "124 QĐ TW" are all "124 qd tw"; a bare
	// "124" is "124", which matches every number that starts with it.
	Numbers []string
	// Terms are the words to find, folded; each is a list of alternatives
	// (the word, and the words of the collection one letter away when the
	// word itself is not in it). Every term must match (AND); the store
	// falls back to any (OR) when that finds nothing.
	Terms [][]string
	// Filters, folded: type and issuer match when their folded form
	// contains these words; Year is the year of issue.
	Type, Issuer string
	Year         int
}

// Empty reports whether the query asks for nothing but filters.
func (q *Query) Empty() bool { return len(q.Numbers) == 0 && len(q.Terms) == 0 }

// TitleScore says how well a title (folded) answers the terms: 3 when it
// has every term and nothing else, 2 when it has every term, 1 when it has
// at least half of them, else 0. The store ranks by it before the
// full-text rank, so that "Bộ luật hình sự" comes before "Bộ luật tố tụng
// hình sự", which the full text alone could put first.
func (q *Query) TitleScore(foldedTitle string) int {
	if len(q.Terms) == 0 {
		return 0
	}
	words := strings.Fields(foldedTitle)
	in := map[string]bool{}
	for _, w := range words {
		in[w] = true
	}
	n := 0
	for _, alts := range q.Terms {
		for _, a := range alts {
			if in[a] {
				n++
				break
			}
		}
	}
	switch {
	case n == len(q.Terms) && len(words) <= len(q.Terms):
		return 3
	case n == len(q.Terms):
		return 2
	case n*2 >= len(q.Terms):
		return 1
	}
	return 0
}

// Words are every alternative of every term, for highlighting.
func (q *Query) Words() []string {
	var out []string
	for _, t := range q.Terms {
		out = append(out, t...)
	}
	for _, n := range q.Numbers {
		out = append(out, strings.Fields(n)...)
	}
	return out
}

// numberTokenRE is a document number as people type it: digits, then
// letters, digits and separators ("124-QĐ/TW", "91/2015/QH13",
// "1654/NQ-UBTVQH15", "35-L/CTN").
var numberTokenRE = regexp.MustCompile(`^[0-9]+(?:[./\-][0-9A-Za-zĐđ]+)+$|^[0-9]+$`)

// MaxQueryRunes bounds what a search may be.
const MaxQueryRunes = 300

// ParseQuery reads a search: any case, with or without diacritics, any
// tone-mark placement, NFC or NFD. Tokens that are document numbers become
// Numbers (a bare number is also a word). No word is dropped as a stop
// word: folded, "về" and "vệ" are both "ve", and "bảo vệ" must still
// match. vocab, when not nil, adds the corrections of words it does not
// know.
func ParseQuery(raw string, vocab *Vocabulary) Query {
	raw = vntext.NFC(raw)
	if utf8.RuneCountInString(raw) > MaxQueryRunes {
		raw = string([]rune(raw)[:MaxQueryRunes])
	}
	q := Query{Raw: strings.TrimSpace(raw)}
	var words []string
	for _, tok := range strings.Fields(raw) {
		tok = strings.Trim(tok, `"'“”‘’,;:()[]«»!?`)
		if numberTokenRE.MatchString(tok) && (strings.ContainsAny(tok, "./-") || len(tok) <= 6) {
			// A bare number is also a word: "Điều 124" in a text.
			if key := vntext.Fold(tok); key != "" {
				q.Numbers = append(q.Numbers, key)
				if !strings.Contains(key, " ") {
					words = append(words, key)
				}
			}
			continue
		}
		words = append(words, strings.Fields(vntext.Fold(tok))...)
	}
	// "Số 124" and "số hiệu": the word "so" before a number says nothing.
	if len(q.Numbers) > 0 {
		words = without(words, "so")
	}
	seen := map[string]bool{}
	for _, w := range words {
		if seen[w] || len(q.Terms) >= 12 {
			continue
		}
		seen[w] = true
		alts := []string{w}
		if vocab != nil {
			alts = append(alts, vocab.Corrections(w)...)
		}
		q.Terms = append(q.Terms, alts)
	}
	return q
}

func without(words []string, drop ...string) []string {
	var out []string
	for _, w := range words {
		keep := true
		for _, d := range drop {
			if w == d {
				keep = false
				break
			}
		}
		if keep {
			out = append(out, w)
		}
	}
	return out
}

// Segment is a piece of a snippet; Mark is set on the words that matched.
type Segment struct {
	Text string
	Mark bool
}

// Snippet cuts from text the passage of about width runes where the words
// (folded) occur most, and marks them. Without a match it is the start of
// the text. Folding keeps one rune for one rune, so the passage is cut
// from the text as written, diacritics and all.
func Snippet(text string, words []string, width int) []Segment {
	want := map[string]bool{}
	for _, w := range words {
		want[w] = true
	}
	runes := []rune(text)
	type hit struct{ start, end int }
	var hits []hit
	start := -1
	for i := 0; i <= len(runes); i++ {
		word := i < len(runes) && isWordRune(runes[i])
		if word && start < 0 {
			start = i
		}
		if !word && start >= 0 {
			if want[vntext.Fold(string(runes[start:i]))] {
				hits = append(hits, hit{start, i})
			}
			start = -1
		}
	}
	from := 0
	if len(hits) > 0 {
		// The window with most hits, by a sweep over the hits.
		best, bestN := 0, 0
		j := 0
		for i := range hits {
			for hits[i].start-hits[j].start > width*2/3 {
				j++
			}
			if n := i - j + 1; n > bestN {
				best, bestN = j, n
			}
		}
		from = max(0, hits[best].start-width/4)
		// Start at a word.
		for from > 0 && isWordRune(runes[from-1]) {
			from--
		}
	}
	to := min(len(runes), from+width)
	for to < len(runes) && isWordRune(runes[to]) && to-from < width+20 {
		to++
	}
	var out []Segment
	if from > 0 {
		out = append(out, Segment{Text: "… "})
	}
	pos := from
	for _, h := range hits {
		if h.start < from || h.end > to {
			continue
		}
		if h.start > pos {
			out = append(out, Segment{Text: collapse(string(runes[pos:h.start]))})
		}
		out = append(out, Segment{Text: string(runes[h.start:h.end]), Mark: true})
		pos = h.end
	}
	if pos < to {
		out = append(out, Segment{Text: collapse(string(runes[pos:to]))})
	}
	if to < len(runes) {
		out = append(out, Segment{Text: " …"})
	}
	return out
}

// PlainSnippet is a snippet as text, the marked words between « and ».
func PlainSnippet(segs []Segment) string {
	var b strings.Builder
	for _, s := range segs {
		if s.Mark {
			b.WriteString("«" + s.Text + "»")
		} else {
			b.WriteString(s.Text)
		}
	}
	return b.String()
}

func isWordRune(r rune) bool {
	return r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= 0xC0 && r != 0xD7 && r != 0xF7 && r < 0x2000
}

// collapse turns runs of white space (line breaks of the text) into one space.
func collapse(s string) string {
	if !strings.ContainsAny(s, "\n\t  ") {
		return s
	}
	var b strings.Builder
	space := false
	for _, r := range s {
		if r == '\n' || r == '\t' || r == ' ' {
			if !space {
				b.WriteByte(' ')
			}
			space = true
			continue
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}
