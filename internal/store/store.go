// Package store keeps homthu's data in SQLite (the embedded default) or
// PostgreSQL (for deployments where several `homthu serve` processes share
// one database). Each file holds one aggregate, with its raw SQL in a const
// beside the method that runs it. SQL is written once, with `?` placeholders,
// and rebound for PostgreSQL; the few statements that differ between the
// engines live in dialect.go.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver
	_ "modernc.org/sqlite"             // registers the "sqlite" database/sql driver
)

// Store is an open database.
type Store struct {
	// read is the pool for queries. On SQLite it has several connections
	// reading the WAL concurrently; on PostgreSQL it is the only pool.
	read *sql.DB
	// write is the pool for transactions. On SQLite it has exactly one
	// connection: SQLite has one writer, and a single Go-side writer avoids
	// SQLITE_BUSY entirely (the pocketbase recipe).
	write *sql.DB
	d     dialect

	batchOnce sync.Once
	closeOnce sync.Once
	closeErr  error
	batches   chan *batchReq
	stop      chan struct{}
	done      chan struct{}
	now       func() time.Time

	// stmts are the hot statements of the write path, prepared once on
	// SQLite's one writer connection (modernc.org/sqlite has no statement
	// cache, and parsing is a sixth of a submission's CPU on the writer).
	// Filled by Migrate, read-only after; PostgreSQL's driver caches
	// prepared statements itself.
	stmts map[string]*sql.Stmt

	// checkpointer is SQLite's one connection for WAL checkpoints, run by
	// checkpointLoop off the writer's path; nil on PostgreSQL.
	checkpointer *sql.DB
	cpDone       chan struct{}

	// jobs wakes the job runners of this process (JobSignal).
	jobs jobSignal
}

// Open opens the database named by url: "postgres://…" or "postgresql://…"
// for PostgreSQL, otherwise a SQLite file path (created if missing). It does
// not migrate; call Migrate.
func Open(ctx context.Context, url string) (*Store, error) {
	s := &Store{stop: make(chan struct{}), done: make(chan struct{}), now: time.Now}
	if strings.HasPrefix(url, "postgres://") || strings.HasPrefix(url, "postgresql://") {
		db, err := sql.Open("pgx", url)
		if err != nil {
			return nil, fmt.Errorf("store.Open: %w", err)
		}
		db.SetMaxOpenConns(32)
		db.SetMaxIdleConns(32)
		db.SetConnMaxIdleTime(5 * time.Minute)
		s.read, s.write, s.d = db, db, postgres{}
	} else {
		if dir := filepath.Dir(url); dir != "" {
			if err := os.MkdirAll(dir, 0o700); err != nil {
				return nil, fmt.Errorf("store.Open: %w", err)
			}
		}
		// busy_timeout first, then WAL, full fsync on commit, foreign keys,
		// and secure_delete so that freed pages keep no plain text.
		const pragmas = "_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)" +
			"&_pragma=foreign_keys(1)&_pragma=secure_delete(1)&_pragma=cache_size(-32000)"
		// The writer never checkpoints the WAL itself (wal_autocheckpoint=0):
		// a commit that triggers a checkpoint waits for it and its fsync, and
		// so does every request in that batch. A background connection
		// checkpoints instead (checkpointLoop).
		w, err := sql.Open("sqlite", "file:"+url+"?"+pragmas+"&_pragma=wal_autocheckpoint(0)&_txlock=immediate")
		if err != nil {
			return nil, fmt.Errorf("store.Open: %w", err)
		}
		w.SetMaxOpenConns(1)
		w.SetMaxIdleConns(1)
		w.SetConnMaxLifetime(0)
		r, err := sql.Open("sqlite", "file:"+url+"?"+pragmas+"&_pragma=query_only(1)")
		if err != nil {
			w.Close()
			return nil, fmt.Errorf("store.Open: %w", err)
		}
		r.SetMaxOpenConns(8)
		r.SetMaxIdleConns(8)
		cp, err := sql.Open("sqlite", "file:"+url+"?"+pragmas)
		if err != nil {
			w.Close()
			r.Close()
			return nil, fmt.Errorf("store.Open: %w", err)
		}
		cp.SetMaxOpenConns(1)
		s.read, s.write, s.d, s.checkpointer = r, w, sqlite{}, cp
		s.cpDone = make(chan struct{})
		go s.checkpointLoop()
	}
	if err := s.Ping(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// Engine is "sqlite" or "postgres".
func (s *Store) Engine() string { return s.d.name() }

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.write.PingContext(ctx); err != nil {
		return fmt.Errorf("store.Ping: %w", err)
	}
	return nil
}

// Close stops the batch writer and closes the pools. Closing twice is harmless.
func (s *Store) Close() error {
	s.closeOnce.Do(func() {
		close(s.stop)
		if s.batches != nil {
			<-s.done
		}
		if s.checkpointer != nil {
			<-s.cpDone
			s.checkpointer.ExecContext(context.Background(), "PRAGMA wal_checkpoint(TRUNCATE)")
			s.closeErr = s.checkpointer.Close()
		}
		s.closeErr = errors.Join(s.closeErr, s.write.Close())
		if s.read != s.write {
			s.closeErr = errors.Join(s.closeErr, s.read.Close())
		}
	})
	return s.closeErr
}

// DB returns the write pool (on SQLite its one connection), for tests and
// tools that need raw access to the database.
func (s *Store) DB() *sql.DB { return s.write }

// Tx is a transaction. Its methods take SQL with `?` placeholders.
type Tx struct {
	tx    *sql.Tx
	d     dialect
	stmts map[string]*sql.Stmt
	clock func() time.Time
	// jobs is set by a statement that enqueued or re-planned a job: the
	// commit then wakes this process's job runners (JobSignal).
	jobs bool
}

// now is the store's clock (Store.now), for the rows a Tx writes.
func (tx *Tx) now() time.Time {
	if tx.clock != nil {
		return tx.clock()
	}
	return time.Now()
}

// begin starts a Tx on the write pool.
func (s *Store) begin(ctx context.Context) (*Tx, error) {
	t, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	return &Tx{tx: t, d: s.d, stmts: s.stmts, clock: s.now}, nil
}

// commit commits tx and, if it enqueued a job, wakes the job runners.
func (s *Store) commit(tx *Tx) error {
	if err := tx.tx.Commit(); err != nil {
		return err
	}
	if tx.jobs {
		s.jobs.fire()
	}
	return nil
}

// Exec runs a statement.
func (tx *Tx) Exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if st, ok := tx.stmts[query]; ok {
		return tx.tx.StmtContext(ctx, st).ExecContext(ctx, args...)
	}
	return tx.tx.ExecContext(ctx, tx.d.rebind(query), args...)
}

// hotStatements are prepared once on SQLite (see Store.stmts).
var hotStatements = []string{insertItemSQL, insertAttachmentSQL, insertPendingSQL, putIdempotencySQL, expireIdempotencySQL,
	"SAVEPOINT b", "RELEASE SAVEPOINT b", "ROLLBACK TO SAVEPOINT b"}

// prepare prepares the hot statements on SQLite's writer connection. It
// runs outside any transaction (the pool has one connection, which a
// transaction would hold).
func (s *Store) prepare(ctx context.Context) error {
	if s.d.name() != "sqlite" || s.stmts != nil {
		return nil
	}
	m := map[string]*sql.Stmt{}
	for _, q := range hotStatements {
		st, err := s.write.PrepareContext(ctx, q)
		if err != nil {
			return fmt.Errorf("store.prepare: %w", err)
		}
		m[q] = st
	}
	s.stmts = m
	return nil
}

// Query runs a query.
func (tx *Tx) Query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return tx.tx.QueryContext(ctx, tx.d.rebind(query), args...)
}

// QueryRow runs a query that returns at most one row.
func (tx *Tx) QueryRow(ctx context.Context, query string, args ...any) *sql.Row {
	return tx.tx.QueryRowContext(ctx, tx.d.rebind(query), args...)
}

// Engine is "sqlite" or "postgres".
func (tx *Tx) Engine() string { return tx.d.name() }

// Transact runs fn in a transaction, committed if fn returns nil and rolled
// back otherwise.
func (s *Store) Transact(ctx context.Context, fn func(tx *Tx) error) error {
	tx, err := s.begin(ctx)
	if err != nil {
		return fmt.Errorf("store.Transact: begin: %w", err)
	}
	if err := fn(tx); err != nil {
		tx.tx.Rollback()
		return err
	}
	if err := s.commit(tx); err != nil {
		return fmt.Errorf("store.Transact: commit: %w", err)
	}
	return nil
}

func (s *Store) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	return s.read.QueryContext(ctx, s.d.rebind(q), args...)
}

func (s *Store) queryRow(ctx context.Context, q string, args ...any) *sql.Row {
	return s.read.QueryRowContext(ctx, s.d.rebind(q), args...)
}

func (s *Store) exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	return s.write.ExecContext(ctx, s.d.rebind(q), args...)
}

// ms converts a time to the unix milliseconds stored in BIGINT columns; the
// zero time is stored as NULL.
func ms(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UnixMilli()
}

func fromMS(v sql.NullInt64) time.Time {
	if !v.Valid {
		return time.Time{}
	}
	return time.UnixMilli(v.Int64)
}

// checkpointLoop copies the WAL back into the database file every half
// second (PASSIVE: it never waits for, nor blocks, the writer or readers),
// and truncates the WAL when it has been fully copied and nothing else
// happened for a while. It stops when the store closes.
func (s *Store) checkpointLoop() {
	defer close(s.cpDone)
	t := time.NewTicker(500 * time.Millisecond)
	defer t.Stop()
	ctx := context.Background()
	idle := 0
	for {
		select {
		case <-s.stop:
			return
		case <-t.C:
		}
		var busy, logFrames, done int
		if err := s.checkpointer.QueryRowContext(ctx, "PRAGMA wal_checkpoint(PASSIVE)").Scan(&busy, &logFrames, &done); err != nil {
			continue
		}
		if logFrames > 0 && done == logFrames {
			idle++
		} else {
			idle = 0
		}
		if idle >= 20 { // 10 s with the WAL fully copied: reset it
			s.checkpointer.ExecContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)")
			idle = 0
		}
	}
}
