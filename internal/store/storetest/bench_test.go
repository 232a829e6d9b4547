package storetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"sync/atomic"
	"testing"
	"time"

	"homthu/internal/homthu"
	"homthu/internal/store"
	"homthu/internal/translog"
)

// BenchmarkCreateItem measures what the transparency log's outbox row costs
// a submission: items stored through group commit from 64 goroutines, with
// and without the leaf (issue 4: appending must not slow submission by more
// than 5 %). Report as items/s.
func BenchmarkCreateItem(b *testing.B) {
	for _, engine := range Engines() {
		for _, withLeaf := range []bool{false, true} {
			name := engine + "/no-log"
			if withLeaf {
				name = engine + "/with-log"
			}
			b.Run(name, func(b *testing.B) {
				ctx := context.Background()
				s := Open(b, engine)
				Tree(b, s)
				content := "Cán bộ địa chính xã gây khó khăn, hẹn đi hẹn lại nhiều lần khi gia đình tôi làm thủ tục cấp giấy chứng nhận quyền sử dụng đất."
				var n atomic.Int64
				b.SetParallelism(32) // 64 goroutines on 2 cores
				b.ResetTimer()
				start := time.Now()
				b.RunParallel(func(pb *testing.PB) {
					for pb.Next() {
						id := make([]byte, 10)
						rand.Read(id)
						salt := make([]byte, translog.SaltSize)
						rand.Read(salt)
						th := translog.HashText([]byte(content))
						it := &store.NewItem{ID: hex.EncodeToString(id), Unit: "14329", ReceivedOn: "2026-11-28",
							ReceiptHash: append([]byte{}, id...), CommitSalt: salt, TextHash: th[:],
							Sub: homthu.Submission{Area: "14329-001", Channel: homthu.ChannelOnline, Content: content, Anonymous: true}}
						if withLeaf {
							leaf, _ := translog.Leaf{Kind: translog.KindItem, Unit: "14329", Month: "2026-11",
								Commitment: translog.Commit(translog.KindItem, salt, th)}.MarshalBinary()
							it.Leaf = leaf
						}
						if err := s.Batch(ctx, func(tx *store.Tx) error { return store.CreateItem(ctx, tx, it) }); err != nil {
							b.Error(err)
							return
						}
						n.Add(1)
					}
				})
				b.ReportMetric(float64(n.Load())/time.Since(start).Seconds(), "items/s")
			})
		}
	}
}
