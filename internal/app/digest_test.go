package app

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"homthu/internal/homthu"
	"homthu/internal/store/storetest"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// digestData builds the fixed data set of the digest tests through the
// app's own flows, on the fixture's clock (2026-03-02):
//
//	Feb 27  Hoa Lư      comment NQ4-12           (February: outside a March digest)
//	Mar 2   Hoa Lư      comment NQ4-12, QD37-05  referred to Đảng ủy phường, answered in 5 days (on time)
//	Mar 2   Hoa Lư      proposal NQ4-03 (anon.)  referred to Đảng ủy phường, answered after 40 days (late)
//	Mar 2   Hoa Lư      spam
//	Mar 2   Hoa Lư      received, not triaged; quoted by the commune
//	Mar 2   Gia Viễn    proposal NQ4-03 (anon.)  referred to nobody yet; quoted by the province
//	Mar 2   Hoa Lư → province (about the ward's leaders), received
//	Mar 2   Hà Nội      another province: never counted
func digestData(t *testing.T, f *fixture) {
	t.Helper()
	submit := func(area string, to homthu.Level, content string, anonymous bool) string {
		sub := homthu.Submission{Area: area, To: to, Content: content, Anonymous: anonymous}
		if !anonymous {
			sub.Submitter = homthu.Identity{Name: "Trần Thị B", Email: "b@example.vn"}
			sub.Consent = homthu.Consent{Notice: homthu.ConsentNotice}
		}
		r, err := f.app.Submit(f.ctx, sub, "")
		ok(t, "Submit", err)
		return r.ItemID
	}
	triage := func(who, id string, k homthu.Kind, cats ...string) *homthu.Item {
		it := f.item(who, id)
		it, err := f.app.Triage(f.ctx, f.s(who), id, it.Version, homthu.Triage{Kind: k, Categories: cats})
		ok(t, "Triage", err)
		return it
	}
	refer := func(id, agency string) int64 {
		it := f.item("xa", id)
		_, err := f.app.Refer(f.ctx, f.s("xa"), id, it.Version, ReferRequest{Agency: f.agencies[agency].ID})
		ok(t, "Refer", err)
		return f.referralOf(id)
	}
	answer := func(rid int64, who string) {
		ok(t, "AnswerReferral", f.app.AnswerReferral(f.ctx, f.s(who), rid, homthu.Answer{Outcome: homthu.OutcomeFounded, Text: "Đã xác minh, xử lý."}))
	}
	march := f.now
	f.now = time.Date(2026, 2, 27, 10, 0, 0, 0, homthu.VNTime)
	feb := submit("14329-001", homthu.ToCommune, "Trưởng thôn sử dụng xe công vào việc riêng nhiều lần trong tháng Hai.", false)
	triage("xa", feb, homthu.KindComment, "NQ4-12")
	f.now = march

	a := submit("14329-001", homthu.ToCommune, "Cán bộ địa chính phường gây khó dễ khi người dân làm thủ tục đất đai.", false)
	triage("xa", a, homthu.KindComment, "NQ4-12", "QD37-05")
	ra := refer(a, "Đảng ủy phường Hoa Lư")
	b := submit("14329-001", homthu.ToCommune, "Đề nghị công khai việc sử dụng quỹ phúc lợi của khu phố.", true)
	triage("xa", b, homthu.KindProposal, "NQ4-03")
	rb := refer(b, "Đảng ủy phường Hoa Lư")
	spam := submit("14329-001", homthu.ToCommune, "Quảng cáo vay tiền nhanh, liên hệ số điện thoại sau.", true)
	it := f.item("xa", spam)
	_, err := f.app.MarkSpam(f.ctx, f.s("xa"), spam, it.Version, "Quảng cáo.")
	ok(t, "MarkSpam", err)
	plain := submit("14329-001", homthu.ToCommune, "Đường vào tổ dân phố ngập nước, cán bộ phường hứa sửa mà chưa làm.", true)
	gv := submit("14330-001", homthu.ToCommune, "Đề nghị xã công bố danh sách hộ nghèo được hỗ trợ năm nay.", true)
	triage("tinh", gv, homthu.KindProposal, "NQ4-03")
	submit("14329-001", homthu.ToProvince, "Chủ tịch phường có biểu hiện vụ lợi trong việc cấp phép xây dựng.", true)
	if _, err := f.app.Store.AddArea(f.ctx, "00004", "Tổ dân phố số 1"); err != nil {
		t.Fatal(err)
	}
	submit("00004-001", homthu.ToCommune, "Thư ở tỉnh khác, không được tính vào báo cáo của Ninh Bình.", true)

	ok(t, "QuoteItem", f.app.QuoteItem(f.ctx, f.s("xa"), plain, "Kiến nghị nhiều lần chưa được giải quyết."))
	ok(t, "QuoteItem", f.app.QuoteItem(f.ctx, f.s("tinh"), gv, ""))
	ok(t, "QuoteItem", f.app.QuoteItem(f.ctx, f.s("tinh"), b, "Kiến nghị về công khai tài chính."))

	f.now = march.AddDate(0, 0, 5)
	answer(ra, "dangu")
	f.now = march.AddDate(0, 0, 40)
	answer(rb, "dangu")
	f.now = march.AddDate(0, 0, 45)
}

// TestDigestGolden: the figures of a province's and a commune's digest on
// the fixed data set, as text, against testdata/digest-*.golden.
func TestDigestGolden(t *testing.T) {
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			f := newFixture(t, engine)
			digestData(t, f)
			for _, tt := range []struct {
				who, unit, golden string
				kind              homthu.PeriodKind
				value, from, to   string
			}{
				{"tinh", "37", "digest-province-march.golden", homthu.PeriodMonth, "2026-03", "", ""},
				{"tinh", "37", "digest-province-q1.golden", homthu.PeriodQuarter, "2026-Q1", "", ""},
				{"xa", "14329", "digest-commune-march.golden", homthu.PeriodMonth, "2026-03", "", ""},
				// Partial months, counted from the items themselves.
				{"tinh", "37", "digest-province-range.golden", homthu.PeriodRange, "", "2026-02-27", "2026-03-02"},
			} {
				p, err := homthu.ParsePeriod(tt.kind, tt.value, tt.from, tt.to)
				ok(t, "ParsePeriod", err)
				d, err := f.app.Digest(f.ctx, f.s(tt.who), DigestRequest{Unit: tt.unit, Period: p})
				ok(t, "Digest", err)
				golden(t, tt.golden, digestText(d))
			}
		})
	}
}

// TestDigestAddsUp: every row of a province's roll-up equals the digest of
// that child computed on its own, and the rows add up to the province's
// total, in every figure.
func TestDigestAddsUp(t *testing.T) {
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			f := newFixture(t, engine)
			digestData(t, f)
			p, _ := homthu.ParsePeriod(homthu.PeriodYear, "2026", "", "")
			d, err := f.app.Digest(f.ctx, f.s("tinh"), DigestRequest{Unit: "37", Period: p})
			ok(t, "Digest", err)
			sum := homthu.NewDigestCounts()
			var openings homthu.Tally
			for _, r := range d.Rows {
				sum.Merge(r.Counts)
				openings.Merge(r.Openings)
				if r.Own {
					continue
				}
				child, err := f.app.BuildDigest(f.ctx, DigestRequest{Unit: r.Code, Period: p})
				ok(t, "BuildDigest("+r.Code+")", err)
				if !sameCounts(child.Total, r.Counts) {
					t.Errorf("row %s = %+v, its own digest %+v", r.Code, r.Counts, child.Total)
				}
				if child.Openings != r.Openings {
					t.Errorf("row %s openings = %+v, its own digest %+v", r.Code, r.Openings, child.Openings)
				}
			}
			if !sameCounts(sum, d.Total) {
				t.Errorf("sum of rows = %+v, total %+v", sum, d.Total)
			}
			if d.Total.Received != 6 || d.Total.Spam != 1 {
				t.Errorf("total received %d spam %d, want 6 and 1", d.Total.Received, d.Total.Spam)
			}
			var months int
			for _, m := range d.Months {
				months += m.Received
			}
			if months != d.Total.Received {
				t.Errorf("months add up to %d, total %d", months, d.Total.Received)
			}

			// The same items counted from the items themselves (partial
			// months at both ends) and from the maintained counts (whole
			// months): the triggers kept the counts through every change.
			byItems, _ := homthu.ParsePeriod(homthu.PeriodRange, "", "2026-02-02", "2026-03-30")
			q1, _ := homthu.ParsePeriod(homthu.PeriodQuarter, "2026-Q1", "", "")
			a, err := f.app.BuildDigest(f.ctx, DigestRequest{Unit: "37", Period: byItems})
			ok(t, "BuildDigest(range)", err)
			b, err := f.app.BuildDigest(f.ctx, DigestRequest{Unit: "37", Period: q1})
			ok(t, "BuildDigest(Q1)", err)
			for i := range a.Rows {
				if !sameCounts(a.Rows[i].Counts, b.Rows[i].Counts) {
					t.Errorf("row %s counted from items %+v, from the maintained counts %+v", a.Rows[i].Code, a.Rows[i].Counts, b.Rows[i].Counts)
				}
			}
		})
	}
}

// TestDigestScope: another unit's digest is not found; a role without
// reports is refused; quotes never carry identity.
func TestDigestScope(t *testing.T) {
	f := newFixture(t, "sqlite")
	digestData(t, f)
	p, _ := homthu.ParsePeriod(homthu.PeriodMonth, "2026-03", "", "")
	_, err := f.app.Digest(f.ctx, f.s("xa"), DigestRequest{Unit: "37", Period: p})
	wantCode(t, "the commune reads the province's digest", err, homthu.ENOTFOUND)
	_, err = f.app.Digest(f.ctx, f.s("xa"), DigestRequest{Unit: "14330", Period: p})
	wantCode(t, "a commune reads another commune's digest", err, homthu.ENOTFOUND)
	_, err = f.app.Digest(f.ctx, f.s("ubkt"), DigestRequest{Unit: "37", Period: p})
	wantCode(t, "an agency handler reads a digest", err, homthu.EFORBIDDEN)
	d, err := f.app.Digest(f.ctx, f.s("lanhdao"), DigestRequest{Period: p})
	ok(t, "the leader's digest", err)
	if d.Unit.Code != "37" {
		t.Errorf("leader's default unit = %s", d.Unit.Code)
	}
	wantCode(t, "a leader quotes", f.app.QuoteItem(f.ctx, f.s("lanhdao"), d.Quotes[0].Item, ""), homthu.EFORBIDDEN)
	text := digestText(d)
	if strings.Contains(text, "Trần Thị B") || strings.Contains(text, "b@example.vn") {
		t.Errorf("the digest shows a submitter's identity:\n%s", text)
	}
}

func sameCounts(a, b *homthu.DigestCounts) bool {
	clean := func(c *homthu.DigestCounts) homthu.DigestCounts {
		x := *c
		for _, m := range []any{x.ByChannel, x.ByKind, x.ByStatus, x.ByCategory, x.ByAgency} {
			v := reflect.ValueOf(m)
			for _, k := range v.MapKeys() {
				if v.MapIndex(k).Int() == 0 {
					v.SetMapIndex(k, reflect.Value{})
				}
			}
		}
		return x
	}
	return reflect.DeepEqual(clean(a), clean(b))
}

// digestText writes a digest's figures one per line, in a fixed order.
func digestText(d *Digest) string {
	var b strings.Builder
	pct := homthu.FormatPermille
	fmt.Fprintf(&b, "%s — %s (%s – %s)\n", d.Unit.FullName, d.Period.Label(), d.Period.From, d.Period.To)
	line := func(name string, c *homthu.DigestCounts, o homthu.Tally) {
		op, ok := o.Percent()
		fmt.Fprintf(&b, "%s: nhận %d, rác %d, đã trả lời %d (%s), chuyển %d, trả lời %d, đúng hạn %d (%s), quá hạn %d, mở hòm %d/%d (%s)\n",
			name, c.Received, c.Spam, c.Answered, pct(c.AnsweredPercent()), c.Referrals, c.RefAnswered, c.RefOnTime, pct(c.OnTimePercent()),
			c.RefOverdue, o.Opened(), o.Expected(), pct(op*10, ok))
	}
	line("Tổng", d.Total, d.Openings)
	for _, r := range d.Rows {
		name := r.Name
		if r.Own {
			name += " (trực tiếp)"
		}
		line("  "+name, r.Counts, r.Openings)
	}
	for _, g := range []struct {
		name string
		fs   []Figure
	}{{"Kênh", d.Channels}, {"Loại", d.Kinds}, {"Tình trạng", d.Statuses}, {"Cơ quan", d.Agencies}} {
		for _, f := range g.fs {
			fmt.Fprintf(&b, "%s: %s = %d\n", g.name, f.Label, f.N)
		}
	}
	for _, c := range d.Categories {
		fmt.Fprintf(&b, "Biểu hiện: %s %d. %s = %d\n", c.CatalogShort, c.Number, c.Title, c.N)
	}
	for _, m := range d.Months {
		fmt.Fprintf(&b, "Tháng %s: nhận %d, trả lời %d, rác %d, mở hòm %d/%d\n", m.Month.Label(), m.Received, m.Answered, m.Spam, m.Openings.Opened(), m.Openings.Expected())
	}
	qs := append([]Quote{}, d.Quotes...)
	sort.SliceStable(qs, func(i, j int) bool { return qs[i].Content < qs[j].Content })
	for _, q := range qs {
		fmt.Fprintf(&b, "Trích: %s, %s, %s, %s: %q (%s)\n", q.ReceivedOn, q.AreaName, q.Channel.Label(), q.Kind.Label(), q.Content, q.Note)
	}
	return b.String()
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs:\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}
