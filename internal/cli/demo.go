package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"homthu/internal/app"
	"homthu/internal/homthu"
	"homthu/internal/secret"
	"homthu/internal/units"
)

func runDemo(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	var c Config
	fs := newFlags("demo", "demo [--data DIR] [--database URL]\n\n"+
		"Loads the demo: Ninh Bình province with its 129 communes, residential areas,\n"+
		"staff accounts (passwords printed) and sample feedback in every status.\n"+
		"Running it again changes nothing.", stderr)
	c.storageFlags(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	s, err := openStore(ctx, &c)
	if err != nil {
		return err
	}
	defer s.Close()
	a, err := newApp(ctx, &c, s, stderr)
	if err != nil {
		return err
	}
	return loadDemo(ctx, &c, a, stdout)
}

// The demo's province: today's Ninh Bình (code 37), which took in Hà Nam and
// Nam Định on 1 July 2025.
const demoProvince = "37"

type demoAccount struct {
	username string
	role     homthu.Role
	unit     string
	note     string
	// name and position are the person's, for the conflict-of-interest check.
	name, position string
}

var demoAccounts = []demoAccount{
	{"quantri", homthu.RoleAdmin, "37", "quản trị hệ thống", "", ""},
	{"mttq.ninhbinh", homthu.RoleFront, "37", "cán bộ Ủy ban MTTQ tỉnh Ninh Bình", "Vũ Minh Tâm", "Trưởng ban Dân chủ - Pháp luật"},
	{"mttq.hoalu", homthu.RoleFront, "14329", "cán bộ Ủy ban MTTQ phường Hoa Lư", "Phạm Thu Trang", "Cán bộ Ủy ban MTTQ phường"},
	{"mttq.phuly", homthu.RoleFront, "13285", "cán bộ Ủy ban MTTQ phường Phủ Lý", "Nguyễn Thị Thảo", "Cán bộ Ủy ban MTTQ phường"},
	{"lanhdao.ninhbinh", homthu.RoleLeader, "37", "lãnh đạo Ủy ban MTTQ tỉnh", "Trần Quốc Việt", "Chủ tịch Ủy ban MTTQ tỉnh"},
	{"bancongtac.hoalu", homthu.RoleCommittee, "14329-001", "Ban công tác Mặt trận Tổ dân phố 1, phường Hoa Lư", "", ""},
}

// demoFile keeps the demo accounts' passwords so that a restart with --demo
// can print them again. It is written 0600 in the data directory.
const demoFile = "demo-accounts.txt"

// loadDemo loads the demo into the database unless it is there already (or
// the database holds other data), and prints the accounts.
func loadDemo(ctx context.Context, c *Config, a *app.App, stdout io.Writer) error {
	s := a.Store
	if _, done, err := s.Setting(ctx, "demo_loaded"); err != nil {
		return err
	} else if done {
		fmt.Fprintln(stdout, "Dữ liệu mẫu đã có sẵn; không nạp lại.")
		printDemoAccounts(c, stdout)
		return nil
	}
	if users, err := s.ListUsers(ctx, demoProvince, 1); err == nil && len(users) > 0 {
		fmt.Fprintln(stdout, "Cơ sở dữ liệu đã có dữ liệu; không nạp dữ liệu mẫu.")
		return nil
	}
	start := time.Now()
	fmt.Fprintln(stdout, "Đang nạp dữ liệu mẫu tỉnh Ninh Bình…")

	all, err := units.National()
	if err != nil {
		return err
	}
	var rows []homthu.UnitImport
	var communes []homthu.Unit
	for _, r := range all {
		if r.Unit.Code == demoProvince || r.Unit.Parent == demoProvince {
			rows = append(rows, r)
		}
		if r.Unit.Parent == demoProvince && r.Unit.Kind == homthu.KindCommune {
			communes = append(communes, r.Unit)
		}
	}
	// Residential areas under most communes: 3 to 8 each, and 6 in Hoa Lư.
	areas := 0
	byCommune := map[string][]homthu.Unit{}
	for i, cm := range communes {
		n := 3 + i%6
		if i%7 == 6 && cm.Code != "14329" {
			continue // some communes have no area recorded yet
		}
		for j, name := range units.DemoAreas(cm, n) {
			u := homthu.Unit{Code: fmt.Sprintf("%s-%03d", cm.Code, j+1), Parent: cm.Code, Kind: homthu.KindArea, Name: name, FullName: name}
			rows = append(rows, homthu.UnitImport{Unit: u})
			byCommune[cm.Code] = append(byCommune[cm.Code], u)
			areas++
		}
	}
	if _, err := s.ImportUnits(ctx, rows); err != nil {
		return err
	}

	agencies, err := loadDemoAgencies(ctx, s)
	if err != nil {
		return err
	}
	accounts := append([]demoAccount{}, demoAccounts...)
	for _, h := range demoHandlers {
		accounts = append(accounts, demoAccount{h.username, homthu.RoleAgency, agencies[h.agency].Unit, h.agency, h.name, h.position})
	}
	var lines []string
	sessions := map[string]*homthu.Session{}
	for _, acc := range accounts {
		pw := secret.GeneratePassword()
		u := &homthu.User{Username: acc.username, Role: acc.role, Unit: acc.unit, FullName: acc.name, Position: acc.position}
		if acc.role == homthu.RoleAgency {
			u.Agency = agencies[acc.note].ID
		}
		if err := s.CreateUser(ctx, u, secret.HashPassword(pw)); err != nil {
			return fmt.Errorf("demo user %s: %w", acc.username, err)
		}
		l, err := s.FindLogin(ctx, u.Username)
		if err != nil {
			return err
		}
		sessions[u.Username] = &homthu.Session{User: l.User}
		lines = append(lines, fmt.Sprintf("  %-18s %-20s %s (%s, đơn vị %s)", acc.username, pw, acc.role, acc.note, acc.unit))
	}
	receipts, cases, err := demoItems(ctx, a, communes)
	if err != nil {
		return err
	}
	if err := processDemo(ctx, a, sessions, agencies, cases); err != nil {
		return err
	}
	boxes, openings, letters, err := demoOpenings(ctx, a, sessions["mttq.ninhbinh"], communes, byCommune)
	if err != nil {
		return err
	}
	programmes, activities, pilots, err := demoRecords(ctx, a, sessions["mttq.ninhbinh"], communes)
	if err != nil {
		return err
	}
	n := len(cases)
	if _, err := s.SetSettingOnce(ctx, "demo_loaded", time.Now().UTC().Format(time.RFC3339)); err != nil {
		return err
	}
	text := "Tài khoản mẫu (tên đăng nhập, mật khẩu, vai trò):\n" + strings.Join(lines, "\n") + "\n" +
		"Mã tra cứu mẫu (dùng ở trang Tra cứu):\n  " + strings.Join(receipts, "\n  ") + "\n"
	if err := os.MkdirAll(c.Data, 0o700); err == nil {
		os.WriteFile(filepath.Join(c.Data, demoFile), []byte(text), 0o600)
	}
	fmt.Fprintf(stdout, "Đã nạp: 1 tỉnh, %d xã, phường; %d khu dân cư; %d cơ quan có thẩm quyền; %d tài khoản; %d thư, đơn; "+
		"%d hòm thư, %d lần mở hòm thư với %d thư giấy; %d chương trình phối hợp, %d hội nghị, tập huấn, giám sát, %d điểm chỉ đạo (%.1f giây).\n",
		len(communes), areas, len(agencies), len(accounts), n, boxes, openings, letters, programmes, activities, pilots, time.Since(start).Seconds())
	fmt.Fprint(stdout, text)
	return nil
}

func printDemoAccounts(c *Config, stdout io.Writer) {
	b, err := os.ReadFile(filepath.Join(c.Data, demoFile))
	if errors.Is(err, fs.ErrNotExist) {
		fmt.Fprintf(stdout, "(Mật khẩu tài khoản mẫu đã được in lần nạp đầu tiên; tệp %s không còn.)\n", demoFile)
		return
	}
	stdout.Write(b)
}

// demoLetters are sample feedback texts, written the way people write to the
// Front about the conduct of cadres and party members.
var demoLetters = []struct {
	content, name, position, workplace string
}{
	{"Ông trưởng thôn thường xuyên uống rượu vào buổi trưa rồi mới đến nhà văn hóa làm việc, nói năng to tiếng với bà con. Đề nghị Mặt trận nhắc nhở.", "", "Trưởng thôn", ""},
	{"Cán bộ địa chính xã gây khó khăn, hẹn đi hẹn lại nhiều lần khi gia đình tôi làm thủ tục cấp giấy chứng nhận quyền sử dụng đất, có ý gợi ý \"bồi dưỡng\".", "", "Công chức địa chính – xây dựng", "UBND xã"},
	{"Gia đình một đảng viên trong tổ tổ chức đám cưới cho con 3 ngày liền, mời rất nhiều khách, dựng rạp chiếm cả lòng đường, gây mất trật tự.", "", "Đảng viên", "Chi bộ tổ dân phố"},
	{"Tôi phản ánh việc phân bổ hỗ trợ hộ nghèo năm nay không công khai, có hộ khá giả là người thân của cán bộ vẫn được hỗ trợ.", "", "", "Ban quản lý thôn"},
	{"Cán bộ một cửa của phường có thái độ hách dịch, không hướng dẫn rõ ràng hồ sơ, bắt người dân đi lại nhiều lần.", "", "Công chức bộ phận một cửa", "UBND phường"},
	{"Đề nghị làm rõ việc đảng viên ở khu dân cư tự ý lấn chiếm đất công để xây nhà kho, người dân đã phản ánh nhiều lần nhưng chưa được xử lý.", "", "", ""},
	{"Tôi góp ý: nhà văn hóa thôn xuống cấp, hòm thư góp ý bị hỏng khóa, đề nghị sửa để bà con gửi thư được yên tâm.", "", "", ""},
	{"Một cán bộ xã thường xuyên đánh bạc tại quán nước đầu làng vào buổi tối, ảnh hưởng đến uy tín của cán bộ, đảng viên.", "", "Phó Chủ tịch UBND xã", "UBND xã"},
	{"Khi tiếp dân, đồng chí cán bộ tư pháp nói chuyện thiếu tôn trọng người cao tuổi, đề nghị xem xét, chấn chỉnh.", "", "Công chức tư pháp – hộ tịch", "UBND xã"},
	{"Phản ánh việc thu các khoản đóng góp xây dựng đường bê tông trong thôn vượt quá mức đã bàn bạc, không có chứng từ thu.", "", "Trưởng thôn", ""},
	{"Tôi đề nghị kiểm tra việc một đảng viên là giáo viên tổ chức dạy thêm tràn lan, ép học sinh đi học thêm tại nhà.", "", "Giáo viên", "Trường Trung học cơ sở"},
	{"Đề nghị Mặt trận xem xét việc người đứng đầu cơ quan bố trí người nhà vào làm việc không qua thi tuyển.", "", "Giám đốc", "Trung tâm dịch vụ nông nghiệp"},
	{"Xin hỏi thủ tục đổi giấy phép lái xe ở đâu ạ?", "", "", ""},
	{"Tổ trưởng tổ dân phố tự ý cho thuê sân nhà văn hóa để đỗ xe, tiền thu không công khai với bà con.", "", "Tổ trưởng tổ dân phố", ""},
}

// demoItems submits the sample feedback through the application, exactly as
// citizens and staff would, spread over the past months and every channel,
// each with the status processDemo takes it to.
func demoItems(ctx context.Context, a *app.App, communes []homthu.Unit) ([]string, []demoCase, error) {
	statuses := homthu.Statuses
	// Areas of Hoa Lư and of a few other communes, found by code.
	areaCodes := []string{"14329-001", "14329-002", "14329-003", "13285-001", "13285-002"}
	for i, cm := range communes {
		if i%11 == 3 && i%7 != 6 {
			areaCodes = append(areaCodes, cm.Code+"-001")
		}
	}
	channels := homthu.Channels
	now := time.Now()
	var receipts []string
	var cases []demoCase
	for i := 0; i < 42; i++ {
		l := demoLetters[i%len(demoLetters)]
		sub := homthu.Submission{
			Area:      areaCodes[i%len(areaCodes)],
			To:        homthu.ToCommune,
			Channel:   channels[i%len(channels)],
			Content:   l.content,
			Subject:   homthu.Subject{Name: l.name, Position: l.position, Workplace: l.workplace},
			Anonymous: i%3 != 0,
		}
		if i%9 == 4 {
			sub.To = homthu.ToProvince // about the commune's own leaders
		}
		if !sub.Anonymous {
			sub.Submitter = homthu.Identity{Name: demoNames[i%len(demoNames)], Phone: fmt.Sprintf("09%08d", 12345678+i*7919), Address: "Ninh Bình"}
			sub.Consent = homthu.Consent{Notice: homthu.ConsentNotice}
		}
		day := now.AddDate(0, 0, -(i*4)%150).Add(-time.Duration(i*37) * time.Minute)
		// The demo runs before the server starts: moving the clock back
		// for each letter affects no one else.
		saved := a.Now
		a.Now = func() time.Time { return day }
		r, err := a.Submit(ctx, sub, "")
		a.Now = saved
		if err != nil {
			return nil, nil, fmt.Errorf("demo item %d: %w", i, err)
		}
		st := statuses[i%len(statuses)]
		cases = append(cases, demoCase{id: r.ItemID, receipt: r.Code, status: st, day: day, area: sub.Area})
		if i%4 == 1 {
			msgs := []homthu.Message{
				{From: "front", Body: "Cảm ơn bạn đã gửi phản ánh. Bạn có thể cho biết thêm việc này xảy ra vào thời gian nào không?", At: day.Add(26 * time.Hour)},
				{From: "citizen", Body: "Việc này xảy ra nhiều lần trong tháng trước, thường vào buổi chiều.", At: day.Add(50 * time.Hour)},
			}
			for _, m := range msgs {
				if err := a.Store.AddMessage(ctx, r.ItemID, m, 0); err != nil {
					return nil, nil, err
				}
			}
		}
		if len(receipts) < 3 && sub.Channel == homthu.ChannelOnline {
			receipts = append(receipts, fmt.Sprintf("%s  (%s)", r.Code, st.Label()))
		}
	}
	return receipts, cases, nil
}

var demoNames = []string{"Nguyễn Văn Hùng", "Trần Thị Lan", "Phạm Đức Thắng", "Lê Thị Hoà", "Vũ Quang Huy", "Đinh Thị Thuỷ"}
