package main

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/internal/wasmtest"
	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/worker"
)

func inputs(paths ...string) []worker.Input {
	var out []worker.Input
	for _, p := range paths {
		out = append(out, worker.Input{Path: p, Digest: "d"})
	}
	return out
}

// TestWorkerServesDeclaredInputsOnly: a work request's inputs are
// rustc.wasm's world. A crate root left out of them does not exist for the
// guest (before, the worker read it from the execroot, and Bazel kept the
// stale output after it changed); a missing input is the input list's
// fault; a native compiler is served with no view.
func TestWorkerServesDeclaredInputsOnly(t *testing.T) {
	standin := wasmtest.GoProgramAt(t, "testing/rustc_standin")
	dir := sandbox(t, standin)
	w := startWorker(t)

	w.send(t, &worker.Request{Arguments: pairArgs, RequestID: 1, SandboxDir: dir, Inputs: inputs("rustc.wasm")})
	resp := w.recv(t)
	if resp.ExitCode != 1 || !strings.Contains(resp.Output, "couldn't read m.rs") ||
		!strings.Contains(resp.Output, "runner: rustc tried to read m.rs, which is not a declared input of this action; add it to srcs or compile_data") {
		t.Fatalf("undeclared crate root: %+v", resp)
	}
	if ents, _ := os.ReadDir(filepath.Join(dir, "out")); len(ents) != 0 {
		t.Errorf("out/ holds %d entries after the failure", len(ents))
	}

	w.send(t, &worker.Request{Arguments: pairArgs, RequestID: 2, SandboxDir: dir, Inputs: inputs("rustc.wasm", "m.rs")})
	if resp := w.recv(t); resp.ExitCode != 0 {
		t.Fatalf("declared crate root: %+v", resp)
	}

	gone := append(append([]string(nil), pairArgs[:len(pairArgs)-4]...), "src/gone.rs", "--crate-name=m", "--crate-type=proc-macro", "--emit=metadata=out/libm.rmeta,link=out/libm.wasm")
	w.send(t, &worker.Request{Arguments: gone, RequestID: 3, SandboxDir: dir, Inputs: inputs("m.rs", "src/gone.rs")})
	if resp := w.recv(t); resp.ExitCode != exitFailure || !strings.HasSuffix(resp.Output, "\nrunner: declared input src/gone.rs is missing\n") {
		t.Fatalf("missing input: %+v", resp)
	}

	native := filepath.Join(dir, "native-rustc")
	os.WriteFile(native, []byte("#!/bin/sh\ncat undeclared.txt > \"$1\"\n"), 0o755)
	os.WriteFile(filepath.Join(dir, "undeclared.txt"), []byte("read by a native rustc\n"), 0o644)
	w.send(t, &worker.Request{Arguments: []string{"--compiler", native, "--out", "out/n.txt", "--", "out/n.txt"},
		RequestID: 4, SandboxDir: dir, Inputs: inputs("m.rs")})
	if resp := w.recv(t); resp.ExitCode != 0 {
		t.Fatalf("native: %+v", resp)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "out", "n.txt")); string(b) != "read by a native rustc\n" {
		t.Errorf("native output %q", b)
	}
	w.close(t)
}

// TestOneShotInputsFromAndAudit: --inputs-from confines a one-shot run
// as a work request's inputs do; --audit-file gets the audit, naming the
// action's outputs.
func TestOneShotInputsFromAndAudit(t *testing.T) {
	standin := wasmtest.GoProgramAt(t, "testing/rustc_standin")
	dir := sandbox(t, standin)
	os.WriteFile(filepath.Join(dir, "inputs.txt"), []byte("rustc.wasm\n\nm.rs\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "too-few.txt"), []byte("rustc.wasm\n"), 0o644)
	audit := filepath.Join(t.TempDir(), "m.audit")
	wd, _ := os.Getwd()
	os.Chdir(dir)
	defer os.Chdir(wd)

	run := func(list string) (int, string) {
		var stderr bytes.Buffer
		code := rustcMain(append([]string{"--cache-dir", cacheDir, "--inputs-from", list, "--audit-file", audit}, pairArgs...), nil, io.Discard, &stderr)
		return code, stderr.String()
	}
	if code, stderr := run("too-few.txt"); code != 1 || !strings.Contains(stderr, "runner: rustc tried to read m.rs, which is not a declared input") {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if code, stderr := run("inputs.txt"); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	b, err := os.ReadFile(audit)
	if err != nil {
		t.Fatal(err)
	}
	want := "# rules_rustc_wasm audit v1\n# output out/libm.rmeta\n# output out/libm.wasm\n# view declared-inputs\nm.rs\n"
	if string(b) != want {
		t.Errorf("audit:\n%s\nwant:\n%s", b, want)
	}
	if code, stderr := run("no-such-list.txt"); code != exitFailure || !strings.Contains(stderr, "--inputs-from no-such-list.txt: no such file") {
		t.Errorf("exit %d: %s", code, stderr)
	}
}

func TestRustcHelpDocumentsViewAndAudit(t *testing.T) {
	var out bytes.Buffer
	rustcMain([]string{"--help"}, nil, &out, &out)
	for _, s := range []string{"-inputs-from", "-audit-file", "A native --compiler cannot be confined", "# output PATH"} {
		if !strings.Contains(out.String(), s) {
			t.Errorf("help lacks %q", s)
		}
	}
}
