package wasmmacro

import (
	"context"
	"encoding/binary"
	"io"
	"net"
	"os"
	"testing"

	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/engine"
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
	out, ok := readStr(resp[1:])
	if !ok {
		t.Fatalf("malformed response %v", resp)
	}
	return resp[0], []byte(out), resp[1+4+len(out):]
}

func TestServerServesConnectionsUntilClosed(t *testing.T) {
	x := expander(t, Config{}, engine.Config{})
	srv, err := Listen(x)
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(context.Background())
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
		if msg, _ := readStr(rest); st != StatusPanic || msg != "panicked on purpose" {
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
