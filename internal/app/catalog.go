package app

import (
	"context"

	"homthu/internal/catalog"
	"homthu/internal/homthu"
)

// The catalogues of standards: read by everyone (the posted standards are
// public), changed by administrators only, each change audited by the
// store in the same transaction.

// Catalogs returns every catalogue at its version in force, in posted order.
func (a *App) Catalogs(ctx context.Context) ([]*catalog.Catalog, error) {
	return a.Store.Catalogs(ctx)
}

// Catalog returns one version of a catalogue (0: the version in force).
func (a *App) Catalog(ctx context.Context, code string, version int) (*catalog.Catalog, error) {
	return a.Store.Catalog(ctx, catalog.NormalizeCode(code), version)
}

// Standard returns a standard, active or retired, at the version in force.
func (a *App) Standard(ctx context.Context, code string) (*catalog.Standard, error) {
	return a.Store.FindStandard(ctx, code)
}

// PlanCatalogFile reads a catalogue file an administrator sent and says
// what loading it would change, changing nothing.
func (a *App) PlanCatalogFile(ctx context.Context, s *homthu.Session, data []byte) (*catalog.Change, error) {
	if err := need(s, homthu.ActManageCatalogs); err != nil {
		return nil, err
	}
	c, err := catalog.Parse(data)
	if err != nil {
		return nil, err
	}
	return a.Store.PlanCatalog(ctx, c)
}

// LoadCatalogFile loads a catalogue file as the next version of its
// catalogue (or version 1 of a new one).
func (a *App) LoadCatalogFile(ctx context.Context, s *homthu.Session, data []byte) (*catalog.Change, error) {
	if err := need(s, homthu.ActManageCatalogs); err != nil {
		return nil, err
	}
	c, err := catalog.Parse(data)
	if err != nil {
		return nil, err
	}
	return a.Store.LoadCatalog(ctx, c, s.User, "")
}

// RetireStandard retires an item of a catalogue, for a reason.
func (a *App) RetireStandard(ctx context.Context, s *homthu.Session, code, reason string) (*catalog.Catalog, error) {
	if err := need(s, homthu.ActManageCatalogs); err != nil {
		return nil, err
	}
	return a.Store.RetireStandard(ctx, catalog.NormalizeCode(code), reason, s.User, "")
}
