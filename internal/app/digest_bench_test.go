package app

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"homthu/internal/homthu"
	"homthu/internal/store"
	"homthu/internal/store/storetest"
)

// loadDigestProvince adds province P01 with communes communes each with
// areas areas (a mailbox in each, a year of marks), and n items over 2026
// spread evenly over the communes, channels, kinds and statuses (one in
// fifty spam, one in three with a standard of the 27, one in four referred,
// most answered, some late). The rows are written by set-based SQL, one
// statement a table: the digest reads only indexes and counts.
func loadDigestProvince(tb testing.TB, s *store.Store, engine string, communes, areas, n int) {
	tb.Helper()
	ctx := context.Background()
	rows := []homthu.UnitImport{{Unit: homthu.Unit{Code: "P01", Kind: homthu.KindProvince, Name: "Thử", FullName: "Tỉnh Thử"}}}
	for c := 0; c < communes; c++ {
		cc := "P01C" + strconv.Itoa(c)
		rows = append(rows, homthu.UnitImport{Unit: homthu.Unit{Code: cc, Parent: "P01", Kind: homthu.KindCommune, Name: "Xã " + cc, FullName: "Xã Thử " + cc}})
		for a := 0; a < areas; a++ {
			ac := cc + "-" + strconv.Itoa(a)
			rows = append(rows, homthu.UnitImport{Unit: homthu.Unit{Code: ac, Parent: cc, Kind: homthu.KindArea, Name: "Thôn " + ac, FullName: "Thôn " + ac}})
		}
	}
	if _, err := s.ImportUnits(ctx, rows); err != nil {
		tb.Fatalf("ImportUnits: %v", err)
	}
	marks := strings.Repeat("-", (homthu.Month{Year: 2026, Month: 1}).Index()) + "oooloo-ooolo"
	day2026 := int64(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).Sub(time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)).Hours() / 24)
	// The day of receipt agrees with the sort key's day (2026-01-01 + i % 365).
	receivedOn := "date('2026-01-01', '+' || CAST(i % 365 AS TEXT) || ' days')"
	if engine == "postgres" {
		receivedOn = "to_char(DATE '2026-01-01' + (i % 365)::int, 'YYYY-MM-DD')"
	}
	err := s.Transact(ctx, func(tx *store.Tx) error {
		for _, q := range []struct {
			sql  string
			args []any
		}{
			{`INSERT INTO mailboxes (unit, place, installed_on, status, day, note, marks, created, updated)
SELECT code, 'Nhà văn hóa', '2020-01-01', 'in_use', 10, '', ?, 0, 0 FROM units WHERE kind = 'area'`, []any{marks}},
			{`INSERT INTO items (id, area, unit, scope, channel, status, content, search, received_on, anonymous, commit_salt, text_hash, sort_key, kind)
WITH RECURSIVE seq(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM seq WHERE i < ?)
SELECT 'b' || CAST(i AS TEXT), 'P01C' || CAST(i % ? AS TEXT) || '-' || CAST((i / ?) % ? AS TEXT), 'P01C' || CAST(i % ? AS TEXT),
    '/P01/P01C' || CAST(i % ? AS TEXT) || '/',
    CASE i % 4 WHEN 0 THEN 'online' WHEN 1 THEN 'paper' WHEN 2 THEN 'in_person' ELSE 'phone' END,
    CASE WHEN i % 50 = 7 THEN 'spam' WHEN i % 5 = 0 THEN 'received' WHEN i % 5 = 1 THEN 'considering'
        WHEN i % 5 = 2 THEN 'referred' WHEN i % 5 = 3 THEN 'answered' ELSE 'closed' END,
    'x', 'x', ` + receivedOn + `, ?, ?, ?, ((? + (i % 365)) * 140737488355328) + i,
    CASE i % 6 WHEN 0 THEN '' WHEN 1 THEN 'report' WHEN 2 THEN 'proposal' WHEN 3 THEN 'comment' WHEN 4 THEN 'denunciation' ELSE 'outside' END
FROM seq`, []any{n - 1, communes, communes, areas, communes, communes, true, []byte{0}, []byte{0}, day2026}},
			{`INSERT INTO item_categories (item, code, version, sort_key, digest_scope)
SELECT i.id, s.code, s.version, i.sort_key, ` + "CASE WHEN i.status = 'spam' THEN '' ELSE i.scope END" + `
FROM items i JOIN standards s ON s.catalog = 'NQ4' AND s.pos = (i.sort_key % 81) / 3 + (SELECT MIN(pos) FROM standards WHERE catalog = 'NQ4')
WHERE i.sort_key % 3 = 0`, nil},
			{`INSERT INTO agencies (unit, kind, name, created) VALUES ('P01', 'party_committee', 'Ban Thường vụ Tỉnh ủy', 0)`, nil},
			{`INSERT INTO referrals (item, agency, number, sent_on, due_on, days, working, state, letter, files, created_at, digest_scope, item_sort, answered_on)
SELECT i.id, (SELECT MIN(id) FROM agencies), 'x', '2026-01-01', '2026-07-01', 30, ?, CASE WHEN i.sort_key % 3 = 0 THEN 'sent' ELSE 'answered' END,
    '', ?, 0, CASE WHEN i.status = 'spam' THEN '' ELSE i.scope END, i.sort_key,
    CASE WHEN i.sort_key % 3 = 1 THEN '2026-06-20' WHEN i.sort_key % 3 = 2 THEN '2026-07-20' END
FROM items i WHERE i.sort_key % 4 = 0`, []any{false, false}},
			{`ANALYZE`, nil},
		} {
			if _, err := tx.Exec(ctx, q.sql, q.args...); err != nil {
				return fmt.Errorf("%.60s: %w", q.sql, err)
			}
		}
		return nil
	})
	if err != nil {
		tb.Fatalf("load: %v", err)
	}
}

// BenchmarkDigest measures a province's digest of a year (and of a month)
// over 1,000,000 items, 3,000 communes and 30,000 areas on each engine:
// the whole app.BuildDigest, roll-up and opening figures included. Set
// HOMTHU_BENCH_ITEMS to change the number of items.
func BenchmarkDigest(b *testing.B) {
	n := 1_000_000
	if v, err := strconv.Atoi(os.Getenv("HOMTHU_BENCH_ITEMS")); err == nil {
		n = v
	}
	for _, engine := range storetest.Engines() {
		b.Run(engine, func(b *testing.B) {
			s := storetest.Open(b, engine)
			if _, err := s.InstallShippedCatalogs(context.Background()); err != nil {
				b.Fatal(err)
			}
			start := time.Now()
			loadDigestProvince(b, s, engine, 3000, 10, n)
			b.Logf("%s: loaded %d items in %s", engine, n, time.Since(start).Round(time.Second))
			a := &App{Store: s, Now: func() time.Time { return time.Date(2026, 12, 7, 9, 0, 0, 0, homthu.VNTime) }}
			for _, period := range []struct {
				kind  homthu.PeriodKind
				value string
			}{{homthu.PeriodYear, "2026"}, {homthu.PeriodMonth, "2026-06"}} {
				p, _ := homthu.ParsePeriod(period.kind, period.value, "", "")
				b.Run(string(period.kind), func(b *testing.B) {
					var d *Digest
					for b.Loop() {
						var err error
						if d, err = a.BuildDigest(context.Background(), DigestRequest{Unit: "P01", Period: p}); err != nil {
							b.Fatal(err)
						}
					}
					b.ReportMetric(float64(d.Total.Received+d.Total.Spam), "items")
					b.ReportMetric(float64(len(d.Rows)), "rows")
				})
			}
		})
	}
}
