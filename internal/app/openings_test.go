package app

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"homthu/internal/homthu"
	"homthu/internal/secret"
	"homthu/internal/store/storetest"
	"homthu/internal/translog"
	"homthu/internal/upload"
)

// openingsEnv is an App on a fresh SQLite database holding storetest.Tree,
// with a session per account below, and a transparency log.
type openingsEnv struct {
	a        *App
	vkey     string
	sessions map[string]*homthu.Session
}

func newOpeningsEnv(t *testing.T, now time.Time) *openingsEnv {
	t.Helper()
	s := storetest.Open(t, "sqlite")
	storetest.Tree(t, s)
	keys := &secret.Keys{Receipt: make([]byte, 32), Identity: make([]byte, 32)}
	rand.Read(keys.Receipt)
	rand.Read(keys.Identity)
	skey, vkey, err := translog.GenerateKey("homthu.test/log")
	if err != nil {
		t.Fatal(err)
	}
	tl, err := translog.New(translog.Config{Store: s.TransLog(), SignerKey: skey, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	e := &openingsEnv{vkey: vkey, sessions: map[string]*homthu.Session{},
		a: &App{Store: s, Keys: keys, Blobs: &upload.Blobs{Dir: t.TempDir()}, TransLog: tl, Now: func() time.Time { return now }}}
	for _, u := range []homthu.User{
		{Username: "bct.hoabinh", Role: homthu.RoleCommittee, Unit: "14329-001"},
		{Username: "bct.thondong", Role: homthu.RoleCommittee, Unit: "14330-001"},
		{Username: "mttq.hoalu", Role: homthu.RoleFront, Unit: "14329"},
		{Username: "mttq.giavien", Role: homthu.RoleFront, Unit: "14330"},
		{Username: "mttq.tinh", Role: homthu.RoleFront, Unit: "37"},
		{Username: "lanhdao", Role: homthu.RoleLeader, Unit: "37"},
		{Username: "quantri", Role: homthu.RoleAdmin, Unit: "37"},
		{Username: "ubkt", Role: homthu.RoleAgency, Unit: "37"},
	} {
		if err := s.CreateUser(context.Background(), &u, "x"); err != nil {
			t.Fatal(err)
		}
		e.sessions[u.Username] = &homthu.Session{User: &u}
	}
	return e
}

var witnesses = []homthu.Participant{
	{Name: "Nguyễn Văn An", Role: "Trưởng ban công tác Mặt trận", Chair: true},
	{Name: "Trần Thị Bình", Role: "Chi hội trưởng Hội Phụ nữ"},
	{Name: "Lê Văn Cường", Role: "Trưởng thôn"},
}

func TestOpeningFlow(t *testing.T) {
	now := time.Date(2026, 11, 12, 10, 0, 0, 0, homthu.VNTime)
	e := newOpeningsEnv(t, now)
	ctx := context.Background()
	a, ss := e.a, e.sessions

	// Mailboxes: Front staff and administrators register them, in their
	// scope only.
	in := homthu.MailboxInput{Unit: "14329-001", Place: "Nhà văn hóa tổ dân phố Hòa Bình", InstalledOn: "2024-03-15", Day: 10}
	if _, err := a.CreateMailbox(ctx, ss["bct.hoabinh"], in); homthu.ErrorCode(err) != homthu.EFORBIDDEN {
		t.Errorf("committee registers a mailbox: %v, want EFORBIDDEN", err)
	}
	if _, err := a.CreateMailbox(ctx, ss["mttq.giavien"], in); homthu.ErrorCode(err) != homthu.EINVALID {
		t.Errorf("another commune registers a mailbox: %v, want EINVALID", err)
	}
	box, err := a.CreateMailbox(ctx, ss["mttq.hoalu"], in)
	if err != nil {
		t.Fatal(err)
	}
	other, err := a.CreateMailbox(ctx, ss["quantri"], homthu.MailboxInput{Unit: "14330-001", Place: "Nhà văn hóa thôn Đông", InstalledOn: "2024-01-01", Day: 5})
	if err != nil {
		t.Fatal(err)
	}

	// Starting: the committee of another area cannot see the box; one
	// witness is not enough; a repeat with the same key is the same opening.
	start := homthu.OpeningInput{Mailbox: box.ID, OpenedAt: now.Add(-time.Hour), Seal: homthu.SealIntact, Participants: witnesses}
	if _, err := a.StartOpening(ctx, ss["bct.thondong"], start, "k"); homthu.ErrorCode(err) != homthu.ENOTFOUND {
		t.Errorf("another area's committee starts: %v, want ENOTFOUND", err)
	}
	few := start
	few.Participants = witnesses[:2]
	if _, err := a.StartOpening(ctx, ss["bct.hoabinh"], few, "k"); homthu.ErrorCode(err) != homthu.EINVALID {
		t.Errorf("one witness: %v, want EINVALID", err)
	}
	id, err := a.StartOpening(ctx, ss["bct.hoabinh"], start, "k")
	if err != nil {
		t.Fatal(err)
	}
	if again, err := a.StartOpening(ctx, ss["bct.hoabinh"], start, "k"); err != nil || again != id {
		t.Errorf("repeated start = %d, %v; want %d", again, err, id)
	}
	if _, err := a.StartOpening(ctx, ss["lanhdao"], start, "k2"); homthu.ErrorCode(err) != homthu.EFORBIDDEN {
		t.Errorf("leader starts: %v, want EFORBIDDEN", err)
	}

	// Letters, each saved as registered; a repeat is the same letter.
	letters := []homthu.LetterInput{
		{Content: "Phản ánh tổ trưởng tổ dân phố thu tiền không có chứng từ.", Subject: homthu.Subject{Position: "Tổ trưởng tổ dân phố"}},
		{Content: "Thư có ký tên về việc lấn chiếm đất công.", Full: true, Signed: true,
			Signer: homthu.Identity{Name: "Nguyễn Văn Hùng", Address: "Số 5, tổ dân phố Hòa Bình"}},
		{Content: "Về Chủ tịch UBND phường.", To: homthu.ToProvince, Subject: homthu.Subject{Position: "Chủ tịch UBND phường"}},
	}
	for i, l := range letters {
		key := "letter-" + string(rune('a'+i))
		seq, replay, err := a.RegisterLetter(ctx, ss["bct.hoabinh"], id, l, key)
		if err != nil || replay {
			t.Fatalf("RegisterLetter %d = %d, %v, %v", i, seq, replay, err)
		}
		if _, replay, err := a.RegisterLetter(ctx, ss["bct.hoabinh"], id, l, key); err != nil || !replay {
			t.Errorf("repeat of letter %d: replay %v, %v", i, replay, err)
		}
	}
	if _, _, err := a.RegisterLetter(ctx, ss["bct.hoabinh"], id, homthu.LetterInput{Content: "x", Signer: homthu.Identity{Name: "A"}}, "bad"); homthu.ErrorCode(err) != homthu.EINVALID {
		t.Errorf("an unsigned letter with a signer: %v", err)
	}
	draft, err := a.Opening(ctx, ss["bct.hoabinh"], id)
	if err != nil || len(draft.Letters) != 3 || draft.Letters[2].Hidden || draft.Letters[2].Content == "" {
		t.Fatalf("the committee's draft: %+v, %v", draft, err)
	}
	if d, _ := a.Opening(ctx, ss["mttq.hoalu"], id); !d.Letters[2].Hidden || d.Letters[2].Content != "" || d.Letters[0].Hidden {
		t.Errorf("the commune sees a draft letter addressed to the province: %+v", d.Letters)
	}

	// Sealing: the count must match; the committee seals.
	if err := a.SealOpening(ctx, ss["bct.hoabinh"], id, 2); homthu.ErrorCode(err) != homthu.ECONFLICT {
		t.Errorf("sealing with 2 counted for 3: %v", err)
	}
	if err := a.SealOpening(ctx, ss["bct.hoabinh"], id, 3); err != nil {
		t.Fatalf("SealOpening: %v", err)
	}
	if _, _, err := a.RegisterLetter(ctx, ss["bct.hoabinh"], id, letters[0], "late"); homthu.ErrorCode(err) != homthu.ECONFLICT {
		t.Errorf("a letter after sealing: %v", err)
	}

	// Who sees what of the sealed letters.
	for _, tt := range []struct {
		who    string
		hidden []bool
	}{
		{"bct.hoabinh", []bool{true, true, true}}, // no access to items
		{"mttq.hoalu", []bool{false, false, true}},
		{"mttq.tinh", []bool{false, false, false}},
		{"lanhdao", []bool{false, false, false}},
	} {
		o, err := a.Opening(ctx, ss[tt.who], id)
		if err != nil {
			t.Fatalf("Opening as %s: %v", tt.who, err)
		}
		for i, l := range o.Letters {
			if l.Hidden != tt.hidden[i] || (l.Hidden && l.Content != "") || (!l.Hidden && l.Content != letters[i].Content) {
				t.Errorf("%s sees letter %d: hidden %v, content %q", tt.who, i+1, l.Hidden, l.Content)
			}
		}
	}
	if _, err := a.Opening(ctx, ss["mttq.giavien"], id); homthu.ErrorCode(err) != homthu.ENOTFOUND {
		t.Errorf("another commune opens the minutes: %v", err)
	}
	if _, err := a.Opening(ctx, ss["ubkt"], id); homthu.ErrorCode(err) != homthu.EFORBIDDEN {
		t.Errorf("an agency opens the minutes: %v", err)
	}

	// The letters are paper items in the inboxes, the signed one with its
	// identity, sealed to its item.
	o, _ := a.Opening(ctx, ss["mttq.tinh"], id)
	items, _, err := a.Items(ctx, ss["mttq.hoalu"], homthu.ItemFilter{Channel: homthu.ChannelPaper})
	if err != nil || len(items) != 2 {
		t.Fatalf("the commune's paper items: %d, %v", len(items), err)
	}
	it, _, err := a.Item(ctx, ss["mttq.tinh"], o.Letters[2].ItemID)
	if err != nil || it.Unit != "37" || it.Area != "14329-001" || it.ReceivedOn != "2026-11-12" {
		t.Errorf("the letter to the province: %+v, %v", it, err)
	}
	sealed, err := a.Store.SealedIdentity(ctx, "14329", o.Letters[1].ItemID)
	if err != nil || sealed == nil {
		t.Fatalf("identity of the signed letter: %v", err)
	}
	b, err := a.Keys.Open(sealed, []byte("identity:"+o.Letters[1].ItemID))
	var who homthu.Identity
	if err != nil || json.Unmarshal(b, &who) != nil || who.Name != "Nguyễn Văn Hùng" {
		t.Errorf("identity opens to %+v, %v", who, err)
	}
	if o.Letters[0].Record == "" || !strings.Contains(o.Record, "letters 3\n") || !strings.Contains(o.Record, "Trần Thị Bình") ||
		strings.Contains(o.Record, "Nguyễn Văn Hùng") || strings.Contains(o.Record, "lấn chiếm") {
		t.Errorf("the minutes' record names no signer and holds no content:\n%s", o.Record)
	}

	// The transparency log: once sequenced and signed, the minutes prove.
	if _, err := a.ProofOfOpening(ctx, ss["bct.hoabinh"], id); err == nil {
		t.Errorf("a proof before any checkpoint")
	}
	if _, err := a.TransLog.Sequence(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := a.TransLog.Sign(ctx); err != nil {
		t.Fatal(err)
	}
	p, err := a.ProofOfOpening(ctx, ss["bct.hoabinh"], id)
	if err != nil {
		t.Fatalf("ProofOfOpening: %v", err)
	}
	_, leaf, err := translog.Verify(p.Bundle, e.vkey)
	if err != nil || leaf.Kind != translog.KindOpening || leaf.Unit != "14329-001" || leaf.Month != "2026-11" {
		t.Errorf("Verify = %+v, %v", leaf, err)
	}
	if translog.HashText([]byte(p.Record)) != p.Bundle.Opening.TextHash || p.Record != o.Record {
		t.Errorf("the proof's record does not hash to its text hash")
	}

	// Corrections: only Front staff; the time correction moves the month.
	corr := homthu.CorrectionInput{Kind: homthu.CorrectOpenedAt, OpenedAt: time.Date(2026, 10, 30, 9, 0, 0, 0, homthu.VNTime),
		Reason: "Biên bản ghi nhầm ngày mở"}
	if _, err := a.Correct(ctx, ss["bct.hoabinh"], id, corr); homthu.ErrorCode(err) != homthu.EFORBIDDEN {
		t.Errorf("committee corrects: %v", err)
	}
	if _, err := a.Correct(ctx, ss["mttq.giavien"], id, corr); homthu.ErrorCode(err) != homthu.ENOTFOUND {
		t.Errorf("another commune corrects: %v", err)
	}
	bad := corr
	bad.OpenedAt = time.Date(2024, 1, 1, 9, 0, 0, 0, homthu.VNTime)
	if _, err := a.Correct(ctx, ss["mttq.hoalu"], id, bad); homthu.ErrorCode(err) != homthu.EINVALID {
		t.Errorf("a correction to before the box existed: %v", err)
	}
	if _, err := a.Correct(ctx, ss["mttq.hoalu"], id, corr); err != nil {
		t.Fatalf("Correct: %v", err)
	}
	board, err := a.Compliance(ctx, ss["mttq.hoalu"], BoardRequest{Months: 2})
	if err != nil {
		t.Fatal(err)
	}
	if !board.ByArea || len(board.Rows) != 1 || board.Rows[0].Code != "14329-001" ||
		board.Rows[0].Statuses[0] != homthu.StatusLate || board.Rows[0].Statuses[1] != homthu.StatusOverdue {
		t.Errorf("commune board after the correction to 30 October: %+v", board.Rows)
	}

	// The other box is in no one's sight but its own commune's and above.
	if _, err := a.Mailbox(ctx, ss["mttq.hoalu"], other.ID); homthu.ErrorCode(err) != homthu.ENOTFOUND {
		t.Errorf("another commune's box: %v", err)
	}
	lb, err := a.Logbook(ctx, ss["bct.hoabinh"], box.ID, 2026)
	if err != nil || len(lb.Openings) != 1 || len(lb.Openings[0].Corrections) != 1 {
		t.Errorf("Logbook = %+v, %v", lb, err)
	}
}

func TestComplianceBoard(t *testing.T) {
	now := time.Date(2026, 11, 12, 10, 0, 0, 0, homthu.VNTime)
	e := newOpeningsEnv(t, now)
	ctx := context.Background()
	a, ss := e.a, e.sessions
	for _, u := range []string{"14329-001", "14329"} {
		if _, err := a.CreateMailbox(ctx, ss["mttq.tinh"], homthu.MailboxInput{Unit: u, Place: "Nhà văn hóa", InstalledOn: "2024-01-01", Day: 10}); err != nil {
			t.Fatal(err)
		}
	}
	board, err := a.Compliance(ctx, ss["lanhdao"], BoardRequest{Months: 3})
	if err != nil {
		t.Fatal(err)
	}
	if board.ByArea || len(board.Rows) != 2 || board.Rows[0].Code != "14329" || board.Rows[1].Code != "14330" || board.Rows[0].Areas != 1 {
		t.Fatalf("province rows = %+v", board.Rows)
	}
	if got := board.Rows[0].Tallies[2]; got != (homthu.Tally{Overdue: 1}) {
		t.Errorf("Hoa Lư in November = %+v, want 1 overdue (its own box is not counted)", got)
	}
	if got := board.Rows[1].Tallies[0]; got != (homthu.Tally{NoMailbox: 1}) {
		t.Errorf("Gia Viễn in September = %+v, want 1 without a mailbox", got)
	}
	if board.Focus.String() != "2026-10" || board.MissingTotal != 2 || board.Missing[0].Name != "Tổ dân phố Hòa Bình" ||
		board.Missing[0].CommuneName != "Phường Hoa Lư" || board.Missing[1].Status != homthu.StatusNoMailbox {
		t.Errorf("missing in October = %d %+v", board.MissingTotal, board.Missing)
	}
	page, err := a.Compliance(ctx, ss["lanhdao"], BoardRequest{Months: 3, Limit: 1})
	if err != nil || len(page.Missing) != 1 || page.NextOffset != 1 {
		t.Errorf("first page of missing = %+v, next %d, %v", page.Missing, page.NextOffset, err)
	}
	commune, err := a.Compliance(ctx, ss["mttq.tinh"], BoardRequest{Unit: "14329", Months: 3})
	if err != nil || !commune.ByArea || len(commune.Rows) != 2 || !commune.Rows[0].OwnBox || commune.Rows[1].Statuses[1] != homthu.StatusMissed {
		t.Errorf("commune board = %+v, %v", commune, err)
	}
	if _, err := a.Compliance(ctx, ss["mttq.hoalu"], BoardRequest{Unit: "14330"}); homthu.ErrorCode(err) != homthu.ENOTFOUND {
		t.Errorf("another commune's board: %v", err)
	}
	if _, err := a.Compliance(ctx, ss["bct.hoabinh"], BoardRequest{}); homthu.ErrorCode(err) != homthu.EFORBIDDEN {
		t.Errorf("committee's board: %v", err)
	}
	if _, err := a.Compliance(ctx, ss["lanhdao"], BoardRequest{Months: 25}); homthu.ErrorCode(err) != homthu.EINVALID {
		t.Errorf("25 months: %v", err)
	}
}

// TestRegisterLetterDropsPages: the pages of a letter that was not stored
// (a repeat, an invalid letter) are deleted, unless something uses them.
func TestRegisterLetterDropsPages(t *testing.T) {
	now := time.Date(2026, 11, 12, 10, 0, 0, 0, homthu.VNTime)
	e := newOpeningsEnv(t, now)
	ctx := context.Background()
	a, ss := e.a, e.sessions
	box, err := a.CreateMailbox(ctx, ss["mttq.hoalu"], homthu.MailboxInput{Unit: "14329-001", Place: "Nhà văn hóa", InstalledOn: "2024-01-01", Day: 10})
	if err != nil {
		t.Fatal(err)
	}
	id, err := a.StartOpening(ctx, ss["bct.hoabinh"], homthu.OpeningInput{Mailbox: box.ID, OpenedAt: now, Seal: homthu.SealIntact, Participants: witnesses}, "")
	if err != nil {
		t.Fatal(err)
	}
	put := func(s string) homthu.Attachment {
		h, err := a.Blobs.Put([]byte(s))
		if err != nil {
			t.Fatal(err)
		}
		return homthu.Attachment{SHA256: h, Name: "trang.jpg", Type: "image/jpeg", Size: int64(len(s))}
	}
	blobs := a.Blobs.(*upload.Blobs)
	kept := put("trang một")
	if _, _, err := a.RegisterLetter(ctx, ss["bct.hoabinh"], id, homthu.LetterInput{Content: "Thư", Pages: []homthu.Attachment{kept}}, "k"); err != nil {
		t.Fatal(err)
	}
	if _, replay, err := a.RegisterLetter(ctx, ss["bct.hoabinh"], id, homthu.LetterInput{Content: "Thư", Pages: []homthu.Attachment{kept}}, "k"); !replay || err != nil {
		t.Fatalf("repeat: %v, %v", replay, err)
	}
	invalid := put("trang của thư sai")
	if _, _, err := a.RegisterLetter(ctx, ss["bct.hoabinh"], id, homthu.LetterInput{Content: "", Pages: []homthu.Attachment{invalid}}, "k2"); err == nil {
		t.Fatal("an empty letter was saved")
	}
	for _, tt := range []struct {
		h    string
		want bool
	}{{kept.SHA256, true}, {invalid.SHA256, false}} {
		if ok, _ := blobs.Has(tt.h); ok != tt.want {
			t.Errorf("blob %s kept = %v, want %v", tt.h[:8], ok, tt.want)
		}
	}
	o, _ := a.Opening(ctx, ss["bct.hoabinh"], id)
	if err := a.RemoveLetter(ctx, ss["bct.hoabinh"], id, o.Letters[0].Seq); err != nil {
		t.Fatal(err)
	}
	if ok, _ := blobs.Has(kept.SHA256); ok {
		t.Errorf("the page of a removed letter was kept")
	}
	if err := a.DiscardOpening(ctx, ss["bct.hoabinh"], id); err != nil {
		t.Errorf("DiscardOpening(empty) = %v", err)
	}
}
