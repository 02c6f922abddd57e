package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/internal/wasmtest"
	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/worker"
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
	r, _ := runnerCommand(t, dir, nil, args...)
	return r
}

// runnerCommand runs the runner in a process of its own in dir, with env
// added to its environment, and returns the result and the finished
// command.
func runnerCommand(t *testing.T, dir string, env []string, args ...string) (result, *exec.Cmd) {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		t.Fatal(err)
	}
	return result{cmd.ProcessState.ExitCode(), out.String(), errb.String()}, cmd
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
	w.close(t)
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
	worker.WriteRequest(in, &worker.Request{Arguments: pairArgs, RequestID: 1, SandboxDir: okDir})
	if resp, err := worker.ReadResponse(bufio.NewReader(out)); err != nil || resp.ExitCode != 0 {
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
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	// Wait for the compile to stage (no time limit: go test's timeout).
	for {
		if m, _ := filepath.Glob(filepath.Join(dir, "out", ".rustc-tmp-*")); len(m) > 0 {
			break
		}
		select {
		case <-exited:
			t.Fatalf("the runner ended before it staged: exit %d, stderr %q", cmd.ProcessState.ExitCode(), errb.String())
		default:
			runtime.Gosched()
		}
	}
	cmd.Process.Signal(syscall.SIGTERM)
	<-exited
	if code := cmd.ProcessState.ExitCode(); code != exitFailure || !strings.Contains(errb.String(), "runner: canceled") {
		t.Errorf("exit %d, stderr %q", code, errb.String())
	}
	if ents, _ := os.ReadDir(filepath.Join(dir, "out")); len(ents) != 0 {
		t.Errorf("out/ holds %d entries", len(ents))
	}
}

// maxRSS is the peak resident memory of a finished process, in bytes.
func maxRSS(t *testing.T, cmd *exec.Cmd) int64 {
	t.Helper()
	ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	if !ok {
		t.Skip("no rusage on this system")
	}
	return ru.Maxrss << 10 // KiB on Linux
}

// runnerRSS runs the runner in a process of its own in dir, with env
// added to its environment, and returns the result and its peak memory.
func runnerRSS(t *testing.T, dir string, env []string, args ...string) (result, int64) {
	t.Helper()
	r, cmd := runnerCommand(t, dir, env, args...)
	return r, maxRSS(t, cmd)
}

// TestBuildScriptMemoryIsBounded: 512 MiB of build-script stdout (then an
// instruction) leave the runner's memory where it was, natively and in
// wazero; before, 1 GiB took it to 4.2 GB.
func TestBuildScriptMemoryIsBounded(t *testing.T) {
	for _, wasm := range []bool{false, true} {
		dir := buildScriptDir(t)
		script := shellScript(t, dir, "build.sh", `yes 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde | head -c 536870912
echo cargo:rustc-cfg=loud
`)
		if wasm {
			b, err := os.ReadFile(wasmtest.Wat(t, "loud"))
			if err != nil {
				t.Fatal(err)
			}
			script = "build.wasm"
			os.WriteFile(filepath.Join(dir, script), b, 0o644)
		}
		args := append(append([]string{"build-script", "--cache-dir", cacheDir}, outFlags...), "--", script)
		r, rss := runnerRSS(t, dir, nil, args...)
		if r.code != 0 {
			t.Fatalf("wasm %v: exit %d: %.2000s", wasm, r.code, r.stderr)
		}
		if b, _ := os.ReadFile(filepath.Join(dir, "out", "flags")); string(b) != "--cfg=loud\n" {
			t.Errorf("wasm %v: flags %q", wasm, b)
		}
		if rss > 300<<20 {
			t.Errorf("wasm %v: the runner peaked at %d MiB for 512 MiB of output", wasm, rss>>20)
		}
		t.Logf("wasm %v: peak %d MiB", wasm, rss>>20)
	}
}

// TestBuildScriptSIGTERMKillsItsGroup: SIGTERM of "runner build-script"
// kills the native script and what it started, and removes the staging
// directory (before, the script ran on as an orphan, and the staging
// stayed).
func TestBuildScriptSIGTERMKillsItsGroup(t *testing.T) {
	dir := buildScriptDir(t)
	script := shellScript(t, dir, "build.sh", `sleep 60 &
echo $! > "$OUT_DIR/child"
wait
`)
	cmd := exec.Command(os.Args[0], append(append([]string{"build-script", "--cache-dir", cacheDir}, outFlags...), "--", script)...)
	cmd.Dir = dir
	var errb bytes.Buffer
	cmd.Stderr = &errb
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var child int
	for child == 0 { // no time limit: go test's timeout
		// OUT_DIR while the script runs, in its staging directory.
		staged, _ := filepath.Glob(filepath.Join(dir, "out", ".build-script-tmp-*", "o", "child"))
		if len(staged) == 1 {
			b, _ := os.ReadFile(staged[0])
			child, _ = strconv.Atoi(strings.TrimSpace(string(b)))
		}
		time.Sleep(10 * time.Millisecond)
	}
	cmd.Process.Signal(syscall.SIGTERM)
	cmd.Wait()
	if code := cmd.ProcessState.ExitCode(); code != exitFailure || !strings.Contains(errb.String(), "runner build-script: canceled") {
		t.Errorf("exit %d, stderr %q", code, errb.String())
	}
	if ents, _ := os.ReadDir(filepath.Join(dir, "out")); len(ents) != 0 {
		t.Errorf("out/ holds %v", ents)
	}
	for i := 0; processRuns(child); i++ {
		if i == 100 {
			t.Fatalf("the script's child %d outlived the runner", child)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// processRuns reports whether the process pid runs (a zombie does not).
func processRuns(pid int) bool {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	_, rest, _ := strings.Cut(string(b), ") ")
	return !strings.HasPrefix(rest, "Z") && !strings.HasPrefix(rest, "X")
}

// TestTestVerbMemoryIsBounded: a test that prints 512 MiB leaves the
// runner's memory and test.xml bounded (before: 3.2 GB and a 512 MiB
// test.xml).
func TestTestVerbMemoryIsBounded(t *testing.T) {
	wasm := loudHarness(t)
	dir := t.TempDir()
	xmlOut := filepath.Join(dir, "test.xml")
	r, rss := runnerRSS(t, dir, []string{"XML_OUTPUT_FILE=" + xmlOut},
		"test", "--cache-dir", cacheDir, "--env", "LOUD_BYTES=536870912", wasm, "--exact", "loud")
	if r.code != 0 || !strings.Contains(r.stdout, "test loud ... ok") {
		t.Fatalf("exit %d: %.2000s%.2000s", r.code, r.stdout, r.stderr)
	}
	fi, err := os.Stat(xmlOut)
	if err != nil || fi.Size() > 4<<20 {
		t.Errorf("test.xml: %v, %d bytes", err, fi.Size())
	}
	if rss > 400<<20 {
		t.Errorf("the runner peaked at %d MiB for 512 MiB of output", rss>>20)
	}
	t.Logf("peak %d MiB", rss>>20)
}

// rustcIn runs "runner rustc ARGS" in-process in dir.
func rustcIn(t *testing.T, dir string, args ...string) (int, string) {
	t.Helper()
	wd, _ := os.Getwd()
	if err := os.Chdir(dir); err != nil {
		t.Fatal(err)
	}
	defer os.Chdir(wd)
	var out bytes.Buffer
	code := rustcMain(append([]string{"--cache-dir", cacheDir}, args...), nil, &out, &out)
	return code, out.String()
}

// TestRustcRefusesWhatWouldSplitOrClobber: "runner rustc" refuses a
// control character in an argument, a parameter file, an --arg-file or an
// --env-file line (a line break there makes two arguments of one); an
// --env-file line that sets again what the action sets (a build script's
// OUT_DIR=/etc gave rustc two OUT_DIRs); an --inputs-from path outside the
// working directory (/etc/passwd was accepted while ../x was refused); and
// an output that names an input or the working directory (--audit-file
// src/lib.rs overwrote the source).
func TestRustcRefusesWhatWouldSplitOrClobber(t *testing.T) {
	dir := sandbox(t, wasmtest.Wat(t, "trap"))
	write := func(name, content string) {
		os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755)
		os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644)
	}
	write("src/lib.rs", "// the crate\n")
	write("ok.args", "--cfg=a\n")
	write("cr.args", "--cfg=a\r-Cpanic=abort\n")
	write("esc.args", "--cfg=\x1b[2J\n")
	write("nul.env", "A=x\x00y\n")
	write("outdir.env", "OUT_DIR=/etc\n")
	write("params", "--compiler\nrustc.wasm\n--env\nA=1\rB=2\n--\nsrc/lib.rs\n")
	write("outside.list", "src/lib.rs\n/etc/passwd\n")
	write("climbs.list", "src/lib.rs\n../x\n")
	base := []string{"--compiler", "rustc.wasm", "--out", "out/libm.rlib"}
	for _, c := range []struct {
		name string
		args []string
		want string
	}{
		{"argument", append(base, "--env", "A=x\ny", "--", "src/lib.rs"), `argument "A=x\ny": a control character (U+000A) at byte 3`},
		{"parameter file", []string{"@params"}, "parameter file params: line 4: a control character (U+000D)"},
		{"arg file with CR", append(base, "--arg-file", "cr.args", "--", "src/lib.rs"), "--arg-file cr.args: line 1: a control character (U+000D)"},
		{"arg file with ESC", append(base, "--arg-file", "esc.args", "--", "src/lib.rs"), "--arg-file esc.args: line 1: a control character (U+001B)"},
		{"env file with NUL", append(base, "--env-file", "nul.env", "--", "src/lib.rs"), "--env-file nul.env: line 1: a control character (U+0000)"},
		{"env file sets OUT_DIR again", append(base, "--env-path", "OUT_DIR=out", "--env-file", "outdir.env", "--", "src/lib.rs"),
			"--env-file outdir.env: line 1: OUT_DIR is set by the action's --env or --env-path"},
		{"inputs from outside", append(base, "--inputs-from", "outside.list", "--", "src/lib.rs"), `--inputs-from outside.list: line 2: "/etc/passwd" is not below the working directory`},
		{"inputs climbing out", append(base, "--inputs-from", "climbs.list", "--", "src/lib.rs"), `--inputs-from climbs.list: line 2: "../x" is not below the working directory`},
		{"audit file is the crate root", append(base, "--audit-file", "src/lib.rs", "--", "src/lib.rs"), "--audit-file src/lib.rs: the output is the input rustc's argument src/lib.rs"},
		{"out is an arg file", []string{"--compiler", "rustc.wasm", "--out", "ok.args", "--arg-file", "ok.args", "--", "src/lib.rs"}, "--out ok.args: the output is the input --arg-file ok.args"},
		{"out is the compiler", []string{"--compiler", "rustc.wasm", "--out", "rustc.wasm", "--", "src/lib.rs"}, "--out rustc.wasm: the output is the input --compiler rustc.wasm"},
		{"out is a parent of the sources", []string{"--compiler", "rustc.wasm", "--out", "src", "--", "src/lib.rs"}, "--out src: the output is a parent of the input rustc's argument src/lib.rs"},
		{"out is the working directory", []string{"--compiler", "rustc.wasm", "--out", ".", "--", "src/lib.rs"}, "--out .: an output may not be the working directory"},
		{"out is an extern", []string{"--compiler", "rustc.wasm", "--out", "out/libd.rlib", "--", "src/lib.rs", "--extern=d=out/libd.rlib"}, "the output is the input rustc --extern out/libd.rlib"},
	} {
		code, out := rustcIn(t, dir, c.args...)
		if code != exitFailure || !strings.Contains(out, c.want) {
			t.Errorf("%s: exit %d, %q; want %q", c.name, code, out, c.want)
		}
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "src", "lib.rs")); string(b) != "// the crate\n" {
		t.Errorf("src/lib.rs was overwritten: %q", b)
	}
	if _, err := os.Stat(filepath.Join(dir, "rustc.wasm")); err != nil {
		t.Errorf("rustc.wasm is gone")
	}
}

// TestNativeRustcDiesWithTheRunner: a runner killed with SIGKILL, which it
// cannot handle, takes its native rustc with it (the parent-death signal)
// instead of leaving it to compute on.
func TestNativeRustcDiesWithTheRunner(t *testing.T) {
	dir := t.TempDir()
	pidFile := filepath.Join(dir, "rustc.pid")
	fake := filepath.Join(dir, "fake-rustc")
	if err := os.WriteFile(fake, []byte("#!/bin/sh\necho $$ > "+pidFile+".tmp && mv "+pidFile+".tmp "+pidFile+"\nexec sleep 600\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(dir, "out"), 0o755); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "rustc", "--compiler", fake, "--out", "out/libm.rmeta", "--", "main.rs")
	cmd.Dir = dir
	// A file, not a pipe: a rustc left alive would hold a pipe open, and
	// Wait with it.
	errf, err := os.Create(filepath.Join(dir, "stderr"))
	if err != nil {
		t.Fatal(err)
	}
	defer errf.Close()
	cmd.Stderr = errf
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var pid int
	for deadline := time.Now().Add(30 * time.Second); pid == 0; time.Sleep(10 * time.Millisecond) {
		if b, err := os.ReadFile(pidFile); err == nil {
			pid, _ = strconv.Atoi(strings.TrimSpace(string(b)))
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			b, _ := os.ReadFile(errf.Name())
			t.Fatalf("the fake rustc did not start; runner stderr %q", b)
		}
	}
	cmd.Process.Kill()
	cmd.Wait()
	for deadline := time.Now().Add(10 * time.Second); syscall.Kill(pid, 0) == nil; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			syscall.Kill(pid, syscall.SIGKILL)
			t.Fatal("rustc outlived the runner killed with SIGKILL")
		}
	}
}
