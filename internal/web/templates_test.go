package web

import (
	"io/fs"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"homthu/internal/app"
	"homthu/internal/catalog"
	"homthu/internal/document"
	"homthu/internal/export"
	"homthu/internal/homthu"
	"homthu/internal/news"
	"homthu/internal/stats"
)

// samplePages is one value of every page struct, with every list and
// optional field filled, so that each branch of each template runs.
func samplePages() []page {
	user := &homthu.User{ID: 1, Username: "xa", Role: homthu.RoleAdmin, Unit: "14329", UnitName: "Phường Hoa Lư"}
	unit := UnitResult{Code: "14329", Name: "Phường Hoa Lư", Kind: homthu.KindCommune, Path: "Tỉnh Ninh Bình",
		Formerly: []string{"Phường Ninh Khánh, Thành phố Ninh Bình"}, Choose: true, Browse: true}
	area := UnitResult{Code: "14329-001", Name: "Tổ dân phố Hòa Bình", Kind: homthu.KindArea, Path: "Phường Hoa Lư › Tỉnh Ninh Bình", Choose: true}
	prov := UnitResult{Code: "37", Name: "Tỉnh Ninh Bình", Kind: homthu.KindProvince, Browse: true}
	msgs := []MessageView{{FromFront: true, Who: "Mặt trận Tổ quốc", At: "09:00 ngày 01/12/2026", Body: "Xin cho biết thêm\nthời gian cụ thể."},
		{Who: "Bạn", At: "ngày 02/12/2026", Body: "Khoảng 10 giờ sáng."}}
	staff := Base{Title: "t", Staff: true, User: user}
	item := &homthu.Item{ID: "abc", Area: "14329-001", Unit: "14329", Channel: homthu.ChannelOnline, Status: homthu.StatusReferred,
		Content: "Nội dung <b>thử</b>", Subject: homthu.Subject{Name: "Nguyễn Văn A", Position: "Trưởng thôn", Workplace: "Thôn Đông"},
		ReceivedOn: "2026-11-28", Unattended: true, UnitName: "Phường Hoa Lư", AreaName: "Tổ dân phố Hòa Bình"}
	svg, _ := qrSVG("7K3M-QX9A-TP2D-H8WE-Z4RC", "Mã QR của mã tra cứu")
	return []page{
		&HomePage{Base: Base{Title: "Trang chủ"}, AnswerDays: 15, Catalogs: []CatalogView{catalogView(retiredSample)},
			News: []PostRow{{Slug: "a", Title: "Tin", Date: "07/12/2026", Category: "Thông báo"}}},
		&NewsPage{Base: Base{Title: "Tin mới"}, Posts: []PostRow{{Slug: "a", Title: "Tin", Summary: "Tóm tắt", Category: "Thông báo", Unit: "Tỉnh Ninh Bình", Date: "07/12/2026"}},
			Categories: []Option{{Value: "thong-bao", Label: "Thông báo", Selected: true}}, Category: "thong-bao", More: "/tin-tuc?truoc=1.2"},
		&NewsPage{Base: Base{Title: "Tin mới"}},
		&PostPage{Base: Base{Title: "Tin"}, Post: PostRow{Slug: "a", Title: "Tin", Summary: "Tóm tắt", Category: "Thông báo", Unit: "Tỉnh Ninh Bình", Date: "07/12/2026"},
			Body: "<h2>Mục</h2><p>Nội dung</p>", Category: "thong-bao"},
		&PostsAdminPage{Base: staff, Posts: []PostAdminRow{{ID: 1, Title: "Tin", State: "Đã đăng", Category: "Thông báo", Slug: "a", Public: true}}},
		&PostsAdminPage{Base: staff},
		&PostFormPage{Base: staff, Post: &news.Post{ID: 1, Title: "Tin", Summary: "s", Body: "b", Category: "thong-bao", Slug: "tin"},
			Categories: []Option{{Value: "thong-bao", Label: "Thông báo", Selected: true}}, PublishAt: "2026-12-07T09:00", Image: "![Mô tả ảnh](/tin-tuc/anh/ab)",
			Notice: "Đã lưu", Error: "Lỗi", Preview: "<p>x</p>"},
		&PostFormPage{Base: staff, Post: &news.Post{Draft: true}},
		&StatsPage{Base: Base{Title: "Số liệu"}, Provinces: []Option{{Value: "37", Label: "Tỉnh Ninh Bình", Selected: true}}, Province: "37", Name: "Tỉnh Ninh Bình",
			Year: 2026, Years: []Option{{Value: "2026", Label: "2026", Selected: true}}, Threshold: 5, CSV: "/thong-ke.csv?tinh=37",
			Rows:  []StatsRow{{Name: "Phường Hoa Lư", Received: stats.Cell{N: 12}, Answered: stats.Cell{N: 3, Suppressed: true}}},
			Total: StatsRow{Name: "Cả tỉnh", Received: stats.Cell{N: 12}, Answered: stats.Cell{N: 3}, Rate: "25%"}, Chart: "<svg role=\"img\"></svg>"},
		&ThanksPage{Base: Base{Title: "Cảm ơn"}, AnswerDays: 15},
		&ErrorPage{Base: Base{Title: "Lỗi"}, Status: 404, Message: "Không tìm thấy."},
		&AreaPage{Base: Base{Title: "Chọn", Script: true}, Query: "hoa lu", Searched: true, Results: []UnitResult{unit, area},
			Parent: &unit, Provinces: []UnitResult{prov}, Error: "Lỗi"},
		&SubmitPage{Base: Base{Title: "Gửi"}, Area: area, Key: "k", To: homthu.ToProvince, Content: "Nội dung",
			Subject: homthu.Subject{Name: "A", Position: "B", Workplace: "C"}, Anonymous: false,
			Submitter: homthu.Identity{Name: "D", Phone: "0912345678", Email: "a@b.vn", Address: "E"}, Consent: true, Retention: "5 năm",
			Files: []KeptFileView{{Token: "t", Name: "ảnh.jpg", Size: "340 KB"}}, Error: "Nội dung phản ánh không được để trống.",
			ErrorField: "content", AnswerDays: 15, MaxFiles: 5, MaxMB: 15},
		&ReceiptPage{Base: Base{Title: "Mã", Script: true}, Code: "7K3M-QX9A-TP2D-H8WE-Z4RC", Received: "ngày 28/11/2026",
			RawTime: "2026-11-28", Anonymous: true, QR: svg, Error: "Xin đánh dấu", TrackURL: "https://homthu.example/tra-cuu"},
		&TrackPage{Base: Base{Title: "Tra cứu"}, Receipt: "7K3M-QX9A-TP2D-H8WE-Z4RC", Found: true, Status: homthu.StatusConsidering,
			StatusOpen: true, Received: "ngày 28/11/2026", Messages: msgs, Reply: "r", ReplyError: "e", Sent: true, AnswerDays: 15,
			Anonymous: true, Proof: true, ProofWait: "Xin quay lại sau.", ProofError: "Lỗi"},
		&TrackPage{Base: Base{Title: "Tra cứu"}, Receipt: "sai", Error: "Mã tra cứu phải có đúng 20 ký tự"},
		&TransparencyPage{Base: Base{Title: "Nhật ký minh bạch"}, Enabled: true, VerifierKey: "homthu.test/log+1234abcd+AbC=",
			LogURL: "https://homthu.example/log", Checkpoint: "homthu.test/log\n3\nAbC=\n\n— homthu.test/log xyz=\n", Size: 3, Cosigned: 1,
			Bundle: "{}", Result: &VerifyResult{Index: 1, Size: 3, Kind: "thư, đơn nhận được", Unit: "Phường Hoa Lư (mã 14329)", Month: "11/2026",
				Cosigned: 1, Current: 5, Consistent: true}, Error: "KHÔNG hợp lệ"},
		&TransparencyPage{Base: Base{Title: "Nhật ký minh bạch"}, Enabled: true, Result: &VerifyResult{Index: 1, Size: 3, Current: 2, Inconsistent: true}},
		&TransparencyPage{Base: Base{Title: "Nhật ký minh bạch"}},
		&LoginPage{Base: Base{Title: "Đăng nhập", Staff: true}, Username: "xa", Next: "/can-bo/", Error: "Sai"},
		&InboxPage{Base: staff, Filter: InboxFilter{Status: "received", Q: "rượu", Cursor: "c"},
			Statuses: []Option{{Value: "received", Label: "Đã tiếp nhận", Selected: true}}, Channels: []Option{{Value: "online", Label: "Trực tuyến"}},
			Units: []Option{{Value: "14329-001", Label: "Tổ dân phố Hòa Bình"}}, Counts: []StatusCount{{Label: "Đã tiếp nhận", N: 3, Href: "/can-bo/?status=received", Current: true}},
			Total: 3, Items: []InboxRow{{ID: "abc", Date: "28/11/2026", Area: "Tổ dân phố Hòa Bình", Unit: "Phường Hoa Lư", Channel: "Trực tuyến",
				Status: "Đã tiếp nhận", Snippet: "Cán bộ…", Unattended: true}}, Next: "/can-bo/?cursor=x", First: "/can-bo/", Error: "Ngày không hợp lệ"},
		&ItemPage{Base: staff, Item: item, Received: "ngày 28/11/2026", Attachments: []AttachmentView{{Href: "/can-bo/thu/abc/tep/0", Name: "a.jpg", Type: "image/jpeg", Size: "1 KB"}},
			Messages: msgs, CanMessage: true, Reply: "r", ReplyError: "e", Sent: true,
			Categories: []CategoryView{{Code: "NQ4-01", Heading: "27 biểu hiện, Biểu hiện 1", Title: "Phai nhạt lý tưởng", Retired: true}},
			Rules:      []string{"Đơn tố cáo có ghi tên"}, CanTriage: true, Done: "Đã lưu phân loại.",
			History: []HistoryView{{At: "09:00 ngày 01/12/2026", Who: "xa", Event: "Phân loại", From: "Đã tiếp nhận", To: "Đang xem xét",
				Changes: []homthu.Change{{Field: "Loại", From: "", To: "Tố cáo"}, {Field: "Ghi chú", From: "a", To: ""}}, Note: "n", Public: "p"}}},
		&TriagePage{Base: staff, Item: item, Version: 3, Kinds: []Option{{Value: "report", Label: "Phản ánh", Selected: true}},
			Catalogs: []CatalogChoice{{Title: "27 biểu hiện", Groups: []GroupChoice{{Title: "Tư tưởng chính trị", Standards: []StandardChoice{
				{Code: "NQ4-01", Heading: "Biểu hiện 1", Title: "Phai nhạt", Checked: true, Retired: true}}}}}},
			Subject: homthu.Subject{Name: "A"}, Party: []Option{{Value: "", Label: "Chưa rõ", Selected: true}},
			Managed: []Option{{Value: "", Label: "Chưa rõ"}}, Priority: []Option{{Value: "normal", Label: "Bình thường", Selected: true}},
			Notes: "n", Explanation: "e", Error: "Thư, đơn này vừa được cập nhật", Conflict: true},
		&TriagePage{Base: staff, Item: &homthu.Item{ID: "x", Anonymous: true}},
		&ItemPage{Base: staff, Item: item, Received: "ngày 28/11/2026", CanReveal: true, HasTOTP: true, Reason: "Cần gọi xác minh", RevealError: "Mã không đúng", CanQuote: true},
		&ItemPage{Base: staff, Item: item, Received: "ngày 28/11/2026", CanQuote: true, Quoted: true},
		&ItemPage{Base: staff, Item: item, Received: "ngày 28/11/2026", CanReveal: true, HasTOTP: false},
		&ItemPage{Base: staff, Item: item, Received: "ngày 28/11/2026", CanReveal: true, HasTOTP: true,
			Identity: &homthu.Identity{Name: "Nguyễn Thị Minh", Phone: "0912345678", Email: "minh@example.vn", Address: "Tổ 3"}},
		&UnstaffedPage{Base: staff, Units: []UnitResult{unit}, Limit: 1},
		&CompliancePage{Base: staff, UnitName: "Tỉnh Ninh Bình", UnitCode: "37", Months: []string{"10/2026", "11/2026"},
			Rows:  []ComplianceRow{{Name: "Phường Hoa Lư", Href: "/can-bo/mo-hom-thu/tuan-thu?don-vi=14329", Areas: 2, OwnBox: true, Cells: []ComplianceCell{{Text: "50 %", Title: "1/2", Class: "bad"}, {Text: "–"}}}},
			Total: []ComplianceCell{{Text: "50 %", Class: "bad"}, {Text: "–"}}, Focus: "10/2026", Last: "2026-11",
			FocusOptions: []Option{{Value: "2026-10", Label: "10/2026", Selected: true}}, Missing: []MissingRow{{Name: "Thôn Đông", Code: "14330-001", Commune: "Xã Gia Viễn", Status: "Không mở"}},
			MissingTotal: 1, More: "/can-bo/mo-hom-thu/tuan-thu?tu=1", Up: "/can-bo/mo-hom-thu/tuan-thu", Legend: []LegendEntry{{Short: "K", Label: "Không mở"}}},
		&CompliancePage{Base: staff, ByArea: true, Months: []string{"11/2026"}, Focus: "10/2026"},
		sampleReport(staff),
		&ReportPage{Base: staff, UnitName: "Phường Hoa Lư", Period: "tháng 11 năm 2026", Kinds: kindOptions(homthu.PeriodMonth)},
		&DashboardPage{ReportPage: *sampleReport(staff), Report: "/can-bo/bao-cao?ky=khoang"},
		&ReportJobPage{Base: staff, Title2: "Báo cáo tổng hợp năm 2026", Format: "DOCX", State: "Đang lập", Percent: 33, Message: "Đang tổng hợp số liệu", Refresh: true, Back: "/can-bo/bao-cao"},
		&ReportJobPage{Base: staff, Title2: "Báo cáo tổng hợp năm 2026", Format: "PDF", State: "Đã lập xong", Percent: 100, Download: "/can-bo/bao-cao/tac-vu/1/tai-ve", Back: "/can-bo/bao-cao"},
		&ReportJobPage{Base: staff, Title2: "Báo cáo tổng hợp năm 2026", Format: "PDF", State: "Không lập được", Error: "Báo cáo không lập được.", Back: "/can-bo/bao-cao"},
		&AccountPage{Base: staff, Notice: "Đã bật", PasswordError: "Sai", EnrolError: "Mã chưa đúng",
			Enrol: &TOTPEnrolment{Secret: "ABCD EFGH", QR: svg, Token: "t.m"}},
		&AccountPage{Base: staff},
		&AccountPage{Base: Base{Title: "t", Staff: true, User: &homthu.User{ID: 2, Username: "lanhdao", Role: homthu.RoleLeader, Unit: "37", UnitName: "Tỉnh Ninh Bình", HasTOTP: true}}},
		&AuditPage{Base: staff, Item: "abc", Limit: 1, Records: []AuditRow{{At: "09:00 ngày 01/12/2026", Action: "Xem danh tính người phản ánh",
			Who: "xa", Unit: "Phường Hoa Lư", Reason: "Cần gọi xác minh", Item: "abc", ItemHref: "/can-bo/thu/abc", Reveal: true}}},
		&AuditPage{Base: staff, Limit: 200},
		&UsersPage{Base: staff, Notice: "Đã khóa", NewPassword: "mat-khau-moi", Username: "xa", Error: "Không tự khóa",
			Users: []UserRow{{ID: 1, Username: "admin", Role: "Quản trị hệ thống", Unit: "Tỉnh Ninh Bình", TOTP: true, Self: true},
				{ID: 2, Username: "xa", Role: "Cán bộ Mặt trận", Unit: "Phường Hoa Lư", Disabled: true}, {ID: 3, Username: "tinh", Role: "Cán bộ Mặt trận"}}},
		&UsersPage{Base: staff},
		&CatalogsPage{Base: staff, Catalogs: []CatalogRow{{Code: "NQ4", Title: "27 biểu hiện suy thoái", Source: "Nghị quyết 04-NQ/TW", Version: 2, Active: 26, Retired: 1}},
			Text: "homthu-catalog 1", Error: "Dòng 1: …"},
		&CatalogAdminPage{Base: staff, Catalog: retiredSample, Groups: groupViews(retiredSample), Notice: "Đã nạp", Error: "Xin ghi lý do",
			Retire: "NQ4-02", Reason: "r", NextVersion: 3,
			Versions: []VersionView{{Version: 2, Origin: "Nạp từ tệp", Author: "admin", When: "09:00 ngày 01/12/2026", Note: "Nguyên văn", SHA256: strings.Repeat("a", 64), Href: "/x"}}},
		&StandardsPage{Base: Base{Title: "Niêm yết"}, Catalogs: []CatalogView{catalogView(retiredSample)}},
		&FinderPage{Base: Base{Title: "Tìm hòm thư"}, Query: "hoa", Searched: true, Results: []FoundUnit{{UnitResult: UnitResult{Code: "14329", Name: "Phường Hoa Lư", Kind: homthu.KindCommune, Choose: true}, Boxes: []PublicBox{{Place: "Trụ sở", Schedule: "Ngày 5 hằng tháng", Damaged: true}}}}},
		&FinderPage{Base: Base{Title: "Tìm hòm thư"}, Commune: &UnitResult{Code: "14329", Name: "Phường Hoa Lư"}, More: true, Results: []FoundUnit{{UnitResult: UnitResult{Code: "14329-001", Name: "Tổ dân phố 1"}}}},
		&EditorialFormPage{Base: Base{Title: "Gửi ban biên tập"}, Token: "t", Name: "Lan", Error: "Liên hệ: sai", ErrorField: "contact", File: &KeptFileView{Token: "k", Name: "a.png", Size: "1 KB"}, MaxMB: 10},
		&EditorialFormPage{Base: Base{Title: "Gửi ban biên tập"}, Token: "t", MaxMB: 10},
		&EditorialThanksPage{Base: Base{Title: "Đã gửi"}},
		&EditorialInboxPage{Base: Base{Title: "Thư", Staff: true}, Tabs: []EditorialTab{{Label: "Mới", Href: "/x", Count: 2, Current: true}}, Rows: []EditorialRow{{Href: "/x/1", Subject: "S", Name: "N", Received: "r", Status: "Mới", Attachment: true}}, Next: "/x?truoc=1"},
		&EditorialInboxPage{Base: Base{Title: "Thư", Staff: true}},
		&EditorialMessagePage{Base: Base{Title: "Thư", Staff: true}, Msg: &homthu.EditorialMessage{ID: 1, EditorialInput: homthu.EditorialInput{Name: "Lan", Contact: "lan@example.vn", Subject: "S", Text: "T", Attachment: &homthu.Attachment{Name: "a.png"}}, Reply: "R", RepliedBy: "bbt"}, Href: "/x/1", RepliedAt: "r", DoneAt: "d", Done: true, CanMail: true, Error: "E", Notice: "N", Reply: "draft", Key: "k", AttachmentSize: "1 KB"},
		&EditorialMessagePage{Base: Base{Title: "Thư", Staff: true}, Msg: &homthu.EditorialMessage{ID: 2, EditorialInput: homthu.EditorialInput{Name: "Lan", Contact: "0912345678", Subject: "S", Text: "T"}}, Href: "/x/2"},
		&RecordsPage{Base: Base{Title: "Công tác", Staff: true}, Unit: UnitResult{Code: "37", Name: "Tỉnh Ninh Bình", Path: "x"}, From: "2026-01-01", To: "2026-12-31",
			Records: &app.Records{Signed: 8, Units: 8, ChildKind: homthu.KindCommune,
				Programmes: []*homthu.Programme{{ID: 1, Number: "01/CTPH", Title: "T", Parties: []string{"A", "B"}, SignedOn: "2026-01-02", From: "2026-01-02", To: "2027-01-01", File: &homthu.Attachment{Name: "a.pdf"}}},
				Activities: []*homthu.Activity{{ID: 2, Kind: homthu.ActivityDialogue, HeldOn: "2026-02-03", Topic: "T", Participants: 5, ByOrg: []homthu.OrgCount{{Org: "H", Count: 2}}, Files: []homthu.Attachment{{Name: "b.pdf"}}}},
				Pilots:     []*homthu.Pilot{{Unit: "14329", UnitName: "Phường Hoa Lư", From: "2026-01-01", To: "2026-12-31", Note: "n"}}},
			ChildLabel: "xã, phường", Units: []UnitResult{{Code: "37", Name: "Tỉnh Ninh Bình"}}, Kinds: homthu.ActivityKinds, CanWrite: true,
			Form: "activity", Error: "Ngày tổ chức: sai", vals: url.Values{"don_vi": {"37"}, "loai": {"training"}}, NextProgrammes: "/x", NextActivities: "/y"},
		&RecordsPage{Base: Base{Title: "Công tác", Staff: true}, Unit: UnitResult{Code: "14329-001", Name: "Tổ dân phố 1"}, Records: &app.Records{}},
		&CatalogPublicPage{Base: Base{Title: "NQ4"}, Catalog: catalogView(retiredSample)},
		&StandardPage{Base: Base{Title: "Mục"}, Standard: &retiredSample.Standards[1], CatalogTitle: "t", CatalogSource: "s",
			Prev: &retiredSample.Standards[0], Next: &retiredSample.Standards[2]},
		&StandardPage{Base: Base{Title: "Mục"}, Standard: &retiredSample.Standards[0], CatalogSource: "s"},
		&DocumentsPage{Base: Base{Title: "Tìm"}, Q: "124", Type: "Quy định", Issuer: "Ban Bí thư", Year: "2018", Searched: true, Total: 1,
			Types: []Option{{Value: "Quy định", Label: "Quy định (1)", Selected: true}}, Issuers: []Option{{Value: "Ban Bí thư", Label: "Ban Bí thư (1)"}},
			Results: []DocumentRow{{ID: 1, Number: "124-QĐ/TW", Type: "Quy định", Issuer: "Ban Bí thư", Title: "Quy định về giám sát", Issued: "02/02/2018",
				Status: "Còn hiệu lực", Snippet: []document.Segment{{Text: "… về "}, {Text: "giám sát", Mark: true}}, ByNumber: true}}, More: "/van-ban?tu=10", Error: "Lỗi"},
		&DocumentsPage{Base: Base{Title: "Tìm"}, Searched: true},
		&DocumentsPage{Base: Base{Title: "Tìm"}},
		&DocumentPage{Base: Base{Title: "VB"}, Doc: &document.Document{ID: 1, Number: "124-QĐ/TW", Type: "Quy định", Issuer: "Ban Bí thư", Issued: "2018-02-02",
			Effective: "2018-02-02", Status: document.StatusReplaced, ReplacedBy: "999-QĐ/TW", Title: "Quy định", Summary: "Tóm tắt", FileSHA256: "ab", FileName: "a.pdf"},
			Issued: "02/02/2018", Effect: "02/02/2018", Paragraphs: []string{"Điều 1."}},
		&DocumentsAdminPage{Base: staff, Count: 3, Error: "Lỗi", Results: []ImportRow{{Name: "a.txt", Message: "Luật", ID: 1, OK: true, Added: true}, {Name: "b.txt", Message: "Lỗi"}}},
		&DocumentEditPage{Base: staff, Doc: &document.Document{ID: 1, Title: "t"}, Statuses: statusOptions(document.StatusInForce), Notice: "Đã lưu", Error: "Lỗi"},
		&CatalogPlanPage{Base: staff, Change: &catalog.Change{Catalog: "NQ4", From: 1, To: 2, HeaderChanged: true, Unchanged: []string{"NQ4-03"}, Next: retiredSample},
			Added: retiredSample.Standards[:1], Changed: retiredSample.Standards[1:2], Retired: retiredSample.Standards[:1], Text: "homthu-catalog 1\n"},
		&AccountPage{Base: Base{Title: "t", Staff: true, User: &homthu.User{ID: 3, Username: "bct", Role: homthu.RoleCommittee, Unit: "14329-001",
			UnitName: "Tổ dân phố Hòa Bình", Email: "bct@example.vn"}}, EmailError: "Địa chỉ không hợp lệ", EmailValue: "sai"},
		&NoticesPage{Base: Base{Title: "Thông báo", Staff: true, User: user, Unread: 100}, Unread: 100, UnreadOnly: true, Done: "Đã đánh dấu",
			Notices: []NoticeRow{{ID: 2, Text: "Hòm thư Thôn Đông đến hạn mở ngày 15/5/2026.", At: "07:00 ngày 12/05/2026", Href: "/can-bo/thong-bao/2"},
				{ID: 1, Text: "Báo cáo quý I đã lập xong.", At: "08:00 ngày 02/04/2026", Read: true}},
			Next: "/can-bo/thong-bao?truoc=1", First: "/can-bo/thong-bao"},
		&NoticesPage{Base: staff},
		&SystemPage{Base: staff, MailConfigured: true, MailServer: "smtp.example.vn:587 (STARTTLS)", Done: "Đã đưa tác vụ trở lại hàng đợi",
			Warnings: []string{"Máy chủ thư đang lỗi"},
			Mail: []KindRow{{Label: "Thư gửi cán bộ", Kind: "mail.staff", Waiting: 2, Failing: 1, Done: 30, Failed: 1,
				LastSuccess: "07:00 ngày 12/05/2026", LastError: "máy chủ thư: connection refused", LastErrorAt: "07:05 ngày 12/05/2026", Handled: true}},
			Jobs: []KindRow{{Label: "Dọn các tác vụ đã xong từ lâu", Kind: "jobs.purge", Waiting: 1, Recurrence: "hằng ngày lúc 03:00 (giờ Việt Nam)", Handled: true},
				{Label: "reports.digest", Kind: "reports.digest", Waiting: 1}},
			Failed: []FailedRow{{ID: 7, Label: "Thư gửi cán bộ", Created: "07:00 ngày 12/05/2026", Finished: "07:00 ngày 15/05/2026", Attempts: 14,
				Error: "máy chủ thư từ chối người nhận", SecretGone: true}, {ID: 8, Label: "reports.digest", Created: "x", Attempts: 10, Error: "e", CanRetry: true}},
			FailedNext: "/can-bo/he-thong?truoc=7#that-bai", CanLoad: true, LoadError: "Dòng 3: ngày không hợp lệ", LoadText: "homthu-workdays 1",
			Years: []YearRow{{Year: 2026, Sources: []string{"Thông báo 9441/TB-BNV"}, Incomplete: "Chưa có ngày Quốc khánh thứ hai", Holidays: 9, Off: 1, Work: 1,
				Origin: "đi kèm hệ thống", Days: []YearDay{{When: "thứ Năm 01/01/2026", Kind: "nghỉ lễ, Tết", Name: "Tết Dương lịch"}}}}},
		&SystemPage{Base: staff},
		&MailboxesPage{Base: staff, UnitName: "Phường Hoa Lư", UnitCode: "14329", Up: "/can-bo/hom-thu",
			Below:    []Option{{Value: "14329", Label: "Tất cả"}, {Value: "14329-001", Label: "Tổ dân phố Hòa Bình", Selected: true}},
			Statuses: boxStatusOptions(homthu.MailboxDamaged, true), CanManage: true, New: "/can-bo/hom-thu/moi?don-vi=14329",
			Boxes: []MailboxRow{{Href: "/can-bo/hom-thu/1", Place: "Nhà văn hóa", Unit: "Tổ dân phố Hòa Bình", Commune: "Phường Hoa Lư", Installed: "15/03/2024",
				Status: "Hư hỏng, cần sửa chữa", Schedule: "Ngày 10 hằng tháng", Damaged: true}, {Href: "/can-bo/hom-thu/2", Place: "Cổng", Removed: true, Status: "Đã gỡ bỏ"}},
			Next: "/can-bo/hom-thu?sau=x", First: "/can-bo/hom-thu"},
		&MailboxesPage{Base: staff, UnitCode: "14329-001"},
		&MailboxFormPage{Base: staff, Unit: "14329-001", Commune: "Phường Hoa Lư", Units: []Option{{Value: "14329-001", Label: "Tổ dân phố Hòa Bình", Selected: true}},
			In: homthu.MailboxInput{Place: "Nhà văn hóa", InstalledOn: "2024-03-15", Day: 10, Note: "n"}, Statuses: boxStatusOptions(homthu.MailboxInUse, false), Error: "Lỗi"},
		&MailboxFormPage{Base: staff, Communes: []Option{{Value: "14329", Label: "Phường Hoa Lư"}}},
		&MailboxFormPage{Base: staff, ID: 1, Unit: "14329-001", UnitName: "Tổ dân phố Hòa Bình", Statuses: boxStatusOptions(homthu.MailboxRemoved, false)},
		&MailboxPage{Base: staff, Box: MailboxRow{Href: "/can-bo/hom-thu/1", Place: "Nhà văn hóa", Unit: "Tổ dân phố Hòa Bình", Commune: "Phường Hoa Lư", Damaged: true},
			Note: "Khóa hỏng", Saved: true, CanManage: true, CanOpen: true, Edit: "/can-bo/hom-thu/1/sua", Start: "/can-bo/hom-thu/1/mo",
			Openings: []OpeningRow{{Href: "/can-bo/mo-hom-thu/1", When: "09:00 ngày 10/11/2026", Symbol: "01/BB-BCTMT", Letters: 2, Sealed: true, Late: true},
				{Href: "/can-bo/mo-hom-thu/2", When: "09:00 ngày 10/12/2026", State: "Đang mở"}}, More: "/can-bo/hom-thu/1?truoc=x",
			Logbooks: []Option{{Value: "/can-bo/hom-thu/1/so-theo-doi?nam=2026", Label: "2026"}}},
		&MailboxPage{Base: staff},
		&StartOpeningPage{Base: staff, Box: MailboxRow{Href: "/can-bo/hom-thu/1", Place: "Nhà văn hóa", Unit: "Tổ dân phố Hòa Bình", Commune: "Phường Hoa Lư"},
			Action: "/can-bo/hom-thu/1/mo", Key: "k", Day: "2026-12-07", Clock: "08:30", Seals: sealOptions(homthu.SealBroken), SealNote: "Khóa bị cạy",
			Participants: participantRows([]homthu.Participant{{Name: "A", Role: "B", Org: "C", Chair: true}}, 2), Witnesses: 2, Error: "Lỗi"},
		&StartOpeningPage{Base: staff, Box: MailboxRow{Href: "/can-bo/hom-thu/1", Place: "Nhà văn hóa"}, Action: "/can-bo/mo-hom-thu/1", Edit: true, Back: "/can-bo/mo-hom-thu/1",
			Seals: sealOptions(homthu.SealIntact), Participants: participantRows(nil, 2), Witnesses: 2},
		&OpeningPage{Base: staff, ID: 1, Href: "/can-bo/mo-hom-thu/1", Box: MailboxRow{Place: "Nhà văn hóa", Unit: "Tổ dân phố Hòa Bình", Commune: "Phường Hoa Lư"},
			BoxHref: "/can-bo/hom-thu/1", When: "09:00 ngày 10/12/2026", State: "Đang mở", Seal: "Nguyên vẹn", SealNote: "n", Notice: "Đã lưu thư số 1",
			Chair: homthu.Participant{Name: "A", Role: "B", Org: "C"}, Witnesses: []homthu.Participant{{Name: "D", Role: "E", Org: "F"}, {Name: "G"}},
			Letters: []LetterRow{{Seq: 1, Content: "Nội dung", Full: true, Signed: "Có ký tên", Subject: "Nguyễn Văn A, Trưởng thôn", Province: true, Pages: 2,
				Remove: "/can-bo/mo-hom-thu/1/thu/1/xoa", PageLinks: []Option{{Value: "/can-bo/mo-hom-thu/1/thu/1/trang/0", Label: "Ảnh 1"}}}, {Seq: 2, Hidden: true}},
			CanRecord: true, Letter: LetterForm{Key: "k", Content: "c", Full: true, Signed: true, Province: true, SignerName: "H", SignerAddress: "I", SignerPhone: "0912",
				SubjectName: "J", SubjectPosition: "K", SubjectWorkplace: "L", Files: []KeptFileView{{Token: "t", Name: "a.jpg", Size: "1 KB"}}},
			LetterError: "Lỗi thư", Counted: "2", SealError: "Lỗi niêm phong"},
		&OpeningPage{Base: staff, ID: 2, Href: "/can-bo/mo-hom-thu/2", CanRecord: true},
		&OpeningPage{Base: staff, ID: 3, Href: "/can-bo/mo-hom-thu/3", Sealed: true, Symbol: "01/BB-BCTMT", SealedAt: "10:00 ngày 10/12/2026", SealedBy: "bct",
			LetterCount: 1, RecordedLate: true, LeafIndex: 4, Proof: "/can-bo/mo-hom-thu/3/bang-chung", Letters: []LetterRow{{Seq: 1, Number: 1, Content: "x", ItemHref: "/can-bo/thu/abc"}},
			Corrections: []CorrectionRow{{Kind: "Ngày, giờ mở hòm thư", OpenedAt: "08:00 ngày 10/12/2026", Body: "b", Reason: "r", By: "xa", At: "x", Letter: 1}},
			CanCorrect:  true, Kinds: []Option{{Value: "other", Label: "Khác", Selected: true}},
			Correction: CorrectionForm{Letter: "1", Day: "2026-12-10", Clock: "08:00", Body: "b", Reason: "r"}, CorrectionError: "Lỗi"},
		&PrintPage{Base: staff, Doc: minutesDocument(sampleOpening()), PDF: "/can-bo/mo-hom-thu/1/bien-ban.pdf", Back: "/can-bo/mo-hom-thu/1"},
		&PrintPage{Base: staff, Doc: &export.Document{Kind: "Sổ", Summary: "s", Body: []export.Block{export.Heading{Text: "h"}, export.List{Items: []string{"a"}},
			&export.Table{Caption: "c", Columns: []export.Column{{Title: "t"}}, Rows: [][]export.Cell{{export.Text("x")}}, Total: []export.Cell{export.Int(1)}}}}},
		&OpeningPage{Base: staff, ID: 4, Href: "/can-bo/mo-hom-thu/4", Sealed: true, OnTime: true, LeafIndex: -1},
	}
}

// retiredSample is the shipped NQ4 at version 2, its first item retired
// and its second with official wording: every branch of the catalogue pages.
var retiredSample = func() *catalog.Catalog {
	cs, err := catalog.Shipped()
	if err != nil {
		panic(err)
	}
	c := cs[0]
	c.Version = 2
	c.Standards[0].Retired, c.Standards[0].RetiredIn, c.Standards[0].RetiredReason = true, 2, "Thử"
	c.Standards[1].Official = "Nguyên văn."
	return c
}()

// sampleReport is a report page with every part filled.
func sampleReport(staff Base) *ReportPage {
	row := ReportRow{Name: "Phường Hoa Lư", Href: "/can-bo/bao-cao?don-vi=14329", Received: "12", Answered: "6", Rate: "50%", Spam: "1",
		Referrals: "4", RefAnswered: "3", OnTime: "66,7%", Openings: "90%"}
	fig := FigureTable{Caption: "Theo kênh", Head: "Kênh", Rows: []FigureRow{{Label: "Trực tuyến", N: "12", Share: "100%"}}}
	return &ReportPage{Base: staff, UnitCode: "37", UnitName: "Tỉnh Ninh Bình", Up: "/can-bo/bao-cao?don-vi=01",
		Units: []Option{{Value: "37", Label: "Tỉnh Ninh Bình", Selected: true}}, Kinds: kindOptions(homthu.PeriodMonth), Value: "2026-11",
		From: "2026-11-01", To: "2026-11-30", Period: "tháng 11 năm 2026", Range: "01/11/2026 – 30/11/2026",
		Summary:    []SummaryFigure{{Label: "Thư, đơn tiếp nhận", Value: "12", Note: "không kể 1 thư rác"}},
		Breakdowns: []FigureTable{fig}, Categories: fig, Agencies: fig,
		Rows: []ReportRow{{Name: "Gửi thẳng tỉnh Ninh Bình", Own: true, Received: "0"}, row}, Total: row, RowsFrom: 1, RowsTo: 2, RowsCount: 3,
		PrevRows: "/can-bo/bao-cao?tu-dong=0", NextRows: "/can-bo/bao-cao?tu-dong=100",
		Months:      []MonthRow{{Month: "11/2026", Received: "12", Answered: "6", Spam: "1", Openings: "90%"}},
		MonthsChart: "<svg role=\"img\"></svg>", OpeningsChart: "<svg role=\"img\"></svg>", RowsChart: "<svg role=\"img\"></svg>",
		Quotes:    []QuoteRow{{Href: "/can-bo/thu/abc", Where: "Thôn Đông, ngày 02/11/2026, Trực tuyến, Kiến nghị", Content: "Nội dung", Note: "Ghi chú"}},
		Downloads: []Option{{Value: "/can-bo/bao-cao/tai-ve?dinh-dang=pdf", Label: "PDF"}}, Query: []Option{{Label: "ky", Value: "thang"}},
		Formats: []Option{{Value: "pdf", Label: "PDF", Selected: true}}, CanQuote: true}
}

// TestTemplates renders every template with its typed page struct, and
// checks that every template file has a sample and that what comes out is
// a whole Vietnamese page with nothing inline.
func TestTemplates(t *testing.T) {
	e := newEnv(t)
	covered := map[string]bool{}
	for _, p := range append(samplePages(), agencySamplePages()...) {
		name := p.templateName()
		covered[name] = true
		w := httptest.NewRecorder()
		e.srv.render(w, httptest.NewRequest("GET", "/", nil), http.StatusOK, p)
		body := w.Body.String()
		if w.Code != http.StatusOK {
			t.Errorf("render(%s) = %d: %s", name, w.Code, body)
			continue
		}
		for _, want := range []string{`<html lang="vi">`, "<title>", `<main id="noi-dung"`, "</html>", `href="#noi-dung"`} {
			if !strings.Contains(body, want) {
				t.Errorf("render(%s) lacks %q", name, want)
			}
		}
		if strings.Contains(body, "ZgotmplZ") {
			t.Errorf("render(%s) has an unsafe value filtered by html/template (ZgotmplZ)", name)
		}
		checkNoInline(t, name, body)
		checkLabels(t, name, body)
	}
	names, _ := fs.Glob(templateFS, "templates/*.html")
	for _, n := range names {
		n = strings.TrimPrefix(n, "templates/")
		if n != "layout.html" && !covered[n] {
			t.Errorf("template %s has no sample page in samplePages", n)
		}
	}
}

var (
	inlineScriptRE = regexp.MustCompile(`<script(?:\s[^>]*)?>`)
	styleAttrRE    = regexp.MustCompile(`\sstyle=`)
	handlerAttrRE  = regexp.MustCompile(`\son[a-z]+=`)
	inputRE        = regexp.MustCompile(`<(input|textarea|select)\s[^>]*>`)
	idRE           = regexp.MustCompile(`\sid="([^"]+)"`)
	typeRE         = regexp.MustCompile(`\stype="(hidden|submit)"`)
	describedRE    = regexp.MustCompile(`aria-describedby="([^"]+)"`)
)

// checkNoInline fails on inline script, inline style or event-handler
// attributes: the Content-Security-Policy would block them.
func checkNoInline(t *testing.T, name, body string) {
	t.Helper()
	for _, tag := range inlineScriptRE.FindAllString(body, -1) {
		if !strings.Contains(tag, " src=") {
			t.Errorf("%s: inline <script> %s", name, tag)
		}
	}
	if styleAttrRE.MatchString(body) || strings.Contains(body, "<style") {
		t.Errorf("%s: inline style", name)
	}
	if m := handlerAttrRE.FindString(body); m != "" {
		t.Errorf("%s: inline event handler %q", name, m)
	}
}

// checkLabels checks that every visible form control has an id with a
// <label for> and that every aria-describedby names ids on the page.
func checkLabels(t *testing.T, name, body string) {
	t.Helper()
	for _, tag := range inputRE.FindAllString(body, -1) {
		if typeRE.MatchString(tag) {
			continue
		}
		m := idRE.FindStringSubmatch(tag)
		if m == nil {
			t.Errorf("%s: control without id: %s", name, tag)
			continue
		}
		if !strings.Contains(body, `for="`+m[1]+`"`) {
			t.Errorf("%s: control %q has no <label for>", name, m[1])
		}
	}
	for _, m := range describedRE.FindAllStringSubmatch(body, -1) {
		for _, id := range strings.Fields(m[1]) {
			if !strings.Contains(body, `id="`+id+`"`) {
				t.Errorf("%s: aria-describedby names %q, which is not on the page", name, id)
			}
		}
	}
}

func TestReceivedLabel(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"2026-11-28", "ngày 28/11/2026"},
		{time.Date(2026, 11, 28, 7, 5, 0, 0, time.UTC).Format(time.RFC3339), "14:05 ngày 28/11/2026"},
		{"", ""},
	} {
		if got := receivedLabel(tt.in); got != tt.want {
			t.Errorf("receivedLabel(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestSnippet(t *testing.T) {
	for _, tt := range []struct {
		in   string
		n    int
		want string
	}{
		{"ngắn", 10, "ngắn"},
		{"một  hai\nba", 20, "một hai ba"},
		{"Cán bộ phường uống rượu trong giờ làm việc", 20, "Cán bộ phường uống…"},
	} {
		if got := snippet(tt.in, tt.n); got != tt.want {
			t.Errorf("snippet(%q, %d) = %q, want %q", tt.in, tt.n, got, tt.want)
		}
	}
}

func TestFieldOf(t *testing.T) {
	// The messages come from homthu.Submission.Validate: if one changes,
	// the form must still show it beside its field.
	for _, tt := range []struct {
		sub  homthu.Submission
		want string
	}{
		{homthu.Submission{Area: "x", To: "commune", Channel: "online", Anonymous: true}, "content"},
		{homthu.Submission{Area: "x", To: "commune", Channel: "online", Content: "c"}, "name"},
		{homthu.Submission{Area: "x", To: "commune", Channel: "online", Content: "c", Submitter: homthu.Identity{Name: "A", Phone: "12"}}, "phone"},
		{homthu.Submission{Area: "x", To: "commune", Channel: "online", Content: "c", Submitter: homthu.Identity{Name: "A", Email: "không"}}, "email"},
		{homthu.Submission{Area: "x", To: "commune", Channel: "online", Content: "c", Anonymous: true, Subject: homthu.Subject{Position: strings.Repeat("x", 201)}}, "subject_position"},
	} {
		err := tt.sub.Validate()
		if err == nil {
			t.Fatalf("Validate(%+v) = nil, want an error", tt.sub)
		}
		if got := fieldOf(homthu.ErrorMessage(err)); got != tt.want {
			t.Errorf("fieldOf(%q) = %q, want %q", homthu.ErrorMessage(err), got, tt.want)
		}
	}
}

func TestQRSVG(t *testing.T) {
	svg, err := qrSVG("7K3M-QX9A-TP2D-H8WE-Z4RC", "Mã QR của mã tra cứu")
	if err != nil {
		t.Fatal(err)
	}
	s := string(svg)
	if !strings.HasPrefix(s, "<svg ") || !strings.HasSuffix(s, "</svg>") || !strings.Contains(s, `role="img"`) || strings.Count(s, "M") < 50 {
		t.Errorf("qrSVG = %.200s…", s)
	}
	if strings.Contains(s, "7K3M") {
		t.Errorf("qrSVG leaks the text into the markup")
	}
}

// TestScriptIsES5 guards the one script against syntax that old browsers
// (the issue names Chrome 109 on Windows 7 and cheap Android phones, whose
// WebViews can be older) do not parse: the pages work without it, but a
// syntax error would also lose the receipt page's leave warning.
func TestScriptIsES5(t *testing.T) {
	b, err := staticFS.ReadFile("static/homthu.js")
	if err != nil {
		t.Fatal(err)
	}
	for _, re := range []string{`=>`, `\blet\s`, `\bconst\s`, "`", `\bclass\s`, `\.\.\.`, `\basync\b`, `\bawait\b`, `\?\.`, `\?\?`, `\bfetch\(`} {
		if loc := regexp.MustCompile(re).FindIndex(b); loc != nil {
			t.Errorf("homthu.js uses %s (ES2015+) at byte %d", re, loc[0])
		}
	}
}
