package homthu

import (
	"crypto/rand"
	"strings"
)

// A receipt (mã tra cứu) is the only thing an anonymous submitter holds. It
// is 20 symbols of Crockford's base32 — 100 bits from crypto/rand — written
// in five groups of four for reading aloud over the phone:
//
//	7K3M-QX9A-TP2D-H8WE-Z4RC
//
// Crockford's alphabet has no I, L, O or U, and a reader who types 1 for I
// or L, or 0 for O, still gets the right code.
const (
	receiptAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
	receiptLen      = 20
	receiptGroup    = 4
)

// NewReceipt returns a fresh receipt in its canonical grouped form.
func NewReceipt() string {
	var b [receiptLen]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("homthu: crypto/rand failed: " + err.Error())
	}
	var out strings.Builder
	for i, v := range b {
		if i > 0 && i%receiptGroup == 0 {
			out.WriteByte('-')
		}
		out.WriteByte(receiptAlphabet[v&31])
	}
	return out.String()
}

// NormalizeReceipt returns the canonical 20-symbol form of a receipt typed in
// any letter case, with or without spaces, dashes or dots, or an EINVALID
// error. The canonical form has no separators; GroupReceipt adds them back.
func NormalizeReceipt(s string) (string, error) {
	var out []byte
	for _, r := range s {
		switch {
		case r == '-' || r == ' ' || r == '.' || r == '\t' || r == '_':
			continue
		case r >= 'a' && r <= 'z':
			r -= 'a' - 'A'
		}
		switch r {
		case 'I', 'L':
			r = '1'
		case 'O':
			r = '0'
		}
		if r > 127 || strings.IndexByte(receiptAlphabet, byte(r)) < 0 {
			return "", Errorf(EINVALID, "Mã tra cứu chỉ gồm chữ cái và chữ số (20 ký tự, thường viết thành 5 nhóm 4 ký tự).")
		}
		out = append(out, byte(r))
		if len(out) > receiptLen {
			break
		}
	}
	if len(out) != receiptLen {
		return "", Errorf(EINVALID, "Mã tra cứu phải có đúng 20 ký tự (5 nhóm 4 ký tự), bạn đã nhập %d.", len(out))
	}
	return string(out), nil
}

// GroupReceipt writes a canonical receipt in groups of four.
func GroupReceipt(canonical string) string {
	var out strings.Builder
	for i := 0; i < len(canonical); i++ {
		if i > 0 && i%receiptGroup == 0 {
			out.WriteByte('-')
		}
		out.WriteByte(canonical[i])
	}
	return out.String()
}
