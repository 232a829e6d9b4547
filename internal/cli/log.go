package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"homthu/internal/homthu"
	"homthu/internal/translog"
)

func runLog(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	sub := ""
	if len(args) > 0 {
		sub = args[0]
	}
	switch sub {
	case "verify":
		return logVerify(ctx, args[1:], stdout, stderr)
	case "audit":
		return logAudit(ctx, args[1:], stdout, stderr)
	case "monitor":
		return logMonitor(ctx, args[1:], stdout, stderr)
	case "cosign":
		return logCosign(ctx, args[1:], stdout, stderr)
	case "key":
		return logKey(ctx, args[1:], stdout, stderr)
	case "-h", "--help":
		fmt.Fprint(stdout, logUsage)
		return nil
	}
	fmt.Fprint(stderr, logUsage)
	return errUsage
}

const logUsage = `Cách dùng:
  homthu log verify --key VKEY BUNDLE.json      kiểm tra gói bằng chứng (proof bundle) với khóa công khai của nhật ký
  homthu log audit  [--data DIR] [--database URL] [CHECKPOINT|BUNDLE ...]
                                                 dựng lại toàn bộ nhật ký từ cơ sở dữ liệu và đối chiếu với các điểm kiểm tra giữ bên ngoài
  homthu log monitor --key VKEY --state DIR [--once] [--every 1m] [--full] URL
                                                 theo dõi nhật ký của một máy chủ khác qua HTTP
  homthu log cosign [--data DIR] [--database URL] FILE
                                                 ghi nhận chữ ký đồng ký (cosignature) của nhân chứng
  homthu log key    [--data DIR] [--database URL]  in khóa công khai (verifier key) của nhật ký
`

func logVerify(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("log verify", "log verify --key VKEY [--witness VKEY] BUNDLE.json", stderr)
	vkey := fs.String("key", "", "khóa công khai của nhật ký (verifier key), lấy từ nguồn bạn tin cậy")
	witness := fs.String("witness", "", "khóa công khai của nhân chứng (tùy chọn), cách nhau bởi dấu phẩy")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 || *vkey == "" {
		fs.Usage()
		return errUsage
	}
	b, err := os.ReadFile(fs.Arg(0))
	if err != nil {
		return homthu.Errorf(homthu.EINVALID, "không đọc được %s: %v", fs.Arg(0), err)
	}
	bundle, err := translog.ParseBundle(b)
	if err != nil {
		return homthu.Errorf(homthu.EINVALID, "gói bằng chứng không hợp lệ: %v", err)
	}
	var ws []string
	for _, w := range strings.Split(*witness, ",") {
		if w = strings.TrimSpace(w); w != "" {
			ws = append(ws, w)
		}
	}
	cp, leaf, err := translog.Verify(bundle, *vkey, ws...)
	if err != nil {
		return homthu.Errorf(homthu.EINVALID, "KHÔNG hợp lệ: %v", err)
	}
	fmt.Fprintf(stdout, "Hợp lệ: mục số %d (%s, đơn vị %s, tháng %s) có trong nhật ký %s, cây cỡ %d.\n",
		bundle.Index, leaf.Kind, leaf.Unit, leaf.Month, cp.Origin, cp.Size)
	return nil
}

func logAudit(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var c Config
	fs := newFlags("log audit", "log audit [--data DIR] [--database URL] [CHECKPOINT|BUNDLE ...]\n\n"+
		"Replays the whole log from the database and checks it against checkpoints held outside\n"+
		"it: monitor state files, witnesses' cosigned checkpoints, citizens' proof bundles.\n"+
		"Checking a log only against its own latest signature proves nothing.", stderr)
	c.storageFlags(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	s, err := openStore(ctx, &c)
	if err != nil {
		return err
	}
	defer s.Close()
	skey, err := loadLogKey(ctx, &c, s)
	if err != nil {
		return err
	}
	vkey, _ := translog.VerifierKey(skey)
	var outside [][]byte
	for _, f := range fs.Args() {
		b, err := os.ReadFile(f)
		if err != nil {
			return homthu.Errorf(homthu.EINVALID, "không đọc được %s: %v", f, err)
		}
		if bundle, err := translog.ParseBundle(b); err == nil {
			b = []byte(bundle.Checkpoint)
		}
		outside = append(outside, b)
	}
	start := time.Now()
	rep, err := translog.Audit(ctx, s.TransLog(), vkey, outside...)
	if err != nil {
		if errors.Is(err, translog.ErrInconsistent) {
			return homthu.Errorf(homthu.ECONFLICT, "NHẬT KÝ KHÔNG NHẤT QUÁN: %v", err)
		}
		return err
	}
	fmt.Fprintf(stdout, "Nhật ký nhất quán: %d mục, đối chiếu %d điểm kiểm tra (%d giữ bên ngoài), %.1f giây.\n",
		rep.Size, rep.Checkpoints, len(outside), time.Since(start).Seconds())
	if len(outside) == 0 {
		fmt.Fprintln(stdout, "Lưu ý: không có điểm kiểm tra nào giữ bên ngoài; người giữ cả cơ sở dữ liệu và khóa ký có thể viết lại lịch sử mà kiểm tra này không phát hiện.")
	}
	return nil
}

func logMonitor(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("log monitor", "log monitor --key VKEY --state DIR [--once] [--every 1m] [--full] URL", stderr)
	vkey := fs.String("key", "", "khóa công khai của nhật ký cần theo dõi")
	state := fs.String("state", "./homthu-monitor", "thư mục lưu trạng thái của người theo dõi")
	once := fs.Bool("once", false, "kiểm tra một lần rồi thoát")
	every := fs.Duration("every", time.Minute, "chu kỳ kiểm tra")
	full := fs.Bool("full", false, "mỗi lần tải và kiểm tra toàn bộ các mục")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 || *vkey == "" {
		fs.Usage()
		return errUsage
	}
	m := &translog.Monitor{URL: strings.TrimSuffix(fs.Arg(0), "/"), VerifierKey: *vkey, Dir: *state, Full: *full}
	if *once {
		res, err := m.Check(ctx)
		if err != nil {
			return monitorErr(err)
		}
		fmt.Fprintf(stdout, "Nhất quán: cây cỡ %d (trước đó %d), đã kiểm tra %d mục.\n", res.Checkpoint.Size, res.Previous.Size, res.Entries)
		return nil
	}
	fmt.Fprintf(stdout, "Đang theo dõi %s mỗi %v…\n", m.URL, *every)
	if err := m.Run(ctx, *every); err != nil && ctx.Err() == nil {
		return monitorErr(err)
	}
	return nil
}

func monitorErr(err error) error {
	if errors.Is(err, translog.ErrInconsistent) {
		return homthu.Errorf(homthu.ECONFLICT, "NHẬT KÝ KHÔNG NHẤT QUÁN: %v", err)
	}
	return err
}

func logCosign(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var c Config
	fs := newFlags("log cosign", "log cosign [--data DIR] [--database URL] FILE\n\n"+
		"Records the cosignatures of a witness (a checkpoint note it cosigned, C2SP\n"+
		"tlog-cosignature) whose verifier key is in HOMTHU_LOG_WITNESSES.", stderr)
	c.storageFlags(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return errUsage
	}
	b, err := os.ReadFile(fs.Arg(0))
	if err != nil {
		return homthu.Errorf(homthu.EINVALID, "không đọc được %s: %v", fs.Arg(0), err)
	}
	s, err := openStore(ctx, &c)
	if err != nil {
		return err
	}
	defer s.Close()
	l, err := newTransLog(ctx, &c, s)
	if err != nil {
		return err
	}
	n, err := l.AddCosignatures(ctx, b)
	if err != nil {
		return homthu.Errorf(homthu.EINVALID, "không ghi nhận được chữ ký đồng ký: %v", err)
	}
	fmt.Fprintf(stdout, "Đã ghi nhận %d chữ ký đồng ký.\n", n)
	return nil
}

func logKey(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var c Config
	fs := newFlags("log key", "log key [--data DIR] [--database URL]", stderr)
	c.storageFlags(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	s, err := openStore(ctx, &c)
	if err != nil {
		return err
	}
	defer s.Close()
	skey, err := loadLogKey(ctx, &c, s)
	if err != nil {
		return err
	}
	vkey, err := translog.VerifierKey(skey)
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, vkey)
	return nil
}
