package translog

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	mrand "math/rand/v2"
	"time"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// Config configures a Log. The zero value of every field but Store and
// SignerKey is a sensible default.
type Config struct {
	// Store holds the log's state. Required.
	Store Store

	// SignerKey is the log's Ed25519 note signer key
	// ("PRIVATE+KEY+<origin>+<hash>+<base64>", see GenerateKey). Its name is
	// the checkpoint origin, e.g. "homthu.example/log": the URL prefix the
	// log is served at, without scheme or trailing slash. Required.
	SignerKey string

	// Witnesses are the verifier keys of the cosigners whose cosignatures
	// AddCosignatures accepts (C2SP tlog-cosignature, Ed25519 type 0x04,
	// see GenerateCosignerKey). Cosignatures by other keys are refused.
	Witnesses []string

	// Interval is the fixed schedule of checkpoints: at every multiple of
	// Interval on the clock, Run sequences the outbox and signs a checkpoint
	// if the tree grew. Default 30s. Several processes sharing a database
	// tick at the same instants and sign identical checkpoints.
	Interval time.Duration

	// BatchInterval, if shorter than Interval, makes Run also sequence the
	// outbox between checkpoints. The default (equal to Interval) is the
	// most private: each checkpoint's new leaves are one shuffled batch, so
	// the order inside it says nothing of arrival. A shorter BatchInterval
	// shortens the time a leaf waits in the outbox but splits a checkpoint's
	// leaves into several batches whose order is arrival order.
	BatchInterval time.Duration

	// MaxBatch bounds the pending rows one Sequence moves. Default 4096.
	MaxBatch int

	// Logger receives errors of Run's rounds, which are retried on the next
	// tick. Default slog.Default().
	Logger *slog.Logger
}

// Defaults of Config.
const (
	DefaultInterval = 30 * time.Second
	DefaultMaxBatch = 4096
)

// Log is the transparency log: it sequences the outbox into the tree,
// signs checkpoints, serves the tiles (Handler) and builds proof bundles.
// All its methods are safe for concurrent use, and several Logs in several
// processes may share one Store.
type Log struct {
	store      Store
	signer     note.Signer
	verifier   note.Verifier
	vkey       string
	witnesses  []note.Verifier
	interval   time.Duration
	batchEvery time.Duration
	maxBatch   int
	logger     *slog.Logger
	now        func() time.Time
}

// New returns a Log for the given configuration.
func New(c Config) (*Log, error) {
	if c.Store == nil {
		return nil, errors.New("translog.New: no Store")
	}
	signer, err := note.NewSigner(c.SignerKey)
	if err != nil {
		return nil, fmt.Errorf("translog.New: signer key: %w", err)
	}
	vkey, err := VerifierKey(c.SignerKey)
	if err != nil {
		return nil, fmt.Errorf("translog.New: %w", err)
	}
	verifier, err := note.NewVerifier(vkey)
	if err != nil {
		return nil, fmt.Errorf("translog.New: %w", err)
	}
	l := &Log{
		store:      c.Store,
		signer:     signer,
		verifier:   verifier,
		vkey:       vkey,
		interval:   c.Interval,
		batchEvery: c.BatchInterval,
		maxBatch:   c.MaxBatch,
		logger:     c.Logger,
		now:        time.Now,
	}
	for _, w := range c.Witnesses {
		v, err := NewCosignatureVerifier(w)
		if err != nil {
			return nil, fmt.Errorf("translog.New: witness %q: %w", w, err)
		}
		l.witnesses = append(l.witnesses, v)
	}
	if l.interval <= 0 {
		l.interval = DefaultInterval
	}
	if l.batchEvery <= 0 || l.batchEvery > l.interval {
		l.batchEvery = l.interval
	}
	if l.maxBatch <= 0 {
		l.maxBatch = DefaultMaxBatch
	}
	if l.logger == nil {
		l.logger = slog.Default()
	}
	return l, nil
}

// Origin returns the checkpoint origin, the name of the log's key.
func (l *Log) Origin() string { return l.verifier.Name() }

// VerifierKey returns the log's public verifier key in note format, to show
// on the portal and serve at /log/key.
func (l *Log) VerifierKey() string { return l.vkey }

// RetryAfter is how long a caller told ErrPending should wait before asking
// again: one checkpoint interval at most.
func (l *Log) RetryAfter() time.Duration { return l.interval }

// Sequence moves up to MaxBatch rows of the outbox into the tree in one
// transaction and returns how many it appended. The batch is shuffled with a
// generator seeded from crypto/rand, so that the order of leaves inside it
// does not reveal the order in which the records arrived.
//
// A pending row whose leaf does not parse is left in the outbox and reported
// in the returned error, together with the number of rows that were appended
// anyway: one bad row must not stop the log.
func (l *Log) Sequence(ctx context.Context) (int, error) {
	var appended int
	var bad error
	err := l.store.Sequence(ctx, l.maxBatch, func(pending []Pending, size int64, r tlog.HashReader) (*Batch, error) {
		appended, bad = 0, nil
		var ok []Pending
		for _, p := range pending {
			if _, err := ParseLeaf(p.Leaf); err != nil {
				bad = errors.Join(bad, fmt.Errorf("pending row %d (%s): %w", p.ID, p.Ref, err))
				continue
			}
			ok = append(ok, p)
		}
		if len(ok) == 0 {
			return nil, nil
		}
		if err := shuffle(ok); err != nil {
			return nil, err
		}
		b, err := appendBatch(ok, size, r)
		if err != nil {
			return nil, err
		}
		appended = len(ok)
		return b, nil
	})
	if err != nil {
		return 0, fmt.Errorf("translog.Sequence: %w", err)
	}
	if bad != nil {
		return appended, fmt.Errorf("translog.Sequence: %w", bad)
	}
	return appended, nil
}

// shuffle permutes p uniformly with ChaCha8 seeded from crypto/rand.
func shuffle(p []Pending) error {
	var seed [32]byte
	if _, err := rand.Read(seed[:]); err != nil {
		return fmt.Errorf("shuffle: %w", err)
	}
	mrand.New(mrand.NewChaCha8(seed)).Shuffle(len(p), func(i, j int) { p[i], p[j] = p[j], p[i] })
	return nil
}

// appendBatch computes the Batch appending p, in order, to a tree of the
// given size whose stored hashes r reads.
func appendBatch(p []Pending, size int64, r tlog.HashReader) (*Batch, error) {
	ov := &overlay{base: r, start: tlog.StoredHashCount(size)}
	b := &Batch{}
	for i, x := range p {
		n := size + int64(i)
		hs, err := tlog.StoredHashes(n, x.Leaf, ov)
		if err != nil {
			return nil, fmt.Errorf("hashes of leaf %d: %w", n, err)
		}
		ov.hashes = append(ov.hashes, hs...)
		b.Leaves = append(b.Leaves, Entry{Index: n, Leaf: x.Leaf, Ref: x.Ref})
		b.Done = append(b.Done, x.ID)
	}
	b.Hashes = ov.hashes
	return b, nil
}

// overlay reads the hashes computed so far in a batch on top of the stored
// ones.
type overlay struct {
	base   tlog.HashReader
	start  int64 // storage index of hashes[0]
	hashes []tlog.Hash
}

func (o *overlay) ReadHashes(indexes []int64) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(indexes))
	var old []int64
	for _, x := range indexes {
		if x < o.start {
			old = append(old, x)
		}
	}
	var got []tlog.Hash
	if len(old) > 0 {
		var err error
		if got, err = o.base.ReadHashes(old); err != nil {
			return nil, err
		}
		if len(got) != len(old) {
			return nil, fmt.Errorf("ReadHashes(%d indexes) = %d hashes", len(old), len(got))
		}
	}
	for i, x := range indexes {
		switch {
		case x < o.start:
			out[i], got = got[0], got[1:]
		case x-o.start < int64(len(o.hashes)):
			out[i] = o.hashes[x-o.start]
		default:
			return nil, fmt.Errorf("hash %d not yet computed", x)
		}
	}
	return out, nil
}

// Sign signs and saves a checkpoint for the current tree if it is larger
// than the latest checkpoint (or if there is none, even for the empty tree,
// so that /log/checkpoint always answers). It returns the latest checkpoint
// either way.
//
// Before signing, Sign proves the new tree consistent with the latest
// checkpoint from the stored hashes: a log must never sign two inconsistent
// checkpoints (C2SP tlog-checkpoint, "Signatures"), and a damaged store is
// found here rather than by the world.
func (l *Log) Sign(ctx context.Context) (Checkpoint, error) {
	size, err := l.store.TreeSize(ctx)
	if err != nil {
		return Checkpoint{}, fmt.Errorf("translog.Sign: %w", err)
	}
	r := hashReader(ctx, l.store)
	latest, err := l.store.LatestCheckpoint(ctx)
	var last Checkpoint
	switch {
	case errors.Is(err, ErrNotFound):
		latest = nil
	case err != nil:
		return Checkpoint{}, fmt.Errorf("translog.Sign: %w", err)
	default:
		if last, _, err = OpenCheckpoint(latest.Signed, l.verifier); err != nil {
			return Checkpoint{}, fmt.Errorf("translog.Sign: latest stored checkpoint: %w", err)
		}
		if last.Size >= size {
			return last, nil
		}
	}
	root, err := tlog.TreeHash(size, r)
	if err != nil {
		return Checkpoint{}, fmt.Errorf("translog.Sign: %w", err)
	}
	if latest != nil && last.Size > 0 {
		p, err := tlog.ProveTree(size, last.Size, r)
		if err != nil {
			return Checkpoint{}, fmt.Errorf("translog.Sign: %w", err)
		}
		if err := tlog.CheckTree(p, size, root, last.Size, last.Hash); err != nil {
			return Checkpoint{}, fmt.Errorf("translog.Sign: refusing to sign tree %d: not consistent with checkpoint %d: %w", size, last.Size, ErrInconsistent)
		}
	}
	c := Checkpoint{Origin: l.Origin(), Size: size, Hash: root}
	signed, err := signCheckpoint(c, l.signer)
	if err != nil {
		return Checkpoint{}, fmt.Errorf("translog.Sign: %w", err)
	}
	if err := l.store.SaveCheckpoint(ctx, size, signed); err != nil {
		return Checkpoint{}, fmt.Errorf("translog.Sign: %w", err)
	}
	return c, nil
}

// Run sequences the outbox and signs checkpoints on the fixed schedule of
// Config.Interval (and BatchInterval) until ctx is done, then returns nil.
// It starts with one round at once, which moves what a crash left in the
// outbox. A failed round is logged and retried at the next tick.
//
// Ticks fall on multiples of the interval on the clock (…:00, …:30), not
// on arrivals, so the time a checkpoint appears says nothing about when an
// item came in, and several processes sign the same checkpoint.
func (l *Log) Run(ctx context.Context) error {
	l.round(ctx, true)
	nextSign := l.now().Truncate(l.interval).Add(l.interval)
	for {
		now := l.now()
		next := now.Truncate(l.batchEvery).Add(l.batchEvery)
		if nextSign.Before(next) {
			next = nextSign
		}
		t := time.NewTimer(next.Sub(now))
		select {
		case <-ctx.Done():
			t.Stop()
			return nil
		case <-t.C:
		}
		sign := !l.now().Before(nextSign)
		if sign {
			nextSign = l.now().Truncate(l.interval).Add(l.interval)
		}
		l.round(ctx, sign)
	}
}

// round sequences the whole outbox and, if sign, signs a checkpoint.
func (l *Log) round(ctx context.Context, sign bool) {
	for ctx.Err() == nil {
		n, err := l.Sequence(ctx)
		if err != nil && ctx.Err() == nil {
			l.logger.Error("translog: sequence", "err", err)
		}
		if n < l.maxBatch {
			break
		}
	}
	if sign && ctx.Err() == nil {
		if _, err := l.Sign(ctx); err != nil && ctx.Err() == nil {
			l.logger.Error("translog: sign checkpoint", "err", err)
		}
	}
}

// AddCosignatures records the cosignatures of configured witnesses found in
// a signed checkpoint note (as a witness returns it: the log's checkpoint
// body followed by signature lines) and returns how many it recorded. The
// checkpoint's body must be exactly that of the log's checkpoint of the same
// size. The recorded lines are served after the log's own signature at
// /log/checkpoint while that checkpoint is the latest, and carried in proof
// bundles; they stay in the store as evidence for Audit.
func (l *Log) AddCosignatures(ctx context.Context, signed []byte) (int, error) {
	if len(l.witnesses) == 0 {
		return 0, errors.New("translog.AddCosignatures: no witnesses configured")
	}
	n, err := note.Open(signed, note.VerifierList(l.witnesses...))
	if err != nil {
		return 0, fmt.Errorf("translog.AddCosignatures: %w", err)
	}
	c, err := ParseCheckpoint(n.Text)
	if err != nil {
		return 0, fmt.Errorf("translog.AddCosignatures: %w", err)
	}
	stored, err := l.store.Checkpoint(ctx, c.Size)
	if err != nil {
		return 0, fmt.Errorf("translog.AddCosignatures: checkpoint of size %d: %w", c.Size, err)
	}
	ours, err := note.Open(stored.Signed, note.VerifierList(l.verifier))
	if err != nil {
		return 0, fmt.Errorf("translog.AddCosignatures: stored checkpoint: %w", err)
	}
	if ours.Text != n.Text {
		return 0, fmt.Errorf("translog.AddCosignatures: cosigned checkpoint of size %d differs from the log's: %w", c.Size, ErrInconsistent)
	}
	for _, s := range n.Sigs {
		line := []byte("— " + s.Name + " " + s.Base64 + "\n")
		key := fmt.Sprintf("%s+%08x", s.Name, s.Hash)
		if err := l.store.AddCosignature(ctx, c.Size, key, line); err != nil {
			return 0, fmt.Errorf("translog.AddCosignatures: %w", err)
		}
	}
	return len(n.Sigs), nil
}
