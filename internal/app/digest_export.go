package app

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"homthu/internal/homthu"
	"homthu/internal/jobs"
	"homthu/internal/store"
)

// DigestExportKind is the kind of the background job that writes a
// digest's report to a file (internal/report registers its handler): a
// province's report over a year is built, rendered and stored while its
// author watches the progress, and survives a restart.
const DigestExportKind = "report.digest"

// DigestExport is a report job's payload: whose digest, which period, in
// which format ("pdf", "docx", "xlsx", "csv").
type DigestExport struct {
	Unit   string        `json:"unit"`
	Period homthu.Period `json:"period"`
	Format string        `json:"format"`
}

// ExportFormats are the formats a digest's report is written in.
var ExportFormats = []string{"pdf", "docx", "xlsx", "csv"}

// StartDigestExport asks for a digest's report in a format as a background
// job and returns the job's id. The same request by the same person within
// the same minute is the same job (a double click starts one).
func (a *App) StartDigestExport(ctx context.Context, s *homthu.Session, req DigestRequest, format string) (int64, error) {
	if err := need(s, homthu.ActReadReports); err != nil {
		return 0, err
	}
	if req.Unit == "" {
		req.Unit = s.User.Unit
	}
	if _, _, err := a.inScope(ctx, s, req.Unit); err != nil {
		return 0, err
	}
	ok := false
	for _, f := range ExportFormats {
		ok = ok || f == format
	}
	if !ok {
		return 0, homthu.Errorf(homthu.EINVALID, "Định dạng %q không có: chọn PDF, DOCX, XLSX hoặc CSV.", format)
	}
	p := req.Period
	key := fmt.Sprintf("%d/%s/%s/%s/%s/%s/%s", s.User.ID, req.Unit, p.Kind, p.From, p.To, format, a.now().UTC().Format("200601021504"))
	var id int64
	err := a.Store.Transact(ctx, func(tx *store.Tx) error {
		var err error
		id, _, err = jobs.Enqueue(ctx, tx, DigestExportKind, DigestExport{Unit: req.Unit, Period: p, Format: format},
			jobs.Opt{Key: key, StartedBy: s.User.ID, MaxAttempts: 3})
		return err
	})
	return id, err
}

// DigestExportJob returns a report job its author started, with its
// request; another person's job, or a job of another kind, is ENOTFOUND.
func (a *App) DigestExportJob(ctx context.Context, s *homthu.Session, id int64) (*store.JobInfo, *DigestExport, error) {
	if err := need(s, homthu.ActReadReports); err != nil {
		return nil, nil, err
	}
	j, err := a.Store.FindJob(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	if j.Kind != DigestExportKind || j.StartedBy != s.User.ID {
		return nil, nil, homthu.Errorf(homthu.ENOTFOUND, "Không tìm thấy tác vụ này.")
	}
	var x DigestExport
	if err := json.Unmarshal(j.Payload, &x); err != nil {
		return nil, nil, fmt.Errorf("app.DigestExportJob: %w", err)
	}
	return j, &x, nil
}

// DigestExportFile opens the file a finished report job made.
func (a *App) DigestExportFile(ctx context.Context, s *homthu.Session, id int64) (io.ReadCloser, *DigestExport, error) {
	j, x, err := a.DigestExportJob(ctx, s, id)
	if err != nil {
		return nil, nil, err
	}
	if j.State != store.JobDone || !strings.HasPrefix(j.Result, "blob:") {
		return nil, nil, homthu.Errorf(homthu.ECONFLICT, "Báo cáo chưa lập xong; xin đợi rồi tải lại trang.")
	}
	f, err := a.Blobs.Open(strings.TrimPrefix(j.Result, "blob:"))
	if err != nil {
		return nil, nil, fmt.Errorf("app.DigestExportFile: %w", err)
	}
	return f, x, nil
}
