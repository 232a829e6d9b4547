package storetest

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"homthu/internal/homthu"
	"homthu/internal/store"
	"homthu/internal/translog"
)

var people = []homthu.Participant{
	{Name: "Nguyễn Văn An", Role: "Trưởng ban công tác Mặt trận", Chair: true},
	{Name: "Trần Thị Bình", Role: "Chi hội trưởng Hội Phụ nữ"},
	{Name: "Lê Văn Cường", Org: "Chi hội Cựu chiến binh"},
}

// mustMailbox registers a box at unit installed on the day.
func mustMailbox(t testing.TB, s *store.Store, unit, installed string, day int) *homthu.Mailbox {
	t.Helper()
	m, err := s.CreateMailbox(context.Background(), &homthu.MailboxInput{Unit: unit, Place: "Nhà văn hóa " + unit, InstalledOn: installed,
		Status: homthu.MailboxInUse, Day: day})
	if err != nil {
		t.Fatalf("CreateMailbox(%s): %v", unit, err)
	}
	return m
}

func mustStart(t testing.TB, s *store.Store, mailbox int64, at time.Time, key string) int64 {
	t.Helper()
	var k []byte
	if key != "" {
		k = []byte(key)
	}
	id, _, err := s.StartOpening(context.Background(), &store.NewOpening{Mailbox: mailbox, OpenedAt: at, Seal: homthu.SealIntact,
		Participants: people, StartKey: k, ByName: "bancongtac"})
	if err != nil {
		t.Fatalf("StartOpening: %v", err)
	}
	return id
}

func mustLetter(t testing.TB, s *store.Store, opening int64, key, content string, signed bool, pages ...homthu.Attachment) int {
	t.Helper()
	l := &store.NewLetter{Opening: opening, ItemID: randomID(), Key: key, BodyHash: []byte(content), At: time.Now(),
		In: homthu.LetterInput{Content: content, Signed: signed, To: homthu.ToCommune, Pages: pages}}
	if signed {
		l.Identity = []byte("sealed identity")
	}
	seq, _, err := s.AddLetter(context.Background(), l)
	if err != nil {
		t.Fatalf("AddLetter: %v", err)
	}
	return seq
}

func randomID() string {
	b := make([]byte, 8)
	rand.Read(b)
	return fmt.Sprintf("%x", b)
}

// plan builds a seal plan as the app does, with the leaves and records of
// homthu and translog.
func plan(d *store.SealDraft) (*store.SealPlan, error) {
	o := d.Opening
	o.Number = d.Number
	o.SealedAt = time.Now()
	o.SealedBy = "bancongtac"
	p := &store.SealPlan{At: o.SealedAt, ByName: o.SealedBy, OnTime: homthu.OnTime(d.Day, o.OpenedAt)}
	month := homthu.MonthOf(o.OpenedAt).String()
	var commitments []string
	for i, l := range o.Letters {
		th := translog.HashText([]byte(l.Content))
		itemLeaf, err := translog.Leaf{Kind: translog.KindItem, Unit: "14329", Month: month, Commitment: translog.Commit(translog.KindItem, []byte("s"), th)}.MarshalBinary()
		if err != nil {
			return nil, err
		}
		p.Items = append(p.Items, &store.NewItem{ID: l.ItemID, Unit: "14329", ReceivedOn: homthu.Today(o.OpenedAt), Identity: d.Identities[l.Seq],
			CommitSalt: []byte("s"), TextHash: th[:], Leaf: itemLeaf,
			Sub: homthu.Submission{Area: o.Unit, To: l.To, Channel: homthu.ChannelPaper, Content: l.Content, Subject: l.Subject,
				Anonymous: !l.Signed, Attachments: l.Pages}})
		rec := homthu.LetterRecord(o.ID, i+1, l.ItemID, l.Signed, "x", nil)
		leaf, op, err := translog.NewLeaf(translog.KindLetter, o.Unit, month, []byte(rec))
		if err != nil {
			return nil, err
		}
		b, _ := leaf.MarshalBinary()
		commitments = append(commitments, fmt.Sprintf("%x", leaf.Commitment))
		p.Letters = append(p.Letters, store.SealedLetter{Seq: l.Seq, Number: i + 1, Record: rec, Salt: op.Salt, Leaf: b, ItemID: l.ItemID})
	}
	p.Record = homthu.OpeningRecord(o, commitments)
	leaf, op, err := translog.NewLeaf(translog.KindOpening, o.Unit, month, []byte(p.Record))
	if err != nil {
		return nil, err
	}
	p.Leaf, _ = leaf.MarshalBinary()
	p.Salt = op.Salt
	return p, nil
}

func TestMailboxes(t *testing.T) {
	for _, engine := range Engines() {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			s := Open(t, engine)
			Tree(t, s)
			a := mustMailbox(t, s, "14329-001", "2024-03-15", 10)
			b := mustMailbox(t, s, "14330-001", "2024-01-01", 0)
			c := mustMailbox(t, s, "14329", "2025-07-01", 5) // at the commune's office
			if a.UnitName != "Tổ dân phố Hòa Bình" || a.CommuneName != "Phường Hoa Lư" || c.CommuneName != "Phường Hoa Lư" {
				t.Errorf("names = %q, %q, %q", a.UnitName, a.CommuneName, c.CommuneName)
			}
			for _, tt := range []struct {
				unit string
				code string
			}{{"37", homthu.EINVALID}, {"99999", homthu.EINVALID}} {
				_, err := s.CreateMailbox(ctx, &homthu.MailboxInput{Unit: tt.unit, Place: "x", InstalledOn: "2024-01-01", Status: homthu.MailboxInUse})
				if homthu.ErrorCode(err) != tt.code {
					t.Errorf("CreateMailbox(%s) = %v, want %s", tt.unit, err, tt.code)
				}
			}
			if _, err := s.FindMailbox(ctx, "14330", a.ID); homthu.ErrorCode(err) != homthu.ENOTFOUND {
				t.Errorf("FindMailbox outside scope = %v, want ENOTFOUND", err)
			}
			if m, err := s.FindMailbox(ctx, "14329-001", a.ID); err != nil || m.Place != a.Place {
				t.Errorf("FindMailbox in the area's scope = %v, %v", m, err)
			}
			for _, tt := range []struct {
				scope, unit string
				want        []int64
			}{{"37", "", []int64{c.ID, a.ID, b.ID}}, {"14329", "", []int64{c.ID, a.ID}}, {"37", "14330", []int64{b.ID}}, {"01", "", nil}} {
				got, _, err := s.ListMailboxes(ctx, store.MailboxFilter{Scope: tt.scope, Unit: tt.unit})
				if err != nil {
					t.Fatalf("ListMailboxes(%s, %s): %v", tt.scope, tt.unit, err)
				}
				var ids []int64
				for _, m := range got {
					ids = append(ids, m.ID)
				}
				if fmt.Sprint(ids) != fmt.Sprint(tt.want) {
					t.Errorf("ListMailboxes(%s, %s) = %v, want %v (in the tree's order)", tt.scope, tt.unit, ids, tt.want)
				}
			}
			if _, _, err := s.ListMailboxes(ctx, store.MailboxFilter{Scope: "14329", Unit: "14330"}); homthu.ErrorCode(err) != homthu.ENOTFOUND {
				t.Errorf("ListMailboxes narrowing outside scope = %v", err)
			}
			// Pagination: one at a time, in order, to the end.
			var seen []int64
			cursor := ""
			for i := 0; i < 5; i++ {
				page, next, err := s.ListMailboxes(ctx, store.MailboxFilter{Scope: "37", Limit: 1, Cursor: cursor})
				if err != nil {
					t.Fatal(err)
				}
				for _, m := range page {
					seen = append(seen, m.ID)
				}
				if cursor = next; cursor == "" {
					break
				}
			}
			if fmt.Sprint(seen) != fmt.Sprint([]int64{c.ID, a.ID, b.ID}) {
				t.Errorf("paged = %v", seen)
			}
			if _, _, err := s.ListMailboxes(ctx, store.MailboxFilter{Scope: "37", Cursor: "!!"}); homthu.ErrorCode(err) != homthu.EINVALID {
				t.Errorf("bad cursor = %v", err)
			}

			// Removing a box; its removal must come after its last opening.
			id := mustStart(t, s, a.ID, time.Date(2026, 5, 10, 9, 0, 0, 0, homthu.VNTime), "")
			mustSeal(t, s, id, 0)
			in := homthu.MailboxInput{Place: a.Place, InstalledOn: a.InstalledOn, Status: homthu.MailboxRemoved, RemovedOn: "2026-05-10", Day: 10}
			if err := s.UpdateMailbox(ctx, a.ID, &in); homthu.ErrorCode(err) != homthu.EINVALID {
				t.Errorf("removing before the last opening = %v, want EINVALID", err)
			}
			in.RemovedOn = "2026-06-01"
			if err := s.UpdateMailbox(ctx, a.ID, &in); err != nil {
				t.Fatalf("UpdateMailbox: %v", err)
			}
			in.InstalledOn = "2026-06-01"
			if err := s.UpdateMailbox(ctx, a.ID, &in); homthu.ErrorCode(err) != homthu.EINVALID {
				t.Errorf("installing after the first opening = %v, want EINVALID", err)
			}
			if m, _ := s.FindMailbox(ctx, "", a.ID); m.Status != homthu.MailboxRemoved || m.RemovedOn != "2026-06-01" {
				t.Errorf("after update: %+v", m)
			}
			if _, _, err := s.StartOpening(ctx, &store.NewOpening{Mailbox: a.ID, OpenedAt: time.Date(2026, 6, 10, 9, 0, 0, 0, homthu.VNTime),
				Seal: homthu.SealIntact, Participants: people}); homthu.ErrorCode(err) != homthu.EINVALID {
				t.Errorf("opening a removed box = %v, want EINVALID", err)
			}
			if err := s.UpdateMailbox(ctx, 9999, &in); homthu.ErrorCode(err) != homthu.ENOTFOUND {
				t.Errorf("UpdateMailbox(unknown) = %v", err)
			}
		})
	}
}

func mustSeal(t testing.TB, s *store.Store, id int64, letters int) {
	t.Helper()
	if err := s.SealOpening(context.Background(), id, letters, plan); err != nil {
		t.Fatalf("SealOpening: %v", err)
	}
}

func TestOpeningLifecycle(t *testing.T) {
	for _, engine := range Engines() {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			s := Open(t, engine)
			Tree(t, s)
			box := mustMailbox(t, s, "14329-001", "2024-03-15", 10)
			at := time.Date(2026, 11, 10, 9, 0, 0, 0, homthu.VNTime)
			id := mustStart(t, s, box.ID, at, "start-1")

			// A repeated start returns the same opening; another start of
			// the same box while it is open is refused, naming it.
			again, replay, err := s.StartOpening(ctx, &store.NewOpening{Mailbox: box.ID, OpenedAt: at, Seal: homthu.SealIntact, Participants: people,
				StartKey: []byte("start-1")})
			if err != nil || again != id || !replay {
				t.Errorf("repeated start = %d, %v, %v; want %d, replay", again, replay, err, id)
			}
			_, _, err = s.StartOpening(ctx, &store.NewOpening{Mailbox: box.ID, OpenedAt: at, Seal: homthu.SealIntact, Participants: people})
			var oc *store.OpenConflict
			if !errors.As(err, &oc) || oc.Opening != id || homthu.ErrorCode(err) != homthu.ECONFLICT {
				t.Errorf("second start = %v, want OpenConflict{%d}", err, id)
			}

			page := homthu.Attachment{SHA256: strings.Repeat("ab", 32), Name: "trang-1.jpg", Type: "image/jpeg", Size: 1234}
			l1 := mustLetter(t, s, id, "k1", "Phản ánh trưởng thôn uống rượu trong giờ làm việc.", false, page)
			l2 := mustLetter(t, s, id, "k2", "Thư có ký tên về việc lấn chiếm đất công.", true)
			l3 := mustLetter(t, s, id, "k3", "Nhập nhầm hai lần.", false)
			// A repeat of a letter with its key stores nothing new.
			seq, replay, err := s.AddLetter(ctx, &store.NewLetter{Opening: id, ItemID: randomID(), Key: "k1",
				BodyHash: []byte("Phản ánh trưởng thôn uống rượu trong giờ làm việc."), In: homthu.LetterInput{Content: "x", To: homthu.ToCommune}})
			if err != nil || seq != l1 || !replay {
				t.Errorf("repeated letter = %d, %v, %v; want %d, replay", seq, replay, err, l1)
			}
			if _, _, err := s.AddLetter(ctx, &store.NewLetter{Opening: id, ItemID: randomID(), Key: "k1", BodyHash: []byte("khác"),
				In: homthu.LetterInput{Content: "x", To: homthu.ToCommune}}); homthu.ErrorCode(err) != homthu.ECONFLICT {
				t.Errorf("key reused for another letter = %v, want ECONFLICT", err)
			}
			orphans, err := s.RemoveLetter(ctx, id, l3)
			if err != nil || len(orphans) != 0 {
				t.Errorf("RemoveLetter = %v, %v", orphans, err)
			}
			if used, err := s.BlobUsed(ctx, page.SHA256); !used || err != nil {
				t.Errorf("BlobUsed(draft page) = %v, %v", used, err)
			}

			o, err := s.FindOpening(ctx, "14329-001", id)
			if err != nil {
				t.Fatal(err)
			}
			if o.State != homthu.OpeningOpen || len(o.Participants) != 3 || len(o.Letters) != 2 || o.Letters[1].Seq != l2 ||
				o.Letters[1].Number != 2 || len(o.Letters[0].Pages) != 1 || o.Letters[0].Scope != "/37/14329/" {
				t.Errorf("draft = %+v", o)
			}
			if _, err := s.FindOpening(ctx, "14330", id); homthu.ErrorCode(err) != homthu.ENOTFOUND {
				t.Errorf("FindOpening outside scope = %v", err)
			}
			if err := s.DeleteOpening(ctx, id); homthu.ErrorCode(err) != homthu.ECONFLICT {
				t.Errorf("DeleteOpening with letters = %v, want ECONFLICT", err)
			}
			// Counting wrong seals nothing.
			if err := s.SealOpening(ctx, id, 3, plan); homthu.ErrorCode(err) != homthu.ECONFLICT {
				t.Errorf("SealOpening with 3 counted for 2 registered = %v, want ECONFLICT", err)
			}
			mustSeal(t, s, id, 2)

			o, err = s.FindOpening(ctx, "", id)
			if err != nil {
				t.Fatal(err)
			}
			if !o.Sealed() || o.Number != 1 || o.LetterCount != 2 || !o.OnTime || o.Record == "" || o.Symbol() != "01/BB-BCTMT" {
				t.Errorf("sealed = %+v", o)
			}
			if o.Letters[0].Content != "Phản ánh trưởng thôn uống rượu trong giờ làm việc." || o.Letters[0].Scope != "/37/14329/" ||
				o.Letters[0].Number != 1 || o.Letters[1].Number != 2 || len(o.Letters[0].Pages) != 0 || o.Letters[0].PageCount != 1 {
				t.Errorf("sealed letters = %+v", o.Letters)
			}
			// Each letter is a paper item in the commune's inbox, with its
			// page as an attachment and the signed one's identity.
			items, _, err := s.ListItems(ctx, homthu.ItemFilter{Scope: "14329", Channel: homthu.ChannelPaper})
			if err != nil || len(items) != 2 {
				t.Fatalf("paper items = %d, %v", len(items), err)
			}
			it, err := s.FindItem(ctx, "14329", o.Letters[0].ItemID)
			if err != nil || it.Channel != homthu.ChannelPaper || len(it.Attachments) != 1 || it.Attachments[0].SHA256 != page.SHA256 ||
				it.ReceivedOn != "2026-11-10" || !it.Anonymous {
				t.Errorf("item of letter 1 = %+v, %v", it, err)
			}
			if it, _ := s.FindItem(ctx, "14329", o.Letters[1].ItemID); it == nil || it.Anonymous {
				t.Errorf("item of the signed letter = %+v", it)
			}
			if op, n, ok, err := s.LetterOf(ctx, o.Letters[1].ItemID); !ok || op != id || n != 2 || err != nil {
				t.Errorf("LetterOf = %d, %d, %v, %v", op, n, ok, err)
			}
			var refs []string
			rows, err := s.DB().QueryContext(ctx, `SELECT ref FROM log_pending ORDER BY ref`)
			if err != nil {
				t.Fatal(err)
			}
			for rows.Next() {
				var r string
				rows.Scan(&r)
				refs = append(refs, strings.SplitN(r, ":", 2)[0])
			}
			rows.Close()
			if fmt.Sprint(refs) != "[item item letter letter opening]" {
				t.Errorf("log outbox refs = %v, want two items, two letters, one opening", refs)
			}
			if rec, salt, err := s.OpeningCommitment(ctx, fmt.Sprintf("opening:%d", id)); err != nil || rec != o.Record || len(salt) != translog.SaltSize {
				t.Errorf("OpeningCommitment = %q, %d bytes, %v", rec, len(salt), err)
			}
			if _, _, err := s.OpeningCommitment(ctx, "letter:"+o.Letters[0].ItemID); err != nil {
				t.Errorf("OpeningCommitment(letter) = %v", err)
			}
			// What nothing may do after sealing, the code paths refuse…
			for name, err := range map[string]error{
				"UpdateOpening": s.UpdateOpening(ctx, id, &homthu.OpeningInput{OpenedAt: at, Seal: homthu.SealNone, Participants: people}),
				"DeleteOpening": s.DeleteOpening(ctx, id),
				"SealOpening":   s.SealOpening(ctx, id, 2, plan),
			} {
				if homthu.ErrorCode(err) != homthu.ECONFLICT {
					t.Errorf("%s of a sealed opening = %v, want ECONFLICT", name, err)
				}
			}
			if _, err := s.RemoveLetter(ctx, id, l1); homthu.ErrorCode(err) != homthu.ECONFLICT {
				t.Errorf("RemoveLetter of a sealed opening = %v", err)
			}
			if _, _, err := s.AddLetter(ctx, &store.NewLetter{Opening: id, ItemID: randomID(), Key: "k9", BodyHash: []byte("x"),
				In: homthu.LetterInput{Content: "x", To: homthu.ToCommune}}); homthu.ErrorCode(err) != homthu.ECONFLICT {
				t.Errorf("AddLetter to a sealed opening = %v", err)
			}
			// The box's marks: November on time.
			units, err := s.ComplianceUnits(ctx, "14329", homthu.Month{Year: 2026, Month: time.October}, 3)
			if err != nil {
				t.Fatal(err)
			}
			if len(units) != 1 || units[0].Code != "14329-001" || len(units[0].Boxes) != 1 || units[0].Boxes[0].Marks != "-o" {
				t.Errorf("ComplianceUnits = %+v", units)
			}

			// The minutes' numbers run per unit and year.
			id2 := mustStart(t, s, box.ID, at.AddDate(0, 1, 5), "")
			mustSeal(t, s, id2, 0)
			id3 := mustStart(t, s, box.ID, at.AddDate(0, 2, 0), "")
			mustSeal(t, s, id3, 0)
			for _, tt := range []struct {
				id   int64
				want string
			}{{id2, "02/BB-BCTMT"}, {id3, "01/BB-BCTMT"}} {
				if o, _ := s.FindOpening(ctx, "", tt.id); o == nil || o.Symbol() != tt.want {
					t.Errorf("opening %d symbol = %v, want %s", tt.id, o, tt.want)
				}
			}
			if o, _ := s.FindOpening(ctx, "", id2); o.OnTime {
				t.Errorf("opened on the 15th for day 10: on time")
			}

			// A correction of the time moves the mark; it is itself sealed.
			cid, err := s.AddCorrection(ctx, &store.NewCorrection{C: homthu.Correction{Opening: id2, Kind: homthu.CorrectOpenedAt,
				OpenedAt: time.Date(2026, 12, 9, 9, 0, 0, 0, homthu.VNTime), Reason: "Ghi nhầm ngày", By: "mttq.hoalu", At: time.Now(), Record: "r"},
				Salt: []byte("s"), Leaf: []byte("homthu/v1 opening 14329-001 2026-12 x\n")})
			if err != nil {
				t.Fatalf("AddCorrection: %v", err)
			}
			units, _ = s.ComplianceUnits(ctx, "14329", homthu.Month{Year: 2026, Month: time.October}, 4)
			if units[0].Boxes[0].Marks != "-ooo" {
				t.Errorf("marks after correcting December's time to the 9th = %q, want -ooo", units[0].Boxes[0].Marks)
			}
			if _, err := s.AddCorrection(ctx, &store.NewCorrection{C: homthu.Correction{Opening: 999, Kind: homthu.CorrectOther}}); homthu.ErrorCode(err) != homthu.ENOTFOUND {
				t.Errorf("correction of an unknown opening = %v", err)
			}
			o2, _ := s.FindOpening(ctx, "", id2)
			if len(o2.Corrections) != 1 || o2.Corrections[0].ID != cid || o2.Corrections[0].Reason != "Ghi nhầm ngày" {
				t.Errorf("corrections = %+v", o2.Corrections)
			}

			// …and the database refuses, whatever the code does.
			checkSealedInDatabase(t, s, id, o.Letters[0].ItemID, cid)

			// Listing.
			list, next, err := s.ListOpenings(ctx, store.OpeningFilter{Scope: "14329", Limit: 2})
			if err != nil || len(list) != 2 || next == "" || list[0].ID != id3 || list[1].ID != id2 || len(list[1].Corrections) != 1 {
				t.Errorf("ListOpenings page 1 = %v, %q, %v", list, next, err)
			}
			list, next, err = s.ListOpenings(ctx, store.OpeningFilter{Scope: "14329", Limit: 2, Cursor: next})
			if err != nil || len(list) != 1 || next != "" || list[0].ID != id || list[0].LetterCount != 2 {
				t.Errorf("ListOpenings page 2 = %v, %q, %v", list, next, err)
			}
			if list, _, _ := s.ListOpenings(ctx, store.OpeningFilter{Scope: "14330"}); len(list) != 0 {
				t.Errorf("another commune's openings: %v", list)
			}
			// An empty draft can be discarded.
			id4 := mustStart(t, s, box.ID, at.AddDate(0, 2, 1), "")
			if err := s.DeleteOpening(ctx, id4); err != nil {
				t.Errorf("DeleteOpening(empty draft) = %v", err)
			}
			if _, err := s.FindOpening(ctx, "", id4); homthu.ErrorCode(err) != homthu.ENOTFOUND {
				t.Errorf("discarded opening = %v", err)
			}
		})
	}
}

// checkSealedInDatabase tries every change of a sealed opening, its rows
// and a correction straight in SQL, and wants each refused by a trigger.
func checkSealedInDatabase(t *testing.T, s *store.Store, opening int64, item string, correction int64) {
	t.Helper()
	ctx := context.Background()
	o := fmt.Sprint(opening)
	for _, q := range []string{
		`UPDATE openings SET seal_note = 'sửa lén' WHERE id = ` + o,
		`UPDATE openings SET state = 'open' WHERE id = ` + o,
		`DELETE FROM openings WHERE id = ` + o,
		`UPDATE opening_participants SET name = 'Người khác' WHERE opening = ` + o,
		`DELETE FROM opening_participants WHERE opening = ` + o,
		`INSERT INTO opening_participants (opening, pos, name) VALUES (` + o + `, 9, 'Người thêm vào')`,
		`UPDATE opening_letters SET signed = NOT signed WHERE opening = ` + o,
		`UPDATE opening_letters SET sealed = FALSE WHERE opening = ` + o,
		`DELETE FROM opening_letters WHERE item = '` + item + `'`,
		`INSERT INTO opening_letters (opening, seq, item, client_key, body_hash, content, full_text, signed, addressed, registered)
         VALUES (` + o + `, 99, 'them-vao', 'k', 'h', 'thư thêm', FALSE, FALSE, 'commune', 0)`,
		`INSERT INTO opening_pages (opening, seq, page, sha256, name, type, size) VALUES (` + o + `, 1, 5, 'x', 'x', 'x', 1)`,
		`UPDATE opening_corrections SET reason = 'khác' WHERE id = ` + fmt.Sprint(correction),
		`DELETE FROM opening_corrections WHERE id = ` + fmt.Sprint(correction),
	} {
		if _, err := s.DB().ExecContext(ctx, q); err == nil {
			t.Errorf("the database let through: %s", q)
		}
	}
	if s.Engine() == "postgres" {
		for _, tb := range []string{"openings", "opening_participants", "opening_letters", "opening_corrections"} {
			if _, err := s.DB().ExecContext(ctx, `TRUNCATE `+tb+` CASCADE`); err == nil {
				t.Errorf("the database let through TRUNCATE %s", tb)
			}
		}
	}
	var n int
	if err := s.DB().QueryRowContext(ctx, `SELECT COUNT(*) FROM opening_letters WHERE opening = `+o+` AND sealed = TRUE`).Scan(&n); err != nil || n != 2 {
		t.Errorf("sealed letters after the attempts = %d, %v", n, err)
	}
}

// TestSealWholeInDatabase: the database refuses to mark an opening sealed
// while a draft row of it is not.
func TestSealWholeInDatabase(t *testing.T) {
	for _, engine := range Engines() {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			s := Open(t, engine)
			Tree(t, s)
			box := mustMailbox(t, s, "14329-001", "2024-03-15", 10)
			id := mustStart(t, s, box.ID, time.Date(2026, 11, 10, 9, 0, 0, 0, homthu.VNTime), "")
			mustLetter(t, s, id, "k1", "Thư", false)
			o := fmt.Sprint(id)
			if _, err := s.DB().ExecContext(ctx, `UPDATE openings SET state = 'sealed', sealed_at = 1, number = 1, letters = 1, record = 'r', commit_salt = 's'
WHERE id = `+o); err == nil {
				t.Errorf("the database sealed an opening whose letter and participants are drafts")
			}
			if _, err := s.DB().ExecContext(ctx, `UPDATE openings SET state = 'sealed' WHERE id = `+o); err == nil {
				t.Errorf("the database sealed an opening without its number and record")
			}
		})
	}
}

// TestComplianceUnits: the board's query returns every area under the
// scope (with or without a box), communes only with a box of their own,
// and each box's marks for the window.
func TestComplianceUnits(t *testing.T) {
	for _, engine := range Engines() {
		t.Run(engine, func(t *testing.T) {
			ctx := context.Background()
			s := Open(t, engine)
			Tree(t, s)
			newArea, err := s.AddArea(ctx, "14329", "Tổ dân phố Mới")
			if err != nil {
				t.Fatal(err)
			}
			if err := s.SetUnitValidFrom(ctx, newArea.Code, "2026-10-15"); err != nil {
				t.Fatal(err)
			}
			if err := s.SetUnitValidFrom(ctx, "nope", ""); homthu.ErrorCode(err) != homthu.ENOTFOUND {
				t.Errorf("SetUnitValidFrom(unknown) = %v", err)
			}
			if err := s.SetUnitValidFrom(ctx, newArea.Code, "15/10/2026"); homthu.ErrorCode(err) != homthu.EINVALID {
				t.Errorf("SetUnitValidFrom(bad day) = %v", err)
			}
			a := mustMailbox(t, s, "14329-001", "2024-03-15", 10)
			mustMailbox(t, s, "14329-001", "2025-01-01", 0)
			mustMailbox(t, s, "14329", "2025-07-01", 5)
			id := mustStart(t, s, a.ID, time.Date(2026, 10, 31, 17, 30, 0, 0, time.UTC), "") // 00:30 on 1 November in Vietnam
			mustSeal(t, s, id, 0)

			units, err := s.ComplianceUnits(ctx, "37", homthu.Month{Year: 2026, Month: time.October}, 2)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, u := range units {
				got = append(got, fmt.Sprintf("%s:%s:%s:%d:%d", u.Code, u.Group, u.Parent, len(u.Boxes), u.From))
			}
			want := []string{"14329:14329:37:1:0", "14329-001:14329:14329:2:0", newArea.Code + ":14329:14329:0:20261015", "14330-001:14330:14330:0:0"}
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("ComplianceUnits(37) = %v, want %v", got, want)
			}
			if units[1].Boxes[0].Marks != "-o" || units[1].Boxes[1].Marks != "" || units[1].Boxes[0].Day != 10 || units[1].Boxes[0].From != 20240315 {
				t.Errorf("boxes of 14329-001 = %+v", units[1].Boxes)
			}
			units, _ = s.ComplianceUnits(ctx, "14329", homthu.Month{Year: 2026, Month: time.October}, 2)
			if len(units) != 3 || units[0].Group != "14329" || units[1].Group != "14329-001" {
				t.Errorf("ComplianceUnits(14329) = %+v", units)
			}
			units, _ = s.ComplianceUnits(ctx, "", homthu.Month{Year: 2026, Month: time.October}, 2)
			if len(units) != 4 || units[0].Group != "37" || units[3].Group != "37" {
				t.Errorf("ComplianceUnits(whole tree) = %+v", units)
			}
			if _, err := s.ComplianceUnits(ctx, "37", homthu.Month{Year: 2026, Month: time.October}, 0); homthu.ErrorCode(err) != homthu.EINVALID {
				t.Errorf("zero months = %v", err)
			}
			names, err := s.UnitNames(ctx, []string{"14329", "14330-001", "nope"})
			if err != nil || names["14329"] != "Phường Hoa Lư" || names["14330-001"] != "Thôn Đông" || len(names) != 2 {
				t.Errorf("UnitNames = %v, %v", names, err)
			}
		})
	}
}
