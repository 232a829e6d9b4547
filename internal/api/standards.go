package api

import (
	"net/http"

	"homthu/internal/catalog"
)

// The catalogues of standards, public: the same lists the posted page
// shows, for the feedback form of another client and for processing's
// tools.

// Standard is a standard in API answers.
type Standard struct {
	Code          string `json:"code"`
	Version       int    `json:"version"`
	Catalog       string `json:"catalog"`
	CatalogTitle  string `json:"catalog_title"`
	Group         string `json:"group"`
	GroupTitle    string `json:"group_title"`
	Number        int    `json:"number"`
	Heading       string `json:"heading"`
	Title         string `json:"title"`
	Explanation   string `json:"explanation"`
	Official      string `json:"official,omitempty"`
	Source        string `json:"source"`
	Retired       bool   `json:"retired"`
	RetiredIn     int    `json:"retired_in,omitempty"`
	RetiredReason string `json:"retired_reason,omitempty"`
}

func apiStandard(s *catalog.Standard) Standard {
	return Standard{Code: s.Code, Version: s.Version, Catalog: s.Catalog, CatalogTitle: s.CatalogShort, Group: s.Group,
		GroupTitle: s.GroupTitle, Number: s.Number, Heading: s.Heading(), Title: s.Title, Explanation: s.Explanation,
		Official: s.Official, Source: s.Source, Retired: s.Retired, RetiredIn: s.RetiredIn, RetiredReason: s.RetiredReason}
}

// Catalog is a catalogue in API answers, with its groups.
type Catalog struct {
	Code    string  `json:"code"`
	Version int     `json:"version"`
	Title   string  `json:"title"`
	Short   string  `json:"short_title"`
	Source  string  `json:"source"`
	Groups  []Group `json:"groups"`
	Active  int     `json:"active"`
	Retired int     `json:"retired"`
}

// Group is a group of a catalogue.
type Group struct {
	Code  string `json:"code"`
	Title string `json:"title"`
}

// getCatalogs answers GET /api/v1/catalogs.
func (a *API) getCatalogs(w http.ResponseWriter, r *http.Request) error {
	cs, err := a.App.Catalogs(r.Context())
	if err != nil {
		return err
	}
	out := struct {
		Catalogs []Catalog `json:"catalogs"`
	}{Catalogs: []Catalog{}}
	for _, c := range cs {
		ac := Catalog{Code: c.Code, Version: c.Version, Title: c.Title, Short: c.ShortTitle(), Source: c.Source,
			Groups: []Group{}, Active: c.Active(), Retired: len(c.Standards) - c.Active()}
		for _, g := range c.Groups {
			ac.Groups = append(ac.Groups, Group{Code: g.Code, Title: g.Title})
		}
		out.Catalogs = append(out.Catalogs, ac)
	}
	w.Header().Set("Cache-Control", "public, max-age=300")
	return writeJSON(w, http.StatusOK, out)
}

// getStandards answers GET /api/v1/standards?catalog=&group=: the active
// standards, in posted order.
func (a *API) getStandards(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	ss, err := a.App.Store.ActiveStandards(r.Context(), catalog.NormalizeCode(q.Get("catalog")), catalog.NormalizeCode(q.Get("group")))
	if err != nil {
		return err
	}
	out := struct {
		Standards []Standard `json:"standards"`
	}{Standards: []Standard{}}
	for i := range ss {
		out.Standards = append(out.Standards, apiStandard(&ss[i]))
	}
	w.Header().Set("Cache-Control", "public, max-age=300")
	return writeJSON(w, http.StatusOK, out)
}

// getStandard answers GET /api/v1/standards/{code}: one standard, active
// or retired, at the version in force of its catalogue.
func (a *API) getStandard(w http.ResponseWriter, r *http.Request) error {
	s, err := a.App.Standard(r.Context(), r.PathValue("code"))
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "public, max-age=300")
	return writeJSON(w, http.StatusOK, apiStandard(s))
}
