package web

import (
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"homthu/internal/app"
	"homthu/internal/document"
	"homthu/internal/homthu"
	"homthu/internal/store"
)

// Document search ("Tìm kiếm văn bản"): the public search and document
// pages, and the editors' import and corrections.

// DocumentsPage is the search form and a page of results.
type DocumentsPage struct {
	Base
	Q, Type, Issuer, Year string
	Types, Issuers        []Option
	Searched              bool
	Total                 int
	Results               []DocumentRow
	// More is the address of the next page of results ("Xem thêm").
	More  string
	Error string
}

func (*DocumentsPage) templateName() string { return "documents.html" }

// DocumentRow is one result.
type DocumentRow struct {
	ID                          int64
	Number, Type, Issuer, Title string
	Issued                      string // dd/mm/yyyy
	Status                      string
	Snippet                     []document.Segment
	ByNumber                    bool
}

const documentsPageSize = 10

// documents answers GET /van-ban?q=&loai=&co-quan=&nam=&tu=.
func (s *Server) documents(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	p := &DocumentsPage{Base: Base{Title: "Tìm kiếm văn bản"}, Q: q.Get("q"), Type: q.Get("loai"), Issuer: q.Get("co-quan"), Year: q.Get("nam")}
	types, issuers, err := s.app.Store.DocumentFacets(r.Context())
	if err != nil {
		return err
	}
	p.Types = facetOptions(types, p.Type)
	p.Issuers = facetOptions(issuers, p.Issuer)
	p.Searched = p.Q != "" || p.Type != "" || p.Issuer != "" || p.Year != ""
	if !p.Searched {
		return s.renderOK(w, r, p)
	}
	f := app.DocumentFilter{Type: p.Type, Issuer: p.Issuer}
	offset, _ := strconv.Atoi(q.Get("tu"))
	if p.Year != "" {
		if f.Year, err = strconv.Atoi(strings.TrimSpace(p.Year)); err != nil {
			err = homthu.Errorf(homthu.EINVALID, "Năm ban hành phải là số có 4 chữ số, ví dụ 2018.")
		}
	}
	var res *app.DocumentSearch
	if err == nil {
		res, err = s.app.SearchDocuments(r.Context(), p.Q, f, max(offset, 0), documentsPageSize)
	}
	if err != nil {
		if homthu.ErrorCode(err) == homthu.EINTERNAL {
			return err
		}
		p.Error = homthu.ErrorMessage(err)
		s.render(w, r, statusOf(err), p)
		return nil
	}
	p.Total = res.Total
	for _, h := range res.Results {
		d := h.Doc
		row := DocumentRow{ID: d.ID, Number: d.Number, Type: d.Type, Issuer: d.Issuer, Title: d.Title, Issued: vnDate(d.Issued),
			Snippet: h.Snippet, ByNumber: h.ByNumber}
		if d.Status != document.StatusUnknown {
			row.Status = d.Status.Label()
		}
		p.Results = append(p.Results, row)
	}
	if res.Next > 0 {
		v := url.Values{}
		for k, val := range map[string]string{"q": p.Q, "loai": p.Type, "co-quan": p.Issuer, "nam": p.Year} {
			if val != "" {
				v.Set(k, val)
			}
		}
		v.Set("tu", strconv.Itoa(res.Next))
		p.More = "/van-ban?" + v.Encode()
	}
	return s.renderOK(w, r, p)
}

func facetOptions(fs []store.DocumentFacet, chosen string) []Option {
	var out []Option
	for _, f := range fs {
		out = append(out, Option{Value: f.Value, Label: fmt.Sprintf("%s (%d)", f.Value, f.N), Selected: f.Value == chosen})
	}
	return out
}

// DocumentPage is one document: its header fields, summary, text, file.
type DocumentPage struct {
	Base
	Doc            *document.Document
	Issued, Effect string
	Paragraphs     []string
	// Editor offers the editors' correction page.
	Editor bool
}

func (*DocumentPage) templateName() string { return "document.html" }

// maxShownParagraphs bounds the text shown on the page; the file has all.
const maxShownParagraphs = 3000

func documentID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("doc"), 10, 64)
	if err != nil || id <= 0 {
		return 0, homthu.Errorf(homthu.ENOTFOUND, "Không có văn bản này.")
	}
	return id, nil
}

// documentPage answers GET /van-ban/{id}.
func (s *Server) documentPage(w http.ResponseWriter, r *http.Request) error {
	id, err := documentID(r)
	if err != nil {
		return err
	}
	d, err := s.app.Document(r.Context(), id)
	if err != nil {
		return err
	}
	p := &DocumentPage{Base: Base{Title: d.Title}, Doc: d, Issued: vnDate(d.Issued), Effect: vnDate(d.Effective)}
	for _, para := range strings.Split(d.Text, "\n") {
		if para = strings.TrimSpace(para); para != "" && len(p.Paragraphs) < maxShownParagraphs {
			p.Paragraphs = append(p.Paragraphs, para)
		}
	}
	s.publicCache(w)
	return s.renderOK(w, r, p)
}

// documentFile answers GET /van-ban/{id}/tep: the file it was imported from.
func (s *Server) documentFile(w http.ResponseWriter, r *http.Request) error {
	id, err := documentID(r)
	if err != nil {
		return err
	}
	d, err := s.app.Document(r.Context(), id)
	if err != nil {
		return err
	}
	if d.FileSHA256 == "" || s.app.Blobs == nil {
		return homthu.Errorf(homthu.ENOTFOUND, "Văn bản này không có tệp gốc.")
	}
	f, err := s.app.Blobs.Open(d.FileSHA256)
	if err != nil {
		return homthu.Errorf(homthu.ENOTFOUND, "Không tìm thấy tệp gốc của văn bản này.")
	}
	defer f.Close()
	w.Header().Set("Content-Type", d.FileType)
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": d.FileName}))
	s.publicCache(w)
	_, err = io.Copy(w, f)
	return err
}

// DocumentsAdminPage is the editors' page: import files, the latest documents.
type DocumentsAdminPage struct {
	Base
	Count   int
	Results []ImportRow
	Error   string
}

func (*DocumentsAdminPage) templateName() string { return "documents_admin.html" }

// ImportRow is what importing one file did.
type ImportRow struct {
	Name, Message string
	ID            int64
	OK, Added     bool
}

// documentsAdmin answers GET /can-bo/van-ban.
func (s *Server) documentsAdmin(w http.ResponseWriter, r *http.Request, sess *homthu.Session) error {
	n, err := s.app.Store.CountDocuments(r.Context())
	if err != nil {
		return err
	}
	return s.renderOK(w, r, &DocumentsAdminPage{Base: staffBase("Văn bản", sess), Count: n})
}

// importDocuments answers POST /can-bo/van-ban: files (field tep, several) → imported.
func (s *Server) importDocuments(w http.ResponseWriter, r *http.Request, sess *homthu.Session) error {
	const maxBody = 64 << 20
	r.Body = http.MaxBytesReader(w, r.Body, maxBody)
	p := &DocumentsAdminPage{Base: staffBase("Văn bản", sess)}
	var files []app.NamedFile
	if err := r.ParseMultipartForm(32 << 20); err != nil {
		p.Error = "Các tệp quá lớn: mỗi lần gửi tối đa 64 MB."
	} else {
		for _, fh := range r.MultipartForm.File["tep"] {
			f, err := fh.Open()
			if err != nil {
				continue
			}
			b, err := io.ReadAll(io.LimitReader(f, document.MaxFileBytes+1))
			f.Close()
			if err == nil {
				files = append(files, app.NamedFile{Name: fh.Filename, Data: b})
			}
		}
		if len(files) == 0 {
			p.Error = "Xin chọn ít nhất một tệp (.txt, .md, .docx, .pdf)."
		}
	}
	if len(files) > 0 {
		res, err := s.app.ImportDocuments(r.Context(), sess, files)
		if err != nil {
			return err
		}
		for _, x := range res {
			row := ImportRow{Name: x.Name, ID: x.ID, OK: x.Err == nil, Added: x.Added}
			switch {
			case x.Err != nil:
				row.Message = homthu.ErrorMessage(x.Err)
			case !x.Added:
				row.Message = "Đã có từ trước, không nhập lại."
			default:
				row.Message = fmt.Sprintf("%s %s — %s", x.Doc.Type, x.Doc.Number, x.Doc.Title)
			}
			p.Results = append(p.Results, row)
		}
	}
	n, err := s.app.Store.CountDocuments(r.Context())
	if err != nil {
		return err
	}
	p.Count = n
	status := http.StatusOK
	if p.Error != "" {
		status = http.StatusBadRequest
	}
	s.render(w, r, status, p)
	return nil
}

// DocumentEditPage corrects a document's fields.
type DocumentEditPage struct {
	Base
	Doc      *document.Document
	Statuses []Option
	Notice   string
	Error    string
}

func (*DocumentEditPage) templateName() string { return "document_edit.html" }

func statusOptions(chosen document.Status) []Option {
	var out []Option
	for _, st := range []document.Status{document.StatusUnknown, document.StatusInForce, document.StatusReplaced, document.StatusExpired} {
		out = append(out, Option{Value: string(st), Label: st.Label(), Selected: st == chosen})
	}
	return out
}

// documentEdit answers GET /can-bo/van-ban/{id}.
func (s *Server) documentEdit(w http.ResponseWriter, r *http.Request, sess *homthu.Session) error {
	id, err := documentID(r)
	if err != nil {
		return err
	}
	d, err := s.app.Document(r.Context(), id)
	if err != nil {
		return err
	}
	p := &DocumentEditPage{Base: staffBase("Sửa thông tin văn bản", sess), Doc: d, Statuses: statusOptions(d.Status)}
	if r.URL.Query().Get("da-luu") != "" {
		p.Notice = "Đã lưu."
	}
	return s.renderOK(w, r, p)
}

// saveDocument answers POST /can-bo/van-ban/{id}.
func (s *Server) saveDocument(w http.ResponseWriter, r *http.Request, sess *homthu.Session) error {
	id, err := documentID(r)
	if err != nil {
		return err
	}
	r.Body = http.MaxBytesReader(w, r.Body, 256<<10)
	if err := r.ParseForm(); err != nil {
		return homthu.Errorf(homthu.ETOOLARGE, "Nội dung gửi lên quá lớn.")
	}
	d, err := s.app.Document(r.Context(), id)
	if err != nil {
		return err
	}
	v := r.PostForm
	d.Number, d.Type, d.Issuer, d.Issued, d.Effective = v.Get("so"), v.Get("loai"), v.Get("co_quan"), v.Get("ngay_ban_hanh"), v.Get("ngay_hieu_luc")
	d.Status, d.ReplacedBy, d.Title, d.Summary = document.Status(v.Get("tinh_trang")), v.Get("thay_the_boi"), v.Get("trich_yeu"), v.Get("tom_tat")
	if err := s.app.UpdateDocument(r.Context(), sess, d); err != nil {
		if homthu.ErrorCode(err) == homthu.EINTERNAL {
			return err
		}
		p := &DocumentEditPage{Base: staffBase("Sửa thông tin văn bản", sess), Doc: d, Statuses: statusOptions(d.Status), Error: homthu.ErrorMessage(err)}
		s.render(w, r, statusOf(err), p)
		return nil
	}
	http.Redirect(w, r, fmt.Sprintf("/can-bo/van-ban/%d?da-luu=1", id), http.StatusSeeOther)
	return nil
}
