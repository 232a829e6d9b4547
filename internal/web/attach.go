package web

import (
	"crypto/hmac"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"

	"homthu/internal/homthu"
	"homthu/internal/upload"
)

// Attachments survive a form that comes back with an error: on the first
// POST each file is sanitised and stored (content-addressed, so storing it
// again costs nothing), and the re-rendered form carries a token per file in
// a hidden field — the file's SHA-256, name, type and size, authenticated
// with an HMAC under the deployment's receipt key — so that the person does
// not attach it again, and no one can make the server attach a stored file
// they never sent.

// keptFile is the payload of an attachment token.
type keptFile struct {
	SHA256 string `json:"h"`
	Name   string `json:"n"`
	Type   string `json:"t"`
	Size   int64  `json:"s"`
}

const attachmentPurpose = "web: kept attachment"

// attachmentToken returns the token that carries a stored attachment
// through a re-rendered form.
func (s *Server) attachmentToken(a homthu.Attachment) string {
	b, _ := json.Marshal(keptFile{a.SHA256, a.Name, a.Type, a.Size})
	payload := base64.RawURLEncoding.EncodeToString(b)
	mac := s.app.Keys.Hash(attachmentPurpose, payload)
	return payload + "." + base64.RawURLEncoding.EncodeToString(mac)
}

// parseAttachmentToken checks a token's MAC and returns its attachment.
func (s *Server) parseAttachmentToken(tok string) (homthu.Attachment, error) {
	bad := homthu.Errorf(homthu.EINVALID, "Một tệp đính kèm trước đó không còn hợp lệ; xin đính kèm lại.")
	payload, macText, ok := strings.Cut(tok, ".")
	if !ok || len(tok) > 1000 {
		return homthu.Attachment{}, bad
	}
	mac, err := base64.RawURLEncoding.Strict().DecodeString(macText)
	if err != nil || !hmac.Equal(mac, s.app.Keys.Hash(attachmentPurpose, payload)) {
		return homthu.Attachment{}, bad
	}
	b, err := base64.RawURLEncoding.DecodeString(payload)
	if err != nil {
		return homthu.Attachment{}, bad
	}
	var k keptFile
	if err := json.Unmarshal(b, &k); err != nil {
		return homthu.Attachment{}, bad
	}
	return homthu.Attachment{SHA256: k.SHA256, Name: k.Name, Type: k.Type, Size: k.Size}, nil
}

// Limits on the body of the sending form. Files are read one at a time into
// memory (never into temporary files on disk: an unsanitised photo carries
// its GPS position), sanitised, stored, and dropped.
const (
	maxFieldBytes = 128 << 10 // one text field (content is at most 20,000 runes)
	maxFormFields = 64
	// maxSubmitBody allows five phone photos at full size and the text.
	maxSubmitBody = homthu.MaxAttachments*(upload.MaxInput+64<<10) + 1<<20
)

// submitInput is what a POST of the sending form carried.
type submitInput struct {
	vals  url.Values
	added []homthu.Attachment
	// fileErr is the first problem with a file (wrong type, too large, one
	// too many): the form comes back with it, everything else kept.
	fileErr error
}

func (in *submitInput) fail(err error) {
	if in.fileErr == nil {
		in.fileErr = err
	}
}

// readSubmitForm reads the sending form: multipart (with files) or, from a
// client that sends no file, URL-encoded.
func (s *Server) readSubmitForm(w http.ResponseWriter, r *http.Request) (*submitInput, error) {
	in := &submitInput{vals: url.Values{}}
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt != "multipart/form-data" {
		r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
		if err := r.ParseForm(); err != nil {
			return nil, homthu.Errorf(homthu.EINVALID, "Không đọc được nội dung biểu mẫu. Xin thử gửi lại.")
		}
		in.vals = r.PostForm
		return in, nil
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxSubmitBody)
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, homthu.Errorf(homthu.EINVALID, "Không đọc được nội dung biểu mẫu. Xin thử gửi lại.")
	}
	fields := 0
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			in.fail(bodyError(err))
			break
		}
		name := part.FormName()
		if name == "files" {
			err := s.readFile(in, part)
			part.Close()
			if err != nil {
				return nil, err
			}
			continue
		}
		if fields++; fields > maxFormFields {
			part.Close()
			return nil, homthu.Errorf(homthu.EINVALID, "Biểu mẫu có quá nhiều trường.")
		}
		b, err := io.ReadAll(io.LimitReader(part, maxFieldBytes+1))
		part.Close()
		if err != nil {
			in.fail(bodyError(err))
			break
		}
		if len(b) > maxFieldBytes {
			in.fail(homthu.Errorf(homthu.ETOOLARGE, "Nội dung quá dài: tối đa %d ký tự.", homthu.MaxContentRunes))
			b = b[:0]
		}
		in.vals.Add(name, string(b))
	}
	return in, nil
}

// readFile sanitises and stores one uploaded file. Only a failure to store
// is returned; a problem with the file itself is kept in in.fileErr.
func (s *Server) readFile(in *submitInput, part io.Reader) error {
	p, _ := part.(interface{ FileName() string })
	name := ""
	if p != nil {
		name = p.FileName()
	}
	data, err := io.ReadAll(io.LimitReader(part, upload.MaxInput+1))
	if err != nil {
		in.fail(bodyError(err))
		return nil
	}
	if name == "" && len(data) == 0 {
		return nil // an empty file input
	}
	if len(in.added) >= homthu.MaxAttachments {
		in.fail(homthu.Errorf(homthu.EINVALID, "Chỉ được đính kèm tối đa %d tệp.", homthu.MaxAttachments))
		return nil
	}
	if len(data) > upload.MaxInput {
		io.Copy(io.Discard, part)
		in.fail(homthu.Errorf(homthu.ETOOLARGE, "Tệp “%s” quá lớn: tối đa %d MB.", upload.SafeName(name, ""), upload.MaxInput>>20))
		return nil
	}
	f, err := upload.Sanitize(data, name)
	if err != nil {
		if homthu.ErrorCode(err) == homthu.EINTERNAL {
			return fmt.Errorf("web.readFile: %w", err)
		}
		in.fail(err)
		return nil
	}
	if s.app.Blobs == nil {
		return errors.New("web.readFile: no blob store configured")
	}
	sum, err := s.app.Blobs.Put(f.Data)
	if err != nil {
		return fmt.Errorf("web.readFile: %w", err)
	}
	in.added = append(in.added, homthu.Attachment{SHA256: sum, Name: f.Name, Type: f.Type, Size: f.Size})
	return nil
}

// bodyError turns a failure to read the request body into a message.
func bodyError(err error) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return homthu.Errorf(homthu.ETOOLARGE, "Các tệp đính kèm quá lớn: mỗi tệp tối đa %d MB, tối đa %d tệp. Xin bớt tệp rồi gửi lại.",
			upload.MaxInput>>20, homthu.MaxAttachments)
	}
	return homthu.Errorf(homthu.EINVALID, "Kết nối bị gián đoạn khi đang gửi; xin gửi lại.")
}

// sizeLabel writes a file size for a person: "340 KB", "2,1 MB".
func sizeLabel(n int64) string {
	switch {
	case n < 1<<10:
		return fmt.Sprintf("%d byte", n)
	case n < 1<<20:
		return fmt.Sprintf("%d KB", (n+512)>>10)
	}
	return strings.Replace(fmt.Sprintf("%.1f MB", float64(n)/(1<<20)), ".", ",", 1)
}
