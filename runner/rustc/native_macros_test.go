package rustc

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/engine"
	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/internal/wasmtest"
	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/macrobuild"
	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/macroexpand"
)

// shimClientEnv makes TestShimClient play a shim inside rustc.
const shimClientEnv = "RULES_RUSTC_WASM_TEST_SHIM_CLIENT"

// TestNativeMacrosAnswerOnlyRustc: the macro socket of a native compile
// answers the process the runner started as rustc (here a script that
// execs the client, keeping its pid), and closes a connection from any
// other process of the user's (here the client as the script's child)
// unread. Before, any process that found the socket was served.
func TestNativeMacrosAnswerOnlyRustc(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the peer's pid is known on Linux only (SO_PEERCRED)")
	}
	module := wasmtest.MacroModule(t, "../macroexpand/testdata/faults.rs", func(path string, src []byte) ([]byte, error) {
		return macrobuild.RenameAttributes(path, src, "faults-0123456789abcdef", "2021")
	})
	dir := t.TempDir()
	b, err := os.ReadFile(module)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "libfaults.wasm"), b, 0o644)
	svc := NewService(engine.Config{})
	defer svc.Close(context.Background())
	client := fmt.Sprintf("%q -test.run='^TestShimClient$'", os.Args[0])
	for _, c := range []struct{ name, script, want string }{
		{"rustc itself", "exec " + client, "answered"},
		{"another process", client, "refused"},
	} {
		compiler := filepath.Join(dir, "compiler.sh")
		os.WriteFile(compiler, []byte("#!/bin/sh\n"+c.script+"\n"), 0o755)
		var stdout bytes.Buffer
		code, stderr, err := compile(t, svc, Request{Compiler: compiler, Dir: dir, Stdout: &stdout,
			Env:    []string{shimClientEnv + "=1"},
			Macros: Macros{Modules: []string{"libfaults.wasm"}}})
		if err != nil || code != 0 {
			t.Fatalf("%s: exit %d, %v: %s", c.name, code, err, stderr)
		}
		if want := "shim client: " + c.want; !strings.Contains(stdout.String(), want) {
			t.Errorf("%s: want %q, got %s", c.name, want, stdout.String())
		}
	}
}

// TestShimClient plays a shim when TestNativeMacrosAnswerOnlyRustc runs
// this test binary as its compiler: it sends one request on the runner's
// macro socket and prints whether it was answered.
func TestShimClient(t *testing.T) {
	if os.Getenv(shimClientEnv) == "" {
		t.Skip("the compiler of TestNativeMacrosAnswerOnlyRustc")
	}
	c, err := net.Dial("unix", os.Getenv(macroexpand.SocketEnv))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	key := "faults-0123456789abcdef"
	body := binary.LittleEndian.AppendUint32(nil, uint32(len(key)))
	body = append(append(body, key...), "not a request"...)
	c.Write(append(binary.LittleEndian.AppendUint32(nil, uint32(len(body))), body...))
	var hdr [4]byte
	if _, err := io.ReadFull(c, hdr[:]); err != nil {
		fmt.Println("shim client: refused")
		return
	}
	fmt.Println("shim client: answered")
}
