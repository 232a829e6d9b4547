// Package export renders the documents that Front officials file, edit and
// sign: one [Document] model, laid out as Vietnamese administrative documents
// are, rendered to PDF (fonts embedded) and DOCX (WordprocessingML that Word
// and LibreOffice edit), and its tables to XLSX (real numbers and dates) and
// CSV (RFC 4180, UTF-8 with a byte-order mark for Excel). Charts ([Chart]: bar,
// stacked bar, line) are drawn from one layout as SVG for pages, as vectors in
// PDF and as PNG in DOCX.
//
// # The layout: Decree 30/2020/NĐ-CP, Appendix I
//
// Decree 30/2020/NĐ-CP on clerical work (công tác văn thư), Appendix I
// ("Thể thức, kỹ thuật trình bày văn bản hành chính"), fixes how an
// administrative document looks. The Front's own documents follow the same
// layout; where the Front's internal guidance differs from the decree in a
// detail, this package does not know it and follows the decree. The rules
// applied here, with the item numbers of the appendix's layout diagram
// (Mẫu 1.1, "vị trí trình bày các thành phần thể thức"):
//
//   - Paper A4 (210 × 297 mm), portrait; a landscape page where a table
//     needs it (Appendix I, section I.2). A3 is offered for posters, which are
//     not administrative documents.
//   - Margins: top 20–25 mm, bottom 20–25 mm, left 30–35 mm, right 15–20 mm
//     (section I.3). This package uses 20, 20, 30 and 15 mm. For a landscape
//     page the decree's text is read here as the same margins on the page as
//     it lies; we are not sure it means that, and say so.
//   - Typeface Times New Roman, Unicode per TCVN 6909:2001, black (I.1). The
//     PDF embeds Liberation Serif, which is metric-compatible with Times New
//     Roman; the DOCX names Times New Roman.
//   - Item 1, the national motto (Quốc hiệu và Tiêu ngữ), top right:
//     "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in capitals, 12–13 pt, bold;
//     under it "Độc lập - Tự do - Hạnh phúc", 13–14 pt, bold, first letters
//     capital, hyphens with a space on each side, and under that a solid rule
//     as long as that line.
//   - Item 2, the issuing body (tên cơ quan, tổ chức ban hành văn bản), top
//     left: the managing body (cơ quan chủ quản), if any, in capitals,
//     12–13 pt, upright; under it the issuing body in capitals, 12–13 pt, bold;
//     under that a solid rule from one third to one half of the line's length,
//     centred.
//   - Item 3, number and symbol (số, ký hiệu), centred under the issuing
//     body, 13 pt: "Số: 12/BC-MTTQ"; a number below 10 takes a leading zero.
//   - Item 4, place and date (địa danh và thời gian), under the motto,
//     centred on it, 13–14 pt, italic: "Hoa Lư, ngày 07 tháng 12 năm 2026";
//     days below 10 and the months January and February take a leading zero.
//   - Item 5a, the document kind and summary (tên loại và trích yếu), centred
//     under the heading, 13–14 pt, bold, the kind in capitals, with a short
//     solid rule under the summary (we draw it at one third of the summary's
//     longest line; the appendix's rule for this line is "from one third to
//     one half").
//   - Item 5b, for an official letter (công văn), which has no kind name: the
//     summary after "V/v", 12–13 pt, upright, centred under the number and
//     symbol; the addressees follow "Kính gửi:" at the start of the text.
//   - Item 6, the text (nội dung): 13–14 pt, justified, the first line of a
//     paragraph indented 1–1.27 cm, paragraphs at least 6 pt apart, lines from
//     single to 1.5 spacing.
//   - Items 7a–7c, the signature (quyền hạn, chức vụ, họ tên người ký):
//     authority ("TM.", "KT.", "Q.", "TL.", "TUQ.") and position in capitals,
//     13–14 pt, bold; the name bold; a space between them for the signature
//     and the seal; the block sits to the right, with the recipients on its
//     left. Minutes carry several signatures side by side.
//   - Item 9a, recipients (nơi nhận): "Nơi nhận:" 12 pt, bold italic; each
//     recipient on its own line, 11 pt, after a dash and ending with ";", the
//     last line "- Lưu: VT, …." ending with a full stop. The caller writes the
//     recipients; this package adds the dash and the punctuation.
//   - Page numbers: from page 2, Arabic numerals, 13–14 pt, centred in the
//     top margin (section I.4 of the appendix).
//
// Not done, because nothing in homthu issues such documents: the secrecy and
// urgency marks (items 10a, 10b), the "dự thảo" mark, the seal's position on
// an appendix, and the abbreviation of the drafting unit after "Lưu:".
//
// # Using it
//
// Build a [Document], then [Render] it in a [Format]:
//
//	doc := &export.Document{
//		Managing: "Ủy ban MTTQ Việt Nam tỉnh Ninh Bình",
//		Issuer:   "Ban Thường trực",
//		Number:   "12/BC-MTTQ",
//		Place:    "Hoa Lư",
//		Date:     time.Date(2026, 12, 7, 0, 0, 0, 0, loc),
//		Kind:     "Báo cáo",
//		Summary:  "Tổng hợp ý kiến, kiến nghị của cử tri và nhân dân",
//		Body: []export.Block{
//			export.Heading{Level: 1, Text: "I. KẾT QUẢ"},
//			export.P("Trong kỳ, Mặt trận đã tiếp nhận …"),
//			&export.Table{Columns: …, Rows: …},
//		},
//		Signatures: []export.Signature{{Authority: "TM. Ban Thường trực", Position: "Chủ tịch", Name: "Nguyễn Văn An"}},
//		Recipients: []string{"Thường trực Tỉnh ủy", "Lưu: VT"},
//	}
//	err := export.Render(w, export.PDF, doc)
//
// Text may be in any Unicode normalisation form: it is put in NFC before it is
// laid out, because a PDF font draws precomposed Vietnamese letters and has no
// shaping for combining marks.
package export
