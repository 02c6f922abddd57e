package worker_test

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/worker"
)

// bazel plays Bazel's side of the proto protocol over pipes.
type bazel struct {
	in   *io.PipeWriter
	out  *bufio.Reader
	done chan error
}

func startProto(t *testing.T, h worker.Handler) *bazel {
	t.Helper()
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	b := &bazel{in: inW, out: bufio.NewReader(outR), done: make(chan error, 1)}
	go func() {
		b.done <- worker.Serve(context.Background(), inR, outW, worker.Proto, h)
		outW.Close()
	}()
	return b
}

func (b *bazel) send(t *testing.T, req *worker.Request) {
	t.Helper()
	if err := worker.WriteRequest(b.in, req); err != nil {
		t.Fatal(err)
	}
}

func (b *bazel) recv(t *testing.T) *worker.Response {
	t.Helper()
	resp, err := worker.ReadResponse(b.out)
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

func echo(ctx context.Context, req *worker.Request, out io.Writer) int {
	fmt.Fprintf(out, "%s|%s", strings.Join(req.Arguments, " "), req.SandboxDir)
	return len(req.Arguments)
}

func TestProtoSingleplex(t *testing.T) {
	b := startProto(t, echo)
	for i := 0; i < 3; i++ {
		b.send(t, &worker.Request{Arguments: []string{"a", fmt.Sprint(i)}, SandboxDir: "sb"})
		resp := b.recv(t)
		if resp.ExitCode != 2 || resp.Output != fmt.Sprintf("a %d|sb", i) || resp.RequestID != 0 {
			t.Fatalf("response %+v", resp)
		}
	}
	b.in.Close()
	if err := <-b.done; err != nil {
		t.Fatal(err)
	}
}

// TestMultiplexRunsConcurrently holds every request until all have
// arrived: it passes only if they run side by side.
func TestMultiplexRunsConcurrently(t *testing.T) {
	const n = 8
	var arrived sync.WaitGroup
	arrived.Add(n)
	b := startProto(t, func(ctx context.Context, req *worker.Request, out io.Writer) int {
		arrived.Done()
		arrived.Wait()
		fmt.Fprint(out, req.Arguments[0])
		return 0
	})
	for i := 1; i <= n; i++ {
		b.send(t, &worker.Request{Arguments: []string{fmt.Sprint("req", i)}, RequestID: int32(i)})
	}
	seen := map[int32]bool{}
	for i := 0; i < n; i++ {
		resp := b.recv(t)
		if resp.Output != fmt.Sprint("req", resp.RequestID) || seen[resp.RequestID] {
			t.Fatalf("response %+v", resp)
		}
		seen[resp.RequestID] = true
	}
	b.in.Close()
	<-b.done
}

func TestCancel(t *testing.T) {
	started := make(chan struct{})
	b := startProto(t, func(ctx context.Context, req *worker.Request, out io.Writer) int {
		if req.Arguments[0] == "slow" {
			close(started)
			<-ctx.Done()
			fmt.Fprint(out, "stopped")
			return 1
		}
		return 0
	})
	b.send(t, &worker.Request{Arguments: []string{"slow"}, RequestID: 7})
	<-started
	b.send(t, &worker.Request{Arguments: []string{"fast"}, RequestID: 8})
	if resp := b.recv(t); resp.RequestID != 8 || resp.ExitCode != 0 || resp.WasCancelled {
		t.Fatalf("the other request: %+v", resp)
	}
	b.send(t, &worker.Request{RequestID: 7, Cancel: true})
	resp := b.recv(t)
	if resp.RequestID != 7 || !resp.WasCancelled || resp.Output != "stopped" {
		t.Fatalf("cancelled request: %+v", resp)
	}
	// A cancel for a request that has its response already gets none.
	b.send(t, &worker.Request{RequestID: 7, Cancel: true})
	b.send(t, &worker.Request{Arguments: []string{"fast"}, RequestID: 9})
	if resp := b.recv(t); resp.RequestID != 9 {
		t.Fatalf("a cancel after the response was answered: %+v", resp)
	}
	b.in.Close()
	<-b.done
}

// TestJSONStreamWithoutNewlines sends requests as Bazel 4.2.3 does: compact
// worker.JSON values with no newline between them.
func TestJSONStreamWithoutNewlines(t *testing.T) {
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	done := make(chan error, 1)
	go func() { done <- worker.Serve(context.Background(), inR, outW, worker.JSON, echo); outW.Close() }()
	go func() {
		io.WriteString(inW, `{"arguments":["x","y"],"inputs":[{"path":"a","digest":"AAAA"}],"requestId":3}`)
		io.WriteString(inW, `{"arguments":["z"],"requestId":4,"sandboxDir":"sb"}`)
		inW.Close()
	}()
	dec := json.NewDecoder(outR)
	got := map[int32]worker.Response{}
	for i := 0; i < 2; i++ {
		var r worker.Response
		if err := dec.Decode(&r); err != nil {
			t.Fatal(err)
		}
		got[r.RequestID] = r
	}
	if got[3].Output != "x y|" || got[3].ExitCode != 2 || got[4].Output != "z|sb" || got[4].ExitCode != 1 {
		t.Fatalf("responses %+v", got)
	}
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("worker.Serve did not return at the end of its input")
	}
}

func TestBadInput(t *testing.T) {
	if err := worker.Serve(context.Background(), strings.NewReader(""), io.Discard, "xml", echo); err == nil || !strings.Contains(err.Error(), `unknown worker protocol "xml"`) {
		t.Errorf("protocol: %v", err)
	}
	if err := worker.Serve(context.Background(), strings.NewReader("\x05\x0a\x09"), io.Discard, worker.Proto, echo); err == nil || !strings.Contains(err.Error(), "truncated work request") {
		t.Errorf("truncated: %v", err)
	}
}

// failingWriter fails every write, as stdout does once Bazel is gone.
type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("broken pipe") }

// TestWriteErrorEndsServe: a response that cannot be written ends worker.Serve
// with the error and cancels the requests still running.
func TestWriteErrorEndsServe(t *testing.T) {
	inR, inW := io.Pipe()
	slowStopped := make(chan struct{})
	done := make(chan error, 1)
	go func() {
		done <- worker.Serve(context.Background(), inR, failingWriter{}, worker.Proto, func(ctx context.Context, req *worker.Request, out io.Writer) int {
			if req.Arguments[0] == "slow" {
				<-ctx.Done()
				close(slowStopped)
			}
			return 0
		})
	}()
	worker.WriteRequest(inW, &worker.Request{Arguments: []string{"slow"}, RequestID: 1})
	worker.WriteRequest(inW, &worker.Request{Arguments: []string{"fast"}, RequestID: 2})
	select {
	case <-slowStopped:
	case <-time.After(5 * time.Second):
		t.Fatal("the running request was not cancelled")
	}
	// The loop notices the error at its next request at the latest.
	worker.WriteRequest(inW, &worker.Request{Arguments: []string{"fast"}, RequestID: 3})
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "broken pipe") {
			t.Fatalf("worker.Serve returned %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("worker.Serve did not return")
	}
	inW.Close()
}
