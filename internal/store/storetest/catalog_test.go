package storetest

import (
	"context"
	"strings"
	"sync"
	"testing"

	"homthu/internal/catalog"
	"homthu/internal/homthu"
)

func TestCatalogs(t *testing.T) {
	for _, engine := range Engines() {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			s := Open(t, engine)
			n, err := s.InstallShippedCatalogs(ctx)
			if err != nil || n != 2 {
				t.Fatalf("InstallShippedCatalogs = %d, %v; want 2", n, err)
			}
			if n, err := s.InstallShippedCatalogs(ctx); err != nil || n != 0 {
				t.Fatalf("InstallShippedCatalogs again = %d, %v; want 0", n, err)
			}
			cs, err := s.Catalogs(ctx)
			if err != nil || len(cs) != 2 || cs[0].Code != "NQ4" || len(cs[0].Standards) != 27 || len(cs[1].Standards) != 19 {
				t.Fatalf("Catalogs = %d, %v", len(cs), err)
			}
			shipped, _ := catalog.Shipped()
			if string(catalog.Format(cs[0])) != string(catalog.Format(shipped[0])) {
				t.Error("the stored NQ4 differs from the shipped file")
			}

			all, err := s.ActiveStandards(ctx, "", "")
			if err != nil || len(all) != 46 || all[0].Code != "NQ4-01" || all[45].Code != "QD37-19" {
				t.Fatalf("ActiveStandards = %d, %v", len(all), err)
			}
			if all[0].GroupTitle != "Suy thoái về tư tưởng chính trị" || all[0].CatalogShort != "27 biểu hiện suy thoái" || all[45].Heading() != "Điều 19" {
				t.Errorf("ActiveStandards[0] = %+v", all[0])
			}
			for _, tt := range []struct {
				cat, group string
				want       int
			}{{"NQ4", "", 27}, {"NQ4", "DD", 9}, {"QD37", "", 19}, {"QD37", "CT", 0}, {"XX", "", 0}} {
				got, err := s.ActiveStandards(ctx, tt.cat, tt.group)
				if err != nil || len(got) != tt.want {
					t.Errorf("ActiveStandards(%q, %q) = %d, %v; want %d", tt.cat, tt.group, len(got), err, tt.want)
				}
			}
			st, err := s.FindStandard(ctx, " nq4-12 ")
			if err != nil || st.Code != "NQ4-12" || st.Version != 1 || st.Group != "DD" {
				t.Errorf("FindStandard(nq4-12) = %+v, %v", st, err)
			}
			if _, err := s.FindStandard(ctx, "NQ4-99"); homthu.ErrorCode(err) != homthu.ENOTFOUND {
				t.Errorf("FindStandard(NQ4-99) = %v, want ENOTFOUND", err)
			}

			// An item classified under version 1.
			refs, err := s.ClassifyStandards(ctx, []string{"nq4-12", "QD37-14", "NQ4-12", ""}, nil)
			if err != nil || len(refs) != 2 || refs[0] != (catalog.Ref{Code: "NQ4-12", Version: 1}) || refs[1] != (catalog.Ref{Code: "QD37-14", Version: 1}) {
				t.Fatalf("ClassifyStandards = %v, %v", refs, err)
			}

			// Version 2 of NQ4: the official wording of item 12, a new title for item 11.
			v2 := load(t, cs[0], func(c *catalog.Catalog) {
				c.Standard("NQ4-12").Official = "Nguyên văn của biểu hiện 12."
				c.Standard("NQ4-11").Title = "Tiêu đề mới"
			})
			ch, err := s.PlanCatalog(ctx, v2)
			if err != nil || ch.From != 1 || ch.To != 2 || len(ch.Changed) != 2 || len(ch.Unchanged) != 25 {
				t.Fatalf("PlanCatalog = %+v, %v", ch, err)
			}
			if c, _ := s.Catalog(ctx, "NQ4", 0); c.Version != 1 {
				t.Error("PlanCatalog changed the catalogue")
			}
			Tree(t, s)
			admin := &homthu.User{ID: 1, Username: "quantri", Unit: "37"}
			if _, err := s.LoadCatalog(ctx, v2, nil, "dòng lệnh"); err != nil {
				t.Fatal(err)
			}
			if _, err := s.LoadCatalog(ctx, v2, nil, "dòng lệnh"); homthu.ErrorCode(err) != homthu.ECONFLICT {
				t.Errorf("LoadCatalog(same version again) = %v, want ECONFLICT", err)
			}
			same := load(t, v2, func(c *catalog.Catalog) { c.Version = 3 })
			if _, err := s.LoadCatalog(ctx, same, nil, "dòng lệnh"); homthu.ErrorCode(err) != homthu.ECONFLICT || !strings.Contains(homthu.ErrorMessage(err), "không thay đổi") {
				t.Errorf("LoadCatalog(no change) = %v, want ECONFLICT", err)
			}
			deleted := load(t, v2, func(c *catalog.Catalog) {
				c.Version = 3
				c.Standards = c.Standards[:26]
			})
			if _, err := s.LoadCatalog(ctx, deleted, nil, "dòng lệnh"); homthu.ErrorCode(err) != homthu.EINVALID {
				t.Errorf("LoadCatalog(an item deleted) = %v, want EINVALID", err)
			}
			st, _ = s.FindStandard(ctx, "NQ4-12")
			if st.Version != 2 || st.Official == "" {
				t.Errorf("after version 2, FindStandard = %+v", st)
			}

			// Retire item 12: the old item keeps its reference and its text.
			if _, err := s.RetireStandard(ctx, "NQ4-12", "", nil, "dòng lệnh"); homthu.ErrorCode(err) != homthu.EINVALID {
				t.Errorf("RetireStandard without a reason = %v, want EINVALID", err)
			}
			c3, err := s.RetireStandard(ctx, "NQ4-12", "Gộp vào biểu hiện 13", admin, "")
			if err != nil || c3.Version != 3 {
				t.Fatalf("RetireStandard = %v, %v", c3, err)
			}
			if _, err := s.RetireStandard(ctx, "NQ4-12", "lần nữa", admin, ""); homthu.ErrorCode(err) != homthu.ECONFLICT {
				t.Errorf("RetireStandard twice = %v, want ECONFLICT", err)
			}
			if _, err := s.RetireStandard(ctx, "ZZ-1", "không có", admin, ""); homthu.ErrorCode(err) != homthu.ENOTFOUND {
				t.Errorf("RetireStandard(unknown) = %v, want ENOTFOUND", err)
			}
			st, err = s.FindStandard(ctx, "NQ4-12")
			if err != nil || !st.Retired || st.RetiredIn != 3 || st.RetiredReason != "Gộp vào biểu hiện 13" {
				t.Errorf("FindStandard(retired) = %+v, %v", st, err)
			}
			if got, _ := s.ActiveStandards(ctx, "NQ4", ""); len(got) != 26 {
				t.Errorf("ActiveStandards after retiring = %d, want 26", len(got))
			}
			old, err := s.StandardsAt(ctx, refs)
			if err != nil || old[0].Version != 1 || old[0].Official != "" || old[0].Retired || old[1].Code != "QD37-14" {
				t.Errorf("StandardsAt(the item's refs) = %+v, %v: the item must read as classified", old, err)
			}
			kept, err := s.ClassifyStandards(ctx, []string{"NQ4-12", "NQ4-13"}, refs)
			if err != nil || kept[0] != refs[0] || kept[1] != (catalog.Ref{Code: "NQ4-13", Version: 3}) {
				t.Errorf("ClassifyStandards(keeping a retired code) = %v, %v", kept, err)
			}
			if _, err := s.ClassifyStandards(ctx, []string{"NQ4-12"}, nil); homthu.ErrorCode(err) != homthu.EINVALID || !strings.Contains(homthu.ErrorMessage(err), "bãi bỏ") {
				t.Errorf("ClassifyStandards(a retired code, new) = %v, want EINVALID", err)
			}
			if _, err := s.ClassifyStandards(ctx, []string{"NQ4-77"}, nil); homthu.ErrorCode(err) != homthu.EINVALID {
				t.Errorf("ClassifyStandards(unknown) = %v, want EINVALID", err)
			}
			var many []string
			for _, st := range all[:catalog.MaxClassify+1] {
				many = append(many, st.Code)
			}
			if _, err := s.ClassifyStandards(ctx, many, nil); homthu.ErrorCode(err) != homthu.EINVALID {
				t.Errorf("ClassifyStandards(%d codes) = %v, want EINVALID", len(many), err)
			}

			hist, err := s.CatalogVersions(ctx, "NQ4")
			if err != nil || len(hist) != 3 || hist[0].Origin != "retire" || hist[0].AuthorName != "quantri" ||
				hist[1].Origin != "file" || hist[1].AuthorName != "dòng lệnh" || hist[2].Origin != "shipped" || len(hist[0].SHA256) != 64 {
				t.Errorf("CatalogVersions = %+v, %v", hist, err)
			}
			if v1, err := s.Catalog(ctx, "NQ4", 1); err != nil || v1.Standard("NQ4-11").Title == "Tiêu đề mới" {
				t.Errorf("Catalog(NQ4, 1) = %v: version 1 must read as it was", err)
			}
			if _, err := s.Catalog(ctx, "NQ4", 9); homthu.ErrorCode(err) != homthu.ENOTFOUND {
				t.Errorf("Catalog(NQ4, 9) = %v, want ENOTFOUND", err)
			}

			// A new catalogue goes after the shipped ones.
			hd := load(t, nil, func(c *catalog.Catalog) {})
			if _, err := s.LoadCatalog(ctx, hd, admin, ""); err != nil {
				t.Fatal(err)
			}
			if cs, _ := s.Catalogs(ctx); len(cs) != 3 || cs[2].Code != "HD1" {
				t.Errorf("Catalogs after a new one = %d", len(cs))
			}
			if recs, err := s.ListAudit(ctx, "37", "", 10); err != nil || len(recs) != 2 || recs[0].Action != homthu.AuditCatalogLoad ||
				recs[1].Action != homthu.AuditCatalogRetire || !strings.Contains(recs[1].Reason, "Gộp vào biểu hiện 13") {
				t.Errorf("audit = %+v, %v; want the new catalogue, then the retirement", recs, err)
			}

			// The past cannot be rewritten, even by hand.
			for _, q := range []string{
				`UPDATE standards SET title = 'khác' WHERE code = 'NQ4-12'`,
				`DELETE FROM standards WHERE code = 'NQ4-12'`,
				`UPDATE catalog_versions SET note = 'khác'`,
				`DELETE FROM catalog_groups`,
			} {
				if _, err := s.DB().ExecContext(ctx, q); err == nil {
					t.Errorf("%s: succeeded, want refused", q)
				}
			}
		})
	}
}

// load returns a copy of base (a new test catalogue "HD1" when nil), one
// version on, edited; as an administrator would write it in a file, so it
// goes through Format and Parse.
func load(t *testing.T, base *catalog.Catalog, edit func(c *catalog.Catalog)) *catalog.Catalog {
	t.Helper()
	var c catalog.Catalog
	if base == nil {
		c = catalog.Catalog{Code: "HD1", Version: 1, Title: "Danh mục thử", Source: "Hướng dẫn 1",
			Groups:    []catalog.Group{{Code: "A", Title: "Nhóm A"}},
			Standards: []catalog.Standard{{Code: "HD1-1", Catalog: "HD1", Version: 1, Group: "A", Number: 1, Title: "Mục một"}}}
	} else {
		c = *base
		c.Standards = append([]catalog.Standard(nil), base.Standards...)
		c.Version++
		for i := range c.Standards {
			c.Standards[i].Version = c.Version
		}
	}
	edit(&c)
	for i := range c.Standards {
		c.Standards[i].Version = c.Version
	}
	out, err := catalog.Parse(catalog.Format(&c))
	if err != nil {
		t.Fatalf("test catalogue: %v", err)
	}
	return out
}

func TestCatalogsConcurrentLoads(t *testing.T) {
	for _, engine := range Engines() {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			s := Open(t, engine)
			if _, err := s.InstallShippedCatalogs(ctx); err != nil {
				t.Fatal(err)
			}
			cur, _ := s.Catalog(ctx, "QD37", 0)
			// Eight administrators load a version 2 at once: one wins, the
			// others are told the catalogue moved on.
			var wg sync.WaitGroup
			errs := make([]error, 8)
			for i := range errs {
				wg.Add(1)
				go func() {
					defer wg.Done()
					v2 := load(t, cur, func(c *catalog.Catalog) { c.Standards[0].Official = strings.Repeat("x", i+1) })
					_, errs[i] = s.LoadCatalog(ctx, v2, nil, "thử")
				}()
			}
			wg.Wait()
			ok := 0
			for _, err := range errs {
				switch homthu.ErrorCode(err) {
				case "":
					ok++
				case homthu.ECONFLICT:
				default:
					t.Errorf("concurrent LoadCatalog: %v", err)
				}
			}
			if c, _ := s.Catalog(ctx, "QD37", 0); ok != 1 || c.Version != 2 {
				t.Errorf("%d loads succeeded, version %d; want 1 and 2", ok, c.Version)
			}
		})
	}
}
