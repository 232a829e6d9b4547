package translog

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"golang.org/x/mod/sumdb/note"
)

// Cosignatures follow C2SP tlog-cosignature (https://c2sp.org/tlog-cosignature),
// Ed25519 type. A cosignature is a note signature line on the checkpoint
//
//	— <cosigner name> base64(key ID || timestamp || signature)
//
// where the key ID is SHA-256(<name> || "\n" || 0x04 || public key)[:4], the
// timestamp is a big-endian uint64 of POSIX seconds, and the Ed25519
// signature covers
//
//	cosignature/v1\n
//	time <timestamp>\n
//	<the whole checkpoint body, final newline included>
//
// A cosigner thereby states that, at that time, this was the largest tree
// consistent with everything it has seen of the log. A homthu Monitor with a
// cosigner key is such a witness; the log records what witnesses send it
// with Log.AddCosignatures.
//
// The cosigner keys use the signed-note formats with algorithm byte 0x04:
//
//	PRIVATE+KEY+<name>+<key ID hex>+<base64(0x04 || Ed25519 seed)>
//	<name>+<key ID hex>+<base64(0x04 || Ed25519 public key)>
const cosignatureHeader = "cosignature/v1\ntime "

// GenerateCosignerKey returns a new cosigner (witness) signer key and its
// verifier key for the given cosigner name, e.g. "witness.example/w1".
func GenerateCosignerKey(name string) (signerKey, verifierKey string, err error) {
	if !validName(name) {
		return "", "", fmt.Errorf("translog.GenerateCosignerKey: %q is not a valid note name", name)
	}
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return "", "", fmt.Errorf("translog.GenerateCosignerKey: %w", err)
	}
	id := cosignerKeyID(name, pub)
	signerKey = fmt.Sprintf("PRIVATE+KEY+%s+%08x+%s", name, id,
		base64.StdEncoding.EncodeToString(append([]byte{algCosignature}, priv.Seed()...)))
	verifierKey = fmt.Sprintf("%s+%08x+%s", name, id,
		base64.StdEncoding.EncodeToString(append([]byte{algCosignature}, pub...)))
	return signerKey, verifierKey, nil
}

func cosignerKeyID(name string, pub ed25519.PublicKey) uint32 {
	h := sha256.New()
	h.Write([]byte(name))
	h.Write([]byte{'\n', algCosignature})
	h.Write(pub)
	return binary.BigEndian.Uint32(h.Sum(nil))
}

// cosignedMessage returns the message an Ed25519 cosignature signs.
func cosignedMessage(t uint64, body []byte) []byte {
	m := make([]byte, 0, len(cosignatureHeader)+24+len(body))
	m = append(m, cosignatureHeader...)
	m = strconv.AppendUint(m, t, 10)
	m = append(m, '\n')
	return append(m, body...)
}

// NewCosigner returns a note.Signer that produces tlog-cosignature/v1
// cosignatures with the given cosigner signer key, timestamped with now()
// (time.Now if nil). Sign a checkpoint with it through note.Sign:
//
//	cosigned, err := note.Sign(n, cosigner) // n from note.Open of the checkpoint
func NewCosigner(signerKey string, now func() time.Time) (note.Signer, error) {
	name, id, seed, err := parseSignerKey(signerKey, algCosignature)
	if err != nil {
		return nil, fmt.Errorf("translog.NewCosigner: %w", err)
	}
	priv := ed25519.NewKeyFromSeed(seed)
	if id != cosignerKeyID(name, priv.Public().(ed25519.PublicKey)) {
		return nil, errors.New("translog.NewCosigner: key ID does not match the key")
	}
	if now == nil {
		now = time.Now
	}
	return &cosigner{name: name, id: id, priv: priv, now: now}, nil
}

type cosigner struct {
	name string
	id   uint32
	priv ed25519.PrivateKey
	now  func() time.Time
}

func (c *cosigner) Name() string    { return c.name }
func (c *cosigner) KeyHash() uint32 { return c.id }

func (c *cosigner) Sign(msg []byte) ([]byte, error) {
	sec := c.now().Unix()
	if sec < 0 {
		return nil, errors.New("translog: cosigner clock before 1970")
	}
	t := uint64(sec)
	sig := make([]byte, 8, 8+ed25519.SignatureSize)
	binary.BigEndian.PutUint64(sig, t)
	return append(sig, ed25519.Sign(c.priv, cosignedMessage(t, msg))...), nil
}

// NewCosignatureVerifier returns a note.Verifier for tlog-cosignature/v1
// Ed25519 cosignatures by the cosigner with the given verifier key, for use
// with note.Open (alone or beside the log's verifier).
func NewCosignatureVerifier(verifierKey string) (note.Verifier, error) {
	f := strings.SplitN(verifierKey, "+", 3)
	if len(f) != 3 || !validName(f[0]) || len(f[1]) != 8 {
		return nil, errors.New("translog: malformed cosigner verifier key")
	}
	id, err := strconv.ParseUint(f[1], 16, 32)
	if err != nil {
		return nil, errors.New("translog: malformed cosigner verifier key")
	}
	k, err := base64.StdEncoding.DecodeString(f[2])
	if err != nil || len(k) != 1+ed25519.PublicKeySize {
		return nil, errors.New("translog: malformed cosigner verifier key")
	}
	if k[0] != algCosignature {
		return nil, fmt.Errorf("translog: verifier key has algorithm %d, not a cosignature key (%d)", k[0], algCosignature)
	}
	pub := ed25519.PublicKey(k[1:])
	if uint32(id) != cosignerKeyID(f[0], pub) {
		return nil, errors.New("translog: cosigner key ID does not match the key")
	}
	return &cosignatureVerifier{name: f[0], id: uint32(id), pub: pub}, nil
}

type cosignatureVerifier struct {
	name string
	id   uint32
	pub  ed25519.PublicKey
}

func (v *cosignatureVerifier) Name() string    { return v.name }
func (v *cosignatureVerifier) KeyHash() uint32 { return v.id }

func (v *cosignatureVerifier) Verify(msg, sig []byte) bool {
	if len(sig) != 8+ed25519.SignatureSize {
		return false
	}
	t := binary.BigEndian.Uint64(sig)
	if t > math.MaxInt64 {
		return false
	}
	return ed25519.Verify(v.pub, cosignedMessage(t, msg), sig[8:])
}

// CosignatureTime returns the timestamp of a cosignature as note.Open
// reports it (a verified note.Signature of a cosigner).
func CosignatureTime(s note.Signature) (time.Time, error) {
	b, err := base64.StdEncoding.DecodeString(s.Base64)
	if err != nil || len(b) != 4+8+ed25519.SignatureSize {
		return time.Time{}, errors.New("translog: not an Ed25519 cosignature")
	}
	t := binary.BigEndian.Uint64(b[4:])
	if t > math.MaxInt64 {
		return time.Time{}, errors.New("translog: cosignature timestamp out of range")
	}
	return time.Unix(int64(t), 0), nil
}
