// Command homthu runs the Fatherland Front's feedback-mailbox system: the
// web site, the JSON API and the administration commands. See the README.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"homthu/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
