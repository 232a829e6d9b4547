package loadgen

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
)

// Feedback is the body of POST /api/v1/feedback as a citizen's browser or
// app sends it (the shape of api.FeedbackRequest, kept here so that this
// package depends on nothing of homthu's).
type Feedback struct {
	Area      string     `json:"area"`
	To        string     `json:"to,omitempty"`
	Content   string     `json:"content"`
	Subject   *Subject   `json:"subject,omitempty"`
	Anonymous bool       `json:"anonymous"`
	Submitter *Submitter `json:"submitter,omitempty"`
}

// Subject is the person a letter is about.
type Subject struct {
	Name      string `json:"name,omitempty"`
	Position  string `json:"position,omitempty"`
	Workplace string `json:"workplace,omitempty"`
}

// Submitter is who sent a letter that is not anonymous.
type Submitter struct {
	Name    string `json:"name,omitempty"`
	Phone   string `json:"phone,omitempty"`
	Email   string `json:"email,omitempty"`
	Address string `json:"address,omitempty"`
}

// The pieces letters are made of: what people write to the Front of their
// commune about (roads, waste, land, fees, officials' conduct, support for
// poor households), in the register they write it.
var (
	openings = []string{
		"Kính gửi Ban Thường trực Ủy ban Mặt trận Tổ quốc Việt Nam phường.",
		"Kính gửi Mặt trận Tổ quốc xã,",
		"Tôi là người dân sinh sống tại khu dân cư, xin phản ánh sự việc sau.",
		"Thay mặt một số hộ gia đình trong thôn, tôi viết thư này để phản ánh.",
		"Kính thưa các cô chú, anh chị trong Ban công tác Mặt trận.",
		"Tôi xin trình bày một việc đã kéo dài nhiều tháng nay mà chưa được giải quyết.",
	}
	matters = []string{
		"Đoạn đường liên thôn từ cổng làng ra quốc lộ bị sụt lún, ổ gà sâu, trời mưa nước đọng ngập đến đầu gối, học sinh đi học rất nguy hiểm. Đã có hai vụ ngã xe trong tháng này.",
		"Bãi rác tạm ở cuối xóm không được thu gom đã hơn hai tuần, mùi hôi bốc lên nồng nặc, ruồi muỗi nhiều, các hộ xung quanh không dám mở cửa.",
		"Cán bộ địa chính phường yêu cầu gia đình tôi nộp thêm các khoản phí không có trong quy định khi làm thủ tục cấp giấy chứng nhận quyền sử dụng đất, không có biên lai.",
		"Việc bình xét hộ nghèo năm nay ở thôn không công khai, một số hộ có nhà cao cửa rộng vẫn có tên trong danh sách, trong khi hộ cụ già neo đơn lại bị loại.",
		"Xưởng mộc của một hộ kinh doanh trong ngõ hoạt động đến khuya, tiếng máy cưa ồn ào, bụi gỗ bay sang nhà bên cạnh, ảnh hưởng đến sức khỏe người già và trẻ nhỏ.",
		"Tiền hỗ trợ cho các hộ bị thiệt hại do bão đã được thông báo từ đầu năm nhưng đến nay nhiều hộ vẫn chưa nhận được, hỏi thì cán bộ thôn trả lời chưa có kinh phí.",
		"Đèn chiếu sáng công cộng trên tuyến đường dọc kênh bị hỏng đã ba tháng, buổi tối đường tối om, đã xảy ra mấy vụ trộm xe máy.",
		"Công trình nhà văn hóa thôn thi công chậm, chất lượng kém, tường mới xây đã nứt, người dân đóng góp tiền nhưng không được công khai thu chi.",
		"Một số hộ lấn chiếm hành lang an toàn giao thông để làm quán, dựng lều bạt, xe ô tô không tránh được nhau, chính quyền đã nhắc nhở nhưng không xử lý dứt điểm.",
		"Nước sinh hoạt của nhà máy nước cấp cho khu dân cư có màu vàng đục, có mùi lạ, nhiều hộ phải mua nước bình để nấu ăn nhưng hóa đơn tiền nước vẫn tăng.",
		"Cán bộ tiếp dân ở bộ phận một cửa có thái độ hách dịch, hẹn đi hẹn lại nhiều lần, người dân phải nghỉ làm để đến nộp hồ sơ mà vẫn chưa được giải quyết.",
		"Việc thu tiền xây dựng đường bê tông nông thôn mỗi hộ một triệu đồng là quá cao so với thu nhập của bà con, lại không tổ chức họp dân để lấy ý kiến trước khi thu.",
	}
	details = []string{
		"Sự việc xảy ra từ khoảng tháng Ba đến nay.",
		"Chúng tôi đã phản ánh tại buổi tiếp xúc cử tri nhưng chưa thấy trả lời.",
		"Nhiều hộ dân cùng ký tên đề nghị nhưng không được tiếp nhận.",
		"Tôi có chụp ảnh hiện trường, sẵn sàng cung cấp khi cần.",
		"Ban công tác Mặt trận thôn đã biết việc này.",
		"Bà con rất bức xúc, có người đã định kéo nhau lên trụ sở để hỏi.",
		"Gia đình tôi đã gửi đơn hai lần, lần gần nhất vào đầu tháng trước.",
		"Người dân không được thông báo kết quả xử lý.",
	}
	requests = []string{
		"Đề nghị Mặt trận xem xét, kiến nghị chính quyền sớm giải quyết.",
		"Kính mong các cơ quan có thẩm quyền kiểm tra, làm rõ và trả lời cho người dân được biết.",
		"Đề nghị công khai danh sách và các khoản thu chi để bà con cùng giám sát.",
		"Xin cảm ơn và mong nhận được hồi âm sớm.",
		"Đề nghị xử lý nghiêm nếu có sai phạm, tránh để kéo dài gây mất lòng tin trong nhân dân.",
	}
	surnames    = []string{"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô"}
	middles     = []string{"Văn", "Thị", "Đức", "Ngọc", "Minh", "Thu", "Quang", "Hữu"}
	givens      = []string{"An", "Bình", "Cường", "Dũng", "Hạnh", "Hòa", "Lan", "Mai", "Nam", "Phúc", "Thảo", "Tuấn"}
	positions   = []string{"Cán bộ địa chính", "Trưởng thôn", "Phó Chủ tịch UBND xã", "Công an viên", "Kế toán xã", "Tổ trưởng tổ dân phố"}
	workplaces  = []string{"UBND phường", "UBND xã", "Thôn Đông", "Tổ dân phố số 3", "Bộ phận một cửa"}
	streetNames = []string{"Trần Hưng Đạo", "Lê Lợi", "Đinh Tiên Hoàng", "Lý Thái Tổ", "Hoa Lư", "Nguyễn Huệ"}
)

func pick[T any](r *rand.Rand, s []T) T { return s[r.IntN(len(s))] }

func personName(r *rand.Rand) string {
	return pick(r, surnames) + " " + pick(r, middles) + " " + pick(r, givens)
}

// NewFeedback returns a realistic letter about area: a few sentences of
// Vietnamese (about 300 to 1,500 bytes), anonymous seven times in ten, naming
// the official concerned three times in ten, and addressed to the province
// one time in ten.
func NewFeedback(r *rand.Rand, area string) Feedback {
	var b strings.Builder
	b.WriteString(pick(r, openings))
	for range 1 + r.IntN(3) {
		b.WriteString(" ")
		b.WriteString(pick(r, matters))
	}
	for range r.IntN(3) {
		b.WriteString(" ")
		b.WriteString(pick(r, details))
	}
	b.WriteString(" ")
	b.WriteString(pick(r, requests))
	f := Feedback{Area: area, Content: b.String(), Anonymous: r.IntN(10) < 7}
	if r.IntN(10) == 0 {
		f.To = "province"
	}
	if r.IntN(10) < 3 {
		f.Subject = &Subject{Name: personName(r), Position: pick(r, positions), Workplace: pick(r, workplaces)}
	}
	if !f.Anonymous {
		f.Submitter = &Submitter{
			Name:    personName(r),
			Phone:   fmt.Sprintf("09%08d", r.IntN(100_000_000)),
			Address: fmt.Sprintf("Số %d đường %s", 1+r.IntN(200), pick(r, streetNames)),
		}
	}
	return f
}

// Bodies returns n JSON bodies of NewFeedback letters about area, drawn from
// a generator seeded with seed, so that a run can be repeated.
func Bodies(n int, area string, seed uint64) [][]byte {
	r := rand.New(rand.NewPCG(seed, 0x686f6d746875))
	out := make([][]byte, n)
	for i := range out {
		b, err := json.Marshal(NewFeedback(r, area))
		if err != nil {
			panic("loadgen: marshal feedback: " + err.Error()) // cannot happen: plain strings
		}
		out[i] = b
	}
	return out
}
