package app

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"time"

	"homthu/internal/homthu"
	"homthu/internal/store"
	"homthu/internal/translog"
	"homthu/internal/vntext"
)

// The paper mailbox (issue 8): mailboxes, their monthly openings, the
// letters found in them, the sealed minutes and their corrections. Every
// flow checks the role (homthu.Can) and the unit: a box, an opening or a
// letter outside the caller's unit is ENOTFOUND, as one that does not exist.

// witnesses is how many people besides the one opening must be present.
func (a *App) witnesses() int {
	if a.Witnesses > 0 {
		return a.Witnesses
	}
	return homthu.DefaultWitnesses
}

// MinWitnesses is the number of witnesses an opening needs, for the forms.
func (a *App) MinWitnesses() int { return a.witnesses() }

// inScope checks that the unit is the session's unit or below it
// (ENOTFOUND otherwise), and returns its kind and path.
func (a *App) inScope(ctx context.Context, s *homthu.Session, code string) (homthu.UnitKind, []string, error) {
	kind, path, err := a.unitRoute(ctx, code)
	if err != nil {
		return "", nil, err
	}
	for _, c := range path {
		if c == s.User.Unit {
			return kind, path, nil
		}
	}
	return "", nil, homthu.Errorf(homthu.ENOTFOUND, "Không tìm thấy đơn vị có mã %q trong phạm vi của bạn.", code)
}

// CreateMailbox registers a mailbox in the session's scope.
func (a *App) CreateMailbox(ctx context.Context, s *homthu.Session, in homthu.MailboxInput) (*homthu.Mailbox, error) {
	if err := need(s, homthu.ActManageMailboxes); err != nil {
		return nil, err
	}
	in.Normalize(vntext.NFC)
	if err := in.Validate(homthu.Today(a.now())); err != nil {
		return nil, err
	}
	if in.Unit != "" {
		if _, _, err := a.inScope(ctx, s, in.Unit); homthu.ErrorCode(err) == homthu.ENOTFOUND {
			return nil, homthu.Errorf(homthu.EINVALID, "Không có khu dân cư hoặc xã, phường có mã %q trong phạm vi của bạn.", in.Unit)
		} else if err != nil {
			return nil, err
		}
	}
	return a.Store.CreateMailbox(ctx, &in)
}

// UpdateMailbox changes a mailbox of the session's scope: its place, state,
// schedule and note. Its unit stays.
func (a *App) UpdateMailbox(ctx context.Context, s *homthu.Session, id int64, in homthu.MailboxInput) (*homthu.Mailbox, error) {
	if err := need(s, homthu.ActManageMailboxes); err != nil {
		return nil, err
	}
	m, err := a.Store.FindMailbox(ctx, s.User.Unit, id)
	if err != nil {
		return nil, err
	}
	in.Unit = m.Unit
	in.Normalize(vntext.NFC)
	if err := in.Validate(homthu.Today(a.now())); err != nil {
		return nil, err
	}
	if err := a.Store.UpdateMailbox(ctx, id, &in); err != nil {
		return nil, err
	}
	return a.Store.FindMailbox(ctx, s.User.Unit, id)
}

// Mailbox returns a mailbox of the session's scope.
func (a *App) Mailbox(ctx context.Context, s *homthu.Session, id int64) (*homthu.Mailbox, error) {
	if err := need(s, homthu.ActReadOpenings); err != nil {
		return nil, err
	}
	return a.Store.FindMailbox(ctx, s.User.Unit, id)
}

// Mailboxes lists the mailboxes of the session's scope.
func (a *App) Mailboxes(ctx context.Context, s *homthu.Session, f store.MailboxFilter) ([]*homthu.Mailbox, string, error) {
	if err := need(s, homthu.ActReadOpenings); err != nil {
		return nil, "", err
	}
	f.Scope = s.User.Unit
	return a.Store.ListMailboxes(ctx, f)
}

// maxKey bounds a client's request key.
const maxKey = 200

func checkKey(key string) error {
	if len(key) > maxKey {
		return homthu.Errorf(homthu.EINVALID, "Mã yêu cầu (key, Idempotency-Key) quá dài: tối đa %d ký tự.", maxKey)
	}
	return nil
}

// StartOpening starts an opening of a mailbox of the session's scope. With
// a key, a repeat of the same start (a double tap, a retry on a weak
// connection) returns the opening it made.
func (a *App) StartOpening(ctx context.Context, s *homthu.Session, in homthu.OpeningInput, key string) (int64, error) {
	if err := need(s, homthu.ActRecordOpening); err != nil {
		return 0, err
	}
	if err := checkKey(key); err != nil {
		return 0, err
	}
	in.Normalize(vntext.NFC)
	var installed string
	if in.Mailbox != 0 {
		m, err := a.Store.FindMailbox(ctx, s.User.Unit, in.Mailbox)
		if err != nil {
			return 0, err
		}
		installed = m.InstalledOn
	}
	if err := in.Validate(a.now(), installed, a.witnesses()); err != nil {
		return 0, err
	}
	var startKey []byte
	if key != "" {
		startKey = a.Keys.Hash("opening-start", strconv.FormatInt(s.User.ID, 10)+"\n"+key)
	}
	id, _, err := a.Store.StartOpening(ctx, &store.NewOpening{Mailbox: in.Mailbox, OpenedAt: in.OpenedAt, Seal: in.Seal, SealNote: in.SealNote,
		Participants: in.Participants, StartKey: startKey, By: s.User.ID, ByName: s.User.Username})
	return id, err
}

// Opening returns an opening of the session's scope with its letters. A
// letter's text and the person it concerns are shown only to a reader whose
// scope includes the unit the letter is addressed to — or, while the
// opening is open, to the committee registering it; the others see that
// the letter exists (Letter.Hidden).
func (a *App) Opening(ctx context.Context, s *homthu.Session, id int64) (*homthu.Opening, error) {
	if err := need(s, homthu.ActReadOpenings); err != nil {
		return nil, err
	}
	o, err := a.Store.FindOpening(ctx, s.User.Unit, id)
	if err != nil {
		return nil, err
	}
	_, path, err := a.unitRoute(ctx, s.User.Unit)
	if err != nil {
		return nil, err
	}
	viewer := "/" + strings.Join(path, "/") + "/"
	for i := range o.Letters {
		l := &o.Letters[i]
		visible := (s.User.Role.Can(homthu.ActReadItems) && strings.HasPrefix(l.Scope, viewer)) ||
			(!o.Sealed() && s.User.Role == homthu.RoleCommittee)
		if !visible {
			l.Hidden, l.Content, l.Subject = true, "", homthu.Subject{}
		}
	}
	return o, nil
}

// openOpening returns an open opening of the session's scope for a change.
func (a *App) openOpening(ctx context.Context, s *homthu.Session, id int64) (*homthu.Opening, error) {
	if err := need(s, homthu.ActRecordOpening); err != nil {
		return nil, err
	}
	o, err := a.Store.FindOpening(ctx, s.User.Unit, id)
	if err != nil {
		return nil, err
	}
	if o.Sealed() {
		return nil, homthu.Errorf(homthu.ECONFLICT, "Biên bản lần mở hòm thư này đã niêm phong: không sửa được nữa. Nếu có sai sót, cán bộ Mặt trận xã ghi đính chính.")
	}
	return o, nil
}

// UpdateOpening changes the time, seal state and participants of an open
// opening.
func (a *App) UpdateOpening(ctx context.Context, s *homthu.Session, id int64, in homthu.OpeningInput) error {
	o, err := a.openOpening(ctx, s, id)
	if err != nil {
		return err
	}
	in.Mailbox = o.Mailbox
	in.Normalize(vntext.NFC)
	m, err := a.Store.FindMailbox(ctx, "", o.Mailbox)
	if err != nil {
		return err
	}
	if err := in.Validate(a.now(), m.InstalledOn, a.witnesses()); err != nil {
		return err
	}
	return a.Store.UpdateOpening(ctx, id, &in)
}

// DiscardOpening deletes an open opening with no letter (started by
// mistake).
func (a *App) DiscardOpening(ctx context.Context, s *homthu.Session, id int64) error {
	if _, err := a.openOpening(ctx, s, id); err != nil {
		return err
	}
	return a.Store.DeleteOpening(ctx, id)
}

// RegisterLetter saves one letter found at an open opening, as it is
// registered (a weak connection loses at most the letter being sent). The
// pages have been sanitised and stored by the caller. With the same key, a
// repeat returns the letter already saved (replay) and stores nothing; the
// same key with another letter is ECONFLICT.
func (a *App) RegisterLetter(ctx context.Context, s *homthu.Session, opening int64, in homthu.LetterInput, key string) (seq int, replay bool, err error) {
	defer func() {
		if err != nil || replay {
			a.dropUnused(ctx, in.Pages)
		}
	}()
	o, err := a.openOpening(ctx, s, opening)
	if err != nil {
		return 0, false, err
	}
	if err := checkKey(key); err != nil {
		return 0, false, err
	}
	if key == "" {
		key = newID()
	}
	for _, p := range []*string{&in.Content, &in.Subject.Name, &in.Subject.Position, &in.Subject.Workplace,
		&in.Signer.Name, &in.Signer.Phone, &in.Signer.Email, &in.Signer.Address} {
		*p = strings.TrimSpace(vntext.NFC(*p))
	}
	if in.To == "" {
		in.To = homthu.ToCommune
	}
	if err := in.Validate(o.Unit); err != nil {
		return 0, false, err
	}
	body, _ := json.Marshal(in)
	h := sha256.Sum256(body)
	l := &store.NewLetter{Opening: opening, ItemID: newID(), Key: key, BodyHash: h[:], In: in, By: s.User.ID, At: a.now()}
	if in.Signed {
		l.Identity = a.sealIdentity(l.ItemID, in.Signer)
	}
	l.In.Signer = homthu.Identity{} // only sealed
	return a.Store.AddLetter(ctx, l)
}

// dropUnused deletes the blobs of pages that nothing references (uploaded
// for a letter that was then not stored).
func (a *App) dropUnused(ctx context.Context, pages []homthu.Attachment) {
	for _, p := range pages {
		if used, err := a.Store.BlobUsed(ctx, p.SHA256); err == nil && !used && a.Blobs != nil {
			a.Blobs.Remove(p.SHA256)
		}
	}
}

// RemoveLetter removes a letter from an open opening (registered twice by
// mistake) and deletes its pages.
func (a *App) RemoveLetter(ctx context.Context, s *homthu.Session, opening int64, seq int) error {
	if _, err := a.openOpening(ctx, s, opening); err != nil {
		return err
	}
	orphans, err := a.Store.RemoveLetter(ctx, opening, seq)
	if err != nil {
		return err
	}
	for _, h := range orphans {
		if a.Blobs != nil {
			a.Blobs.Remove(h)
		}
	}
	return nil
}

// SealOpening closes an open opening and seals its minutes, after the
// person sealing has counted the letters in the box (counted must equal the
// letters registered; 0 for an empty box). In one transaction every letter
// becomes a feedback item with channel "paper" — through newItem, as an
// online submission — and is committed to the transparency log as a leaf
// of kind "letter"; the minutes, naming the participants, the seal and each
// letter's commitment, become a leaf of kind "opening". From then on
// nothing of it changes.
func (a *App) SealOpening(ctx context.Context, s *homthu.Session, id int64, counted int) error {
	o, err := a.openOpening(ctx, s, id)
	if err != nil {
		return err
	}
	if err := homthu.CheckParticipants(o.Participants, a.witnesses()); err != nil {
		return err
	}
	kind, path, err := a.unitRoute(ctx, o.Unit)
	if err != nil {
		return err
	}
	commune := o.Unit
	if kind == homthu.KindArea {
		commune = path[len(path)-2]
	}
	sealedAt := a.now()
	var made []*store.NewItem
	err = a.Store.SealOpening(ctx, id, counted, func(d *store.SealDraft) (*store.SealPlan, error) {
		o := d.Opening
		o.Number, o.SealedAt, o.SealedBy = d.Number, sealedAt, s.User.Username
		month := homthu.MonthOf(o.OpenedAt).String()
		p := &store.SealPlan{At: sealedAt, By: s.User.ID, ByName: s.User.Username, OnTime: homthu.OnTime(d.Day, o.OpenedAt)}
		var commitments []string
		for i, l := range o.Letters {
			unit := commune
			if l.To == homthu.ToProvince {
				unit = path[0]
			}
			sub := homthu.Submission{Area: o.Unit, To: l.To, Channel: homthu.ChannelPaper, Content: l.Content, Subject: l.Subject,
				Anonymous: !l.Signed, Attachments: l.Pages}
			it, err := a.newItem(l.ItemID, &sub, unit, o.OpenedAt)
			if err != nil {
				return nil, err
			}
			it.Identity = d.Identities[l.Seq]
			p.Items = append(p.Items, it)
			pages := make([]string, len(l.Pages))
			for j, pg := range l.Pages {
				pages[j] = pg.SHA256
			}
			rec := homthu.LetterRecord(o.ID, i+1, l.ItemID, l.Signed, base64.StdEncoding.EncodeToString(it.TextHash), pages)
			leaf, op, err := translog.NewLeaf(translog.KindLetter, o.Unit, month, []byte(rec))
			if err != nil {
				return nil, err
			}
			b, err := leaf.MarshalBinary()
			if err != nil {
				return nil, err
			}
			commitments = append(commitments, base64.StdEncoding.EncodeToString(leaf.Commitment[:]))
			p.Letters = append(p.Letters, store.SealedLetter{Seq: l.Seq, Number: i + 1, Record: rec, Salt: op.Salt, Leaf: b, ItemID: l.ItemID})
		}
		p.Record = homthu.OpeningRecord(o, commitments)
		leaf, op, err := translog.NewLeaf(translog.KindOpening, o.Unit, month, []byte(p.Record))
		if err != nil {
			return nil, err
		}
		if p.Leaf, err = leaf.MarshalBinary(); err != nil {
			return nil, err
		}
		p.Salt = op.Salt
		made = p.Items
		return p, nil
	})
	if err != nil {
		return err
	}
	// The letters' subjects against the staff who read their inbox
	// (processing: conflict of interest).
	return a.flagNewItems(ctx, made)
}

// Correct adds a correction to sealed minutes of the session's scope: a new
// record, itself sealed and committed to the transparency log (a leaf of
// kind "opening"), that says what it corrects and why. The minutes never
// change; the logbook and the board read them with their corrections.
func (a *App) Correct(ctx context.Context, s *homthu.Session, id int64, in homthu.CorrectionInput) (int64, error) {
	if err := need(s, homthu.ActCorrectOpening); err != nil {
		return 0, err
	}
	o, err := a.Store.FindOpening(ctx, s.User.Unit, id)
	if err != nil {
		return 0, err
	}
	in.Body = strings.TrimSpace(vntext.NFC(in.Body))
	in.Reason = strings.TrimSpace(vntext.NFC(in.Reason))
	now := a.now()
	if err := in.Validate(o, now); err != nil {
		return 0, err
	}
	if in.Kind == homthu.CorrectOpenedAt {
		m, err := a.Store.FindMailbox(ctx, "", o.Mailbox)
		if err != nil {
			return 0, err
		}
		if homthu.Today(in.OpenedAt) < m.InstalledOn {
			return 0, homthu.Errorf(homthu.EINVALID, "Hòm thư này được lắp đặt ngày %s, nên không thể mở trước ngày đó.", homthu.DayLabel(m.InstalledOn))
		}
	}
	c := homthu.Correction{Opening: id, Kind: in.Kind, Letter: in.Letter, OpenedAt: in.OpenedAt, Body: in.Body, Reason: in.Reason,
		By: s.User.Username, At: now}
	c.Record = homthu.CorrectionRecord(&c)
	leaf, op, err := translog.NewLeaf(translog.KindOpening, o.Unit, translog.Month(now), []byte(c.Record))
	if err != nil {
		return 0, err
	}
	b, err := leaf.MarshalBinary()
	if err != nil {
		return 0, err
	}
	return a.Store.AddCorrection(ctx, &store.NewCorrection{C: c, AuthorID: s.User.ID, Salt: op.Salt, Leaf: b})
}

// Openings lists the openings of the session's scope.
func (a *App) Openings(ctx context.Context, s *homthu.Session, f store.OpeningFilter) ([]*homthu.Opening, string, error) {
	if err := need(s, homthu.ActReadOpenings); err != nil {
		return nil, "", err
	}
	f.Scope = s.User.Unit
	return a.Store.ListOpenings(ctx, f)
}

// OpeningProof is what proves sealed minutes: the committed record (the
// text whose hash the leaf's commitment binds) and its proof bundle.
type OpeningProof struct {
	Record string           `json:"record"`
	Bundle *translog.Bundle `json:"bundle"`
}

// ProofOfOpening returns the proof of sealed minutes of the session's
// scope, or a *ProofPending until a signed checkpoint covers them. Anyone
// given it checks, with the log's key alone, that the record is in the log
// (translog.Verify) and that it is the text of the leaf (HashText of the
// record is the opening's text hash).
func (a *App) ProofOfOpening(ctx context.Context, s *homthu.Session, id int64) (*OpeningProof, error) {
	if err := need(s, homthu.ActReadOpenings); err != nil {
		return nil, err
	}
	if a.TransLog == nil {
		return nil, homthu.Errorf(homthu.ENOTFOUND, "Máy chủ này chưa bật nhật ký minh bạch.")
	}
	o, err := a.Store.FindOpening(ctx, s.User.Unit, id)
	if err != nil {
		return nil, err
	}
	if !o.Sealed() {
		return nil, homthu.Errorf(homthu.ECONFLICT, "Biên bản chưa niêm phong nên chưa có trong nhật ký minh bạch.")
	}
	ref := "opening:" + strconv.FormatInt(id, 10)
	record, salt, err := a.Store.OpeningCommitment(ctx, ref)
	if err != nil {
		return nil, err
	}
	b, err := a.TransLog.ProofByRef(ctx, ref, translog.Opening{Salt: salt, TextHash: translog.HashText([]byte(record))})
	if errors.Is(err, translog.ErrPending) {
		return nil, &ProofPending{RetryAfter: a.TransLog.RetryAfter()}
	} else if err != nil {
		return nil, err
	}
	return &OpeningProof{Record: record, Bundle: b}, nil
}

// Logbook is the logbook of one mailbox for a year (sổ theo dõi mở hòm thư):
// its sealed openings in order, with their letters and corrections.
type Logbook struct {
	Mailbox  *homthu.Mailbox
	Year     int
	Openings []*homthu.Opening
	// Open is the number of openings of the year still open (not in the
	// logbook until sealed).
	Open int
}

// MaxLogbook bounds the openings of a logbook's year.
const MaxLogbook = 100

// Logbook returns the logbook of a mailbox of the session's scope for a
// year.
func (a *App) Logbook(ctx context.Context, s *homthu.Session, mailbox int64, year int) (*Logbook, error) {
	if err := need(s, homthu.ActReadOpenings); err != nil {
		return nil, err
	}
	if year < 2000 || year > homthu.MonthOf(a.now()).Year {
		return nil, homthu.Errorf(homthu.EINVALID, "Năm %d không hợp lệ.", year)
	}
	m, err := a.Store.FindMailbox(ctx, s.User.Unit, mailbox)
	if err != nil {
		return nil, err
	}
	from := homthu.Month{Year: year, Month: time.January}
	list, _, err := a.Store.ListOpenings(ctx, store.OpeningFilter{Scope: s.User.Unit, Mailbox: mailbox, From: from.Start(),
		To: from.Add(12).Start(), Limit: MaxLogbook})
	if err != nil {
		return nil, err
	}
	lb := &Logbook{Mailbox: m, Year: year}
	for i := len(list) - 1; i >= 0; i-- { // oldest first
		if !list[i].Sealed() {
			lb.Open++
			continue
		}
		o, err := a.Opening(ctx, s, list[i].ID)
		if err != nil {
			return nil, err
		}
		lb.Openings = append(lb.Openings, o)
	}
	return lb, nil
}

// MailboxUnits returns a unit of the session's scope (the session's own
// unit for "") and the current units directly below it: where the forms
// let a person narrow the list of mailboxes, or choose the area a new box
// hangs in. Outside the scope it is ENOTFOUND.
func (a *App) MailboxUnits(ctx context.Context, s *homthu.Session, code string) (*homthu.Unit, []*homthu.Unit, error) {
	if err := need(s, homthu.ActReadOpenings); err != nil {
		return nil, nil, err
	}
	if code == "" {
		code = s.User.Unit
	}
	if _, _, err := a.inScope(ctx, s, code); err != nil {
		return nil, nil, err
	}
	u, err := a.Store.FindUnit(ctx, code)
	if err != nil {
		return nil, nil, err
	}
	if u.Kind == homthu.KindArea {
		return u, nil, nil
	}
	below, err := a.Store.ChildUnits(ctx, code, 0)
	return u, below, err
}
