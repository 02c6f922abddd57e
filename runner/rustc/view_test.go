package rustc

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/action"
	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/wasi"
)

// TestInputsAreTheGuestsWorld: with Inputs, rustc.wasm sees the declared
// inputs and its outputs' directories only. An undeclared crate root or
// extern does not exist for it, and the runner names the file to declare.
func TestInputsAreTheGuestsWorld(t *testing.T) {
	dir, standin, svc := workspace(t)
	os.MkdirAll(filepath.Join(dir, "out", "m"), 0o755)
	os.WriteFile(filepath.Join(dir, "out", "m", "libm.wasm"), []byte("\x00asm"), 0o644)
	os.WriteFile(filepath.Join(dir, "out", "m", "libm.rmeta"), []byte("meta"), 0o644)
	os.WriteFile(filepath.Join(dir, "out", "sibling.rlib"), []byte("another action's output"), 0o644)
	outs := []string{"out/lib.rmeta"}
	args := func(root string, extra ...string) []string {
		return append([]string{root, "--crate-type=rlib", "--emit=metadata=out/lib.rmeta"}, extra...)
	}

	// Declared: it builds, and the record shows what it read.
	code, stderr, err := compile(t, svc, Request{Compiler: standin, Dir: dir, Outputs: outs,
		Inputs: []string{standin, "src/main.rs", "out/m/libm.wasm", "out/m/libm.rmeta"},
		Args:   args("src/main.rs", "--extern=m=out/m/libm.wasm", "-Ldependency=out/m")})
	if err != nil || code != 0 {
		t.Fatalf("declared: exit %d, %v: %s", code, err, stderr)
	}
	if r := readRecord(t, filepath.Join(dir, "out", "lib.rmeta")); len(r.Externs) != 1 || !r.Externs[0].RmetaBeside {
		t.Fatalf("externs %+v", r.Externs)
	}

	// The crate root is not declared: ENOENT for the guest, and the note.
	code, stderr, err = compile(t, svc, Request{Compiler: standin, Dir: dir, Outputs: outs,
		Inputs: []string{standin, "src/m.rs"}, Args: args("src/main.rs")})
	if err != nil || code != 1 {
		t.Fatalf("undeclared root: exit %d, %v: %s", code, err, stderr)
	}
	if !strings.Contains(stderr, "couldn't read src/main.rs") ||
		!strings.Contains(stderr, "runner: rustc tried to read src/main.rs, which is not a declared input of this action; add it to srcs or compile_data") {
		t.Errorf("stderr: %s", stderr)
	}

	// An extern's .rmeta not declared: the pair is incomplete for it.
	code, stderr, err = compile(t, svc, Request{Compiler: standin, Dir: dir, Outputs: outs,
		Inputs: []string{"src/main.rs", "out/m/libm.wasm"}, Args: args("src/main.rs", "--extern=m=out/m/libm.wasm")})
	if err != nil || code != 1 || !strings.Contains(stderr, "has no libm.rmeta beside it") ||
		!strings.Contains(stderr, "tried to read out/m/libm.rmeta") {
		t.Fatalf("undeclared rmeta: exit %d, %v: %s", code, err, stderr)
	}
	if l := leftovers(t, dir); strings.Join(l, ",") != "out/m,out/m/libm.rmeta,out/m/libm.wasm,out/sibling.rlib" {
		t.Errorf("out/ holds %v", l)
	}

	// A declared input that is not there is the input list's fault.
	_, _, err = compile(t, svc, Request{Compiler: standin, Dir: dir, Outputs: outs,
		Inputs: []string{"src/main.rs", "src/gone.rs"}, Args: args("src/gone.rs")})
	var missing *wasi.MissingInputError
	if !errors.As(err, &missing) || err.Error() != "declared input src/gone.rs is missing" {
		t.Fatalf("missing input: %v", err)
	}
}

// TestAuditFile records what rustc.wasm opened, relative to the working
// directory, and names the outputs; the staging directory is left out.
func TestAuditFile(t *testing.T) {
	dir, standin, svc := workspace(t)
	os.MkdirAll(filepath.Join(dir, "out", "m"), 0o755)
	os.WriteFile(filepath.Join(dir, "out", "m", "libm.wasm"), []byte("\x00asm"), 0o644)
	os.WriteFile(filepath.Join(dir, "out", "m", "libm.rmeta"), []byte("meta"), 0o644)
	for _, inputs := range [][]string{nil, {"src/main.rs", "out/m/libm.wasm", "out/m/libm.rmeta"}} {
		code, stderr, err := compile(t, svc, Request{Compiler: standin, Dir: dir, Outputs: []string{"out/lib.rmeta", "out/lib.rlib"},
			Inputs: inputs, AuditFile: "audit/lib.audit",
			Args: []string{"src/main.rs", "--crate-type=rlib", "--emit=metadata=out/lib.rmeta,link=out/lib.rlib", "--extern=m=out/m/libm.wasm"}})
		if err != nil || code != 0 {
			t.Fatalf("exit %d, %v: %s", code, err, stderr)
		}
		b, err := os.ReadFile(filepath.Join(dir, "audit", "lib.audit"))
		if err != nil {
			t.Fatal(err)
		}
		view := "whole-directory"
		if inputs != nil {
			view = "declared-inputs"
		}
		want := action.AuditHeader + "\n# output out/lib.rmeta\n# output out/lib.rlib\n# view " + view + "\n" +
			"out/m/libm.rmeta\nout/m/libm.wasm\nsrc/main.rs\n"
		if string(b) != want {
			t.Errorf("audit file:\n%s\nwant:\n%s", b, want)
		}
	}
}

// TestMacroWorldIsRustcsEnvironment: a wasm macro sees the environment the
// action gives rustc, the crate's rustc_env (STRUM_DEBUG) and a build
// script's lines as well as Cargo's variables, paths as the guest sees
// them, and none of the runner's own environment.
func TestMacroWorldIsRustcsEnvironment(t *testing.T) {
	t.Setenv("RULES_RUSTC_WASM_HOST_ONLY", "secret")
	dir := t.TempDir()
	req := Request{
		Env:      []string{"CARGO_PKG_NAME=app", "STRUM_DEBUG=1", "FROM_BUILD_SCRIPT=yes"},
		EnvPaths: []action.EnvPath{{Name: "CARGO_MANIFEST_DIR", Path: "pkg"}, {Name: "OUT_DIR", Path: "out/gen"}},
		Macros:   Macros{Inputs: []string{"pkg/lib.rs"}},
	}
	os.MkdirAll(filepath.Join(dir, "pkg"), 0o755)
	os.WriteFile(filepath.Join(dir, "pkg", "lib.rs"), nil, 0o644)
	cfg, err := macroWorld(req, dir)
	if err != nil {
		t.Fatal(err)
	}
	want := "CARGO_PKG_NAME=app STRUM_DEBUG=1 FROM_BUILD_SCRIPT=yes CARGO_MANIFEST_DIR=/pkg OUT_DIR=/out/gen"
	if got := strings.Join(cfg.Env, " "); got != want {
		t.Errorf("the macro's environment:\n got %s\nwant %s", got, want)
	}
	for _, kv := range cfg.Env {
		if strings.Contains(kv, "HOST_ONLY") || strings.Contains(kv, dir) {
			t.Errorf("the host leaks into the macro's environment: %s", kv)
		}
	}
}
