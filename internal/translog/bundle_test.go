package translog

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

func TestProof(t *testing.T) {
	ctx := t.Context()
	skey, vkey := testKey(t)
	s := new(MemStore)
	l := newTestLog(t, s, skey)
	ops := grow(t, l, s, 0, 1000)
	v, _ := note.NewVerifier(vkey)
	for _, i := range []int{0, 1, 255, 256, 500, 999} {
		ref := fmt.Sprintf("item:%d", i)
		b, err := l.ProofByRef(ctx, ref, ops[ref])
		if err != nil {
			t.Fatalf("ProofByRef(%s): %v", ref, err)
		}
		if b.TreeSize != 1000 {
			t.Errorf("bundle tree size = %d, want 1000", b.TreeSize)
		}
		if c, leaf, err := Verify(b, vkey); err != nil || c.Size != 1000 || leaf.Kind != KindItem {
			t.Errorf("Verify(%s) = %+v, %+v, %v", ref, c, leaf, err)
		}

		// Independently of Verify: the JSON fields, note.Open and
		// tlog.CheckRecord.
		js, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		var raw struct {
			Index      int64    `json:"index"`
			LeafHash   string   `json:"leaf_hash"`
			Proof      []string `json:"proof"`
			Checkpoint string   `json:"checkpoint"`
			Opening    struct {
				Salt     string `json:"salt"`
				TextHash string `json:"text_hash"`
			} `json:"opening"`
		}
		if err := json.Unmarshal(js, &raw); err != nil {
			t.Fatal(err)
		}
		n, err := note.Open([]byte(raw.Checkpoint), note.VerifierList(v))
		if err != nil {
			t.Fatalf("note.Open(bundle checkpoint): %v", err)
		}
		tree, _ := ParseCheckpoint(n.Text)
		lh, err := tlog.ParseHash(raw.LeafHash)
		if err != nil {
			t.Fatalf("tlog.ParseHash(leaf_hash): %v", err)
		}
		var proof tlog.RecordProof
		for _, p := range raw.Proof {
			h, err := tlog.ParseHash(p)
			if err != nil {
				t.Fatal(err)
			}
			proof = append(proof, h)
		}
		if err := tlog.CheckRecord(proof, tree.Size, tree.Hash, raw.Index, lh); err != nil {
			t.Errorf("tlog.CheckRecord(bundle of %s): %v", ref, err)
		}
		if raw.Opening.Salt == "" || raw.Opening.TextHash == "" {
			t.Errorf("bundle JSON has no opening: %s", js)
		}
		if strings.Contains(string(js), "thư số") {
			t.Errorf("bundle carries the text: %s", js)
		}

		again, err := ParseBundle(js)
		if err != nil {
			t.Fatalf("ParseBundle(%s): %v", js, err)
		}
		if _, _, err := Verify(again, vkey); err != nil {
			t.Errorf("Verify(ParseBundle(json)): %v", err)
		}
	}
}

func TestProofPending(t *testing.T) {
	ctx := t.Context()
	skey, _ := testKey(t)
	s := new(MemStore)
	l := newTestLog(t, s, skey)
	b, op := testLeaf(t, 1)

	if _, err := l.Proof(ctx, 0, op); !errors.Is(err, ErrPending) {
		t.Errorf("Proof before any checkpoint: err = %v, want ErrPending", err)
	}
	s.AddPending(ctx, b, "item:1")
	if _, err := l.ProofByRef(ctx, "item:1", op); !errors.Is(err, ErrPending) {
		t.Errorf("ProofByRef of a record in the outbox: err = %v, want ErrPending", err)
	}
	if _, err := l.Sign(ctx); err != nil { // the empty tree
		t.Fatal(err)
	}
	if _, err := l.Sequence(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := l.ProofByRef(ctx, "item:1", op); !errors.Is(err, ErrPending) {
		t.Errorf("ProofByRef of a leaf not under a checkpoint: err = %v, want ErrPending", err)
	}
	if _, err := l.Sign(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := l.ProofByRef(ctx, "item:1", op); err != nil {
		t.Errorf("ProofByRef after the checkpoint: %v", err)
	}
	_, other := testLeaf(t, 2)
	if _, err := l.ProofByRef(ctx, "item:1", other); err == nil || errors.Is(err, ErrPending) {
		t.Errorf("ProofByRef with the wrong opening: err = %v, want a plain error", err)
	}
	if _, err := l.Proof(ctx, -1, op); !errors.Is(err, ErrNotFound) {
		t.Errorf("Proof(-1): err = %v, want ErrNotFound", err)
	}
}

func TestVerifyRejects(t *testing.T) {
	ctx := t.Context()
	skey, vkey := testKey(t)
	_, otherKey := testKey(t)
	s := new(MemStore)
	l := newTestLog(t, s, skey)
	ops := grow(t, l, s, 0, 20)
	good, err := l.ProofByRef(ctx, "item:7", ops["item:7"])
	if err != nil {
		t.Fatal(err)
	}
	other, _ := l.ProofByRef(ctx, "item:8", ops["item:8"])
	_, wvkey := testCosigner(t, time.Now())
	for _, tt := range []struct {
		name   string
		change func(b *Bundle)
		key    string
		wits   []string
	}{
		{"wrong key", func(b *Bundle) {}, otherKey, nil},
		{"witness missing", func(b *Bundle) {}, vkey, []string{wvkey}},
		{"other index", func(b *Bundle) { b.Index = other.Index }, vkey, nil},
		{"other leaf", func(b *Bundle) { b.Leaf, b.LeafHash = other.Leaf, other.LeafHash }, vkey, nil},
		{"leaf hash mismatch", func(b *Bundle) { b.LeafHash = other.LeafHash }, vkey, nil},
		{"proof changed", func(b *Bundle) { b.Proof[0] = other.LeafHash }, vkey, nil},
		{"proof truncated", func(b *Bundle) { b.Proof = b.Proof[1:] }, vkey, nil},
		{"other opening", func(b *Bundle) { b.Opening = other.Opening }, vkey, nil},
		{"no opening", func(b *Bundle) { b.Opening = nil }, vkey, nil},
		{"tree size", func(b *Bundle) { b.TreeSize = 21 }, vkey, nil},
		{"checkpoint unsigned", func(b *Bundle) { b.Checkpoint = b.Checkpoint[:strings.Index(b.Checkpoint, "\n\n")+1] }, vkey, nil},
		{"checkpoint changed", func(b *Bundle) { b.Checkpoint = strings.Replace(b.Checkpoint, "\n20\n", "\n21\n", 1); b.TreeSize = 21 }, vkey, nil},
	} {
		b := *good
		b.Proof = append([]string(nil), good.Proof...)
		tt.change(&b)
		if _, _, err := Verify(&b, tt.key, tt.wits...); err == nil {
			t.Errorf("Verify(%s) succeeded", tt.name)
		}
	}
}

func TestParseBundleRejects(t *testing.T) {
	skey, _ := testKey(t)
	s := new(MemStore)
	l := newTestLog(t, s, skey)
	ops := grow(t, l, s, 0, 3)
	b, _ := l.ProofByRef(t.Context(), "item:1", ops["item:1"])
	js, _ := json.Marshal(b)
	good := string(js)
	if _, err := ParseBundle(js); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ name, json string }{
		{"empty", ""},
		{"not an object", "[]"},
		{"unknown field", strings.Replace(good, `{"index"`, `{"extra":1,"index"`, 1)},
		{"trailing data", good + "{}"},
		{"negative index", strings.Replace(good, fmt.Sprintf(`"index":%d`, b.Index), `"index":-1`, 1)},
		{"index beyond tree", strings.Replace(good, fmt.Sprintf(`"index":%d`, b.Index), `"index":3`, 1)},
		{"bad leaf hash", strings.Replace(good, b.LeafHash, "AAAA", 1)},
		{"bad salt", strings.Replace(good, `"salt":"`, `"salt":"!`, 1)},
		{"bad leaf", strings.Replace(good, "homthu/v1", "homthu/v9", 1)},
		{"too large", good[:len(good)-1] + `,"x":"` + strings.Repeat("a", MaxBundleSize) + `"}`},
	} {
		if _, err := ParseBundle([]byte(tt.json)); err == nil {
			t.Errorf("ParseBundle(%s) succeeded", tt.name)
		}
	}
}

func FuzzParseBundle(f *testing.F) {
	skey := fixedSignerKey(f, testOrigin, 2)
	vkey, _ := VerifierKey(skey)
	s := new(MemStore)
	l := newTestLog(f, s, skey)
	ops := grow(f, l, s, 0, 5)
	for _, ref := range []string{"item:0", "item:4"} {
		b, err := l.ProofByRef(f.Context(), ref, ops[ref])
		if err != nil {
			f.Fatal(err)
		}
		js, _ := json.Marshal(b)
		f.Add(js)
	}
	f.Add([]byte(`{"index":0,"proof":[],"opening":{"salt":"","text_hash":""}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := ParseBundle(data)
		if err != nil {
			return
		}
		c, _, err := Verify(b, vkey)
		if err != nil {
			return
		}
		// Whatever Verify accepts, tlog accepts too.
		lh, _ := decodeHash(b.LeafHash)
		proof := make(tlog.RecordProof, len(b.Proof))
		for i, p := range b.Proof {
			proof[i], _ = decodeHash(p)
		}
		if err := tlog.CheckRecord(proof, c.Size, c.Hash, b.Index, lh); err != nil {
			t.Fatalf("Verify accepted a bundle tlog.CheckRecord rejects: %v", err)
		}
	})
}
