// Package units reads and writes the administrative units that homthu
// imports — provinces, districts, communes and residential areas, with the
// names they had before a merger — and ships the national list.
//
// The import format is a CSV file documented in docs/units-csv.md; Parse
// reads it and Write writes it. National returns the list in force since the
// 2025 reform (Resolution 202/2025/QH15 and the resolutions of the Standing
// Committee of the National Assembly on each province, as amended in 2026):
// 34 provinces and 3,321 communes, each with the pre-reform provinces and
// communes that became part of it, so that a person who still knows their
// commune by its old name finds where it went. The list is generated from
// public fact data (see LICENSE-data.txt) by internal/mkunits.
//
// DemoAreas makes up residential areas for the demo database; the official
// lists stop at communes.
package units

import (
	_ "embed"
	"fmt"
	"strings"

	"homthu/internal/homthu"
)

//go:generate go run ./internal/mkunits -data ../../../shared/data/vn-admin-units -out vn-2026.csv.gz

// national is the national list in the import format, gzip-compressed
// (about 1.1 MB of CSV).
//
//go:embed vn-2026.csv.gz
var national string

// National returns the shipped national list: 34 provinces, then 3,321
// communes (each under its province; districts no longer exist), every one
// with its former names. Each call parses the embedded file afresh, so the
// caller owns the result.
func National() ([]homthu.UnitImport, error) {
	rows, err := Parse(strings.NewReader(national))
	if err != nil {
		return nil, fmt.Errorf("units.National: %w", err)
	}
	return rows, nil
}
