package loadgen

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base32"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	_ "modernc.org/sqlite" // the same pure-Go SQLite homthu uses
)

// The ways a Baseline commits.
const (
	// GroupCommit: one writer goroutine commits, in one transaction, every
	// insert queued while the previous commit was being made durable.
	GroupCommit = "groupcommit"
	// PerTx: each request runs its own transaction on the one connection.
	PerTx = "pertx"
)

// Modes lists the baseline modes.
var Modes = []string{GroupCommit, PerTx}

// baselineSchema stores a row of the same size and indexes as homthu's
// items table — the text twice (as written, and lower-cased for search),
// salts, hashes and a unique receipt hash — so that the baseline writes as
// many bytes and B-tree entries per letter as homthu does, and the
// difference between the two is homthu's own work.
const baselineSchema = `
CREATE TABLE IF NOT EXISTS items (
    id           TEXT PRIMARY KEY,
    area         TEXT NOT NULL,
    recipient    TEXT NOT NULL,
    content      TEXT NOT NULL,
    subject      TEXT NOT NULL,
    search       TEXT NOT NULL,
    received_on  TEXT NOT NULL,
    received_at  BIGINT,
    anonymous    INTEGER NOT NULL,
    identity     BLOB,
    receipt_hash BLOB UNIQUE,
    commit_salt  BLOB NOT NULL,
    text_hash    BLOB NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS items_area ON items(area, received_on, id);
CREATE INDEX IF NOT EXISTS items_order ON items(received_on, id);`

const baselineInsert = `INSERT INTO items (id, area, recipient, content, subject, search, received_on, received_at,
    anonymous, identity, receipt_hash, commit_salt, text_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`

// maxGroup bounds one group commit, as store.Batch does.
const maxGroup = 256

// Baseline is the bare stack: net/http, encoding/json and SQLite in WAL mode
// with synchronous=FULL on one connection, answering POST /api/v1/feedback
// with 201 {"receipt", "received_at"} and nothing else — no validation
// beyond non-empty fields, no units, no keys, no idempotency.
type Baseline struct {
	db   *sql.DB
	ins  *sql.Stmt
	mode string

	queue chan *insert
	stop  chan struct{}
	done  chan struct{}
	close sync.Once
}

type insert struct {
	args []any
	done chan error
}

// OpenBaseline creates (or opens) the baseline's database at path and, in
// GroupCommit mode, starts its writer.
func OpenBaseline(path, mode string) (*Baseline, error) {
	if mode != GroupCommit && mode != PerTx {
		return nil, fmt.Errorf("loadgen.OpenBaseline: mode %q: want %s", mode, strings.Join(Modes, " or "))
	}
	// The same recipe as homthu's store: busy_timeout first, WAL, a full
	// fsync of the WAL on every commit, one connection (one writer).
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)&_txlock=immediate")
	if err != nil {
		return nil, fmt.Errorf("loadgen.OpenBaseline: %w", err)
	}
	db.SetMaxOpenConns(1)
	db.SetMaxIdleConns(1)
	db.SetConnMaxLifetime(0)
	ctx := context.Background()
	if err := checkDurable(ctx, db); err != nil {
		db.Close()
		return nil, err
	}
	if _, err := db.ExecContext(ctx, baselineSchema); err != nil {
		db.Close()
		return nil, fmt.Errorf("loadgen.OpenBaseline: schema: %w", err)
	}
	ins, err := db.PrepareContext(ctx, baselineInsert)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("loadgen.OpenBaseline: %w", err)
	}
	b := &Baseline{db: db, ins: ins, mode: mode, stop: make(chan struct{}), done: make(chan struct{})}
	if mode == GroupCommit {
		b.queue = make(chan *insert, maxGroup)
		go b.writer()
	} else {
		close(b.done)
	}
	return b, nil
}

// checkDurable refuses a database that would not fsync on commit: a baseline
// that skips the fsync would measure the page cache, not the disk.
func checkDurable(ctx context.Context, db *sql.DB) error {
	var jm string
	var sync int
	if err := db.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&jm); err != nil {
		return fmt.Errorf("loadgen: journal_mode: %w", err)
	}
	if err := db.QueryRowContext(ctx, "PRAGMA synchronous").Scan(&sync); err != nil {
		return fmt.Errorf("loadgen: synchronous: %w", err)
	}
	if jm != "wal" || sync != 2 {
		return fmt.Errorf("loadgen: journal_mode=%s synchronous=%d, want wal and 2 (FULL)", jm, sync)
	}
	return nil
}

// Mode is GroupCommit or PerTx.
func (b *Baseline) Mode() string { return b.mode }

// DB returns the database, for checks.
func (b *Baseline) DB() *sql.DB { return b.db }

// Close stops the writer and closes the database.
func (b *Baseline) Close() error {
	b.close.Do(func() { close(b.stop) })
	<-b.done
	b.ins.Close()
	return b.db.Close()
}

// Handler serves POST /api/v1/feedback.
func (b *Baseline) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST "+FeedbackPath, b.postFeedback)
	return mux
}

var baselineEncoding = base32.NewEncoding("0123456789ABCDEFGHJKMNPQRSTVWXYZ").WithPadding(base32.NoPadding)

func (b *Baseline) postFeedback(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 1<<20))
	if err != nil {
		http.Error(w, `{"error":{"code":"invalid"}}`, http.StatusBadRequest)
		return
	}
	var f Feedback
	if err := json.Unmarshal(body, &f); err != nil || f.Area == "" || strings.TrimSpace(f.Content) == "" {
		http.Error(w, `{"error":{"code":"invalid"}}`, http.StatusBadRequest)
		return
	}
	var rnd [10 + 10 + 32]byte
	rand.Read(rnd[:])
	id, receipt, salt := baselineEncoding.EncodeToString(rnd[:10]), baselineEncoding.EncodeToString(rnd[10:20]), rnd[20:]
	rh := sha256.Sum256([]byte(receipt))
	th := sha256.Sum256([]byte(f.Content))
	now := time.Now()
	day := now.Format(time.DateOnly)
	var subject []byte
	if f.Subject != nil {
		subject, _ = json.Marshal(f.Subject)
	}
	var identity []byte
	var at any
	answer := day
	if !f.Anonymous {
		identity, _ = json.Marshal(f.Submitter)
		at = now.UnixMilli()
		answer = now.Format(time.RFC3339)
	}
	args := []any{id, f.Area, f.Area, f.Content, string(subject), strings.ToLower(f.Content), day, at,
		f.Anonymous, identity, rh[:], salt, th[:]}
	if err := b.insert(r.Context(), args); err != nil {
		http.Error(w, `{"error":{"code":"internal"}}`, http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(http.StatusCreated)
	json.NewEncoder(w).Encode(struct {
		Receipt    string `json:"receipt"`
		ReceivedAt string `json:"received_at"`
	}{receipt, answer})
}

// insert stores one row durably: it returns after the commit that holds it.
func (b *Baseline) insert(ctx context.Context, args []any) error {
	if b.mode == PerTx {
		tx, err := b.db.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		if _, err := tx.StmtContext(ctx, b.ins).ExecContext(ctx, args...); err != nil {
			tx.Rollback()
			return err
		}
		return tx.Commit()
	}
	in := &insert{args: args, done: make(chan error, 1)}
	select {
	case b.queue <- in:
	case <-b.stop:
		return errors.New("loadgen: baseline closed")
	}
	select {
	case err := <-in.done:
		return err
	case <-b.done:
		// The writer stopped; it may have answered just before.
		select {
		case err := <-in.done:
			return err
		default:
			return errors.New("loadgen: baseline closed")
		}
	}
}

// writer is the group-commit loop: it takes the first queued insert, then
// everything else queued at that moment, and commits them together.
func (b *Baseline) writer() {
	defer close(b.done)
	group := make([]*insert, 0, maxGroup)
	for {
		select {
		case in := <-b.queue:
			group = append(group[:0], in)
		case <-b.stop:
			for {
				select {
				case in := <-b.queue:
					in.done <- errors.New("loadgen: baseline closed")
				default:
					return
				}
			}
		}
	fill:
		for len(group) < maxGroup {
			select {
			case in := <-b.queue:
				group = append(group, in)
			default:
				break fill
			}
		}
		errs := b.commit(group)
		for i, in := range group {
			in.done <- errs[i]
		}
	}
}

func (b *Baseline) commit(group []*insert) []error {
	errs := make([]error, len(group))
	ctx := context.Background()
	tx, err := b.db.BeginTx(ctx, nil)
	if err == nil {
		st := tx.StmtContext(ctx, b.ins)
		for i, in := range group {
			// A failed INSERT in SQLite undoes only its own statement; the
			// others in the group go on.
			_, errs[i] = st.ExecContext(ctx, in.args...)
		}
		err = tx.Commit()
	}
	if err != nil {
		for i := range errs {
			if errs[i] == nil {
				errs[i] = err
			}
		}
	}
	return errs
}
