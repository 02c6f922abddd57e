package procmacrosrv

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/macroexpand"
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

// TestNativeLibraryOverTheSizeCap: a native proc-macro library is
// explained as one whatever its size; a large one (native dylibs pass 64
// MiB) did get the module size cap's message instead.
func TestNativeLibraryOverTheSizeCap(t *testing.T) {
	so := filepath.Join(t.TempDir(), "libx.so")
	if err := os.WriteFile(so, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(so, macroexpand.MaxModuleBytes+1); err != nil { // sparse
		t.Fatal(err)
	}
	got, _ := serveErr(newServer(t, 0, nil), fmt.Sprintf(`{"ListMacros":{"dylib_path":%q}}`, so))
	want := "proc macro crate x (" + so + ") is a native library"
	if len(got) != 1 || !strings.Contains(got[0], `{"ListMacros":{"Err":"`+jsonText(want)) {
		t.Errorf("got %q\nwant an error with %q", got, want)
	}
}
