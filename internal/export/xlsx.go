package export

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// WriteXLSX writes the document's tables as an Excel workbook, one sheet per
// table named after its caption. Each sheet starts with the document's
// issuer, kind and summary, and place and date; then the header (bold,
// merged group cells, frozen so it stays in view with the first column),
// the rows and the total row. Numbers are stored as numbers with a number
// format (#,##0; 0.0%), dates as dates (dd/mm/yyyy), so that officials can
// sum and sort them. The workbook prints on A4 in the document's
// orientation, fitted to the page's width.
func WriteXLSX(w io.Writer, d *Document) error {
	tables := d.Tables()
	if len(tables) == 0 {
		return ErrNoTable
	}
	f := excelize.NewFile()
	defer f.Close()
	created := d.created().UTC().Format(time.RFC3339)
	if err := f.SetDocProps(&excelize.DocProperties{
		Title: d.title(), Creator: "homthu", Created: created, Modified: created, Language: "vi-VN",
	}); err != nil {
		return fmt.Errorf("export: xlsx: %w", err)
	}
	st, err := newXLSXStyles(f)
	if err != nil {
		return err
	}
	used := map[string]bool{}
	for i, t := range tables {
		name := sheetName(t.Caption, i, used)
		if i == 0 {
			err = f.SetSheetName("Sheet1", name)
		} else {
			_, err = f.NewSheet(name)
		}
		if err == nil {
			err = writeSheet(f, name, d, t, st)
		}
		if err != nil {
			return fmt.Errorf("export: xlsx: sheet %q: %w", name, err)
		}
	}
	f.SetActiveSheet(0)
	if err := f.Write(w); err != nil {
		return fmt.Errorf("export: xlsx: %w", err)
	}
	return nil
}

// sheetName returns a valid, unique sheet name: at most 31 characters,
// none of : \ / ? * [ ].
func sheetName(caption string, i int, used map[string]bool) string {
	s := strings.Map(func(r rune) rune {
		if strings.ContainsRune(`:\/?*[]'`, r) || r < 0x20 {
			return ' '
		}
		return r
	}, clean(caption))
	s = strings.Join(strings.Fields(s), " ")
	if s == "" {
		s = "Bảng " + strconv.Itoa(i+1)
	}
	s = truncRunes(s, 31)
	base := s
	for k := 2; used[strings.ToLower(s)]; k++ {
		suffix := " (" + strconv.Itoa(k) + ")"
		s = truncRunes(base, 31-len(suffix)) + suffix
	}
	used[strings.ToLower(s)] = true
	return s
}

func truncRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return strings.TrimSpace(string([]rune(s)[:n]))
}

// xlsxStyles are the workbook's cell styles, by role.
type xlsxStyles struct {
	title, subtitle, header, note int
	cell                          map[[2]int]int // {cellKind or -1 for decimals n, bold}
	f                             *excelize.File
}

func newXLSXStyles(f *excelize.File) (*xlsxStyles, error) {
	const face = "Times New Roman"
	border := []excelize.Border{
		{Type: "left", Color: "000000", Style: 1}, {Type: "top", Color: "000000", Style: 1},
		{Type: "right", Color: "000000", Style: 1}, {Type: "bottom", Color: "000000", Style: 1},
	}
	s := &xlsxStyles{cell: map[[2]int]int{}, f: f}
	var err error
	mk := func(st *excelize.Style) int {
		if err != nil {
			return 0
		}
		var id int
		id, err = f.NewStyle(st)
		return id
	}
	s.title = mk(&excelize.Style{Font: &excelize.Font{Family: face, Size: 14, Bold: true}, Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}})
	s.subtitle = mk(&excelize.Style{Font: &excelize.Font{Family: face, Size: 12, Italic: true}, Alignment: &excelize.Alignment{Horizontal: "center"}})
	s.note = mk(&excelize.Style{Font: &excelize.Font{Family: face, Size: 11, Italic: true}, Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	s.header = mk(&excelize.Style{Font: &excelize.Font{Family: face, Size: 12, Bold: true}, Border: border,
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"EDEDED"}},
		Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}})
	if err != nil {
		return nil, fmt.Errorf("export: xlsx styles: %w", err)
	}
	return s, nil
}

// cellStyle returns the style of a value cell, made on first use.
func (s *xlsxStyles) cellStyle(c Cell, bold bool) (int, error) {
	key := [2]int{int(c.kind)*10 + c.decimals, 0}
	if bold {
		key[1] = 1
	}
	if id, ok := s.cell[key]; ok {
		return id, nil
	}
	st := &excelize.Style{
		Font: &excelize.Font{Family: "Times New Roman", Size: 12, Bold: bold},
		Border: []excelize.Border{
			{Type: "left", Color: "000000", Style: 1}, {Type: "top", Color: "000000", Style: 1},
			{Type: "right", Color: "000000", Style: 1}, {Type: "bottom", Color: "000000", Style: 1},
		},
		Alignment: &excelize.Alignment{Vertical: "top", WrapText: c.kind == cellText},
	}
	var format string
	switch c.kind {
	case cellInt:
		format = "#,##0"
	case cellNumber:
		format = "#,##0"
		if c.decimals > 0 {
			format += "." + strings.Repeat("0", c.decimals)
		}
	case cellPercent:
		format = "0.0%"
	case cellDate:
		format = "dd/mm/yyyy"
		st.Alignment.Horizontal = "center"
	}
	if format != "" {
		st.CustomNumFmt = &format
	}
	id, err := s.f.NewStyle(st)
	if err != nil {
		return 0, fmt.Errorf("export: xlsx style: %w", err)
	}
	s.cell[key] = id
	return id, nil
}

// writeSheet writes one table on a sheet.
func writeSheet(f *excelize.File, sheet string, d *Document, t *Table, st *xlsxStyles) error {
	n := len(t.Columns)
	for _, r := range t.Rows {
		n = max(n, len(r))
	}
	n = max(n, 1)
	cols := append([]Column(nil), t.Columns...)
	for len(cols) < n {
		cols = append(cols, Column{})
	}
	last, _ := excelize.ColumnNumberToName(n)
	cell := func(col, row int) string {
		name, _ := excelize.CoordinatesToCellName(col, row)
		return name
	}
	row := 1
	line := func(text string, style int, height float64) error {
		if strings.TrimSpace(text) == "" {
			return nil
		}
		a := cell(1, row)
		if err := f.SetCellValue(sheet, a, text); err != nil {
			return err
		}
		if n > 1 {
			if err := f.MergeCell(sheet, a, last+strconv.Itoa(row)); err != nil {
				return err
			}
		}
		if err := f.SetCellStyle(sheet, a, last+strconv.Itoa(row), style); err != nil {
			return err
		}
		if height > 0 {
			if err := f.SetRowHeight(sheet, row, height); err != nil {
				return err
			}
		}
		row++
		return nil
	}
	heading := strings.TrimSpace(upper(d.Kind) + " " + clean(d.Summary))
	for _, l := range []struct {
		text   string
		style  int
		height float64
	}{
		{upper(d.Issuer), st.subtitle, 0},
		{heading, st.title, 36},
		{clean(t.Caption), st.title, 0},
		{d.dateLine(), st.subtitle, 0},
	} {
		if err := line(l.text, l.style, l.height); err != nil {
			return err
		}
	}
	if row > 1 {
		row++ // a blank row before the table
	}

	// Header.
	groups, grouped := headerGroups(cols)
	top := row
	if grouped {
		for _, g := range groups {
			a := cell(g.first+1, row)
			if g.name == "" {
				if err := f.SetCellValue(sheet, a, clean(cols[g.first].Title)); err != nil {
					return err
				}
				if err := f.MergeCell(sheet, a, cell(g.first+1, row+1)); err != nil {
					return err
				}
				continue
			}
			if err := f.SetCellValue(sheet, a, clean(g.name)); err != nil {
				return err
			}
			if g.span > 1 {
				if err := f.MergeCell(sheet, a, cell(g.first+g.span, row)); err != nil {
					return err
				}
			}
			for c := g.first; c < g.first+g.span; c++ {
				if err := f.SetCellValue(sheet, cell(c+1, row+1), clean(cols[c].Title)); err != nil {
					return err
				}
			}
		}
		row++
	} else {
		for c, col := range cols {
			if err := f.SetCellValue(sheet, cell(c+1, row), clean(col.Title)); err != nil {
				return err
			}
		}
	}
	if err := f.SetCellStyle(sheet, cell(1, top), cell(n, row), st.header); err != nil {
		return err
	}
	row++
	if err := f.SetPanes(sheet, &excelize.Panes{Freeze: true, XSplit: 1, YSplit: row - 1, TopLeftCell: cell(2, row), ActivePane: "bottomRight"}); err != nil {
		return err
	}

	// Rows and the total.
	widths := make([]int, n)
	for c, col := range cols {
		widths[c] = min(utf8.RuneCountInString(col.Title), 18)
	}
	rows := t.Rows
	if t.Total != nil {
		rows = append(rows[:len(rows):len(rows)], t.Total)
	}
	for ri, r := range rows {
		total := t.Total != nil && ri == len(rows)-1
		for c, v := range rowCells(r, n) {
			a := cell(c+1, row)
			var err error
			switch v.kind {
			case cellInt:
				err = f.SetCellInt(sheet, a, int64(v.num))
			case cellNumber, cellPercent:
				err = f.SetCellFloat(sheet, a, v.num, -1, 64)
			case cellDate:
				y, m, dd := v.date.Date()
				err = f.SetCellValue(sheet, a, time.Date(y, m, dd, 0, 0, 0, 0, time.UTC))
			default:
				if s := clean(v.text); s != "" {
					err = f.SetCellStr(sheet, a, s)
				}
			}
			if err != nil {
				return err
			}
			id, err := st.cellStyle(v, v.Bold || total)
			if err != nil {
				return err
			}
			if err := f.SetCellStyle(sheet, a, a, id); err != nil {
				return err
			}
			widths[c] = max(widths[c], utf8.RuneCountInString(v.String()))
		}
		row++
	}
	for c := range widths {
		name, _ := excelize.ColumnNumberToName(c + 1)
		if err := f.SetColWidth(sheet, name, name, float64(min(max(widths[c]+2, 8), 60))); err != nil {
			return err
		}
	}
	if note := clean(t.Note); strings.TrimSpace(note) != "" {
		row++
		if err := line(note, st.note, 0); err != nil {
			return err
		}
	}
	orient := "portrait"
	if d.Orientation == Landscape {
		orient = "landscape"
	}
	size, fit, tall := 9, 1, 0
	return f.SetPageLayout(sheet, &excelize.PageLayoutOptions{Size: &size, Orientation: &orient, FitToWidth: &fit, FitToHeight: &tall})
}
