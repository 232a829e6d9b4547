package app

import (
	"context"
	"errors"
	"time"

	"homthu/internal/homthu"
	"homthu/internal/translog"
)

// ErrProofPending is returned by Proof until a signed checkpoint covers the
// item; RetryAfter in the *ProofPending says when to ask again.
type ProofPending struct{ RetryAfter time.Duration }

func (p *ProofPending) Error() string { return "app: proof pending" }

// Proof returns the transparency-log proof bundle of the item a receipt
// belongs to: its leaf, the opening of its commitment (salt and text hash,
// never identity), the inclusion proof and the signed checkpoint. Until a
// checkpoint covers the item it returns a *ProofPending.
func (a *App) Proof(ctx context.Context, receipt string) (*translog.Bundle, error) {
	if a.TransLog == nil {
		return nil, homthu.Errorf(homthu.ENOTFOUND, "Máy chủ này chưa bật nhật ký minh bạch.")
	}
	id, err := a.itemByReceipt(ctx, receipt)
	if err != nil {
		return nil, err
	}
	salt, th, err := a.Store.ItemCommitment(ctx, id)
	if err != nil {
		return nil, err
	}
	op := translog.Opening{Salt: salt}
	copy(op.TextHash[:], th)
	b, err := a.TransLog.ProofByRef(ctx, "item:"+id, op)
	if errors.Is(err, translog.ErrPending) {
		wait := a.TransLog.RetryAfter()
		if due, ok, derr := a.Store.TransLog().PendingDue(ctx, "item:"+id); derr == nil && ok && due.After(a.now()) {
			wait += due.Sub(a.now())
		}
		return nil, &ProofPending{RetryAfter: wait}
	}
	return b, err
}
