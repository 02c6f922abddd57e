package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/action"
	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/engine"
	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/internal/wasmtest"
	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/rustc"
	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/worker"
)

// workerSession runs "runner rustc --persistent_worker" in-process.
type workerSession struct {
	in   *io.PipeWriter
	out  *bufio.Reader
	done chan int
}

func startWorker(t *testing.T) *workerSession {
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	w := &workerSession{in: inW, out: bufio.NewReader(outR), done: make(chan int, 1)}
	go func() {
		w.done <- rustcMain([]string{"--cache-dir", cacheDir, "--persistent_worker"}, inR, outW, io.Discard)
		outW.Close()
	}()
	t.Cleanup(func() { inW.Close() })
	return w
}

func (w *workerSession) send(t *testing.T, req *worker.Request) {
	t.Helper()
	if err := worker.WriteRequest(w.in, req); err != nil {
		t.Fatal(err)
	}
}

// close ends the session as Bazel does, closing the worker's stdin, and
// expects the worker to exit 0.
func (w *workerSession) close(t *testing.T) {
	t.Helper()
	w.in.Close()
	if code := <-w.done; code != 0 {
		t.Fatalf("worker exit %d", code)
	}
}

func (w *workerSession) recv(t *testing.T) *worker.Response {
	t.Helper()
	resp, err := worker.ReadResponse(w.out)
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

// sandbox makes a directory like a Bazel sandbox: the compiler, a source
// and an output directory, all named relative to it.
func sandbox(t *testing.T, compiler string) string {
	dir := t.TempDir()
	b, err := os.ReadFile(compiler)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "rustc.wasm"), b, 0o644)
	os.WriteFile(filepath.Join(dir, "m.rs"), []byte("// a proc macro\n"), 0o644)
	os.MkdirAll(filepath.Join(dir, "out"), 0o755)
	return dir
}

var pairArgs = []string{"--compiler", "rustc.wasm", "--out", "out/libm.rmeta", "--out", "out/libm.wasm", "--",
	"m.rs", "--crate-name=m", "--crate-type=proc-macro", "--emit=metadata=out/libm.rmeta,link=out/libm.wasm"}

func TestWorkerCancelTrapAndIsolation(t *testing.T) {
	standin := wasmtest.GoProgramAt(t, "testing/rustc_standin")
	spinDir := sandbox(t, wasmtest.Wat(t, "spin_calls"))
	trapDir := sandbox(t, wasmtest.Wat(t, "trap"))
	okDir := sandbox(t, standin)
	w := startWorker(t)

	// A compile that never ends, then one beside it that succeeds.
	w.send(t, &worker.Request{Arguments: pairArgs, RequestID: 1, SandboxDir: spinDir})
	w.send(t, &worker.Request{Arguments: pairArgs, RequestID: 2, SandboxDir: okDir})
	if resp := w.recv(t); resp.RequestID != 2 || resp.ExitCode != 0 {
		t.Fatalf("the clean request: %+v", resp)
	}
	for _, f := range []string{"libm.rmeta", "libm.wasm"} {
		if _, err := os.Stat(filepath.Join(okDir, "out", f)); err != nil {
			t.Errorf("request 2 did not write %s", f)
		}
	}

	// A trap fails its own request only.
	w.send(t, &worker.Request{Arguments: pairArgs, RequestID: 3, SandboxDir: trapDir})
	if resp := w.recv(t); resp.RequestID != 3 || resp.ExitCode != exitTrap || !strings.Contains(resp.Output, "trapped in the main thread: unreachable") {
		t.Fatalf("the trapping request: %+v", resp)
	}

	// Cancelling request 1 stops its guest and answers it once.
	w.send(t, &worker.Request{RequestID: 1, Cancel: true})
	resp := w.recv(t)
	if resp.RequestID != 1 || !resp.WasCancelled || resp.ExitCode == 0 {
		t.Fatalf("the cancelled request: %+v", resp)
	}
	for _, d := range []string{spinDir, trapDir} {
		if ents, _ := os.ReadDir(filepath.Join(d, "out")); len(ents) != 0 {
			t.Errorf("%s/out holds %d entries after a failed request", d, len(ents))
		}
	}

	// The worker still serves.
	again := sandbox(t, standin)
	w.send(t, &worker.Request{Arguments: pairArgs, RequestID: 4, SandboxDir: again})
	if resp := w.recv(t); resp.RequestID != 4 || resp.ExitCode != 0 {
		t.Fatalf("after the others: %+v", resp)
	}
	w.close(t)
}

// TestWorkerOutputsAreByteIdentical compiles the same action through the
// worker and as a one-shot run.
func TestWorkerOutputsAreByteIdentical(t *testing.T) {
	standin := wasmtest.GoProgramAt(t, "testing/rustc_standin")
	viaWorker := sandbox(t, standin)
	w := startWorker(t)
	w.send(t, &worker.Request{Arguments: pairArgs, RequestID: 1, SandboxDir: viaWorker})
	if resp := w.recv(t); resp.ExitCode != 0 {
		t.Fatalf("%+v", resp)
	}

	oneShot := sandbox(t, standin)
	wd, _ := os.Getwd()
	os.Chdir(oneShot)
	defer os.Chdir(wd)
	var stderr bytes.Buffer
	if code := rustcMain(append([]string{"--cache-dir", cacheDir}, pairArgs...), nil, io.Discard, &stderr); code != 0 {
		t.Fatalf("one-shot exit %d: %s", code, stderr.String())
	}
	for _, f := range []string{"libm.rmeta", "libm.wasm"} {
		a, _ := os.ReadFile(filepath.Join(viaWorker, "out", f))
		b, _ := os.ReadFile(filepath.Join(oneShot, "out", f))
		if len(a) == 0 || !bytes.Equal(a, b) {
			t.Errorf("%s differs between the worker and a one-shot run:\n%s\n%s", f, a, b)
		}
	}
}

func TestRustcVerbHelpAndErrors(t *testing.T) {
	var out bytes.Buffer
	if code := rustcMain([]string{"--help"}, nil, &out, &out); code != 0 {
		t.Fatalf("--help exit %d", code)
	}
	for _, f := range []string{"-compiler", "-out", "-env", "-cache-dir", "-no-cache", "@FILE", "-arg-file", "-env-file", "-env-path"} {
		if !strings.Contains(out.String(), f) {
			t.Errorf("rustc help lacks %s:\n%s", f, out.String())
		}
	}
	out.Reset()
	if code := rustcMain([]string{"--", "x.rs"}, nil, &out, &out); code != exitFailure || !strings.Contains(out.String(), "--compiler is required") {
		t.Errorf("exit %d: %s", code, out.String())
	}
	out.Reset()
	if code := rustcMain([]string{"--compiler", "/no/such/rustc.wasm", "--", "x.rs"}, nil, &out, &out); code != exitFailure || !strings.Contains(out.String(), "--compiler /no/such/rustc.wasm: no such file") {
		t.Errorf("exit %d: %s", code, out.String())
	}
}

// flagFiles writes the files the new flags read into dir.
func flagFiles(t *testing.T, dir string) {
	t.Helper()
	os.MkdirAll(filepath.Join(dir, "out", "gen"), 0o755)
	os.WriteFile(filepath.Join(dir, "one.args"), []byte("--crate-name=m\n\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "two.args"), []byte("--crate-type=rlib\n--cfg=feature=\"x y\"\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "build.env"), []byte("A=1\n\nB=x=y\n"), 0o644)
}

var flagFileArgs = []string{"--compiler", "rustc.wasm", "--out", "out/libm.rmeta",
	"--arg-file", "one.args", "--arg-file", "two.args", "--env-file", "build.env",
	"--env-path", "OUT_DIR=out/gen", "--env", "X=1", "--",
	"m.rs", "--emit=metadata=out/libm.rmeta"}

// checkFlagFiles reads what the stand-in recorded of its arguments and
// environment.
func checkFlagFiles(t *testing.T, dir string) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "out", "libm.rmeta"))
	if err != nil {
		t.Fatal(err)
	}
	var rec struct {
		CrateName string   `json:"crate_name"`
		CrateType string   `json:"crate_type"`
		Cfgs      []string `json:"cfgs"`
		Env       []string `json:"env"`
		Args      []string `json:"args"`
	}
	if err := json.Unmarshal(b, &rec); err != nil {
		t.Fatal(err)
	}
	if len(rec.Args) < 5 || rec.Args[0] != "m.rs" || !strings.HasPrefix(rec.Args[1], "--emit=metadata=") {
		t.Fatalf("args %q", rec.Args)
	}
	if want := []string{"--crate-name=m", "--crate-type=rlib", `--cfg=feature="x y"`}; strings.Join(rec.Args[2:5], "|") != strings.Join(want, "|") {
		t.Errorf("args %q: want the --arg-file lines %q after those after --", rec.Args, want)
	}
	if rec.CrateName != "m" || rec.CrateType != "rlib" {
		t.Errorf("crate %s %s", rec.CrateName, rec.CrateType)
	}
	if got := strings.Join(rec.Env, " "); got != "A=1 B=x=y OUT_DIR=/out/gen X=1" {
		t.Errorf("environment %q", got)
	}
}

func TestArgFileEnvFileEnvPath(t *testing.T) {
	standin := wasmtest.GoProgramAt(t, "testing/rustc_standin")

	// A one-shot action, relative to the current directory.
	oneShot := sandbox(t, standin)
	flagFiles(t, oneShot)
	wd, _ := os.Getwd()
	os.Chdir(oneShot)
	var stderr bytes.Buffer
	code := rustcMain(append([]string{"--cache-dir", cacheDir}, flagFileArgs...), nil, io.Discard, &stderr)
	os.Chdir(wd)
	if code != 0 {
		t.Fatalf("one-shot exit %d: %s", code, stderr.String())
	}
	checkFlagFiles(t, oneShot)

	// A work request, relative to its sandbox.
	viaWorker := sandbox(t, standin)
	flagFiles(t, viaWorker)
	w := startWorker(t)
	w.send(t, &worker.Request{Arguments: flagFileArgs, RequestID: 1, SandboxDir: viaWorker})
	if resp := w.recv(t); resp.ExitCode != 0 {
		t.Fatalf("%+v", resp)
	}
	checkFlagFiles(t, viaWorker)
}

// TestEnvPathNative gives a native compiler the host's absolute path.
func TestEnvPathNative(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "out", "gen"), 0o755)
	os.WriteFile(filepath.Join(dir, "native-rustc"), []byte("#!/bin/sh\necho \"$OUT_DIR\"\n"), 0o755)
	w := startWorker(t)
	w.send(t, &worker.Request{Arguments: []string{"--compiler", filepath.Join(dir, "native-rustc"), "--env-path", "OUT_DIR=out/gen", "--", "x.rs"}, SandboxDir: dir})
	resp := w.recv(t)
	abs, _ := filepath.Abs(filepath.Join(dir, "out", "gen"))
	if resp.ExitCode != 0 || strings.TrimSpace(resp.Output) != abs {
		t.Fatalf("%+v; want output %s", resp, abs)
	}
}

func TestFlagFileErrors(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "bad.env"), []byte("A=1\n\nnot a pair\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "noname.env"), []byte("=1\n"), 0o644)
	cases := []struct {
		flags []string
		want  string
	}{
		{[]string{"--arg-file", "missing.args"}, "--arg-file missing.args: no such file"},
		{[]string{"--env-file", "missing.env"}, "--env-file missing.env: no such file"},
		{[]string{"--env-file", "bad.env"}, `--env-file bad.env: line 3: want NAME=VALUE, got "not a pair"`},
		{[]string{"--env-file", "noname.env"}, `--env-file noname.env: line 1: want NAME=VALUE`},
		{[]string{"--env-path", "OUT_DIR"}, `--env-path "OUT_DIR": want NAME=PATH`},
		{[]string{"--env-path", "OUT_DIR=../up"}, "--env-path OUT_DIR=../up: the path must be relative and stay below the working directory"},
		{[]string{"--env-path", "OUT_DIR=/abs"}, "--env-path OUT_DIR=/abs: the path must be relative"},
	}
	w := startWorker(t)
	for i, c := range cases {
		args := append(append([]string{"--compiler", "rustc.wasm"}, c.flags...), "--", "x.rs")
		w.send(t, &worker.Request{Arguments: args, RequestID: int32(i + 1), SandboxDir: dir})
		if resp := w.recv(t); resp.ExitCode != exitFailure || !strings.Contains(resp.Output, c.want) {
			t.Errorf("%v: %+v; want %q", c.flags, resp, c.want)
		}
		wd, _ := os.Getwd()
		os.Chdir(dir)
		var out bytes.Buffer
		code := rustcMain(args, nil, &out, &out)
		os.Chdir(wd)
		if code != exitFailure || !strings.Contains(out.String(), c.want) {
			t.Errorf("one-shot %v: exit %d, %q; want %q", c.flags, code, out.String(), c.want)
		}
	}
}

// TestRustcRequestCheckedOnce: a request's checks run once, on the command
// line and for a work request, whose own inputs replace --inputs-from's
// before the check; an output that names a declared input is refused with
// the same message on both.
func TestRustcRequestCheckedOnce(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "out"), 0o755)
	os.WriteFile(filepath.Join(dir, "m.rs"), nil, 0o644)
	os.WriteFile(filepath.Join(dir, "data.txt"), nil, 0o644)
	os.WriteFile(filepath.Join(dir, "inputs.list"), []byte("m.rs\ndata.txt\n"), 0o644)
	checks := 0
	check := checkRequest
	checkRequest = func(req rustc.Request, flagFiles []action.FlagPath) error {
		checks++
		return check(req, flagFiles)
	}
	t.Cleanup(func() { checkRequest = check })
	ctx := context.Background()
	svc := rustc.NewService(engine.Config{})
	defer svc.Close(ctx)
	for _, c := range []struct{ out, want string }{
		// The checks pass; the compile fails: there is no compiler.
		{"out/libm.rlib", "--compiler rustc.wasm: no such file"},
		{"data.txt", "--out data.txt: the output is the input declared input data.txt, which the run would destroy"},
	} {
		args := []string{"--compiler", "rustc.wasm", "--out", c.out, "--", "m.rs"}
		checks = 0
		code, cmdLine := rustcIn(t, dir, append([]string{"--inputs-from", "inputs.list"}, args...)...)
		if code != exitFailure || !strings.Contains(cmdLine, c.want) || checks != 1 {
			t.Errorf("command line --out %s: exit %d, %d checks, %q; want one check and %q", c.out, code, checks, cmdLine, c.want)
		}
		checks = 0
		var out bytes.Buffer
		wr := &worker.Request{Arguments: args, SandboxDir: dir, Inputs: []worker.Input{{Path: "m.rs"}, {Path: "data.txt"}}}
		if code := compileWorkRequest(ctx, svc, wr, &out); code != exitFailure || out.String() != cmdLine || checks != 1 {
			t.Errorf("work request --out %s: exit %d, %d checks, %q; want one check and %q", c.out, code, checks, out.String(), cmdLine)
		}
	}
}
