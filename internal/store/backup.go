package store

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"homthu/internal/homthu"
)

// Backups are logical and engine-independent. A Snapshot reads every table
// of the schema in one consistent read transaction and writes each as a
// stream of JSON lines: one row a line, a JSON array of the row's values in
// the order of BackupTable.Columns. Values are typed:
//
//	null           NULL
//	123            an integer
//	1.5            a floating-point number (always with "." or an exponent)
//	"text"         text (valid UTF-8)
//	true, false    a boolean (PostgreSQL BOOLEAN; SQLite keeps 1 and 0)
//	{"b":"…"}      bytes, standard base64 (RFC 4648 §4)
//	{"t":"…"}      a timestamp, RFC 3339 with nanoseconds
//
// A Loader writes such streams into an empty database migrated to the same
// schema version, converting each value to the type of its target column, so
// a backup of either engine loads into the other: the backup is also the way
// from SQLite to PostgreSQL and back.
//
// Tables are discovered from the catalog, never listed here: a table added
// by a later migration is backed up without a change to this file. Only
// schema_migrations is left out; its version is recorded instead.

// BackupTable is one table of a backup.
type BackupTable struct {
	// Name is the table's name.
	Name string
	// Columns are the table's columns in the order of the stream's values.
	Columns []string
	// Sequence is the table's id counter when the snapshot was taken (SQLite
	// AUTOINCREMENT's sqlite_sequence, the last value of a PostgreSQL
	// identity sequence), 0 when it has none. A load sets the target's counter
	// to at least this and at least the largest id, so ids of deleted rows
	// are never handed out again.
	Sequence int64
}

// schemaMigrations is the table Migrate keeps; a backup records its version
// instead of its rows.
const schemaMigrations = "schema_migrations"

// Snapshot is a consistent, read-only view of the whole database: a read
// transaction on one connection (SQLite in WAL mode gives it snapshot
// isolation; PostgreSQL: REPEATABLE READ, READ ONLY). Writers go on while it
// is open and none of their later commits is seen.
type Snapshot struct {
	tx  *Tx
	cat schemaCatalog
	// Engine is the engine of origin, "sqlite" or "postgres".
	Engine string
	// Version is the schema version: the highest migration applied.
	Version int
	// Tables are every table but schema_migrations, in load order: each
	// after the tables its foreign keys reference.
	Tables []BackupTable
	pk     map[string][]string
}

// Snapshot begins a snapshot; Close ends it.
func (s *Store) Snapshot(ctx context.Context) (*Snapshot, error) {
	cat := s.d.(schemaCatalog)
	t, err := cat.beginSnapshot(ctx, s)
	if err != nil {
		return nil, fmt.Errorf("store.Snapshot: begin: %w", err)
	}
	sn := &Snapshot{tx: &Tx{tx: t, d: s.d}, cat: cat, Engine: s.d.name(), pk: map[string][]string{}}
	if err := sn.read(ctx); err != nil {
		t.Rollback()
		return nil, fmt.Errorf("store.Snapshot: %w", err)
	}
	return sn, nil
}

// read takes the snapshot (its first query fixes what it sees) and reads
// the schema: version, tables, columns, keys and counters.
func (sn *Snapshot) read(ctx context.Context) error {
	v, err := schemaVersion(ctx, sn.tx)
	if err != nil {
		return err
	}
	sn.Version = v
	names, err := sn.cat.tables(ctx, sn.tx)
	if err != nil {
		return err
	}
	var fks []foreignKey
	tables := map[string]BackupTable{}
	for _, name := range names {
		cols, err := sn.cat.columns(ctx, sn.tx, name)
		if err != nil {
			return err
		}
		t := BackupTable{Name: name}
		for _, c := range cols {
			t.Columns = append(t.Columns, c.name)
		}
		sn.pk[name] = primaryKey(cols)
		if t.Sequence, err = sn.cat.sequence(ctx, sn.tx, name); err != nil {
			return err
		}
		f, err := sn.cat.foreignKeys(ctx, sn.tx, name)
		if err != nil {
			return err
		}
		fks = append(fks, f...)
		tables[name] = t
	}
	order, err := loadOrder(names, fks)
	if err != nil {
		return err
	}
	for _, name := range order {
		sn.Tables = append(sn.Tables, tables[name])
	}
	return nil
}

// WriteTable writes the rows of the named table to w as JSON lines, in
// primary-key order (so that equal databases give equal streams), and
// returns how many rows it wrote. Rows are streamed: one row is in memory
// at a time.
func (sn *Snapshot) WriteTable(ctx context.Context, name string, w io.Writer) (int64, error) {
	var t *BackupTable
	for i := range sn.Tables {
		if sn.Tables[i].Name == name {
			t = &sn.Tables[i]
		}
	}
	if t == nil {
		return 0, fmt.Errorf("store.Snapshot.WriteTable: no table %q", name)
	}
	q := "SELECT " + quoteIdents(t.Columns) + " FROM " + quoteIdent(name)
	if pk := sn.pk[name]; len(pk) > 0 {
		q += " ORDER BY " + quoteIdents(pk)
	}
	rows, err := sn.tx.Query(ctx, q)
	if err != nil {
		return 0, fmt.Errorf("store.Snapshot.WriteTable(%s): %w", name, err)
	}
	defer rows.Close()
	vals := make([]any, len(t.Columns))
	ptrs := make([]any, len(vals))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	var n int64
	var line []byte
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return n, fmt.Errorf("store.Snapshot.WriteTable(%s): %w", name, err)
		}
		line = append(line[:0], '[')
		for i, v := range vals {
			if i > 0 {
				line = append(line, ',')
			}
			if line, err = appendValue(line, v); err != nil {
				return n, fmt.Errorf("store.Snapshot.WriteTable(%s.%s): %w", name, t.Columns[i], err)
			}
		}
		line = append(line, ']', '\n')
		if _, err := w.Write(line); err != nil {
			return n, fmt.Errorf("store.Snapshot.WriteTable(%s): %w", name, err)
		}
		n++
	}
	if err := rows.Err(); err != nil {
		return n, fmt.Errorf("store.Snapshot.WriteTable(%s): %w", name, err)
	}
	return n, nil
}

// Close ends the snapshot's read transaction.
func (sn *Snapshot) Close() error {
	err := sn.tx.tx.Rollback()
	if errors.Is(err, sql.ErrTxDone) {
		return nil
	}
	return err
}

// Loader loads the tables of a backup into an empty database, all in one
// transaction: Commit makes the whole backup visible at once, Rollback (or
// any failure) leaves the database as it was. Foreign keys stay enforced
// on both engines, so a load also checks the backup's references.
type Loader struct {
	tx     *Tx
	cat    schemaCatalog
	tables []BackupTable
	next   int
	target map[string]*targetTable
}

// targetTable is what a Loader knows of a table in the target database.
type targetTable struct {
	cols map[string]column
	// self are the table's foreign keys to itself (units.parent): a row
	// waits until the row it references is in.
	self []foreignKey
}

// Load begins loading a backup taken at schema version version with the
// given tables, in order. The target must be migrated to exactly that
// version, have the same tables and columns, and hold no row in any table.
func (s *Store) Load(ctx context.Context, version int, tables []BackupTable) (*Loader, error) {
	cat := s.d.(schemaCatalog)
	t, err := cat.beginLoad(ctx, s)
	if err != nil {
		return nil, fmt.Errorf("store.Load: begin: %w", err)
	}
	l := &Loader{tx: &Tx{tx: t, d: s.d}, cat: cat, tables: tables, target: map[string]*targetTable{}}
	if err := l.check(ctx, version); err != nil {
		t.Rollback()
		if homthu.ErrorCode(err) == homthu.EINTERNAL {
			err = fmt.Errorf("store.Load: %w", err)
		}
		return nil, err
	}
	return l, nil
}

// check compares the target's schema with the backup's and makes sure the
// target is empty.
func (l *Loader) check(ctx context.Context, version int) error {
	v, err := schemaVersion(ctx, l.tx)
	if err != nil {
		return err
	}
	if v != version {
		return homthu.Errorf(homthu.EINVALID, "Bản sao lưu có lược đồ phiên bản %d, còn cơ sở dữ liệu đích ở phiên bản %d. "+
			"Hãy khôi phục bằng đúng phiên bản homthu đã tạo bản sao lưu, rồi nâng cấp chương trình.", version, v)
	}
	names, err := l.cat.tables(ctx, l.tx)
	if err != nil {
		return err
	}
	pos := map[string]int{}
	for i, t := range l.tables {
		if _, dup := pos[t.Name]; dup {
			return mismatch("bảng %s có hai lần", t.Name)
		}
		pos[t.Name] = i
	}
	for _, name := range names {
		if _, ok := pos[name]; !ok {
			return mismatch("bản sao lưu thiếu bảng %s", name)
		}
	}
	var fks []foreignKey
	for _, name := range names {
		cols, err := l.cat.columns(ctx, l.tx, name)
		if err != nil {
			return err
		}
		tt := &targetTable{cols: map[string]column{}}
		for _, c := range cols {
			tt.cols[c.name] = c
		}
		l.target[name] = tt
		f, err := l.cat.foreignKeys(ctx, l.tx, name)
		if err != nil {
			return err
		}
		for _, fk := range f {
			if fk.table == fk.parent {
				tt.self = append(tt.self, fk)
			}
		}
		fks = append(fks, f...)
	}
	for _, t := range l.tables {
		tt, ok := l.target[t.Name]
		if !ok {
			return mismatch("cơ sở dữ liệu đích không có bảng %s", t.Name)
		}
		seen := map[string]bool{}
		for _, c := range t.Columns {
			if _, ok := tt.cols[c]; !ok || seen[c] {
				return mismatch("bảng %s: cột %s", t.Name, c)
			}
			seen[c] = true
		}
		if len(seen) != len(tt.cols) {
			return mismatch("bảng %s có %d cột ở đích, %d cột trong bản sao lưu", t.Name, len(tt.cols), len(seen))
		}
	}
	for _, fk := range fks {
		if fk.table != fk.parent && pos[fk.parent] > pos[fk.table] {
			return mismatch("bảng %s đứng trước bảng %s mà nó tham chiếu", fk.table, fk.parent)
		}
	}
	return checkEmpty(ctx, l.tx, names)
}

// CheckEmpty fails with ECONFLICT, naming a table, unless no table of the
// database holds a row (schema_migrations aside). A database not yet
// migrated is empty. A restore checks before it migrates, so that it never
// upgrades a database it then refuses.
func (s *Store) CheckEmpty(ctx context.Context) error {
	cat := s.d.(schemaCatalog)
	t, err := cat.beginSnapshot(ctx, s)
	if err != nil {
		return fmt.Errorf("store.CheckEmpty: %w", err)
	}
	defer t.Rollback()
	tx := &Tx{tx: t, d: s.d}
	names, err := cat.tables(ctx, tx)
	if err != nil {
		return fmt.Errorf("store.CheckEmpty: %w", err)
	}
	if err := checkEmpty(ctx, tx, names); err != nil && homthu.ErrorCode(err) == homthu.EINTERNAL {
		return fmt.Errorf("store.CheckEmpty: %w", err)
	} else if err != nil {
		return err
	}
	return nil
}

func checkEmpty(ctx context.Context, tx *Tx, tables []string) error {
	for _, name := range tables {
		var one int
		err := tx.QueryRow(ctx, "SELECT 1 FROM "+quoteIdent(name)+" LIMIT 1").Scan(&one)
		if err == nil {
			return homthu.Errorf(homthu.ECONFLICT, "Cơ sở dữ liệu đích đã có dữ liệu (bảng %s). Chỉ khôi phục vào một cơ sở dữ liệu trống: "+
				"một tệp SQLite mới (thư mục --data mới) hoặc một cơ sở dữ liệu, schema PostgreSQL mới.", name)
		} else if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
	}
	return nil
}

func mismatch(format string, args ...any) error {
	return homthu.Errorf(homthu.EINVALID, "Lược đồ của bản sao lưu không khớp với cơ sở dữ liệu đích: %s.", fmt.Sprintf(format, args...))
}

// LoadTable inserts the rows of the stream r (WriteTable's format) into the
// named table, which must be the next table of the backup, and returns how
// many rows it read. Rows are inserted in batches as they are read; only
// rows that reference a row of their own table not yet inserted wait in
// memory.
func (l *Loader) LoadTable(ctx context.Context, name string, r io.Reader) (int64, error) {
	if l.next >= len(l.tables) || l.tables[l.next].Name != name {
		return 0, fmt.Errorf("store.Loader.LoadTable: table %q out of order", name)
	}
	t := l.tables[l.next]
	l.next++
	n, err := l.load(ctx, t, r)
	if err != nil && homthu.ErrorCode(err) == homthu.EINTERNAL {
		err = fmt.Errorf("store.Loader.LoadTable(%s): %w", name, err)
	}
	return n, err
}

func (l *Loader) load(ctx context.Context, t BackupTable, r io.Reader) (int64, error) {
	tt := l.target[t.Name]
	classes := make([]valueClass, len(t.Columns))
	index := map[string]int{}
	for i, c := range t.Columns {
		classes[i] = tt.cols[c].class
		index[c] = i
	}
	ins := &inserter{tx: l.tx, cat: l.cat, table: t.Name, cols: t.Columns}
	ins.per = max(1, min(100, 900/max(1, len(t.Columns))))
	defer ins.close()

	// For a table that references itself, the keys inserted so far, per
	// foreign key, and the rows still waiting for their parent.
	inserted := make([]map[string]bool, len(tt.self))
	for i := range inserted {
		inserted[i] = map[string]bool{}
	}
	var waiting [][]any
	ready := func(row []any) bool {
		for i, fk := range tt.self {
			k, null := tupleKey(row, index, fk.cols)
			own, _ := tupleKey(row, index, fk.parentCols)
			if !null && k != own && !inserted[i][k] {
				return false
			}
		}
		return true
	}
	add := func(row []any) error {
		for i, fk := range tt.self {
			k, _ := tupleKey(row, index, fk.parentCols)
			inserted[i][k] = true
		}
		return ins.add(ctx, row)
	}

	dec := json.NewDecoder(bufio.NewReaderSize(r, 64<<10))
	dec.UseNumber()
	var n int64
	for {
		var raw []any
		if err := dec.Decode(&raw); err == io.EOF {
			break
		} else if err != nil {
			return n, badStream(t.Name, n, err)
		}
		if len(raw) != len(t.Columns) {
			return n, badStream(t.Name, n, fmt.Errorf("%d values, want %d", len(raw), len(t.Columns)))
		}
		row := make([]any, len(raw))
		for i, v := range raw {
			d, err := decodeValue(v)
			if err != nil {
				return n, badStream(t.Name, n, fmt.Errorf("%s: %w", t.Columns[i], err))
			}
			if row[i], err = classes[i].convert(d, l.cat.hasBool()); err != nil {
				return n, badStream(t.Name, n, fmt.Errorf("%s: %w", t.Columns[i], err))
			}
		}
		n++
		if len(tt.self) > 0 && !ready(row) {
			waiting = append(waiting, row)
			continue
		}
		if err := add(row); err != nil {
			return n, err
		}
	}
	for len(waiting) > 0 {
		rest := waiting[:0]
		for _, row := range waiting {
			if ready(row) {
				if err := add(row); err != nil {
					return n, err
				}
			} else {
				rest = append(rest, row)
			}
		}
		if len(rest) == len(waiting) {
			return n, homthu.Errorf(homthu.EINVALID, "Bản sao lưu hỏng: %d dòng của bảng %s tham chiếu tới dòng không có.", len(rest), t.Name)
		}
		waiting = rest
	}
	return n, ins.flush(ctx)
}

func badStream(table string, row int64, err error) error {
	return fmt.Errorf("%w: %w", homthu.Errorf(homthu.EINVALID, "Bản sao lưu hỏng: bảng %s, dòng %d không đọc được.", table, row+1), err)
}

// tupleKey encodes the values of the named columns of row as a map key, and
// reports whether any of them is NULL (a NULL reference references nothing).
func tupleKey(row []any, index map[string]int, cols []string) (string, bool) {
	var b []byte
	null := false
	for _, c := range cols {
		v := row[index[c]]
		null = null || v == nil
		b, _ = appendValue(b, v)
		b = append(b, 0)
	}
	return string(b), null
}

// Commit sets every table's id counter, recomputes the derived counts
// of the digest, and commits the load.
func (l *Loader) Commit(ctx context.Context) error {
	if l.next != len(l.tables) {
		l.Rollback()
		return fmt.Errorf("store.Loader.Commit: %d of %d tables loaded", l.next, len(l.tables))
	}
	for _, t := range l.tables {
		if err := l.cat.setSequence(ctx, l.tx, t.Name, t.Sequence); err != nil {
			l.Rollback()
			return fmt.Errorf("store.Loader.Commit: sequence of %s: %w", t.Name, err)
		}
	}
	if err := rebuildDigestCounts(ctx, l.tx); err != nil {
		l.Rollback()
		return fmt.Errorf("store.Loader.Commit: %w", err)
	}
	if err := l.tx.tx.Commit(); err != nil {
		return fmt.Errorf("store.Loader.Commit: %w", err)
	}
	return nil
}

// Rollback abandons the load; the database is as it was.
func (l *Loader) Rollback() error {
	err := l.tx.tx.Rollback()
	if errors.Is(err, sql.ErrTxDone) {
		return nil
	}
	return err
}

// inserter inserts rows in multi-row INSERTs of per rows.
type inserter struct {
	tx    *Tx
	cat   schemaCatalog
	table string
	cols  []string
	per   int
	rows  []any
	count int
	full  *sql.Stmt
}

func (in *inserter) add(ctx context.Context, row []any) error {
	in.rows = append(in.rows, row...)
	in.count++
	if in.count < in.per {
		return nil
	}
	if in.full == nil {
		st, err := in.tx.tx.PrepareContext(ctx, in.tx.d.rebind(in.statement(in.per)))
		if err != nil {
			return err
		}
		in.full = st
	}
	if _, err := in.full.ExecContext(ctx, in.rows...); err != nil {
		return err
	}
	in.rows, in.count = in.rows[:0], 0
	return nil
}

func (in *inserter) flush(ctx context.Context) error {
	if in.count == 0 {
		return nil
	}
	if _, err := in.tx.Exec(ctx, in.statement(in.count), in.rows...); err != nil {
		return err
	}
	in.rows, in.count = in.rows[:0], 0
	return nil
}

func (in *inserter) close() {
	if in.full != nil {
		in.full.Close()
	}
}

func (in *inserter) statement(rows int) string {
	var b strings.Builder
	b.WriteString(in.cat.insertInto(quoteIdent(in.table), quoteIdents(in.cols)))
	row := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(in.cols)), ", ") + ")"
	for i := range rows {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(row)
	}
	return b.String()
}

// SchemaVersion returns the highest migration version this program has for
// the engine ("sqlite" or "postgres"): the version Migrate brings a database
// to, and so the only version a fresh database can load a backup of.
func SchemaVersion(engine string) (int, error) {
	entries, err := fs.ReadDir(migrations, "migrations/"+engine)
	if err != nil {
		return 0, fmt.Errorf("store.SchemaVersion: %w", err)
	}
	v := 0
	for _, e := range entries {
		n, _, _ := strings.Cut(e.Name(), "_")
		if i, err := strconv.Atoi(n); err == nil && i > v {
			v = i
		}
	}
	return v, nil
}

func schemaVersion(ctx context.Context, tx *Tx) (int, error) {
	var v int
	if err := tx.QueryRow(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&v); err != nil {
		return 0, fmt.Errorf("schema version: %w", err)
	}
	return v, nil
}

// loadOrder sorts tables so that each comes after the tables it references
// (Kahn's algorithm, ties by name so that the order is stable). References
// of a table to itself are left to the Loader.
func loadOrder(names []string, fks []foreignKey) ([]string, error) {
	deps := map[string]map[string]bool{}
	for _, n := range names {
		deps[n] = map[string]bool{}
	}
	for _, fk := range fks {
		if fk.table != fk.parent {
			if _, ok := deps[fk.parent]; !ok {
				return nil, fmt.Errorf("table %s references %s, which is not backed up", fk.table, fk.parent)
			}
			deps[fk.table][fk.parent] = true
		}
	}
	var order []string
	done := map[string]bool{}
	for len(order) < len(names) {
		var next []string
		for _, n := range names {
			if done[n] {
				continue
			}
			ok := true
			for p := range deps[n] {
				ok = ok && done[p]
			}
			if ok {
				next = append(next, n)
			}
		}
		if len(next) == 0 {
			return nil, fmt.Errorf("the foreign keys of the tables form a cycle; no load order exists")
		}
		sort.Strings(next)
		for _, n := range next {
			done[n] = true
		}
		order = append(order, next...)
	}
	return order, nil
}

func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

func quoteIdents(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = quoteIdent(s)
	}
	return strings.Join(q, ", ")
}

// appendValue appends the backup encoding of a value read from either
// driver.
func appendValue(b []byte, v any) ([]byte, error) {
	switch v := v.(type) {
	case nil:
		return append(b, "null"...), nil
	case int64:
		return strconv.AppendInt(b, v, 10), nil
	case int32:
		return strconv.AppendInt(b, int64(v), 10), nil
	case int:
		return strconv.AppendInt(b, int64(v), 10), nil
	case float64:
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return b, fmt.Errorf("cannot back up the number %v", v)
		}
		start := len(b)
		b = strconv.AppendFloat(b, v, 'g', -1, 64)
		if !strings.ContainsAny(string(b[start:]), ".e") {
			b = append(b, ".0"...)
		}
		return b, nil
	case bool:
		return strconv.AppendBool(b, v), nil
	case string:
		if !utf8.ValidString(v) {
			// Not text JSON can carry: keep the bytes; a text column
			// takes them back as they were.
			return appendTagged(b, "b", base64.StdEncoding.EncodeToString([]byte(v))), nil
		}
		return appendString(b, v), nil
	case []byte:
		return appendTagged(b, "b", base64.StdEncoding.EncodeToString(v)), nil
	case time.Time:
		return appendTagged(b, "t", v.UTC().Format(time.RFC3339Nano)), nil
	}
	return b, fmt.Errorf("cannot back up a value of type %T", v)
}

func appendTagged(b []byte, tag, s string) []byte {
	b = append(b, `{"`...)
	b = append(b, tag...)
	b = append(b, `":"`...)
	b = append(b, s...)
	return append(b, `"}`...)
}

// appendString appends s as a JSON string (RFC 8259 §7); s is valid UTF-8.
func appendString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			b = append(b, '\\', c)
		case c == '\n':
			b = append(b, '\\', 'n')
		case c == '\r':
			b = append(b, '\\', 'r')
		case c == '\t':
			b = append(b, '\\', 't')
		case c < 0x20:
			b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
		default:
			b = append(b, c)
		}
	}
	return append(b, '"')
}

// decodeValue turns a value decoded by encoding/json (with UseNumber) back
// into what appendValue encoded.
func decodeValue(v any) (any, error) {
	switch v := v.(type) {
	case nil, string, bool:
		return v, nil
	case json.Number:
		s := string(v)
		if strings.ContainsAny(s, ".eE") {
			return strconv.ParseFloat(s, 64)
		}
		return strconv.ParseInt(s, 10, 64)
	case map[string]any:
		if len(v) == 1 {
			if s, ok := v["b"].(string); ok {
				b, err := base64.StdEncoding.DecodeString(s)
				if b == nil {
					b = []byte{} // empty, not NULL
				}
				return b, err
			}
			if s, ok := v["t"].(string); ok {
				return time.Parse(time.RFC3339Nano, s)
			}
		}
	}
	return nil, fmt.Errorf("unknown value %v", v)
}

// valueClass is the kind of value a target column takes.
type valueClass int

const (
	classAny valueClass = iota
	classInt
	classBool
	classText
	classBytes
	classFloat
)

// convert converts v to what a column of class c takes; hasBool is false
// on SQLite, which keeps booleans as 1 and 0.
func (c valueClass) convert(v any, hasBool bool) (any, error) {
	switch c {
	case classInt:
		switch x := v.(type) {
		case bool:
			return boolInt(x), nil
		case float64:
			if x == math.Trunc(x) && math.Abs(x) < 1<<53 {
				return int64(x), nil
			}
		}
	case classBool:
		switch x := v.(type) {
		case int64:
			if x != 0 && x != 1 {
				return nil, fmt.Errorf("%d is not a boolean", x)
			}
			v = x == 1
		}
	case classText:
		if b, ok := v.([]byte); ok {
			v = string(b)
		}
	case classBytes:
		if s, ok := v.(string); ok {
			v = []byte(s)
		}
	case classFloat:
		if i, ok := v.(int64); ok {
			v = float64(i)
		}
	}
	if b, ok := v.(bool); ok && !hasBool {
		return boolInt(b), nil
	}
	return v, nil
}

func boolInt(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// column is a column as the catalog describes it.
type column struct {
	name  string
	class valueClass
	pk    int // position in the primary key from 1; 0 if not in it
}

func primaryKey(cols []column) []string {
	var pk []column
	for _, c := range cols {
		if c.pk > 0 {
			pk = append(pk, c)
		}
	}
	sort.Slice(pk, func(i, j int) bool { return pk[i].pk < pk[j].pk })
	names := make([]string, len(pk))
	for i, c := range pk {
		names[i] = c.name
	}
	return names
}

// foreignKey is a foreign key of table (cols) to parent (parentCols).
type foreignKey struct {
	table, parent    string
	cols, parentCols []string
}

// schemaCatalog is what backups need that differs between the engines: how to
// begin the two kinds of transaction, where the catalog keeps tables,
// columns and keys, and how id counters are kept. sqlite and postgres
// implement it below, beside dialect (dialect.go).
type schemaCatalog interface {
	beginSnapshot(ctx context.Context, s *Store) (*sql.Tx, error)
	beginLoad(ctx context.Context, s *Store) (*sql.Tx, error)
	// tables lists the tables of the schema but schema_migrations, by name.
	tables(ctx context.Context, tx *Tx) ([]string, error)
	columns(ctx context.Context, tx *Tx, table string) ([]column, error)
	foreignKeys(ctx context.Context, tx *Tx, table string) ([]foreignKey, error)
	sequence(ctx context.Context, tx *Tx, table string) (int64, error)
	setSequence(ctx context.Context, tx *Tx, table string, atLeast int64) error
	// insertInto begins an INSERT that may set identity columns.
	insertInto(table, cols string) string
	hasBool() bool
}

var (
	_ schemaCatalog = sqlite{}
	_ schemaCatalog = postgres{}
)

// SQLite: a deferred BEGIN on a connection of the read pool; the snapshot
// is fixed by the first SELECT and held, in WAL mode, until the end.
func (sqlite) beginSnapshot(ctx context.Context, s *Store) (*sql.Tx, error) {
	return s.read.BeginTx(ctx, nil)
}

// The load runs on the one writer connection (BEGIN IMMEDIATE), with
// foreign keys enforced.
func (sqlite) beginLoad(ctx context.Context, s *Store) (*sql.Tx, error) {
	return s.write.BeginTx(ctx, nil)
}

// pragma_table_list marks FTS and other virtual tables, and their shadow
// tables, with other types: an index is rebuilt, not restored.
func (sqlite) tables(ctx context.Context, tx *Tx) ([]string, error) {
	return collect(ctx, tx, `SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'table'
    AND substr(name, 1, 7) <> 'sqlite_' AND name <> 'schema_migrations' ORDER BY name`)
}

func (sqlite) columns(ctx context.Context, tx *Tx, table string) ([]column, error) {
	rows, err := tx.Query(ctx, `SELECT name, type, pk FROM pragma_table_info(?) ORDER BY cid`, table)
	if err != nil {
		return nil, fmt.Errorf("columns of %s: %w", table, err)
	}
	defer rows.Close()
	var cols []column
	for rows.Next() {
		var c column
		var typ string
		if err := rows.Scan(&c.name, &typ, &c.pk); err != nil {
			return nil, fmt.Errorf("columns of %s: %w", table, err)
		}
		// Type affinity, SQLite "Datatypes In SQLite" §3.1.
		switch t := strings.ToUpper(typ); {
		case strings.Contains(t, "INT") || strings.Contains(t, "BOOL"):
			c.class = classInt
		case strings.Contains(t, "CHAR") || strings.Contains(t, "CLOB") || strings.Contains(t, "TEXT"):
			c.class = classText
		case strings.Contains(t, "BLOB"):
			c.class = classBytes
		case strings.Contains(t, "REAL") || strings.Contains(t, "FLOA") || strings.Contains(t, "DOUB"):
			c.class = classFloat
		}
		cols = append(cols, c)
	}
	return cols, rows.Err()
}

func (d sqlite) foreignKeys(ctx context.Context, tx *Tx, table string) ([]foreignKey, error) {
	rows, err := tx.Query(ctx, `SELECT id, "table", "from", "to" FROM pragma_foreign_key_list(?) ORDER BY id, seq`, table)
	if err != nil {
		return nil, fmt.Errorf("foreign keys of %s: %w", table, err)
	}
	defer rows.Close()
	var fks []foreignKey
	last := -1
	for rows.Next() {
		var id int
		var parent, from string
		var to sql.NullString
		if err := rows.Scan(&id, &parent, &from, &to); err != nil {
			return nil, fmt.Errorf("foreign keys of %s: %w", table, err)
		}
		if id != last {
			fks = append(fks, foreignKey{table: table, parent: parent})
			last = id
		}
		fk := &fks[len(fks)-1]
		fk.cols = append(fk.cols, from)
		if to.Valid {
			fk.parentCols = append(fk.parentCols, to.String)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("foreign keys of %s: %w", table, err)
	}
	rows.Close()
	for i, fk := range fks {
		if len(fk.parentCols) == 0 { // REFERENCES t without columns: t's primary key
			cols, err := d.columns(ctx, tx, fk.parent)
			if err != nil {
				return nil, err
			}
			fks[i].parentCols = primaryKey(cols)
		}
	}
	return fks, nil
}

func (sqlite) sequence(ctx context.Context, tx *Tx, table string) (int64, error) {
	// sqlite_sequence exists once some AUTOINCREMENT table does.
	var seq int64
	err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_sequence'`).Scan(&seq)
	if err != nil || seq == 0 {
		return 0, err
	}
	err = tx.QueryRow(ctx, `SELECT seq FROM sqlite_sequence WHERE name = ?`, table).Scan(&seq)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	} else if err != nil {
		return 0, fmt.Errorf("sequence of %s: %w", table, err)
	}
	return seq, nil
}

// An explicit id inserted into an AUTOINCREMENT table already raises its
// counter to that id; setSequence raises it further to the counter of the
// backup (which counts deleted rows too).
func (sqlite) setSequence(ctx context.Context, tx *Tx, table string, atLeast int64) error {
	var auto int
	if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ? AND upper(sql) LIKE '%AUTOINCREMENT%'`, table).Scan(&auto); err != nil {
		return err
	}
	if auto == 0 || atLeast <= 0 {
		return nil
	}
	res, err := tx.Exec(ctx, `UPDATE sqlite_sequence SET seq = max(seq, ?) WHERE name = ?`, atLeast, table)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		_, err = tx.Exec(ctx, `INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)`, table, atLeast)
	}
	return err
}

func (sqlite) insertInto(table, cols string) string {
	return "INSERT INTO " + table + " (" + cols + ") VALUES "
}

func (sqlite) hasBool() bool { return false }

// PostgreSQL: REPEATABLE READ, READ ONLY: one snapshot for the whole
// transaction, taken by its first statement.
func (postgres) beginSnapshot(ctx context.Context, s *Store) (*sql.Tx, error) {
	return s.read.BeginTx(ctx, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
}

func (postgres) beginLoad(ctx context.Context, s *Store) (*sql.Tx, error) {
	return s.write.BeginTx(ctx, nil)
}

func (postgres) tables(ctx context.Context, tx *Tx) ([]string, error) {
	// pg_catalog rather than information_schema: the latter's views cost
	// 0.3–0.7 s a query once the schema has a few dozen tables, and a
	// backup asks once per table.
	return collect(ctx, tx, `SELECT c.relname::text FROM pg_class c
WHERE c.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema())
    AND c.relkind IN ('r', 'p') AND c.relname <> 'schema_migrations' ORDER BY c.relname::text COLLATE "C"`)
}

func (postgres) columns(ctx context.Context, tx *Tx, table string) ([]column, error) {
	rows, err := tx.Query(ctx, `
SELECT a.attname::text, format_type(a.atttypid, NULL), COALESCE(array_position(i.indkey::int2[], a.attnum), 0)
FROM pg_attribute a
JOIN pg_class t ON t.oid = a.attrelid
LEFT JOIN pg_index i ON i.indrelid = t.oid AND i.indisprimary
WHERE t.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema()) AND t.relname = ?
    AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
ORDER BY a.attnum`, table)
	if err != nil {
		return nil, fmt.Errorf("columns of %s: %w", table, err)
	}
	defer rows.Close()
	var cols []column
	for rows.Next() {
		var c column
		var typ string
		if err := rows.Scan(&c.name, &typ, &c.pk); err != nil {
			return nil, fmt.Errorf("columns of %s: %w", table, err)
		}
		switch typ {
		case "smallint", "integer", "bigint":
			c.class = classInt
		case "boolean":
			c.class = classBool
		case "text", "character varying", "character":
			c.class = classText
		case "bytea":
			c.class = classBytes
		case "real", "double precision":
			c.class = classFloat
		}
		cols = append(cols, c)
	}
	return cols, rows.Err()
}

func (postgres) foreignKeys(ctx context.Context, tx *Tx, table string) ([]foreignKey, error) {
	rows, err := tx.Query(ctx, `
SELECT c.conname, p.relname, a.attname, pa.attname
FROM pg_constraint c
JOIN pg_class t ON t.oid = c.conrelid
JOIN pg_class p ON p.oid = c.confrelid
CROSS JOIN LATERAL unnest(c.conkey, c.confkey) WITH ORDINALITY AS k(col, pcol, n)
JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.col
JOIN pg_attribute pa ON pa.attrelid = c.confrelid AND pa.attnum = k.pcol
WHERE c.contype = 'f' AND t.relname = ?
    AND c.connamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema())
ORDER BY c.conname, k.n`, table)
	if err != nil {
		return nil, fmt.Errorf("foreign keys of %s: %w", table, err)
	}
	defer rows.Close()
	var fks []foreignKey
	last := ""
	for rows.Next() {
		var name, parent, col, pcol string
		if err := rows.Scan(&name, &parent, &col, &pcol); err != nil {
			return nil, fmt.Errorf("foreign keys of %s: %w", table, err)
		}
		if name != last || len(fks) == 0 {
			fks = append(fks, foreignKey{table: table, parent: parent})
			last = name
		}
		fk := &fks[len(fks)-1]
		fk.cols = append(fk.cols, col)
		fk.parentCols = append(fk.parentCols, pcol)
	}
	return fks, rows.Err()
}

// identityColumns are the table's identity columns (GENERATED … AS
// IDENTITY), whose sequences a load must move past the loaded ids.
func (postgres) identityColumns(ctx context.Context, tx *Tx, table string) ([]string, error) {
	return collect(ctx, tx, `SELECT a.attname::text FROM pg_attribute a JOIN pg_class t ON t.oid = a.attrelid
WHERE t.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema()) AND t.relname = ?
    AND a.attnum > 0 AND NOT a.attisdropped AND a.attidentity <> '' ORDER BY a.attnum`, table)
}

func (d postgres) sequence(ctx context.Context, tx *Tx, table string) (int64, error) {
	cols, err := d.identityColumns(ctx, tx, table)
	if err != nil {
		return 0, fmt.Errorf("sequence of %s: %w", table, err)
	}
	var seq int64
	for _, c := range cols {
		var v int64
		if err := tx.QueryRow(ctx, `SELECT COALESCE(pg_sequence_last_value(pg_get_serial_sequence(?, ?)::regclass), 0)`,
			quoteIdent(table), c).Scan(&v); err != nil {
			return 0, fmt.Errorf("sequence of %s: %w", table, err)
		}
		seq = max(seq, v)
	}
	return seq, nil
}

func (d postgres) setSequence(ctx context.Context, tx *Tx, table string, atLeast int64) error {
	cols, err := d.identityColumns(ctx, tx, table)
	if err != nil {
		return err
	}
	for _, c := range cols {
		var top int64
		if err := tx.QueryRow(ctx, "SELECT COALESCE(MAX("+quoteIdent(c)+"), 0) FROM "+quoteIdent(table)).Scan(&top); err != nil {
			return err
		}
		if v := max(top, atLeast); v > 0 {
			if _, err := tx.Exec(ctx, `SELECT setval(pg_get_serial_sequence(?, ?), ?)`, quoteIdent(table), c, v); err != nil {
				return err
			}
		}
	}
	return nil
}

// OVERRIDING SYSTEM VALUE lets the INSERT set GENERATED ALWAYS identity
// columns; on a table without one it changes nothing.
func (postgres) insertInto(table, cols string) string {
	return "INSERT INTO " + table + " (" + cols + ") OVERRIDING SYSTEM VALUE VALUES "
}

func (postgres) hasBool() bool { return true }
