package app

import (
	"context"
	"crypto/rand"
	"strings"
	"testing"
	"time"

	"homthu/internal/homthu"
	"homthu/internal/secret"
	"homthu/internal/store"
	"homthu/internal/store/storetest"
)

// fixture is an App on storetest.Tree with Front staff, agencies and
// handlers, on one engine:
//
//	37 Tỉnh Ninh Bình      tinh (front); Ban Thường vụ Tỉnh ủy (head Đinh Văn Khoa);
//	                       Ủy ban Kiểm tra Tỉnh ủy (head Nguyễn Văn Hùng, Chủ nhiệm) — the other Hùng
//	  14329 Phường Hoa Lư  xa (front, Phạm Thu Trang); xa2 (front, Lê Thị Hoà, Phó Chủ tịch);
//	                       Đảng ủy phường (head Nguyễn Văn Hùng, Bí thư Đảng ủy), UBND phường (head Trần Văn Bình)
type fixture struct {
	t        *testing.T
	ctx      context.Context
	app      *App
	now      time.Time
	sessions map[string]*homthu.Session
	agencies map[string]*homthu.Agency
}

func newFixture(t *testing.T, engine string) *fixture {
	t.Helper()
	s := storetest.Open(t, engine)
	storetest.Tree(t, s)
	if _, err := s.InstallShippedCatalogs(context.Background()); err != nil {
		t.Fatal(err)
	}
	keys := &secret.Keys{Receipt: make([]byte, 32), Identity: make([]byte, 32)}
	rand.Read(keys.Receipt)
	rand.Read(keys.Identity)
	f := &fixture{t: t, ctx: context.Background(), now: time.Date(2026, 3, 2, 9, 0, 0, 0, homthu.VNTime),
		sessions: map[string]*homthu.Session{}, agencies: map[string]*homthu.Agency{}}
	f.app = &App{Store: s, Keys: keys, Now: func() time.Time { return f.now }}
	for _, ag := range []*homthu.Agency{
		{Unit: "37", Kind: homthu.AgencyPartyCommittee, Name: "Ban Thường vụ Tỉnh ủy Ninh Bình", HeadName: "Đinh Văn Khoa", HeadPosition: "Bí thư Tỉnh ủy"},
		{Unit: "37", Kind: homthu.AgencyInspection, Name: "Ủy ban Kiểm tra Tỉnh ủy Ninh Bình", HeadName: "Nguyễn Văn Hùng", HeadPosition: "Chủ nhiệm Ủy ban Kiểm tra Tỉnh ủy"},
		{Unit: "14329", Kind: homthu.AgencyPartyCommittee, Name: "Đảng ủy phường Hoa Lư", HeadName: "Nguyễn Văn Hùng", HeadPosition: "Bí thư Đảng ủy"},
		{Unit: "14329", Kind: homthu.AgencyManaging, Name: "UBND phường Hoa Lư", HeadName: "Trần Văn Bình", HeadPosition: "Chủ tịch UBND phường"},
	} {
		if err := s.CreateAgency(f.ctx, ag); err != nil {
			t.Fatalf("CreateAgency(%s): %v", ag.Name, err)
		}
		f.agencies[ag.Name] = ag
	}
	for _, u := range []*homthu.User{
		{Username: "tinh", Role: homthu.RoleFront, Unit: "37", FullName: "Vũ Minh Tâm", Position: "Phó Chủ tịch"},
		{Username: "xa", Role: homthu.RoleFront, Unit: "14329", FullName: "Phạm Thu Trang", Position: "Cán bộ"},
		{Username: "xa2", Role: homthu.RoleFront, Unit: "14329", FullName: "Lê Thị Hoà", Position: "Phó Chủ tịch Ủy ban MTTQ phường"},
		{Username: "xa3", Role: homthu.RoleFront, Unit: "14329", FullName: "Đỗ Văn An", Position: "Cán bộ"},
		{Username: "lanhdao", Role: homthu.RoleLeader, Unit: "37"},
		{Username: "ubkt", Role: homthu.RoleAgency, Agency: f.agencies["Ủy ban Kiểm tra Tỉnh ủy Ninh Bình"].ID, FullName: "Hoàng Thị Mai", Position: "Chuyên viên"},
		{Username: "tinhuy", Role: homthu.RoleAgency, Agency: f.agencies["Ban Thường vụ Tỉnh ủy Ninh Bình"].ID, FullName: "Bùi Văn Nam", Position: "Chuyên viên"},
		{Username: "dangu", Role: homthu.RoleAgency, Agency: f.agencies["Đảng ủy phường Hoa Lư"].ID, FullName: "Ngô Thị Lụa", Position: "Văn phòng Đảng ủy"},
	} {
		if err := s.CreateUser(f.ctx, u, "x"); err != nil {
			t.Fatalf("CreateUser(%s): %v", u.Username, err)
		}
		l, err := s.FindLogin(f.ctx, u.Username)
		if err != nil {
			t.Fatal(err)
		}
		f.sessions[u.Username] = &homthu.Session{User: l.User}
	}
	return f
}

func (f *fixture) s(name string) *homthu.Session { return f.sessions[name] }

// submit sends a letter about Phường Hoa Lư and returns its receipt and id.
func (f *fixture) submit(content string, anonymous bool, subject homthu.Subject) (string, string) {
	f.t.Helper()
	sub := homthu.Submission{Area: "14329-001", Content: content, Anonymous: anonymous, Subject: subject}
	if !anonymous {
		sub.Submitter = homthu.Identity{Name: "Trần Thị B", Email: "b@example.vn"}
		sub.Consent = homthu.Consent{Notice: homthu.ConsentNotice}
	}
	r, err := f.app.Submit(f.ctx, sub, "")
	if err != nil {
		f.t.Fatalf("Submit: %v", err)
	}
	return r.Code, r.ItemID
}

func (f *fixture) item(who, id string) *homthu.Item {
	f.t.Helper()
	it, _, err := f.app.Item(f.ctx, f.s(who), id)
	if err != nil {
		f.t.Fatalf("Item(%s, %s): %v", who, id, err)
	}
	return it
}

func ok(t *testing.T, what string, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

func wantCode(t *testing.T, what string, err error, code string) {
	t.Helper()
	if homthu.ErrorCode(err) != code {
		t.Errorf("%s = %v, want %s", what, err, code)
	}
}

// referralOf returns the id of the referral of item that waits.
func (f *fixture) referralOf(id string) int64 {
	f.t.Helper()
	rs, err := f.app.Store.Referrals(f.ctx, id)
	if err != nil || len(rs) == 0 {
		f.t.Fatalf("Referrals(%s) = %v, %v", id, rs, err)
	}
	return rs[len(rs)-1].ID
}

var hung = homthu.Subject{Name: "Nguyễn Văn Hùng", Position: "Chủ tịch UBND phường", Workplace: "UBND phường Hoa Lư", Unit: "14329",
	PartyMember: homthu.Yes, ManagedBy: homthu.ManagedProvince}

// TestProcess takes a named denunciation about a party member from
// submission to the submitter's rating: triage (the Law on Denunciation
// and the inspection committee), the suggested body, referral with a
// numbered letter and a deadline, the agency's acknowledgement and its
// request for more time, the Front's approval, the answer, the Front's
// result with the answer passed on, the receipt page, and "not satisfied"
// reopening the case. Every change is in the history.
func TestProcess(t *testing.T) {
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			f := newFixture(t, engine)
			receipt, id := f.submit("Chủ tịch UBND phường nhận tiền của người dân để làm sổ đỏ nhanh, có người chứng kiến.", false,
				homthu.Subject{Name: "Nguyễn Văn Hùng", Position: "Chủ tịch UBND phường"})
			var err error
			it := f.item("tinh", id)
			if it.Status != homthu.StatusReceived || it.DueOn != "2026-03-17" || it.Consent.Notice != homthu.ConsentNotice || it.Consent.At.IsZero() {
				t.Fatalf("new item: status %s, due %s, consent %+v", it.Status, it.DueOn, it.Consent)
			}

			// Triage by the commune.
			tr := homthu.Triage{Kind: homthu.KindDenunciation, Categories: []string{"NQ4-12", "QD37-05"}, Subject: hung, Priority: homthu.PriorityHigh, Notes: "Cần xác minh với người chứng kiến."}
			it, err = f.app.Triage(f.ctx, f.s("xa"), id, it.Version, tr)
			ok(t, "Triage", err)
			if it.Status != homthu.StatusConsidering || !it.DenunciationLaw || !it.Inspection || strings.Join(homthu.CategoryCodes(it.Categories), ",") != "NQ4-12,QD37-05" {
				t.Fatalf("after triage: %s law=%v inspection=%v %v", it.Status, it.DenunciationLaw, it.Inspection, it.Categories)
			}
			// A stale form changes nothing.
			_, err = f.app.Triage(f.ctx, f.s("xa"), id, it.Version-1, homthu.Triage{Kind: homthu.KindComment})
			wantCode(t, "Triage on a stale version", err, homthu.ECONFLICT)
			// Roles that may not.
			_, err = f.app.Triage(f.ctx, f.s("lanhdao"), id, it.Version, tr)
			wantCode(t, "Triage as leader", err, homthu.EFORBIDDEN)
			_, err = f.app.Refer(f.ctx, f.s("ubkt"), id, it.Version, ReferRequest{Agency: 1})
			wantCode(t, "Refer as agency", err, homthu.EFORBIDDEN)

			// The suggestion: a province-managed party member's denunciation → the provincial UBKT.
			sg, err := f.app.SuggestAgencies(f.ctx, f.s("xa"), id)
			ok(t, "SuggestAgencies", err)
			ubkt := f.agencies["Ủy ban Kiểm tra Tỉnh ủy Ninh Bình"]
			if sg.Competence.Kind != homthu.AgencyInspection || sg.Competence.Level != homthu.ToProvince || len(sg.Agencies) != 1 || sg.Agencies[0].ID != ubkt.ID {
				t.Fatalf("SuggestAgencies = %+v %v", sg.Competence, sg.Agencies)
			}
			// The UBKT is headed by another Nguyễn Văn Hùng (at the province, not the ward): no conflict.
			r, err := f.app.Refer(f.ctx, f.s("xa"), id, it.Version, ReferRequest{Agency: ubkt.ID, Files: true})
			ok(t, "Refer", err)
			if r.Number != "1/MTTQ-BTT" || r.SentOn != "2026-03-02" || r.DueOn != "2026-04-01" || !strings.Contains(r.Letter, "Luật Tố cáo") {
				t.Errorf("referral %+v", r)
			}
			if strings.Contains(r.Letter, "Trần Thị B") || strings.Contains(r.Letter, "b@example.vn") {
				t.Errorf("the covering letter carries the submitter's identity:\n%s", r.Letter)
			}
			it = f.item("xa", id)
			if it.Status != homthu.StatusReferred || it.Agency != ubkt.ID || it.DueOn != "2026-04-01" {
				t.Fatalf("after referral: %s agency %d due %s", it.Status, it.Agency, it.DueOn)
			}
			// A second referral of a referred item is refused by the state machine.
			_, err = f.app.Refer(f.ctx, f.s("xa"), id, it.Version, ReferRequest{Agency: ubkt.ID})
			wantCode(t, "Refer twice", err, homthu.ECONFLICT)

			// The agency's side: only its own handlers see it.
			rid := f.referralOf(id)
			_, err = f.app.AgencyReferral(f.ctx, f.s("tinhuy"), rid)
			wantCode(t, "another agency opens the referral", err, homthu.ENOTFOUND)
			inbox, _, err := f.app.AgencyInbox(f.ctx, f.s("ubkt"), store.AgencyInboxFilter{})
			ok(t, "AgencyInbox", err)
			if len(inbox) != 1 || inbox[0].Referral.ID != rid {
				t.Fatalf("AgencyInbox(ubkt) = %v", inbox)
			}
			c, err := f.app.AgencyReferral(f.ctx, f.s("ubkt"), rid)
			ok(t, "AgencyReferral", err)
			if c.Item.Content == "" || c.Item.Notes != "" {
				t.Errorf("the agency sees content %q and notes %q", c.Item.Content, c.Item.Notes)
			}
			if err := f.app.Acknowledge(f.ctx, f.s("ubkt"), rid); err != nil {
				t.Fatal(err)
			}
			wantCode(t, "Acknowledge twice", f.app.Acknowledge(f.ctx, f.s("ubkt"), rid), homthu.ECONFLICT)
			wantCode(t, "RequestExtension without reason", f.app.RequestExtension(f.ctx, f.s("ubkt"), rid, 10, ""), homthu.EINVALID)
			if err := f.app.RequestExtension(f.ctx, f.s("ubkt"), rid, 10, "Cần xác minh thêm tại UBND phường."); err != nil {
				t.Fatal(err)
			}
			wantCode(t, "a second request", f.app.RequestExtension(f.ctx, f.s("ubkt"), rid, 5, "Thêm nữa."), homthu.ECONFLICT)
			it = f.item("xa", id)
			it, err = f.app.DecideExtension(f.ctx, f.s("xa"), id, it.Version, true, "")
			ok(t, "DecideExtension", err)
			if it.DueOn != "2026-04-11" {
				t.Errorf("due after 10 more days = %s, want 2026-04-11", it.DueOn)
			}
			f.now = f.now.AddDate(0, 0, 20)
			wantCode(t, "an answer without text or file", f.app.AnswerReferral(f.ctx, f.s("ubkt"), rid, homthu.Answer{Outcome: homthu.OutcomeFounded}), homthu.EINVALID)
			if err := f.app.AnswerReferral(f.ctx, f.s("ubkt"), rid, homthu.Answer{Outcome: homthu.OutcomePartlyFounded,
				Measures: "Kiểm điểm, rút kinh nghiệm.", Text: "Ủy ban Kiểm tra Tỉnh ủy đã xác minh: nội dung tố cáo đúng một phần."}); err != nil {
				t.Fatal(err)
			}
			wantCode(t, "answer twice", f.app.AnswerReferral(f.ctx, f.s("ubkt"), rid, homthu.Answer{Outcome: homthu.OutcomeFounded, Text: "x"}), homthu.ECONFLICT)

			// The Front tells the submitter and closes.
			it = f.item("xa", id)
			if it.Status != homthu.StatusAnswered {
				t.Fatalf("after the answer: %s", it.Status)
			}
			_, err = f.app.Close(f.ctx, f.s("xa"), id, it.Version, "", true)
			wantCode(t, "Close without a message", err, homthu.EINVALID)
			it, err = f.app.Close(f.ctx, f.s("xa"), id, it.Version, "Ủy ban Kiểm tra Tỉnh ủy đã trả lời; kết quả như văn bản kèm theo.", true)
			ok(t, "Close", err)
			if it.Status != homthu.StatusClosed || it.DueOn != "" {
				t.Fatalf("after close: %s due %q", it.Status, it.DueOn)
			}

			// The submitter reads and rates.
			v, err := f.app.Track(f.ctx, receipt)
			ok(t, "Track", err)
			if v.Answer == nil || v.Answer.Outcome != homthu.OutcomePartlyFounded || !v.CanRate || v.Status != homthu.StatusClosed {
				t.Fatalf("Track = %+v", v)
			}
			var notes []string
			for _, st := range v.Steps {
				notes = append(notes, st.PublicNote)
			}
			all := strings.Join(notes, "\n")
			for _, want := range []string{"Tố cáo", "Luật Tố cáo", "Ủy ban Kiểm tra", "1/MTTQ-BTT", "đã nhận", "gia hạn", "kết quả như văn bản"} {
				if !strings.Contains(all, want) {
					t.Errorf("the receipt's steps lack %q:\n%s", want, all)
				}
			}
			if strings.Contains(all, "Cần xác minh với người chứng kiến") {
				t.Errorf("the receipt shows the staff's notes:\n%s", all)
			}
			wantCode(t, "not satisfied without a reason", f.app.Rate(f.ctx, receipt, false, ""), homthu.EINVALID)
			if err := f.app.Rate(f.ctx, receipt, false, "Người bị tố cáo chỉ bị kiểm điểm, chưa tương xứng."); err != nil {
				t.Fatal(err)
			}
			it = f.item("xa", id)
			if it.Status != homthu.StatusReopened || it.Rating == nil || it.Rating.Satisfied {
				t.Fatalf("after 'not satisfied': %s rating %+v", it.Status, it.Rating)
			}

			// The history has every change, with who and from what to what.
			hist, err := f.app.Store.History(f.ctx, id, false)
			ok(t, "History", err)
			var evs []string
			for _, h := range hist {
				evs = append(evs, string(h.Event)+":"+string(h.From)+">"+string(h.To)+"@"+h.ActorName)
			}
			want := "triage:received>considering@xa refer:considering>referred@xa acknowledge:referred>referred@ubkt " +
				"extension_request:referred>referred@ubkt extension_decide:referred>referred@xa answer:referred>answered@ubkt " +
				"close:answered>closed@xa reopen:closed>reopened@Người phản ánh"
			if got := strings.Join(evs, " "); got != want {
				t.Errorf("history:\n got %s\nwant %s", got, want)
			}
			if hist[0].Changes[0].Field != "Loại" || hist[0].Changes[0].To != "Tố cáo" {
				t.Errorf("triage changes = %+v", hist[0].Changes)
			}
			if last := hist[len(hist)-1]; !last.DateOnly {
				t.Errorf("the submitter's act keeps its time: %+v", last)
			}
		})
	}
}
