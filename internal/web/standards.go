package web

import (
	"net/http"

	"homthu/internal/catalog"
	"homthu/internal/homthu"
)

// The posted standards (niêm yết): the 27 manifestations and the 19
// prohibitions that every residential area posts under Regulation
// 124-QĐ/TW so that people can recognise them and report them. Each item
// has its own address, and "report a case of this" opens the feedback form
// with it chosen.

// StandardsPage lists every catalogue with its groups and items.
type StandardsPage struct {
	Base
	Catalogs []CatalogView
}

func (*StandardsPage) templateName() string { return "standards.html" }

// CatalogView is a catalogue as the public pages show it: only the items
// in force (retired ones stay readable on their own page).
type CatalogView struct {
	Code, Title, Short, Source, Note string
	Version                          int
	Groups                           []GroupView
	Active                           int
}

func catalogView(c *catalog.Catalog) CatalogView {
	v := CatalogView{Code: c.Code, Title: c.Title, Short: c.ShortTitle(), Source: c.Source, Note: c.Note, Version: c.Version, Active: c.Active()}
	for _, g := range c.Groups {
		gv := GroupView{Code: g.Code, Title: g.Title}
		for _, s := range c.InGroup(g.Code) {
			if !s.Retired {
				gv.Standards = append(gv.Standards, s)
			}
		}
		if len(gv.Standards) > 0 {
			v.Groups = append(v.Groups, gv)
		}
	}
	return v
}

// standards answers GET /niem-yet.
func (s *Server) standards(w http.ResponseWriter, r *http.Request) error {
	cs, err := s.app.Catalogs(r.Context())
	if err != nil {
		return err
	}
	p := &StandardsPage{Base: Base{Title: "Những điều cần biết để giám sát: biểu hiện suy thoái, điều đảng viên không được làm"}}
	for _, c := range cs {
		p.Catalogs = append(p.Catalogs, catalogView(c))
	}
	s.publicCache(w)
	return s.renderOK(w, r, p)
}

// CatalogPublicPage is one catalogue, every item with its explanation:
// what an area committee pins on the board.
type CatalogPublicPage struct {
	Base
	Catalog CatalogView
}

func (*CatalogPublicPage) templateName() string { return "standards_catalog.html" }

// standardsCatalog answers GET /niem-yet/{catalog}.
func (s *Server) standardsCatalog(w http.ResponseWriter, r *http.Request) error {
	c, err := s.app.Catalog(r.Context(), r.PathValue("catalog"), 0)
	if err != nil {
		return err
	}
	p := &CatalogPublicPage{Base: Base{Title: c.Title}, Catalog: catalogView(c)}
	s.publicCache(w)
	return s.renderOK(w, r, p)
}

// StandardPage is one item: what it is about, the official wording when
// loaded, and the way to report a case of it.
type StandardPage struct {
	Base
	Standard *catalog.Standard
	// CatalogTitle and CatalogSource name where the item comes from.
	CatalogTitle, CatalogSource string
	// Prev and Next are the neighbouring items in force, for reading on.
	Prev, Next *catalog.Standard
}

func (*StandardPage) templateName() string { return "standard.html" }

// ReportHref is the feedback form with this item chosen.
func (p *StandardPage) ReportHref() string { return "/gui?muc=" + p.Standard.Code }

// standard answers GET /niem-yet/muc/{code}.
func (s *Server) standard(w http.ResponseWriter, r *http.Request) error {
	code := catalog.NormalizeCode(r.PathValue("code"))
	c, err := s.app.Catalog(r.Context(), catalog.CatalogOf(code), 0)
	if homthu.ErrorCode(err) == homthu.ENOTFOUND {
		return homthu.Errorf(homthu.ENOTFOUND, "Không có mục %q trong các danh mục niêm yết.", code)
	} else if err != nil {
		return err
	}
	st := c.Standard(code)
	if st == nil {
		return homthu.Errorf(homthu.ENOTFOUND, "Không có mục %q trong các danh mục niêm yết.", code)
	}
	p := &StandardPage{Base: Base{Title: st.Heading() + ": " + st.Title}, Standard: st, CatalogTitle: c.Title, CatalogSource: c.Source}
	var active []*catalog.Standard
	for i := range c.Standards {
		if !c.Standards[i].Retired || c.Standards[i].Code == code {
			active = append(active, &c.Standards[i])
		}
	}
	for i, a := range active {
		if a.Code == code {
			if i > 0 {
				p.Prev = active[i-1]
			}
			if i+1 < len(active) {
				p.Next = active[i+1]
			}
		}
	}
	s.publicCache(w)
	return s.renderOK(w, r, p)
}

// publicCache lets browsers and proxies keep a public page that shows
// nothing of the reader for a few minutes (the secure wrapper's default
// is no-store).
func (s *Server) publicCache(w http.ResponseWriter) {
	w.Header().Set("Cache-Control", "public, max-age=300")
}
