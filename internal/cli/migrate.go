package cli

import (
	"context"
	"fmt"
	"io"
)

func runMigrate(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	var c Config
	fs := newFlags("migrate", "migrate [--data DIR] [--database URL]", stderr)
	c.storageFlags(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	s, err := openStore(ctx, &c)
	if err != nil {
		return err
	}
	defer s.Close()
	fmt.Fprintf(stdout, "Cơ sở dữ liệu (%s) đã ở phiên bản mới nhất.\n", s.Engine())
	return nil
}
