package api

import (
	"net/http"

	"homthu/internal/homthu"
)

// Unit is a unit in API answers.
type Unit struct {
	Code     string   `json:"code"`
	Name     string   `json:"name"`
	Kind     string   `json:"kind"`
	Path     []string `json:"path"`     // full names from the province down to the parent
	Formerly []string `json:"formerly"` // names it (or parts of it) had before a merger
}

func apiUnit(u *homthu.Unit) Unit {
	out := Unit{Code: u.Code, Name: u.FullName, Kind: string(u.Kind), Path: []string{}, Formerly: u.Formerly}
	if len(u.PathNames) > 0 {
		out.Path = u.PathNames[:len(u.PathNames)-1]
	}
	if out.Formerly == nil {
		out.Formerly = []string{}
	}
	return out
}

func (a *API) getUnits(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	us, err := a.App.Store.SearchUnits(r.Context(), homthu.UnitFilter{
		Query: q.Get("q"), Kind: homthu.UnitKind(q.Get("kind")), Under: q.Get("under"), Limit: 20,
	})
	if err != nil {
		return err
	}
	out := struct {
		Units []Unit `json:"units"`
	}{Units: []Unit{}}
	for _, u := range us {
		out.Units = append(out.Units, apiUnit(u))
	}
	w.Header().Set("Cache-Control", "public, max-age=300")
	return writeJSON(w, http.StatusOK, out)
}
