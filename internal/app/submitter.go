package app

import (
	"context"
	"fmt"

	"homthu/internal/homthu"
	"homthu/internal/mail"
	"homthu/internal/store"
)

// mailSubmitter queues, in tx, the news mail to the submitter of item id
// when they gave an address (issue 9: "the submitter is told, through their
// receipt page, by email if they gave one, of each step that concerns
// them"). The mail says only that there is news, to be read with the
// receipt (mail.EnqueueSubmitter); several steps in a sitting make one
// mail. The identity is opened here by the system, for this alone: no
// person sees it, so the look is not an audited reveal.
func (a *App) mailSubmitter(ctx context.Context, tx *store.Tx, id string) error {
	sealed, err := store.SealedIdentityTx(ctx, tx, id)
	if err != nil || len(sealed) == 0 {
		return err
	}
	b, err := a.Keys.Open(sealed, []byte("identity:"+id))
	if err != nil {
		return fmt.Errorf("app.mailSubmitter: %w", err)
	}
	var idn homthu.Identity
	if err := jsonUnmarshal(b, &idn); err != nil {
		return err
	}
	if idn.Email == "" {
		return nil
	}
	if _, err := mail.CheckAddress(idn.Email); err != nil {
		// An address that was accepted once and no longer parses is not
		// a reason to refuse the Front's change.
		if a.Log != nil {
			a.Log.Warn("app: a submitter's address no longer parses; no news mail", "item", id)
		}
		return nil
	}
	return mail.EnqueueSubmitter(ctx, tx, a.Keys, id, idn.Email)
}
