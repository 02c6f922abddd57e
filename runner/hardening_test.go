package main

import (
	"bufio"
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"

	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/internal/wasmtest"
	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/worker"
	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/worker/workerclient"
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

// runnerProcess runs the runner (this test binary, see TestMain) as a
// process of its own with args, stdin and the working directory dir ("":
// the current one). A run that should end but hangs fails the test at
// go test's timeout.
func runnerProcess(t *testing.T, dir string, args ...string) result {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Dir = dir
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		t.Fatal(err)
	}
	return result{cmd.ProcessState.ExitCode(), out.String(), errb.String()}
}

func spinner(t *testing.T) string {
	t.Helper()
	return wasmtest.C(t, true, "spinner.c", "thread_start.s")
}

// TestEndWhileAThreadSpins: _start returns, or proc_exit ends the run,
// while another thread computes without calling the host, after the main
// thread made the host allocate enough to start the collector many times.
// The runner exits with the guest's status. (Before, the collector waited
// for the spinning thread forever: the run never ended.)
func TestEndWhileAThreadSpins(t *testing.T) {
	prog := spinner(t)
	for mode, code := range map[string]int{"return": 0, "exit": 7} {
		r := runnerProcess(t, "", "run", "--cache-dir", cacheDir, "--dir", t.TempDir()+"::/", prog, mode)
		if r.code != code || r.stdout != "main is done\n" {
			t.Errorf("%s: exit %d, stdout %q, stderr %q", mode, r.code, r.stdout, r.stderr)
		}
	}
}

// TestTimeoutOfASpinningMain: --timeout ends a main thread that never
// calls the host, without interruption checks.
func TestTimeoutOfASpinningMain(t *testing.T) {
	r := runnerProcess(t, "", "run", "--cache-dir", cacheDir, "--timeout", "300ms", "--dir", t.TempDir()+"::/", spinner(t), "main")
	if r.code != exitTimeout || !strings.Contains(r.stderr, "did not finish within 300ms") {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
}

// TestWorkerGuestsCannotStallEachOther: a compile whose guest computes
// forever without calling the host does not hold up another request
// (before, the collector waited for it and every request froze); its
// cancel ends it (its child is killed) and removes what it staged; a
// compile that leaves a thread computing after it ends gets its answer,
// and the worker goes on serving; the end of the input ends the worker.
func TestWorkerGuestsCannotStallEachOther(t *testing.T) {
	standin := wasmtest.GoProgramAt(t, "testing/rustc_standin")
	spinDir := sandbox(t, spinner(t))
	leaveDir := sandbox(t, spinner(t))
	w := startWorker(t)

	w.send(t, &worker.Request{Arguments: []string{"--compiler", "rustc.wasm", "--out", "out/libm.rmeta", "--", "main"}, RequestID: 1, SandboxDir: spinDir})
	for id := int32(2); id <= 3; id++ {
		okDir := sandbox(t, standin)
		w.send(t, &worker.Request{Arguments: pairArgs, RequestID: id, SandboxDir: okDir})
		if resp := w.recv(t); resp.RequestID != id || resp.ExitCode != 0 {
			t.Fatalf("request %d beside the spinning one: %+v", id, resp)
		}
	}
	w.send(t, &worker.Request{RequestID: 1, Cancel: true})
	if resp := w.recv(t); resp.RequestID != 1 || !resp.WasCancelled {
		t.Fatalf("the cancelled request: %+v", resp)
	}
	if ents, _ := os.ReadDir(filepath.Join(spinDir, "out")); len(ents) != 0 {
		t.Errorf("the cancelled request left %d entries in out/", len(ents))
	}

	w.send(t, &worker.Request{Arguments: []string{"--compiler", "rustc.wasm", "--", "return"}, RequestID: 4, SandboxDir: leaveDir})
	if resp := w.recv(t); resp.RequestID != 4 || resp.ExitCode != 0 || resp.Output != "main is done\n" {
		t.Fatalf("a compile that leaves a thread spinning: %+v", resp)
	}
	okDir := sandbox(t, standin)
	w.send(t, &worker.Request{Arguments: pairArgs, RequestID: 5, SandboxDir: okDir})
	if resp := w.recv(t); resp.RequestID != 5 || resp.ExitCode != 0 {
		t.Fatalf("after it: %+v", resp)
	}
	w.in.Close()
	if code := <-w.done; code != 0 {
		t.Fatalf("worker exit %d", code)
	}
}

// TestWorkerExitsOnSIGTERM: SIGTERM with stdin still open ends the worker
// (before, it answered every later request with "runner: canceled").
func TestWorkerExitsOnSIGTERM(t *testing.T) {
	okDir := sandbox(t, wasmtest.GoProgramAt(t, "testing/rustc_standin"))
	cmd := exec.Command(os.Args[0], "rustc", "--cache-dir", cacheDir, "--persistent_worker")
	in, _ := cmd.StdinPipe()
	defer in.Close()
	out, _ := cmd.StdoutPipe()
	var errb bytes.Buffer
	cmd.Stderr = &errb
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	workerclient.WriteRequest(in, &worker.Request{Arguments: pairArgs, RequestID: 1, SandboxDir: okDir})
	if resp, err := workerclient.ReadResponse(bufio.NewReader(out)); err != nil || resp.ExitCode != 0 {
		t.Fatalf("%+v %v", resp, err)
	}
	cmd.Process.Signal(syscall.SIGTERM)
	err := cmd.Wait()
	if cmd.ProcessState.ExitCode() != exitFailure || !strings.Contains(errb.String(), "runner: worker: terminated signal received") {
		t.Fatalf("%v; stderr %q", err, errb.String())
	}
}

// TestRustcSIGTERMRemovesStaging: SIGTERM of a one-shot "runner rustc"
// mid-compile leaves nothing beside the outputs.
func TestRustcSIGTERMRemovesStaging(t *testing.T) {
	dir := sandbox(t, spinner(t))
	cmd := exec.Command(os.Args[0], "rustc", "--cache-dir", cacheDir, "--compiler", "rustc.wasm", "--out", "out/libm.rmeta", "--", "main")
	cmd.Dir = dir
	var errb bytes.Buffer
	cmd.Stderr = &errb
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Wait for the compile to stage (no time limit: go test's timeout).
	for {
		if m, _ := filepath.Glob(filepath.Join(dir, "out", ".rustc-tmp-*")); len(m) > 0 {
			break
		}
		runtime.Gosched()
	}
	cmd.Process.Signal(syscall.SIGTERM)
	cmd.Wait()
	if code := cmd.ProcessState.ExitCode(); code != exitFailure || !strings.Contains(errb.String(), "runner: canceled") {
		t.Errorf("exit %d, stderr %q", code, errb.String())
	}
	if ents, _ := os.ReadDir(filepath.Join(dir, "out")); len(ents) != 0 {
		t.Errorf("out/ holds %d entries", len(ents))
	}
}
