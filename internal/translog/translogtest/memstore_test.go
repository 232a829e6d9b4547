package translogtest_test

import (
	"context"
	"testing"

	"homthu/internal/translog"
	"homthu/internal/translog/translogtest"
)

func TestMemStore(t *testing.T) {
	translogtest.Run(t, func(t *testing.T) translogtest.Harness {
		s := new(translog.MemStore)
		return translogtest.Harness{
			Store: s,
			AddPending: func(ctx context.Context, leaf []byte, ref string) error {
				_, err := s.AddPending(ctx, leaf, ref)
				return err
			},
		}
	})
}
