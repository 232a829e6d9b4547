package translog

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// Monitor follows a homthu log (this instance's or another's) over HTTP as
// C2SP tlog-tiles serves it. Each Check fetches the checkpoint, verifies the
// log's signature, proves the new tree consistent with the last checkpoint
// it saw (tlog.ProveTree over tiles authenticated by tlog.TileHashReader,
// then tlog.CheckTree), fetches the new entries and checks that each hashes
// to its place in the tree and is a well-formed leaf, and only then saves the
// new checkpoint as its state in Dir. The first Check trusts the checkpoint
// it is given and replays the whole log.
//
// A Monitor with a Cosigner is a witness: after each successful Check it
// cosigns the checkpoint (C2SP tlog-cosignature) and saves the cosigned note
// beside its state, ready to be sent to the log's operator, who records it
// with Log.AddCosignatures.
type Monitor struct {
	// URL is the log's prefix, e.g. "https://homthu.example/log".
	URL string
	// VerifierKey is the log's verifier key, obtained from a source the
	// monitor trusts (the portal, a printed notice), never from the log
	// itself. Its name is the checkpoint origin.
	VerifierKey string
	// Dir is the directory of the monitor's state: one file per log,
	// "<origin>.checkpoint", holding the last checkpoint found consistent.
	Dir string
	// Full, if set, makes every Check fetch and check all entries, not only
	// the new ones, which also catches a leaf changed after it was seen.
	Full bool
	// Cosigner, if set, cosigns every checkpoint found consistent; the
	// cosigned note is saved as "<origin>.cosigned".
	Cosigner note.Signer
	// Client is the HTTP client; nil means http.DefaultClient.
	Client *http.Client
	// Logger receives the errors Run retries. Default slog.Default().
	Logger *slog.Logger
}

// MonitorResult is what a Check found.
type MonitorResult struct {
	Previous   Checkpoint // the state before; Size 0 on the first check
	Checkpoint Checkpoint // the new state
	Entries    int64      // entries fetched and checked
	Cosigned   []byte     // the cosigned checkpoint, if a Cosigner is set
}

// Check runs one round of monitoring. It returns an error wrapping
// ErrInconsistent — and leaves the saved state unchanged — when the log
// misbehaved: a checkpoint smaller than the last one seen (truncated), a
// different root at the same size (fork), a tree not consistent with the
// last one (rewritten history), a tile or entry that does not match the
// signed root (tampered). Other errors (network, server) are transient.
func (m *Monitor) Check(ctx context.Context) (*MonitorResult, error) {
	v, err := note.NewVerifier(m.VerifierKey)
	if err != nil {
		return nil, fmt.Errorf("translog.Monitor: verifier key: %w", err)
	}
	res := &MonitorResult{}
	var old Checkpoint
	prev, err := os.ReadFile(m.statePath(v.Name(), "checkpoint"))
	switch {
	case errors.Is(err, fs.ErrNotExist):
		old = Checkpoint{Origin: v.Name(), Hash: emptyTreeHash()}
	case err != nil:
		return nil, fmt.Errorf("translog.Monitor: state: %w", err)
	default:
		if old, _, err = OpenCheckpoint(prev, v); err != nil {
			return nil, fmt.Errorf("translog.Monitor: saved state %s: %w", m.statePath(v.Name(), "checkpoint"), err)
		}
	}
	res.Previous = old

	msg, err := m.get(ctx, "checkpoint", maxCheckpointSize)
	if err != nil {
		return nil, err
	}
	c, n, err := OpenCheckpoint(msg, v)
	if err != nil {
		return nil, fmt.Errorf("translog.Monitor: %s/checkpoint: %w", m.URL, err)
	}
	res.Checkpoint = c
	inconsistent := func(format string, args ...any) error {
		return fmt.Errorf("translog.Monitor: %s: %s: %w\nlast seen:\n%snow served:\n%s",
			m.URL, fmt.Sprintf(format, args...), ErrInconsistent, old, c)
	}
	switch {
	case c.Size < old.Size:
		return nil, inconsistent("log truncated: tree size %d is smaller than %d seen before", c.Size, old.Size)
	case c.Size == old.Size && c.Hash != old.Hash:
		return nil, inconsistent("fork: two different roots signed for tree size %d", c.Size)
	}

	tr := &tileFetcher{m: m, ctx: ctx}
	thr := tlog.TileHashReader(c.Tree(), tr)
	if old.Size > 0 && c.Size > old.Size {
		p, err := tlog.ProveTree(c.Size, old.Size, thr)
		if err != nil {
			if tr.failed(err) {
				return nil, err
			}
			return nil, inconsistent("tiles do not match the signed root: %v", err)
		}
		if err := tlog.CheckTree(p, c.Size, c.Hash, old.Size, old.Hash); err != nil {
			return nil, inconsistent("history rewritten: tree %d is not consistent with tree %d: %v", c.Size, old.Size, err)
		}
	}

	from := old.Size
	if m.Full || old.Size == 0 {
		from = 0
	}
	for start := from - from%tileWidth; start < c.Size; start += tileWidth {
		end := min(start+tileWidth, c.Size)
		t := tlog.Tile{H: TileHeight, L: -1, N: start / tileWidth, W: int(end - start)}
		data, err := m.get(ctx, TilePath(t), maxEntryBundle)
		if err != nil {
			return nil, err
		}
		entries, err := parseEntryBundle(data)
		if err != nil || len(entries) != t.W {
			return nil, inconsistent("entry bundle %s: malformed or not %d entries", TilePath(t), t.W)
		}
		idx := make([]int64, t.W)
		for i := range idx {
			idx[i] = tlog.StoredHashIndex(0, start+int64(i))
		}
		hashes, err := thr.ReadHashes(idx)
		if err != nil {
			if tr.failed(err) {
				return nil, err
			}
			return nil, inconsistent("tiles do not match the signed root: %v", err)
		}
		for i, e := range entries {
			if tlog.RecordHash(e) != hashes[i] {
				return nil, inconsistent("entry %d does not hash to its place in the tree (tampered leaf)", start+int64(i))
			}
			if _, err := ParseLeaf(e); err != nil {
				return nil, inconsistent("entry %d: %v", start+int64(i), err)
			}
		}
		if end > from {
			res.Entries += end - max(start, from)
		}
	}

	if m.Cosigner != nil {
		if res.Cosigned, err = note.Sign(&note.Note{Text: n.Text, Sigs: n.Sigs}, m.Cosigner); err != nil {
			return nil, fmt.Errorf("translog.Monitor: cosign: %w", err)
		}
		if err := writeFileAtomic(m.statePath(c.Origin, "cosigned"), res.Cosigned); err != nil {
			return nil, fmt.Errorf("translog.Monitor: %w", err)
		}
	}
	if err := writeFileAtomic(m.statePath(c.Origin, "checkpoint"), msg); err != nil {
		return nil, fmt.Errorf("translog.Monitor: %w", err)
	}
	return res, nil
}

// Run checks every interval until ctx is done (returning nil) or the log is
// found inconsistent (returning that error). Transient errors are logged and
// retried at the next tick.
func (m *Monitor) Run(ctx context.Context, interval time.Duration) error {
	logger := m.Logger
	if logger == nil {
		logger = slog.Default()
	}
	for {
		res, err := m.Check(ctx)
		switch {
		case errors.Is(err, ErrInconsistent):
			return err
		case err != nil && ctx.Err() == nil:
			logger.Error("translog: monitor", "url", m.URL, "err", err)
		case err == nil:
			logger.Info("translog: monitor", "url", m.URL, "size", res.Checkpoint.Size, "entries", res.Entries)
		}
		t := time.NewTimer(interval)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil
		case <-t.C:
		}
	}
}

// statePath names a state file after the origin; the origin is hashed into
// the name when it holds characters unsafe in a file name.
func (m *Monitor) statePath(origin, ext string) string {
	name := origin
	if strings.ContainsFunc(name, func(r rune) bool {
		return !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || r == '.' || r == '-' || r == '_' || r == '/')
	}) || strings.Contains(name, "..") {
		sum := sha256.Sum256([]byte(origin))
		name = hex.EncodeToString(sum[:16])
	}
	return filepath.Join(m.Dir, strings.ReplaceAll(name, "/", "_")+"."+ext)
}

// get fetches a resource under the log's prefix, at most limit bytes.
func (m *Monitor) get(ctx context.Context, path string, limit int64) ([]byte, error) {
	u := strings.TrimSuffix(m.URL, "/") + "/" + path
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, &fetchError{fmt.Errorf("translog.Monitor: %w", err)}
	}
	client := m.Client
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, &fetchError{fmt.Errorf("translog.Monitor: %w", err)}
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, &fetchError{fmt.Errorf("translog.Monitor: GET %s: %s", u, resp.Status)}
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, &fetchError{fmt.Errorf("translog.Monitor: GET %s: %w", u, err)}
	}
	if int64(len(b)) > limit {
		return nil, &fetchError{fmt.Errorf("translog.Monitor: GET %s: response larger than %d bytes", u, limit)}
	}
	return b, nil
}

// fetchError marks an error of the network or the server, as opposed to
// data that fails verification.
type fetchError struct{ err error }

func (e *fetchError) Error() string { return e.err.Error() }
func (e *fetchError) Unwrap() error { return e.err }

// tileFetcher is the tlog.TileReader of a Monitor: it fetches hash tiles
// over HTTP and keeps them for the duration of one Check.
type tileFetcher struct {
	m   *Monitor
	ctx context.Context

	mu    sync.Mutex
	cache map[tlog.Tile][]byte
	err   error // the last fetch error
}

func (f *tileFetcher) Height() int { return TileHeight }

func (f *tileFetcher) ReadTiles(tiles []tlog.Tile) ([][]byte, error) {
	out := make([][]byte, len(tiles))
	for i, t := range tiles {
		f.mu.Lock()
		data, ok := f.cache[t]
		f.mu.Unlock()
		if !ok {
			var err error
			data, err = f.m.get(f.ctx, TilePath(t), tileWidth*tlog.HashSize)
			if err != nil {
				f.mu.Lock()
				f.err = err
				f.mu.Unlock()
				return nil, err
			}
			if len(data) != t.W*tlog.HashSize {
				return nil, fmt.Errorf("tile %s has %d bytes, want %d", TilePath(t), len(data), t.W*tlog.HashSize)
			}
			f.mu.Lock()
			if f.cache == nil {
				f.cache = make(map[tlog.Tile][]byte)
			}
			f.cache[t] = data
			f.mu.Unlock()
		}
		out[i] = data
	}
	return out, nil
}

// SaveTiles is called for tiles verified against the root; a Check keeps
// nothing beyond its own run, so there is nothing to do.
func (f *tileFetcher) SaveTiles(tiles []tlog.Tile, data [][]byte) {}

// failed reports whether err came from fetching rather than verifying.
// tlog does not wrap the reader's errors, so the fetcher remembers its own.
func (f *tileFetcher) failed(err error) bool {
	var fe *fetchError
	if errors.As(err, &fe) {
		return true
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.err != nil
}

// emptyTreeHash is the RFC 6962 root of the empty tree, SHA-256 of nothing.
func emptyTreeHash() tlog.Hash {
	h, _ := tlog.TreeHash(0, nil)
	return h
}

// writeFileAtomic writes a file through a temporary file and a rename, so a
// crash never leaves a half-written state.
func writeFileAtomic(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(filepath.Dir(path), ".tmp-"+filepath.Base(path)+"-*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}
