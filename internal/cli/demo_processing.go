package cli

import (
	"context"
	"fmt"
	"time"

	"homthu/internal/app"
	"homthu/internal/homthu"
	"homthu/internal/store"
)

// The demo's processing (issue 9): the agencies of the province and two
// wards with their heads and handler accounts, and the sample letters
// taken through the real workflow — triage, referral, the agency's answer,
// the Front's result, the submitter's rating — so that a fresh start shows
// every status and every step.

// demoAgencies are the competent bodies of the demo, with their heads.
var demoAgencies = []homthu.Agency{
	{Unit: "37", Kind: homthu.AgencyPartyCommittee, Name: "Ban Thường vụ Tỉnh ủy Ninh Bình", HeadName: "Đinh Văn Khoa", HeadPosition: "Bí thư Tỉnh ủy"},
	{Unit: "37", Kind: homthu.AgencyInspection, Name: "Ủy ban Kiểm tra Tỉnh ủy Ninh Bình", HeadName: "Nguyễn Văn Hùng", HeadPosition: "Chủ nhiệm Ủy ban Kiểm tra Tỉnh ủy"},
	{Unit: "37", Kind: homthu.AgencyManaging, Name: "Ủy ban nhân dân tỉnh Ninh Bình", HeadName: "Phạm Quang Ngọc", HeadPosition: "Chủ tịch UBND tỉnh"},
	{Unit: "14329", Kind: homthu.AgencyPartyCommittee, Name: "Ban Thường vụ Đảng ủy phường Hoa Lư", HeadName: "Nguyễn Văn Hùng", HeadPosition: "Bí thư Đảng ủy phường"},
	{Unit: "14329", Kind: homthu.AgencyInspection, Name: "Ủy ban Kiểm tra Đảng ủy phường Hoa Lư", HeadName: "Lê Thị Hương", HeadPosition: "Chủ nhiệm Ủy ban Kiểm tra"},
	{Unit: "14329", Kind: homthu.AgencyManaging, Name: "Ủy ban nhân dân phường Hoa Lư", HeadName: "Trần Văn Bình", HeadPosition: "Chủ tịch UBND phường"},
	{Unit: "13285", Kind: homthu.AgencyPartyCommittee, Name: "Ban Thường vụ Đảng ủy phường Phủ Lý", HeadName: "Vũ Thị Hạnh", HeadPosition: "Bí thư Đảng ủy phường"},
	{Unit: "13285", Kind: homthu.AgencyManaging, Name: "Ủy ban nhân dân phường Phủ Lý", HeadName: "Đỗ Minh Tuấn", HeadPosition: "Chủ tịch UBND phường"},
}

// demoHandlers are the demo's handler accounts, one for each agency.
var demoHandlers = []struct{ username, agency, name, position string }{
	{"tinhuy.ninhbinh", "Ban Thường vụ Tỉnh ủy Ninh Bình", "Bùi Văn Nam", "Chuyên viên Văn phòng Tỉnh ủy"},
	{"ubkt.ninhbinh", "Ủy ban Kiểm tra Tỉnh ủy Ninh Bình", "Hoàng Thị Mai", "Chuyên viên Ủy ban Kiểm tra"},
	{"ubnd.ninhbinh", "Ủy ban nhân dân tỉnh Ninh Bình", "Lương Văn Thành", "Chuyên viên Văn phòng UBND tỉnh"},
	{"danguy.hoalu", "Ban Thường vụ Đảng ủy phường Hoa Lư", "Ngô Thị Lụa", "Văn phòng Đảng ủy phường"},
	{"ubkt.hoalu", "Ủy ban Kiểm tra Đảng ủy phường Hoa Lư", "Mai Văn Sơn", "Ủy viên Ủy ban Kiểm tra"},
	{"ubnd.hoalu", "Ủy ban nhân dân phường Hoa Lư", "Bùi Đức Long", "Văn phòng UBND phường"},
	{"danguy.phuly", "Ban Thường vụ Đảng ủy phường Phủ Lý", "Phan Thị Yến", "Văn phòng Đảng ủy phường"},
	{"ubnd.phuly", "Ủy ban nhân dân phường Phủ Lý", "Trịnh Thu Hà", "Văn phòng UBND phường"},
}

// loadDemoAgencies creates the agencies and returns them by name.
func loadDemoAgencies(ctx context.Context, s *store.Store) (map[string]*homthu.Agency, error) {
	out := map[string]*homthu.Agency{}
	for _, ag := range demoAgencies {
		ag := ag
		if err := s.CreateAgency(ctx, &ag); err != nil {
			return nil, fmt.Errorf("demo agency %s: %w", ag.Name, err)
		}
		out[ag.Name] = &ag
	}
	return out, nil
}

// demoCase is one letter of the demo, submitted; process takes it to its
// status through the workflow.
type demoCase struct {
	id, receipt string
	status      homthu.Status
	day         time.Time
	area        string
}

// processDemo takes the submitted letters to their planned statuses, as
// the Front, the agencies and the submitters would, each step a few days
// after the one before.
func processDemo(ctx context.Context, a *app.App, sessions map[string]*homthu.Session, agencies map[string]*homthu.Agency, cases []demoCase) error {
	saved := a.Now
	defer func() { a.Now = saved }()
	kinds := []homthu.Kind{homthu.KindReport, homthu.KindDenunciation, homthu.KindProposal, homthu.KindComment}
	for i, c := range cases {
		if c.status == homthu.StatusReceived {
			continue
		}
		// Each step some days after the one before, the whole within the
		// time between the letter and today (24 days at most).
		at := c.day
		factor := min(1, float64(time.Since(c.day))/float64(25*24*time.Hour))
		step := func(days int) {
			at = at.Add(time.Duration(factor * float64(time.Duration(days)*24*time.Hour+53*time.Minute)))
			a.Now = func() time.Time { return at }
		}
		step(2)
		front := sessions["mttq.hoalu"]
		if c.area[:5] == "13285" {
			front = sessions["mttq.phuly"]
		}
		it, _, err := a.Item(ctx, front, c.id)
		if homthu.ErrorCode(err) == homthu.ENOTFOUND {
			front = sessions["mttq.ninhbinh"] // sent to the province, or in a commune without staff
			it, _, err = a.Item(ctx, front, c.id)
		}
		if err != nil {
			return fmt.Errorf("demo case %d: %w", i, err)
		}
		fail := func(what string, err error) error {
			return fmt.Errorf("demo case %d (%s): %s: %w", i, c.status, what, err)
		}
		switch c.status {
		case homthu.StatusSpam:
			_, err = a.MarkSpam(ctx, front, c.id, it.Version, "Nội dung quảng cáo, không phải phản ánh.")
			if err != nil {
				return fail("spam", err)
			}
			continue
		case homthu.StatusOutOfScope:
			_, err = a.Triage(ctx, front, c.id, it.Version, homthu.Triage{Kind: homthu.KindOutside,
				Explanation: "Nội dung thư không thuộc phạm vi giám sát theo Quy định 124-QĐ/TW. Việc này do Ủy ban nhân dân phường giải quyết; bạn có thể đến Bộ phận tiếp nhận và trả kết quả của phường để được hướng dẫn."})
			if err != nil {
				return fail("redirect", err)
			}
			continue
		case homthu.StatusLinked:
			// Linked to the same letter sent before (the demo's letters
			// repeat every len(demoLetters)), else to a letter before it.
			var err error = homthu.Errorf(homthu.ENOTFOUND, "Không có thư, đơn để gộp vào.")
			for _, j := range append([]int{i - len(demoLetters)}, i-2, i-3, i-4) {
				if j >= 0 && cases[j].status != homthu.StatusSpam && cases[j].status != homthu.StatusLinked {
					if _, err = a.Link(ctx, front, c.id, it.Version, cases[j].id); err == nil {
						break
					}
				}
			}
			if err != nil {
				return fail("link", err)
			}
			continue
		}
		sub := it.Subject
		sub.PartyMember, sub.ManagedBy = homthu.Yes, homthu.ManagedCommune
		if sub.Position == "" && sub.Workplace == "" {
			sub.PartyMember, sub.ManagedBy = homthu.No, homthu.ManagedNone
		}
		if i%5 == 3 {
			sub.ManagedBy = homthu.ManagedProvince
		}
		tr := homthu.Triage{Kind: kinds[i%len(kinds)], Categories: []string{fmt.Sprintf("NQ4-%02d", 10+i%9), fmt.Sprintf("QD37-%02d", 1+i%19)},
			Subject: sub, Priority: homthu.PriorityNormal, Notes: "Đã đọc, cần xác minh thêm với khu dân cư."}
		if it, err = a.Triage(ctx, front, c.id, it.Version, tr); err != nil {
			return fail("triage", err)
		}
		if c.status == homthu.StatusConsidering {
			continue
		}
		sg, err := a.SuggestAgencies(ctx, front, c.id)
		if err != nil {
			return fail("suggest", err)
		}
		ag := pickDemoAgency(sg, agencies)
		step(3)
		if _, err := a.Refer(ctx, front, c.id, it.Version, app.ReferRequest{Agency: ag.ID, Files: true}); err != nil {
			return fail("refer", err)
		}
		if c.status == homthu.StatusReferred {
			continue
		}
		handler := demoHandlerOf(sessions, ag)
		rs, err := a.Store.Referrals(ctx, c.id)
		if err != nil {
			return fail("referrals", err)
		}
		rid := rs[len(rs)-1].ID
		step(2)
		if err := a.Acknowledge(ctx, handler, rid); err != nil {
			return fail("acknowledge", err)
		}
		step(12)
		outcomes := []homthu.Outcome{homthu.OutcomeFounded, homthu.OutcomePartlyFounded, homthu.OutcomeUnfounded, homthu.OutcomeAccepted}
		if err := a.AnswerReferral(ctx, handler, rid, homthu.Answer{Outcome: outcomes[i%len(outcomes)],
			Measures: "Đã tổ chức kiểm điểm, yêu cầu cán bộ có liên quan khắc phục, rút kinh nghiệm.",
			Text:     ag.Name + " đã tiến hành xác minh nội dung phản ánh. Kết quả: " + outcomes[i%len(outcomes)].Label() + ". Đã yêu cầu cán bộ có liên quan nghiêm túc khắc phục và báo cáo kết quả."}); err != nil {
			return fail("answer", err)
		}
		if c.status == homthu.StatusAnswered {
			continue
		}
		step(2)
		if it, _, err = a.Item(ctx, front, c.id); err != nil {
			return fail("item", err)
		}
		if _, err := a.Close(ctx, front, c.id, it.Version, "Mặt trận đã nhận văn bản trả lời của "+ag.Name+" và thông báo kết quả như sau. Cảm ơn bạn đã tin tưởng gửi phản ánh.", true); err != nil {
			return fail("close", err)
		}
		if c.status == homthu.StatusReopened {
			step(3)
			if err := a.Rate(ctx, c.receipt, false, "Tôi chưa thấy cán bộ khắc phục trên thực tế."); err != nil {
				return fail("rate", err)
			}
		} else if i%2 == 0 {
			if err := a.Rate(ctx, c.receipt, true, ""); err != nil {
				return fail("rate", err)
			}
		}
	}
	return nil
}

// pickDemoAgency takes the suggested agency, else one of the reachable
// managing agencies.
func pickDemoAgency(sg *app.Suggestion, all map[string]*homthu.Agency) *homthu.Agency {
	if len(sg.Agencies) > 0 {
		return sg.Agencies[0]
	}
	for _, ag := range sg.Reachable {
		if ag.Kind == homthu.AgencyManaging && sg.Barred[ag.ID] == "" {
			return ag
		}
	}
	return all["Ủy ban nhân dân tỉnh Ninh Bình"]
}

// demoHandlerOf is the session of the agency's demo handler.
func demoHandlerOf(sessions map[string]*homthu.Session, ag *homthu.Agency) *homthu.Session {
	for _, h := range demoHandlers {
		if h.agency == ag.Name {
			return sessions[h.username]
		}
	}
	return nil
}
