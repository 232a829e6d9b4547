package catalog

import (
	"strings"

	"homthu/internal/homthu"
)

// Change is what loading a new version of a catalogue does, for the
// administrator to read before confirming and for the record after.
type Change struct {
	Catalog string
	// From is the version in force (0 for a new catalogue), To the new one.
	From, To int
	// The codes, in catalogue order, of the items the new version adds,
	// changes (any text, group or place), retires, or leaves as they were.
	Added, Changed, Retired, Unchanged []string
	// HeaderChanged is set when the catalogue's title, source, label or
	// groups changed.
	HeaderChanged bool
	// Next is the new version, with RetiredIn filled from the old one.
	Next *Catalog
}

// Empty reports whether the new version changes nothing at all.
func (ch *Change) Empty() bool {
	return len(ch.Added)+len(ch.Changed)+len(ch.Retired) == 0 && !ch.HeaderChanged
}

// Plan checks that next may follow cur (nil when the catalogue is new) and
// says what it changes. The rules, which keep the past readable:
//
//   - next.Version is cur.Version + 1 (1 for a new catalogue), so that a file
//     written for an older version is never loaded over a newer one;
//   - every item of cur is in next, under the same code: an item is never
//     deleted, only retired (with a reason), and a new catalogue starts with
//     no retired item;
//   - a retired item stays retired: its code is never used again for
//     something else.
//
// Every error is EINVALID or ECONFLICT (a version that is not the next) with
// a Vietnamese message that says what to correct.
func Plan(cur, next *Catalog) (*Change, error) {
	if err := next.Validate(); err != nil {
		return nil, err
	}
	ch := &Change{Catalog: next.Code, To: next.Version}
	if cur == nil {
		if next.Version != 1 {
			return nil, homthu.Errorf(homthu.ECONFLICT, "Danh mục %s chưa có trong hệ thống, nên tệp phải là phiên bản 1 (tệp ghi version %d).", next.Code, next.Version)
		}
		for _, s := range next.Standards {
			if s.Retired {
				return nil, homthu.Errorf(homthu.EINVALID, "Mục %s của danh mục mới đã ghi bãi bỏ (retired): một danh mục mới không có mục bãi bỏ; hãy bỏ mục này khỏi tệp.", s.Code)
			}
			ch.Added = append(ch.Added, s.Code)
		}
		ch.HeaderChanged = true
		ch.Next = next
		return ch, nil
	}
	if cur.Code != next.Code {
		return nil, homthu.Errorf(homthu.EINVALID, "Tệp là danh mục %s, không phải %s.", next.Code, cur.Code)
	}
	ch.From = cur.Version
	if next.Version != cur.Version+1 {
		return nil, homthu.Errorf(homthu.ECONFLICT, "Danh mục %s đang ở phiên bản %d, nên tệp mới phải ghi version %d (tệp ghi version %d). "+
			"Nếu tệp được soạn từ một phiên bản cũ, hãy xuất phiên bản hiện hành (homthu catalog export %s), sửa trên đó rồi nạp lại.",
			cur.Code, cur.Version, cur.Version+1, next.Version, cur.Code)
	}
	var missing []string
	for _, old := range cur.Standards {
		if next.Standard(old.Code) == nil {
			missing = append(missing, old.Code)
		}
	}
	if len(missing) > 0 {
		return nil, homthu.Errorf(homthu.EINVALID, "Tệp thiếu %d mục đang có trong danh mục %s: %s. Không mục nào bị xóa khỏi danh mục; muốn thôi dùng một mục, hãy giữ nó trong tệp và thêm dòng retired LÝ_DO.",
			len(missing), cur.Code, strings.Join(missing, ", "))
	}
	n := *next
	n.Standards = append([]Standard(nil), next.Standards...)
	for i := range n.Standards {
		s := &n.Standards[i]
		old := cur.Standard(s.Code)
		switch {
		case old == nil:
			if s.Retired {
				return nil, homthu.Errorf(homthu.EINVALID, "Mục mới %s đã ghi bãi bỏ (retired); hãy bỏ dòng retired, hoặc bỏ mục này khỏi tệp.", s.Code)
			}
			ch.Added = append(ch.Added, s.Code)
			continue
		case old.Retired && !s.Retired:
			return nil, homthu.Errorf(homthu.EINVALID, "Mục %s đã bị bãi bỏ từ phiên bản %d và không dùng lại được; hãy giữ dòng retired của nó, và đặt mã mới cho nội dung mới.", s.Code, old.RetiredIn)
		case old.Retired:
			s.RetiredIn = old.RetiredIn
		case s.Retired:
			s.RetiredIn = n.Version
			ch.Retired = append(ch.Retired, s.Code)
			continue
		}
		if sameText(old, s) {
			ch.Unchanged = append(ch.Unchanged, s.Code)
		} else {
			ch.Changed = append(ch.Changed, s.Code)
		}
	}
	ch.HeaderChanged = cur.Title != n.Title || cur.Short != n.Short || cur.Source != n.Source || cur.Label != n.Label || !sameGroups(cur.Groups, n.Groups)
	ch.Next = &n
	return ch, nil
}

func sameText(a, b *Standard) bool {
	return a.Title == b.Title && a.Explanation == b.Explanation && a.Official == b.Official &&
		a.Source == b.Source && a.Group == b.Group && a.Number == b.Number && a.RetiredReason == b.RetiredReason
}

func sameGroups(a, b []Group) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// Retire returns the next version of cur with the item retired for reason.
// The item must exist and be active, and the reason must be given.
func Retire(cur *Catalog, code, reason, note string) (*Catalog, error) {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return nil, homthu.Errorf(homthu.EINVALID, "Xin ghi lý do bãi bỏ mục %s (ví dụ: văn bản gốc đã được thay thế).", code)
	}
	if err := homthu.CheckText("Lý do bãi bỏ", reason, MaxTitleRunes, true); err != nil {
		return nil, err
	}
	if strings.ContainsAny(reason, "\n\r") {
		return nil, homthu.Errorf(homthu.EINVALID, "Lý do bãi bỏ phải viết trên một dòng.")
	}
	old := cur.Standard(code)
	if old == nil {
		return nil, homthu.Errorf(homthu.ENOTFOUND, "Danh mục %s không có mục %s.", cur.Code, code)
	}
	if old.Retired {
		return nil, homthu.Errorf(homthu.ECONFLICT, "Mục %s đã bị bãi bỏ từ phiên bản %d.", code, old.RetiredIn)
	}
	n := *cur
	n.Version = cur.Version + 1
	n.Note = note
	n.Standards = append([]Standard(nil), cur.Standards...)
	for i := range n.Standards {
		s := &n.Standards[i]
		s.Version = n.Version
		if s.Code == code {
			s.Retired, s.RetiredReason, s.RetiredIn = true, reason, n.Version
		}
	}
	return &n, nil
}
