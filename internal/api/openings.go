package api

import (
	"net/http"
	"strconv"
	"time"

	"homthu/internal/homthu"
	"homthu/internal/store"
)

// The paper mailbox in the API (issue 8): mailboxes, and the opening flow
// for a phone app or a script — start an opening, register each letter as
// it is found (each saved at once; a repeat with the same Idempotency-Key
// is the letter already saved), remove one registered by mistake, seal.
// Permissions and scopes are the app's: another unit's box or opening is
// 404, sealed minutes refuse any change (409).

// Mailbox is a mailbox in API answers.
type Mailbox struct {
	ID          int64  `json:"id"`
	Unit        string `json:"unit"`
	UnitName    string `json:"unit_name"`
	Commune     string `json:"commune_name,omitempty"`
	Place       string `json:"place"`
	InstalledOn string `json:"installed_on"`
	Status      string `json:"status"`
	RemovedOn   string `json:"removed_on,omitempty"`
	Day         int    `json:"day"`
	Note        string `json:"note,omitempty"`
}

func mailboxOut(m *homthu.Mailbox) Mailbox {
	return Mailbox{ID: m.ID, Unit: m.Unit, UnitName: m.UnitName, Commune: m.CommuneName, Place: m.Place, InstalledOn: m.InstalledOn,
		Status: string(m.Status), RemovedOn: m.RemovedOn, Day: m.Day, Note: m.Note}
}

// MailboxRequest is the body of POST /api/v1/mailboxes.
type MailboxRequest struct {
	Unit        string `json:"unit"`
	Place       string `json:"place"`
	InstalledOn string `json:"installed_on"`
	Status      string `json:"status,omitempty"`
	RemovedOn   string `json:"removed_on,omitempty"`
	Day         int    `json:"day"`
	Note        string `json:"note,omitempty"`
}

// getMailboxes lists the mailboxes of the caller's scope: ?unit= narrows
// to a unit and below, ?status=, ?cursor= the next page, ?limit=1..200.
func (a *API) getMailboxes(w http.ResponseWriter, r *http.Request) error {
	sess, err := a.session(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	f := store.MailboxFilter{Unit: q.Get("unit"), Status: homthu.MailboxStatus(q.Get("status")), Cursor: q.Get("cursor"), Limit: 50}
	if v := q.Get("limit"); v != "" {
		if f.Limit, err = strconv.Atoi(v); err != nil || f.Limit < 1 || f.Limit > 200 {
			return homthu.Errorf(homthu.EINVALID, "limit phải là số nguyên từ 1 đến 200.")
		}
	}
	ms, next, err := a.App.Mailboxes(r.Context(), sess, f)
	if err != nil {
		return err
	}
	out := struct {
		Mailboxes []Mailbox `json:"mailboxes"`
		Next      string    `json:"next,omitempty"`
	}{Mailboxes: []Mailbox{}, Next: next}
	for _, m := range ms {
		out.Mailboxes = append(out.Mailboxes, mailboxOut(m))
	}
	return writeJSON(w, http.StatusOK, out)
}

// postMailbox registers a mailbox.
func (a *API) postMailbox(w http.ResponseWriter, r *http.Request) error {
	sess, err := a.session(r)
	if err != nil {
		return err
	}
	var req MailboxRequest
	if err := decode(w, r, &req); err != nil {
		return err
	}
	m, err := a.App.CreateMailbox(r.Context(), sess, homthu.MailboxInput{Unit: req.Unit, Place: req.Place, InstalledOn: req.InstalledOn,
		Status: homthu.MailboxStatus(req.Status), RemovedOn: req.RemovedOn, Day: req.Day, Note: req.Note})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, mailboxOut(m))
}

// OpeningRequest is the body of POST /api/v1/openings.
type OpeningRequest struct {
	Mailbox      int64                `json:"mailbox"`
	OpenedAt     string               `json:"opened_at"` // RFC 3339
	Seal         string               `json:"seal"`
	SealNote     string               `json:"seal_note,omitempty"`
	Participants []homthu.Participant `json:"participants"`
}

// Opening is an opening in API answers.
type Opening struct {
	ID           int64                `json:"id"`
	Mailbox      int64                `json:"mailbox"`
	Unit         string               `json:"unit"`
	Place        string               `json:"place"`
	OpenedAt     string               `json:"opened_at"`
	Month        string               `json:"month"`
	State        string               `json:"state"`
	Seal         string               `json:"seal"`
	SealNote     string               `json:"seal_note,omitempty"`
	Participants []homthu.Participant `json:"participants"`
	Letters      []Letter             `json:"letters"`
	Number       string               `json:"number,omitempty"`
	SealedAt     string               `json:"sealed_at,omitempty"`
	OnTime       *bool                `json:"on_time,omitempty"`
	LeafIndex    *int64               `json:"leaf_index,omitempty"`
}

// Letter is a letter of an opening in API answers; content and subject
// are left out where the caller may not read them (hidden).
type Letter struct {
	Seq     int             `json:"seq"`
	Number  int             `json:"number,omitempty"`
	Item    string          `json:"item,omitempty"`
	Content string          `json:"content,omitempty"`
	Full    bool            `json:"full"`
	Signed  bool            `json:"signed"`
	Subject *homthu.Subject `json:"subject,omitempty"`
	To      string          `json:"to"`
	Pages   int             `json:"pages"`
	Hidden  bool            `json:"hidden,omitempty"`
}

func openingOut(o *homthu.Opening) Opening {
	out := Opening{ID: o.ID, Mailbox: o.Mailbox, Unit: o.Unit, Place: o.Place, OpenedAt: o.OpenedAt.UTC().Format(time.RFC3339), Month: o.Month,
		State: string(o.State), Seal: string(o.Seal), SealNote: o.SealNote, Participants: o.Participants, Letters: []Letter{}}
	if out.Participants == nil {
		out.Participants = []homthu.Participant{}
	}
	for _, l := range o.Letters {
		v := Letter{Seq: l.Seq, Number: l.Number, Content: l.Content, Full: l.Full, Signed: l.Signed, To: string(l.To),
			Pages: max(l.PageCount, len(l.Pages)), Hidden: l.Hidden}
		if o.Sealed() {
			v.Item = l.ItemID
		}
		if sj := l.Subject; sj != (homthu.Subject{}) {
			v.Subject = &sj
		}
		out.Letters = append(out.Letters, v)
	}
	if o.Sealed() {
		out.Number, out.SealedAt = o.Symbol(), o.SealedAt.UTC().Format(time.RFC3339)
		on, idx := o.OnTime, o.LeafIndex
		out.OnTime = &on
		if idx >= 0 {
			out.LeafIndex = &idx
		}
	}
	return out
}

// postOpening starts an opening; with an Idempotency-Key, a repeat is the
// opening it made (201 again, the same id).
func (a *API) postOpening(w http.ResponseWriter, r *http.Request) error {
	sess, err := a.session(r)
	if err != nil {
		return err
	}
	var req OpeningRequest
	if err := decode(w, r, &req); err != nil {
		return err
	}
	in := homthu.OpeningInput{Mailbox: req.Mailbox, Seal: homthu.SealState(req.Seal), SealNote: req.SealNote, Participants: req.Participants}
	if req.OpenedAt != "" {
		if in.OpenedAt, err = time.Parse(time.RFC3339, req.OpenedAt); err != nil {
			return homthu.Errorf(homthu.EINVALID, "opened_at phải là thời điểm theo RFC 3339, ví dụ 2026-12-07T08:30:00+07:00.")
		}
	}
	id, err := a.App.StartOpening(r.Context(), sess, in, key(r))
	if err != nil {
		return err
	}
	o, err := a.App.Opening(r.Context(), sess, id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, openingOut(o))
}

// key is the request's Idempotency-Key, namespaced apart from the web
// forms' keys.
func key(r *http.Request) string {
	if k := r.Header.Get("Idempotency-Key"); k != "" {
		return "api:" + k
	}
	return ""
}

func openingParam(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("opening"), 10, 64)
	if err != nil || id < 1 {
		return 0, homthu.Errorf(homthu.ENOTFOUND, "Không tìm thấy lần mở hòm thư này.")
	}
	return id, nil
}

// getOpening returns an opening with its letters.
func (a *API) getOpening(w http.ResponseWriter, r *http.Request) error {
	sess, err := a.session(r)
	if err != nil {
		return err
	}
	id, err := openingParam(r)
	if err != nil {
		return err
	}
	o, err := a.App.Opening(r.Context(), sess, id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, openingOut(o))
}

// LetterRequest is the body of POST /api/v1/openings/{opening}/letters.
type LetterRequest struct {
	Content string           `json:"content"`
	Full    bool             `json:"full"`
	Signed  bool             `json:"signed"`
	Signer  *homthu.Identity `json:"signer,omitempty"`
	Subject *homthu.Subject  `json:"subject,omitempty"`
	To      string           `json:"to,omitempty"`
}

// postLetter registers one letter of an open opening: 201 with its seq,
// or 200 with the letter saved before when the Idempotency-Key repeats.
func (a *API) postLetter(w http.ResponseWriter, r *http.Request) error {
	sess, err := a.session(r)
	if err != nil {
		return err
	}
	id, err := openingParam(r)
	if err != nil {
		return err
	}
	var req LetterRequest
	if err := decode(w, r, &req); err != nil {
		return err
	}
	in := homthu.LetterInput{Content: req.Content, Full: req.Full, Signed: req.Signed, To: homthu.Level(req.To)}
	if req.Signer != nil {
		in.Signer = *req.Signer
	}
	if req.Subject != nil {
		in.Subject = *req.Subject
	}
	seq, replay, err := a.App.RegisterLetter(r.Context(), sess, id, in, key(r))
	if err != nil {
		return err
	}
	status := http.StatusCreated
	if replay {
		status = http.StatusOK
	}
	return writeJSON(w, status, struct {
		Seq    int  `json:"seq"`
		Replay bool `json:"replay"`
	}{seq, replay})
}

// deleteLetter removes a letter registered by mistake from an open
// opening.
func (a *API) deleteLetter(w http.ResponseWriter, r *http.Request) error {
	sess, err := a.session(r)
	if err != nil {
		return err
	}
	id, err := openingParam(r)
	if err != nil {
		return err
	}
	seq, err := strconv.Atoi(r.PathValue("seq"))
	if err != nil || seq < 1 {
		return homthu.Errorf(homthu.ENOTFOUND, "Không tìm thấy thư này.")
	}
	if err := a.App.RemoveLetter(r.Context(), sess, id, seq); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// SealRequest is the body of POST /api/v1/openings/{opening}/seal.
type SealRequest struct {
	// Counted is the number of letters counted in the box: it must equal
	// the letters registered (0 for an empty box).
	Counted *int `json:"counted"`
}

// postSeal seals an opening's minutes. It is idempotent: sealed minutes
// sealed again with the same count answer 200 as the first time; with
// another count they are a 409.
func (a *API) postSeal(w http.ResponseWriter, r *http.Request) error {
	sess, err := a.session(r)
	if err != nil {
		return err
	}
	id, err := openingParam(r)
	if err != nil {
		return err
	}
	var req SealRequest
	if err := decode(w, r, &req); err != nil {
		return err
	}
	if req.Counted == nil || *req.Counted < 0 {
		return homthu.Errorf(homthu.EINVALID, "Xin ghi số thư đếm được trong hòm (counted, 0 nếu hòm không có thư).")
	}
	serr := a.App.SealOpening(r.Context(), sess, id, *req.Counted)
	if serr != nil && homthu.ErrorCode(serr) != homthu.ECONFLICT {
		return serr
	}
	o, err := a.App.Opening(r.Context(), sess, id)
	if err != nil {
		return err
	}
	// A retry of the seal that was done (the answer lost on a weak
	// connection) answers the sealed minutes; any other conflict stands.
	if serr != nil && !(o.Sealed() && o.LetterCount == *req.Counted) {
		return serr
	}
	return writeJSON(w, http.StatusOK, openingOut(o))
}
