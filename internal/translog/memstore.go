package translog

import (
	"bytes"
	"context"
	"fmt"
	"sort"
	"sync"

	"golang.org/x/mod/sumdb/tlog"
)

// MemStore is a Store in memory, for tests, benchmarks and tools. Its zero
// value is an empty log, ready to use. It checks every Batch as strictly as a
// database's constraints would.
type MemStore struct {
	seq sync.Mutex // the append lock, held for a whole Sequence

	mu       sync.RWMutex
	leaves   [][]byte
	refs     map[string]int64
	hashes   []tlog.Hash
	pending  []Pending
	nextID   int64
	cps      map[int64]*StoredCheckpoint
	cosigIdx map[int64]map[string]int
}

var _ Store = (*MemStore)(nil)

// AddPending appends a row to the outbox, as the database does in the
// transaction of the record the leaf commits to, and returns its id.
func (m *MemStore) AddPending(ctx context.Context, leaf []byte, ref string) (int64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.nextID++
	m.pending = append(m.pending, Pending{ID: m.nextID, Leaf: bytes.Clone(leaf), Ref: ref})
	return m.nextID, nil
}

// Sequence implements Store.
func (m *MemStore) Sequence(ctx context.Context, max int, f SequenceFunc) error {
	m.seq.Lock()
	defer m.seq.Unlock()

	m.mu.RLock()
	n := min(max, len(m.pending))
	pending := make([]Pending, n)
	copy(pending, m.pending[:n])
	size := int64(len(m.leaves))
	m.mu.RUnlock()

	b, err := f(pending, size, hashReader(ctx, m))
	if err != nil || b == nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}

	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.check(b, size); err != nil {
		return fmt.Errorf("translog.MemStore.Sequence: %w", err)
	}
	if m.refs == nil {
		m.refs = make(map[string]int64)
	}
	for _, e := range b.Leaves {
		m.leaves = append(m.leaves, bytes.Clone(e.Leaf))
		if e.Ref != "" {
			m.refs[e.Ref] = e.Index
		}
	}
	m.hashes = append(m.hashes, b.Hashes...)
	done := make(map[int64]bool, len(b.Done))
	for _, id := range b.Done {
		done[id] = true
	}
	kept := m.pending[:0]
	for _, p := range m.pending {
		if !done[p.ID] {
			kept = append(kept, p)
		}
	}
	m.pending = kept
	return nil
}

// check validates a batch against the state, under m.mu.
func (m *MemStore) check(b *Batch, size int64) error {
	seen := make(map[string]bool, len(b.Leaves))
	for i, e := range b.Leaves {
		if e.Index != size+int64(i) {
			return fmt.Errorf("leaf %d has index %d, want %d", i, e.Index, size+int64(i))
		}
		if _, dup := m.refs[e.Ref]; e.Ref != "" && (dup || seen[e.Ref]) {
			return fmt.Errorf("ref %q already in the log", e.Ref)
		}
		seen[e.Ref] = true
	}
	if want := tlog.StoredHashCount(size+int64(len(b.Leaves))) - tlog.StoredHashCount(size); int64(len(b.Hashes)) != want {
		return fmt.Errorf("%d hashes for %d leaves, want %d", len(b.Hashes), len(b.Leaves), want)
	}
	ids := make(map[int64]bool, len(m.pending))
	for _, p := range m.pending {
		ids[p.ID] = true
	}
	for _, id := range b.Done {
		if !ids[id] {
			return fmt.Errorf("pending row %d does not exist", id)
		}
	}
	return nil
}

// TreeSize implements Store.
func (m *MemStore) TreeSize(ctx context.Context) (int64, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return int64(len(m.leaves)), nil
}

// ReadHashes implements Store.
func (m *MemStore) ReadHashes(ctx context.Context, indexes []int64) ([]tlog.Hash, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	out := make([]tlog.Hash, len(indexes))
	for i, x := range indexes {
		if x < 0 || x >= int64(len(m.hashes)) {
			return nil, fmt.Errorf("translog.MemStore.ReadHashes: index %d: %w", x, ErrNotFound)
		}
		out[i] = m.hashes[x]
	}
	return out, nil
}

// ReadLeaves implements Store.
func (m *MemStore) ReadLeaves(ctx context.Context, start, end int64) ([][]byte, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	if start < 0 || start > end || end > int64(len(m.leaves)) {
		return nil, fmt.Errorf("translog.MemStore.ReadLeaves(%d, %d) of %d: %w", start, end, len(m.leaves), ErrNotFound)
	}
	out := make([][]byte, end-start)
	for i := range out {
		out[i] = bytes.Clone(m.leaves[start+int64(i)])
	}
	return out, nil
}

// LeafIndex implements Store.
func (m *MemStore) LeafIndex(ctx context.Context, ref string) (int64, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	i, ok := m.refs[ref]
	if !ok {
		return 0, fmt.Errorf("translog.MemStore.LeafIndex(%q): %w", ref, ErrNotFound)
	}
	return i, nil
}

// SaveCheckpoint implements Store.
func (m *MemStore) SaveCheckpoint(ctx context.Context, size int64, signed []byte) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.cps == nil {
		m.cps = make(map[int64]*StoredCheckpoint)
		m.cosigIdx = make(map[int64]map[string]int)
	}
	if _, ok := m.cps[size]; !ok {
		m.cps[size] = &StoredCheckpoint{Size: size, Signed: bytes.Clone(signed)}
	}
	return nil
}

// LatestCheckpoint implements Store.
func (m *MemStore) LatestCheckpoint(ctx context.Context) (*StoredCheckpoint, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	var latest *StoredCheckpoint
	for _, c := range m.cps {
		if latest == nil || c.Size > latest.Size {
			latest = c
		}
	}
	if latest == nil {
		return nil, fmt.Errorf("translog.MemStore.LatestCheckpoint: %w", ErrNotFound)
	}
	return cloneCheckpoint(latest), nil
}

// Checkpoint implements Store.
func (m *MemStore) Checkpoint(ctx context.Context, size int64) (*StoredCheckpoint, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	c, ok := m.cps[size]
	if !ok {
		return nil, fmt.Errorf("translog.MemStore.Checkpoint(%d): %w", size, ErrNotFound)
	}
	return cloneCheckpoint(c), nil
}

// AddCosignature implements Store.
func (m *MemStore) AddCosignature(ctx context.Context, size int64, key string, line []byte) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	c, ok := m.cps[size]
	if !ok {
		return fmt.Errorf("translog.MemStore.AddCosignature(%d): %w", size, ErrNotFound)
	}
	idx := m.cosigIdx[size]
	if idx == nil {
		idx = make(map[string]int)
		m.cosigIdx[size] = idx
	}
	if i, ok := idx[key]; ok {
		c.Cosignatures[i] = bytes.Clone(line)
		return nil
	}
	idx[key] = len(c.Cosignatures)
	c.Cosignatures = append(c.Cosignatures, bytes.Clone(line))
	return nil
}

func cloneCheckpoint(c *StoredCheckpoint) *StoredCheckpoint {
	out := &StoredCheckpoint{Size: c.Size, Signed: bytes.Clone(c.Signed)}
	for _, l := range c.Cosignatures {
		out.Cosignatures = append(out.Cosignatures, bytes.Clone(l))
	}
	return out
}

// Pending returns the refs of the rows still in the outbox, sorted.
func (m *MemStore) Pending() []string {
	m.mu.RLock()
	defer m.mu.RUnlock()
	var refs []string
	for _, p := range m.pending {
		refs = append(refs, p.Ref)
	}
	sort.Strings(refs)
	return refs
}
