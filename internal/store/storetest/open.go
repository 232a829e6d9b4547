// Package storetest is the one storage test suite: every test in it runs on
// SQLite always and on PostgreSQL when HOMTHU_TEST_POSTGRES names a server
// (CI sets it and fails, never skips, when the server is unreachable).
package storetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"homthu/internal/store"
)

// Engines returns the engines to test on: "sqlite", and "postgres" when
// HOMTHU_TEST_POSTGRES is set.
func Engines() []string {
	if os.Getenv("HOMTHU_TEST_POSTGRES") != "" {
		return []string{"sqlite", "postgres"}
	}
	return []string{"sqlite"}
}

// URL returns a database URL for a fresh, empty, migrated-never database on
// the engine: a new SQLite file in a temporary directory, or a new schema on
// the PostgreSQL server, dropped when the test ends.
func URL(t testing.TB, engine string) string {
	t.Helper()
	switch engine {
	case "sqlite":
		return filepath.Join(t.TempDir(), "homthu.db")
	case "postgres":
		base := os.Getenv("HOMTHU_TEST_POSTGRES")
		if base == "" {
			t.Fatal("HOMTHU_TEST_POSTGRES is not set")
		}
		b := make([]byte, 6)
		rand.Read(b)
		schema := "t_" + hex.EncodeToString(b)
		ctx := context.Background()
		admin, err := store.Open(ctx, base)
		if err != nil {
			t.Fatalf("PostgreSQL at HOMTHU_TEST_POSTGRES is unreachable: %v", err)
		}
		if _, err := admin.DB().ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
			t.Fatalf("create schema: %v", err)
		}
		t.Cleanup(func() {
			admin.DB().ExecContext(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
			admin.Close()
		})
		u, err := url.Parse(base)
		if err != nil {
			t.Fatalf("HOMTHU_TEST_POSTGRES: %v", err)
		}
		q := u.Query()
		q.Set("search_path", schema)
		u.RawQuery = q.Encode()
		return u.String()
	}
	t.Fatalf("unknown engine %q", engine)
	return ""
}

// Open opens and migrates a fresh store on the engine, closed when the test ends.
func Open(t testing.TB, engine string) *store.Store {
	t.Helper()
	ctx := context.Background()
	s, err := store.Open(ctx, URL(t, engine))
	if err != nil {
		t.Fatalf("store.Open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	if err := s.Migrate(ctx); err != nil {
		t.Fatalf("Migrate: %v", err)
	}
	return s
}
