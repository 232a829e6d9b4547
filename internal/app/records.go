package app

import (
	"context"
	"strings"

	"homthu/internal/homthu"
	"homthu/internal/store"
	"homthu/internal/vntext"
)

// The Front's records (issue 10): coordination programmes, activities and
// pilot units, written by Front staff (and administrators) for their unit
// or a unit below it, read by them and by leaders in their scope. A record
// of a unit outside the session's scope is ENOTFOUND.

// CreateProgramme records a coordination programme.
func (a *App) CreateProgramme(ctx context.Context, s *homthu.Session, p homthu.Programme) (int64, error) {
	if err := need(s, homthu.ActManageRecords); err != nil {
		return 0, err
	}
	for _, f := range []*string{&p.Unit, &p.Number, &p.SignedOn, &p.Title, &p.Scope, &p.From, &p.To} {
		*f = strings.TrimSpace(vntext.NFC(*f))
	}
	var parties []string
	for _, x := range p.Parties {
		if x = strings.Join(strings.Fields(vntext.NFC(x)), " "); x != "" {
			parties = append(parties, x)
		}
	}
	p.Parties = parties
	if p.From == "" {
		p.From = p.SignedOn
	}
	if err := p.Validate(); err != nil {
		return 0, err
	}
	if _, _, err := a.inScope(ctx, s, p.Unit); err != nil {
		return 0, err
	}
	return a.Store.CreateProgramme(ctx, &p, s.User.Username)
}

// CreateActivity records a conference, training, briefing or supervision.
func (a *App) CreateActivity(ctx context.Context, s *homthu.Session, x homthu.Activity) (int64, error) {
	if err := need(s, homthu.ActManageRecords); err != nil {
		return 0, err
	}
	for _, f := range []*string{&x.Unit, &x.HeldOn, &x.Topic, &x.Outcome} {
		*f = strings.TrimSpace(vntext.NFC(*f))
	}
	for i := range x.ByOrg {
		x.ByOrg[i].Org = strings.Join(strings.Fields(vntext.NFC(x.ByOrg[i].Org)), " ")
	}
	if err := x.Validate(); err != nil {
		return 0, err
	}
	if _, _, err := a.inScope(ctx, s, x.Unit); err != nil {
		return 0, err
	}
	return a.Store.CreateActivity(ctx, &x, s.User.Username)
}

// CreatePilot marks a unit as a pilot (điểm chỉ đạo) for a period.
func (a *App) CreatePilot(ctx context.Context, s *homthu.Session, p homthu.Pilot) (int64, error) {
	if err := need(s, homthu.ActManageRecords); err != nil {
		return 0, err
	}
	for _, f := range []*string{&p.Unit, &p.From, &p.To, &p.Note} {
		*f = strings.TrimSpace(vntext.NFC(*f))
	}
	if err := p.Validate(); err != nil {
		return 0, err
	}
	if _, _, err := a.inScope(ctx, s, p.Unit); err != nil {
		return 0, err
	}
	return a.Store.CreatePilot(ctx, &p, s.User.Username)
}

// Records is what a unit's records page shows for a period.
type Records struct {
	Programmes []*homthu.Programme
	Activities []*homthu.Activity
	Pilots     []*homthu.Pilot
	// NextProgramme and NextActivity page on (0: no more).
	NextProgramme, NextActivity int64
	// Signed and Units are the ratio of the units one level below that
	// have a programme in force in the period ("8/8"); ChildKind names
	// their level ("" when the unit has none below).
	Signed, Units int
	ChildKind     homthu.UnitKind
}

// Records returns the records of the unit (the session's by default) and
// its subtree for from..to (YYYY-MM-DD).
func (a *App) Records(ctx context.Context, s *homthu.Session, unit, from, to string, beforeProgramme, beforeActivity int64) (*Records, error) {
	if err := need(s, homthu.ActReadRecords); err != nil {
		return nil, err
	}
	if unit == "" {
		unit = s.User.Unit
	}
	kind, _, err := a.inScope(ctx, s, unit)
	if err != nil {
		return nil, err
	}
	f := store.RecordFilter{Scope: s.User.Unit, Unit: unit, From: from, To: to, Limit: 50}
	r := &Records{}
	f.Before = beforeProgramme
	if r.Programmes, r.NextProgramme, err = a.Store.ListProgrammes(ctx, f); err != nil {
		return nil, err
	}
	f.Before = beforeActivity
	if r.Activities, r.NextActivity, err = a.Store.ListActivities(ctx, f, ""); err != nil {
		return nil, err
	}
	f.Before = 0
	if r.Pilots, err = a.Store.ListPilots(ctx, f); err != nil {
		return nil, err
	}
	switch kind {
	case homthu.KindProvince:
		r.ChildKind = homthu.KindCommune
	case homthu.KindDistrict:
		r.ChildKind = homthu.KindCommune
	case homthu.KindCommune:
		r.ChildKind = homthu.KindArea
	}
	if r.ChildKind != "" {
		if r.Signed, r.Units, err = a.Store.SignedRatio(ctx, unit, r.ChildKind, from, to); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// RecordCounts is what each unit in scope recorded in from..to, for the
// digest and the review (issue 10): see store.RecordCounts. The session
// must read records, and scope must be its unit or below.
func (a *App) RecordCounts(ctx context.Context, s *homthu.Session, scope, from, to string) ([]store.UnitRecords, error) {
	if err := need(s, homthu.ActReadRecords); err != nil {
		return nil, err
	}
	if _, _, err := a.inScope(ctx, s, scope); err != nil {
		return nil, err
	}
	return a.Store.RecordCounts(ctx, scope, from, to)
}

// ActivityFile returns a file of an activity in the session's scope.
func (a *App) ActivityFile(ctx context.Context, s *homthu.Session, id int64, n int) (*homthu.Attachment, error) {
	if err := need(s, homthu.ActReadRecords); err != nil {
		return nil, err
	}
	return a.Store.ActivityFile(ctx, s.User.Unit, id, n)
}

// Programme returns a programme in the session's scope.
func (a *App) Programme(ctx context.Context, s *homthu.Session, id int64) (*homthu.Programme, error) {
	if err := need(s, homthu.ActReadRecords); err != nil {
		return nil, err
	}
	return a.Store.FindProgramme(ctx, s.User.Unit, id)
}
