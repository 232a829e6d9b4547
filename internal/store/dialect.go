package store

import (
	"strconv"
	"strings"
)

// dialect holds what differs between SQLite and PostgreSQL. Everything else
// is one SQL text for both.
type dialect interface {
	name() string
	rebind(q string) string
	// lockMigrations is run inside the migration transaction so that several
	// processes starting at once migrate one after the other.
	lockMigrations() string
	// lockLog serialises appends to the transparency log across processes.
	lockLog() string
	// lockAudit serialises appends to the audit log's hash chain.
	lockAudit() string
	// skipLocked ends the subquery that picks the jobs a runner claims:
	// PostgreSQL locks the rows it picks and skips those another process
	// is claiming, so that concurrent runners take disjoint jobs.
	skipLocked() string
	// lockCatalogs serialises new versions of the catalogues of standards.
	lockCatalogs() string
	// lockOpenings serialises the sealing of openings and their
	// corrections, which number the minutes and recompute a box's marks.
	lockOpenings() string
}

type sqlite struct{}

func (sqlite) name() string           { return "sqlite" }
func (sqlite) rebind(q string) string { return q }

// SQLite transactions are opened with BEGIN IMMEDIATE on the one writer
// connection, which already excludes every other writer.
func (sqlite) lockMigrations() string { return "" }
func (sqlite) lockLog() string        { return "" }
func (sqlite) lockAudit() string      { return "" }
func (sqlite) skipLocked() string     { return "" }
func (sqlite) lockCatalogs() string   { return "" }
func (sqlite) lockOpenings() string   { return "" }

type postgres struct{}

func (postgres) name() string { return "postgres" }

// rebind turns `?` placeholders into PostgreSQL's `$1, $2, …`. Our SQL never
// has a `?` inside a string literal.
func (postgres) rebind(q string) string {
	if !strings.Contains(q, "?") {
		return q
	}
	var b strings.Builder
	b.Grow(len(q) + 16)
	n := 0
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(q[i])
	}
	return b.String()
}

// Advisory lock keys: arbitrary constants, one per purpose.
func (postgres) lockMigrations() string { return "SELECT pg_advisory_xact_lock(7243001)" }
func (postgres) lockLog() string        { return "SELECT pg_advisory_xact_lock(7243002)" }
func (postgres) lockAudit() string      { return "SELECT pg_advisory_xact_lock(7243003)" }
func (postgres) skipLocked() string     { return " FOR UPDATE SKIP LOCKED" }
func (postgres) lockCatalogs() string   { return "SELECT pg_advisory_xact_lock(7243020)" }
func (postgres) lockOpenings() string   { return "SELECT pg_advisory_xact_lock(7243040)" }
