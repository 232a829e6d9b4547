package cli

import (
	"context"
	"fmt"
	"hash/fnv"
	"time"

	"homthu/internal/app"
	"homthu/internal/homthu"
)

// The demo's paper mailboxes (issue 8): a box in the areas of most demo
// communes (a few communes have none yet, so that the board shows "chưa có
// hòm thư" beside real shares), a few damaged or removed, and twelve months
// of openings recorded through the app as the area committees would —
// most on time, some late, some missed, a few with letters — so that the
// compliance board, the logbooks and the inbox's paper letters are full on
// a fresh start.

// demoHash is a stable pseudo-random number for a demo choice: the same
// area and month always draw the same, so two demo loads are alike.
func demoHash(parts ...string) uint32 {
	h := fnv.New32a()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return h.Sum32()
}

var demoChairs = []string{"Nguyễn Văn Hải", "Trần Thị Lan", "Phạm Văn Đức", "Lê Thị Hằng", "Đinh Văn Toàn", "Vũ Thị Hoa", "Hoàng Văn Nam", "Bùi Thị Thu"}
var demoWitnesses = []string{"Đỗ Văn Minh", "Ngô Thị Mai", "Phan Văn Long", "Trịnh Thị Yến", "Mai Văn Thắng", "Lương Thị Nga", "Tạ Văn Sơn", "Cao Thị Hiền"}

// demoOpenings registers the boxes and records the openings, with a the
// app whose clock it sets to each opening's time while it records it (the
// demo loads before serve starts serving), and returns what it made.
func demoOpenings(ctx context.Context, a *app.App, front *homthu.Session, communes []homthu.Unit, areas map[string][]homthu.Unit) (boxes, openings, letters int, err error) {
	realNow := a.Now
	defer func() { a.Now = realNow }()
	now := time.Now()
	if realNow != nil {
		now = realNow()
	}
	this := homthu.MonthOf(now)
	first := this.Add(-12)
	days := []int{5, 10, 15, 20, 25, 0}
	for ci, cm := range communes {
		if ci%11 == 10 && cm.Code != "14329" {
			continue // no box registered yet in this commune
		}
		for _, area := range areas[cm.Code] {
			h := demoHash(area.Code)
			if h%23 == 0 {
				continue // this area has no box yet
			}
			installed := first.Add(-int(h%20) - 1)
			if h%17 == 0 {
				installed = first.Add(4 + int(h%3)) // installed during the year
			}
			in := homthu.MailboxInput{Unit: area.Code, Place: "Nhà văn hóa " + homthu.LowerKind(area.FullName), Day: days[h%uint32(len(days))],
				InstalledOn: fmt.Sprintf("%04d-%02d-%02d", installed.Year, int(installed.Month), 1+h%27)}
			if h%7 == 3 {
				in.Place = "Cổng nhà văn hóa " + homthu.LowerKind(area.FullName)
			}
			a.Now = realNow
			m, err := a.CreateMailbox(ctx, front, in)
			if err != nil {
				return 0, 0, 0, fmt.Errorf("demo mailbox %s: %w", area.Code, err)
			}
			boxes++
			o, l, err := demoYear(ctx, a, front, m, first, now)
			if err != nil {
				return 0, 0, 0, err
			}
			openings, letters = openings+o, letters+l
			a.Now = realNow
			switch {
			case h%29 == 5: // a broken lock, still opened
				in.Status, in.Note = homthu.MailboxDamaged, "Khóa hòm bị gỉ, đã đề nghị thay."
				_, err = a.UpdateMailbox(ctx, front, m.ID, in)
			case h%97 == 11: // taken down at the start of this month
				in.Status, in.RemovedOn, in.Note = homthu.MailboxRemoved, fmt.Sprintf("%04d-%02d-01", this.Year, int(this.Month)), "Nhà văn hóa đang sửa chữa."
				_, err = a.UpdateMailbox(ctx, front, m.ID, in)
			}
			if err != nil {
				return 0, 0, 0, fmt.Errorf("demo mailbox %s: %w", area.Code, err)
			}
		}
	}
	return boxes, openings, letters, nil
}

// demoYear records the openings of one box from first to now: for each
// month, on time (most), late, or missed, and a letter now and then.
func demoYear(ctx context.Context, a *app.App, front *homthu.Session, m *homthu.Mailbox, first homthu.Month, now time.Time) (openings, letters int, err error) {
	installed, _ := time.ParseInLocation(time.DateOnly, m.InstalledOn, homthu.VNTime)
	for month := first; month.Index() <= homthu.MonthOf(now).Index(); month = month.Add(1) {
		h := demoHash(m.Unit, month.String())
		deadline := m.Day
		if deadline == 0 || deadline > month.Days() {
			deadline = min(month.Days(), 28)
		}
		day := max(1, deadline-int(h%4))
		switch r := h % 100; {
		case r >= 90:
			continue // missed
		case r >= 80 && m.Day != 0:
			day = min(month.Days(), deadline+2+int(h%7)) // late
		}
		at := time.Date(month.Year, month.Month, day, 7+int(h%3), int(h%4)*15, 0, 0, homthu.VNTime)
		if at.Before(installed) || at.After(now.Add(-time.Hour)) {
			continue
		}
		a.Now = func() time.Time { return at.Add(5 * time.Minute) }
		ps := []homthu.Participant{
			{Name: demoChairs[h%uint32(len(demoChairs))], Role: "Trưởng ban Công tác Mặt trận", Chair: true},
			{Name: demoWitnesses[h%uint32(len(demoWitnesses))], Role: "Bí thư Chi bộ"},
			{Name: demoWitnesses[(h/8)%uint32(len(demoWitnesses))], Role: "Trưởng khu dân cư"},
		}
		if h%5 == 0 {
			ps = append(ps, homthu.Participant{Name: demoChairs[(h/8)%uint32(len(demoChairs))], Role: "Chi hội trưởng", Org: "Chi hội Phụ nữ"})
		}
		seal := homthu.SealIntact
		note := ""
		if h%61 == 7 {
			seal, note = homthu.SealBroken, "Khóa bị cạy, niêm phong rách; đã báo Ban Thường trực Ủy ban MTTQ."
		}
		id, err := a.StartOpening(ctx, front, homthu.OpeningInput{Mailbox: m.ID, OpenedAt: at, Seal: seal, SealNote: note, Participants: ps}, "")
		if err != nil {
			return 0, 0, fmt.Errorf("demo opening %s %s: %w", m.Unit, month, err)
		}
		n := 0
		switch r := (h / 100) % 100; {
		case r < 3:
			n = 2
		case r < 16:
			n = 1
		}
		for i := 0; i < n; i++ {
			d := demoLetters[(h/7+uint32(i))%uint32(len(demoLetters))]
			in := homthu.LetterInput{Content: d.content, Subject: homthu.Subject{Name: d.name, Position: d.position, Workplace: d.workplace}}
			if (h/3+uint32(i))%4 == 0 {
				in.Signed, in.Signer = true, homthu.Identity{Name: demoWitnesses[(h/5+uint32(i))%uint32(len(demoWitnesses))], Address: m.UnitName}
			}
			if _, _, err := a.RegisterLetter(ctx, front, id, in, ""); err != nil {
				return 0, 0, fmt.Errorf("demo letter %s %s: %w", m.Unit, month, err)
			}
		}
		a.Now = func() time.Time { return at.Add(40 * time.Minute) }
		if err := a.SealOpening(ctx, front, id, n); err != nil {
			return 0, 0, fmt.Errorf("demo seal %s %s: %w", m.Unit, month, err)
		}
		openings, letters = openings+1, letters+n
	}
	return openings, letters, nil
}
