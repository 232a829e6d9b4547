package cli

import (
	"context"
	"fmt"
	"io"
	"os"

	"homthu/internal/homthu"
	"homthu/internal/units"
)

func runUnits(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 || (args[0] != "import" && args[0] != "add") {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
			fmt.Fprintln(stdout, "Cách dùng:\n  homthu units import FILE|--national [--data DIR] [--database URL]\n  homthu units add --parent CODE --kind area --name NAME [--data DIR] [--database URL]")
			return nil
		}
		fmt.Fprintln(stderr, "Cách dùng: homthu units import FILE|--national | homthu units add --parent CODE --kind area --name NAME")
		return errUsage
	}
	if args[0] == "import" {
		return unitsImport(ctx, args[1:], stdout, stderr)
	}
	return unitsAdd(ctx, args[1:], stdout, stderr)
}

func unitsImport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var c Config
	fs := newFlags("units import", "units import FILE|--national [--data DIR] [--database URL]\n\n"+
		"FILE is a CSV in the format of docs/units-csv.md; --national imports the shipped list\n"+
		"(34 provinces, 3,321 communes, with their pre-2025 names).", stderr)
	c.storageFlags(fs)
	national := fs.Bool("national", false, "nhập danh mục toàn quốc đi kèm (34 tỉnh, 3.321 xã)")
	if err := parse(fs, args); err != nil {
		return err
	}
	var rows []homthu.UnitImport
	var err error
	switch {
	case *national && fs.NArg() == 0:
		rows, err = units.National()
	case !*national && fs.NArg() == 1:
		f, ferr := os.Open(fs.Arg(0))
		if ferr != nil {
			return homthu.Errorf(homthu.EINVALID, "không mở được tệp %s: %v", fs.Arg(0), ferr)
		}
		defer f.Close()
		rows, err = units.Parse(f)
	default:
		fs.Usage()
		return errUsage
	}
	if err != nil {
		return err
	}
	s, err := openStore(ctx, &c)
	if err != nil {
		return err
	}
	defer s.Close()
	n, err := s.ImportUnits(ctx, rows)
	if err != nil {
		return err
	}
	counts, err := s.CountUnits(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Đã nhập %d đơn vị. Trong cơ sở dữ liệu: %d tỉnh, thành phố; %d xã, phường, đặc khu; %d khu dân cư.\n",
		n, counts[homthu.KindProvince], counts[homthu.KindCommune], counts[homthu.KindArea])
	return nil
}

func unitsAdd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var c Config
	fs := newFlags("units add", "units add --parent CODE --kind area --name NAME [--data DIR] [--database URL]\n\n"+
		"Adds a residential area under a commune; the last line of output is the new unit's code.", stderr)
	c.storageFlags(fs)
	parent := fs.String("parent", "", "mã xã, phường cha (commune code)")
	kind := fs.String("kind", "area", "loại đơn vị: chỉ area (khu dân cư)")
	name := fs.String("name", "", "tên khu dân cư, ví dụ \"Thôn Đông\"")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 0 || *parent == "" || *name == "" {
		fs.Usage()
		return errUsage
	}
	if *kind != string(homthu.KindArea) {
		return homthu.Errorf(homthu.EINVALID, "lệnh này chỉ thêm khu dân cư (--kind area); tỉnh và xã được nhập bằng homthu units import")
	}
	s, err := openStore(ctx, &c)
	if err != nil {
		return err
	}
	defer s.Close()
	u, err := s.AddArea(ctx, *parent, *name)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Đã thêm %s thuộc %s.\n%s\n", u.FullName, u.PathNames[len(u.PathNames)-2], u.Code)
	return nil
}
