package app

import (
	"context"
	"sort"
	"strconv"
	"strings"

	"homthu/internal/homthu"
	"homthu/internal/vntext"
)

// Duplicate is an item that may repeat another: why, and how alike their
// texts are.
type Duplicate struct {
	Item *homthu.Item
	// Similarity is the share of the two texts' word triples in common
	// (Jaccard), 0 to 1, on the folded text: diacritics and tone marks
	// placed elsewhere do not count.
	Similarity float64
	// Reasons say what they have in common, in Vietnamese.
	Reasons []string
}

// Limits of a duplicate search.
const (
	maxDuplicates  = 10
	dupCandidates  = 100
	dupSimilar     = 0.5 // near-identical text
	dupSimilarArea = 0.2 // alike enough when about the same area
)

// Duplicates suggests items that may repeat item id (issue 9: "same
// person concerned, same area, near-identical text — diacritic-
// insensitive"): items in the session's scope about the same person, or
// about the same area with alike text, or with near-identical text; best
// first. Items already linked to it, and spam, are left out.
func (a *App) Duplicates(ctx context.Context, s *homthu.Session, id string) ([]Duplicate, error) {
	it, err := a.visibleItem(ctx, s, id)
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{it.ID: true}
	var cands []*homthu.Item
	addAll := func(f homthu.ItemFilter) error {
		f.Scope, f.Viewer, f.Limit = s.User.Unit, s.User.ID, dupCandidates
		items, _, err := a.Store.ListItems(ctx, f)
		if err != nil {
			return err
		}
		for _, c := range items {
			if !seen[c.ID] && c.CaseOf != it.ID {
				seen[c.ID] = true
				cands = append(cands, c)
			}
		}
		return nil
	}
	// The person concerned, then the area, then the text's longest words.
	if it.Subject.Name != "" {
		if err := addAll(homthu.ItemFilter{Query: it.Subject.Name}); err != nil {
			return nil, err
		}
	}
	if err := addAll(homthu.ItemFilter{Area: it.Area}); err != nil {
		return nil, err
	}
	if words := distinctive(it.Content, 4); len(words) > 0 {
		if err := addAll(homthu.ItemFilter{Query: strings.Join(words, " ")}); err != nil {
			return nil, err
		}
	}
	mine := shingles(it.Content)
	subject := vntext.Fold(it.Subject.Name)
	var out []Duplicate
	for _, c := range cands {
		d := Duplicate{Item: c, Similarity: jaccard(mine, shingles(c.Content))}
		sameSubject := subject != "" && vntext.SameName(it.Subject.Name, c.Subject.Name)
		sameArea := c.Area == it.Area
		if sameSubject {
			d.Reasons = append(d.Reasons, "cùng người bị phản ánh ("+c.Subject.Name+")")
		}
		if sameArea {
			d.Reasons = append(d.Reasons, "cùng khu dân cư")
		}
		if d.Similarity >= dupSimilarArea {
			d.Reasons = append(d.Reasons, "nội dung giống "+percent(d.Similarity))
		}
		if sameSubject || d.Similarity >= dupSimilar || sameArea && d.Similarity >= dupSimilarArea {
			out = append(out, d)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		return len(out[i].Reasons) > len(out[j].Reasons) ||
			len(out[i].Reasons) == len(out[j].Reasons) && out[i].Similarity > out[j].Similarity
	})
	if len(out) > maxDuplicates {
		out = out[:maxDuplicates]
	}
	return out, nil
}

// distinctive returns up to n of the longest distinct folded words of s.
func distinctive(s string, n int) []string {
	words := vntext.Words(s)
	sort.SliceStable(words, func(i, j int) bool { return len(words[i]) > len(words[j]) })
	if len(words) > n {
		words = words[:n]
	}
	return words
}

// shingles are the word triples of the folded text.
func shingles(s string) map[string]bool {
	w := strings.Fields(vntext.Fold(s))
	out := map[string]bool{}
	for i := 0; i+3 <= len(w); i++ {
		out[w[i]+" "+w[i+1]+" "+w[i+2]] = true
	}
	if len(w) > 0 && len(w) < 3 {
		out[strings.Join(w, " ")] = true
	}
	return out
}

func jaccard(a, b map[string]bool) float64 {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	n := 0
	for k := range a {
		if b[k] {
			n++
		}
	}
	return float64(n) / float64(len(a)+len(b)-n)
}

func percent(f float64) string { return strconv.Itoa(int(f*100+0.5)) + "%" }
