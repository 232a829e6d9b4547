package app

import (
	"context"
	"runtime"

	"homthu/internal/upload"
)

// Sanitize checks and cleans an uploaded file (upload.Sanitize) with at most
// as many running at once as there are CPUs: decoding a 50-megapixel photo
// takes up to 200 MB, and a burst of uploads must not exhaust memory. It
// waits for a slot, or returns the context's error.
func (a *App) Sanitize(ctx context.Context, data []byte, name string) (upload.File, error) {
	a.semOnce.Do(func() { a.sem = make(chan struct{}, runtime.NumCPU()) })
	select {
	case a.sem <- struct{}{}:
	case <-ctx.Done():
		return upload.File{}, ctx.Err()
	}
	defer func() { <-a.sem }()
	return upload.Sanitize(data, name)
}
