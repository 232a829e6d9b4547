package web

import (
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"homthu/internal/catalog"
	"homthu/internal/homthu"
	"homthu/internal/store"
)

// The administrator's pages of the catalogues of standards: the list, a
// catalogue with its items and history, loading a file (preview, then
// confirm) and retiring an item. docs/catalog-format.md is the file format.

// CatalogsPage lists the catalogues and offers to load a file.
type CatalogsPage struct {
	Base
	Catalogs []CatalogRow
	// Text is the pasted file, kept when it was refused; Error says why.
	Text  string
	Error string
}

func (*CatalogsPage) templateName() string { return "catalogs.html" }

// CatalogRow is one catalogue in the list.
type CatalogRow struct {
	Code, Title, Source string
	Version             int
	Active, Retired     int
}

// CatalogAdminPage is one catalogue: its groups and items, the history of
// its versions, and a retire form per active item.
type CatalogAdminPage struct {
	Base
	Catalog  *catalog.Catalog
	Groups   []GroupView
	Versions []VersionView
	Notice   string
	Error    string
	// Retire is the code whose retire form is open (after an error), and
	// Reason what was typed.
	Retire, Reason string
	// NextVersion is the version a retirement would make.
	NextVersion int
}

func (*CatalogAdminPage) templateName() string { return "catalog.html" }

// GroupView is a group with its items, as pages show it.
type GroupView struct {
	Code, Title string
	Standards   []catalog.Standard
}

func groupViews(c *catalog.Catalog) []GroupView {
	var out []GroupView
	for _, g := range c.Groups {
		out = append(out, GroupView{Code: g.Code, Title: g.Title, Standards: c.InGroup(g.Code)})
	}
	return out
}

// VersionView is one version in a catalogue's history.
type VersionView struct {
	Version                    int
	Origin, Author, When, Note string
	SHA256                     string
	Href                       string // the file of this version
}

// CatalogPlanPage says what loading a file would change and asks to confirm.
type CatalogPlanPage struct {
	Base
	Change *catalog.Change
	// Rows are the items the file adds, changes or retires, with their
	// new titles.
	Added, Changed, Retired []catalog.Standard
	// Text is the file, carried to the confirming POST.
	Text string
}

func (*CatalogPlanPage) templateName() string { return "catalog_plan.html" }

const catalogsPath = "/can-bo/danh-muc"

func (s *Server) catalogsPage(r *http.Request, sess *homthu.Session) (*CatalogsPage, error) {
	cs, err := s.app.Catalogs(r.Context())
	if err != nil {
		return nil, err
	}
	p := &CatalogsPage{Base: staffBase("Danh mục biểu hiện, điều cấm", sess)}
	for _, c := range cs {
		p.Catalogs = append(p.Catalogs, CatalogRow{Code: c.Code, Title: c.ShortTitle(), Source: c.Source, Version: c.Version,
			Active: c.Active(), Retired: len(c.Standards) - c.Active()})
	}
	return p, nil
}

// catalogs answers GET /can-bo/danh-muc.
func (s *Server) catalogs(w http.ResponseWriter, r *http.Request, sess *homthu.Session) error {
	p, err := s.catalogsPage(r, sess)
	if err != nil {
		return err
	}
	return s.renderOK(w, r, p)
}

// planCatalog answers POST /can-bo/danh-muc: a file (uploaded or pasted)
// → what loading it would change, and a button to confirm. A refused file
// gives the list again with the reason, the pasted text kept.
func (s *Server) planCatalog(w http.ResponseWriter, r *http.Request, sess *homthu.Session) error {
	data, text, err := readCatalogForm(w, r)
	var ch *catalog.Change
	if err == nil {
		ch, err = s.app.PlanCatalogFile(r.Context(), sess, data)
	}
	if err == nil && ch.Empty() {
		err = homthu.Errorf(homthu.ECONFLICT, "Tệp không thay đổi gì so với phiên bản %d của danh mục %s.", ch.From, ch.Catalog)
	}
	if err != nil {
		p, perr := s.catalogsPage(r, sess)
		if perr != nil {
			return perr
		}
		s.logIfInternal(r, err)
		p.Text, p.Error = text, homthu.ErrorMessage(err)
		s.render(w, r, statusOf(err), p)
		return nil
	}
	p := &CatalogPlanPage{Base: staffBase("Xem trước khi nạp danh mục "+ch.Catalog, sess), Change: ch, Text: string(data)}
	for _, l := range []struct {
		codes []string
		dst   *[]catalog.Standard
	}{{ch.Added, &p.Added}, {ch.Changed, &p.Changed}, {ch.Retired, &p.Retired}} {
		for _, c := range l.codes {
			*l.dst = append(*l.dst, *ch.Next.Standard(c))
		}
	}
	return s.renderOK(w, r, p)
}

// loadCatalog answers POST /can-bo/danh-muc/nap: the confirmed file →
// the new version, then the catalogue's page.
func (s *Server) loadCatalog(w http.ResponseWriter, r *http.Request, sess *homthu.Session) error {
	r.Body = http.MaxBytesReader(w, r.Body, 2*catalog.MaxFileBytes+64<<10)
	if err := r.ParseForm(); err != nil {
		return homthu.Errorf(homthu.ETOOLARGE, "Tệp danh mục quá lớn: tối đa %d byte.", catalog.MaxFileBytes)
	}
	ch, err := s.app.LoadCatalogFile(r.Context(), sess, []byte(r.PostFormValue("noi_dung")))
	if err != nil {
		return err
	}
	http.Redirect(w, r, catalogsPath+"/"+ch.Catalog+"?da-nap="+strconv.Itoa(ch.To), http.StatusSeeOther)
	return nil
}

// readCatalogForm returns the file of the form: the uploaded one if any,
// else the pasted text (also returned, to be kept on an error).
func readCatalogForm(w http.ResponseWriter, r *http.Request) (data []byte, text string, err error) {
	r.Body = http.MaxBytesReader(w, r.Body, 2*catalog.MaxFileBytes+64<<10)
	tooLarge := homthu.Errorf(homthu.ETOOLARGE, "Tệp danh mục quá lớn: tối đa %d byte.", catalog.MaxFileBytes)
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt == "multipart/form-data" {
		if err := r.ParseMultipartForm(2 * catalog.MaxFileBytes); err != nil {
			return nil, "", tooLarge
		}
		if f, _, err := r.FormFile("tep"); err == nil {
			defer f.Close()
			b, err := io.ReadAll(io.LimitReader(f, catalog.MaxFileBytes+1))
			if err != nil {
				return nil, "", homthu.Errorf(homthu.EINVALID, "Không đọc được tệp. Xin chọn lại tệp.")
			}
			if len(b) > catalog.MaxFileBytes {
				return nil, "", tooLarge
			}
			if len(b) > 0 {
				return b, "", nil
			}
		}
	} else if err := r.ParseForm(); err != nil {
		return nil, "", tooLarge
	}
	text = r.PostFormValue("noi_dung")
	if strings.TrimSpace(text) == "" {
		return nil, "", homthu.Errorf(homthu.EINVALID, "Xin chọn tệp danh mục, hoặc dán nội dung của tệp vào ô.")
	}
	return []byte(text), text, nil
}

func (s *Server) catalogAdminPage(r *http.Request, sess *homthu.Session) (*CatalogAdminPage, error) {
	code := catalog.NormalizeCode(r.PathValue("code"))
	c, err := s.app.Catalog(r.Context(), code, 0)
	if err != nil {
		return nil, err
	}
	hist, err := s.app.Store.CatalogVersions(r.Context(), c.Code)
	if err != nil {
		return nil, err
	}
	p := &CatalogAdminPage{Base: staffBase("Danh mục "+c.Code, sess), Catalog: c, Groups: groupViews(c), NextVersion: c.Version + 1}
	for _, v := range hist {
		p.Versions = append(p.Versions, VersionView{Version: v.Version, Origin: originLabel(v.Origin), Author: v.AuthorName,
			When: vnTime(v.Created), Note: v.Note, SHA256: v.SHA256,
			Href: fmt.Sprintf("%s/%s/tep?phien-ban=%d", catalogsPath, c.Code, v.Version)})
	}
	q := r.URL.Query()
	if v := q.Get("da-nap"); v != "" {
		p.Notice = "Đã nạp phiên bản " + v + " của danh mục."
	}
	if v := q.Get("da-bai-bo"); v != "" && c.Standard(v) != nil {
		p.Notice = "Đã bãi bỏ mục " + v + "; danh mục nay ở phiên bản " + strconv.Itoa(c.Version) + "."
	}
	return p, nil
}

// originLabel says how a catalogue version came about.
func originLabel(origin string) string {
	switch origin {
	case store.OriginShipped:
		return "Đi kèm homthu"
	case store.OriginFile:
		return "Nạp từ tệp"
	case store.OriginRetire:
		return "Bãi bỏ một mục"
	}
	return origin
}

// catalogAdmin answers GET /can-bo/danh-muc/{code}.
func (s *Server) catalogAdmin(w http.ResponseWriter, r *http.Request, sess *homthu.Session) error {
	p, err := s.catalogAdminPage(r, sess)
	if err != nil {
		return err
	}
	return s.renderOK(w, r, p)
}

// retireStandard answers POST /can-bo/danh-muc/{code}/bai-bo: ma, ly_do →
// the item retired in a new version. A refusal shows the page again with
// the form open and the reason typed.
func (s *Server) retireStandard(w http.ResponseWriter, r *http.Request, sess *homthu.Session) error {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		return homthu.Errorf(homthu.ETOOLARGE, "Nội dung gửi lên quá lớn.")
	}
	cat := catalog.NormalizeCode(r.PathValue("code"))
	code := catalog.NormalizeCode(r.PostFormValue("ma"))
	if catalog.CatalogOf(code) != cat {
		return homthu.Errorf(homthu.ENOTFOUND, "Danh mục %s không có mục %q.", cat, code)
	}
	reason := r.PostFormValue("ly_do")
	if _, err := s.app.RetireStandard(r.Context(), sess, code, reason); err != nil {
		if homthu.ErrorCode(err) == homthu.EINTERNAL {
			return err
		}
		p, perr := s.catalogAdminPage(r, sess)
		if perr != nil {
			return perr
		}
		p.Error, p.Retire, p.Reason = homthu.ErrorMessage(err), code, reason
		s.render(w, r, statusOf(err), p)
		return nil
	}
	http.Redirect(w, r, catalogsPath+"/"+cat+"?da-bai-bo="+url.QueryEscape(code), http.StatusSeeOther)
	return nil
}

// catalogFile answers GET /can-bo/danh-muc/{code}/tep?phien-ban=N: a
// version (default the one in force) as a catalogue file, to edit and load.
func (s *Server) catalogFile(w http.ResponseWriter, r *http.Request, sess *homthu.Session) error {
	v := 0
	if q := r.URL.Query().Get("phien-ban"); q != "" {
		n, err := strconv.Atoi(q)
		if err != nil || n < 1 {
			return homthu.Errorf(homthu.ENOTFOUND, "Không có phiên bản %q.", q)
		}
		v = n
	}
	c, err := s.app.Catalog(r.Context(), r.PathValue("code"), v)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="danh-muc-%s-v%d.txt"`, c.Code, c.Version))
	_, err = w.Write(catalog.Format(c))
	return err
}
