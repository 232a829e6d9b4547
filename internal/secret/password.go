package secret

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"
)

// Argon2id parameters (RFC 9106 second recommended option, with 64 MiB).
const (
	argonTime    = 2
	argonMemory  = 64 * 1024
	argonThreads = 2
	argonKeyLen  = 32
)

// Params are argon2id cost parameters. A hash records its own, so hashes
// made with different parameters verify side by side.
type Params struct {
	Time    uint32
	Memory  uint32 // KiB
	Threads uint8
}

// DefaultParams are the parameters of HashPassword (RFC 9106's second
// recommended option, with 64 MiB).
func DefaultParams() Params {
	return Params{Time: argonTime, Memory: argonMemory, Threads: argonThreads}
}

// TestParams are cheap parameters for test fixtures only: argon2id at
// 64 MiB costs seconds under the race detector, and a test suite logs in
// hundreds of times.
func TestParams() Params { return Params{Time: 1, Memory: 64, Threads: 1} }

// HashPassword returns the argon2id hash of a password in the PHC string
// format: $argon2id$v=19$m=65536,t=2,p=2$salt$hash.
func HashPassword(password string) string { return HashPasswordParams(password, DefaultParams()) }

// HashPasswordParams is HashPassword with the given parameters.
func HashPasswordParams(password string, p Params) string {
	salt := make([]byte, 16)
	rand.Read(salt)
	key := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, argonKeyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.Memory, p.Time, p.Threads,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key))
}

// CheckPassword reports whether password matches a hash made by HashPassword
// (with whatever parameters that hash records).
func CheckPassword(hash, password string) bool {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var m, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil || m < 8 || t == 0 || p == 0 || m > 1<<21 || t > 16 {
		return false
	}
	salt, err1 := base64.RawStdEncoding.DecodeString(parts[4])
	want, err2 := base64.RawStdEncoding.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 || len(want) > 64 {
		return false
	}
	got := argon2.IDKey([]byte(password), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// DummyCheck spends the time of one password check, so that a login for an
// unknown user takes as long as one for a known user (no enumeration by timing).
func DummyCheck(password string) {
	argon2.IDKey([]byte(password), []byte("homthu-dummy-salt"), argonTime, argonMemory, argonThreads, argonKeyLen)
}

// GeneratePassword returns a random password of 16 characters from an
// alphabet without look-alike characters.
func GeneratePassword() string {
	const alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	b := make([]byte, 16)
	rand.Read(b)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}
