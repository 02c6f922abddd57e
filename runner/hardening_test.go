package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/internal/wasmtest"
)

// TestHostileWASICalls runs testdata/c/badargs.c: raw WASI calls whose
// sizes overflow 32 bits (the fd_write iovs_len 0x20000000 and
// poll_oneoff nsubscriptions 0x5555556 among them). Each gets an errno;
// the run ends normally.
func TestHostileWASICalls(t *testing.T) {
	prog := wasmtest.C(t, false, "badargs.c")
	dir := t.TempDir()
	r := runVerb(t, "", "--dir", dir+"::/", prog)
	expect(t, r, 0, `fd_write 21
fd_read 21
fd_pread 31
fd_pwrite 31
fd_write_wrap 21
poll_oneoff 28
poll_oneoff_out 21
path_open_len 21
random_get 21
args_get 21
`)
}

// TestFlagMistakes: flags that used to be accepted, or dropped, silently.
func TestFlagMistakes(t *testing.T) {
	prog := wasmtest.GoProgram(t, "goprog")
	os.Unsetenv("RUNNER_TEST_UNSET")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--timeout", "-1s", prog}, "--timeout -1s: want a positive duration"},
		{[]string{"--env", "", prog}, `--env "": want NAME=VALUE or NAME`},
		{[]string{"--env", "=x", prog}, `--env "=x": want NAME=VALUE or NAME`},
		{[]string{"--env", "RUNNER_TEST_UNSET", prog}, "--env RUNNER_TEST_UNSET: RUNNER_TEST_UNSET is not set"},
	} {
		r := runVerb(t, "", c.args...)
		if r.code != exitFailure || !strings.Contains(r.stderr, c.want) {
			t.Errorf("%q: exit %d, stderr %q; want %d and %q", c.args, r.code, r.stderr, exitFailure, c.want)
		}
	}
}

// TestTruncatedImportName: an import whose name runs past the end of the
// module is reported as a truncated module, not by the byte that follows.
func TestTruncatedImportName(t *testing.T) {
	bin := []byte("\x00asm\x01\x00\x00\x00")
	section := []byte{1, 1, 'a', 100, 'b'} // one import: module "a", a name of 100 bytes (1 present)
	bin = append(append(bin, 2, byte(len(section))), section...)
	mod := filepath.Join(t.TempDir(), "trunc.wasm")
	os.WriteFile(mod, bin, 0o644)
	r := runVerb(t, "", mod)
	if r.code != exitFailure || !strings.Contains(r.stderr, "truncated module") || strings.Contains(r.stderr, "kind") {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
}

// TestStackOverflowReport: wazero gives no stack for a stack overflow; the
// report says so instead of naming function "?" over an empty stack.
func TestStackOverflowReport(t *testing.T) {
	r := runVerb(t, "", wasmtest.Wat(t, "stack_overflow"))
	if r.code != exitTrap || !strings.Contains(r.stderr, "stack overflow (wazero reports no wasm stack for this trap)") ||
		strings.Contains(r.stderr, "function ?") || strings.Contains(r.stderr, "wasm stack:") {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
}
