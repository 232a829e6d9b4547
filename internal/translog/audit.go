package translog

import (
	"context"
	"errors"
	"fmt"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// AuditReport says what Audit checked.
type AuditReport struct {
	Size        int64     // leaves replayed: the whole log
	Root        tlog.Hash // the root hash recomputed from them
	Checkpoints int       // signed checkpoints matched against the replay
}

// Audit replays the whole log from a Store: it parses every leaf, recomputes
// every stored hash from the leaves and compares it with the stored one, and
// checks the recomputed root at the size of every checkpoint it is given —
// the store's latest and those held outside the database (a monitor's saved
// state, a witness's cosigned checkpoint, the checkpoint of a citizen's
// proof bundle) — each of which must be signed by the log's key.
//
// Checking a log only against its own latest signature proves nothing
// against whoever holds both the database and the signing key: they can
// rewrite the leaves, recompute the hashes and sign anew. Only checkpoints
// kept outside catch that, so pass them. Every finding wraps ErrInconsistent:
// a leaf or hash that was changed, a history rewritten or forked (a root that
// differs from a signed checkpoint's at the same size) and a truncated log (a
// checkpoint larger than the log).
func Audit(ctx context.Context, s Store, verifierKey string, outside ...[]byte) (*AuditReport, error) {
	v, err := note.NewVerifier(verifierKey)
	if err != nil {
		return nil, fmt.Errorf("translog.Audit: verifier key: %w", err)
	}
	type target struct {
		source string
		c      Checkpoint
	}
	var targets []target
	for i, msg := range outside {
		c, _, err := OpenCheckpoint(msg, v)
		if err != nil {
			return nil, fmt.Errorf("translog.Audit: outside checkpoint %d: %w", i+1, err)
		}
		targets = append(targets, target{fmt.Sprintf("outside checkpoint %d", i+1), c})
	}
	latest, err := s.LatestCheckpoint(ctx)
	switch {
	case errors.Is(err, ErrNotFound):
	case err != nil:
		return nil, fmt.Errorf("translog.Audit: %w", err)
	default:
		c, _, err := OpenCheckpoint(latest.Signed, v)
		if err != nil {
			return nil, fmt.Errorf("translog.Audit: the store's latest checkpoint: %v: %w", err, ErrInconsistent)
		}
		targets = append(targets, target{"the store's latest checkpoint", c})
	}

	size, err := s.TreeSize(ctx)
	if err != nil {
		return nil, fmt.Errorf("translog.Audit: %w", err)
	}
	at := make(map[int64][]target)
	for _, t := range targets {
		if t.c.Size > size {
			return nil, fmt.Errorf("translog.Audit: log truncated: %s is signed at tree size %d but the log has %d leaves: %w",
				t.source, t.c.Size, size, ErrInconsistent)
		}
		at[t.c.Size] = append(at[t.c.Size], t)
	}

	f := make(frontier)
	checkRoot := func(n int64) error {
		if len(at[n]) == 0 {
			return nil
		}
		root, err := tlog.TreeHash(n, f)
		if err != nil {
			return err
		}
		for _, t := range at[n] {
			if t.c.Hash != root {
				return fmt.Errorf("history rewritten or forked: %s has root %s at tree size %d, the leaves give %s: %w",
					t.source, encodeHash(t.c.Hash), n, encodeHash(root), ErrInconsistent)
			}
		}
		return nil
	}
	if err := checkRoot(0); err != nil {
		return nil, fmt.Errorf("translog.Audit: %w", err)
	}
	for start := int64(0); start < size; start += tileWidth {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		end := min(start+tileWidth, size)
		leaves, err := s.ReadLeaves(ctx, start, end)
		if err != nil {
			return nil, fmt.Errorf("translog.Audit: %w", err)
		}
		if int64(len(leaves)) != end-start {
			return nil, fmt.Errorf("translog.Audit: ReadLeaves(%d, %d) = %d leaves", start, end, len(leaves))
		}
		first := tlog.StoredHashCount(start)
		idx := make([]int64, tlog.StoredHashCount(end)-first)
		for i := range idx {
			idx[i] = first + int64(i)
		}
		stored, err := s.ReadHashes(ctx, idx)
		if err != nil {
			return nil, fmt.Errorf("translog.Audit: %w", err)
		}
		off := 0
		for i, leaf := range leaves {
			n := start + int64(i)
			if _, err := ParseLeaf(leaf); err != nil {
				return nil, fmt.Errorf("translog.Audit: leaf %d: %v: %w", n, err, ErrInconsistent)
			}
			hs, err := f.add(n, leaf)
			if err != nil {
				return nil, fmt.Errorf("translog.Audit: leaf %d: %w", n, err)
			}
			for j, h := range hs {
				if off+j >= len(stored) || stored[off+j] != h {
					return nil, fmt.Errorf("translog.Audit: stored hash of node %d at level %d differs from the one leaf %d gives (leaf or hash changed): %w",
						n>>uint(j), j, n, ErrInconsistent)
				}
			}
			off += len(hs)
			if err := checkRoot(n + 1); err != nil {
				return nil, fmt.Errorf("translog.Audit: %w", err)
			}
		}
	}
	root, err := tlog.TreeHash(size, f)
	if err != nil {
		return nil, fmt.Errorf("translog.Audit: %w", err)
	}
	return &AuditReport{Size: size, Root: root, Checkpoints: len(targets)}, nil
}

// frontier holds the hashes of the maximal complete subtrees of a tree being
// replayed from its leaves — at most one per level — which is all that
// tlog.StoredHashes and tlog.TreeHash read. Replaying a log thus takes
// memory logarithmic in its size.
type frontier map[int64]tlog.Hash

// add appends leaf n and returns its stored hashes.
func (f frontier) add(n int64, leaf []byte) ([]tlog.Hash, error) {
	hs, err := tlog.StoredHashes(n, leaf, f)
	if err != nil {
		return nil, err
	}
	m := len(hs) - 1 // the leaf completes subtrees up to level m
	for j := 0; j < m; j++ {
		delete(f, tlog.StoredHashIndex(j, n>>uint(j)-1))
	}
	f[tlog.StoredHashIndex(m, n>>uint(m))] = hs[m]
	return hs, nil
}

// ReadHashes implements tlog.HashReader.
func (f frontier) ReadHashes(indexes []int64) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(indexes))
	for i, x := range indexes {
		h, ok := f[x]
		if !ok {
			return nil, fmt.Errorf("translog: replay needs hash %d, not on the frontier", x)
		}
		out[i] = h
	}
	return out, nil
}
