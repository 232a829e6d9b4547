package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"time"
)

// child is a baseline server running as a child process.
type child struct {
	cmd *exec.Cmd
	url string
}

// startChild runs this binary with --serve-baseline mode on a free loopback
// port and a temporary directory, and returns once it listens.
func startChild(ctx context.Context, mode string, stderr io.Writer) (*child, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("start baseline: %w", err)
	}
	cmd := exec.CommandContext(ctx, exe, "--serve-baseline", mode, "--addr", "127.0.0.1:0")
	cmd.Stderr = stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, fmt.Errorf("start baseline: %w", err)
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start baseline: %w", err)
	}
	c := &child{cmd: cmd}
	line := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		if sc.Scan() {
			line <- sc.Text()
		}
		close(line)
		io.Copy(io.Discard, out)
	}()
	select {
	case l, ok := <-line:
		if !ok || !strings.HasPrefix(l, "http://") {
			c.stop()
			return nil, fmt.Errorf("start baseline %s: it did not say where it listens", mode)
		}
		c.url = l
	case <-time.After(10 * time.Second):
		c.stop()
		return nil, fmt.Errorf("start baseline %s: no answer in 10s", mode)
	}
	return c, nil
}

// stop interrupts the child and waits for it.
func (c *child) stop() {
	c.cmd.Process.Signal(os.Interrupt)
	done := make(chan struct{})
	go func() { c.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(15 * time.Second):
		c.cmd.Process.Kill()
		<-done
	}
}
