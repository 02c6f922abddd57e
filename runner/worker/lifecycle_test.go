package worker_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/worker"
)

// TestOutputIsCapped: a request that writes more than MaxOutput gets the
// first MaxOutput bytes and a line saying how much was dropped.
func TestOutputIsCapped(t *testing.T) {
	chunk := strings.Repeat("x", 1<<20)
	b := startProto(t, func(ctx context.Context, req *worker.Request, out io.Writer) int {
		for i := 0; i < worker.MaxOutput>>20+3; i++ {
			io.WriteString(out, chunk)
		}
		return 1
	})
	b.send(t, &worker.Request{Arguments: []string{"loud"}, RequestID: 1})
	resp := b.recv(t)
	note := fmt.Sprintf("\nrunner: worker: output cut after %d bytes; %d more bytes dropped\n", worker.MaxOutput, 3<<20)
	if resp.ExitCode != 1 || len(resp.Output) != worker.MaxOutput+len(note) || !strings.HasSuffix(resp.Output, note) {
		t.Fatalf("exit %d, %d bytes ending %q", resp.ExitCode, len(resp.Output), resp.Output[max(0, len(resp.Output)-120):])
	}
	b.in.Close()
	<-b.done
}

// TestTruncatedRequest: a length prefix and then the end of the input is
// a truncated request, not a clean end.
func TestTruncatedRequest(t *testing.T) {
	for name, in := range map[string]string{"bare length": "\x0a", "half a request": "\x0a\x0a\x03ab", "half a varint": "\x80"} {
		err := worker.Serve(context.Background(), strings.NewReader(in), io.Discard, worker.Proto, echo)
		if err == nil || !strings.Contains(err.Error(), "reading a work request") {
			t.Errorf("%s: %v", name, err)
		}
	}
	err := worker.Serve(context.Background(), strings.NewReader(`{"arguments":["a"`), io.Discard, worker.JSON, echo)
	if err == nil || !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("json: %v", err)
	}
}

// TestStopWhileInputIsOpen: when ctx ends (the worker got SIGTERM) while
// Bazel keeps stdin open, Serve cancels the running request, waits for it
// and returns ctx's cause; it does not go on answering requests.
func TestStopWhileInputIsOpen(t *testing.T) {
	inR, inW := io.Pipe()
	defer inW.Close()
	outR, outW := io.Pipe()
	go io.Copy(io.Discard, outR)
	ctx, cancel := context.WithCancelCause(context.Background())
	started := make(chan struct{})
	stopped := make(chan struct{})
	done := make(chan error, 1)
	go func() {
		done <- worker.Serve(ctx, inR, outW, worker.Proto, func(ctx context.Context, req *worker.Request, out io.Writer) int {
			close(started)
			<-ctx.Done()
			close(stopped)
			return 1
		})
	}()
	worker.WriteRequest(inW, &worker.Request{Arguments: []string{"slow"}, RequestID: 1})
	<-started
	stop := errors.New("terminated")
	cancel(stop)
	<-stopped
	if err := <-done; !errors.Is(err, stop) {
		t.Fatalf("Serve returned %v", err)
	}
}

// TestEndOfInputCancels: at the end of the input Serve cancels what still
// runs (Bazel closes stdin to end a worker) and returns.
func TestEndOfInputCancels(t *testing.T) {
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	go io.Copy(io.Discard, outR)
	started := make(chan struct{})
	done := make(chan error, 1)
	go func() {
		done <- worker.Serve(context.Background(), inR, outW, worker.Proto, func(ctx context.Context, req *worker.Request, out io.Writer) int {
			close(started)
			<-ctx.Done()
			return 1
		})
	}()
	worker.WriteRequest(inW, &worker.Request{Arguments: []string{"forever"}, RequestID: 1})
	<-started
	inW.Close()
	if err := <-done; err != nil {
		t.Fatalf("Serve returned %v", err)
	}
}
