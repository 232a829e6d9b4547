package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"homthu/internal/homthu"
)

// The digest's counts (issue 10). Every figure is read from an index that
// covers it (migration 0050), grouped by the addressee's path (an item's
// scope) and rolled up to the scope's children here: the queries never
// join items to units, so that a province of a million items is counted
// in one pass over each index.

// digestScopeExpr is what an item's categories and referrals are counted
// under: its scope, or ” while it is spam (counted apart).
const digestScopeExpr = `CASE WHEN i.status = 'spam' THEN '' ELSE i.scope END`

// insertCategorySQL adds one of an item's categories with what the digest
// counts it by; its parameters are the code, the version and the item.
const insertCategorySQL = `INSERT INTO item_categories (item, code, version, sort_key, digest_scope)
SELECT i.id, ?, ?, i.sort_key, ` + digestScopeExpr + ` FROM items i WHERE i.id = ?`

// updateReferralScopeSQL follows an item's scope and spam mark onto its
// referrals after SaveItem.
const updateReferralScopeSQL = `UPDATE referrals SET digest_scope = (SELECT ` + digestScopeExpr + ` FROM items i WHERE i.id = referrals.item)
WHERE item = ?`

// answeredOn is the local day of an answer, NULL when there is none.
func answeredOn(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return homthu.Today(t)
}

// DigestData is what the store counts for a digest: the counts of each
// child of the unit (by code; "" for items addressed to the unit itself)
// and, by month, the unit's whole trend.
type DigestData struct {
	Groups map[string]*homthu.DigestCounts
	Months map[homthu.Month]*MonthCounts
}

// MonthCounts is one month of a digest's trend.
type MonthCounts struct {
	Received, Answered, Spam int
}

// digestCountCols are digest_counts' columns (migration 0051) in order:
// channels and kinds of items that are not spam, then every status.
var digestCountCols = func() []string {
	var cols []string
	for _, c := range homthu.Channels {
		cols = append(cols, "c_"+string(c))
	}
	for _, k := range digestKinds {
		name := string(k)
		if name == "" {
			name = "none"
		}
		cols = append(cols, "k_"+name)
	}
	for _, st := range homthu.Statuses {
		cols = append(cols, "s_"+string(st))
	}
	return cols
}()

// digestKinds are the kinds digest_counts counts, "" (not yet classified)
// first.
var digestKinds = append([]homthu.Kind{""}, homthu.Kinds...)

const (
	// digestDaysSQL counts the items of a range of days by scope, channel,
	// kind and status from items_digest_day: for the days of a period
	// that do not make a whole month.
	digestDaysSQL = `SELECT scope, channel, kind, status, COUNT(*) FROM items
WHERE sort_key >= ? AND sort_key < ? AND scope >= ? AND scope < ?
GROUP BY scope, channel, kind, status`
	digestCategoriesSQL = `SELECT digest_scope, code, COUNT(*) FROM item_categories
WHERE digest_scope >= ? AND digest_scope < ? AND sort_key >= ? AND sort_key < ?
GROUP BY digest_scope, code`
	digestReferralsSQL = `SELECT digest_scope, agency, state,
    SUM(CASE WHEN state = 'answered' AND answered_on <= due_on THEN 1 ELSE 0 END),
    SUM(CASE WHEN state IN ('sent', 'acknowledged') AND due_on < ? THEN 1 ELSE 0 END), COUNT(*)
FROM referrals
WHERE digest_scope >= ? AND digest_scope < ? AND item_sort >= ? AND item_sort < ? AND state <> 'recalled'
GROUP BY digest_scope, agency, state`
)

// digestMonthsSQL reads the maintained counts of whole months.
var digestMonthsSQL = `SELECT scope, month, ` + strings.Join(digestCountCols, ", ") + ` FROM digest_counts
WHERE scope >= ? AND scope < ? AND month >= ? AND month <= ?`

// digestSpan is a part of a period: whole months [first, last] read from
// digest_counts, or the days [from, to] of one month read from items.
type digestSpan struct {
	whole       bool
	first, last homthu.Month
	from, to    time.Time
}

// digestSpans cuts the days [f, t] into the whole months between them and
// the partial months at either end.
func digestSpans(f, t time.Time) []digestSpan {
	fm, lm := homthu.MonthOf(f), homthu.MonthOf(t)
	monthEnd := func(m homthu.Month) time.Time { return m.Add(1).Start().AddDate(0, 0, -1) }
	startWhole, endWhole := fm, lm
	var out []digestSpan
	if f.Day() != 1 {
		end := monthEnd(fm)
		if fm == lm {
			end = t
		}
		out = append(out, digestSpan{from: f, to: end})
		startWhole = fm.Add(1)
	}
	var tail *digestSpan
	if !sameDay(t, monthEnd(lm)) && (fm != lm || f.Day() == 1) {
		tail = &digestSpan{from: lm.Start(), to: t}
		endWhole = lm.Add(-1)
	}
	if startWhole.Index() <= endWhole.Index() {
		out = append(out, digestSpan{whole: true, first: startWhole, last: endWhole})
	}
	if tail != nil {
		out = append(out, *tail)
	}
	return out
}

func sameDay(a, b time.Time) bool {
	return a.Year() == b.Year() && a.YearDay() == b.YearDay()
}

// addDigestRow adds a row of digest_counts (its columns in digestCountCols'
// order) to c.
func addDigestRow(c *homthu.DigestCounts, v []int64) {
	i := 0
	for _, ch := range homthu.Channels {
		c.ByChannel[ch] += int(v[i])
		i++
	}
	for _, k := range digestKinds {
		c.ByKind[k] += int(v[i])
		i++
	}
	for _, st := range homthu.Statuses {
		n := int(v[i])
		i++
		switch st {
		case homthu.StatusSpam:
			c.Spam += n
			continue
		case homthu.StatusAnswered, homthu.StatusClosed:
			c.Answered += n
		}
		c.Received += n
		c.ByStatus[st] += n
	}
}

// Digest counts what the unit and every unit below it received between
// the days from and to (inclusive), by the unit's children; today decides
// which referrals are overdue. Whole months are read from digest_counts,
// the days of a month the period covers in part from items_digest_day.
func (s *Store) Digest(ctx context.Context, unit, from, to, today string) (*DigestData, error) {
	lo, hi, err := s.scopeRange(ctx, unit)
	if err != nil {
		return nil, err
	}
	f, err1 := time.ParseInLocation(time.DateOnly, from, homthu.VNTime)
	t, err2 := time.ParseInLocation(time.DateOnly, to, homthu.VNTime)
	if err1 != nil || err2 != nil || t.Before(f) {
		return nil, homthu.Errorf(homthu.EINVALID, "Kỳ báo cáo không hợp lệ (%s – %s).", from, to)
	}
	klo, khi := dayKey(utcDay(f)), dayKey(utcDay(t).AddDate(0, 0, 1))
	d := &DigestData{Groups: map[string]*homthu.DigestCounts{}, Months: map[homthu.Month]*MonthCounts{}}
	group := func(scope string) *homthu.DigestCounts {
		code := ""
		if len(scope) > len(lo) {
			code, _, _ = strings.Cut(scope[len(lo):], "/")
		}
		c := d.Groups[code]
		if c == nil {
			c = homthu.NewDigestCounts()
			d.Groups[code] = c
		}
		return c
	}
	month := func(m homthu.Month) *MonthCounts {
		mc := d.Months[m]
		if mc == nil {
			mc = &MonthCounts{}
			d.Months[m] = mc
		}
		return mc
	}

	var scope, status string
	var n int
	for _, sp := range digestSpans(f, t) {
		if sp.whole {
			if err := s.digestMonths(ctx, lo, hi, sp.first, sp.last, group, month); err != nil {
				return nil, err
			}
			continue
		}
		mc := month(homthu.MonthOf(sp.from))
		rows, err := s.query(ctx, digestDaysSQL, dayKey(utcDay(sp.from)), dayKey(utcDay(sp.to).AddDate(0, 0, 1)), lo, hi)
		if err != nil {
			return nil, fmt.Errorf("store.Digest: days: %w", err)
		}
		var channel, kind string
		for rows.Next() {
			if err := rows.Scan(&scope, &channel, &kind, &status, &n); err != nil {
				rows.Close()
				return nil, fmt.Errorf("store.Digest: days: %w", err)
			}
			group(scope).AddItems(homthu.Channel(channel), homthu.Kind(kind), homthu.Status(status), n)
			switch homthu.Status(status) {
			case homthu.StatusSpam:
				mc.Spam += n
			case homthu.StatusAnswered, homthu.StatusClosed:
				mc.Answered += n
				mc.Received += n
			default:
				mc.Received += n
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("store.Digest: days: %w", err)
		}
	}

	rows, err := s.query(ctx, digestCategoriesSQL, lo, hi, klo, khi)
	if err != nil {
		return nil, fmt.Errorf("store.Digest: categories: %w", err)
	}
	var code string
	for rows.Next() {
		if err := rows.Scan(&scope, &code, &n); err != nil {
			rows.Close()
			return nil, fmt.Errorf("store.Digest: categories: %w", err)
		}
		group(scope).ByCategory[code] += n
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store.Digest: categories: %w", err)
	}

	rows, err = s.query(ctx, digestReferralsSQL, today, lo, hi, klo, khi)
	if err != nil {
		return nil, fmt.Errorf("store.Digest: referrals: %w", err)
	}
	defer rows.Close()
	var agency int64
	var onTime, overdue int
	for rows.Next() {
		if err := rows.Scan(&scope, &agency, &status, &onTime, &overdue, &n); err != nil {
			return nil, fmt.Errorf("store.Digest: referrals: %w", err)
		}
		c := group(scope)
		c.Referrals += n
		c.ByAgency[agency] += n
		if status == string(homthu.ReferralAnswered) {
			c.RefAnswered += n
			c.RefOnTime += onTime
		}
		c.RefOverdue += overdue
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store.Digest: referrals: %w", err)
	}
	return d, nil
}

// AgencyNames returns the names of the agencies with the ids (at most
// 1000), for labelling a digest's bodies.
func (s *Store) AgencyNames(ctx context.Context, ids []int64) (map[int64]string, error) {
	out := map[int64]string{}
	if len(ids) == 0 {
		return out, nil
	}
	if len(ids) > 1000 {
		ids = ids[:1000]
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	rows, err := s.query(ctx, `SELECT id, name FROM agencies WHERE id IN (?`+strings.Repeat(", ?", len(ids)-1)+`)`, args...)
	if err != nil {
		return nil, fmt.Errorf("store.AgencyNames: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			return nil, fmt.Errorf("store.AgencyNames: %w", err)
		}
		out[id] = name
	}
	return out, rows.Err()
}

// DigestQuote is an item chosen to be quoted in a unit's digest: its text
// and where it is from. The store never reads an identity for it.
type DigestQuote struct {
	Item       string
	ReceivedOn string
	AreaName   string
	Channel    homthu.Channel
	Kind       homthu.Kind
	Status     homthu.Status
	Content    string
	Note       string
}

// AddDigestQuote chooses an item to quote in the unit's digests, with a
// note; the item must be addressed to the unit or below (else ENOTFOUND).
// Choosing it again replaces the note.
func (s *Store) AddDigestQuote(ctx context.Context, unit, item, note string, by int64, at time.Time) error {
	lo, hi, err := s.scopeRange(ctx, unit)
	if err != nil {
		return err
	}
	res, err := s.exec(ctx, `INSERT INTO digest_quotes (unit, item, sort_key, note, added_by, added_at)
SELECT ?, i.id, i.sort_key, ?, ?, ? FROM items i WHERE i.id = ? AND i.scope >= ? AND i.scope < ? AND i.status <> 'spam'
ON CONFLICT (unit, item) DO UPDATE SET note = excluded.note, added_by = excluded.added_by, added_at = excluded.added_at`,
		unit, note, nullInt(by), at.UnixMilli(), item, lo, hi)
	if err != nil {
		return fmt.Errorf("store.AddDigestQuote: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return homthu.Errorf(homthu.ENOTFOUND, "Không tìm thấy thư, đơn này.")
	}
	return nil
}

// RemoveDigestQuote takes an item out of the unit's quotes; removing one
// that is not there is not an error (a second click).
func (s *Store) RemoveDigestQuote(ctx context.Context, unit, item string) error {
	if _, err := s.exec(ctx, `DELETE FROM digest_quotes WHERE unit = ? AND item = ?`, unit, item); err != nil {
		return fmt.Errorf("store.RemoveDigestQuote: %w", err)
	}
	return nil
}

// IsDigestQuote reports whether the item is quoted in the unit's digests.
func (s *Store) IsDigestQuote(ctx context.Context, unit, item string) (bool, error) {
	var n int
	if err := s.queryRow(ctx, `SELECT COUNT(*) FROM digest_quotes WHERE unit = ? AND item = ?`, unit, item).Scan(&n); err != nil {
		return false, fmt.Errorf("store.IsDigestQuote: %w", err)
	}
	return n > 0, nil
}

// DigestQuotes returns the unit's quoted items received between the days
// from and to (inclusive), oldest first, at most limit; an item since
// moved out of the unit's scope or marked as spam is left out.
func (s *Store) DigestQuotes(ctx context.Context, unit, from, to string, limit int) ([]DigestQuote, error) {
	lo, hi, err := s.scopeRange(ctx, unit)
	if err != nil {
		return nil, err
	}
	f, err1 := time.Parse(time.DateOnly, from)
	t, err2 := time.Parse(time.DateOnly, to)
	if err1 != nil || err2 != nil {
		return nil, homthu.Errorf(homthu.EINVALID, "Kỳ báo cáo không hợp lệ (%s – %s).", from, to)
	}
	rows, err := s.query(ctx, `SELECT i.id, i.received_on, a.full_name, i.channel, i.kind, i.status, i.content, q.note
FROM digest_quotes q JOIN items i ON i.id = q.item JOIN units a ON a.code = i.area
WHERE q.unit = ? AND q.sort_key >= ? AND q.sort_key < ? AND i.scope >= ? AND i.scope < ? AND i.status <> 'spam'
ORDER BY q.sort_key LIMIT ?`, unit, dayKey(f), dayKey(t.AddDate(0, 0, 1)), lo, hi, limit)
	if err != nil {
		return nil, fmt.Errorf("store.DigestQuotes: %w", err)
	}
	defer rows.Close()
	var out []DigestQuote
	for rows.Next() {
		var q DigestQuote
		if err := rows.Scan(&q.Item, &q.ReceivedOn, &q.AreaName, &q.Channel, &q.Kind, &q.Status, &q.Content, &q.Note); err != nil {
			return nil, fmt.Errorf("store.DigestQuotes: %w", err)
		}
		out = append(out, q)
	}
	return out, rows.Err()
}

// utcDay is the calendar day of t as midnight UTC, which dayKey counts.
func utcDay(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// digestMonths adds the maintained counts of the months [first, last] of
// the scope range [lo, hi).
func (s *Store) digestMonths(ctx context.Context, lo, hi string, first, last homthu.Month,
	group func(string) *homthu.DigestCounts, month func(homthu.Month) *MonthCounts) error {
	rows, err := s.query(ctx, digestMonthsSQL, lo, hi, first.String(), last.String())
	if err != nil {
		return fmt.Errorf("store.Digest: months: %w", err)
	}
	defer rows.Close()
	v := make([]int64, len(digestCountCols))
	var scope, m string
	dest := []any{&scope, &m}
	for i := range v {
		dest = append(dest, &v[i])
	}
	one := homthu.NewDigestCounts()
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return fmt.Errorf("store.Digest: months: %w", err)
		}
		addDigestRow(group(scope), v)
		mon, err := homthu.ParseMonth(m)
		if err != nil {
			return fmt.Errorf("store.Digest: month %q: %w", m, err)
		}
		one.Received, one.Answered, one.Spam = 0, 0, 0
		addDigestRow(one, v)
		mc := month(mon)
		mc.Received += one.Received
		mc.Answered += one.Answered
		mc.Spam += one.Spam
	}
	return rows.Err()
}

// rebuildDigestCounts recomputes digest_counts from the items in tx: after
// a restore, whose item inserts fired the counting triggers on top of the
// restored rows.
func rebuildDigestCounts(ctx context.Context, tx *Tx) error {
	var sums []string
	for _, c := range homthu.Channels {
		sums = append(sums, fmt.Sprintf("SUM(CASE WHEN status <> 'spam' AND channel = '%s' THEN 1 ELSE 0 END)", c))
	}
	for _, k := range digestKinds {
		sums = append(sums, fmt.Sprintf("SUM(CASE WHEN status <> 'spam' AND kind = '%s' THEN 1 ELSE 0 END)", k))
	}
	for _, st := range homthu.Statuses {
		sums = append(sums, fmt.Sprintf("SUM(CASE WHEN status = '%s' THEN 1 ELSE 0 END)", st))
	}
	if _, err := tx.Exec(ctx, `DELETE FROM digest_counts`); err != nil {
		return fmt.Errorf("store.rebuildDigestCounts: %w", err)
	}
	if _, err := tx.Exec(ctx, `INSERT INTO digest_counts (scope, month, `+strings.Join(digestCountCols, ", ")+`)
SELECT scope, substr(received_on, 1, 7), `+strings.Join(sums, ", ")+` FROM items GROUP BY scope, substr(received_on, 1, 7)`); err != nil {
		return fmt.Errorf("store.rebuildDigestCounts: %w", err)
	}
	return nil
}
