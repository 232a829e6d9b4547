package web

import (
	"bytes"
	"context"
	"errors"
	"io"
	"mime"
	"net/http"
	"strings"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"

	"homthu/internal/homthu"
	"homthu/internal/translog"
)

// TransparencyPage is the public page of the transparency log (issue 4,
// "Nhật ký minh bạch"): what the log is and what it proves, its verifier
// key, its latest checkpoint, how monitors and witnesses follow it, and a
// form that checks a proof bundle with nothing but that key.
type TransparencyPage struct {
	Base
	// Enabled says the server runs a transparency log; the rest is empty
	// without one.
	Enabled     bool
	VerifierKey string
	// LogURL is where the log is served (C2SP tlog-tiles), as the person
	// reached us: https://host/log.
	LogURL string
	// Checkpoint is the latest signed checkpoint's note text, with Size its
	// tree size and Cosigned the number of witness cosignatures on it.
	Checkpoint string
	Size       int64
	Cosigned   int
	// Bundle is the text pasted in the form (kept after an error).
	Bundle string
	// Result is the outcome of a verification; Error what was wrong with
	// the bundle.
	Result *VerifyResult
	Error  string
}

func (*TransparencyPage) templateName() string { return "transparency.html" }

// VerifyResult is what a valid bundle proves.
type VerifyResult struct {
	// Index is the letter's position in the log, Size the tree size of the
	// bundle's checkpoint.
	Index, Size int64
	// Kind is what the leaf records; Unit the unit it was addressed to;
	// Month the month it was received (mm/yyyy).
	Kind, Unit, Month string
	// Cosigned is how many witness cosignature lines the checkpoint carries.
	Cosigned int
	// Current is the size of this server's latest checkpoint; Consistent
	// says that it contains the bundle's tree unchanged (so the letter is
	// still in the log). Inconsistent is the opposite, proven: evidence that
	// the log was rewritten.
	Current      int64
	Consistent   bool
	Inconsistent bool
}

// kindLabels name the events a leaf can record.
var kindLabels = map[translog.Kind]string{
	translog.KindItem:     "thư, đơn nhận được",
	translog.KindLetter:   "thư giấy đăng ký khi mở hòm thư",
	translog.KindOpening:  "biên bản mở hòm thư",
	translog.KindReferral: "việc chuyển thư đến cơ quan có thẩm quyền",
	translog.KindAnswer:   "kết quả xử lý, văn bản trả lời",
}

func (s *Server) newTransparencyPage(r *http.Request) (*TransparencyPage, error) {
	p := &TransparencyPage{}
	p.Title = "Nhật ký minh bạch"
	l := s.app.TransLog
	if l == nil {
		return p, nil
	}
	p.Enabled = true
	p.VerifierKey = l.VerifierKey()
	p.LogURL = s.siteURL(r) + "/log"
	c, err := s.app.Store.TransLog().LatestCheckpoint(r.Context())
	if errors.Is(err, translog.ErrNotFound) {
		return p, nil
	} else if err != nil {
		return nil, err
	}
	p.Checkpoint = string(c.Note())
	p.Cosigned = len(c.Cosignatures)
	if cp, err := translog.ParseCheckpoint(noteText(c.Signed)); err == nil {
		p.Size = cp.Size
	}
	return p, nil
}

// noteText is the text of a signed note, before the blank line and the
// signatures.
func noteText(signed []byte) string {
	text, _, _ := bytes.Cut(signed, []byte("\n\n"))
	return string(text) + "\n"
}

// transparency answers GET /minh-bach.
func (s *Server) transparency(w http.ResponseWriter, r *http.Request) error {
	p, err := s.newTransparencyPage(r)
	if err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, p)
	return nil
}

// maxVerifyBody bounds the verification form: one bundle, pasted or as a
// file, with the multipart framing.
const maxVerifyBody = 2*translog.MaxBundleSize + 16<<10

// verifyBundle answers POST /minh-bach: it checks the bundle pasted or
// uploaded with translog.Verify against this log's verifier key alone, and
// then that this server's current tree still contains the bundle's tree.
func (s *Server) verifyBundle(w http.ResponseWriter, r *http.Request) error {
	p, err := s.newTransparencyPage(r)
	if err != nil {
		return err
	}
	if !p.Enabled {
		return homthu.Errorf(homthu.ENOTFOUND, "Máy chủ này chưa bật nhật ký minh bạch.")
	}
	data, text, err := readBundleForm(w, r)
	p.Bundle = text
	if err == nil {
		p.Result, err = s.checkBundle(r.Context(), data)
	}
	if err != nil {
		s.logIfInternal(r, err)
		p.Error = homthu.ErrorMessage(err)
		s.render(w, r, statusOf(err), p)
		return nil
	}
	s.render(w, r, http.StatusOK, p)
	return nil
}

// readBundleForm returns the bundle of the form: the file if one was
// chosen, else the pasted text (which is also returned, to be kept).
func readBundleForm(w http.ResponseWriter, r *http.Request) (data []byte, text string, err error) {
	r.Body = http.MaxBytesReader(w, r.Body, maxVerifyBody)
	tooLarge := homthu.Errorf(homthu.ETOOLARGE, "Gói bằng chứng quá lớn: một gói của homthu chỉ vài KB.")
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt == "multipart/form-data" {
		// Everything fits in memory (maxVerifyBody): nothing goes to disk.
		if err := r.ParseMultipartForm(maxVerifyBody); err != nil {
			return nil, "", tooLarge
		}
		if f, _, err := r.FormFile("bundle_file"); err == nil {
			defer f.Close()
			b, err := io.ReadAll(io.LimitReader(f, translog.MaxBundleSize+1))
			if err != nil {
				return nil, "", homthu.Errorf(homthu.EINVALID, "Không đọc được tệp gói bằng chứng. Xin chọn lại tệp.")
			}
			if len(b) > 0 {
				if len(b) > translog.MaxBundleSize {
					return nil, "", tooLarge
				}
				return b, "", nil
			}
		}
	} else if err := r.ParseForm(); err != nil {
		return nil, "", tooLarge
	}
	text = r.PostFormValue("bundle")
	if strings.TrimSpace(text) == "" {
		return nil, "", homthu.Errorf(homthu.EINVALID, "Xin chọn tệp gói bằng chứng (bang-chung-homthu.json) hoặc dán nội dung của nó vào ô.")
	}
	if len(text) > translog.MaxBundleSize {
		return nil, "", tooLarge
	}
	return []byte(strings.TrimSpace(text)), text, nil
}

// checkBundle verifies a bundle and compares its tree with the current one.
// Its error messages say what failed without echoing the parser's words.
func (s *Server) checkBundle(ctx context.Context, data []byte) (*VerifyResult, error) {
	b, err := translog.ParseBundle(data)
	if err != nil {
		return nil, homthu.Errorf(homthu.EINVALID, "Đây không phải một gói bằng chứng của homthu, hoặc gói đã bị sửa, cắt bớt. Gói bằng chứng là tệp JSON tải về từ mục “Tra cứu bằng mã”.")
	}
	vkey := s.app.TransLog.VerifierKey()
	v, err := note.NewVerifier(vkey)
	if err != nil {
		return nil, err
	}
	_, n, err := translog.OpenCheckpoint([]byte(b.Checkpoint), v)
	if err != nil {
		return nil, homthu.Errorf(homthu.EINVALID, "KHÔNG hợp lệ: điểm kiểm tra trong gói không mang chữ ký hợp lệ của nhật ký này (%s). Gói thuộc một nhật ký khác, hoặc điểm kiểm tra đã bị sửa.", v.Name())
	}
	cp, leaf, err := translog.Verify(b, vkey)
	if err != nil {
		return nil, homthu.Errorf(homthu.EINVALID, "KHÔNG hợp lệ: chữ ký điểm kiểm tra đúng, nhưng bằng chứng đi kèm (lá, đường dẫn chứng minh hoặc cam kết) không khớp với điểm kiểm tra đó: gói đã bị sửa.")
	}
	res := &VerifyResult{Index: b.Index, Size: cp.Size, Kind: kindLabels[leaf.Kind], Unit: leaf.Unit, Month: leaf.Month,
		Cosigned: len(n.Sigs) + len(n.UnverifiedSigs) - 1}
	if res.Kind == "" {
		res.Kind = string(leaf.Kind)
	}
	if u, err := s.app.Store.FindUnit(ctx, leaf.Unit); err == nil {
		res.Unit = u.FullName + " (mã " + leaf.Unit + ")"
	}
	if m := leaf.Month; len(m) == 7 {
		res.Month = m[5:] + "/" + m[:4]
	}

	// Is the bundle's tree still the start of this server's tree?
	latest, err := s.app.Store.TransLog().LatestCheckpoint(ctx)
	if errors.Is(err, translog.ErrNotFound) {
		// This log signed the bundle's tree and now has no checkpoint at all.
		res.Inconsistent = true
		return res, nil
	} else if err != nil {
		return nil, err
	}
	cur, _, err := translog.OpenCheckpoint(latest.Signed, v)
	if err != nil {
		return nil, err
	}
	res.Current = cur.Size
	switch {
	case cur.Size < cp.Size:
		res.Inconsistent = true
	case cur.Size == cp.Size:
		res.Consistent = cur.Hash == cp.Hash
		res.Inconsistent = !res.Consistent
	default:
		hr := tlog.HashReaderFunc(func(ix []int64) ([]tlog.Hash, error) { return s.app.Store.TransLog().ReadHashes(ctx, ix) })
		proof, err := tlog.ProveTree(cur.Size, cp.Size, hr)
		if err != nil {
			return nil, err
		}
		res.Consistent = tlog.CheckTree(proof, cur.Size, cur.Hash, cp.Size, cp.Hash) == nil
		res.Inconsistent = !res.Consistent
	}
	return res, nil
}
