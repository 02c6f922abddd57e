package macroexpand

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// roundTrip sends one request frame on c and reads the response frame.
func roundTrip(t *testing.T, c net.Conn, key string, req []byte) (status byte, stdout, rest []byte) {
	t.Helper()
	body := appendStr(nil, []byte(key))
	body = append(body, req...)
	frame := binary.LittleEndian.AppendUint32(nil, uint32(len(body)))
	if _, err := c.Write(append(frame, body...)); err != nil {
		t.Fatal(err)
	}
	var hdr [4]byte
	if _, err := io.ReadFull(c, hdr[:]); err != nil {
		t.Fatal(err)
	}
	resp := make([]byte, binary.LittleEndian.Uint32(hdr[:]))
	if _, err := io.ReadFull(c, resp); err != nil {
		t.Fatal(err)
	}
	r := &reader{b: resp[1:]}
	out := r.bytes()
	if r.err != nil {
		t.Fatalf("malformed response %v", resp)
	}
	return resp[0], out, r.b
}

func TestServerServesConnectionsUntilClosed(t *testing.T) {
	x := expander(t, World{}, Limits{})
	srv, err := Listen(x)
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(context.Background())
	srv.Allow(os.Getpid())
	// Two shims, two connections; several requests on each.
	a, err := net.Dial("unix", srv.Path())
	if err != nil {
		t.Fatal(err)
	}
	b, err := net.Dial("unix", srv.Path())
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 2; i++ {
		if st, _, rest := roundTrip(t, a, "faults-0123456789abcdef", bangRequest("echo", "a")); st != StatusOK || rest[0] != StatusOK {
			t.Fatalf("echo on a: status %d", st)
		}
		st, _, rest := roundTrip(t, b, "faults-0123456789abcdef", bangRequest("panics"))
		if msg, _ := panicMessage(rest); st != StatusPanic || msg != "panicked on purpose" {
			t.Fatalf("panics on b: status %d, %q", st, msg)
		}
	}
	// A malformed frame ends that connection only.
	a.Write([]byte{0xff, 0xff, 0xff, 0xff})
	if _, err := a.Read(make([]byte, 1)); err == nil {
		t.Error("the server answered a 4 GiB frame")
	}
	if st, _, _ := roundTrip(t, b, "faults-0123456789abcdef", bangRequest("echo")); st != StatusOK {
		t.Errorf("b after a's bad frame: status %d", st)
	}
	path := srv.Path()
	srv.Close()
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("the socket %s is left behind: %v", path, err)
	}
	b.Close()
}

// fakeExpansions stands in for an Expander: each expansion runs until
// release is closed, and the most that ran at once is counted.
type fakeExpansions struct {
	release chan struct{}
	started chan string // the key of each expansion that starts
	running atomic.Int32
	most    atomic.Int32
	calls   atomic.Int32
}

func newFakeExpansions() *fakeExpansions {
	return &fakeExpansions{release: make(chan struct{}), started: make(chan string, 64)}
}

func (f *fakeExpansions) expand(ctx context.Context, key string, request []byte) Response {
	f.calls.Add(1)
	n := f.running.Add(1)
	for m := f.most.Load(); n > m && !f.most.CompareAndSwap(m, n); m = f.most.Load() {
	}
	f.started <- key
	select {
	case <-f.release:
	case <-ctx.Done():
	}
	f.running.Add(-1)
	return Response{Status: StatusOK, Payload: []byte(key)}
}

// fakeServer serves f's expansions until the test ends.
func fakeServer(t *testing.T, f *fakeExpansions) *Server {
	t.Helper()
	srv, err := listen(f.expand)
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(context.Background())
	t.Cleanup(func() {
		select {
		case <-f.release:
		default:
			close(f.release)
		}
		srv.Close()
	})
	return srv
}

// refusedUnread reports whether the server closed c without answering: the
// request written on it gets no response.
func refusedUnread(t *testing.T, c net.Conn) bool {
	t.Helper()
	frame := binary.LittleEndian.AppendUint32(nil, uint32(4+len("k")))
	frame = appendStr(frame, []byte("k"))
	c.Write(frame)
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	n, err := c.Read(make([]byte, 1))
	return n == 0 && err != nil && !errors.Is(err, os.ErrDeadlineExceeded)
}

// TestServerAnswersOnlyTheAllowedProcess: the socket's directory keeps
// other users out, but any process of the same user could drive the
// expansions (Bazel's sandbox shares /tmp). A connection from a process
// other than the one allowed (here this test, while another process is) is
// closed unread; one from the allowed process is served, also when it
// connected before the runner knew its pid (rustc may be that quick).
func TestServerAnswersOnlyTheAllowedProcess(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the peer's pid is known on Linux only (SO_PEERCRED)")
	}
	other := exec.Command("sleep", "60")
	if err := other.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { other.Process.Kill(); other.Wait() }()

	f := newFakeExpansions()
	close(f.release)
	refusing := fakeServer(t, f)
	c, err := net.Dial("unix", refusing.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	refusing.Allow(other.Process.Pid)
	if !refusedUnread(t, c) {
		t.Error("a process other than the allowed one was answered")
	}
	if n := f.calls.Load(); n != 0 {
		t.Errorf("%d expansions ran for a refused connection", n)
	}

	serving := fakeServer(t, f)
	early, err := net.Dial("unix", serving.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer early.Close()
	serving.Allow(os.Getpid())
	if st, _, rest := roundTrip(t, early, "early", bangRequest("echo")); st != StatusOK || string(rest) != "early" {
		t.Errorf("the allowed process, connected before Allow: status %d, %q", st, rest)
	}
	late, err := net.Dial("unix", serving.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer late.Close()
	if st, _, rest := roundTrip(t, late, "late", bangRequest("echo")); st != StatusOK || string(rest) != "late" {
		t.Errorf("the allowed process: status %d, %q", st, rest)
	}
}

// TestServerBoundsConcurrentExpansions: however many connections ask at
// once, at most maxConcurrentExpansions expansions run; the others wait
// for a slot and are answered.
func TestServerBoundsConcurrentExpansions(t *testing.T) {
	f := newFakeExpansions()
	srv := fakeServer(t, f)
	srv.Allow(os.Getpid())
	const conns = 3 * maxConcurrentExpansions
	results := make(chan string, conns)
	for i := 0; i < conns; i++ {
		c, err := net.Dial("unix", srv.Path())
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		key := fmt.Sprintf("conn-%d", i)
		go func() {
			body := appendStr(nil, []byte(key))
			body = append(body, bangRequest("echo")...)
			c.Write(append(binary.LittleEndian.AppendUint32(nil, uint32(len(body))), body...))
			var hdr [4]byte
			if _, err := io.ReadFull(c, hdr[:]); err != nil {
				results <- "error: " + err.Error()
				return
			}
			resp := make([]byte, binary.LittleEndian.Uint32(hdr[:]))
			io.ReadFull(c, resp)
			results <- key
		}()
	}
	for i := 0; i < maxConcurrentExpansions; i++ {
		<-f.started
	}
	// The others have had the time to start, had they been let.
	time.Sleep(200 * time.Millisecond)
	if n := f.running.Load(); n != maxConcurrentExpansions {
		t.Errorf("%d expansions run at once, want %d", n, maxConcurrentExpansions)
	}
	close(f.release)
	for i := 0; i < conns; i++ {
		if r := <-results; strings.HasPrefix(r, "error") {
			t.Error(r)
		}
	}
	if m := f.most.Load(); m != maxConcurrentExpansions {
		t.Errorf("at most %d expansions ran at once, want %d", m, maxConcurrentExpansions)
	}
}

// TestListenRemovesStaleSocketDirs: a runner killed with SIGKILL cannot
// remove its socket's directory; the next one removes those whose lock
// nobody holds, and no other (a live one in another PID namespace
// included, which a pid could not tell).
func TestListenRemovesStaleSocketDirs(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	live, err := listen(func(context.Context, string, []byte) Response { return Response{} })
	if err != nil {
		t.Fatal(err)
	}
	defer live.Close()
	stale := filepath.Join(tmp, socketDirPrefix+"stale")
	being := filepath.Join(tmp, socketDirPrefix+"being-made")
	other := filepath.Join(tmp, "rules_rustc_wasm_macros_unrelated")
	for _, d := range []string{stale, being, other} {
		if err := os.Mkdir(d, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(stale, socketDirLock), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := listen(func(context.Context, string, []byte) Response { return Response{} })
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Errorf("a directory whose lock nobody holds stays: %v", err)
	}
	for _, d := range []string{live.dir, being, other} {
		if _, err := os.Stat(d); err != nil {
			t.Errorf("%s was removed: %v", d, err)
		}
	}
}
