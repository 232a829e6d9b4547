package export

import (
	"encoding/csv"
	"fmt"
	"io"
)

// WriteCSV writes t as CSV for open data: RFC 4180 (comma-separated, fields
// quoted where needed, CRLF line ends), UTF-8 with a byte-order mark so that
// Excel reads the Vietnamese letters. The first row holds the column titles
// ("Group - Title" for a grouped column); numbers are written plainly with a
// decimal point and no thousands separator, percentages as fractions
// (0.875), dates as ISO 8601 (2026-12-07), so that any program reads them.
// The total row, if any, comes last.
func WriteCSV(w io.Writer, t *Table) error {
	if _, err := io.WriteString(w, "\uFEFF"); err != nil {
		return fmt.Errorf("export: csv: %w", err)
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	n := len(t.Columns)
	for _, r := range t.Rows {
		n = max(n, len(r))
	}
	head := make([]string, n)
	for i := range head {
		if i < len(t.Columns) {
			c := t.Columns[i]
			head[i] = clean(c.Title)
			if c.Group != "" {
				head[i] = clean(c.Group) + " - " + head[i]
			}
		}
	}
	if err := cw.Write(head); err != nil {
		return fmt.Errorf("export: csv: %w", err)
	}
	rows := t.Rows
	if t.Total != nil {
		rows = append(rows[:len(rows):len(rows)], t.Total)
	}
	rec := make([]string, n)
	for _, r := range rows {
		for i, c := range rowCells(r, n) {
			rec[i] = clean(c.machine())
		}
		if err := cw.Write(rec); err != nil {
			return fmt.Errorf("export: csv: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("export: csv: %w", err)
	}
	return nil
}
