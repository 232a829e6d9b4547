// Package cli is homthu's command line: one file per subcommand. Run is the
// whole program; cmd/homthu only wires it to the process.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"sort"

	"homthu/internal/homthu"
)

// command is a subcommand.
type command struct {
	summary string
	run     func(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error
}

func commands() map[string]command {
	return map[string]command{
		"serve":    {"chạy máy chủ web (serve the web site and the API)", runServe},
		"migrate":  {"tạo hoặc nâng cấp cơ sở dữ liệu (create or migrate the database)", runMigrate},
		"units":    {"nhập và thêm đơn vị hành chính (units import FILE | units add)", runUnits},
		"user":     {"tạo tài khoản cán bộ (user add)", runUser},
		"log":      {"nhật ký minh bạch: verify | audit | monitor | cosign | key (the transparency log)", runLog},
		"backup":   {"sao lưu cơ sở dữ liệu và tệp đính kèm (backup --out FILE [--encrypt])", runBackup},
		"restore":  {"khôi phục bản sao lưu vào cơ sở dữ liệu trống (restore FILE)", runRestore},
		"keys":     {"xoay vòng khóa danh tính (keys rotate)", runKeys},
		"demo":     {"nạp dữ liệu mẫu tỉnh Ninh Bình (load the demo data)", runDemo},
		"catalog":  {"danh mục biểu hiện, điều cấm: list | show | export | load | retire (catalogues of standards)", runCatalog},
		"docs":     {"nhập văn bản vào mục tìm kiếm văn bản (docs import PATH...)", runDocs},
		"workdays": {"lịch ngày làm việc: show | export | load | add (the working-day calendar)", runWorkdays},
	}
}

// Run runs the homthu command line with args (without the program name) and
// returns the process exit status: 0 on success, 1 on failure, 2 on a usage
// error.
func Run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	cmds := commands()
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(stdout, cmds)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	c, ok := cmds[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "homthu: không có lệnh %q (unknown command)\n\n", args[0])
		usage(stderr, cmds)
		return 2
	}
	err := c.run(ctx, args[1:], stdin, stdout, stderr)
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errUsage):
		return 2
	}
	if msg := homthu.ErrorMessage(err); homthu.ErrorCode(err) != homthu.EINTERNAL {
		fmt.Fprintf(stderr, "homthu %s: %s\n", args[0], msg)
	} else {
		fmt.Fprintf(stderr, "homthu %s: %v\n", args[0], err)
	}
	return 1
}

var errUsage = errors.New("usage error")

func usage(w io.Writer, cmds map[string]command) {
	fmt.Fprintln(w, "homthu — hòm thư góp ý của Mặt trận Tổ quốc (Quy định 124-QĐ/TW)")
	fmt.Fprintln(w, "\nCách dùng: homthu LỆNH [tùy chọn]   (homthu LỆNH --help)")
	fmt.Fprintln(w, "\nCác lệnh:")
	var names []string
	for n := range cmds {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-8s %s\n", n, cmds[n].summary)
	}
}

// newFlags returns a flag set whose errors and help go to stderr, and whose
// usage starts with the given synopsis.
func newFlags(name, synopsis string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Cách dùng: homthu %s\n\nTùy chọn (flag > biến môi trường HOMTHU_* > mặc định):\n", synopsis)
		fs.PrintDefaults()
	}
	return fs
}

// parse parses flags, which may come before or after the positional
// arguments ("units import FILE --data DIR"), turning a usage error into
// errUsage. The positional arguments are then fs.Args().
func parse(fs *flag.FlagSet, args []string) error {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return err
			}
			return errUsage
		}
		args = fs.Args()
		if len(args) == 0 {
			break
		}
		if args[0] == "--" {
			pos = append(pos, args[1:]...)
			break
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
	return fs.Parse(append([]string{"--"}, pos...))
}
