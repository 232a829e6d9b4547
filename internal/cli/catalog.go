package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/user"
	"strings"

	"homthu/internal/catalog"
	"homthu/internal/homthu"
	"homthu/internal/store"
)

const catalogUsage = `Cách dùng:
  homthu catalog list                          các danh mục, phiên bản đang dùng, số mục
  homthu catalog show CODE                     các mục của một danh mục (NQ4), hay một mục (NQ4-05), và lịch sử phiên bản
  homthu catalog export CODE [--version N] [--out FILE]   xuất một phiên bản ra tệp danh mục (mặc định: phiên bản đang dùng)
  homthu catalog load FILE [--dry-run]         nạp tệp danh mục làm phiên bản kế tiếp (định dạng: docs/catalog-format.md)
  homthu catalog retire CODE --reason TEXT     bãi bỏ một mục (tạo phiên bản kế tiếp)
Mọi lệnh nhận thêm --data DIR và --database URL.`

func runCatalog(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprintln(stderr, catalogUsage)
		return errUsage
	}
	switch args[0] {
	case "-h", "--help", "help":
		fmt.Fprintln(stdout, catalogUsage)
		return nil
	case "list":
		return catalogList(ctx, args[1:], stdout, stderr)
	case "show":
		return catalogShow(ctx, args[1:], stdout, stderr)
	case "export":
		return catalogExport(ctx, args[1:], stdout, stderr)
	case "load":
		return catalogLoad(ctx, args[1:], stdout, stderr)
	case "retire":
		return catalogRetire(ctx, args[1:], stdout, stderr)
	}
	fmt.Fprintf(stderr, "homthu catalog: không có lệnh con %q\n%s\n", args[0], catalogUsage)
	return errUsage
}

// cliAuthor is who a catalogue version made on the command line is
// recorded as: the operating-system account that ran it.
func cliAuthor() string {
	if u, err := user.Current(); err == nil && u.Username != "" {
		return "dòng lệnh (" + u.Username + ")"
	}
	return "dòng lệnh"
}

func catalogList(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var c Config
	fs := newFlags("catalog list", "catalog list [--data DIR] [--database URL]", stderr)
	c.storageFlags(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 0 {
		fs.Usage()
		return errUsage
	}
	s, err := openStore(ctx, &c)
	if err != nil {
		return err
	}
	defer s.Close()
	cs, err := s.Catalogs(ctx)
	if err != nil {
		return err
	}
	for _, cat := range cs {
		fmt.Fprintf(stdout, "%-6s phiên bản %d  %d mục đang dùng, %d đã bãi bỏ  %s\n",
			cat.Code, cat.Version, cat.Active(), len(cat.Standards)-cat.Active(), cat.ShortTitle())
	}
	return nil
}

func catalogShow(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var c Config
	fs := newFlags("catalog show", "catalog show CODE [--data DIR] [--database URL]\n\nCODE is a catalogue (NQ4) or one of its items (NQ4-05).", stderr)
	c.storageFlags(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return errUsage
	}
	code := catalog.NormalizeCode(fs.Arg(0))
	s, err := openStore(ctx, &c)
	if err != nil {
		return err
	}
	defer s.Close()
	if strings.Contains(code, "-") {
		st, err := s.FindStandard(ctx, code)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s — %s, %s (phiên bản %d)\n%s\nNhóm: %s\n", st.Code, st.CatalogShort, st.Heading(), st.Version, st.Title, st.GroupTitle)
		if st.Source != "" {
			fmt.Fprintf(stdout, "Nguồn: %s\n", st.Source)
		}
		if st.Retired {
			fmt.Fprintf(stdout, "ĐÃ BÃI BỎ từ phiên bản %d: %s\n", st.RetiredIn, st.RetiredReason)
		}
		if st.Explanation != "" {
			fmt.Fprintf(stdout, "\n%s\n", st.Explanation)
		}
		if st.Official != "" {
			fmt.Fprintf(stdout, "\nNguyên văn:\n%s\n", st.Official)
		}
		return nil
	}
	cat, err := s.Catalog(ctx, code, 0)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s, phiên bản %d: %s\n%s\n", cat.Code, cat.Version, cat.Title, cat.Source)
	for _, g := range cat.Groups {
		fmt.Fprintf(stdout, "\n%s — %s\n", g.Code, g.Title)
		for _, st := range cat.InGroup(g.Code) {
			mark := ""
			if st.Retired {
				mark = fmt.Sprintf("  [đã bãi bỏ từ phiên bản %d]", st.RetiredIn)
			}
			fmt.Fprintf(stdout, "  %-9s %s%s\n", st.Code, st.Title, mark)
		}
	}
	hist, err := s.CatalogVersions(ctx, code)
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, "\nLịch sử phiên bản:")
	for _, v := range hist {
		fmt.Fprintf(stdout, "  %d  %s  %s  %s\n", v.Version, v.Created.In(homthu.VNTime).Format("02/01/2006 15:04"), originLabel(v.Origin), v.AuthorName)
	}
	return nil
}

// originLabel says in Vietnamese how a catalogue version came about.
func originLabel(origin string) string {
	switch origin {
	case store.OriginShipped:
		return "đi kèm homthu"
	case store.OriginFile:
		return "nạp từ tệp"
	case store.OriginRetire:
		return "bãi bỏ một mục"
	}
	return origin
}

func catalogExport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var c Config
	fs := newFlags("catalog export", "catalog export CODE [--version N] [--out FILE] [--data DIR] [--database URL]\n\n"+
		"Writes a version of a catalogue in the catalogue file format: edit it, raise its version by one, and load it.", stderr)
	c.storageFlags(fs)
	version := fs.Int("version", 0, "phiên bản cần xuất; 0 là phiên bản đang dùng")
	out := fs.String("out", "", "tệp ghi ra; mặc định là đầu ra chuẩn")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 || *version < 0 {
		fs.Usage()
		return errUsage
	}
	s, err := openStore(ctx, &c)
	if err != nil {
		return err
	}
	defer s.Close()
	cat, err := s.Catalog(ctx, catalog.NormalizeCode(fs.Arg(0)), *version)
	if err != nil {
		return err
	}
	data := catalog.Format(cat)
	if *out == "" {
		_, err := stdout.Write(data)
		return err
	}
	if err := os.WriteFile(*out, data, 0o644); err != nil {
		return homthu.Errorf(homthu.EINVALID, "không ghi được tệp %s: %v", *out, err)
	}
	fmt.Fprintf(stdout, "Đã xuất danh mục %s phiên bản %d ra %s.\n", cat.Code, cat.Version, *out)
	return nil
}

func catalogLoad(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var c Config
	fs := newFlags("catalog load", "catalog load FILE [--dry-run] [--data DIR] [--database URL]\n\n"+
		"Loads FILE (docs/catalog-format.md) as the next version of its catalogue, or version 1 of a new one.", stderr)
	c.storageFlags(fs)
	dry := fs.Bool("dry-run", false, "chỉ cho biết tệp sẽ thay đổi gì, không nạp")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return errUsage
	}
	data, err := readLimited(fs.Arg(0), catalog.MaxFileBytes)
	if err != nil {
		return err
	}
	next, err := catalog.Parse(data)
	if err != nil {
		return err
	}
	s, err := openStore(ctx, &c)
	if err != nil {
		return err
	}
	defer s.Close()
	var ch *catalog.Change
	if *dry {
		ch, err = s.PlanCatalog(ctx, next)
	} else {
		ch, err = s.LoadCatalog(ctx, next, nil, cliAuthor())
	}
	if err != nil {
		return err
	}
	verb := "Đã nạp"
	if *dry {
		verb = "Chạy thử, chưa nạp:"
	}
	fmt.Fprintf(stdout, "%s danh mục %s phiên bản %d (trước đó: %s).\n", verb, ch.Catalog, ch.To, fromLabel(ch.From))
	for _, l := range []struct {
		label string
		codes []string
	}{{"Thêm", ch.Added}, {"Sửa", ch.Changed}, {"Bãi bỏ", ch.Retired}} {
		if len(l.codes) > 0 {
			fmt.Fprintf(stdout, "%s %d mục: %s\n", l.label, len(l.codes), strings.Join(l.codes, ", "))
		}
	}
	fmt.Fprintf(stdout, "Giữ nguyên %d mục.\n", len(ch.Unchanged))
	return nil
}

func fromLabel(v int) string {
	if v == 0 {
		return "chưa có"
	}
	return fmt.Sprintf("phiên bản %d", v)
}

// readLimited reads a file of at most max bytes.
func readLimited(path string, max int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, homthu.Errorf(homthu.EINVALID, "không mở được tệp %s: %v", path, err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, homthu.Errorf(homthu.EINVALID, "không đọc được tệp %s: %v", path, err)
	}
	if int64(len(data)) > max {
		return nil, homthu.Errorf(homthu.EINVALID, "tệp %s quá lớn: tối đa %d byte", path, max)
	}
	return data, nil
}

func catalogRetire(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var c Config
	fs := newFlags("catalog retire", "catalog retire CODE --reason TEXT [--data DIR] [--database URL]\n\n"+
		"Retires an item: it may no longer classify new feedback; feedback classified under it keeps it.", stderr)
	c.storageFlags(fs)
	reason := fs.String("reason", "", "lý do bãi bỏ (bắt buộc)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return errUsage
	}
	s, err := openStore(ctx, &c)
	if err != nil {
		return err
	}
	defer s.Close()
	code := catalog.NormalizeCode(fs.Arg(0))
	next, err := s.RetireStandard(ctx, code, *reason, nil, cliAuthor())
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Đã bãi bỏ mục %s. Danh mục %s nay ở phiên bản %d; thư, đơn đã phân loại theo mục này vẫn giữ nguyên.\n", code, next.Code, next.Version)
	return nil
}
