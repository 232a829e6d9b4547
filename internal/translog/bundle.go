package translog

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// Bundle is a proof bundle: everything a citizen needs to check, with no
// help from homthu, that the record behind their receipt is in the log. It
// is what POST /api/v1/track/proof returns and the receipt page offers to
// download, as JSON:
//
//	{
//	  "index": 41,
//	  "leaf": "homthu/v1 item 14329-005 2025-07 q1K3…=\n",
//	  "leaf_hash": "base64 of tlog.RecordHash(leaf)",
//	  "proof": ["base64 hash", …],
//	  "tree_size": 1000,
//	  "checkpoint": "homthu.example/log\n1000\n…\n\n— homthu.example/log …\n",
//	  "opening": {"salt": "base64", "text_hash": "base64"}
//	}
//
// "proof" is exactly what tlog.CheckRecord takes for the record at "index"
// in the tree of the checkpoint's size and root, and "tree_size" repeats the
// checkpoint's size. The opening lets the holder recompute the leaf's
// commitment; it says nothing about who the submitter is.
type Bundle struct {
	Index      int64    `json:"index"`
	Leaf       string   `json:"leaf"`
	LeafHash   string   `json:"leaf_hash"`
	Proof      []string `json:"proof"`
	TreeSize   int64    `json:"tree_size"`
	Checkpoint string   `json:"checkpoint"`
	Opening    *Opening `json:"opening"`
}

// MaxBundleSize bounds a proof bundle read from outside. A bundle at a tree
// of 2^40 leaves is under 4 KB.
const MaxBundleSize = 64 << 10

// maxProofLen bounds a record proof: one hash per tree level.
const maxProofLen = 63

// Proof returns the proof bundle of the leaf at index, against the latest
// checkpoint, with the opening given (the caller keeps it with the record).
// It returns an error wrapping ErrPending if the latest checkpoint does not
// cover the index yet, and checks that the opening opens the leaf's
// commitment, so that a bundle that would not verify is never handed out.
func (l *Log) Proof(ctx context.Context, index int64, op Opening) (*Bundle, error) {
	c, err := l.store.LatestCheckpoint(ctx)
	if errors.Is(err, ErrNotFound) {
		return nil, fmt.Errorf("translog.Proof(%d): %w", index, ErrPending)
	}
	if err != nil {
		return nil, fmt.Errorf("translog.Proof(%d): %w", index, err)
	}
	cp, _, err := OpenCheckpoint(c.Signed, l.verifier)
	if err != nil {
		return nil, fmt.Errorf("translog.Proof(%d): %w", index, err)
	}
	if index < 0 {
		return nil, fmt.Errorf("translog.Proof(%d): %w", index, ErrNotFound)
	}
	if index >= cp.Size {
		return nil, fmt.Errorf("translog.Proof(%d): tree size %d: %w", index, cp.Size, ErrPending)
	}
	leaves, err := l.store.ReadLeaves(ctx, index, index+1)
	if err != nil {
		return nil, fmt.Errorf("translog.Proof(%d): %w", index, err)
	}
	leaf, err := ParseLeaf(leaves[0])
	if err != nil {
		return nil, fmt.Errorf("translog.Proof(%d): %w", index, err)
	}
	if op.Commitment(leaf.Kind) != leaf.Commitment {
		return nil, fmt.Errorf("translog.Proof(%d): the opening does not open the leaf's commitment", index)
	}
	p, err := tlog.ProveRecord(cp.Size, index, hashReader(ctx, l.store))
	if err != nil {
		return nil, fmt.Errorf("translog.Proof(%d): %w", index, err)
	}
	b := &Bundle{
		Index:      index,
		Leaf:       string(leaves[0]),
		LeafHash:   encodeHash(tlog.RecordHash(leaves[0])),
		Proof:      make([]string, len(p)),
		TreeSize:   cp.Size,
		Checkpoint: string(c.Note()),
		Opening:    &Opening{Salt: bytes.Clone(op.Salt), TextHash: op.TextHash},
	}
	for i, h := range p {
		b.Proof[i] = encodeHash(h)
	}
	return b, nil
}

// ProofByRef is Proof for the leaf of a record ("item:42"). A record still
// in the outbox is ErrPending, like one not yet under a checkpoint.
func (l *Log) ProofByRef(ctx context.Context, ref string, op Opening) (*Bundle, error) {
	i, err := l.store.LeafIndex(ctx, ref)
	if errors.Is(err, ErrNotFound) {
		return nil, fmt.Errorf("translog.ProofByRef(%q): %w", ref, ErrPending)
	}
	if err != nil {
		return nil, fmt.Errorf("translog.ProofByRef(%q): %w", ref, err)
	}
	return l.Proof(ctx, i, op)
}

func encodeHash(h tlog.Hash) string { return base64.StdEncoding.EncodeToString(h[:]) }

func decodeHash(s string) (tlog.Hash, error) {
	var h tlog.Hash
	b, err := base64.StdEncoding.Strict().DecodeString(s)
	if err != nil || len(b) != tlog.HashSize {
		return h, errors.New("not a base64 SHA-256 hash")
	}
	copy(h[:], b)
	return h, nil
}

// ParseBundle decodes a proof bundle from JSON and checks its form (not its
// proofs or signatures: that is Verify). It rejects unknown fields, trailing
// data and anything over MaxBundleSize.
func ParseBundle(data []byte) (*Bundle, error) {
	if len(data) > MaxBundleSize {
		return nil, fmt.Errorf("translog: proof bundle larger than %d bytes", MaxBundleSize)
	}
	d := json.NewDecoder(bytes.NewReader(data))
	d.DisallowUnknownFields()
	var b Bundle
	if err := d.Decode(&b); err != nil {
		return nil, fmt.Errorf("translog: proof bundle: %w", err)
	}
	if _, err := d.Token(); err != io.EOF {
		return nil, errors.New("translog: proof bundle: data after the JSON object")
	}
	if err := b.check(); err != nil {
		return nil, fmt.Errorf("translog: proof bundle: %w", err)
	}
	return &b, nil
}

// check validates the bundle's form.
func (b *Bundle) check() error {
	switch {
	case b.Index < 0:
		return errors.New("negative index")
	case b.TreeSize <= b.Index:
		return fmt.Errorf("index %d is not below tree size %d", b.Index, b.TreeSize)
	case len(b.Proof) > maxProofLen:
		return fmt.Errorf("proof of %d hashes is too long", len(b.Proof))
	case b.Opening == nil:
		return errors.New("no opening")
	case len(b.Opening.Salt) != SaltSize:
		return fmt.Errorf("salt is %d bytes, want %d", len(b.Opening.Salt), SaltSize)
	}
	if _, err := ParseLeaf([]byte(b.Leaf)); err != nil {
		return err
	}
	if _, err := decodeHash(b.LeafHash); err != nil {
		return fmt.Errorf("leaf_hash: %w", err)
	}
	for i, p := range b.Proof {
		if _, err := decodeHash(p); err != nil {
			return fmt.Errorf("proof[%d]: %w", i, err)
		}
	}
	if len(b.Checkpoint) > maxCheckpointSize {
		return errors.New("checkpoint too large")
	}
	return nil
}

// Verify checks a proof bundle with the log's verifier key alone, as anyone
// can: the checkpoint is signed by the log (note.Open) and its origin is the
// key's name; the leaf hashes to leaf_hash; the proof proves that leaf at
// index in the checkpoint's tree (tlog.CheckRecord); and the opening opens
// the leaf's commitment. It returns the verified checkpoint and leaf.
//
// Verify proves inclusion in that checkpoint's tree. That the tree is the
// one everybody else sees is what witnesses' cosignatures and monitors add:
// pass the witnesses' cosigner verifier keys to require their cosignatures
// too (each one given must have cosigned the bundle's checkpoint).
func Verify(b *Bundle, verifierKey string, witnesses ...string) (Checkpoint, Leaf, error) {
	fail := func(format string, args ...any) (Checkpoint, Leaf, error) {
		return Checkpoint{}, Leaf{}, fmt.Errorf("translog.Verify: "+format, args...)
	}
	if err := b.check(); err != nil {
		return fail("%w", err)
	}
	v, err := note.NewVerifier(verifierKey)
	if err != nil {
		return fail("verifier key: %w", err)
	}
	var ws []note.Verifier
	for _, k := range witnesses {
		w, err := NewCosignatureVerifier(k)
		if err != nil {
			return fail("witness key: %w", err)
		}
		ws = append(ws, w)
	}
	c, n, err := OpenCheckpoint([]byte(b.Checkpoint), v, ws...)
	if err != nil {
		return fail("%w", err)
	}
	for _, w := range ws {
		if !signedBy(n, w) {
			return fail("checkpoint not cosigned by witness %s", w.Name())
		}
	}
	if c.Size != b.TreeSize {
		return fail("tree_size %d differs from the checkpoint's %d", b.TreeSize, c.Size)
	}
	leaf, err := ParseLeaf([]byte(b.Leaf))
	if err != nil {
		return fail("%w", err)
	}
	lh, _ := decodeHash(b.LeafHash)
	if tlog.RecordHash([]byte(b.Leaf)) != lh {
		return fail("leaf_hash is not the hash of the leaf")
	}
	proof := make(tlog.RecordProof, len(b.Proof))
	for i, p := range b.Proof {
		proof[i], _ = decodeHash(p)
	}
	if err := tlog.CheckRecord(proof, c.Size, c.Hash, b.Index, lh); err != nil {
		return fail("inclusion proof: %w", err)
	}
	if b.Opening.Commitment(leaf.Kind) != leaf.Commitment {
		return fail("the opening (salt, text_hash) does not open the leaf's commitment")
	}
	return c, leaf, nil
}

// signedBy reports whether n carries a verified signature by v.
func signedBy(n *note.Note, v note.Verifier) bool {
	for _, s := range n.Sigs {
		if s.Name == v.Name() && s.Hash == v.KeyHash() {
			return true
		}
	}
	return false
}

// openingJSON is the JSON form of an Opening.
type openingJSON struct {
	Salt     string `json:"salt"`
	TextHash string `json:"text_hash"`
}

// MarshalJSON encodes the opening as {"salt": base64, "text_hash": base64}.
func (o Opening) MarshalJSON() ([]byte, error) {
	return json.Marshal(openingJSON{
		Salt:     base64.StdEncoding.EncodeToString(o.Salt),
		TextHash: base64.StdEncoding.EncodeToString(o.TextHash[:]),
	})
}

// UnmarshalJSON decodes what MarshalJSON encodes.
func (o *Opening) UnmarshalJSON(data []byte) error {
	d := json.NewDecoder(bytes.NewReader(data))
	d.DisallowUnknownFields()
	var j openingJSON
	if err := d.Decode(&j); err != nil {
		return err
	}
	salt, err := base64.StdEncoding.Strict().DecodeString(j.Salt)
	if err != nil {
		return errors.New("opening: salt is not base64")
	}
	th, err := decodeHash(j.TextHash)
	if err != nil {
		return fmt.Errorf("opening: text_hash: %w", err)
	}
	*o = Opening{Salt: salt, TextHash: th}
	return nil
}
