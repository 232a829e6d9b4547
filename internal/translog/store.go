package translog

import (
	"context"
	"errors"

	"golang.org/x/mod/sumdb/tlog"
)

// Errors returned by a Store and by this package. Test them with errors.Is.
var (
	// ErrNotFound: no such leaf, reference or checkpoint.
	ErrNotFound = errors.New("translog: not found")
	// ErrPending: the record is not yet covered by a signed checkpoint. It
	// will be after the next scheduled checkpoint; the JSON API answers 409
	// with Retry-After (Log.RetryAfter).
	ErrPending = errors.New("translog: not yet covered by a signed checkpoint")
	// ErrInconsistent: the log is not what its checkpoints say it is — a
	// tampered leaf or hash, a rewritten history, a fork or a truncated log.
	// Audit and Monitor wrap it with what they found.
	ErrInconsistent = errors.New("translog: log inconsistent")
)

// Store is the durable state of the log: leaves, the tree's stored hashes (as
// tlog numbers them), the pending outbox, signed checkpoints and
// cosignatures. The database implements it (internal/store); MemStore does
// in memory. translogtest.Run is the suite every implementation passes.
//
// Records enter the log through a durable outbox. Whoever commits a record
// (an item, a sealed opening, ...) inserts, in the SAME transaction, a row
// into log_pending(id, leaf, ref): leaf is Leaf.MarshalBinary, ref names the
// record ("item:<id>"). A crash after that commit loses nothing: the next
// Sequence (every homthu serve runs one at start) moves the row into the
// tree. Appending thus costs a submission one INSERT, and the tree's order is
// the sequencer's, not the arrival order.
type Store interface {
	// Sequence runs f inside one transaction that holds the log's
	// exclusive append lock, so that appends are serialised even across
	// several processes sharing one database (PostgreSQL: an advisory
	// transaction lock; SQLite: the single writer connection). Inside it,
	// Sequence reads up to max pending rows (oldest first) and the current
	// tree size, calls f with them and a HashReader over the stored hashes
	// as of that transaction, then writes the returned Batch: its leaves at
	// their indexes (which start at size and are consecutive) with their
	// refs, its hashes at storage indexes tlog.StoredHashCount(size)
	// onwards, and deletes the pending rows listed in Batch.Done. It
	// commits all of that or nothing. If f returns an error or a nil Batch,
	// nothing is written. f may be called with no pending rows.
	Sequence(ctx context.Context, max int, f SequenceFunc) error

	// TreeSize returns the number of leaves in the tree.
	TreeSize(ctx context.Context) (int64, error)

	// ReadHashes returns the stored hashes at the given storage indexes (see
	// tlog.StoredHashIndex), in the order asked, or an error if any is
	// missing. Callers ask for at most a few hundred at a time.
	ReadHashes(ctx context.Context, indexes []int64) ([]tlog.Hash, error)

	// ReadLeaves returns the encoded leaves with indexes start ≤ i < end,
	// or an error if end exceeds the tree size. Callers ask for at most 256
	// (one entry bundle) at a time.
	ReadLeaves(ctx context.Context, start, end int64) ([][]byte, error)

	// LeafIndex returns the index of the leaf appended for ref, or
	// ErrNotFound if none was (yet).
	LeafIndex(ctx context.Context, ref string) (int64, error)

	// SaveCheckpoint records a checkpoint signed by the log for the given
	// tree size. Saving the same size again is a no-op (Ed25519 signatures
	// are deterministic, so two processes signing one size sign the same
	// bytes).
	SaveCheckpoint(ctx context.Context, size int64, signed []byte) error

	// LatestCheckpoint returns the checkpoint of the largest tree size, with
	// the cosignatures recorded for it, or ErrNotFound if none was saved.
	LatestCheckpoint(ctx context.Context) (*StoredCheckpoint, error)

	// Checkpoint returns the checkpoint for the given tree size with its
	// cosignatures, or ErrNotFound.
	Checkpoint(ctx context.Context, size int64) (*StoredCheckpoint, error)

	// AddCosignature records a cosignature line for the checkpoint of the
	// given size, once per cosigner key (name and key ID, "name+hex"). A
	// second line for the same key replaces the first: a witness's newer
	// timestamp wins.
	AddCosignature(ctx context.Context, size int64, key string, line []byte) error
}

// SequenceFunc computes the batch to append to a tree of the given size from
// pending rows. r reads the stored hashes of that tree.
type SequenceFunc func(pending []Pending, size int64, r tlog.HashReader) (*Batch, error)

// Pending is a row of the outbox log_pending.
type Pending struct {
	ID   int64
	Leaf []byte // Leaf.MarshalBinary
	Ref  string // the record the leaf commits to, e.g. "item:42"
}

// Batch is what one Sequence appends.
type Batch struct {
	Leaves []Entry     // Leaves[i].Index == size+i
	Hashes []tlog.Hash // stored hashes from tlog.StoredHashCount(size) on
	Done   []int64     // ids of the pending rows now in the tree
}

// Entry is a leaf of the tree with the reference of its record.
type Entry struct {
	Index int64
	Leaf  []byte
	Ref   string
}

// StoredCheckpoint is a checkpoint as a Store keeps it.
type StoredCheckpoint struct {
	Size         int64
	Signed       []byte   // the note signed by the log
	Cosignatures [][]byte // complete signature lines ("— <name> <base64>\n")
}

// Note returns the signed note with the cosignatures appended: what
// /log/checkpoint serves and proof bundles carry.
func (c *StoredCheckpoint) Note() []byte { return appendSignatures(c.Signed, c.Cosignatures) }

// hashReader adapts a Store to tlog.HashReader for one context.
func hashReader(ctx context.Context, s Store) tlog.HashReader {
	return tlog.HashReaderFunc(func(indexes []int64) ([]tlog.Hash, error) {
		return s.ReadHashes(ctx, indexes)
	})
}
