// Package app is homthu's application layer: the flows of DESIGN.md —
// submit, track, staff inbox — written once on the domain, the store and the
// keys, and called by both the JSON API and the HTML pages.
package app

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"time"

	"homthu/internal/homthu"
	"homthu/internal/jobs"
	"homthu/internal/mail"
	"homthu/internal/secret"
	"homthu/internal/store"
	"homthu/internal/translog"
	"homthu/internal/vntext"
)

// Blobs stores attachments by content hash.
type Blobs interface {
	Put(data []byte) (string, error)
	Open(sha256hex string) (io.ReadCloser, error)
	Remove(sha256hex string) error
}

// App ties the flows to their dependencies.
type App struct {
	Store *store.Store
	Keys  *secret.Keys
	Blobs Blobs
	Log   *slog.Logger
	// TransLog is the transparency log, for proof bundles; nil when not served.
	TransLog *translog.Log
	// Mail sends the mail queue; nil outside serve. The status page reads
	// whether it is configured.
	Mail *mail.Sender
	// Jobs is serve's job runner, for the status page (which kinds this
	// process runs, and when the periodic ones run); nil elsewhere.
	Jobs *jobs.Runner
	// SessionTTL is the absolute lifetime of a staff session, IdleTTL how
	// long it survives without use.
	SessionTTL, IdleTTL time.Duration
	Now                 func() time.Time
	// Limiter counts requests for the rate limits; nil turns them off.
	Limiter Limiter
	// Calendar says which days are working days, for deadlines counted in
	// working days; nil means the working-day calendar of internal/workdays
	// (Workdays: the shipped years and those an administrator loaded).
	Calendar homthu.Calendar
	semOnce  sync.Once
	sem      chan struct{} // bounds concurrent Sanitize calls

	// routes caches, for a minute, the kind and path of the units items are
	// sent to: they change a few times a year, and looking them up was a
	// tenth of a submission's CPU.
	routes sync.Map // code → routeEntry

	// Witnesses is how many people besides the one opening a mailbox must
	// witness an opening; 0 means homthu.DefaultWitnesses.
	Witnesses int

	// vocab caches the document collection's words (documents.go).
	vocab vocabCache

	// workdays caches the working-day calendar (Workdays).
	workdays calendarCache

	// RateLimit is how many citizen requests (submissions, look-ups by
	// receipt) one client address may make a minute; 0 turns the
	// per-address and per-receipt limits off (for load tests). The
	// password lock-out is never turned off.
	RateLimit int
}

// Limits derived from RateLimit.
const (
	receiptPerMinute  = 30 // look-ups of one receipt
	failWindow        = 10 * time.Minute
	loginFailsPerAddr = 30 // failed logins from one address per failWindow
	stepUpFails       = 5  // wrong codes or passwords at a step-up, per account per failWindow
)

func (a *App) now() time.Time {
	if a.Now != nil {
		return a.Now()
	}
	return time.Now()
}

// Receipt is what a submitter gets back.
type Receipt struct {
	Code       string `json:"receipt"`     // grouped for reading aloud
	ReceivedAt string `json:"received_at"` // RFC 3339, or the date only when anonymous
	ItemID     string `json:"-"`
}

var idEncoding = base32.NewEncoding("0123456789abcdefghjkmnpqrstvwxyz").WithPadding(base32.NoPadding)

// newID returns a random 80-bit item id (16 symbols). Ids are random so that
// they say nothing of the order in which items arrived.
func newID() string {
	b := make([]byte, 10)
	rand.Read(b)
	return idEncoding.EncodeToString(b)
}

// Submit receives a new item. With a non-empty idempotency key, a repeat of
// the same request returns the first answer, and the same key with another
// body is ECONFLICT.
func (a *App) Submit(ctx context.Context, sub homthu.Submission, idemKey string) (*Receipt, error) {
	if err := a.limit(ctx, "client", clientOf(ctx), a.RateLimit, time.Minute); err != nil {
		return nil, err
	}
	sub.Normalize(vntext.NFC)
	if err := sub.Validate(); err != nil {
		return nil, err
	}
	unit, err := a.addressee(ctx, sub.Area, sub.To)
	if err != nil {
		return nil, err
	}
	var keyHash, bodyHash []byte
	if idemKey != "" {
		if len(idemKey) > 200 {
			return nil, homthu.Errorf(homthu.EINVALID, "Idempotency-Key quá dài (tối đa 200 ký tự).")
		}
		keyHash = a.Keys.Hash("idempotency", idemKey)
		b, _ := json.Marshal(sub)
		h := sha256.Sum256(b)
		bodyHash = h[:]
		if r, err := a.replay(ctx, keyHash, bodyHash); r != nil || err != nil {
			return r, err
		}
	}

	// The person concerned, as the submitter named them, against the staff
	// who read the addressee's inbox: a possible match hides the item from
	// that account from the first moment (issue 9, conflict of interest).
	flagged, err := a.staffConflicts(ctx, sub.Subject, unit)
	if err != nil {
		return nil, err
	}

	now := a.now()
	if !sub.Anonymous && sub.Consent.Notice != "" {
		sub.Consent.At = now
	} else {
		sub.Consent = homthu.Consent{}
	}
	code := homthu.NewReceipt()
	canonical, _ := homthu.NormalizeReceipt(code)
	it, err := a.newItem(newID(), &sub, unit, now)
	if err != nil {
		return nil, fmt.Errorf("app.Submit: %w", err)
	}
	it.ReceiptHash = a.Keys.Hash("receipt", canonical)
	r := &Receipt{Code: code, ItemID: it.ID, ReceivedAt: it.ReceivedOn}
	if !sub.Anonymous {
		r.ReceivedAt = now.Format(time.RFC3339)
	}
	var sealed []byte
	if keyHash != nil {
		b, _ := json.Marshal(struct {
			Code, ReceivedAt, ItemID string
		}{r.Code, r.ReceivedAt, r.ItemID})
		sealed = a.Keys.Seal(b, []byte("idempotency"))
	}
	for try := 0; ; try++ {
		err = a.Store.Batch(ctx, func(tx *store.Tx) error {
			return a.createTx(ctx, tx, it, keyHash, bodyHash, sealed, flagged, now)
		})
		if !store.IsSortKeyTaken(err) || try == 2 {
			break
		}
		// 47 random bits met another item's of the same day (at 10,000
		// items a day, once in some 7,000 years): draw again; the failed
		// try wrote nothing.
		if it.SortKey, err = store.NewSortKey(it.ReceivedOn); err != nil {
			return nil, err
		}
	}
	if errors.Is(err, store.ErrIdempotencyTaken) {
		// A concurrent request with the same key won the race.
		if r, err := a.replay(ctx, keyHash, bodyHash); r != nil || err != nil {
			return r, err
		}
		return nil, homthu.Errorf(homthu.ECONFLICT, "Yêu cầu này đang được xử lý; xin thử lại sau giây lát.")
	}
	if err != nil {
		return nil, err
	}
	return r, nil
}

// newItem builds the stored form of a validated submission addressed to
// unit and received at now, with id: its search key, the commitment and
// transparency-log leaf, and the submitter's identity sealed to the id. It
// is the one way an item is made, whether a citizen sent it online (Submit)
// or a committee found it in a mailbox (SealOpening); the caller adds a
// receipt if there is one.
func (a *App) newItem(id string, sub *homthu.Submission, unit string, now time.Time) (*store.NewItem, error) {
	it := &store.NewItem{
		ID:         id,
		Sub:        *sub,
		Unit:       unit,
		ReceivedOn: now.In(homthu.VNTime).Format(time.DateOnly),
		CommitSalt: make([]byte, translog.SaltSize),
	}
	it.Search = store.SearchKey(&it.Sub)
	// The Front's own deadline to consider it (the form's promise).
	it.DueOn = homthu.Today(now.AddDate(0, 0, frontDays))
	var err error
	if it.SortKey, err = store.NewSortKey(it.ReceivedOn); err != nil {
		return nil, err
	}
	rand.Read(it.CommitSalt)
	th := translog.HashText([]byte(sub.Content))
	it.TextHash = th[:]
	it.Leaf, err = translog.Leaf{Kind: translog.KindItem, Unit: unit, Month: it.ReceivedOn[:7],
		Commitment: translog.Commit(translog.KindItem, it.CommitSalt, th)}.MarshalBinary()
	if err != nil {
		return nil, err
	}
	if sub.Anonymous {
		// The leaf waits for the end of the day, to go into the tree in one
		// shuffled batch with the day's other anonymous items.
		it.LeafDue = nextDay(now)
	} else {
		it.ReceivedAt = now
		if !sub.Submitter.Empty() {
			it.Identity = a.sealIdentity(id, sub.Submitter)
		}
	}
	return it, nil
}

// sealIdentity encrypts a submitter's identity, bound to the item's id.
func (a *App) sealIdentity(itemID string, who homthu.Identity) []byte {
	b, _ := json.Marshal(who)
	return a.Keys.Seal(b, []byte("identity:"+itemID))
}

// createTx writes a new item in tx: its idempotency answer, the item and
// any possible conflict of interest found before.
func (a *App) createTx(ctx context.Context, tx *store.Tx, it *store.NewItem, keyHash, bodyHash, sealed []byte, flagged []homthu.Conflict, now time.Time) error {
	if keyHash != nil {
		if err := store.PutIdempotency(ctx, tx, keyHash, bodyHash, sealed, now); err != nil {
			return err
		}
	}
	if err := store.CreateItem(ctx, tx, it); err != nil {
		return err
	}
	for _, c := range flagged {
		c.Item = it.ID
		if _, err := store.AddConflict(ctx, tx, &c, now); err != nil {
			return err
		}
	}
	return nil
}

// nextDay is the start of the day after t, in Vietnam time.
func nextDay(t time.Time) time.Time {
	d := t.In(homthu.VNTime)
	return time.Date(d.Year(), d.Month(), d.Day()+1, 0, 0, 0, 0, homthu.VNTime)
}

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }

// replay returns the kept answer for an idempotency key, ECONFLICT if the key
// was used with another body, or nil, nil if the key is new.
func (a *App) replay(ctx context.Context, keyHash, bodyHash []byte) (*Receipt, error) {
	bh, sealed, ok, err := a.Store.GetIdempotency(ctx, keyHash)
	if err != nil || !ok {
		return nil, err
	}
	if string(bh) != string(bodyHash) {
		return nil, homthu.Errorf(homthu.ECONFLICT, "Idempotency-Key này đã được dùng cho một yêu cầu khác.")
	}
	b, err := a.Keys.Open(sealed, []byte("idempotency"))
	if err != nil {
		return nil, fmt.Errorf("app.replay: %w", err)
	}
	var v struct{ Code, ReceivedAt, ItemID string }
	if err := json.Unmarshal(b, &v); err != nil {
		return nil, fmt.Errorf("app.replay: %w", err)
	}
	return &Receipt{Code: v.Code, ReceivedAt: v.ReceivedAt, ItemID: v.ItemID}, nil
}

// addressee returns the unit whose Front receives an item about area: its
// commune, or its province when to is ToProvince.
func (a *App) addressee(ctx context.Context, area string, to homthu.Level) (string, error) {
	kind, path, err := a.unitRoute(ctx, area)
	if err != nil {
		if homthu.ErrorCode(err) == homthu.ENOTFOUND {
			return "", homthu.Errorf(homthu.EINVALID, "Không có khu dân cư hoặc xã, phường có mã %q. Xin tìm và chọn lại.", area)
		}
		return "", err
	}
	if kind != homthu.KindArea && kind != homthu.KindCommune {
		return "", homthu.Errorf(homthu.EINVALID, "Xin chọn một khu dân cư hoặc một xã, phường (mã %q là cấp %s).", area, kind.Label())
	}
	if to == homthu.ToProvince {
		return path[0], nil
	}
	if kind == homthu.KindCommune {
		return area, nil
	}
	return path[len(path)-2], nil
}

type routeEntry struct {
	kind    homthu.UnitKind
	path    []string
	expires time.Time
}

// routeTTL is how long a unit's kind and path are cached. A unit merged
// away or abolished may still receive items for that long; the item then
// fails the store's own check of the area, with a clear message.
const routeTTL = time.Minute

func (a *App) unitRoute(ctx context.Context, code string) (homthu.UnitKind, []string, error) {
	now := a.now()
	if v, ok := a.routes.Load(code); ok {
		if e := v.(routeEntry); now.Before(e.expires) {
			return e.kind, e.path, nil
		}
	}
	kind, path, err := a.Store.UnitKindPath(ctx, code)
	if err != nil {
		return "", nil, err
	}
	a.routes.Store(code, routeEntry{kind, path, now.Add(routeTTL)})
	return kind, path, nil
}

// Track returns the status and thread of the item a receipt belongs to.
func (a *App) Track(ctx context.Context, receipt string) (*homthu.TrackView, error) {
	id, err := a.itemByReceipt(ctx, receipt)
	if err != nil {
		return nil, err
	}
	return a.Store.Track(ctx, id)
}

// itemByReceipt finds an item by receipt, under three rate limits: requests
// per client address, look-ups per receipt, and failed look-ups per address
// (a guesser fails; a person who mistyped once does not come near it).
func (a *App) itemByReceipt(ctx context.Context, receipt string) (string, error) {
	canonical, err := homthu.NormalizeReceipt(receipt)
	if err != nil {
		return "", err
	}
	client := clientOf(ctx)
	if a.RateLimit > 0 {
		if err := a.over(ctx, "receipt-fail", client, max(a.RateLimit/3, 10), failWindow); err != nil {
			return "", err
		}
		if err := a.limit(ctx, "client", client, a.RateLimit, time.Minute); err != nil {
			return "", err
		}
		if err := a.limit(ctx, "receipt", canonical, receiptPerMinute, time.Minute); err != nil {
			return "", err
		}
	}
	id, err := a.Store.ItemByReceipt(ctx, a.Keys.Hash("receipt", canonical))
	if homthu.ErrorCode(err) == homthu.ENOTFOUND && a.RateLimit > 0 {
		if lerr := a.limit(ctx, "receipt-fail", client, 1<<30, failWindow); lerr != nil {
			return "", lerr
		}
	}
	return id, err
}

// TrackMessage adds a citizen's message, authorised by the receipt alone.
func (a *App) TrackMessage(ctx context.Context, receipt, body string) error {
	body = strings.TrimSpace(vntext.NFC(body))
	if err := homthu.CheckText("Nội dung tin nhắn", body, homthu.MaxMessageRunes, true); err != nil {
		return err
	}
	id, err := a.itemByReceipt(ctx, receipt)
	if err != nil {
		return err
	}
	return a.Store.AddMessage(ctx, id, homthu.Message{From: "citizen", Body: body, At: a.now()}, 0)
}
