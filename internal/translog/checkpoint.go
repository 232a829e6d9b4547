package translog

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// Checkpoint is the body of a signed tree head in the C2SP tlog-checkpoint
// format (https://c2sp.org/tlog-checkpoint):
//
//	<origin>\n
//	<tree size, decimal>\n
//	<root hash, base64>\n
//	[extension lines]\n
//
// It is signed as a note (https://c2sp.org/signed-note) by the log's Ed25519
// key, whose name is the origin. homthu writes no extension lines (the spec
// does not recommend them: monitors cannot audit them) but accepts them when
// parsing, as the spec requires.
type Checkpoint struct {
	Origin     string
	Size       int64
	Hash       tlog.Hash
	Extensions []string
}

// maxCheckpointSize bounds a signed checkpoint read from outside: the body is
// three short lines and each Ed25519 signature line about 100 bytes.
const maxCheckpointSize = 1 << 16

// String returns the checkpoint's note text.
func (c Checkpoint) String() string {
	var b strings.Builder
	b.WriteString(c.Origin)
	b.WriteByte('\n')
	b.WriteString(strconv.FormatInt(c.Size, 10))
	b.WriteByte('\n')
	b.WriteString(base64.StdEncoding.EncodeToString(c.Hash[:]))
	b.WriteByte('\n')
	for _, e := range c.Extensions {
		b.WriteString(e)
		b.WriteByte('\n')
	}
	return b.String()
}

// Tree returns the tree the checkpoint commits to.
func (c Checkpoint) Tree() tlog.Tree { return tlog.Tree{N: c.Size, Hash: c.Hash} }

// ParseCheckpoint parses a checkpoint's note text (without signatures). It
// accepts only what the spec allows: a non-empty origin that is a valid note
// key name, a decimal size without leading zeros, a canonical base64 SHA-256
// root hash and non-empty extension lines, each line ending in a newline.
func ParseCheckpoint(text string) (Checkpoint, error) {
	if len(text) > maxCheckpointSize {
		return Checkpoint{}, errors.New("translog: checkpoint too large")
	}
	body, ok := strings.CutSuffix(text, "\n")
	if !ok {
		return Checkpoint{}, errors.New("translog: checkpoint does not end in a newline")
	}
	lines := strings.Split(body, "\n")
	if len(lines) < 3 {
		return Checkpoint{}, errors.New("translog: checkpoint has fewer than three lines")
	}
	var c Checkpoint
	if !validName(lines[0]) {
		return Checkpoint{}, fmt.Errorf("translog: checkpoint origin %q is not a valid name", lines[0])
	}
	c.Origin = lines[0]
	size, err := strconv.ParseInt(lines[1], 10, 64)
	if err != nil || size < 0 || strconv.FormatInt(size, 10) != lines[1] {
		return Checkpoint{}, fmt.Errorf("translog: checkpoint tree size %q is not a decimal number", lines[1])
	}
	c.Size = size
	h, err := base64.StdEncoding.Strict().DecodeString(lines[2])
	if err != nil || len(h) != tlog.HashSize {
		return Checkpoint{}, errors.New("translog: checkpoint root hash is not 32 bytes of base64")
	}
	copy(c.Hash[:], h)
	for _, e := range lines[3:] {
		if e == "" {
			return Checkpoint{}, errors.New("translog: checkpoint has an empty extension line")
		}
		c.Extensions = append(c.Extensions, e)
	}
	if c.String() != text {
		return Checkpoint{}, errors.New("translog: checkpoint is not in canonical form")
	}
	return c, nil
}

// OpenCheckpoint verifies a signed checkpoint with the log's verifier and
// parses it. The signature must be by the log's key and the origin must equal
// the key's name, so that a checkpoint of another log signed by the same key
// is never mistaken for one of this log. Other signatures (cosignatures) are
// verified when verifiers knows their keys and ignored otherwise, as the
// signed-note spec requires.
func OpenCheckpoint(msg []byte, log note.Verifier, others ...note.Verifier) (Checkpoint, *note.Note, error) {
	if len(msg) > maxCheckpointSize {
		return Checkpoint{}, nil, errors.New("translog: signed checkpoint too large")
	}
	n, err := note.Open(msg, note.VerifierList(append([]note.Verifier{log}, others...)...))
	if err != nil {
		return Checkpoint{}, nil, fmt.Errorf("translog: open checkpoint: %w", err)
	}
	signed := false
	for _, s := range n.Sigs {
		if s.Name == log.Name() && s.Hash == log.KeyHash() {
			signed = true
		}
	}
	if !signed {
		return Checkpoint{}, nil, fmt.Errorf("translog: checkpoint not signed by %s", log.Name())
	}
	c, err := ParseCheckpoint(n.Text)
	if err != nil {
		return Checkpoint{}, nil, err
	}
	if c.Origin != log.Name() {
		return Checkpoint{}, nil, fmt.Errorf("translog: checkpoint origin %q is not the key's name %q", c.Origin, log.Name())
	}
	return c, n, nil
}

// validName reports whether s is a valid note key name (and so a valid
// origin): non-empty UTF-8 without Unicode spaces or '+'.
func validName(s string) bool {
	return s != "" && utf8.ValidString(s) && strings.IndexFunc(s, unicode.IsSpace) < 0 &&
		!strings.Contains(s, "+") && !strings.ContainsFunc(s, unicode.IsControl)
}

// GenerateKey returns a new Ed25519 signer key and its verifier key for a
// log whose checkpoints have the given origin, in the note formats
//
//	PRIVATE+KEY+<origin>+<key ID hex>+<base64(0x01 || seed)>
//	<origin>+<key ID hex>+<base64(0x01 || public key)>
//
// The origin should be the log's URL prefix without scheme or trailing slash,
// e.g. "homthu.example/log" (C2SP tlog-tiles, "Parameters"). The signer key is
// secret; whoever holds it can sign checkpoints. Storing it is the caller's
// business.
func GenerateKey(origin string) (signerKey, verifierKey string, err error) {
	if !validName(origin) {
		return "", "", fmt.Errorf("translog.GenerateKey: origin %q is not a valid note name (no spaces or '+')", origin)
	}
	skey, vkey, err := note.GenerateKey(rand.Reader, origin)
	if err != nil {
		return "", "", fmt.Errorf("translog.GenerateKey: %w", err)
	}
	return skey, vkey, nil
}

// VerifierKey returns the verifier key of an Ed25519 note signer key: the
// public half, safe to publish (on the portal and at /log/key).
func VerifierKey(signerKey string) (string, error) {
	name, id, seed, err := parseSignerKey(signerKey, algEd25519)
	if err != nil {
		return "", fmt.Errorf("translog.VerifierKey: %w", err)
	}
	pub := ed25519.NewKeyFromSeed(seed).Public().(ed25519.PublicKey)
	vkey, err := note.NewEd25519VerifierKey(name, pub)
	if err != nil {
		return "", fmt.Errorf("translog.VerifierKey: %w", err)
	}
	if want := fmt.Sprintf("%s+%08x+", name, id); !strings.HasPrefix(vkey, want) {
		return "", errors.New("translog.VerifierKey: key ID does not match the key")
	}
	return vkey, nil
}

// Signature algorithm bytes of the signed-note spec ("Signature types").
const (
	algEd25519     = 0x01
	algCosignature = 0x04
)

// parseSignerKey splits "PRIVATE+KEY+<name>+<key ID>+<base64(alg || seed)>"
// and returns the name, the key ID and the Ed25519 seed, checking the
// algorithm byte. The caller checks the key ID against the derived public key.
func parseSignerKey(skey string, alg byte) (name string, id uint32, seed []byte, err error) {
	f := strings.SplitN(skey, "+", 5)
	if len(f) != 5 || f[0] != "PRIVATE" || f[1] != "KEY" || !validName(f[2]) || len(f[3]) != 8 {
		return "", 0, nil, errors.New("malformed signer key")
	}
	k, err := base64.StdEncoding.DecodeString(f[4])
	if err != nil || len(k) != 1+ed25519.SeedSize {
		return "", 0, nil, errors.New("malformed signer key")
	}
	if k[0] != alg {
		return "", 0, nil, fmt.Errorf("signer key has algorithm %d, want %d", k[0], alg)
	}
	x, err := strconv.ParseUint(f[3], 16, 32)
	if err != nil {
		return "", 0, nil, errors.New("malformed signer key")
	}
	return f[2], uint32(x), k[1:], nil
}

// signCheckpoint signs c with the log's signer.
func signCheckpoint(c Checkpoint, s note.Signer) ([]byte, error) {
	msg, err := note.Sign(&note.Note{Text: c.String()}, s)
	if err != nil {
		return nil, fmt.Errorf("translog: sign checkpoint: %w", err)
	}
	return msg, nil
}

// appendSignatures appends signature lines to a signed note. Each line is a
// complete "— <name> <base64>\n" line, as recorded by AddCosignatures.
func appendSignatures(signed []byte, lines [][]byte) []byte {
	out := bytes.Clone(signed)
	for _, l := range lines {
		out = append(out, l...)
	}
	return out
}
