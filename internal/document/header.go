package document

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"homthu/internal/vntext"
)

// Header is what the standard header of a Vietnamese document says. The
// layout is fixed by Decree 30/2020/NĐ-CP (Appendix I) for state bodies
// and by Guideline 36-HD/VPTW for the Party: the issuing body top left,
// the national motto (or "ĐẢNG CỘNG SẢN VIỆT NAM") top right, then "Số:
// 124-QĐ/TW" and "Hà Nội, ngày 2 tháng 2 năm 2018", then the type in
// capitals ("QUY ĐỊNH") and the title. Old laws vary ("Luật số:",
// "Số::"); a field not found is "".
type Header struct {
	Number, Type, Issuer, Issued, Title string
}

var (
	numberRE = regexp.MustCompile(`(?i)\b(?:luật\s+|lệnh\s+|sắc\s+lệnh\s+|nghị\s+quyết\s+|công\s+văn\s+)?số\s*:*\s*([0-9][0-9A-Za-zĐđ.]*(?:[/\-][0-9A-Za-zĐđ.]+)+)`)
	dateRE   = regexp.MustCompile(`(?i)ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})`)
	// types are the document types, as written in capitals in the header.
	types = []string{"BỘ LUẬT", "LUẬT", "HIẾN PHÁP", "PHÁP LỆNH", "NGHỊ QUYẾT", "NGHỊ ĐỊNH", "QUYẾT ĐỊNH", "QUY ĐỊNH", "CHỈ THỊ",
		"KẾT LUẬN", "HƯỚNG DẪN", "THÔNG TƯ", "THÔNG BÁO", "CÔNG VĂN", "KẾ HOẠCH", "BÁO CÁO", "CHƯƠNG TRÌNH", "QUY CHẾ", "LỆNH", "SẮC LỆNH"}
	// symbolTypes infer a type from the number's symbol when the header has none.
	symbolTypes = map[string]string{"nq": "Nghị quyết", "qd": "Quyết định", "ct": "Chỉ thị", "kl": "Kết luận", "hd": "Hướng dẫn",
		"tb": "Thông báo", "nd": "Nghị định", "tt": "Thông tư", "l": "Luật", "kh": "Kế hoạch", "bc": "Báo cáo"}
	colRE  = regexp.MustCompile(`\s{3,}`)
	mottos = []string{"cong hoa xa hoi chu nghia viet nam", "doc lap tu do hanh phuc", "dang cong san viet nam"}
)

// cleanLine removes what Markdown and pandoc tables put around the words
// of a header: asterisks, escapes, table rules, underscores.
func cleanLine(l string) string {
	l = strings.NewReplacer(`\-`, "-", `\*`, "", `\`, " ", "**", "", "*", "", "_", " ", "|", "  ", "#", "").Replace(l)
	return strings.TrimSpace(l)
}

// ParseHeader reads the header in the first lines of text.
func ParseHeader(text string) Header {
	var h Header
	lines := headLines(text, 80)
	head := strings.Join(lines, "\n")
	if m := numberRE.FindStringSubmatch(head); m != nil {
		h.Number = strings.TrimRight(m[1], ".")
	}
	dateLine := -1
	for i, l := range lines {
		if m := dateRE.FindStringSubmatch(l); m != nil {
			d, _ := strconv.Atoi(m[1])
			mo, _ := strconv.Atoi(m[2])
			y, _ := strconv.Atoi(m[3])
			if d >= 1 && d <= 31 && mo >= 1 && mo <= 12 && y > 1900 {
				h.Issued = fmt.Sprintf("%04d-%02d-%02d", y, mo, d)
				dateLine = i
				break
			}
		}
	}
	h.Issuer = issuerOf(lines)
	// The type: the first line after the date (or from the top) that is a
	// type in capitals, alone or starting the line; the title follows.
	start := dateLine + 1
	for i := start; i < len(lines) && i < start+12; i++ {
		l := lines[i]
		up := strings.ToUpper(l)
		for _, t := range types {
			if l == t || (up == l && strings.HasPrefix(l, t+" ") && !strings.HasPrefix(l, t+" SỐ")) || strings.HasPrefix(l, t+" SỐ ") {
				h.Type = typeCase(t)
				h.Title = titleAfter(lines, i, l, t)
				break
			}
		}
		if h.Type != "" {
			break
		}
	}
	if h.Type == "" {
		if _, sym, ok := strings.Cut(vntext.Fold(h.Number), " "); ok {
			first, _, _ := strings.Cut(sym, " ")
			h.Type = symbolTypes[first]
		}
	}
	if h.Title == "" {
		for _, l := range lines[max(dateLine+1, 0):] {
			if len([]rune(l)) > 15 && !isMotto(l) {
				h.Title = l
				break
			}
		}
	}
	return h
}

// headLines returns the first n non-empty cleaned lines; a line of a
// two-column pandoc table is split into its columns.
func headLines(text string, n int) []string {
	var out []string
	for _, raw := range strings.SplitN(text, "\n", 400) {
		if strings.Trim(raw, " -=*_|+") == "" {
			continue
		}
		for _, col := range colRE.Split(strings.TrimSpace(raw), -1) {
			if c := cleanLine(col); strings.Trim(c, " -=*_") != "" {
				out = append(out, c)
			}
		}
		if len(out) >= n {
			break
		}
	}
	return out
}

func isMotto(l string) bool {
	f := vntext.Fold(l)
	for _, m := range mottos {
		if strings.Contains(f, m) {
			return true
		}
	}
	return false
}

// issuerOf is the body that issued the document: the capitalised lines at
// the top that are not the motto (two lines when the name is long, as in
// "ỦY BAN THƯỜNG VỤ / QUỐC HỘI").
func issuerOf(lines []string) string {
	var parts []string
	for _, l := range lines {
		if isMotto(l) {
			continue
		}
		if numberRE.MatchString(l) || dateRE.MatchString(l) || strings.ToUpper(l) != l || len([]rune(l)) > 60 {
			break
		}
		for _, t := range types {
			if l == t {
				return strings.Join(parts, " ")
			}
		}
		parts = append(parts, l)
		if len(parts) == 2 {
			break
		}
	}
	return strings.Join(parts, " ")
}

// typeCase writes a type as in running text: "QUY ĐỊNH" → "Quy định".
func typeCase(t string) string {
	r := []rune(strings.ToLower(t))
	return strings.ToUpper(string(r[0])) + string(r[1:])
}

// titleAfter is the title that follows the type line: the rest of the
// line ("LUẬT SỐ 35-L/CTN NGÀY 22/06/1994 CỦA QUỐC HỘI VỀ KHUYẾN KHÍCH …",
// without the number and date it repeats) or the next line(s) in capitals
// up to the enacting formula, written as a sentence.
func titleAfter(lines []string, i int, line, t string) string {
	rest := strings.TrimSpace(strings.TrimPrefix(line, t))
	var parts []string
	if rest != "" {
		parts = append(parts, rest)
	}
	for j := i + 1; j < len(lines) && j < i+4; j++ {
		l := lines[j]
		if strings.ToUpper(l) != l || stopsTitle(l) {
			break
		}
		parts = append(parts, l)
	}
	title := strings.Join(parts, " ")
	if m := repeatRE.FindStringIndex(title); m != nil {
		title = strings.TrimSpace(title[m[1]:])
		if k := strings.Index(title, "VỀ "); k >= 0 && strings.HasPrefix(vntext.Fold(title), "cua ") {
			title = title[k:]
		}
	}
	if title == "" {
		return ""
	}
	r := []rune(strings.ToLower(title))
	return typeCase(t) + " " + string(r)
}

// repeatRE is the number and date a title line repeats ("SỐ 35-L/CTN NGÀY 22/06/1994").
var repeatRE = regexp.MustCompile(`^SỐ\s+\S+(\s+NGÀY\s+[0-9][0-9/\-.]*)?`)

// titleStops are the folded starts of the lines after a title: the
// enacting body and formula, the preamble, the first division.
var titleStops = []string{"chu tich nuoc", "ra sac lenh", "quoc hoi", "uy ban thuong vu", "ban chap hanh", "bo chinh tri",
	"ban bi thu", "loi noi dau", "chuong ", "phan thu", "dieu ", "can cu", "quyet nghi", "nay ban bo"}

func stopsTitle(l string) bool {
	f := vntext.Fold(l) + " "
	for _, s := range titleStops {
		if strings.HasPrefix(f, s) {
			return true
		}
	}
	return false
}
