package main

import (
	"bufio"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/internal/wasmtest"
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
	w.in.Close()
	if code := <-w.done; code != 0 {
		t.Fatalf("worker exit %d", code)
	}
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
