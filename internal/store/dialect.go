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
	// textMatch is the condition that an item's folded search key has
	// every one of words (folded, [a-z0-9] and other letters) as a word
	// or the start of a word, with its one argument: FTS5 on SQLite, a
	// tsvector GIN index on PostgreSQL.
	textMatch(words []string) (string, any)
	// forUpdate ends a SELECT of items (as i) whose row the transaction
	// will change: "" on SQLite (its one writer excludes every other),
	// FOR UPDATE OF i on PostgreSQL.
	forUpdate() string
	// Document search (documents.go). searchDocumentsSQL selects (id,
	// rank) of the documents d matching its first parameter, then the
	// docFilters parameters, then a limit, best first; documentMatch
	// writes that first parameter from the folded terms (alternatives
	// OR-ed, terms joined by op, "AND" or "OR"; headOnly: in the number
	// and title only). rebuildDocumentIndexSQL
	// rebuilds an index kept outside the table ("" when there is none).
	searchDocumentsSQL() string
	documentMatch(terms [][]string, op string, headOnly bool) string
	rebuildDocumentIndexSQL() string
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
func (sqlite) forUpdate() string      { return "" }

// textMatch: an FTS5 query of prefix terms, each quoted ("hoa"* "lu"*),
// implicitly ANDed; items_fts's rowid is the item's sort key.
func (sqlite) textMatch(words []string) (string, any) {
	var b strings.Builder
	for i, w := range words {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(`"` + strings.ReplaceAll(w, `"`, `""`) + `"*`)
	}
	return "i.sort_key IN (SELECT rowid FROM items_fts WHERE items_fts MATCH ?)", b.String()
}

// SQLite: an FTS5 table over the folded text; bm25 with the columns
// weighted number and title 10, summary 3, body 1 (lower is better).
func (sqlite) searchDocumentsSQL() string {
	return `SELECT d.id, bm25(documents_fts, 10.0, 3.0, 1.0) AS rank
FROM documents_fts JOIN documents d ON d.id = documents_fts.rowid
WHERE documents_fts MATCH ? AND ` + docFilters + `
ORDER BY rank LIMIT ?`
}

func (sqlite) documentMatch(terms [][]string, op string, headOnly bool) string {
	parts := make([]string, len(terms))
	for i, alts := range terms {
		q := make([]string, len(alts))
		for j, a := range alts {
			q[j] = `"` + a + `"`
		}
		parts[i] = "(" + strings.Join(q, " OR ") + ")"
	}
	m := strings.Join(parts, " "+op+" ")
	if headOnly {
		return "fold_head : (" + m + ")"
	}
	return m
}

func (sqlite) rebuildDocumentIndexSQL() string {
	return `INSERT INTO documents_fts (documents_fts) VALUES ('rebuild')`
}

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
func (postgres) forUpdate() string      { return " FOR UPDATE OF i" }

// textMatch: a tsquery of prefix terms ('hoa':* & 'lu':*) against the
// expression the GIN index items_search_words is built on.
func (postgres) textMatch(words []string) (string, any) {
	var b strings.Builder
	for i, w := range words {
		if i > 0 {
			b.WriteString(" & ")
		}
		b.WriteString("'" + strings.ReplaceAll(w, "'", "''") + "':*")
	}
	return "to_tsvector('simple', i.search) @@ to_tsquery('simple', ?)", b.String()
}

// PostgreSQL: the generated tsvector (weights A number and title, B
// summary, D body) with a GIN index; ts_rank_cd with its default weights.
func (postgres) searchDocumentsSQL() string {
	return `SELECT d.id, ts_rank_cd(d.tsv, q) AS rank
FROM documents d, to_tsquery('simple', ?) q
WHERE d.tsv @@ q AND ` + docFilters + `
ORDER BY rank DESC, d.id LIMIT ?`
}

func (postgres) documentMatch(terms [][]string, op string, headOnly bool) string {
	join := " & "
	if op == "OR" {
		join = " | "
	}
	weight := ""
	if headOnly {
		weight = ":A"
	}
	parts := make([]string, len(terms))
	for i, alts := range terms {
		w := make([]string, len(alts))
		for j, a := range alts {
			w[j] = a + weight
		}
		parts[i] = "(" + strings.Join(w, " | ") + ")"
	}
	return strings.Join(parts, join)
}

func (postgres) rebuildDocumentIndexSQL() string { return "" }
