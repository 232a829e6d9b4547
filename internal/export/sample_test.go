package export

import (
	"fmt"
	"time"
)

// The documents the tests render: a digest report with tables and charts,
// an official letter (a referral's covering letter), the minutes of a
// mailbox opening with several signatures, and a landscape logbook.

var hcm = time.FixedZone("ICT", 7*3600)

func sampleReport() *Document {
	communes := []string{"Xã Gia Viễn", "Phường Hoa Lư", "Xã Nho Quan", "Phường Tam Điệp", "Xã Kim Sơn", "Xã Yên Khánh", "Xã Yên Mô", "Phường Nam Định"}
	t := &Table{
		Caption: "Bảng 1. Tiếp nhận và xử lý ý kiến, kiến nghị theo đơn vị",
		Columns: []Column{
			{Title: "STT", Width: 0.5, Align: AlignCenter},
			{Title: "Đơn vị", Width: 2.2},
			{Title: "Trực tuyến", Group: "Số ý kiến tiếp nhận"},
			{Title: "Thư giấy", Group: "Số ý kiến tiếp nhận"},
			{Title: "Tổng", Group: "Số ý kiến tiếp nhận"},
			{Title: "Đã trả lời"},
			{Title: "Đúng hạn (%)"},
			{Title: "Ngày báo cáo", Width: 1.2},
		},
		Note: "Ghi chú: tỷ lệ đúng hạn tính trên số ý kiến đã có văn bản trả lời.",
	}
	var on, pa, tot, ans int64
	for i, c := range communes {
		o, p := int64(40+i*7), int64(12+i*3)
		a := (o + p) * 3 / 4
		t.Rows = append(t.Rows, []Cell{Int(int64(i + 1)), Text(c), Int(o), Int(p), Int(o + p), Int(a), Percent(float64(a-int64(i)) / float64(a)), Date(time.Date(2026, 12, 1+i, 0, 0, 0, 0, hcm))})
		on, pa, tot, ans = on+o, pa+p, tot+o+p, ans+a
	}
	t.Total = []Cell{Text(""), Text("Tổng cộng"), Int(on), Int(pa), Int(tot), Int(ans), Percent(0.9125), Text("")}

	months := []string{"01/2026", "02/2026", "03/2026", "04/2026", "05/2026", "06/2026", "07/2026", "08/2026", "09/2026", "10/2026", "11/2026", "12/2026"}
	recv := []float64{120, 98, 143, 160, 151, 170, 188, 175, 190, 205, 1234, 230}
	answ := []float64{100, 90, 120, 150, 140, 150, 170, 160, 170, 180, 1100, 200}
	body := []Block{
		Heading{Level: 1, Text: "I. KẾT QUẢ TIẾP NHẬN Ý KIẾN, KIẾN NGHỊ"},
		P("Thực hiện Quy định số 124-QĐ/TW ngày 02/02/2018 của Ban Bí thư về giám sát của Mặt trận Tổ quốc Việt Nam, các tổ chức chính trị - xã hội và Nhân dân đối với việc tu dưỡng, rèn luyện đạo đức, lối sống của người đứng đầu, cán bộ chủ chốt và cán bộ, đảng viên, Ban Thường trực Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh báo cáo kết quả tiếp nhận ý kiến, kiến nghị qua hòm thư góp ý như sau:"),
		Heading{Level: 2, Text: "1. Tiếp nhận"},
		Paragraph{Runs: []Run{{Text: "Trong kỳ, toàn tỉnh tiếp nhận "}, {Text: FormatInt(tot) + " ý kiến", Bold: true}, {Text: ", trong đó "}, {Text: "trực tuyến", Italic: true}, {Text: " " + FormatInt(on) + " ý kiến và thư giấy " + FormatInt(pa) + " ý kiến; 100% khu dân cư có hòm thư góp ý.\nSố liệu chi tiết tại Bảng 1."}}},
		List{Items: []string{"Phản ánh: 412 ý kiến;", "Kiến nghị: 230 ý kiến;", "Tố cáo: 12 ý kiến."}},
		t,
		&Chart{Kind: Bar, Title: "Biểu đồ 1. Ý kiến tiếp nhận theo tháng", Categories: months, Series: []Series{{Name: "Tiếp nhận", Values: recv}, {Name: "Đã trả lời", Values: answ}}, Unit: "ý kiến"},
		Heading{Level: 2, Text: "2. Xu hướng"},
		&Chart{Kind: Line, Title: "Biểu đồ 2. Tỷ lệ trả lời đúng hạn", Categories: months, Series: []Series{{Name: "Đúng hạn", Values: []float64{0.8, 0.82, 0.85, 0.84, 0.9, 0.88, 0.91, 0.93, 0.92, 0.95, 0.94, 0.96}}}, Percent: true, Height: 60},
		&Chart{Kind: StackedBar, Horizontal: true, Title: "Biểu đồ 3. Ý kiến theo kênh và đơn vị", Categories: communes, Series: []Series{{Name: "Trực tuyến", Values: []float64{40, 47, 54, 61, 68, 75, 82, 89}}, {Name: "Thư giấy", Values: []float64{12, 15, 18, 21, 24, 27, 30, 33}}}},
		Heading{Level: 1, Text: "II. PHƯƠNG HƯỚNG, NHIỆM VỤ"},
		Heading{Level: 3, Text: "a) Đối với Ban công tác Mặt trận khu dân cư"},
		P("Duy trì việc mở hòm thư góp ý hằng tháng có người chứng kiến, ghi sổ theo dõi đầy đủ; kịp thời chuyển thư đến Ban Thường trực Ủy ban Mặt trận Tổ quốc Việt Nam cấp xã."),
	}
	return &Document{
		Managing:   "Ủy ban MTTQ Việt Nam tỉnh Ninh Bình",
		Issuer:     "Ban Thường trực",
		Number:     "12/BC-MTTQ-BTT",
		Place:      "Hoa Lư",
		Date:       time.Date(2026, 12, 7, 0, 0, 0, 0, hcm),
		Kind:       "Báo cáo",
		Summary:    "Tổng hợp ý kiến, kiến nghị của cử tri và Nhân dân qua hòm thư góp ý năm 2026",
		Body:       body,
		Signatures: []Signature{{Authority: "TM. Ban Thường trực", Position: "Chủ tịch", Name: "Nguyễn Thị Thu Hà"}},
		Recipients: []string{"Thường trực Tỉnh ủy", "Ủy ban Kiểm tra Tỉnh ủy", "Các đồng chí Ủy viên Ban Thường trực", "Lưu: VT, TH"},
	}
}

func sampleLetter() *Document {
	return &Document{
		Managing: "Ủy ban MTTQ Việt Nam tỉnh Ninh Bình",
		Issuer:   "Ban Thường trực",
		Number:   "05/MTTQ-BTT",
		Place:    "Hoa Lư",
		Date:     time.Date(2026, 2, 3, 0, 0, 0, 0, hcm),
		Summary:  "chuyển ý kiến phản ánh của Nhân dân đến cơ quan có thẩm quyền",
		Addressees: []string{
			"Ủy ban Kiểm tra Đảng ủy xã Gia Viễn",
		},
		Body: []Block{
			P("Ngày 15/01/2026, Ban Thường trực Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh nhận được ý kiến phản ánh (mã hồ sơ PA-2026-000123) qua hòm thư góp ý trực tuyến về việc tu dưỡng, rèn luyện đạo đức, lối sống của một cán bộ thuộc diện quản lý của Đảng ủy xã."),
			P("Căn cứ Quy định số 124-QĐ/TW, Ban Thường trực chuyển nội dung phản ánh đến quý cơ quan xem xét, giải quyết theo thẩm quyền và thông báo kết quả bằng văn bản trước ngày 05/03/2026."),
			P("Trân trọng./."),
		},
		Signatures: []Signature{{Authority: "TM. Ban Thường trực", Position: "Phó Chủ tịch", Name: "Trần Văn Đức"}},
		Recipients: []string{"Như trên", "Lưu: VT"},
	}
}

func sampleMinutes() *Document {
	letters := &Table{
		Caption: "Danh sách thư trong hòm",
		Columns: []Column{{Title: "STT", Width: 0.5, Align: AlignCenter}, {Title: "Mã thư", Width: 1.4}, {Title: "Tóm tắt nội dung", Width: 3.5}, {Title: "Ký tên", Width: 1}},
		Rows: [][]Cell{
			{Int(1), Text("TG-2026-0001"), Text("Phản ánh việc cán bộ thôn nhận quà biếu của hộ dân khi xác nhận hồ sơ đất đai."), Text("Ẩn danh")},
			{Int(2), Text("TG-2026-0002"), Text("Kiến nghị công khai các khoản đóng góp xây dựng nhà văn hóa."), Text("Có ký tên")},
		},
	}
	return &Document{
		Managing: "Ủy ban MTTQ Việt Nam xã Gia Viễn",
		Issuer:   "Ban Công tác Mặt trận thôn Đông",
		Number:   "03/BB-BCTMT",
		Place:    "Gia Viễn",
		Date:     time.Date(2026, 1, 5, 0, 0, 0, 0, hcm),
		Kind:     "Biên bản",
		Summary:  "Mở hòm thư góp ý tháng 01 năm 2026",
		Body: []Block{
			P("Hôm nay, hồi 08 giờ 30 phút ngày 05/01/2026, tại Nhà văn hóa thôn Đông, Ban Công tác Mặt trận thôn tiến hành mở hòm thư góp ý với sự chứng kiến của:"),
			List{Ordered: true, Items: []string{"Bà Lê Thị Mai – Trưởng ban Công tác Mặt trận;", "Ông Phạm Văn Hùng – Bí thư Chi bộ;", "Ông Đinh Công Tráng – Trưởng thôn."}},
			P("Niêm phong hòm thư còn nguyên vẹn. Trong hòm có 02 thư:"),
			letters,
			P("Biên bản lập xong hồi 09 giờ 15 phút cùng ngày, đã đọc lại cho những người có mặt cùng nghe và nhất trí ký tên."),
		},
		Signatures: []Signature{
			{Position: "Người chứng kiến", Hint: "(Ký, ghi rõ họ tên)", Name: "Phạm Văn Hùng"},
			{Position: "Người lập biên bản", Hint: "(Ký, ghi rõ họ tên)", Name: "Lê Thị Mai"},
			{Position: "Người chứng kiến", Hint: "(Ký, ghi rõ họ tên)", Name: "Đinh Công Tráng"},
		},
	}
}

func sampleLogbook() *Document {
	t := &Table{
		Columns: []Column{
			{Title: "Tháng", Width: 0.8, Align: AlignCenter},
			{Title: "Ngày mở", Width: 1.1},
			{Title: "Người mở", Width: 1.6},
			{Title: "Người chứng kiến", Width: 2.6},
			{Title: "Tình trạng niêm phong", Width: 1.5},
			{Title: "Số thư", Width: 0.8},
			{Title: "Mã biên bản", Width: 1.7},
			{Title: "Ghi chú", Width: 1.2},
		},
	}
	for m := 1; m <= 12; m++ {
		t.Rows = append(t.Rows, []Cell{Text(fmt.Sprintf("%02d/2026", m)), Date(time.Date(2026, time.Month(m), 5, 0, 0, 0, 0, hcm)), Text("Lê Thị Mai"), Text("Phạm Văn Hùng, Đinh Công Tráng"), Text("Nguyên vẹn"), Int(int64(m % 3)), Text(fmt.Sprintf("%02d/BB-BCTMT", m)), Text("")})
	}
	return &Document{
		Orientation: Landscape,
		Managing:    "Ủy ban MTTQ Việt Nam xã Gia Viễn",
		Issuer:      "Ban Công tác Mặt trận thôn Đông",
		Place:       "Gia Viễn",
		Kind:        "Sổ theo dõi mở hòm thư góp ý",
		Summary:     "Năm 2026 — Hòm thư tại Nhà văn hóa thôn Đông",
		Body:        []Block{t},
	}
}
