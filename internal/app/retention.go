package app

import (
	"context"
	"time"
)

// Retain erases the identities and attachments of items closed longer than
// period ago (see store.EraseExpired), removes the attachment files no item
// references any more, and returns how many items it erased. A period of 0
// keeps everything.
func (a *App) Retain(ctx context.Context, period time.Duration) (int, error) {
	if period <= 0 {
		return 0, nil
	}
	n := 0
	for {
		erased, err := a.Store.EraseExpired(ctx, a.now().Add(-period), 200)
		if err != nil {
			return n, err
		}
		for _, e := range erased {
			for _, h := range e.Blobs {
				if a.Blobs != nil {
					if err := a.Blobs.Remove(h); err != nil && a.Log != nil {
						a.Log.Error("retention: remove attachment", "err", err)
					}
				}
			}
		}
		n += len(erased)
		if len(erased) < 200 {
			return n, nil
		}
	}
}
