package cli

import (
	"context"
	"fmt"
	"io"
	"time"

	"homthu/internal/homthu"
	"homthu/internal/secret"
)

func runKeys(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "rotate" {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
			fmt.Fprintln(stdout, "Cách dùng: homthu keys rotate [--data DIR] [--database URL]")
			return nil
		}
		fmt.Fprintln(stderr, "Cách dùng: homthu keys rotate [--data DIR] [--database URL]")
		return errUsage
	}
	var c Config
	fs := newFlags("keys rotate", "keys rotate [--data DIR] [--database URL]\n\n"+
		"Rotates the identity key: creates a new one, re-encrypts every stored identity,\n"+
		"second-factor secret and kept answer under it, and retires the old key to\n"+
		"identity.key.<fingerprint>.retired (keep it until no backup needs it).\n"+
		"Stop every `homthu serve` first; start them with the new key file.", stderr)
	c.storageFlags(fs)
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	if c.IdentityKey != "" {
		return homthu.Errorf(homthu.EINVALID, "khóa danh tính đang được đặt bằng HOMTHU_IDENTITY_KEY: hãy tự tạo khóa mới và xoay vòng bằng tệp khóa")
	}
	start := time.Now()
	s, err := openStore(ctx, &c)
	if err != nil {
		return err
	}
	defer s.Close()
	keys, err := loadKeys(ctx, &c, s)
	if err != nil {
		return err
	}
	next, err := secret.BeginRotation(c.Data)
	if err != nil {
		return err
	}
	rotated := &secret.Keys{Receipt: keys.Receipt, Identity: next, OldIdentity: append([][]byte{keys.Identity}, keys.OldIdentity...)}
	n, err := s.Reseal(ctx, func(sealed, ad []byte) ([]byte, error) {
		if rotated.SealedWithCurrent(sealed) {
			return sealed, nil
		}
		plain, err := rotated.Open(sealed, ad)
		if err != nil {
			return nil, err
		}
		return rotated.Seal(plain, ad), nil
	})
	if err != nil {
		return err
	}
	if err := s.SetSetting(ctx, "key_fingerprint_identity", secret.Fingerprint("identity", next)); err != nil {
		return err
	}
	if err := secret.CommitRotation(c.Data, keys.Identity); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Đã xoay vòng khóa danh tính: %d giá trị được mã hóa lại (%.1f giây). Dấu vân tay mới: %s.\n",
		n, time.Since(start).Seconds(), secret.Fingerprint("identity", next))
	return nil
}
