package backup

import (
	"bufio"
	"bytes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	"golang.org/x/crypto/argon2"
	"golang.org/x/crypto/chacha20poly1305"
)

// An encrypted archive is a header followed by the archive (the gzip'd tar)
// sealed in chunks:
//
//	header  = magic "homthu-backup-encrypted-v1\n"
//	          argon2id time (uint32 BE) · memory in KiB (uint32 BE) · threads (uint8)
//	          salt (16 bytes) · nonce prefix (16 bytes)
//	          check (32 bytes): HMAC-SHA-256 under the check key of all the above
//	payload = chunk 0 · chunk 1 · … · chunk n-1
//	chunk i = XChaCha20-Poly1305(payload key,
//	              nonce = nonce prefix ‖ i (uint64 BE),
//	              plaintext = 64 KiB of the archive (the last chunk: 0–64 KiB),
//	              additional data = one byte: 1 for the last chunk, else 0)
//
// The passphrase goes through argon2id (RFC 9106) with the salt to a master
// key, and HKDF-SHA-256 (RFC 5869) splits that into the check key and the
// payload key. The check tells a wrong passphrase (or a damaged header) from
// a damaged payload. The chunks are the STREAM construction (Hoang,
// Reyhanitabar, Rogaway and Vizár, "Online Authenticated-Encryption and its
// Nonce-Reuse Misuse-Resistance", CRYPTO 2015), as in age: the counter in
// the nonce detects reordered, dropped or repeated chunks, and the last-chunk
// flag a truncation at a chunk boundary. A reader releases a chunk's
// plaintext only once the chunk is authenticated; the restore reads the
// whole archive once before it changes anything.

// magic begins every encrypted archive.
const magic = "homthu-backup-encrypted-v1\n"

const (
	chunkSize  = 64 << 10
	saltSize   = 16
	prefixSize = 16
	headerSize = len(magic) + 4 + 4 + 1 + saltSize + prefixSize + sha256.Size
)

// KDFParams are argon2id's cost parameters. The zero value means the
// default: RFC 9106's second recommended option (§4), t=3 passes over 64 MiB
// in 4 lanes, about a quarter of a second on a server.
type KDFParams struct {
	Time    uint32 // passes over the memory
	Memory  uint32 // KiB
	Threads uint8
}

func (p KDFParams) orDefault() KDFParams {
	if p == (KDFParams{}) {
		return KDFParams{Time: 3, Memory: 64 << 10, Threads: 4}
	}
	return p
}

// Bounds on what a header may ask for, so that a crafted archive cannot make
// a restore allocate gigabytes or spin for hours.
const (
	maxKDFTime    = 64
	maxKDFMemory  = 2 << 20 // KiB: 2 GiB
	maxKDFThreads = 64
)

// Encrypted reports whether the archive read by r begins with the header of
// an encrypted archive.
func Encrypted(r io.ReaderAt) (bool, error) {
	b := make([]byte, len(magic))
	n, err := r.ReadAt(b, 0)
	if n < len(b) {
		if err == io.EOF {
			return false, nil
		}
		return false, err
	}
	return string(b) == magic, nil
}

type keys struct {
	check, payload []byte
}

func deriveKeys(passphrase string, p KDFParams, salt []byte) (keys, error) {
	master := argon2.IDKey([]byte(passphrase), salt, p.Time, p.Memory, p.Threads, 32)
	check, err := hkdf.Key(sha256.New, master, nil, "homthu backup check", 32)
	if err != nil {
		return keys{}, err
	}
	payload, err := hkdf.Key(sha256.New, master, nil, "homthu backup payload", chacha20poly1305.KeySize)
	return keys{check, payload}, err
}

// encrypter seals what is written to it into w.
type encrypter struct {
	w      io.Writer
	aead   cipher.AEAD
	prefix []byte
	buf    []byte
	out    []byte
	i      uint64
	closed bool
}

// newEncrypter writes the header to w and returns a writer that encrypts
// into w; its Close seals the last chunk (and does not close w).
func newEncrypter(w io.Writer, passphrase string, p KDFParams) (io.WriteCloser, error) {
	p = p.orDefault()
	h := make([]byte, 0, headerSize)
	h = append(h, magic...)
	h = binary.BigEndian.AppendUint32(h, p.Time)
	h = binary.BigEndian.AppendUint32(h, p.Memory)
	h = append(h, p.Threads)
	salt := make([]byte, saltSize)
	prefix := make([]byte, prefixSize)
	rand.Read(salt)
	rand.Read(prefix)
	h = append(h, salt...)
	h = append(h, prefix...)
	k, err := deriveKeys(passphrase, p, salt)
	if err != nil {
		return nil, err
	}
	m := hmac.New(sha256.New, k.check)
	m.Write(h)
	h = m.Sum(h)
	aead, err := chacha20poly1305.NewX(k.payload)
	if err != nil {
		return nil, err
	}
	if _, err := w.Write(h); err != nil {
		return nil, err
	}
	return &encrypter{w: w, aead: aead, prefix: prefix, buf: make([]byte, 0, chunkSize),
		out: make([]byte, 0, chunkSize+aead.Overhead())}, nil
}

func (e *encrypter) Write(p []byte) (int, error) {
	if e.closed {
		return 0, errors.New("backup: write after close")
	}
	n := 0
	for len(p) > 0 {
		// A full buffer is sealed only when more data follows: the last
		// chunk, whatever its size, is sealed by Close with the flag set.
		if len(e.buf) == chunkSize {
			if err := e.seal(false); err != nil {
				return n, err
			}
		}
		c := copy(e.buf[len(e.buf):chunkSize], p)
		e.buf = e.buf[:len(e.buf)+c]
		p = p[c:]
		n += c
	}
	return n, nil
}

func (e *encrypter) seal(last bool) error {
	e.out = e.aead.Seal(e.out[:0], chunkNonce(e.prefix, e.i), e.buf, lastFlag(last))
	e.i++
	e.buf = e.buf[:0]
	_, err := e.w.Write(e.out)
	return err
}

func (e *encrypter) Close() error {
	if e.closed {
		return nil
	}
	e.closed = true
	return e.seal(true)
}

func chunkNonce(prefix []byte, i uint64) []byte {
	n := make([]byte, 0, chacha20poly1305.NonceSizeX)
	n = append(n, prefix...)
	return binary.BigEndian.AppendUint64(n, i)
}

func lastFlag(last bool) []byte {
	if last {
		return []byte{1}
	}
	return []byte{0}
}

// decrypter opens the chunks of an encrypted archive.
type decrypter struct {
	r      *bufio.Reader
	aead   cipher.AEAD
	prefix []byte
	ct     []byte
	pt     []byte
	i      uint64
	done   bool
}

// unlocked remembers the keys derived for a header, so that the second
// pass of a restore does not run argon2id again.
type unlocked struct {
	header []byte
	keys   keys
}

// newDecrypter reads and checks the header from r and returns a reader of
// the plaintext, which fails with a damaged error on any chunk that does
// not authenticate in its place, and on a missing last chunk. If cache
// holds the keys of the same header they are used, else they are derived
// and stored there.
func newDecrypter(r io.Reader, passphrase string, cache *unlocked) (io.Reader, error) {
	h := make([]byte, headerSize)
	if _, err := io.ReadFull(r, h); err != nil {
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, damaged("phần đầu tệp bị cắt cụt")
		}
		return nil, err
	}
	if string(h[:len(magic)]) != magic {
		return nil, notBackup()
	}
	b := h[len(magic):]
	p := KDFParams{Time: binary.BigEndian.Uint32(b), Memory: binary.BigEndian.Uint32(b[4:]), Threads: b[8]}
	b = b[9:]
	salt, prefix, check := b[:saltSize], b[saltSize:saltSize+prefixSize], b[saltSize+prefixSize:]
	if p.Time == 0 || p.Time > maxKDFTime || p.Memory < 8*uint32(p.Threads) || p.Memory > maxKDFMemory ||
		p.Threads == 0 || p.Threads > maxKDFThreads {
		return nil, damaged(fmt.Sprintf("tham số argon2id không hợp lệ (t=%d, m=%d KiB, p=%d)", p.Time, p.Memory, p.Threads))
	}
	var k keys
	if cache != nil && bytes.Equal(cache.header, h) {
		k = cache.keys
	} else {
		var err error
		if k, err = deriveKeys(passphrase, p, salt); err != nil {
			return nil, err
		}
	}
	m := hmac.New(sha256.New, k.check)
	m.Write(h[:headerSize-sha256.Size])
	if !hmac.Equal(m.Sum(nil), check) {
		return nil, wrongPassphrase()
	}
	if cache != nil {
		*cache = unlocked{header: h, keys: k}
	}
	aead, err := chacha20poly1305.NewX(k.payload)
	if err != nil {
		return nil, err
	}
	return &decrypter{r: bufio.NewReaderSize(r, chunkSize+aead.Overhead()+1), aead: aead, prefix: prefix,
		ct: make([]byte, chunkSize+aead.Overhead())}, nil
}

func (d *decrypter) Read(p []byte) (int, error) {
	for len(d.pt) == 0 {
		if d.done {
			return 0, io.EOF
		}
		if err := d.next(); err != nil {
			return 0, err
		}
	}
	n := copy(p, d.pt)
	d.pt = d.pt[n:]
	return n, nil
}

// next reads, authenticates and opens the next chunk. A chunk is the last
// one when the input ends with it; it must then carry the last-chunk flag,
// and a chunk that carries it must be the last.
func (d *decrypter) next() error {
	n, err := io.ReadFull(d.r, d.ct)
	last := false
	switch {
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
		last = true
	case err != nil:
		return err
	default:
		if _, err := d.r.Peek(1); errors.Is(err, io.EOF) {
			last = true
		} else if err != nil {
			return err
		}
	}
	if n < d.aead.Overhead() {
		return damaged("tệp bị cắt cụt")
	}
	pt, err := d.aead.Open(d.ct[:0], chunkNonce(d.prefix, d.i), d.ct[:n], lastFlag(last))
	if err != nil {
		if last {
			return damaged(fmt.Sprintf("khối %d (khối cuối) không xác thực được: tệp bị cắt cụt hoặc bị sửa", d.i))
		}
		return damaged(fmt.Sprintf("khối %d không xác thực được: tệp bị sửa", d.i))
	}
	d.pt = pt
	d.i++
	d.done = last
	return nil
}
