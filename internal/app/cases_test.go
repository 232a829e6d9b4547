package app

import (
	"strings"
	"testing"

	"homthu/internal/homthu"
	"homthu/internal/store/storetest"
)

// TestDuplicates: a letter repeating another (without diacritics, the
// words a little moved) is suggested and linked under the first one's
// case; the case's answer and closing reach the duplicate's submitter, and
// their "not satisfied" reopens the case. Nothing is deleted.
func TestDuplicates(t *testing.T) {
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			f := newFixture(t, engine)
			_, first := f.submit("Trưởng thôn Đông thu tiền làm đường bê tông vượt mức đã bàn, không có biên lai, bà con rất bức xúc.", true,
				homthu.Subject{Name: "Trần Văn Tư", Position: "Trưởng thôn"})
			dupReceipt, dup := f.submit("truong thon dong thu tien lam duong be tong vuot muc da ban, khong co bien lai, ba con buc xuc lam", true, homthu.Subject{})
			_, other := f.submit("Đề nghị sửa đèn đường ở ngõ 5.", true, homthu.Subject{})
			ds, err := f.app.Duplicates(f.ctx, f.s("xa"), dup)
			ok(t, "Duplicates", err)
			if len(ds) == 0 || ds[0].Item.ID != first || ds[0].Similarity < dupSimilar {
				t.Fatalf("Duplicates(dup) = %+v, want the first letter, near-identical", ds)
			}
			for _, d := range ds {
				if d.Item.ID == other && d.Similarity >= dupSimilarArea {
					t.Errorf("an unrelated letter is %v alike", d.Similarity)
				}
			}
			it := f.item("xa", dup)
			_, err = f.app.Link(f.ctx, f.s("xa"), dup, it.Version, dup)
			wantCode(t, "Link to itself", err, homthu.EINVALID)
			it, err = f.app.Link(f.ctx, f.s("xa"), dup, it.Version, first)
			ok(t, "Link", err)
			if it.Status != homthu.StatusLinked || it.CaseOf != first {
				t.Fatalf("after Link: %s case %q", it.Status, it.CaseOf)
			}
			// The case is handled once; the duplicate follows it.
			c := f.item("xa", first)
			c, err = f.app.Triage(f.ctx, f.s("xa"), first, c.Version, homthu.Triage{Kind: homthu.KindReport})
			ok(t, "Triage", err)
			c, err = f.app.Close(f.ctx, f.s("xa"), first, c.Version, "UBND phường đã yêu cầu trưởng thôn trả lại số tiền thu vượt.", false)
			ok(t, "Close", err)
			v, err := f.app.Track(f.ctx, dupReceipt)
			ok(t, "Track(dup)", err)
			if !v.CanRate || !strings.Contains(v.Steps[len(v.Steps)-1].PublicNote, "trả lại số tiền") {
				t.Fatalf("the duplicate's receipt: can rate %v, steps %+v", v.CanRate, v.Steps)
			}
			if err := f.app.Rate(f.ctx, dupReceipt, false, "Tiền chưa được trả lại."); err != nil {
				t.Fatal(err)
			}
			if c = f.item("xa", first); c.Status != homthu.StatusReopened {
				t.Errorf("the case after the duplicate's 'not satisfied' is %s, want reopened", c.Status)
			}
			if it = f.item("xa", dup); it.Rating == nil || it.Rating.Satisfied || it.Status != homthu.StatusLinked {
				t.Errorf("the duplicate: %s, rating %+v", it.Status, it.Rating)
			}
			linked, _ := f.app.Store.LinkedTo(f.ctx, first)
			if len(linked) != 1 || linked[0].ID != dup {
				t.Errorf("LinkedTo(first) = %v", linked)
			}
			it, err = f.app.Unlink(f.ctx, f.s("xa"), dup, it.Version, "Nội dung khác nhau về thời gian.")
			ok(t, "Unlink", err)
			if it.Status != homthu.StatusConsidering || it.CaseOf != "" {
				t.Errorf("after Unlink: %s %q", it.Status, it.CaseOf)
			}
		})
	}
}

// TestSpamAndRedirect: spam leaves the inbox but stays, counted apart; an
// item outside the remit is redirected with an explanation the submitter
// reads; both come back with Restore.
func TestSpamAndRedirect(t *testing.T) {
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			f := newFixture(t, engine)
			_, spam := f.submit("quảng cáo vay tiền nhanh lãi suất thấp", true, homthu.Subject{})
			receipt, outside := f.submit("Xin hỏi thủ tục đổi giấy phép lái xe ở đâu ạ?", true, homthu.Subject{})
			it := f.item("xa", spam)
			_, err := f.app.MarkSpam(f.ctx, f.s("xa"), spam, it.Version, "")
			wantCode(t, "MarkSpam without a reason", err, homthu.EINVALID)
			_, err = f.app.MarkSpam(f.ctx, f.s("xa"), spam, it.Version, "Quảng cáo, không phải phản ánh.")
			ok(t, "MarkSpam", err)
			items, _, _ := f.app.Items(f.ctx, f.s("xa"), homthu.ItemFilter{})
			for _, it := range items {
				if it.ID == spam {
					t.Errorf("spam is in the inbox")
				}
			}
			items, _, _ = f.app.Items(f.ctx, f.s("xa"), homthu.ItemFilter{Status: homthu.StatusSpam})
			if len(items) != 1 || items[0].ID != spam {
				t.Errorf("the spam filter lists %d items", len(items))
			}
			counts, _ := f.app.Store.CountItemsByStatus(f.ctx, "14329")
			if counts[homthu.StatusSpam] != 1 {
				t.Errorf("counts = %v", counts)
			}

			it = f.item("xa", outside)
			_, err = f.app.Triage(f.ctx, f.s("xa"), outside, it.Version, homthu.Triage{Kind: homthu.KindOutside})
			wantCode(t, "redirect without an explanation", err, homthu.EINVALID)
			it, err = f.app.Triage(f.ctx, f.s("xa"), outside, it.Version, homthu.Triage{Kind: homthu.KindOutside,
				Explanation: "Việc đổi giấy phép lái xe do Sở Xây dựng giải quyết; bạn có thể nộp hồ sơ tại Trung tâm Phục vụ hành chính công của tỉnh."})
			ok(t, "redirect", err)
			if it.Status != homthu.StatusOutOfScope {
				t.Fatalf("after redirect: %s", it.Status)
			}
			v, _ := f.app.Track(f.ctx, receipt)
			if len(v.Messages) == 0 || !strings.Contains(v.Messages[0].Body, "Sở Xây dựng") || !strings.Contains(v.Steps[0].PublicNote, "Sở Xây dựng") {
				t.Errorf("the submitter is not told where to go: %+v %+v", v.Messages, v.Steps)
			}
			it, err = f.app.Restore(f.ctx, f.s("xa"), outside, it.Version, "Có liên quan đến cán bộ phường, xem lại.")
			ok(t, "Restore", err)
			if it.Status != homthu.StatusConsidering {
				t.Errorf("after Restore: %s", it.Status)
			}
		})
	}
}

// TestHandover: a leaving staff member's open items go to a named
// colleague in one step, each recorded; closed ones stay.
func TestHandover(t *testing.T) {
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			f := newFixture(t, engine)
			xa := f.s("xa").User
			var ids []string
			for i, text := range []string{"Thư thứ nhất về đường làng.", "Thư thứ hai về rác thải.", "Thư thứ ba về tiếng ồn."} {
				_, id := f.submit(text, true, homthu.Subject{})
				it := f.item("tinh", id)
				it, err := f.app.Assign(f.ctx, f.s("tinh"), id, it.Version, xa.ID)
				ok(t, "Assign", err)
				if i == 2 {
					it, err = f.app.Triage(f.ctx, f.s("xa"), id, it.Version, homthu.Triage{Kind: homthu.KindComment})
					ok(t, "Triage", err)
					_, err = f.app.Close(f.ctx, f.s("xa"), id, it.Version, "Đã ghi nhận góp ý.", false)
					ok(t, "Close", err)
				}
				ids = append(ids, id)
			}
			it := f.item("tinh", ids[0])
			_, err := f.app.Assign(f.ctx, f.s("tinh"), ids[0], it.Version, f.s("lanhdao").User.ID)
			wantCode(t, "Assign to a leader", err, homthu.EINVALID)
			_, err = f.app.Handover(f.ctx, f.s("lanhdao"), xa.ID, f.s("xa3").User.ID, "")
			wantCode(t, "Handover as leader", err, homthu.EFORBIDDEN)
			_, err = f.app.Handover(f.ctx, f.s("xa"), xa.ID, f.s("tinh").User.ID, "")
			wantCode(t, "Handover to an account outside the scope", err, homthu.ENOTFOUND)
			n, err := f.app.Handover(f.ctx, f.s("tinh"), xa.ID, f.s("xa3").User.ID, "Đồng chí Trang chuyển công tác.")
			if err != nil || n != 2 {
				t.Fatalf("Handover = %d, %v; want the 2 open items", n, err)
			}
			for i, id := range ids {
				it := f.item("tinh", id)
				want := "xa3"
				if i == 2 {
					want = "xa"
				}
				if it.AssigneeName != want {
					t.Errorf("item %d is with %q, want %q", i, it.AssigneeName, want)
				}
			}
			hist, _ := f.app.Store.History(f.ctx, ids[0], false)
			last := hist[len(hist)-1]
			if last.Event != homthu.EvAssign || last.Note != "Đồng chí Trang chuyển công tác." || last.Changes[0].From != "xa" || last.Changes[0].To != "xa3" {
				t.Errorf("hand-over history = %+v", last)
			}
		})
	}
}
