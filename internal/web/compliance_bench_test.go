package web

import (
	"context"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"homthu/internal/app"
	"homthu/internal/homthu"
	"homthu/internal/store"
	"homthu/internal/store/storetest"
)

// loadBoardTree adds provinces P01… with communes each with areas each,
// a mailbox in every area but one in nine, and a year of marks: most
// months on time, some late, some missed. It writes the rows in one
// transaction (the board reads only units and mailboxes).
func loadBoardTree(tb testing.TB, s *store.Store, provinces, communes, areas int, now time.Time) {
	tb.Helper()
	ctx := context.Background()
	var rows []homthu.UnitImport
	for p := 1; p <= provinces; p++ {
		pc := fmt.Sprintf("P%02d", p)
		rows = append(rows, homthu.UnitImport{Unit: homthu.Unit{Code: pc, Kind: homthu.KindProvince, Name: "Thử " + pc, FullName: "Tỉnh Thử " + pc}})
		for c := 1; c <= communes; c++ {
			cc := fmt.Sprintf("%s%04d", pc, c)
			rows = append(rows, homthu.UnitImport{Unit: homthu.Unit{Code: cc, Parent: pc, Kind: homthu.KindCommune, Name: "Xã " + cc, FullName: "Xã Thử " + cc}})
			for a := 1; a <= areas; a++ {
				ac := fmt.Sprintf("%s-%03d", cc, a)
				rows = append(rows, homthu.UnitImport{Unit: homthu.Unit{Code: ac, Parent: cc, Kind: homthu.KindArea, Name: "Thôn " + ac, FullName: "Thôn " + ac}})
			}
		}
	}
	if _, err := s.ImportUnits(ctx, rows); err != nil {
		tb.Fatalf("ImportUnits: %v", err)
	}
	first := homthu.MonthOf(now).Add(-12)
	err := s.Transact(ctx, func(tx *store.Tx) error {
		for i, r := range rows {
			if r.Unit.Kind != homthu.KindArea || i%9 == 0 {
				continue
			}
			marks := []byte(strings.Repeat("-", first.Index()))
			for m := 0; m < 13; m++ {
				switch (i + m*7) % 10 {
				case 0:
					marks = append(marks, homthu.MarkNone)
				case 1:
					marks = append(marks, homthu.MarkLate)
				default:
					marks = append(marks, homthu.MarkOnTime)
				}
			}
			if _, err := tx.Exec(ctx, `INSERT INTO mailboxes (unit, place, installed_on, status, day, note, marks, created, updated)
VALUES (?, 'Nhà văn hóa', '2020-01-01', 'in_use', 10, '', ?, 0, 0)`, r.Unit.Code, string(marks)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		tb.Fatalf("mailboxes: %v", err)
	}
	// Statistics, as a live database has them (both engines take ANALYZE).
	if _, err := s.DB().ExecContext(ctx, "ANALYZE"); err != nil {
		tb.Fatalf("ANALYZE: %v", err)
	}
}

// renderBoard computes and renders the board of unit ("" for the country)
// as the page does, and returns the HTML.
func renderBoard(tb testing.TB, e *env, unit string) string {
	tb.Helper()
	sess := &homthu.Session{User: &homthu.User{ID: 1, Username: "tinh", Role: homthu.RoleFront, Unit: unit, UnitName: "x"}}
	req := app.BoardRequest{Unit: unit}
	b, err := e.app.Board(context.Background(), req)
	if err != nil {
		tb.Fatal(err)
	}
	w := httptest.NewRecorder()
	e.srv.render(w, httptest.NewRequest("GET", compliancePath, nil), 200, boardPage(b, req, sess))
	if w.Code != 200 {
		tb.Fatalf("render = %d", w.Code)
	}
	return w.Body.String()
}

// TestBoardWeight: the board of a province of 130 communes and 2,080 areas
// over 12 months stays well under 100 KB of HTML, and still names every
// commune with a link to its own board.
func TestBoardWeight(t *testing.T) {
	e := newEnv(t)
	loadBoardTree(t, e.store, 1, 130, 16, time.Now())
	body := renderBoard(t, e, "P01")
	if n := len(body); n > 100<<10 {
		t.Errorf("province board = %d KB, want under 100 KB", n>>10)
	} else {
		t.Logf("province board: %d KB", n>>10)
	}
	for _, want := range []string{"Xã Thử P010001", "Xã Thử P010130", `href="/can-bo/mo-hom-thu/tuan-thu?don-vi=P010130"`, `<caption`} {
		if !strings.Contains(body, want) {
			t.Errorf("province board lacks %q", want)
		}
	}
}

// BenchmarkBoard measures the compliance board, computed and rendered, of
// a province (130 communes, 2,080 areas) and of the whole country (34
// provinces, 3,332 communes, 99,960 areas), 12 months, on each engine
// (PostgreSQL when HOMTHU_TEST_POSTGRES is set). Targets: 100 ms and 1 s.
func BenchmarkBoard(b *testing.B) {
	for _, engine := range storetest.Engines() {
		for _, tt := range []struct {
			name                       string
			provinces, communes, areas int
			unit                       string
		}{
			{"province", 1, 130, 16, "P01"},
			{"country", 34, 98, 30, ""},
		} {
			b.Run(engine+"/"+tt.name, func(b *testing.B) {
				e := newEngineEnv(b, engine)
				loadBoardTree(b, e.store, tt.provinces, tt.communes, tt.areas, time.Now())
				b.ResetTimer()
				var size int
				for b.Loop() {
					size = len(renderBoard(b, e, tt.unit))
				}
				b.ReportMetric(float64(size)/1024, "KB")
			})
		}
	}
}
