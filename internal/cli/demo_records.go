package cli

import (
	"context"
	"fmt"
	"time"

	"homthu/internal/app"
	"homthu/internal/homthu"
)

// demoRecords grows the Front's records of the demo province (issue 10):
// the province's coordination programme with the socio-political
// organisations, and one for most communes (so that the seed's "8/8
// signed" shows as a real ratio, with a few communes still missing);
// dialogue conferences, trainings, briefings and supervision visits over
// the past year; and three communes as pilot units. It returns how many
// programmes, activities and pilots it made.
func demoRecords(ctx context.Context, a *app.App, front *homthu.Session, communes []homthu.Unit) (programmes, activities, pilots int, err error) {
	now := time.Now()
	if a.Now != nil {
		now = a.Now()
	}
	now = now.In(homthu.VNTime)
	day := func(t time.Time) string { return t.Format(time.DateOnly) }
	yearStart := time.Date(now.Year(), 1, 1, 0, 0, 0, 0, homthu.VNTime)
	orgs := []string{"Hội Liên hiệp Phụ nữ", "Hội Nông dân", "Hội Cựu chiến binh", "Đoàn Thanh niên Cộng sản Hồ Chí Minh", "Công đoàn"}
	parties := func(unit string) []string {
		out := []string{"Ủy ban MTTQ Việt Nam " + unit}
		for _, o := range orgs {
			out = append(out, o+" "+unit)
		}
		return out
	}
	if _, err := a.CreateProgramme(ctx, front, homthu.Programme{Unit: demoProvince, Number: "01/CTPH-MTTQ-CTXH", SignedOn: day(yearStart.AddDate(-2, 2, 14)),
		Title: "Chương trình phối hợp thực hiện Quy định 124-QĐ/TW về giám sát đạo đức, lối sống của cán bộ, đảng viên", Parties: parties("tỉnh Ninh Bình"),
		Scope: "Giám sát việc tu dưỡng, rèn luyện đạo đức, lối sống của người đứng đầu, cán bộ chủ chốt và cán bộ, đảng viên ở khu dân cư.",
		From:  day(yearStart.AddDate(-2, 2, 14)), To: day(yearStart.AddDate(3, 0, -1))}); err != nil {
		return 0, 0, 0, fmt.Errorf("demo programme: %w", err)
	}
	programmes++
	topics := map[homthu.ActivityKind][]string{
		homthu.ActivityDialogue:    {"Đối thoại giữa người đứng đầu cấp ủy, chính quyền với Nhân dân", "Đối thoại về công tác tiếp nhận, trả lời ý kiến qua hòm thư góp ý"},
		homthu.ActivityTraining:    {"Tập huấn nghiệp vụ giám sát theo Quy định 124-QĐ/TW", "Tập huấn mở hòm thư góp ý và lập biên bản"},
		homthu.ActivityBriefing:    {"Quán triệt Quy định 124-QĐ/TW đến Ban công tác Mặt trận", "Triển khai kế hoạch giám sát năm " + fmt.Sprint(now.Year())},
		homthu.ActivitySupervision: {"Giám sát việc tu dưỡng, rèn luyện đạo đức của cán bộ chủ chốt", "Giám sát việc giải quyết ý kiến qua hòm thư góp ý"},
	}
	others := 0 // pilots besides Hoa Lư
	for ci, cm := range communes {
		h := demoHash("records", cm.Code)
		if ci%9 != 8 || cm.Code == "14329" {
			signed := yearStart.AddDate(-1, int(h%10), int(h%27))
			if _, err := a.CreateProgramme(ctx, front, homthu.Programme{Unit: cm.Code, Number: fmt.Sprintf("%02d/CTPH-MTTQ", 1+h%5), SignedOn: day(signed),
				Title: "Chương trình phối hợp giám sát đạo đức, lối sống của cán bộ, đảng viên ở khu dân cư", Parties: parties(cm.FullName),
				Scope: "Các khu dân cư của " + cm.FullName + ".", From: day(signed), To: day(signed.AddDate(5, 0, -1))}); err != nil {
				return 0, 0, 0, fmt.Errorf("demo programme %s: %w", cm.Code, err)
			}
			programmes++
		}
		for j := 0; j < 1+int(h%4); j++ {
			kind := homthu.ActivityKinds[(int(h)+j)%len(homthu.ActivityKinds)]
			held := now.AddDate(0, -1-int((h>>uint(j+3))%11), -int((h>>uint(j))%25))
			total := 30 + int((h>>uint(j+5))%90)
			var by []homthu.OrgCount
			left := total
			for k, o := range orgs[:3] {
				n := left / (4 - k)
				by = append(by, homthu.OrgCount{Org: o, Count: n})
				left -= n
			}
			if _, err := a.CreateActivity(ctx, front, homthu.Activity{Unit: cm.Code, Kind: kind, HeldOn: day(held),
				Topic: topics[kind][j%2], Participants: total, ByOrg: by,
				Outcome: "Tiếp thu " + fmt.Sprint(2+h%6) + " ý kiến, kiến nghị; giao Ban Thường trực theo dõi việc trả lời."}); err != nil {
				return 0, 0, 0, fmt.Errorf("demo activity %s: %w", cm.Code, err)
			}
			activities++
		}
		if cm.Code == "14329" || (others < 2 && ci%7 == 3) {
			if cm.Code != "14329" {
				others++
			}
			if _, err := a.CreatePilot(ctx, front, homthu.Pilot{Unit: cm.Code, From: day(yearStart), To: day(yearStart.AddDate(1, 0, -1)),
				Note: "Điểm chỉ đạo thực hiện Quy định 124-QĐ/TW năm " + fmt.Sprint(now.Year())}); err != nil {
				return 0, 0, 0, fmt.Errorf("demo pilot %s: %w", cm.Code, err)
			}
			pilots++
		}
	}
	return programmes, activities, pilots, nil
}
