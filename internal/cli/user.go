package cli

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strings"

	"homthu/internal/homthu"
	"homthu/internal/mail"
	"homthu/internal/secret"
)

func runUser(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "add" {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
			fmt.Fprintln(stdout, "Cách dùng: homthu user add --username U --role ROLE --unit CODE [--email ADDR] [--password-stdin] [--totp]")
			return nil
		}
		fmt.Fprintln(stderr, "Cách dùng: homthu user add --username U --role ROLE --unit CODE [--email ADDR] [--password-stdin] [--totp]")
		return errUsage
	}
	var c Config
	var roles []string
	for _, r := range homthu.Roles {
		roles = append(roles, string(r))
	}
	fs := newFlags("user add", "user add --username U --role ROLE --unit CODE [--email ADDR] [--password-stdin] [--totp] [--data DIR] [--database URL]\n\n"+
		"Without --password-stdin a password is generated and printed.", stderr)
	c.storageFlags(fs)
	username := fs.String("username", "", "tên đăng nhập")
	role := fs.String("role", "", "vai trò: "+strings.Join(roles, ", "))
	unit := fs.String("unit", "", "mã đơn vị của tài khoản (tỉnh, xã hoặc khu dân cư)")
	fromStdin := fs.Bool("password-stdin", false, "đọc mật khẩu từ dòng đầu của đầu vào chuẩn")
	email := fs.String("email", "", "địa chỉ thư điện tử nhận thông báo (tùy chọn)")
	withTOTP := fs.Bool("totp", false, "đăng ký xác thực hai lớp (TOTP, RFC 6238): in khóa bí mật và URI otpauth://")
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	if fs.NArg() != 0 || *username == "" || *role == "" || *unit == "" {
		fs.Usage()
		return errUsage
	}
	if *email != "" {
		addr, err := mail.CheckAddress(*email)
		if err != nil {
			return err
		}
		*email = addr
	}
	password := ""
	if *fromStdin {
		line, err := bufio.NewReader(stdin).ReadString('\n')
		if err != nil && err != io.EOF {
			return fmt.Errorf("đọc mật khẩu: %w", err)
		}
		password = strings.TrimRight(line, "\r\n")
		if len([]rune(password)) < 10 {
			return homthu.Errorf(homthu.EINVALID, "mật khẩu phải có ít nhất 10 ký tự")
		}
	} else {
		password = secret.GeneratePassword()
	}
	s, err := openStore(ctx, &c)
	if err != nil {
		return err
	}
	defer s.Close()
	u := &homthu.User{Username: *username, Role: homthu.Role(*role), Unit: *unit, Email: *email}
	if err := s.CreateUser(ctx, u, secret.HashPassword(password)); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Đã tạo tài khoản %s (%s) tại đơn vị %s.\n", u.Username, u.Role.Label(), u.Unit)
	if !*fromStdin {
		fmt.Fprintf(stdout, "Mật khẩu: %s\n", password)
	}
	if *withTOTP {
		a, err := newApp(ctx, &c, s, stderr)
		if err != nil {
			return err
		}
		secret, uri, err := a.EnrollTOTP(ctx, u.Username)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "Khóa TOTP (nhập vào ứng dụng xác thực): %s\nURI: %s\n", secret, uri)
	}
	return nil
}
