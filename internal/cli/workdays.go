package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"homthu/internal/app"
	"homthu/internal/homthu"
	"homthu/internal/workdays"
)

const workdaysUsage = `Cách dùng:
  homthu workdays show [YEAR]        các năm của lịch ngày làm việc, hay các ngày nghỉ lễ, hoán đổi, làm bù của một năm
  homthu workdays export [--out FILE]   xuất lịch đang dùng (mọi năm) ra tệp, để sửa rồi nạp lại
  homthu workdays load FILE          nạp các năm trong tệp (định dạng homthu-workdays 1; xem docs/jobs-and-mail.md)
  homthu workdays add DATE N         ngày làm việc thứ N sau DATE (YYYY-MM-DD; N âm: trước DATE)
Mọi lệnh nhận thêm --data DIR và --database URL.`

func runWorkdays(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprintln(stderr, workdaysUsage)
		return errUsage
	}
	if args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprintln(stdout, workdaysUsage)
		return nil
	}
	sub := args[0]
	if sub != "show" && sub != "export" && sub != "load" && sub != "add" {
		fmt.Fprintf(stderr, "homthu workdays: không có lệnh con %q\n%s\n", sub, workdaysUsage)
		return errUsage
	}
	var c Config
	fs := newFlags("workdays "+sub, "workdays "+sub+" … [--data DIR] [--database URL]\n\n"+workdaysUsage, stderr)
	c.storageFlags(fs)
	out := ""
	if sub == "export" {
		fs.StringVar(&out, "out", "", "tệp ghi ra; mặc định: đầu ra chuẩn")
	}
	// A negative N ("add 2025-05-05 -2") is not a flag: mark it so that the
	// flag parser leaves it, and unmark it after.
	rest := append([]string(nil), args[1:]...)
	for i, a := range rest {
		if len(a) > 1 && a[0] == '-' && strings.Trim(a[1:], "0123456789") == "" {
			rest[i] = negMark + a
		}
	}
	if err := parse(fs, rest); err != nil {
		return err
	}
	want := map[string]int{"show": -1, "export": 0, "load": 1, "add": 2}[sub]
	if (want >= 0 && fs.NArg() != want) || (want < 0 && fs.NArg() > 1) {
		fs.Usage()
		return errUsage
	}
	s, err := openStore(ctx, &c)
	if err != nil {
		return err
	}
	defer s.Close()
	a := &app.App{Store: s}
	switch sub {
	case "load":
		b, err := os.ReadFile(fs.Arg(0))
		if err != nil {
			return homthu.Errorf(homthu.EINVALID, "Không đọc được tệp %s: %v", fs.Arg(0), err)
		}
		years, err := a.LoadWorkdays(ctx, nil, b)
		if err != nil {
			return err
		}
		for _, y := range years {
			fmt.Fprintf(stdout, "Đã nạp lịch ngày làm việc năm %d (%d ngày).\n", y.Year, len(y.Days))
			if y.Incomplete != "" {
				fmt.Fprintf(stdout, "  Năm %d ghi là chưa đầy đủ: %s\n", y.Year, y.Incomplete)
			}
		}
		return nil
	case "add":
		from, err := time.ParseInLocation(time.DateOnly, fs.Arg(0), homthu.VNTime)
		if err != nil {
			return homthu.Errorf(homthu.EINVALID, "Ngày %q không đúng dạng YYYY-MM-DD.", fs.Arg(0))
		}
		arg := strings.TrimPrefix(fs.Arg(1), negMark)
		n, err := strconv.Atoi(arg)
		if err != nil || n < -10000 || n > 10000 {
			return homthu.Errorf(homthu.EINVALID, "Số ngày %q phải là số nguyên từ -10000 đến 10000.", arg)
		}
		cal, err := a.Workdays(ctx)
		if err != nil {
			return err
		}
		d := cal.AddWorkdays(from, n)
		fmt.Fprintln(stdout, d.Format(time.DateOnly))
		if miss := cal.Missing(from, d); len(miss) > 0 {
			fmt.Fprintf(stderr, "Cảnh báo: chưa nạp đầy đủ lịch năm %s; các năm đó chỉ trừ thứ Bảy, Chủ nhật.\n", joinInts(miss))
		}
		return nil
	}
	cal, err := a.Workdays(ctx)
	if err != nil {
		return err
	}
	if sub == "export" {
		f := &workdays.File{Years: cal.Years()}
		if out == "" {
			_, err := stdout.Write(workdays.Format(f))
			return err
		}
		if err := os.WriteFile(out, workdays.Format(f), 0o644); err != nil {
			return fmt.Errorf("ghi %s: %w", out, err)
		}
		fmt.Fprintf(stdout, "Đã ghi lịch ngày làm việc (%d năm) vào %s.\n", len(f.Years), out)
		return nil
	}
	if fs.NArg() == 0 {
		for _, y := range cal.Years() {
			state := "đầy đủ"
			if y.Incomplete != "" {
				state = "chưa đầy đủ: " + y.Incomplete
			}
			fmt.Fprintf(stdout, "%d  %d ngày  %s\n", y.Year, len(y.Days), state)
		}
		return nil
	}
	year, err := strconv.Atoi(fs.Arg(0))
	if err != nil {
		return homthu.Errorf(homthu.EINVALID, "Năm %q không hợp lệ.", fs.Arg(0))
	}
	for _, y := range cal.Years() {
		if y.Year != year {
			continue
		}
		for _, src := range y.Sources {
			fmt.Fprintf(stdout, "Căn cứ: %s\n", src)
		}
		if y.Incomplete != "" {
			fmt.Fprintf(stdout, "Chưa đầy đủ: %s\n", y.Incomplete)
		}
		for _, d := range y.Days {
			fmt.Fprintf(stdout, "%s  %-7s  %s\n", d.Date, d.Kind, d.Name)
		}
		return nil
	}
	return homthu.Errorf(homthu.ENOTFOUND, "Lịch chưa có năm %d: năm đó chỉ trừ thứ Bảy, Chủ nhật. Nạp bằng homthu workdays load TỆP.", year)
}

// negMark marks a negative number among the arguments (see runWorkdays).
const negMark = "\x00"

func joinInts(ns []int) string {
	s := make([]string, len(ns))
	for i, n := range ns {
		s[i] = strconv.Itoa(n)
	}
	return strings.Join(s, ", ")
}
