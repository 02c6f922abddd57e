package worker

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"
	"time"
)

// bazel plays Bazel's side of the proto protocol over pipes.
type bazel struct {
	in   *io.PipeWriter
	out  *bufio.Reader
	done chan error
}

func startProto(t *testing.T, h Handler) *bazel {
	t.Helper()
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	b := &bazel{in: inW, out: bufio.NewReader(outR), done: make(chan error, 1)}
	go func() {
		b.done <- Serve(context.Background(), inR, outW, Proto, h)
		outW.Close()
	}()
	return b
}

func (b *bazel) send(t *testing.T, req *Request) {
	t.Helper()
	if err := WriteRequest(b.in, req); err != nil {
		t.Fatal(err)
	}
}

func (b *bazel) recv(t *testing.T) *Response {
	t.Helper()
	resp, err := ReadResponse(b.out)
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

func echo(ctx context.Context, req *Request, out io.Writer) int {
	fmt.Fprintf(out, "%s|%s", strings.Join(req.Arguments, " "), req.SandboxDir)
	return len(req.Arguments)
}

func TestProtoSingleplex(t *testing.T) {
	b := startProto(t, echo)
	for i := 0; i < 3; i++ {
		b.send(t, &Request{Arguments: []string{"a", fmt.Sprint(i)}, SandboxDir: "sb"})
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
	b := startProto(t, func(ctx context.Context, req *Request, out io.Writer) int {
		arrived.Done()
		arrived.Wait()
		fmt.Fprint(out, req.Arguments[0])
		return 0
	})
	for i := 1; i <= n; i++ {
		b.send(t, &Request{Arguments: []string{fmt.Sprint("req", i)}, RequestID: int32(i)})
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
	b := startProto(t, func(ctx context.Context, req *Request, out io.Writer) int {
		if req.Arguments[0] == "slow" {
			close(started)
			<-ctx.Done()
			fmt.Fprint(out, "stopped")
			return 1
		}
		return 0
	})
	b.send(t, &Request{Arguments: []string{"slow"}, RequestID: 7})
	<-started
	b.send(t, &Request{Arguments: []string{"fast"}, RequestID: 8})
	if resp := b.recv(t); resp.RequestID != 8 || resp.ExitCode != 0 || resp.WasCancelled {
		t.Fatalf("the other request: %+v", resp)
	}
	b.send(t, &Request{RequestID: 7, Cancel: true})
	resp := b.recv(t)
	if resp.RequestID != 7 || !resp.WasCancelled || resp.Output != "stopped" {
		t.Fatalf("cancelled request: %+v", resp)
	}
	// A cancel for a request that has its response already gets none.
	b.send(t, &Request{RequestID: 7, Cancel: true})
	b.send(t, &Request{Arguments: []string{"fast"}, RequestID: 9})
	if resp := b.recv(t); resp.RequestID != 9 {
		t.Fatalf("a cancel after the response was answered: %+v", resp)
	}
	b.in.Close()
	<-b.done
}

// TestJSONStreamWithoutNewlines sends requests as Bazel 4.2.3 does: compact
// JSON values with no newline between them.
func TestJSONStreamWithoutNewlines(t *testing.T) {
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	done := make(chan error, 1)
	go func() { done <- Serve(context.Background(), inR, outW, JSON, echo); outW.Close() }()
	go func() {
		io.WriteString(inW, `{"arguments":["x","y"],"inputs":[{"path":"a","digest":"AAAA"}],"requestId":3}`)
		io.WriteString(inW, `{"arguments":["z"],"requestId":4,"sandboxDir":"sb"}`)
		inW.Close()
	}()
	dec := json.NewDecoder(outR)
	got := map[int32]Response{}
	for i := 0; i < 2; i++ {
		var r Response
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
		t.Fatal("Serve did not return at the end of its input")
	}
}

func TestBadInput(t *testing.T) {
	if err := Serve(context.Background(), strings.NewReader(""), io.Discard, "xml", echo); err == nil || !strings.Contains(err.Error(), `unknown worker protocol "xml"`) {
		t.Errorf("protocol: %v", err)
	}
	if err := Serve(context.Background(), strings.NewReader("\x05\x0a\x09"), io.Discard, Proto, echo); err == nil || !strings.Contains(err.Error(), "truncated work request") {
		t.Errorf("truncated: %v", err)
	}
}
