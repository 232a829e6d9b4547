package homthu

import (
	"context"
	"strings"
	"time"
)

// UnitKind is the level of a node of the administrative tree.
type UnitKind string

// The kinds of unit. Districts are optional: they were abolished on 1 July 2025
// (Resolution 202/2025/QH15), but history before that date refers to them.
const (
	KindProvince UnitKind = "province"
	KindDistrict UnitKind = "district"
	KindCommune  UnitKind = "commune"
	KindArea     UnitKind = "area"
)

// Valid reports whether k is one of the known kinds.
func (k UnitKind) Valid() bool {
	switch k {
	case KindProvince, KindDistrict, KindCommune, KindArea:
		return true
	}
	return false
}

// Rank orders kinds from the top of the tree (0) to the bottom.
func (k UnitKind) Rank() int {
	switch k {
	case KindProvince:
		return 0
	case KindDistrict:
		return 1
	case KindCommune:
		return 2
	case KindArea:
		return 3
	}
	return 4
}

// Label is the Vietnamese name of the kind.
func (k UnitKind) Label() string {
	switch k {
	case KindProvince:
		return "tỉnh, thành phố"
	case KindDistrict:
		return "huyện, quận, thị xã"
	case KindCommune:
		return "xã, phường, đặc khu"
	case KindArea:
		return "khu dân cư"
	}
	return string(k)
}

// Unit is a node of the administrative tree: a province, a district, a commune
// or a residential area (khu dân cư). Provinces and communes carry the official
// GSO codes ("37", "14329"); areas get "<commune code>-<nnn>".
type Unit struct {
	Code     string
	Parent   string // code of the parent unit; "" for a province
	Kind     UnitKind
	Name     string // short name, e.g. "Hoa Lư"
	FullName string // e.g. "Phường Hoa Lư"
	// Path is the codes from the province down to this unit, inclusive.
	Path []string
	// PathNames is the full names along Path, for display ("Tỉnh Ninh Bình › Phường Hoa Lư").
	PathNames []string
	// Formerly lists names the unit or its parts had before a merger or a
	// rename, e.g. the communes merged into it on 1 July 2025.
	Formerly []string
	// ValidTo is set when the unit was merged away or abolished; Successor then
	// names the unit that took it in.
	ValidTo   time.Time
	Successor string
	HasStaff  bool // at least one active staff account (front role) sits at this unit
}

// Former is a name a unit had before, kept so that people who still know
// their commune by its old name find where it went.
type Former struct {
	Code     string // the old official code, if any
	FullName string // e.g. "Xã Ninh Khang"
	Parent   string // e.g. "Huyện Hoa Lư, Tỉnh Ninh Bình"
	Until    time.Time
}

// ReformDate is the day the two-level local government took effect
// (1 July 2025): districts were abolished and 10,000+ communes merged.
var ReformDate = time.Date(2025, 7, 1, 0, 0, 0, 0, time.FixedZone("ICT", 7*3600))

// UnitImport is one row of a units import: a unit and the former names that
// lead to it.
type UnitImport struct {
	Unit    Unit
	Formers []Former
}

// UnitFilter selects units in a search.
type UnitFilter struct {
	Query string   // free text, matched diacritic-insensitively against names and former names
	Kind  UnitKind // optional
	Under string   // optional: only units in this unit's subtree
	Limit int
}

// UnitService reads and writes the administrative tree.
type UnitService interface {
	FindUnit(ctx context.Context, code string) (*Unit, error)
	SearchUnits(ctx context.Context, f UnitFilter) ([]*Unit, error)
	ImportUnits(ctx context.Context, rows []UnitImport) (int, error)
	AddArea(ctx context.Context, parent, name string) (*Unit, error)
	UnitsWithoutStaff(ctx context.Context, under string, limit int) ([]*Unit, error)
}

// IsAreaName reports whether name already starts with a residential-area word.
func IsAreaName(name string) bool {
	l := strings.ToLower(name)
	for _, p := range []string{"thôn ", "xóm ", "bản ", "ấp ", "tổ dân phố ", "khu phố ", "khu dân cư ", "làng ", "buôn ", "khóm ", "tổ "} {
		if strings.HasPrefix(l, p) {
			return true
		}
	}
	return false
}

// unitKindWords are the words a unit's full name may start with, longest
// first where one starts another.
var unitKindWords = []string{"Tổ dân phố", "Khu dân cư", "Khu phố", "Đặc khu", "Thị trấn", "Thành phố", "Thị xã", "Phường", "Xã",
	"Thôn", "Xóm", "Bản", "Ấp", "Làng", "Buôn", "Khóm", "Khu", "Tổ", "Huyện", "Quận", "Tỉnh"}

// LowerKind writes a unit's full name as it reads inside a phrase, its
// kind word in lower case: "Ban Công tác Mặt trận tổ dân phố Hòa Bình",
// "Nhà văn hóa thôn Đông".
func LowerKind(name string) string {
	for _, w := range unitKindWords {
		if strings.HasPrefix(name, w+" ") {
			return strings.ToLower(w) + name[len(w):]
		}
	}
	return name
}

// PlaceName is a unit's name without its kind word, as the place of a
// document's date line (địa danh) writes it: "Hoa Lư" for "Phường Hoa Lư".
func PlaceName(name string) string {
	for _, w := range unitKindWords {
		if strings.HasPrefix(name, w+" ") {
			return name[len(w)+1:]
		}
	}
	return name
}
