package web

import (
	"net/http"

	"homthu/internal/homthu"
)

// HistoryView is one entry of an item's history as the staff page shows
// it (issue 9: "who, when, what changed, from what to what").
type HistoryView struct {
	At, Who, Event string
	// From and To are the status labels, "" when the status stayed.
	From, To string
	Changes  []homthu.Change
	Note     string
	// Public is what the submitter read of this step on the receipt page.
	Public string
}

// historyViews lists the history, oldest first, as the store records it.
func historyViews(hs []homthu.HistoryEntry) []HistoryView {
	out := make([]HistoryView, 0, len(hs))
	for _, h := range hs {
		v := HistoryView{Who: h.ActorName, Event: h.Event.Label(), Changes: h.Changes, Note: h.Note}
		if h.DateOnly {
			v.At = "ngày " + vnDate(homthu.Today(h.At))
		} else {
			v.At = vnTime(h.At)
		}
		if h.From != h.To {
			v.From, v.To = h.From.Label(), h.To.Label()
		}
		if h.Public {
			v.Public = h.PublicNote
			if v.Public == "" {
				v.Public = "(bước này hiện trên trang tra cứu của người phản ánh)"
			}
		}
		out = append(out, v)
	}
	return out
}

// CategoryView is one standard an item was classified under.
type CategoryView struct {
	Code, Heading, Title string
	Retired              bool
}

// categoryViews names the item's standards from the catalogues (a code no
// longer in any catalogue is shown by its code).
func (s *Server) categoryViews(r *http.Request, refs []homthu.StandardRef) ([]CategoryView, error) {
	var out []CategoryView
	for _, ref := range refs {
		st, err := s.app.Standard(r.Context(), ref.Code)
		switch homthu.ErrorCode(err) {
		case "":
			out = append(out, CategoryView{Code: st.Code, Heading: st.CatalogShort + ", " + st.Heading(), Title: st.Title, Retired: st.Retired})
		case homthu.ENOTFOUND:
			out = append(out, CategoryView{Code: ref.Code, Heading: ref.Code})
		default:
			return nil, err
		}
	}
	return out, nil
}

// ruleLines says what the rules of the item's kind require (homthu.RulesFor),
// as the staff read it on the item page.
func ruleLines(it *homthu.Item) []string {
	var out []string
	if it.DenunciationLaw {
		out = append(out, "Đơn tố cáo có ghi tên: xử lý theo Luật Tố cáo năm 2018 (thời hạn, giữ bí mật người tố cáo).")
	}
	if it.Inspection {
		out = append(out, "Người bị tố cáo là đảng viên: chuyển cả Ủy ban Kiểm tra của cấp ủy có thẩm quyền.")
	}
	if it.Kind == homthu.KindDenunciation && it.Anonymous {
		out = append(out, "Tố cáo ẩn danh: không thụ lý như đơn tố cáo (Điều 25 Luật Tố cáo năm 2018), vẫn xem xét như một phản ánh; người gửi đã được báo.")
	}
	if it.Status == homthu.StatusOutOfScope {
		out = append(out, "Không thuộc phạm vi: người gửi đã được hướng dẫn nơi có thẩm quyền (xem lịch sử xử lý).")
	}
	return out
}

// doneLabel is the confirmation after a change, by its event.
func doneLabel(ev homthu.Event) string {
	switch ev {
	case "":
		return ""
	case homthu.EvTriage:
		return "Đã lưu phân loại. Người phản ánh đọc được loại thư, đơn và các thông báo theo quy định khi tra cứu bằng mã."
	}
	if ev.Label() == string(ev) {
		return "" // not an event: nothing to confirm
	}
	return "Đã ghi: " + ev.Label() + "."
}
