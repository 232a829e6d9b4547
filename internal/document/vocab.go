package document

import (
	"sort"
)

// Vocabulary is the set of folded words of the collection, with how many
// documents have each, for correcting a typo of one letter: a letter
// missing, added, replaced, or two letters swapped (Damerau–Levenshtein
// distance 1). Candidates come from the words' one-letter deletions
// (the symmetric-delete method), so a look-up costs a few map reads.
// Folded Vietnamese has few distinct words (syllables), so the index
// stays small. Words with digits are not corrected. A Vocabulary is
// read-only once built and safe for concurrent use.
type Vocabulary struct {
	docs    map[string]int      // word → documents
	deletes map[string][]string // a one-letter deletion → the words it comes from
}

// minCorrect is the shortest word corrected: shorter ones have too many
// neighbours to guess from.
const minCorrect = 4

// A word in at most rareDocs documents is corrected to words rareFactor
// times as common.
const (
	rareDocs   = 2
	rareFactor = 20
)

// NewVocabulary builds a vocabulary from word → document counts.
func NewVocabulary(counts map[string]int) *Vocabulary {
	v := &Vocabulary{docs: counts, deletes: map[string][]string{}}
	for w := range counts {
		if len(w) < minCorrect-1 || hasDigit(w) {
			continue
		}
		for _, d := range deletions(w) {
			v.deletes[d] = append(v.deletes[d], w)
		}
	}
	return v
}

// Len is the number of words.
func (v *Vocabulary) Len() int { return len(v.docs) }

// Has reports whether the collection has the word.
func (v *Vocabulary) Has(w string) bool { return v.docs[w] > 0 }

// Corrections returns, for a word the collection does not have, the words
// it has one letter away, most frequent first (at most 5); nil for a
// short word, or one with digits. A word the collection has in very few
// documents (the collection's own typos) is corrected too, to words at
// least rareFactor times as common.
func (v *Vocabulary) Corrections(w string) []string {
	if v == nil || v.docs[w] > rareDocs || len(w) < minCorrect || hasDigit(w) {
		return nil
	}
	floor := 1
	if n := v.docs[w]; n > 0 {
		floor = n * rareFactor
	}
	seen := map[string]bool{}
	var out []string
	add := func(c string) {
		if !seen[c] && c != w && v.docs[c] >= floor && distance1(w, c) {
			seen[c] = true
			out = append(out, c)
		}
	}
	add2 := func(key string) {
		for _, c := range v.deletes[key] {
			add(c)
		}
	}
	add2(w) // a letter was dropped: w is a deletion of the word
	for _, d := range deletions(w) {
		add(d)  // a letter was added
		add2(d) // a letter replaced, or two swapped
	}
	sort.Slice(out, func(i, j int) bool {
		if v.docs[out[i]] != v.docs[out[j]] {
			return v.docs[out[i]] > v.docs[out[j]]
		}
		return out[i] < out[j]
	})
	if len(out) > 5 {
		out = out[:5]
	}
	return out
}

func deletions(w string) []string {
	out := make([]string, 0, len(w))
	for i := range len(w) {
		out = append(out, w[:i]+w[i+1:])
	}
	return out
}

func hasDigit(w string) bool {
	for i := 0; i < len(w); i++ {
		if w[i] >= '0' && w[i] <= '9' {
			return true
		}
	}
	return false
}

// distance1 reports whether a and b (ASCII, folded) are one edit apart:
// one letter inserted, deleted or replaced, or two adjacent letters swapped.
func distance1(a, b string) bool {
	if a == b {
		return false
	}
	if len(a) > len(b) {
		a, b = b, a
	}
	switch len(b) - len(a) {
	case 0:
		var diff []int
		for i := 0; i < len(a); i++ {
			if a[i] != b[i] {
				diff = append(diff, i)
				if len(diff) > 2 {
					return false
				}
			}
		}
		if len(diff) == 1 {
			return true
		}
		return len(diff) == 2 && diff[1] == diff[0]+1 && a[diff[0]] == b[diff[1]] && a[diff[1]] == b[diff[0]]
	case 1:
		i := 0
		for i < len(a) && a[i] == b[i] {
			i++
		}
		return a[i:] == b[i+1:]
	}
	return false
}
