package store

import (
	"context"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"homthu/internal/homthu"
)

// Openings of mailboxes (issue 8). While an opening is open its rows change
// freely; SealOpening turns it, in one transaction, into sealed minutes:
// each draft letter becomes a feedback item (CreateItem, the submission
// path), every letter and the minutes get their transparency-log leaves,
// and every row is marked sealed, after which the database's triggers
// (migration 0040) refuse any UPDATE or DELETE of it.

var errSealed = homthu.Errorf(homthu.ECONFLICT, "Biên bản lần mở hòm thư này đã niêm phong: không sửa được nữa. Nếu có sai sót, cán bộ Mặt trận xã ghi đính chính.")

// NewOpening is an opening ready to be started: validated by the caller.
type NewOpening struct {
	Mailbox      int64
	OpenedAt     time.Time
	Seal         homthu.SealState
	SealNote     string
	Participants []homthu.Participant
	// StartKey is a keyed hash of the account and the client's request
	// key: a repeated start with it returns the opening it made. Nil: none.
	StartKey []byte
	By       int64
	ByName   string
}

// StartOpening starts an opening of a box in service and returns its id;
// replay is true when StartKey had already started it. A box has at most
// one open opening at a time (ECONFLICT).
func (s *Store) StartOpening(ctx context.Context, o *NewOpening) (id int64, replay bool, err error) {
	err = s.Batch(ctx, func(tx *Tx) error {
		id, replay = 0, false
		if o.StartKey != nil {
			err := tx.QueryRow(ctx, `SELECT id FROM openings WHERE start_key = ?`, o.StartKey).Scan(&id)
			if err == nil {
				replay = true
				return nil
			} else if !errors.Is(err, sql.ErrNoRows) {
				return err
			}
		}
		var unit string
		var status homthu.MailboxStatus
		var removed sql.NullString
		err := tx.QueryRow(ctx, `SELECT unit, status, removed_on FROM mailboxes WHERE id = ?`, o.Mailbox).Scan(&unit, &status, &removed)
		if errors.Is(err, sql.ErrNoRows) {
			return homthu.Errorf(homthu.ENOTFOUND, "Không tìm thấy hòm thư này.")
		} else if err != nil {
			return err
		}
		if status == homthu.MailboxRemoved && homthu.Today(o.OpenedAt) >= removed.String {
			return homthu.Errorf(homthu.EINVALID, "Hòm thư này đã gỡ bỏ từ ngày %s.", homthu.DayLabel(removed.String))
		}
		var open int64
		err = tx.QueryRow(ctx, `SELECT id FROM openings WHERE mailbox = ? AND state = 'open'`, o.Mailbox).Scan(&open)
		if err == nil {
			return &OpenConflict{Opening: open}
		} else if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if err := tx.QueryRow(ctx, `INSERT INTO openings (mailbox, unit, opened_at, seal, seal_note, state, start_key, created, created_by, created_name)
VALUES (?, ?, ?, ?, ?, 'open', ?, ?, ?, ?) RETURNING id`, o.Mailbox, unit, o.OpenedAt.UnixMilli(), string(o.Seal), o.SealNote, o.StartKey,
			s.now().UnixMilli(), nullID(o.By), o.ByName).Scan(&id); err != nil {
			return err
		}
		return insertParticipants(ctx, tx, id, o.Participants)
	})
	return id, replay, wrapErr("store.StartOpening", err)
}

// OpenConflict is the error of starting a second opening of a box while one
// is open: Opening is the open one, to continue.
type OpenConflict struct{ Opening int64 }

func (e *OpenConflict) Error() string { return "store: the mailbox has an open opening" }

// Unwrap makes it an ECONFLICT domain error with a Vietnamese message.
func (e *OpenConflict) Unwrap() error {
	return homthu.Errorf(homthu.ECONFLICT, "Hòm thư này đang có một lần mở chưa niêm phong biên bản (số %d): hãy tiếp tục lần mở đó.", e.Opening)
}

func insertParticipants(ctx context.Context, tx *Tx, opening int64, ps []homthu.Participant) error {
	for i, p := range ps {
		if _, err := tx.Exec(ctx, `INSERT INTO opening_participants (opening, pos, name, role, org, chair) VALUES (?, ?, ?, ?, ?, ?)`,
			opening, i, p.Name, p.Role, p.Org, p.Chair); err != nil {
			return err
		}
	}
	return nil
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// lockOpen takes the openings lock (PostgreSQL) and checks that the
// opening exists and is open.
func lockOpen(ctx context.Context, tx *Tx, id int64) error {
	if l := tx.d.lockOpenings(); l != "" {
		if _, err := tx.Exec(ctx, l); err != nil {
			return err
		}
	}
	var state homthu.OpeningState
	err := tx.QueryRow(ctx, `SELECT state FROM openings WHERE id = ?`, id).Scan(&state)
	if errors.Is(err, sql.ErrNoRows) {
		return homthu.Errorf(homthu.ENOTFOUND, "Không tìm thấy lần mở hòm thư này.")
	} else if err != nil {
		return err
	}
	if state != homthu.OpeningOpen {
		return errSealed
	}
	return nil
}

// UpdateOpening changes an open opening's time, seal state and
// participants.
func (s *Store) UpdateOpening(ctx context.Context, id int64, in *homthu.OpeningInput) error {
	err := s.Batch(ctx, func(tx *Tx) error {
		if err := lockOpen(ctx, tx, id); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE openings SET opened_at = ?, seal = ?, seal_note = ? WHERE id = ?`,
			in.OpenedAt.UnixMilli(), string(in.Seal), in.SealNote, id); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM opening_participants WHERE opening = ?`, id); err != nil {
			return err
		}
		return insertParticipants(ctx, tx, id, in.Participants)
	})
	return wrapErr("store.UpdateOpening", err)
}

// DeleteOpening discards an open opening with no letter (started by
// mistake). An opening with letters is sealed, never discarded: the letters
// were received.
func (s *Store) DeleteOpening(ctx context.Context, id int64) error {
	err := s.Batch(ctx, func(tx *Tx) error {
		if err := lockOpen(ctx, tx, id); err != nil {
			return err
		}
		var n int
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM opening_letters WHERE opening = ?`, id).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return homthu.Errorf(homthu.ECONFLICT, "Lần mở này đã đăng ký %d thư nên không hủy được: hãy kết thúc và niêm phong biên bản.", n)
		}
		if _, err := tx.Exec(ctx, `DELETE FROM opening_participants WHERE opening = ?`, id); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `DELETE FROM openings WHERE id = ?`, id)
		return err
	})
	return wrapErr("store.DeleteOpening", err)
}

// NewLetter is a letter ready to be registered at an open opening.
type NewLetter struct {
	Opening  int64
	ItemID   string // drawn now; the item is created at sealing
	Key      string // the client's key: a repeat with it is the same letter
	BodyHash []byte // of the request, to tell a repeat from another letter under the same key
	In       homthu.LetterInput
	Identity []byte // the signer's identity sealed to ItemID, nil when not signed
	By       int64
	At       time.Time
}

// AddLetter saves a letter at an open opening and returns its seq; replay
// is true when the key had already saved it (nothing new is stored), and
// the same key with another letter is ECONFLICT.
func (s *Store) AddLetter(ctx context.Context, l *NewLetter) (seq int, replay bool, err error) {
	err = s.Batch(ctx, func(tx *Tx) error {
		seq, replay = 0, false
		var hash []byte
		err := tx.QueryRow(ctx, `SELECT seq, body_hash FROM opening_letters WHERE opening = ? AND client_key = ?`, l.Opening, l.Key).Scan(&seq, &hash)
		if err == nil {
			if string(hash) != string(l.BodyHash) {
				return homthu.Errorf(homthu.ECONFLICT, "Mã yêu cầu (key) này đã được dùng cho một thư khác của lần mở này.")
			}
			replay = true
			return nil
		} else if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if err := lockOpen(ctx, tx, l.Opening); err != nil {
			return err
		}
		var n int
		if err := tx.QueryRow(ctx, `SELECT COUNT(*), COALESCE(MAX(seq), 0) + 1 FROM opening_letters WHERE opening = ?`, l.Opening).Scan(&n, &seq); err != nil {
			return err
		}
		if n >= homthu.MaxLetters {
			return homthu.Errorf(homthu.EINVALID, "Một lần mở đăng ký tối đa %d thư.", homthu.MaxLetters)
		}
		in := &l.In
		if _, err := tx.Exec(ctx, `INSERT INTO opening_letters (opening, seq, item, client_key, body_hash, content, full_text, signed, addressed,
    subject_name, subject_position, subject_workplace, identity, pages, registered, registered_by)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, l.Opening, seq, l.ItemID, l.Key, l.BodyHash, in.Content, in.Full, in.Signed,
			string(in.To), in.Subject.Name, in.Subject.Position, in.Subject.Workplace, l.Identity, len(in.Pages), l.At.UnixMilli(), nullID(l.By)); err != nil {
			return err
		}
		for i, p := range in.Pages {
			if _, err := tx.Exec(ctx, `INSERT INTO opening_pages (opening, seq, page, sha256, name, type, size) VALUES (?, ?, ?, ?, ?, ?, ?)`,
				l.Opening, seq, i, p.SHA256, p.Name, p.Type, p.Size); err != nil {
				return err
			}
		}
		return nil
	})
	return seq, replay, wrapErr("store.AddLetter", err)
}

// RemoveLetter removes a draft letter from an open opening (registered
// twice by mistake, say) and returns the hashes of its pages that nothing
// else references any more, for the caller to delete.
func (s *Store) RemoveLetter(ctx context.Context, opening int64, seq int) ([]string, error) {
	var orphans []string
	err := s.Batch(ctx, func(tx *Tx) error {
		orphans = nil
		if err := lockOpen(ctx, tx, opening); err != nil {
			return err
		}
		hashes, err := collect(ctx, tx, `SELECT sha256 FROM opening_pages WHERE opening = ? AND seq = ?`, opening, seq)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM opening_pages WHERE opening = ? AND seq = ?`, opening, seq); err != nil {
			return err
		}
		res, err := tx.Exec(ctx, `DELETE FROM opening_letters WHERE opening = ? AND seq = ?`, opening, seq)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return homthu.Errorf(homthu.ENOTFOUND, "Không có thư này trong lần mở.")
		}
		for _, h := range hashes {
			used, err := blobUsed(ctx, tx, h)
			if err != nil {
				return err
			}
			if !used {
				orphans = append(orphans, h)
			}
		}
		return nil
	})
	return orphans, wrapErr("store.RemoveLetter", err)
}

// BlobUsed reports whether an attachment or a draft page references the
// blob, so that a blob uploaded for a request that was then not stored (a
// repeated letter) is deleted only if nothing else uses it.
func (s *Store) BlobUsed(ctx context.Context, sha256 string) (bool, error) {
	var used bool
	err := s.Transact(ctx, func(tx *Tx) error {
		var err error
		used, err = blobUsed(ctx, tx, sha256)
		return err
	})
	return used, wrapErr("store.BlobUsed", err)
}

func blobUsed(ctx context.Context, tx *Tx, sha256 string) (bool, error) {
	var n int
	err := tx.QueryRow(ctx, `SELECT (SELECT COUNT(*) FROM attachments WHERE sha256 = ?) + (SELECT COUNT(*) FROM opening_pages WHERE sha256 = ?)`,
		sha256, sha256).Scan(&n)
	return n > 0, err
}

// SealDraft is an open opening as it stands inside the sealing transaction.
type SealDraft struct {
	Opening *homthu.Opening // with participants and letters (content, subject, pages)
	// Identities are the sealed signer identities of the letters, by seq.
	Identities map[int][]byte
	Day        int // the box's scheduled day now
	Number     int // the number the minutes get
}

// SealPlan is what sealing writes, built by the caller from the SealDraft.
type SealPlan struct {
	Items   []*NewItem // one per letter, in the letters' order
	Letters []SealedLetter
	Record  string
	Salt    []byte
	Leaf    []byte
	OnTime  bool
	At      time.Time
	By      int64
	ByName  string
}

// SealedLetter is one letter's sealed record.
type SealedLetter struct {
	Seq    int
	Number int
	Record string
	Salt   []byte
	Leaf   []byte
	ItemID string
}

// SealOpening closes an open opening and seals its minutes. letters is the
// number of letters the person sealing counted in the box: if it differs
// from the letters registered, nothing happens (ECONFLICT). build makes the
// plan from the draft as it is inside the transaction; it may be called more
// than once and must keep nothing between calls.
func (s *Store) SealOpening(ctx context.Context, id int64, letters int, build func(d *SealDraft) (*SealPlan, error)) error {
	err := s.Batch(ctx, func(tx *Tx) error {
		if err := lockOpen(ctx, tx, id); err != nil {
			return err
		}
		o, err := findOpening(ctx, tx, id)
		if err != nil {
			return err
		}
		if len(o.Letters) != letters {
			return homthu.Errorf(homthu.ECONFLICT, "Số thư đếm được trong hòm (%d) khác số thư đã đăng ký (%d): xin đăng ký đủ từng thư, hoặc đếm lại, rồi mới niêm phong.",
				letters, len(o.Letters))
		}
		d := &SealDraft{Opening: o, Identities: map[int][]byte{}}
		if err := draftDetails(ctx, tx, d); err != nil {
			return err
		}
		year := homthu.MonthOf(o.OpenedAt).Year
		if err := tx.QueryRow(ctx, `SELECT COALESCE(MAX(number), 0) + 1 FROM openings WHERE unit = ? AND year = ?`, o.Unit, year).Scan(&d.Number); err != nil {
			return err
		}
		p, err := build(d)
		if err != nil {
			return err
		}
		if len(p.Items) != len(o.Letters) || len(p.Letters) != len(o.Letters) {
			return fmt.Errorf("seal plan has %d items and %d letters for %d letters", len(p.Items), len(p.Letters), len(o.Letters))
		}
		for _, it := range p.Items {
			if err := CreateItem(ctx, tx, it); err != nil {
				return err
			}
		}
		if _, err := tx.Exec(ctx, `DELETE FROM opening_pages WHERE opening = ?`, id); err != nil {
			return err
		}
		for _, l := range p.Letters {
			if _, err := tx.Exec(ctx, `UPDATE opening_letters SET number = ?, record = ?, commit_salt = ?, content = '', subject_name = '',
    subject_position = '', subject_workplace = '', identity = NULL, sealed = TRUE WHERE opening = ? AND seq = ?`,
				l.Number, l.Record, l.Salt, id, l.Seq); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, insertPendingSQL, l.Leaf, "letter:"+l.ItemID, 0); err != nil {
				return err
			}
		}
		if _, err := tx.Exec(ctx, `UPDATE opening_participants SET sealed = TRUE WHERE opening = ?`, id); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE openings SET state = 'sealed', sealed_at = ?, sealed_by = ?, sealed_name = ?, year = ?, number = ?,
    letters = ?, on_time = ?, day = ?, record = ?, commit_salt = ? WHERE id = ?`, p.At.UnixMilli(), nullID(p.By), p.ByName, year, d.Number,
			len(o.Letters), p.OnTime, d.Day, p.Record, p.Salt, id); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, insertPendingSQL, p.Leaf, "opening:"+strconv.FormatInt(id, 10), 0); err != nil {
			return err
		}
		return recomputeMarks(ctx, tx, o.Mailbox)
	})
	return wrapErr("store.SealOpening", err)
}

// draftDetails fills, for sealing, the letters' pages and identities and
// the box's scheduled day.
func draftDetails(ctx context.Context, tx *Tx, d *SealDraft) error {
	o := d.Opening
	if err := tx.QueryRow(ctx, `SELECT day FROM mailboxes WHERE id = ?`, o.Mailbox).Scan(&d.Day); err != nil {
		return err
	}
	rows, err := tx.Query(ctx, `SELECT seq, identity FROM opening_letters WHERE opening = ? AND identity IS NOT NULL`, o.ID)
	if err != nil {
		return err
	}
	for rows.Next() {
		var seq int
		var id []byte
		if err := rows.Scan(&seq, &id); err != nil {
			rows.Close()
			return err
		}
		d.Identities[seq] = id
	}
	rows.Close()
	return rows.Err()
}

// recomputeMarks derives a box's marks from its sealed openings and their
// corrections of the time (homthu.Marks) and stores them.
func recomputeMarks(ctx context.Context, tx *Tx, mailbox int64) error {
	rows, err := tx.Query(ctx, `SELECT o.opened_at, o.day, (SELECT c.opened_at FROM opening_corrections c
    WHERE c.opening = o.id AND c.kind = 'opened_at' ORDER BY c.id DESC LIMIT 1)
FROM openings o WHERE o.mailbox = ? AND o.state = 'sealed'`, mailbox)
	if err != nil {
		return err
	}
	var marks []homthu.OpeningMark
	for rows.Next() {
		var at int64
		var day int
		var corrected sql.NullInt64
		if err := rows.Scan(&at, &day, &corrected); err != nil {
			rows.Close()
			return err
		}
		if corrected.Valid {
			at = corrected.Int64
		}
		marks = append(marks, homthu.OpeningMark{At: time.UnixMilli(at), Day: day})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	_, err = tx.Exec(ctx, `UPDATE mailboxes SET marks = ? WHERE id = ?`, homthu.Marks(marks), mailbox)
	return err
}

// NewCorrection is a correction ready to be stored with its leaf.
type NewCorrection struct {
	C        homthu.Correction // Record and At filled
	AuthorID int64
	Salt     []byte
	Leaf     []byte
}

// AddCorrection stores a correction of a sealed opening and its log leaf,
// and, for a correction of the time, recomputes the box's marks.
func (s *Store) AddCorrection(ctx context.Context, c *NewCorrection) (int64, error) {
	var id int64
	err := s.Batch(ctx, func(tx *Tx) error {
		if l := tx.d.lockOpenings(); l != "" {
			if _, err := tx.Exec(ctx, l); err != nil {
				return err
			}
		}
		var state homthu.OpeningState
		var mailbox int64
		err := tx.QueryRow(ctx, `SELECT state, mailbox FROM openings WHERE id = ?`, c.C.Opening).Scan(&state, &mailbox)
		if errors.Is(err, sql.ErrNoRows) {
			return homthu.Errorf(homthu.ENOTFOUND, "Không tìm thấy lần mở hòm thư này.")
		} else if err != nil {
			return err
		}
		if state != homthu.OpeningSealed {
			return homthu.Errorf(homthu.ECONFLICT, "Biên bản chưa niêm phong: hãy sửa trực tiếp, không cần đính chính.")
		}
		if err := tx.QueryRow(ctx, `INSERT INTO opening_corrections (opening, kind, letter, opened_at, body, reason, author, author_name, at, record, commit_salt)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, c.C.Opening, string(c.C.Kind), c.C.Letter, ms(c.C.OpenedAt), c.C.Body, c.C.Reason,
			nullID(c.AuthorID), c.C.By, c.C.At.UnixMilli(), c.C.Record, c.Salt).Scan(&id); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, insertPendingSQL, c.Leaf, "correction:"+strconv.FormatInt(id, 10), 0); err != nil {
			return err
		}
		if c.C.Kind == homthu.CorrectOpenedAt {
			return recomputeMarks(ctx, tx, mailbox)
		}
		return nil
	})
	return id, wrapErr("store.AddCorrection", err)
}

const openingCols = `o.id, o.mailbox, o.unit, u.kind, u.full_name, COALESCE(c.full_name, ''), m.place, o.opened_at, o.seal, o.seal_note, o.state,
    o.created, o.created_name, o.sealed_at, COALESCE(o.sealed_name, ''), COALESCE(o.number, 0), COALESCE(o.letters, 0),
    COALESCE(o.on_time, FALSE), COALESCE(o.day, 0), COALESCE(o.record, ''), u.path`

const openingFrom = ` FROM openings o JOIN mailboxes m ON m.id = o.mailbox JOIN units u ON u.code = o.unit
    LEFT JOIN units c ON c.code = CASE WHEN u.kind = 'area' THEN u.parent ELSE u.code END `

func scanOpening(sc interface{ Scan(...any) error }) (*homthu.Opening, string, error) {
	var o homthu.Opening
	var opened, created int64
	var sealed sql.NullInt64
	var path string
	if err := sc.Scan(&o.ID, &o.Mailbox, &o.Unit, &o.UnitKind, &o.UnitName, &o.CommuneName, &o.Place, &opened, &o.Seal, &o.SealNote, &o.State,
		&created, &o.CreatedBy, &sealed, &o.SealedBy, &o.Number, &o.LetterCount, &o.OnTime, &o.Day, &o.Record, &path); err != nil {
		return nil, "", err
	}
	o.OpenedAt = time.UnixMilli(opened)
	o.Month = homthu.MonthOf(o.OpenedAt).String()
	o.Created = time.UnixMilli(created)
	o.SealedAt = fromMS(sealed)
	o.LeafIndex = -1
	return &o, path, nil
}

// FindOpening returns an opening whose unit is scope or below it ("" for
// any scope) with its participants, letters and corrections; outside the
// scope it is ENOTFOUND. A sealed letter's text and person concerned come
// from its item, with the item's addressee scope in Letter.Scope, so that
// the caller shows them only to a reader whose scope includes it.
func (s *Store) FindOpening(ctx context.Context, scope string, id int64) (*homthu.Opening, error) {
	lo, hi := "/", "0"
	if scope != "" {
		var err error
		if lo, hi, err = s.scopeRange(ctx, scope); err != nil {
			return nil, err
		}
	}
	o, path, err := scanOpening(s.queryRow(ctx, `SELECT `+openingCols+openingFrom+`WHERE o.id = ? AND u.path >= ? AND u.path < ?`, id, lo, hi))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, homthu.Errorf(homthu.ENOTFOUND, "Không tìm thấy lần mở hòm thư này.")
	} else if err != nil {
		return nil, fmt.Errorf("store.FindOpening: %w", err)
	}
	if err := openingDetails(ctx, readPool{s}, o, path); err != nil {
		return nil, fmt.Errorf("store.FindOpening: %w", err)
	}
	if o.Sealed() {
		if i, err := s.TransLog().LeafIndex(ctx, "opening:"+strconv.FormatInt(id, 10)); err == nil {
			o.LeafIndex = i
		}
	}
	return o, nil
}

func findOpening(ctx context.Context, tx *Tx, id int64) (*homthu.Opening, error) {
	o, path, err := scanOpening(tx.QueryRow(ctx, `SELECT `+openingCols+openingFrom+`WHERE o.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, homthu.Errorf(homthu.ENOTFOUND, "Không tìm thấy lần mở hòm thư này.")
	} else if err != nil {
		return nil, err
	}
	return o, openingDetails(ctx, tx, o, path)
}

// openingDetails fills an opening's participants, letters (with pages for
// drafts, the item's text for sealed letters) and corrections.
func openingDetails(ctx context.Context, q rowQuerier, o *homthu.Opening, path string) error {
	rows, err := q.Query(ctx, `SELECT name, role, org, chair FROM opening_participants WHERE opening = ? ORDER BY pos`, o.ID)
	if err != nil {
		return err
	}
	for rows.Next() {
		var p homthu.Participant
		if err := rows.Scan(&p.Name, &p.Role, &p.Org, &p.Chair); err != nil {
			rows.Close()
			return err
		}
		o.Participants = append(o.Participants, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}

	// The addressee's scope of a draft letter: the area's commune, or the
	// province (homthu.Level).
	codes := splitPath(path)
	commune, province := path, "/"+codes[0]+"/"
	if o.UnitKind == homthu.KindArea {
		commune = joinPath(codes[:len(codes)-1])
	}
	rows, err = q.Query(ctx, `SELECT l.seq, COALESCE(l.number, 0), l.item, l.content, l.full_text, l.signed, l.addressed, l.subject_name,
    l.subject_position, l.subject_workplace, l.pages, l.registered, COALESCE(l.record, ''),
    COALESCE(i.content, ''), COALESCE(i.subject_name, ''), COALESCE(i.subject_position, ''), COALESCE(i.subject_workplace, ''), COALESCE(i.scope, '')
FROM opening_letters l LEFT JOIN items i ON i.id = l.item AND l.sealed = TRUE
WHERE l.opening = ? ORDER BY l.seq`, o.ID)
	if err != nil {
		return err
	}
	for rows.Next() {
		var l homthu.Letter
		var at int64
		var ic, isn, isp, isw, iscope string
		if err := rows.Scan(&l.Seq, &l.Number, &l.ItemID, &l.Content, &l.Full, &l.Signed, &l.To, &l.Subject.Name, &l.Subject.Position,
			&l.Subject.Workplace, &l.PageCount, &at, &l.Record, &ic, &isn, &isp, &isw, &iscope); err != nil {
			rows.Close()
			return err
		}
		l.RegisteredAt = time.UnixMilli(at)
		if o.Sealed() {
			l.Content, l.Subject, l.Scope = ic, homthu.Subject{Name: isn, Position: isp, Workplace: isw}, iscope
		} else if l.To == homthu.ToProvince {
			l.Scope = province
		} else {
			l.Scope = commune
		}
		o.Letters = append(o.Letters, l)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	if !o.Sealed() {
		rows, err = q.Query(ctx, `SELECT seq, sha256, name, type, size FROM opening_pages WHERE opening = ? ORDER BY seq, page`, o.ID)
		if err != nil {
			return err
		}
		bySeq := map[int]*homthu.Letter{}
		for i := range o.Letters {
			bySeq[o.Letters[i].Seq] = &o.Letters[i]
		}
		for rows.Next() {
			var seq int
			var a homthu.Attachment
			if err := rows.Scan(&seq, &a.SHA256, &a.Name, &a.Type, &a.Size); err != nil {
				rows.Close()
				return err
			}
			if l := bySeq[seq]; l != nil {
				l.Pages = append(l.Pages, a)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for i := range o.Letters {
			o.Letters[i].Number = i + 1
		}
	}

	rows, err = q.Query(ctx, `SELECT id, kind, letter, opened_at, body, reason, author_name, at, record FROM opening_corrections
WHERE opening = ? ORDER BY id LIMIT 200`, o.ID)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		c := homthu.Correction{Opening: o.ID}
		var openedAt sql.NullInt64
		var at int64
		if err := rows.Scan(&c.ID, &c.Kind, &c.Letter, &openedAt, &c.Body, &c.Reason, &c.By, &at, &c.Record); err != nil {
			return err
		}
		c.OpenedAt, c.At = fromMS(openedAt), time.UnixMilli(at)
		o.Corrections = append(o.Corrections, c)
	}
	return rows.Err()
}

// OpeningCommitment returns the committed record and the salt of a sealed
// opening (ref "opening:ID"), letter ("letter:ITEM") or correction
// ("correction:ID"), for its proof.
func (s *Store) OpeningCommitment(ctx context.Context, ref string) (record string, salt []byte, err error) {
	kind, key, _ := strings.Cut(ref, ":")
	var q string
	switch kind {
	case "opening":
		q = `SELECT record, commit_salt FROM openings WHERE state = 'sealed' AND id = ?`
	case "letter":
		q = `SELECT record, commit_salt FROM opening_letters WHERE sealed = TRUE AND item = ?`
	case "correction":
		q = `SELECT record, commit_salt FROM opening_corrections WHERE id = ?`
	default:
		return "", nil, homthu.Errorf(homthu.EINVALID, "Tham chiếu %q không hợp lệ.", ref)
	}
	var arg any = key
	if kind != "letter" {
		n, err := strconv.ParseInt(key, 10, 64)
		if err != nil {
			return "", nil, homthu.Errorf(homthu.EINVALID, "Tham chiếu %q không hợp lệ.", ref)
		}
		arg = n
	}
	err = s.queryRow(ctx, q, arg).Scan(&record, &salt)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil, homthu.Errorf(homthu.ENOTFOUND, "Không có bản ghi đã niêm phong %q.", ref)
	} else if err != nil {
		return "", nil, fmt.Errorf("store.OpeningCommitment: %w", err)
	}
	return record, salt, nil
}

// OpeningFilter selects openings. Scope is mandatory.
type OpeningFilter struct {
	Scope   string
	Unit    string // optional narrowing inside Scope
	Mailbox int64
	State   homthu.OpeningState
	From    time.Time // opened at or after
	To      time.Time // opened before
	Limit   int
	Cursor  string
}

// ListOpenings returns a page of openings in scope, the latest first, with
// their letter counts (registered so far for open ones) but not their
// letters, and the cursor of the next page.
func (s *Store) ListOpenings(ctx context.Context, f OpeningFilter) ([]*homthu.Opening, string, error) {
	lo, hi, err := s.narrowScope(ctx, f.Scope, f.Unit)
	if err != nil {
		return nil, "", err
	}
	if f.Limit <= 0 || f.Limit > 200 {
		f.Limit = 50
	}
	where := []string{"u.path >= ? AND u.path < ?"}
	args := []any{lo, hi}
	if f.Mailbox != 0 {
		where, args = append(where, "o.mailbox = ?"), append(args, f.Mailbox)
	}
	if f.State != "" {
		if f.State != homthu.OpeningOpen && f.State != homthu.OpeningSealed {
			return nil, "", homthu.Errorf(homthu.EINVALID, "Trạng thái lần mở %q không hợp lệ.", f.State)
		}
		where, args = append(where, "o.state = ?"), append(args, string(f.State))
	}
	if !f.From.IsZero() {
		where, args = append(where, "o.opened_at >= ?"), append(args, f.From.UnixMilli())
	}
	if !f.To.IsZero() {
		where, args = append(where, "o.opened_at < ?"), append(args, f.To.UnixMilli())
	}
	if f.Cursor != "" {
		at, id, err := decodeTimeCursor(f.Cursor)
		if err != nil {
			return nil, "", err
		}
		where, args = append(where, "(o.opened_at < ? OR (o.opened_at = ? AND o.id < ?))"), append(args, at, at, id)
	}
	q := `SELECT ` + openingCols + `, (SELECT COUNT(*) FROM opening_letters l WHERE l.opening = o.id),
    (SELECT COUNT(*) FROM opening_corrections k WHERE k.opening = o.id)` + openingFrom +
		`WHERE ` + strings.Join(where, " AND ") + ` ORDER BY o.opened_at DESC, o.id DESC LIMIT ?`
	rows, err := s.query(ctx, q, append(args, f.Limit+1)...)
	if err != nil {
		return nil, "", fmt.Errorf("store.ListOpenings: %w", err)
	}
	defer rows.Close()
	var out []*homthu.Opening
	for rows.Next() {
		var n, k int
		o, _, err := scanOpening(scanFunc(func(dest ...any) error { return rows.Scan(append(dest, &n, &k)...) }))
		if err != nil {
			return nil, "", fmt.Errorf("store.ListOpenings: %w", err)
		}
		o.LetterCount = n
		o.Corrections = make([]homthu.Correction, k) // counted, not loaded
		out = append(out, o)
	}
	if err := rows.Err(); err != nil {
		return nil, "", fmt.Errorf("store.ListOpenings: %w", err)
	}
	next := ""
	if len(out) > f.Limit {
		out = out[:f.Limit]
		last := out[f.Limit-1]
		next = base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(last.OpenedAt.UnixMilli(), 10) + "|" + strconv.FormatInt(last.ID, 10)))
	}
	return out, next, nil
}

// scanFunc adapts a function to the Scan interface.
type scanFunc func(dest ...any) error

func (f scanFunc) Scan(dest ...any) error { return f(dest...) }

func decodeTimeCursor(c string) (int64, int64, error) {
	b, derr := base64.RawURLEncoding.DecodeString(c)
	atText, idText, ok := strings.Cut(string(b), "|")
	at, err1 := strconv.ParseInt(atText, 10, 64)
	id, err2 := strconv.ParseInt(idText, 10, 64)
	if derr != nil || !ok || err1 != nil || err2 != nil {
		return 0, 0, homthu.Errorf(homthu.EINVALID, "Con trỏ phân trang (cursor) không hợp lệ.")
	}
	return at, id, nil
}

// LetterOf returns, for an item registered as a paper letter, the opening
// and the letter's number; ok is false for an item that is not one.
func (s *Store) LetterOf(ctx context.Context, itemID string) (opening int64, number int, ok bool, err error) {
	err = s.queryRow(ctx, `SELECT opening, number FROM opening_letters WHERE item = ? AND sealed = TRUE`, itemID).Scan(&opening, &number)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, 0, false, nil
	} else if err != nil {
		return 0, 0, false, fmt.Errorf("store.LetterOf: %w", err)
	}
	return opening, number, true, nil
}
