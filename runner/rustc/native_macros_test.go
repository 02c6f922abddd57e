package rustc

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"regexp"
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

// faultsModuleDir is a working directory holding libfaults.wasm, the
// module of macroexpand's testdata/faults.rs as the rules build it.
func faultsModuleDir(t *testing.T) string {
	t.Helper()
	module := wasmtest.MacroModule(t, "../macroexpand/testdata/faults.rs", func(path string, src []byte) ([]byte, error) {
		return macrobuild.RenameAttributes(path, src, "faults-0123456789abcdef", "2021")
	})
	dir := t.TempDir()
	b, err := os.ReadFile(module)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "libfaults.wasm"), b, 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestNativeMacrosAnswerOnlyRustc: the macro socket of a native compile
// answers the process the runner started as rustc (here a script that
// execs the client, keeping its pid), and closes a connection from any
// other process of the user's (here the client as the script's child)
// unread. Before, any process that found the socket was served.
func TestNativeMacrosAnswerOnlyRustc(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the peer's pid is known on Linux only (SO_PEERCRED)")
	}
	dir := faultsModuleDir(t)
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
	request := []byte("not a request")
	times := 1
	if os.Getenv(shimClientEnv) == "echo twice" {
		request, _ = macroexpand.Request{Kind: macrobuild.KindBang, Name: "echo", Spans: 2,
			Input: []macroexpand.Tree{{Kind: macroexpand.TreeIdent, Text: "a"}}}.Encode()
		times = 2
	}
	for i := 0; i < times; i++ {
		body := binary.LittleEndian.AppendUint32(nil, uint32(len(key)))
		body = append(append(body, key...), request...)
		c.Write(append(binary.LittleEndian.AppendUint32(nil, uint32(len(body))), body...))
		var hdr [4]byte
		if _, err := io.ReadFull(c, hdr[:]); err != nil {
			fmt.Println("shim client: refused")
			return
		}
		reply := make([]byte, binary.LittleEndian.Uint32(hdr[:]))
		if _, err := io.ReadFull(c, reply); err != nil {
			fmt.Println("shim client: cut short")
			return
		}
		fmt.Printf("shim client: answered %x\n", sha256.Sum256(reply))
	}
}

// TestNativeMacrosReplayFromTheMemo: with a Memo, a compile's expansions
// are run once and replayed after, within a compile and across compiles,
// to the same bytes; --macro-cache-report's line says how many of each.
func TestNativeMacrosReplayFromTheMemo(t *testing.T) {
	dir := faultsModuleDir(t)
	memo, err := macroexpand.OpenMemo(filepath.Join(t.TempDir(), "memo"), 8)
	if err != nil {
		t.Fatal(err)
	}
	svc := NewService(engine.Config{})
	defer svc.Close(context.Background())
	compiler := filepath.Join(dir, "compiler.sh")
	os.WriteFile(compiler, []byte(fmt.Sprintf("#!/bin/sh\nexec %q -test.run='^TestShimClient$'\n", os.Args[0])), 0o755)
	var answers []string
	for i, want := range []string{
		"wasm proc macros: 2 expansions, 1 replayed from the expansion cache, 1 run",
		"wasm proc macros: 2 expansions, 2 replayed from the expansion cache, 0 run",
	} {
		var stdout bytes.Buffer
		code, stderr, err := compile(t, svc, Request{Compiler: compiler, Dir: dir, Stdout: &stdout,
			Env:    []string{shimClientEnv + "=echo twice"},
			Macros: Macros{Modules: []string{"libfaults.wasm"}, Memo: memo, ReportMemo: true}})
		if err != nil || code != 0 {
			t.Fatalf("compile %d: exit %d, %v: %s", i, code, err, stderr)
		}
		if !regexp.MustCompile(regexp.QuoteMeta(want) + `; [0-9]+\.[0-9]{2} s expanding\n`).MatchString(stderr) {
			t.Errorf("compile %d: stderr %q, want %q and the time spent expanding", i, stderr, want)
		}
		for _, line := range strings.Split(stdout.String(), "\n") {
			if strings.HasPrefix(line, "shim client: ") {
				answers = append(answers, line)
			}
		}
	}
	if len(answers) != 4 || !strings.HasPrefix(answers[0], "shim client: answered ") {
		t.Fatalf("answers %q", answers)
	}
	for _, a := range answers[1:] {
		if a != answers[0] {
			t.Errorf("a replayed answer differs from the run one: %q", answers)
		}
	}
}
