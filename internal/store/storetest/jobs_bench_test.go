package storetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"homthu/internal/homthu"
	"homthu/internal/jobs"
	"homthu/internal/store"
	"homthu/internal/translog"
)

// newBenchItem is a submission as app.Submit stores it: an anonymous item
// with its log leaf.
func newBenchItem() *store.NewItem {
	content := "Cán bộ địa chính xã gây khó khăn, hẹn đi hẹn lại nhiều lần khi gia đình tôi làm thủ tục cấp giấy chứng nhận quyền sử dụng đất."
	id := make([]byte, 10)
	rand.Read(id)
	salt := make([]byte, translog.SaltSize)
	rand.Read(salt)
	th := translog.HashText([]byte(content))
	leaf, _ := translog.Leaf{Kind: translog.KindItem, Unit: "14329", Month: "2026-11",
		Commitment: translog.Commit(translog.KindItem, salt, th)}.MarshalBinary()
	return &store.NewItem{ID: hex.EncodeToString(id), Unit: "14329", ReceivedOn: "2026-11-28",
		ReceiptHash: append([]byte{}, id...), CommitSalt: salt, TextHash: th[:], Leaf: leaf,
		Sub: homthu.Submission{Area: "14329-001", Channel: homthu.ChannelOnline, Content: content, Anonymous: true}}
}

// BenchmarkEnqueueInSubmission measures what enqueuing a job costs the
// transaction that causes it: one submission (an item and its log leaf)
// per transaction, alone, with a keyed job (a news mail with a 90-byte
// sealed secret, as mail.EnqueueSubmitter writes), and with a re-plan of
// that job (jobs.Schedule of an existing key). Report ns/op.
func BenchmarkEnqueueInSubmission(b *testing.B) {
	secret := make([]byte, 90)
	for _, engine := range Engines() {
		for _, mode := range []string{"item", "item+enqueue", "item+schedule"} {
			b.Run(engine+"/"+mode, func(b *testing.B) {
				ctx := context.Background()
				s := Open(b, engine)
				Tree(b, s)
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					it := newBenchItem()
					err := s.Transact(ctx, func(tx *store.Tx) error {
						if err := store.CreateItem(ctx, tx, it); err != nil {
							return err
						}
						j := store.NewJob{Kind: "mail.submitter", Key: it.ID, Payload: []byte("{}"), Secret: secret,
							RunAt: time.Now().Add(2 * time.Minute), MaxAttempts: 14}
						switch mode {
						case "item+enqueue":
							_, _, err := store.EnqueueJob(ctx, tx, j)
							return err
						case "item+schedule":
							j.Key = "same"
							_, err := store.ScheduleJob(ctx, tx, j)
							return err
						}
						return nil
					})
					if err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// BenchmarkRunnerThroughput measures how many jobs a runner finishes a
// second with a handler that does nothing: b.N jobs enqueued first, then
// one runner with 4 or 16 workers runs them all. Each job is a claim
// share, a heartbeat-free run and its own finishing transaction. Report
// jobs/s.
func BenchmarkRunnerThroughput(b *testing.B) {
	for _, engine := range Engines() {
		for _, workers := range []int{4, 16} {
			b.Run(fmt.Sprintf("%s/workers=%d", engine, workers), func(b *testing.B) {
				ctx := context.Background()
				s := Open(b, engine)
				for lo := 0; lo < b.N; lo += 1000 {
					err := s.Transact(ctx, func(tx *store.Tx) error {
						for i := lo; i < min(lo+1000, b.N); i++ {
							if _, _, err := store.EnqueueJob(ctx, tx, store.NewJob{Kind: "bench.noop", Payload: []byte("{}")}); err != nil {
								return err
							}
						}
						return nil
					})
					if err != nil {
						b.Fatal(err)
					}
				}
				var done atomic.Int64
				all := make(chan struct{})
				r := jobs.New(s, jobs.Options{Workers: workers, Log: quiet})
				r.Handle("bench.noop", func(ctx context.Context, j *jobs.Job) error {
					if done.Add(1) == int64(b.N) {
						close(all)
					}
					return nil
				})
				b.ResetTimer()
				start := time.Now()
				stop := startRunner(b, r)
				<-all
				elapsed := time.Since(start)
				stop()
				b.StopTimer()
				st := r.Stats()
				b.ReportMetric(float64(b.N)/elapsed.Seconds(), "jobs/s")
				b.ReportMetric(float64(st.Claims)/float64(b.N), "claims/job")
			})
		}
	}
}

// BenchmarkRunnerIdle measures what an idle runner costs: serve's runner
// (a periodic kind planned for tomorrow, and the mail kinds) on a database
// with nothing due, watched for a minute after a minute of settling.
// Report reads (looks) and write transactions (claims) a second. Run it
// with -benchtime=1x: one run takes two minutes.
func BenchmarkRunnerIdle(b *testing.B) {
	for _, engine := range Engines() {
		b.Run(engine, func(b *testing.B) {
			s := Open(b, engine)
			r := jobs.New(s, jobs.Options{Log: quiet})
			r.Periodic("bench.sweep", jobs.Daily(7, 0), func(context.Context, *jobs.Job) error { return nil })
			for _, k := range []string{"mail.submitter", "mail.staff"} {
				r.Handle(k, func(context.Context, *jobs.Job) error { return nil })
			}
			stop := startRunner(b, r)
			time.Sleep(time.Minute) // the first looks back off to the steady state
			before := r.Stats()
			b.ResetTimer()
			start := time.Now()
			time.Sleep(time.Minute)
			elapsed := time.Since(start)
			after := r.Stats()
			stop()
			b.ReportMetric(float64(after.Looks-before.Looks)/elapsed.Seconds(), "reads/s")
			b.ReportMetric(float64(after.Claims-before.Claims)/elapsed.Seconds(), "writes/s")
		})
	}
}
