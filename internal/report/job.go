package report

import (
	"bytes"
	"context"
	"fmt"

	"homthu/internal/app"
	"homthu/internal/export"
	"homthu/internal/homthu"
	"homthu/internal/jobs"
)

// Handler is the background job that writes a digest's report
// (app.DigestExportKind): it computes the digest, renders it, stores the
// file among the blobs and records "blob:SHA256" as the job's result,
// reporting its progress on the way. A request that cannot succeed (a unit
// since removed, a bad format) fails at once instead of being retried.
func Handler(a *app.App, extra ...Section) jobs.Handler {
	return func(ctx context.Context, j *jobs.Job) error {
		var x app.DigestExport
		if err := j.Decode(&x); err != nil {
			return err
		}
		f, err := export.ParseFormat(x.Format)
		if err != nil {
			return jobs.Permanent(err)
		}
		if err := j.Progress(ctx, 0, 3, "Đang tổng hợp số liệu"); err != nil {
			return err
		}
		d, err := a.BuildDigest(ctx, app.DigestRequest{Unit: x.Unit, Period: x.Period})
		if c := homthu.ErrorCode(err); c == homthu.ENOTFOUND || c == homthu.EINVALID {
			return jobs.Permanent(err)
		} else if err != nil {
			return err
		}
		if err := j.Progress(ctx, 1, 3, fmt.Sprintf("Đang lập văn bản %s (%d đơn vị)", f.Label(), len(d.Rows))); err != nil {
			return err
		}
		var b bytes.Buffer
		if err := Render(&b, f, d, extra...); err != nil {
			return jobs.Permanent(err)
		}
		if err := j.Progress(ctx, 2, 3, "Đang lưu tệp"); err != nil {
			return err
		}
		sha, err := a.Blobs.Put(b.Bytes())
		if err != nil {
			return fmt.Errorf("report: store the file: %w", err)
		}
		j.SetResult("blob:" + sha)
		return j.Progress(ctx, 3, 3, "Đã lập xong")
	}
}
