package procmacrosrv

import (
	"fmt"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// A proc macro's path is the editor's to name: a FIFO, whose opening would
// block, or a device such as /dev/zero, which never ends, is refused, and
// the server answers the next request.
func TestModuleMustBeARegularFile(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "libfifo.wasm")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	for _, c := range []struct{ path, kind string }{{fifo, "a FIFO"}, {"/dev/zero", "a device"}, {t.TempDir(), "a directory"}} {
		requests := []string{
			fmt.Sprintf(`{"ListMacros":{"dylib_path":%q}}`, c.path),
			expandLine(c.path, "echo", structFoo, ""),
			`{"ApiVersionCheck":{}}`,
		}
		done := make(chan []string, 1)
		go func() {
			got, _ := serveErr(newServer(t, 0, nil), requests...)
			done <- got
		}()
		var got []string
		select {
		case got = <-done:
		case <-time.After(20 * time.Second):
			t.Fatalf("%s: no answer within 20s", c.path)
		}
		want := "proc macro " + c.path + " is " + c.kind + ", not a regular file"
		if len(got) != 3 || !strings.Contains(got[0], `{"ListMacros":{"Err":"`+jsonText(want)) ||
			!strings.Contains(got[1], `{"ExpandMacro":{"Err":"`+jsonText(want)) || got[2] != `{"ApiVersionCheck":6}` {
			t.Errorf("%s: got %q\nwant two errors with %q, then an answer", c.path, got, want)
		}
	}
}
