package mail

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"go/build"
	"io"
	"math/big"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

// mailpit is a real SMTP server on loopback (github.com/axllent/mailpit,
// `go install github.com/axllent/mailpit@v1.33.1`), read back through its
// HTTP API. CI (CI=true) installs it and the tests fail without it;
// elsewhere they skip with a note.
type mailpit struct {
	SMTPPort int
	API      string
	cmd      *exec.Cmd
}

// mailpitBinary finds mailpit on PATH or in GOPATH/bin.
func mailpitBinary(t *testing.T) string {
	if p, err := exec.LookPath("mailpit"); err == nil {
		return p
	}
	if p := filepath.Join(build.Default.GOPATH, "bin", "mailpit"); fileExists(p) {
		return p
	}
	msg := "mailpit is not installed: go install github.com/axllent/mailpit@v1.33.1"
	if os.Getenv("CI") == "true" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}

func fileExists(p string) bool {
	st, err := os.Stat(p)
	return err == nil && !st.IsDir()
}

// freePort returns a loopback port that was free a moment ago.
func freePort(t *testing.T) int {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// startMailpit starts mailpit on free loopback ports with extra flags and
// stops it when the test ends.
func startMailpit(t *testing.T, extra ...string) *mailpit {
	t.Helper()
	bin := mailpitBinary(t)
	for try := 0; ; try++ {
		m := &mailpit{SMTPPort: freePort(t)}
		httpPort := freePort(t)
		m.API = fmt.Sprintf("http://127.0.0.1:%d", httpPort)
		args := append([]string{"--smtp", "127.0.0.1:" + strconv.Itoa(m.SMTPPort), "--listen", "127.0.0.1:" + strconv.Itoa(httpPort),
			"--disable-version-check", "--smtp-disable-rdns", "--quiet", "--database", filepath.Join(t.TempDir(), "mailpit.db")}, extra...)
		m.cmd = exec.Command(bin, args...)
		m.cmd.Stdout, m.cmd.Stderr = os.Stderr, os.Stderr
		if err := m.cmd.Start(); err != nil {
			t.Fatalf("start mailpit: %v", err)
		}
		exited := make(chan struct{})
		go func() { m.cmd.Wait(); close(exited) }()
		ready := false
		for i := 0; i < 200 && !ready; i++ {
			select {
			case <-exited:
				i = 200
				continue
			case <-time.After(50 * time.Millisecond):
			}
			if res, err := http.Get(m.API + "/api/v1/messages"); err == nil {
				res.Body.Close()
				ready = res.StatusCode == 200
			}
		}
		if ready {
			t.Cleanup(func() {
				m.cmd.Process.Kill()
				<-exited
			})
			return m
		}
		m.cmd.Process.Kill()
		<-exited
		if try == 2 {
			t.Fatal("mailpit did not start (ports taken?)")
		}
	}
}

// message is a message as mailpit's API returns it.
type message struct {
	ID      string
	Subject string
	From    struct{ Name, Address string }
	To      []struct{ Name, Address string }
	Text    string
	HTML    string
}

// messages returns what mailpit received, newest first, in full.
func (m *mailpit) messages(t *testing.T) []message {
	t.Helper()
	var list struct{ Messages []message }
	m.get(t, "/api/v1/messages", &list)
	for i := range list.Messages {
		m.get(t, "/api/v1/message/"+list.Messages[i].ID, &list.Messages[i])
	}
	return list.Messages
}

// headers returns a message's headers.
func (m *mailpit) headers(t *testing.T, id string) map[string][]string {
	var h map[string][]string
	m.get(t, "/api/v1/message/"+id+"/headers", &h)
	return h
}

// raw returns a message's source as it arrived.
func (m *mailpit) raw(t *testing.T, id string) string {
	t.Helper()
	res, err := http.Get(m.API + "/api/v1/message/" + id + "/raw")
	if err != nil {
		t.Fatalf("mailpit raw: %v", err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return string(b)
}

func (m *mailpit) get(t *testing.T, path string, v any) {
	t.Helper()
	res, err := http.Get(m.API + path)
	if err != nil {
		t.Fatalf("mailpit %s: %v", path, err)
	}
	defer res.Body.Close()
	if res.StatusCode != 200 {
		t.Fatalf("mailpit %s = %d", path, res.StatusCode)
	}
	if err := json.NewDecoder(res.Body).Decode(v); err != nil {
		t.Fatalf("mailpit %s: %v", path, err)
	}
}

// waitMessages waits until mailpit holds n messages (a liveness bound).
func (m *mailpit) waitMessages(t *testing.T, n int) []message {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		ms := m.messages(t)
		if len(ms) >= n {
			return ms
		}
		if time.Now().After(deadline) {
			t.Fatalf("mailpit received %d messages, want %d", len(ms), n)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// selfSigned writes a certificate for 127.0.0.1 and its key to dir and
// returns the two paths (the certificate doubles as the CA file).
func selfSigned(t *testing.T, dir string) (cert, key string) {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "127.0.0.1"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}, BasicConstraintsValid: true, IsCA: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &k.PublicKey, k)
	if err != nil {
		t.Fatal(err)
	}
	kb, err := x509.MarshalECPrivateKey(k)
	if err != nil {
		t.Fatal(err)
	}
	cert, key = filepath.Join(dir, "smtp.crt"), filepath.Join(dir, "smtp.key")
	os.WriteFile(cert, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600)
	os.WriteFile(key, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kb}), 0o600)
	return cert, key
}
