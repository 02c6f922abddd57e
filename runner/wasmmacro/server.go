package wasmmacro

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"sync"
)

// SocketEnv names the environment variable that tells the shims inside
// rustc where the runner serves expansions.
const SocketEnv = "RULES_RUSTC_WASM_MACRO_SOCKET"

// maxRequest bounds one request frame.
const maxRequest = 256 << 20

// Server serves the expansions of the shims loaded by one rustc, over a
// Unix socket in a directory of its own.
type Server struct {
	x    *Expander
	dir  string
	ln   net.Listener
	wg   sync.WaitGroup
	mu   sync.Mutex
	conn map[net.Conn]bool
}

// Listen opens the socket; Serve answers on it.
func Listen(x *Expander) (*Server, error) {
	dir, err := os.MkdirTemp("", "rules_rustc_wasm_macros")
	if err != nil {
		return nil, fmt.Errorf("wasm proc macros: %w", err)
	}
	ln, err := net.Listen("unix", filepath.Join(dir, "s"))
	if err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("wasm proc macros: %w", err)
	}
	return &Server{x: x, dir: dir, ln: ln, conn: map[net.Conn]bool{}}, nil
}

// Path is the socket's path, for SocketEnv.
func (s *Server) Path() string { return s.ln.Addr().String() }

// Serve answers requests until Close; ctx cancels running expansions.
func (s *Server) Serve(ctx context.Context) {
	for {
		c, err := s.ln.Accept()
		if err != nil {
			return
		}
		s.mu.Lock()
		s.conn[c] = true
		s.mu.Unlock()
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			s.serveConn(ctx, c)
			s.mu.Lock()
			delete(s.conn, c)
			s.mu.Unlock()
			c.Close()
		}()
	}
}

// Close stops serving and removes the socket.
func (s *Server) Close() {
	s.ln.Close()
	s.mu.Lock()
	for c := range s.conn {
		c.Close()
	}
	s.mu.Unlock()
	s.wg.Wait()
	os.RemoveAll(s.dir)
}

func (s *Server) serveConn(ctx context.Context, c net.Conn) {
	for {
		key, req, err := readRequest(c)
		if err != nil {
			return
		}
		if err := writeResponse(c, s.x.Expand(ctx, key, req)); err != nil {
			return
		}
	}
}

// readRequest reads one frame: u32 length, str key, the guest request.
func readRequest(r io.Reader) (string, []byte, error) {
	var hdr [4]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		return "", nil, err
	}
	n := binary.LittleEndian.Uint32(hdr[:])
	if n > maxRequest {
		return "", nil, fmt.Errorf("request of %d bytes", n)
	}
	body := make([]byte, n)
	if _, err := io.ReadFull(r, body); err != nil {
		return "", nil, err
	}
	key, ok := readStr(body)
	if !ok {
		return "", nil, errors.New("malformed request")
	}
	return key, body[4+len(key):], nil
}

// writeResponse writes one frame: u32 length, u8 status, str stdout, then
// the payload (StatusOK) or str message.
func writeResponse(w io.Writer, r Response) error {
	var b []byte
	b = append(b, 0, 0, 0, 0, r.Status)
	b = appendStr(b, r.Stdout)
	if r.Status == StatusOK {
		b = append(b, r.Payload...)
	} else {
		b = appendStr(b, []byte(r.Message))
	}
	binary.LittleEndian.PutUint32(b, uint32(len(b)-4))
	_, err := w.Write(b)
	return err
}

func appendStr(b, s []byte) []byte {
	b = binary.LittleEndian.AppendUint32(b, uint32(len(s)))
	return append(b, s...)
}
