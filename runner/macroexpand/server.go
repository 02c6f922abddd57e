package macroexpand

import (
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"sync"
)

// SocketEnv names the environment variable that tells the shims inside
// rustc where the runner serves expansions.
const SocketEnv = "RULES_RUSTC_WASM_MACRO_SOCKET"

// maxConcurrentExpansions bounds the expansions one Server runs at once;
// more requests wait for one of them to end. rustc expands one macro at a
// time, over the one connection of its bridge; each expansion is an
// instance with up to Limits' memory, so one at a time is what keeps a
// compile's macro memory under the cap (a second at once would double it).
// Requests wait rather than fail: only the rustc the runner started gets
// this far (Allow), and a failed expansion would fail its build for no
// fault of the crate.
const maxConcurrentExpansions = 1

// Server serves the expansions of the shims loaded by one rustc, over a
// Unix socket in a directory of its own. The directory is 0700, which
// keeps other users out, but any process of the same user could find the
// socket (Bazel's sandbox shares /tmp): the Server answers only the
// process it is told to (Allow), and runs at most maxConcurrentExpansions
// expansions at a time.
type Server struct {
	expand func(ctx context.Context, key string, request []byte) Response
	dir    string
	lock   *os.File // held while serving: see socketdir.go
	ln     net.Listener
	wg     sync.WaitGroup
	mu     sync.Mutex
	conn   map[net.Conn]bool

	allowOnce sync.Once
	allowed   chan struct{} // closed by Allow
	peer      int           // the pid Allow gave
	closeOnce sync.Once
	closed    chan struct{} // closed by Close
	running   chan struct{} // a token for each expansion running
}

// Listen opens the socket; Serve answers on it, once Allow names rustc.
func Listen(x *Expander) (*Server, error) { return listen(x.Expand) }

// listen opens a socket whose Server answers with expand.
func listen(expand func(ctx context.Context, key string, request []byte) Response) (*Server, error) {
	dir, lock, err := makeSocketDir()
	if err != nil {
		return nil, fmt.Errorf("wasm proc macros: %w", err)
	}
	ln, err := net.Listen("unix", filepath.Join(dir, "s"))
	if err != nil {
		lock.Close()
		os.RemoveAll(dir)
		return nil, fmt.Errorf("wasm proc macros: %w", err)
	}
	s := &Server{
		expand:  expand,
		dir:     dir,
		lock:    lock,
		ln:      ln,
		conn:    map[net.Conn]bool{},
		allowed: make(chan struct{}),
		closed:  make(chan struct{}),
		running: make(chan struct{}, maxConcurrentExpansions),
	}
	return s, nil
}

// Path is the socket's path, for SocketEnv.
func (s *Server) Path() string { return s.ln.Addr().String() }

// Allow lets process pid connect: the rustc the runner started, whose pid
// is known between cmd.Start and cmd.Wait. The connections of any other
// process are closed unread (where the system tells the peer's pid; see
// peerIs). Until Allow, connections wait, as rustc may connect before the
// runner knows its pid. Only the first call counts.
func (s *Server) Allow(pid int) {
	s.allowOnce.Do(func() {
		s.peer = pid
		close(s.allowed)
	})
}

// Serve answers requests until Close; ctx cancels running expansions.
func (s *Server) Serve(ctx context.Context) {
	for {
		c, err := s.ln.Accept()
		if err != nil {
			return
		}
		// Under mu, which Close takes after closing s.closed: a connection
		// accepted as Close runs is either closed by it or refused here,
		// and the WaitGroup never grows once Close waits on it.
		s.mu.Lock()
		select {
		case <-s.closed:
			s.mu.Unlock()
			c.Close()
			return
		default:
		}
		s.conn[c] = true
		s.wg.Add(1)
		s.mu.Unlock()
		go func() {
			defer s.wg.Done()
			if s.admit(c) {
				s.serveConn(ctx, c)
			}
			s.mu.Lock()
			delete(s.conn, c)
			s.mu.Unlock()
			c.Close()
		}()
	}
}

// admit waits for Allow and reports whether c comes from the allowed
// process; false once the Server is closed.
func (s *Server) admit(c net.Conn) bool {
	select {
	case <-s.allowed:
	case <-s.closed:
		return false
	}
	ok, err := peerIs(c, s.peer)
	return err == nil && ok
}

// Close stops serving and removes the socket.
func (s *Server) Close() {
	s.closeOnce.Do(func() { close(s.closed) })
	s.ln.Close()
	s.mu.Lock()
	for c := range s.conn {
		c.Close()
	}
	s.mu.Unlock()
	s.wg.Wait()
	os.RemoveAll(s.dir)
	s.lock.Close()
}

func (s *Server) serveConn(ctx context.Context, c net.Conn) {
	for {
		key, req, err := readRequest(c)
		if err != nil {
			return
		}
		resp, ok := s.expandBounded(ctx, key, req)
		if !ok {
			return
		}
		if err := writeResponse(c, resp); err != nil {
			return
		}
	}
}

// expandBounded runs one expansion once fewer than
// maxConcurrentExpansions run; false if ctx ends or the Server closes
// first.
func (s *Server) expandBounded(ctx context.Context, key string, req []byte) (Response, bool) {
	select {
	case s.running <- struct{}{}:
	case <-ctx.Done():
		return Response{}, false
	case <-s.closed:
		return Response{}, false
	}
	defer func() { <-s.running }()
	return s.expand(ctx, key, req), true
}
