package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"homthu/internal/catalog"
	"homthu/internal/homthu"
)

// The catalogues of standards (internal/catalog). Each version is written
// once, whole, and never changed (the tables' triggers refuse it); the row
// of catalogs names the version in force.

// Origins of a catalogue version.
const (
	OriginShipped = "shipped" // installed by homthu from internal/catalog/shipped
	OriginFile    = "file"    // loaded from a catalogue file
	OriginRetire  = "retire"  // made by retiring one item
)

// CatalogVersion is one version of a catalogue in its history.
type CatalogVersion struct {
	Catalog    string
	Version    int
	Title      string
	Note       string
	Origin     string
	SHA256     string // of the version in the catalogue file format
	AuthorName string // the staff account's name, or who ran the command line
	Created    time.Time
}

// InstallShippedCatalogs installs every shipped catalogue (catalog.Shipped)
// that the database does not have yet, and returns how many it installed.
// It is what `homthu migrate` and every start run after migrating; a
// catalogue already present, at whatever version, is left alone.
func (s *Store) InstallShippedCatalogs(ctx context.Context) (int, error) {
	cs, err := catalog.Shipped()
	if err != nil {
		return 0, err
	}
	n := 0
	for _, c := range cs {
		err := s.Transact(ctx, func(tx *Tx) error {
			if err := tx.lockCatalogs(ctx); err != nil {
				return err
			}
			if v, err := currentVersion(ctx, tx, c.Code); err != nil || v > 0 {
				return err
			}
			n++
			return writeVersion(ctx, tx, c, OriginShipped, nil, "homthu", s.now())
		})
		if err != nil {
			return n, fmt.Errorf("store.InstallShippedCatalogs: %w", err)
		}
	}
	return n, nil
}

// LoadCatalog makes next the version in force of its catalogue, after
// catalog.Plan has checked that it may follow the version in force (or
// that it is version 1 of a new catalogue), and returns what it changed. A
// version that changes nothing is refused (ECONFLICT), so that the history
// records only real changes. by is the staff account, nil from the command
// line (then byName says who).
func (s *Store) LoadCatalog(ctx context.Context, next *catalog.Catalog, by *homthu.User, byName string) (*catalog.Change, error) {
	var ch *catalog.Change
	err := s.Transact(ctx, func(tx *Tx) error {
		if err := tx.lockCatalogs(ctx); err != nil {
			return err
		}
		cur, err := currentCatalog(ctx, tx, next.Code)
		if err != nil {
			return err
		}
		if ch, err = catalog.Plan(cur, next); err != nil {
			return err
		}
		if ch.Empty() {
			return homthu.Errorf(homthu.ECONFLICT, "Tệp không thay đổi gì so với phiên bản %d của danh mục %s, nên không nạp.", ch.From, next.Code)
		}
		return writeVersion(ctx, tx, ch.Next, OriginFile, by, byName, s.now())
	})
	if err != nil {
		return nil, wrapCatalogErr("store.LoadCatalog", err)
	}
	return ch, nil
}

// PlanCatalog says what LoadCatalog would do with next, changing nothing.
func (s *Store) PlanCatalog(ctx context.Context, next *catalog.Catalog) (*catalog.Change, error) {
	cur, err := currentCatalog(ctx, readPool{s}, next.Code)
	if err != nil {
		return nil, wrapCatalogErr("store.PlanCatalog", err)
	}
	return catalog.Plan(cur, next)
}

// RetireStandard retires an item: a new version of its catalogue in which
// the item is retired for reason. Feedback classified under it keeps it.
func (s *Store) RetireStandard(ctx context.Context, code, reason string, by *homthu.User, byName string) (*catalog.Catalog, error) {
	var next *catalog.Catalog
	err := s.Transact(ctx, func(tx *Tx) error {
		if err := tx.lockCatalogs(ctx); err != nil {
			return err
		}
		cur, err := currentCatalog(ctx, tx, catalog.CatalogOf(code))
		if err != nil {
			return err
		}
		if cur == nil {
			return homthu.Errorf(homthu.ENOTFOUND, "Không có mục %s trong danh mục nào.", code)
		}
		next, err = catalog.Retire(cur, code, reason, "Bãi bỏ mục "+code+": "+reason)
		if err != nil {
			return err
		}
		return writeVersion(ctx, tx, next, OriginRetire, by, byName, s.now())
	})
	if err != nil {
		return nil, wrapCatalogErr("store.RetireStandard", err)
	}
	return next, nil
}

func wrapCatalogErr(op string, err error) error {
	if homthu.ErrorCode(err) != homthu.EINTERNAL {
		return err
	}
	return fmt.Errorf("%s: %w", op, err)
}

// lockCatalogs serialises the writers of catalogues across processes.
func (tx *Tx) lockCatalogs(ctx context.Context) error {
	if l := tx.d.lockCatalogs(); l != "" {
		if _, err := tx.Exec(ctx, l); err != nil {
			return err
		}
	}
	return nil
}

func currentVersion(ctx context.Context, q rowQuerier, code string) (int, error) {
	var v int
	err := q.QueryRow(ctx, `SELECT version FROM catalogs WHERE code = ?`, code).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return v, err
}

// currentCatalog is the version in force of a catalogue, nil if there is none.
func currentCatalog(ctx context.Context, q rowQuerier, code string) (*catalog.Catalog, error) {
	v, err := currentVersion(ctx, q, code)
	if err != nil || v == 0 {
		return nil, err
	}
	return readCatalog(ctx, q, code, v)
}

const insertCatalogVersionSQL = `INSERT INTO catalog_versions
    (catalog, version, title, short_title, source, label, note, origin, sha256, author, author_name, created)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`

const insertStandardSQL = `INSERT INTO standards
    (code, version, catalog, grp, pos, title, explanation, official, source, retired, retired_reason, retired_in)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`

// writeVersion writes a whole version and makes it the one in force.
func writeVersion(ctx context.Context, tx *Tx, c *catalog.Catalog, origin string, by *homthu.User, byName string, now time.Time) error {
	sum := sha256.Sum256(catalog.Format(c))
	var author any
	if by != nil {
		author, byName = by.ID, by.Username
	}
	res, err := tx.Exec(ctx, `UPDATE catalogs SET version = ? WHERE code = ?`, c.Version, c.Code)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		if _, err := tx.Exec(ctx, `INSERT INTO catalogs (code, version, pos) SELECT ?, ?, COALESCE(MAX(pos), 0) + 1 FROM catalogs`, c.Code, c.Version); err != nil {
			return err
		}
	}
	if _, err := tx.Exec(ctx, insertCatalogVersionSQL, c.Code, c.Version, c.Title, c.Short, c.Source, c.Label, c.Note,
		origin, hex.EncodeToString(sum[:]), author, byName, now.UnixMilli()); err != nil {
		return err
	}
	for i, g := range c.Groups {
		if _, err := tx.Exec(ctx, `INSERT INTO catalog_groups (catalog, version, code, pos, title) VALUES (?, ?, ?, ?, ?)`,
			c.Code, c.Version, g.Code, i+1, g.Title); err != nil {
			return err
		}
	}
	if by != nil {
		act, reason := homthu.AuditCatalogLoad, fmt.Sprintf("%s phiên bản %d", c.Code, c.Version)
		if origin == OriginRetire {
			act, reason = homthu.AuditCatalogRetire, fmt.Sprintf("%s phiên bản %d: %s", c.Code, c.Version, c.Note)
		}
		if err := AppendAudit(ctx, tx, &homthu.AuditRecord{At: now, Actor: by.ID, ActorName: by.Username, Unit: by.Unit,
			Action: act, Reason: reason}); err != nil {
			return err
		}
	}
	for _, st := range c.Standards {
		if _, err := tx.Exec(ctx, insertStandardSQL, st.Code, c.Version, c.Code, st.Group, st.Number, st.Title, st.Explanation,
			st.Official, st.Source, st.Retired, st.RetiredReason, st.RetiredIn); err != nil {
			return err
		}
	}
	return nil
}

// rowQuerier is what reading a catalogue needs: a transaction or the store's
// read pool.
type rowQuerier interface {
	Query(ctx context.Context, q string, args ...any) (*sql.Rows, error)
	QueryRow(ctx context.Context, q string, args ...any) *sql.Row
}

// readPool adapts the store's read pool to rowQuerier.
type readPool struct{ s *Store }

func (r readPool) Query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	return r.s.query(ctx, q, args...)
}
func (r readPool) QueryRow(ctx context.Context, q string, args ...any) *sql.Row {
	return r.s.queryRow(ctx, q, args...)
}

// readCatalog reads one whole version of a catalogue, or ENOTFOUND.
func readCatalog(ctx context.Context, q rowQuerier, code string, version int) (*catalog.Catalog, error) {
	c := &catalog.Catalog{Code: code, Version: version}
	err := q.QueryRow(ctx, `SELECT title, short_title, source, label, note FROM catalog_versions WHERE catalog = ? AND version = ?`, code, version).
		Scan(&c.Title, &c.Short, &c.Source, &c.Label, &c.Note)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, homthu.Errorf(homthu.ENOTFOUND, "Không có danh mục %s phiên bản %d.", code, version)
	} else if err != nil {
		return nil, err
	}
	rows, err := q.Query(ctx, `SELECT code, title FROM catalog_groups WHERE catalog = ? AND version = ? ORDER BY pos`, code, version)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var g catalog.Group
		if err := rows.Scan(&g.Code, &g.Title); err != nil {
			rows.Close()
			return nil, err
		}
		c.Groups = append(c.Groups, g)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = q.Query(ctx, `SELECT code, grp, pos, title, explanation, official, source, retired, retired_reason, retired_in
FROM standards WHERE catalog = ? AND version = ? ORDER BY pos`, code, version)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		st := catalog.Standard{Catalog: code, Version: version}
		if err := rows.Scan(&st.Code, &st.Group, &st.Number, &st.Title, &st.Explanation, &st.Official, &st.Source,
			&st.Retired, &st.RetiredReason, &st.RetiredIn); err != nil {
			return nil, err
		}
		c.Standards = append(c.Standards, st)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	c.Fill()
	return c, nil
}

// Catalogs returns every catalogue at its version in force, retired items
// included, in the order they are posted.
func (s *Store) Catalogs(ctx context.Context) ([]*catalog.Catalog, error) {
	rows, err := s.query(ctx, `SELECT code, version FROM catalogs ORDER BY pos LIMIT 100`)
	if err != nil {
		return nil, fmt.Errorf("store.Catalogs: %w", err)
	}
	type cv struct {
		code string
		v    int
	}
	var list []cv
	for rows.Next() {
		var x cv
		if err := rows.Scan(&x.code, &x.v); err != nil {
			rows.Close()
			return nil, fmt.Errorf("store.Catalogs: %w", err)
		}
		list = append(list, x)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store.Catalogs: %w", err)
	}
	var out []*catalog.Catalog
	for _, x := range list {
		c, err := readCatalog(ctx, readPool{s}, x.code, x.v)
		if err != nil {
			return nil, wrapCatalogErr("store.Catalogs", err)
		}
		out = append(out, c)
	}
	return out, nil
}

// Catalog returns one version of a catalogue; version 0 is the one in
// force. An unknown catalogue or version is ENOTFOUND.
func (s *Store) Catalog(ctx context.Context, code string, version int) (*catalog.Catalog, error) {
	if version == 0 {
		err := s.queryRow(ctx, `SELECT version FROM catalogs WHERE code = ?`, code).Scan(&version)
		if errors.Is(err, sql.ErrNoRows) {
			return nil, homthu.Errorf(homthu.ENOTFOUND, "Không có danh mục %q.", code)
		} else if err != nil {
			return nil, fmt.Errorf("store.Catalog: %w", err)
		}
	}
	c, err := readCatalog(ctx, readPool{s}, code, version)
	if err != nil {
		return nil, wrapCatalogErr("store.Catalog", err)
	}
	return c, nil
}

// CatalogVersions returns the history of a catalogue, newest first.
func (s *Store) CatalogVersions(ctx context.Context, code string) ([]CatalogVersion, error) {
	rows, err := s.query(ctx, `SELECT version, title, note, origin, sha256, author_name, created
FROM catalog_versions WHERE catalog = ? ORDER BY version DESC LIMIT 1000`, code)
	if err != nil {
		return nil, fmt.Errorf("store.CatalogVersions: %w", err)
	}
	defer rows.Close()
	var out []CatalogVersion
	for rows.Next() {
		v := CatalogVersion{Catalog: code}
		var created int64
		if err := rows.Scan(&v.Version, &v.Title, &v.Note, &v.Origin, &v.SHA256, &v.AuthorName, &created); err != nil {
			return nil, fmt.Errorf("store.CatalogVersions: %w", err)
		}
		v.Created = time.UnixMilli(created)
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store.CatalogVersions: %w", err)
	}
	if len(out) == 0 {
		return nil, homthu.Errorf(homthu.ENOTFOUND, "Không có danh mục %q.", code)
	}
	return out, nil
}

// standardCols are a standard with its group's title and its catalogue's
// short name and label, from s, g and v (see the joins below).
const standardCols = `s.code, s.version, s.catalog, s.grp, s.pos, s.title, s.explanation, s.official, s.source,
    s.retired, s.retired_reason, s.retired_in, g.title,
    CASE WHEN v.short_title = '' THEN v.title ELSE v.short_title END, v.label`

const standardJoins = `JOIN catalog_groups g ON g.catalog = s.catalog AND g.version = s.version AND g.code = s.grp
JOIN catalog_versions v ON v.catalog = s.catalog AND v.version = s.version`

func scanStandard(sc interface{ Scan(...any) error }) (*catalog.Standard, error) {
	var st catalog.Standard
	err := sc.Scan(&st.Code, &st.Version, &st.Catalog, &st.Group, &st.Number, &st.Title, &st.Explanation, &st.Official,
		&st.Source, &st.Retired, &st.RetiredReason, &st.RetiredIn, &st.GroupTitle, &st.CatalogShort, &st.Label)
	return &st, err
}

const activeStandardsSQL = `SELECT ` + standardCols + `
FROM catalogs c JOIN standards s ON s.catalog = c.code AND s.version = c.version
` + standardJoins + `
WHERE NOT s.retired AND (? = '' OR c.code = ?) AND (? = '' OR s.grp = ?)
ORDER BY c.pos, s.pos
LIMIT 2000`

// ActiveStandards lists the standards that may classify new feedback: the
// items not retired of the versions in force, in posted order, optionally
// of one catalogue ("NQ4") and one of its groups ("CT"). An unknown
// catalogue or group gives an empty list.
func (s *Store) ActiveStandards(ctx context.Context, catalogCode, group string) ([]catalog.Standard, error) {
	rows, err := s.query(ctx, activeStandardsSQL, catalogCode, catalogCode, group, group)
	if err != nil {
		return nil, fmt.Errorf("store.ActiveStandards: %w", err)
	}
	defer rows.Close()
	var out []catalog.Standard
	for rows.Next() {
		st, err := scanStandard(rows)
		if err != nil {
			return nil, fmt.Errorf("store.ActiveStandards: %w", err)
		}
		out = append(out, *st)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store.ActiveStandards: %w", err)
	}
	return out, nil
}

const findStandardSQL = `SELECT ` + standardCols + `
FROM catalogs c JOIN standards s ON s.catalog = c.code AND s.version = c.version
` + standardJoins + `
WHERE s.code = ?`

// FindStandard returns a standard, active or retired, at the version in
// force of its catalogue (a retired item is carried, retired, in every
// later version), or ENOTFOUND. The code is read as a person may type it
// (" nq4-05").
func (s *Store) FindStandard(ctx context.Context, code string) (*catalog.Standard, error) {
	code = catalog.NormalizeCode(code)
	st, err := scanStandard(s.queryRow(ctx, findStandardSQL, code))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, homthu.Errorf(homthu.ENOTFOUND, "Không có mục %q trong các danh mục biểu hiện, điều cấm.", code)
	} else if err != nil {
		return nil, fmt.Errorf("store.FindStandard: %w", err)
	}
	return st, nil
}

const standardAtSQL = `SELECT ` + standardCols + `
FROM standards s ` + standardJoins + `
WHERE s.code = ? AND s.version = ?`

// StandardsAt returns the standards of refs as they were at their
// versions, in the order of refs: how an item classified long ago shows
// its categories, whatever changed since. A ref that names no stored
// version is ENOTFOUND.
func (s *Store) StandardsAt(ctx context.Context, refs []catalog.Ref) ([]catalog.Standard, error) {
	if len(refs) > catalog.MaxClassify*10 {
		return nil, homthu.Errorf(homthu.EINVALID, "Quá nhiều mục cần tra (%d).", len(refs))
	}
	out := make([]catalog.Standard, 0, len(refs))
	for _, r := range refs {
		st, err := scanStandard(s.queryRow(ctx, standardAtSQL, r.Code, r.Version))
		if errors.Is(err, sql.ErrNoRows) {
			return nil, homthu.Errorf(homthu.ENOTFOUND, "Không có mục %s phiên bản %d.", r.Code, r.Version)
		} else if err != nil {
			return nil, fmt.Errorf("store.StandardsAt: %w", err)
		}
		out = append(out, *st)
	}
	return out, nil
}

// ClassifyStandards checks the codes a person chose to classify an item of
// feedback and returns the references to store with it, in the order
// given, without duplicates. keep are the references the item already
// has: a code among them keeps its reference (the version it was
// classified under), even if it was retired since. Any other code must be
// an active standard, and gets the version in force. At most
// catalog.MaxClassify codes; an unknown or newly chosen retired code is
// EINVALID, with a message naming it.
func (s *Store) ClassifyStandards(ctx context.Context, codes []string, keep []catalog.Ref) ([]catalog.Ref, error) {
	held := map[string]catalog.Ref{}
	for _, r := range keep {
		held[r.Code] = r
	}
	seen := map[string]bool{}
	var out []catalog.Ref
	for _, c := range codes {
		c = catalog.NormalizeCode(c)
		if c == "" || seen[c] {
			continue
		}
		seen[c] = true
		if len(out) == catalog.MaxClassify {
			return nil, homthu.Errorf(homthu.EINVALID, "Một thư, đơn được phân loại theo tối đa %d biểu hiện, điều cấm.", catalog.MaxClassify)
		}
		if r, ok := held[c]; ok {
			out = append(out, r)
			continue
		}
		st, err := s.FindStandard(ctx, c)
		if homthu.ErrorCode(err) == homthu.ENOTFOUND {
			return nil, homthu.Errorf(homthu.EINVALID, "Không có mục %q trong các danh mục biểu hiện, điều cấm.", c)
		} else if err != nil {
			return nil, err
		}
		if st.Retired {
			return nil, homthu.Errorf(homthu.EINVALID, "Mục %s (%s) đã bị bãi bỏ từ phiên bản %d (%s), không dùng để phân loại thư, đơn mới.",
				st.Code, st.Title, st.RetiredIn, st.RetiredReason)
		}
		out = append(out, catalog.Ref{Code: st.Code, Version: st.Version})
	}
	return out, nil
}
