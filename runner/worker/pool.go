package worker

// The worker's child processes. The worker (Serve with Pool.Handle) runs no
// guest: each request goes to a child process, which serves requests one at
// a time (ServeOneByOne).
//
// Go cannot preempt a goroutine that runs compiled guest code. A guest
// thread that computes without calling the host therefore cannot be
// stopped from inside the process without interruption checks compiled
// into every loop and call, which cost 1.74x on a large compiler; and it
// holds up the collector (see package engine). A process can always be
// killed. So the worker parses no request and runs no guest: it hands
// each request to a child process (the runner itself, serving requests
// one at a time with ServeOneByOne) and relays the response. A child
// serves request after request and keeps its compiled modules, so a
// request costs a round trip over a pipe, not a compile. There is a child
// per concurrent request. Cancelling a request kills its child; a child
// that crashes, runs out of memory or is killed fails only its request.
// A child whose run left a thread computing retires after its response
// (it exits with RetiredCode before reading another request).

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"sync"

	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/internal/deathsig"
)

// RetiredCode is a child's exit status when it retires between requests:
// it left a guest thread computing, and a fresh child takes its place. A
// request sent to a child that retired was not run; it is sent again.
const RetiredCode = 3

// Pool hands requests to child processes.
type Pool struct {
	// Killed, if set, is called with a request whose child was killed or
	// died while running it: nothing of the child could clean up after it.
	Killed func(req *Request)

	start   func() *exec.Cmd // a child: proto requests on stdin, responses on stdout
	failure int              // the exit code of a request the pool could not run

	mu     sync.Mutex
	idle   []*child
	live   map[*child]struct{}
	closed bool
}

// NewPool returns a pool whose children start makes; a request that no
// child could run fails with the exit code failure.
func NewPool(start func() *exec.Cmd, failure int) *Pool {
	return &Pool{start: start, failure: failure, live: map[*child]struct{}{}}
}

type child struct {
	cmd    *exec.Cmd
	in     *os.File // the child's stdin, our end
	out    *bufio.Reader
	outF   *os.File
	exited chan struct{} // closed once the child has exited
}

func (p *Pool) startChild() (*child, error) {
	inR, inW, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	outR, outW, err := os.Pipe()
	if err != nil {
		inR.Close()
		inW.Close()
		return nil, err
	}
	cmd := p.start()
	cmd.Stdin, cmd.Stdout = inR, outW
	deathsig.Set(cmd) // no child outlives the worker with a guest computing
	err = cmd.Start()
	inR.Close()
	outW.Close()
	if err != nil {
		inW.Close()
		outR.Close()
		return nil, err
	}
	c := &child{cmd: cmd, in: inW, out: bufio.NewReader(outR), outF: outR, exited: make(chan struct{})}
	go func() {
		cmd.Wait()
		close(c.exited)
	}()
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		c.kill()
		return nil, fmt.Errorf("the worker is closing")
	}
	p.live[c] = struct{}{}
	return c, nil
}

// get returns an idle child that is still alive, or a new one.
func (p *Pool) get() (*child, error) {
	p.mu.Lock()
	for len(p.idle) > 0 {
		c := p.idle[len(p.idle)-1]
		p.idle = p.idle[:len(p.idle)-1]
		select {
		case <-c.exited:
			delete(p.live, c)
			c.release()
			continue
		default:
		}
		p.mu.Unlock()
		return c, nil
	}
	p.mu.Unlock()
	return p.startChild()
}

// put makes c idle again.
func (p *Pool) put(c *child) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		c.kill()
		return
	}
	p.idle = append(p.idle, c)
}

// drop kills c and forgets it.
func (p *Pool) drop(c *child) {
	c.kill()
	p.mu.Lock()
	delete(p.live, c)
	p.mu.Unlock()
	c.release()
}

func (c *child) kill() {
	c.cmd.Process.Kill()
	<-c.exited
}

func (c *child) release() {
	c.in.Close()
	c.outF.Close()
}

// retired reports whether c exited as a child does between requests.
func (c *child) retired() bool {
	select {
	case <-c.exited:
		return c.cmd.ProcessState != nil && c.cmd.ProcessState.ExitCode() == RetiredCode
	default:
		return false
	}
}

// do sends req to c and waits for the response or for ctx.
func (c *child) do(ctx context.Context, req *Request) (*Response, error) {
	r := *req
	r.RequestID, r.Cancel = 0, false // the child serves one request at a time
	type result struct {
		resp *Response
		err  error
	}
	done := make(chan result, 1)
	go func() {
		if err := WriteRequest(c.in, &r); err != nil {
			done <- result{nil, err}
			return
		}
		resp, err := ReadResponse(c.out)
		done <- result{resp, err}
	}()
	select {
	case res := <-done:
		return res.resp, res.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// Handle is a Handler that runs the request in a child.
func (p *Pool) Handle(ctx context.Context, req *Request, out io.Writer) int {
	for attempt := 0; ; attempt++ {
		c, err := p.get()
		if err != nil {
			fmt.Fprintf(out, "runner: worker: starting a child process: %v\n", err)
			return p.failure
		}
		resp, err := c.do(ctx, req)
		switch {
		case err == nil:
			p.put(c)
			io.WriteString(out, resp.Output)
			return int(resp.ExitCode)
		case ctx.Err() != nil:
			p.drop(c) // killing the child is what ends its guest
			p.killed(req)
			fmt.Fprintln(out, "runner: canceled")
			return p.failure
		}
		// The child is gone: it retired, crashed or was killed.
		select {
		case <-c.exited:
		case <-ctx.Done():
		}
		retired := c.retired()
		p.drop(c)
		if retired && attempt == 0 {
			continue
		}
		p.killed(req)
		state := "still running"
		if c.cmd.ProcessState != nil {
			state = c.cmd.ProcessState.String()
		}
		fmt.Fprintf(out, "runner: worker: the child process running this request ended (%s): %v\n", state, err)
		return p.failure
	}
}

func (p *Pool) killed(req *Request) {
	if p.Killed != nil {
		p.Killed(req)
	}
}

// Close kills every child.
func (p *Pool) Close() {
	p.mu.Lock()
	p.closed = true
	var all []*child
	for c := range p.live {
		all = append(all, c)
	}
	p.live = map[*child]struct{}{}
	p.idle = nil
	p.mu.Unlock()
	for _, c := range all {
		c.kill()
		c.release()
	}
}
