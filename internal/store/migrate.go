package store

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
)

// migrations holds one directory of numbered SQL files per engine. A file is
// applied once, in order, inside one transaction together with the row in
// schema_migrations that records it.
//
//go:embed migrations
var migrations embed.FS

// Migrate brings the schema up to date. Several processes may call it at
// once: on PostgreSQL an advisory lock makes them take turns.
func (s *Store) Migrate(ctx context.Context) error {
	dir := "migrations/" + s.d.name()
	entries, err := fs.ReadDir(migrations, dir)
	if err != nil {
		return fmt.Errorf("store.Migrate: %w", err)
	}
	type mig struct {
		version int
		name    string
	}
	var ms []mig
	for _, e := range entries {
		n, _, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(n)
		if !ok || err != nil || !strings.HasSuffix(e.Name(), ".sql") {
			return fmt.Errorf("store.Migrate: bad migration file name %q", e.Name())
		}
		ms = append(ms, mig{v, e.Name()})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	if _, err := s.exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL)`); err != nil {
		return fmt.Errorf("store.Migrate: %w", err)
	}
	for _, m := range ms {
		body, err := migrations.ReadFile(dir + "/" + m.name)
		if err != nil {
			return fmt.Errorf("store.Migrate: %w", err)
		}
		err = s.Transact(ctx, func(tx *Tx) error {
			if l := s.d.lockMigrations(); l != "" {
				if _, err := tx.Exec(ctx, l); err != nil {
					return err
				}
			}
			var n int
			if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM schema_migrations WHERE version = ?`, m.version).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return nil
			}
			for _, stmt := range splitSQL(string(body)) {
				if _, err := tx.Exec(ctx, stmt); err != nil {
					return fmt.Errorf("%s: %w\n%s", m.name, err, stmt)
				}
			}
			_, err := tx.Exec(ctx, `INSERT INTO schema_migrations (version, name) VALUES (?, ?)`, m.version, m.name)
			return err
		})
		if err != nil {
			return fmt.Errorf("store.Migrate: %w", err)
		}
	}
	return s.prepare(ctx)
}

// splitSQL splits a migration file into statements at lines that end with
// ";". Statements that need inner semicolons (trigger bodies) end their inner
// lines with ";" followed by a space-free comment marker "-- ;;" instead:
// such lines are not split points.
func splitSQL(body string) []string {
	var out []string
	var cur strings.Builder
	for _, line := range strings.Split(body, "\n") {
		t := strings.TrimSpace(line)
		if strings.HasPrefix(t, "--") && cur.Len() == 0 {
			continue
		}
		cur.WriteString(line)
		cur.WriteByte('\n')
		if strings.HasSuffix(t, ";") && !strings.HasSuffix(t, "-- ;;") {
			if stmt := strings.TrimSpace(cur.String()); stmt != ";" {
				out = append(out, strings.TrimSuffix(stmt, ";"))
			}
			cur.Reset()
		}
	}
	if stmt := strings.TrimSpace(cur.String()); stmt != "" {
		out = append(out, stmt)
	}
	return out
}
