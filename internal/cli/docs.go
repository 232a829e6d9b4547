package cli

import (
	"context"
	"fmt"
	"io"
	iofs "io/fs"
	"os"
	"path/filepath"
	"strings"

	"homthu/internal/app"
	"homthu/internal/document"
	"homthu/internal/homthu"
)

func runDocs(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "import" {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
			fmt.Fprintln(stdout, "Cách dùng: homthu docs import PATH... [--data DIR] [--database URL]\n\nPATH là một tệp (.txt, .md, .docx, .pdf) hoặc một thư mục (đọc cả thư mục con).")
			return nil
		}
		fmt.Fprintln(stderr, "Cách dùng: homthu docs import PATH...")
		return errUsage
	}
	var c Config
	fs := newFlags("docs import", "docs import PATH... [--data DIR] [--database URL]\n\n"+
		"Imports documents into the document search: files (.txt, .md, .docx, .pdf) or folders,\n"+
		"reading number, type, issuer and date from the standard header (an editor corrects them on\n"+
		"the editors' page). TCVN3 and VNI text is converted to Unicode. A text already imported is\n"+
		"not added twice.", stderr)
	c.storageFlags(fs)
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return errUsage
	}
	var paths []string
	for _, p := range fs.Args() {
		info, err := os.Stat(p)
		if err != nil {
			return homthu.Errorf(homthu.EINVALID, "không mở được %s: %v", p, err)
		}
		if !info.IsDir() {
			paths = append(paths, p)
			continue
		}
		err = filepath.WalkDir(p, func(path string, d iofs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			switch strings.ToLower(filepath.Ext(path)) {
			case ".txt", ".md", ".docx", ".pdf":
				if !d.IsDir() && !strings.EqualFold(d.Name(), "README.md") && !strings.EqualFold(d.Name(), "SOURCE_README.md") {
					paths = append(paths, path)
				}
			}
			return nil
		})
		if err != nil {
			return homthu.Errorf(homthu.EINVALID, "không đọc được thư mục %s: %v", p, err)
		}
	}
	s, err := openStore(ctx, &c)
	if err != nil {
		return err
	}
	defer s.Close()
	a, err := newApp(ctx, &c, s, stderr)
	if err != nil {
		return err
	}
	var added, same, failed int
	for _, p := range paths {
		data, err := readLimited(p, document.MaxFileBytes)
		var res []app.ImportResult
		if err == nil {
			res, err = a.ImportDocumentFiles(ctx, []app.NamedFile{{Name: p, Data: data}}, cliAuthor())
		}
		if err == nil && res[0].Err != nil {
			err = res[0].Err
		}
		switch {
		case err != nil && homthu.ErrorCode(err) == homthu.EINTERNAL:
			return err
		case err != nil:
			failed++
			fmt.Fprintf(stderr, "%s: %s\n", p, homthu.ErrorMessage(err))
		case !res[0].Added:
			same++
			fmt.Fprintf(stdout, "%s: đã có (văn bản số %d), không nhập lại\n", p, res[0].ID)
		default:
			added++
			d := res[0].Doc
			extra := ""
			if d.Encoding != "" {
				extra = ", chuyển từ mã " + strings.ToUpper(d.Encoding)
			}
			fmt.Fprintf(stdout, "%s: văn bản số %d — %s %s (%s, %s)%s\n", p, res[0].ID, d.Type, orDash(d.Number), orDash(d.Issuer), orDash(d.Issued), extra)
		}
	}
	fmt.Fprintf(stdout, "Đã nhập %d văn bản; %d đã có từ trước; %d tệp lỗi.\n", added, same, failed)
	if failed > 0 {
		return homthu.Errorf(homthu.EINVALID, "%d tệp không nhập được (xem các dòng ở trên)", failed)
	}
	return nil
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}
