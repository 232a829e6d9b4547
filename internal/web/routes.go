package web

import (
	"net/http"
	"strings"

	"homthu/internal/homthu"
)

// route is one page: its method and pattern, the permission it needs, and
// its handler. act "" is a public page (h); any other act is a staff page
// (staff) that needs a live session whose role may do act — homthu.ActSession
// for any logged-in account. The table is the enforcement: the staff
// wrapper checks act before the handler runs (and the app checks again).
// TestRouteRoleMatrix walks it with every role.
type route struct {
	method, pattern string
	act             homthu.Action
	h               handlerFunc
	staff           staffFunc
}

// routeTable lists every page with its method, on one screen. Citizen pages
// are in Vietnamese words a person can read aloud; nothing secret is ever
// in a path or query (receipts travel in POST bodies only).
func (s *Server) routeTable() []route {
	pub := func(method, pattern string, h handlerFunc) route {
		return route{method: method, pattern: pattern, h: h}
	}
	staff := func(method, pattern string, act homthu.Action, h staffFunc) route {
		return route{method: method, pattern: pattern, act: act, staff: h}
	}
	return []route{
		// Citizens.
		pub("GET", "/{$}", s.home),
		pub("GET", "/gui", s.submitForm),                           // ?q= search, ?duoi= browse, ?area= the form
		pub("POST", "/gui", s.submit),                              // the form → the receipt page
		pub("POST", "/gui/da-luu", s.confirmSaved),                 // "I saved the receipt" → /da-gui
		pub("GET", "/da-gui", s.thanks),                            // the thanks page, the receipt no longer on screen
		pub("GET", "/tra-cuu", s.trackForm),                        // the receipt form
		pub("POST", "/tra-cuu", s.track),                           // receipt in the body → status and thread
		pub("POST", "/tra-cuu/tin-nhan", s.trackReply),             // receipt + message → thread again
		pub("POST", "/tra-cuu/bang-chung", s.trackProof),           // receipt → the proof bundle as a download
		pub("POST", "/tra-cuu/danh-gia", s.trackRate),              // receipt, hai_long=1|0, y_kien → the page again (not satisfied reopens)
		pub("POST", "/tra-cuu/van-ban-tra-loi", s.trackAnswerFile), // receipt → the agency's written answer as a download
		pub("GET", "/minh-bach", s.transparency),                   // the transparency log: key, checkpoint, how to check
		pub("POST", "/minh-bach", s.verifyBundle),                  // a proof bundle → valid or not
		pub("GET", "/static/{name}", s.staticFile),
		pub("GET", "/tim-hom-thu", s.finder), // ?q= an area's or commune's name, ?duoi= a commune: where the boxes are, when opened

		// The posted standards (niêm yết): the 27 manifestations, the 19 prohibitions.
		pub("GET", "/niem-yet", s.standards),
		pub("GET", "/niem-yet/ap-phich.pdf", s.standardsPoster), // ?kho=A4|A3: the poster to pin on the board
		pub("GET", "/niem-yet/{catalog}", s.standardsCatalog),   // every item with its explanation, printable
		pub("GET", "/niem-yet/muc/{code}", s.standard),          // one item, "report a case of this"

		// Document search.
		pub("GET", "/van-ban", s.documents), // ?q=&loai=&co-quan=&nam=&tu=
		pub("GET", "/van-ban/{doc}", s.documentPage),
		pub("GET", "/van-ban/{doc}/tep", s.documentFile),

		// News.
		pub("GET", "/tin-tuc", s.newsList), // ?chuyen-muc=&don-vi=&truoc=AT.ID ("Xem thêm")
		pub("GET", "/tin-tuc/rss.xml", s.newsFeed(false)),
		pub("GET", "/tin-tuc/atom.xml", s.newsFeed(true)),
		pub("GET", "/tin-tuc/anh/{sha}", s.newsImage), // the images of posts, and nothing else
		pub("GET", "/tin-tuc/{slug}", s.newsPost),

		// Open statistics.
		pub("GET", "/thong-ke", s.statsPage), // ?tinh=&nam=
		pub("GET", "/thong-ke.csv", s.statsCSV),

		// The editorial board (issue 11): the public form, its thanks page.
		pub("GET", "/gui-ban-bien-tap", s.editorialForm),
		pub("POST", "/gui-ban-bien-tap", s.sendEditorial), // multipart, one file; token, honeypot → /da-gui or the form again
		pub("GET", "/gui-ban-bien-tap/da-gui", s.editorialThanks),

		// Front staff.
		pub("GET", "/can-bo/dang-nhap", s.loginForm),
		pub("POST", "/can-bo/dang-nhap", s.login),
		pub("POST", "/can-bo/dang-xuat", s.logout),
		pub("GET", "/can-bo", s.toStaff),
		staff("GET", "/can-bo/{$}", homthu.ActReadItems, s.inbox),
		staff("GET", "/can-bo/thu/{id}", homthu.ActReadItems, s.item),
		staff("POST", "/can-bo/thu/{id}/tin-nhan", homthu.ActMessage, s.itemMessage),
		staff("GET", "/can-bo/thu/{id}/tep/{n}", homthu.ActReadItems, s.attachment),
		staff("POST", "/can-bo/thu/{id}/danh-tinh", homthu.ActRevealIdentity, s.revealIdentity), // TOTP code + reason → the identity, once
		staff("GET", "/can-bo/nhat-ky", homthu.ActReadAudit, s.auditLog),                        // ?thu= one item's records
		staff("GET", "/can-bo/tai-khoan", homthu.ActSession, s.account),
		staff("POST", "/can-bo/tai-khoan/mat-khau", homthu.ActSession, s.changePassword),
		staff("POST", "/can-bo/tai-khoan/dang-xuat-moi-noi", homthu.ActSession, s.logoutEverywhere),
		staff("POST", "/can-bo/tai-khoan/xac-thuc-hai-lop", homthu.ActSession, s.startTOTP),
		staff("POST", "/can-bo/tai-khoan/xac-thuc-hai-lop/xac-nhan", homthu.ActSession, s.confirmTOTP),
		staff("GET", "/can-bo/tai-khoan-can-bo", homthu.ActManageUsers, s.users),
		staff("POST", "/can-bo/tai-khoan-can-bo/{user}/dat-lai-mat-khau", homthu.ActManageUsers, s.resetPassword),
		staff("POST", "/can-bo/tai-khoan-can-bo/{user}/khoa", homthu.ActManageUsers, s.setDisabled), // khoa=1 disables, khoa=0 enables
		staff("GET", "/can-bo/don-vi-chua-co-can-bo", homthu.ActManageUnits, s.unstaffed),

		// Processing (issue 9): triage, the actions of the workflow, referral, history.
		staff("GET", "/can-bo/thu/{id}/phan-loai", homthu.ActTriage, s.triageEdit),
		staff("POST", "/can-bo/thu/{id}/phan-loai", homthu.ActTriage, s.triage), // version + the classification → the item

		// Catalogues of standards (administrators): list, load a file (preview, then confirm), retire an item.
		staff("GET", "/can-bo/danh-muc", homthu.ActManageCatalogs, s.catalogs),
		staff("POST", "/can-bo/danh-muc", homthu.ActManageCatalogs, s.planCatalog),                  // a file → what it would change
		staff("POST", "/can-bo/danh-muc/nap", homthu.ActManageCatalogs, s.loadCatalog),              // the confirmed file → the new version
		staff("GET", "/can-bo/danh-muc/{code}", homthu.ActManageCatalogs, s.catalogAdmin),           // items, history, retire forms
		staff("POST", "/can-bo/danh-muc/{code}/bai-bo", homthu.ActManageCatalogs, s.retireStandard), // ma, ly_do → a new version
		staff("GET", "/can-bo/danh-muc/{code}/tep", homthu.ActManageCatalogs, s.catalogFile),        // ?phien-ban=N → the file

		// Notifications (platform): every account's own notices.
		staff("GET", "/can-bo/thong-bao", homthu.ActSession, s.notices),                     // ?chua-doc=1 unread only, ?truoc=ID older page
		staff("GET", "/can-bo/thong-bao/{notice}", homthu.ActSession, s.openNotice),         // marks it read → its page
		staff("POST", "/can-bo/thong-bao/{notice}/da-doc", homthu.ActSession, s.readNotice), // marks it read → the list
		staff("POST", "/can-bo/thong-bao/da-doc-het", homthu.ActSession, s.readAllNotices),  // marks all read → the list
		staff("POST", "/can-bo/tai-khoan/thu-dien-tu", homthu.ActSession, s.setNoticeEmail), // the address for notices by mail

		// System status (platform): the mail queue, the jobs, the calendar.
		staff("GET", "/can-bo/he-thong", homthu.ActSystemStatus, s.systemStatus),                    // ?truoc=ID older failed jobs
		staff("POST", "/can-bo/he-thong/gui-lai-thu", homthu.ActSystemStatus, s.retryMail),          // waiting mail due now
		staff("POST", "/can-bo/he-thong/tac-vu/{job}/chay-lai", homthu.ActSystemStatus, s.retryJob), // a failed job again
		staff("GET", "/can-bo/he-thong/lich.txt", homthu.ActSystemStatus, s.workdaysFile),           // the working-day calendar in use
		staff("POST", "/can-bo/he-thong/lich", homthu.ActManageWorkdays, s.loadWorkdays),            // a calendar file (tep or noi_dung) → its years loaded

		// Mailbox openings (issue 8): the mailboxes, the opening flow (each letter saved as registered,
		// idempotent by the form's key), the sealed minutes and their corrections, the compliance board.
		staff("GET", "/can-bo/hom-thu", homthu.ActReadOpenings, s.mailboxes),                         // ?don-vi=&tinh-trang=&sau=cursor
		staff("POST", "/can-bo/hom-thu", homthu.ActManageMailboxes, s.createMailbox),                 // → the box's page
		staff("GET", "/can-bo/hom-thu/moi", homthu.ActManageMailboxes, s.newMailboxForm),             // ?don-vi= the commune (or area)
		staff("GET", "/can-bo/hom-thu/{mailbox}", homthu.ActReadOpenings, s.mailboxPage),             // its openings, ?truoc=cursor
		staff("POST", "/can-bo/hom-thu/{mailbox}", homthu.ActManageMailboxes, s.updateMailbox),       // place, state, schedule
		staff("GET", "/can-bo/hom-thu/{mailbox}/sua", homthu.ActManageMailboxes, s.editMailboxForm),  //
		staff("GET", "/can-bo/hom-thu/{mailbox}/mo", homthu.ActRecordOpening, s.startOpeningForm),    // when, who, the seal
		staff("POST", "/can-bo/hom-thu/{mailbox}/mo", homthu.ActRecordOpening, s.startOpening),       // key → the opening
		staff("GET", "/can-bo/mo-hom-thu/{opening}", homthu.ActReadOpenings, s.opening),              // letters, forms; sealed: the minutes
		staff("POST", "/can-bo/mo-hom-thu/{opening}", homthu.ActRecordOpening, s.updateOpening),      // when, who, the seal (open only)
		staff("GET", "/can-bo/mo-hom-thu/{opening}/sua", homthu.ActRecordOpening, s.editOpeningForm), //
		staff("POST", "/can-bo/mo-hom-thu/{opening}/thu", homthu.ActRecordOpening, s.registerLetter), // one letter (multipart, key)
		staff("POST", "/can-bo/mo-hom-thu/{opening}/thu/{seq}/xoa", homthu.ActRecordOpening, s.removeLetter),
		staff("GET", "/can-bo/mo-hom-thu/{opening}/thu/{seq}/trang/{n}", homthu.ActReadOpenings, s.letterPage), // a photo of a draft letter's page // xac_nhan=1
		staff("POST", "/can-bo/mo-hom-thu/{opening}/niem-phong", homthu.ActRecordOpening, s.sealOpening),       // so_thu = the letters counted
		staff("POST", "/can-bo/mo-hom-thu/{opening}/huy", homthu.ActRecordOpening, s.discardOpening),           // xac_nhan=1, no letter yet
		staff("POST", "/can-bo/mo-hom-thu/{opening}/dinh-chinh", homthu.ActCorrectOpening, s.correctOpening),   // a new linked record
		staff("GET", "/can-bo/mo-hom-thu/{opening}/bien-ban", homthu.ActReadOpenings, s.minutes),               // the sealed minutes, printable
		staff("GET", "/can-bo/mo-hom-thu/{opening}/bien-ban.pdf", homthu.ActReadOpenings, s.minutesPDF),        // Decree 30/2020 PDF
		staff("GET", "/can-bo/mo-hom-thu/{opening}/bang-chung", homthu.ActReadOpenings, s.openingProof),        // the transparency-log proof (JSON)
		staff("GET", "/can-bo/hom-thu/{mailbox}/so-theo-doi", homthu.ActReadOpenings, s.logbook),               // ?nam= the year's logbook, printable
		staff("GET", "/can-bo/hom-thu/{mailbox}/so-theo-doi.pdf", homthu.ActReadOpenings, s.logbookPDF),        // ?nam=
		staff("GET", "/can-bo/mo-hom-thu/tuan-thu", homthu.ActReadCompliance, s.compliance),                    // ?don-vi=&den=YYYY-MM&thang=YYYY-MM&tu=N

		// Agency handlers (issue 9): the referrals to their own body; another body's is a 404.
		staff("GET", "/can-bo/co-quan", homthu.ActHandleReferral, s.agencyInbox), // ?loc=open|answered|all&sap-xep=han&qua-han=1&sau=CURSOR
		staff("GET", "/can-bo/co-quan/chuyen/{referral}", homthu.ActHandleReferral, s.agencyReferral),
		staff("POST", "/can-bo/co-quan/chuyen/{referral}/da-nhan", homthu.ActHandleReferral, s.acknowledge),
		staff("POST", "/can-bo/co-quan/chuyen/{referral}/gia-han", homthu.ActHandleReferral, s.requestExtension), // so_ngay, ly_do
		staff("POST", "/can-bo/co-quan/chuyen/{referral}/tra-loi", homthu.ActHandleReferral, s.answerReferral),   // multipart: ket_qua, bien_phap, noi_dung, tep
		staff("GET", "/can-bo/co-quan/chuyen/{referral}/tep/{n}", homthu.ActHandleReferral, s.agencyAttachment),
		staff("GET", "/can-bo/co-quan/chuyen/{referral}/van-ban-tra-loi", homthu.ActHandleReferral, s.agencyAnswerFile),

		// Agencies (administrators, issue 9): the competent bodies of the unit and below, their heads and handler accounts.
		staff("GET", "/can-bo/co-quan-tham-quyen", homthu.ActManageAgencies, s.agencies),
		staff("POST", "/can-bo/co-quan-tham-quyen", homthu.ActManageAgencies, s.createAgency), // don_vi, loai, ten, nguoi_dung_dau, chuc_vu
		staff("GET", "/can-bo/co-quan-tham-quyen/{agency}", homthu.ActManageAgencies, s.agencyAdmin),
		staff("POST", "/can-bo/co-quan-tham-quyen/{agency}", homthu.ActManageAgencies, s.updateAgency),         // ten, nguoi_dung_dau, chuc_vu, ngung
		staff("POST", "/can-bo/co-quan-tham-quyen/{agency}/can-bo", homthu.ActManageAgencies, s.createHandler), // ten_dang_nhap, ho_ten, chuc_vu → the password, once

		// Reports (issue 10): the digest of a unit and a period, its downloads, the background job
		// that writes a long one, the leaders' dashboard, and the items quoted in the digest.
		staff("GET", reportsPath, homthu.ActReadReports, s.reports),                                 // ?don-vi=&ky=thang|quy|sau-thang|nam|khoang&gia-tri=&tu=&den=&tu-dong=N
		staff("GET", reportsPath+"/tai-ve", homthu.ActReadReports, s.reportDownload),                // the same query &dinh-dang=pdf|docx|xlsx|csv
		staff("POST", reportsPath+"/xuat", homthu.ActReadReports, s.startReportJob),                 // the same fields + dinh-dang → the job's page
		staff("GET", reportsPath+"/tac-vu/{report}", homthu.ActReadReports, s.reportJob),            // progress; reloads itself while running
		staff("GET", reportsPath+"/tac-vu/{report}/tai-ve", homthu.ActReadReports, s.reportJobFile), // the file, once done
		staff("GET", dashboardPath, homthu.ActReadReports, s.dashboard),                             // ?don-vi= the last 12 months, by level
		staff("POST", "/can-bo/thu/{id}/trich-dan", homthu.ActQuoteItems, s.quoteItem),              // ghi_chu; bo=1 removes

		// Documents (editors): import files, correct a document's fields.
		staff("GET", "/can-bo/van-ban", homthu.ActManageDocuments, s.documentsAdmin),
		staff("POST", "/can-bo/van-ban", homthu.ActManageDocuments, s.importDocuments),
		staff("GET", "/can-bo/van-ban/{doc}", homthu.ActManageDocuments, s.documentEdit),
		staff("POST", "/can-bo/van-ban/{doc}", homthu.ActManageDocuments, s.saveDocument),

		// The editorial board's inbox (editors, administrators): read, answer by mail, mark done.
		staff("GET", "/can-bo/ban-bien-tap", homthu.ActEditorialInbox, s.editorialInbox),                    // ?tinh-trang=new|replied|done|tat-ca&truoc=ID
		staff("GET", "/can-bo/ban-bien-tap/{message}", homthu.ActEditorialInbox, s.editorialMessage),        // ?xong= the note after an action
		staff("GET", "/can-bo/ban-bien-tap/{message}/tep", homthu.ActEditorialInbox, s.editorialFile),       // the attachment, a download
		staff("POST", "/can-bo/ban-bien-tap/{message}/tra-loi", homthu.ActEditorialInbox, s.replyEditorial), // reply, key → the mail queue
		staff("POST", "/can-bo/ban-bien-tap/{message}/xong", homthu.ActEditorialInbox, s.doneEditorial),     // xong=1 done, xong=0 open again

		// The Front's records (issue 10): coordination programmes, activities, pilot units, the "8/8 signed" ratio.
		staff("GET", "/can-bo/cong-tac", homthu.ActReadRecords, s.records),                                                    // ?don-vi=&tu=&den=&truoc-ct=&truoc-hd=
		staff("POST", "/can-bo/cong-tac/chuong-trinh", homthu.ActManageRecords, s.recordPost("programme", s.createProgramme)), // multipart, one file
		staff("POST", "/can-bo/cong-tac/hoat-dong", homthu.ActManageRecords, s.recordPost("activity", s.createActivity)),      // multipart, up to 5 files
		staff("POST", "/can-bo/cong-tac/diem-chi-dao", homthu.ActManageRecords, s.recordPost("pilot", s.createPilot)),         //
		staff("GET", "/can-bo/cong-tac/chuong-trinh/{programme}/tep", homthu.ActReadRecords, s.programmeFile),                 // the programme's document
		staff("GET", "/can-bo/cong-tac/hoat-dong/{activity}/tep/{n}", homthu.ActReadRecords, s.activityFile),                  // an activity's file

		// News (editors): posts, drafts, scheduled publication, images.
		staff("GET", "/can-bo/tin-tuc", homthu.ActManageNews, s.postsAdmin),
		staff("GET", "/can-bo/tin-tuc/moi", homthu.ActManageNews, s.newPostForm),
		staff("POST", "/can-bo/tin-tuc", homthu.ActManageNews, s.savePost),
		staff("POST", "/can-bo/tin-tuc/anh", homthu.ActManageNews, s.uploadPostImage),
		staff("GET", "/can-bo/tin-tuc/{post}", homthu.ActManageNews, s.editPostForm),
		staff("POST", "/can-bo/tin-tuc/{post}", homthu.ActManageNews, s.savePost),
	}
}

// NavLink is a link of the staff menu.
type NavLink struct {
	Href, Label string
	act         homthu.Action
	// Count is shown beside the label when not 0 (unread notices); Max
	// means "at least Count".
	Count int
	Max   bool
}

// staffNav is the staff menu. Each link is shown only to the roles whose
// permission its route needs (TestStaffNav holds the two tables together).
var staffNav = []NavLink{
	{Href: "/can-bo/", Label: "Hộp thư", act: homthu.ActReadItems},
	{Href: agencyPath, Label: "Văn bản chuyển đến", act: homthu.ActHandleReferral},
	{Href: noticesPath, Label: "Thông báo", act: homthu.ActSession},
	{Href: "/can-bo/nhat-ky", Label: "Nhật ký truy cập", act: homthu.ActReadAudit},
	{Href: "/can-bo/tai-khoan-can-bo", Label: "Tài khoản cán bộ", act: homthu.ActManageUsers},
	{Href: agenciesPath, Label: "Cơ quan có thẩm quyền", act: homthu.ActManageAgencies},
	{Href: "/can-bo/don-vi-chua-co-can-bo", Label: "Đơn vị chưa có cán bộ", act: homthu.ActManageUnits},
	{Href: "/can-bo/danh-muc", Label: "Danh mục biểu hiện, điều cấm", act: homthu.ActManageCatalogs},
	{Href: "/can-bo/van-ban", Label: "Văn bản", act: homthu.ActManageDocuments},
	{Href: "/can-bo/tin-tuc", Label: "Tin tức", act: homthu.ActManageNews},
	{Href: editorialInboxPath, Label: "Thư gửi ban biên tập", act: homthu.ActEditorialInbox},
	{Href: recordsPath, Label: "Chương trình, hoạt động", act: homthu.ActReadRecords},
	{Href: mailboxesPath, Label: "Hòm thư, mở hòm thư", act: homthu.ActReadOpenings},
	{Href: compliancePath, Label: "Tình hình mở hòm thư", act: homthu.ActReadCompliance},
	{Href: dashboardPath, Label: "Bảng điều khiển", act: homthu.ActReadReports},
	{Href: reportsPath, Label: "Báo cáo tổng hợp", act: homthu.ActReadReports},
	{Href: "/can-bo/he-thong", Label: "Tình trạng hệ thống", act: homthu.ActSystemStatus},
	{Href: "/can-bo/tai-khoan", Label: "Tài khoản của tôi", act: homthu.ActSession},
}

// noticesPath is the notices page, whose menu link shows the unread count.
const noticesPath = "/can-bo/thong-bao"

// routes builds the mux from the table. A pattern's methods are served
// together, so that a known path asked with another method is a 405 page
// naming the methods it takes (with Allow), not a 404.
func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	byPattern := map[string][]route{}
	var order []string
	for _, rt := range s.routeTable() {
		if _, ok := byPattern[rt.pattern]; !ok {
			order = append(order, rt.pattern)
		}
		byPattern[rt.pattern] = append(byPattern[rt.pattern], rt)
	}
	for _, p := range order {
		rts := byPattern[p]
		var allow []string
		for _, rt := range rts {
			allow = append(allow, rt.method)
			if rt.method == http.MethodGet {
				allow = append(allow, http.MethodHead)
			}
		}
		mux.Handle(p, s.handle(func(w http.ResponseWriter, r *http.Request) error {
			for _, rt := range rts {
				if r.Method == rt.method || (rt.method == http.MethodGet && r.Method == http.MethodHead) {
					if rt.staff != nil {
						return s.staffOnly(rt.act, rt.staff)(w, r)
					}
					return rt.h(w, r)
				}
			}
			w.Header().Set("Allow", strings.Join(allow, ", "))
			return errMethod
		}))
	}
	mux.Handle("/", s.handle(s.notFound))
	return mux
}

// errMethod is the answer to a known path asked with a method it does not
// take; renderError gives it the status 405.
var errMethod = homthu.Errorf(homthu.EINVALID, "Địa chỉ này không dùng được theo cách này. Nếu bạn vừa tải lại hoặc đánh dấu một trang có biểu mẫu, xin quay lại trang trước, hoặc mở lại từ trang chủ.")

// toStaff answers GET /can-bo: the staff side lives under /can-bo/.
func (s *Server) toStaff(w http.ResponseWriter, r *http.Request) error {
	http.Redirect(w, r, staffPath, http.StatusMovedPermanently)
	return nil
}

// staticFile answers GET /static/{name}.
func (s *Server) staticFile(w http.ResponseWriter, r *http.Request) error {
	s.static.serve(w, r)
	return nil
}
