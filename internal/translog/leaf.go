package translog

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"strings"
	"time"

	"golang.org/x/mod/sumdb/tlog"
)

// Kind is the event a leaf records. The codes are part of the leaf format and
// therefore a contract: a kind may be added, never renamed or reused.
type Kind string

// The kinds of event committed to the log.
const (
	// KindItem is a feedback item received, from any channel (online, a paper
	// letter once it is entered as an item, in person, by phone).
	KindItem Kind = "item"
	// KindLetter is a paper letter registered at a monthly opening of a
	// mailbox (the "sổ theo dõi mở hòm thư" lists each one).
	KindLetter Kind = "letter"
	// KindOpening is the sealed minutes of a monthly opening (biên bản).
	KindOpening Kind = "opening"
	// KindReferral is an item referred to the competent party committee or
	// managing agency.
	KindReferral Kind = "referral"
	// KindAnswer is the competent body's outcome and written answer.
	KindAnswer Kind = "answer"
)

// Kinds lists every kind in the order above.
var Kinds = []Kind{KindItem, KindLetter, KindOpening, KindReferral, KindAnswer}

// Valid reports whether k is a known kind.
func (k Kind) Valid() bool {
	for _, v := range Kinds {
		if k == v {
			return true
		}
	}
	return false
}

// SaltSize is the length of the secret salt of a commitment. 32 random bytes
// make the commitment hiding: without the salt, nobody can test a guess of the
// text against a leaf.
const SaltSize = 32

// MaxLeafSize bounds a leaf's encoding. C2SP tlog-tiles entry bundles prefix
// each entry with a big-endian uint16 length, so no entry may exceed 65535
// bytes; a homthu leaf is about 100 bytes and never close to this.
const MaxLeafSize = 512

// Domain-separation prefixes of the hashes defined by this package. Each
// SHA-256 input starts with one of them, so a hash computed for one purpose
// can never be presented as another (and none of them collides with the RFC
// 6962 leaf and node prefixes 0x00 and 0x01, which are not printable text).
const (
	commitPrefix = "homthu/commitment/v1\n"
	textPrefix   = "homthu/text/v1\n"
)

// HashText returns the text hash that a commitment binds: SHA-256 over a
// domain-separation prefix and the bytes of the text. What "the text" is, is
// fixed by the caller for each kind (for an item: its content in NFC), so that
// a citizen who kept the text can recompute the hash.
func HashText(text []byte) [32]byte {
	h := sha256.New()
	h.Write([]byte(textPrefix))
	h.Write(text)
	var out [32]byte
	h.Sum(out[:0])
	return out
}

// Commit returns the commitment to a text hash under a salt for an event of
// the given kind:
//
//	SHA-256("homthu/commitment/v1\n" || kind || 0x0A || uint32be(len(salt)) || salt || textHash)
//
// The encoding is injective (the kind contains no newline and the salt is
// length-prefixed), so no two different (kind, salt, text hash) share a
// commitment input. The salt is secret: homthu keeps it with the record and
// gives it only to the holder of the receipt, inside the Opening.
func Commit(kind Kind, salt []byte, textHash [32]byte) [32]byte {
	h := sha256.New()
	h.Write([]byte(commitPrefix))
	h.Write([]byte(kind))
	h.Write([]byte{'\n'})
	var n [4]byte
	binary.BigEndian.PutUint32(n[:], uint32(len(salt)))
	h.Write(n[:])
	h.Write(salt)
	h.Write(textHash[:])
	var out [32]byte
	h.Sum(out[:0])
	return out
}

// Opening is what opens a commitment: the salt and the text hash. It is given
// to the holder of a receipt inside a proof bundle and never contains who the
// submitter is. Anyone holding it can recompute the commitment and the leaf
// hash, and so check that the leaf is the one of their item. In JSON it is
// {"salt": base64, "text_hash": base64}.
type Opening struct {
	Salt     []byte   // SaltSize random bytes
	TextHash [32]byte // HashText of the text
}

// NewOpening returns an opening of text under a fresh salt from crypto/rand.
func NewOpening(text []byte) (Opening, error) {
	salt := make([]byte, SaltSize)
	if _, err := rand.Read(salt); err != nil {
		return Opening{}, fmt.Errorf("translog.NewOpening: %w", err)
	}
	return Opening{Salt: salt, TextHash: HashText(text)}, nil
}

// Commitment returns the commitment of o for an event of the given kind.
func (o Opening) Commitment(kind Kind) [32]byte { return Commit(kind, o.Salt, o.TextHash) }

// Leaf is one record of the log: a commitment and the metadata that does not
// identify anyone — the kind of event, the code of the unit it happened in and
// the month. A leaf never carries content, names, contact data, addresses,
// times finer than the month, or anything else about a submitter.
type Leaf struct {
	Kind       Kind
	Unit       string // the unit's code, e.g. "14329" or "14329-005"
	Month      string // "YYYY-MM", in Vietnam's time zone
	Commitment [32]byte
}

// NewLeaf commits to text for an event of kind in unit during month and
// returns the leaf and the opening to keep with the record. The caller stores
// leaf.MarshalBinary() in log_pending in the same transaction as the record
// and keeps the opening with the record, for the proof bundle.
func NewLeaf(kind Kind, unit, month string, text []byte) (Leaf, Opening, error) {
	op, err := NewOpening(text)
	if err != nil {
		return Leaf{}, Opening{}, err
	}
	l := Leaf{Kind: kind, Unit: unit, Month: month, Commitment: op.Commitment(kind)}
	if err := l.check(); err != nil {
		return Leaf{}, Opening{}, fmt.Errorf("translog.NewLeaf: %w", err)
	}
	return l, op, nil
}

// Month returns the "YYYY-MM" month of t in Vietnam's time zone (UTC+7), the
// only time a leaf carries.
func Month(t time.Time) string {
	return t.In(time.FixedZone("ICT", 7*3600)).Format("2006-01")
}

// leafVersion starts every leaf encoding. A later format gets a new version
// word; decoders reject versions they do not know.
const leafVersion = "homthu/v1"

// MarshalBinary encodes the leaf as one line of ASCII text:
//
//	homthu/v1 <kind> <unit> <YYYY-MM> <base64 commitment>\n
//
// for example
//
//	homthu/v1 item 14329-005 2025-07 q1K3Hb0y0bJ2vC4ZGf3mXrVZ0fQpL2m9bQdE8n6i3xY=\n
//
// The encoding is deterministic (one encoding per leaf; ParseLeaf rejects any
// other) and readable in an entry bundle with nothing but a terminal. The leaf
// hash is tlog.RecordHash of these bytes (RFC 6962: SHA-256(0x00 || leaf)).
func (l Leaf) MarshalBinary() ([]byte, error) {
	if err := l.check(); err != nil {
		return nil, fmt.Errorf("translog: encode leaf: %w", err)
	}
	return l.append(nil), nil
}

func (l Leaf) append(b []byte) []byte {
	b = append(b, leafVersion...)
	b = append(b, ' ')
	b = append(b, l.Kind...)
	b = append(b, ' ')
	b = append(b, l.Unit...)
	b = append(b, ' ')
	b = append(b, l.Month...)
	b = append(b, ' ')
	b = base64.StdEncoding.AppendEncode(b, l.Commitment[:])
	return append(b, '\n')
}

// Hash returns the leaf hash, tlog.RecordHash of the leaf's encoding.
func (l Leaf) Hash() (tlog.Hash, error) {
	b, err := l.MarshalBinary()
	if err != nil {
		return tlog.Hash{}, err
	}
	return tlog.RecordHash(b), nil
}

// MaxUnitLen bounds a unit code in a leaf.
const MaxUnitLen = 64

func (l Leaf) check() error {
	if !l.Kind.Valid() {
		return fmt.Errorf("unknown kind %q", l.Kind)
	}
	if l.Unit == "" || len(l.Unit) > MaxUnitLen {
		return fmt.Errorf("unit code must have 1 to %d characters", MaxUnitLen)
	}
	for i := 0; i < len(l.Unit); i++ {
		c := l.Unit[i]
		if !('0' <= c && c <= '9' || 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || c == '-' || c == '.' || c == '_') {
			return fmt.Errorf("unit code %q: only letters, digits, '-', '.' and '_' allowed", l.Unit)
		}
	}
	if !validMonth(l.Month) {
		return fmt.Errorf("month %q is not YYYY-MM", l.Month)
	}
	return nil
}

func validMonth(m string) bool {
	if len(m) != 7 || m[4] != '-' {
		return false
	}
	for i, c := range []byte(m) {
		if i != 4 && (c < '0' || c > '9') {
			return false
		}
	}
	mm := int(m[5]-'0')*10 + int(m[6]-'0')
	return m[:4] >= "2000" && 1 <= mm && mm <= 12
}

// ParseLeaf decodes a leaf encoded by MarshalBinary. It accepts exactly the
// canonical encoding, so that a leaf has one encoding and hence one leaf hash.
func ParseLeaf(b []byte) (Leaf, error) {
	if len(b) > MaxLeafSize {
		return Leaf{}, fmt.Errorf("translog: leaf of %d bytes exceeds %d", len(b), MaxLeafSize)
	}
	line, ok := bytes.CutSuffix(b, []byte{'\n'})
	if !ok {
		return Leaf{}, fmt.Errorf("translog: leaf does not end in a newline")
	}
	f := strings.Split(string(line), " ")
	if len(f) != 5 {
		return Leaf{}, fmt.Errorf("translog: leaf has %d fields, want 5", len(f))
	}
	if f[0] != leafVersion {
		return Leaf{}, fmt.Errorf("translog: unknown leaf version %q", f[0])
	}
	l := Leaf{Kind: Kind(f[1]), Unit: f[2], Month: f[3]}
	c, err := base64.StdEncoding.Strict().DecodeString(f[4])
	if err != nil || len(c) != len(l.Commitment) {
		return Leaf{}, fmt.Errorf("translog: leaf commitment is not 32 bytes of base64")
	}
	copy(l.Commitment[:], c)
	if err := l.check(); err != nil {
		return Leaf{}, fmt.Errorf("translog: leaf: %w", err)
	}
	if !bytes.Equal(l.append(nil), b) {
		return Leaf{}, fmt.Errorf("translog: leaf is not in canonical form")
	}
	return l, nil
}
