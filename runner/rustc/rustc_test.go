package rustc

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/action"
	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/engine"
	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/internal/wasmtest"
)

type record struct {
	CrateType string `json:"crate_type"`
	CrateName string `json:"crate_name"`
	Emit      string `json:"emit"`
	Externs   []struct {
		Name        string `json:"name"`
		Path        string `json:"path"`
		SHA256      string `json:"sha256"`
		RmetaBeside bool   `json:"rmeta_beside"`
	} `json:"externs"`
	SearchPaths []string `json:"search_paths"`
	Env         []string `json:"env"`
	Args        []string `json:"args"`
}

// workspace is a directory laid out like an execroot, with the stand-in.
func workspace(t *testing.T) (dir, standin string, svc *Service) {
	t.Helper()
	src := wasmtest.GoProgramAt(t, "testing/rustc_standin")
	dir = t.TempDir()
	standin = "tools/rustc_standin.wasm"
	os.MkdirAll(filepath.Join(dir, "tools"), 0o755)
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, standin), b, 0o644)
	os.MkdirAll(filepath.Join(dir, "src"), 0o755)
	os.WriteFile(filepath.Join(dir, "src", "m.rs"), []byte("// a macro\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "src", "main.rs"), []byte("fn main() {}\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "src", "bad.rs"), []byte("compile_error!(\"this crate does not build\");\n"), 0o644)
	svc = NewService(engine.Config{})
	t.Cleanup(func() { svc.Close(context.Background()) })
	return dir, standin, svc
}

// compile runs one request and returns rustc's exit code and stderr.
func compile(t *testing.T, svc *Service, req Request) (int, string, error) {
	t.Helper()
	var stderr bytes.Buffer
	req.Stderr = &stderr
	code, err := svc.Compile(context.Background(), req)
	return code, stderr.String(), err
}

func readRecord(t *testing.T, path string) record {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var r record
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return r
}

// leftovers lists what is in dir below out/ (outputs and temporaries).
func leftovers(t *testing.T, dir string) []string {
	var found []string
	filepath.Walk(filepath.Join(dir, "out"), func(p string, fi os.FileInfo, err error) error {
		if err == nil && p != filepath.Join(dir, "out") {
			rel, _ := filepath.Rel(dir, p)
			found = append(found, rel)
		}
		return nil
	})
	return found
}

// TestProcMacroPairAndDependent writes the pair in one run, then compiles a
// dependent whose --extern names the .wasm; the stand-in records the
// digest it saw and that the .rmeta was beside it.
func TestProcMacroPairAndDependent(t *testing.T) {
	dir, standin, svc := workspace(t)
	os.MkdirAll(filepath.Join(dir, "out", "m"), 0o755)
	pair := []string{"out/m/libm.rmeta", "out/m/libm.wasm"}
	params := filepath.Join(dir, "out", "m.params")
	os.WriteFile(params, []byte("src/m.rs\n--crate-name=m\n--crate-type=proc-macro\n--emit=metadata=out/m/libm.rmeta,link=out/m/libm.wasm\n"), 0o644)
	args, err := action.ExpandParams(dir, []string{"@out/m.params"})
	if err != nil {
		t.Fatal(err)
	}
	code, stderr, err := compile(t, svc, Request{Compiler: standin, Dir: dir, Outputs: pair, Args: args})
	if err != nil || code != 0 {
		t.Fatalf("exit %d, %v: %s", code, err, stderr)
	}
	for _, p := range pair {
		r := readRecord(t, filepath.Join(dir, p))
		if r.CrateType != "proc-macro" || r.CrateName != "m" {
			t.Errorf("%s: %+v", p, r)
		}
	}
	os.Remove(params)
	code, stderr, err = compile(t, svc, Request{Compiler: standin, Dir: dir, Outputs: []string{"out/main.wasm"},
		Args: []string{"src/main.rs", "--crate-type=bin", "--extern=m=out/m/libm.wasm", "-Ldependency=out/m", "--emit=link=out/main.wasm"}})
	if err != nil || code != 0 {
		t.Fatalf("exit %d, %v: %s", code, err, stderr)
	}
	// The dependent's output is a program; the stand-in's record of the
	// dependent is checked through its metadata run below.
	code, _, err = compile(t, svc, Request{Compiler: standin, Dir: dir, Outputs: []string{"out/lib.rmeta"},
		Args: []string{"src/main.rs", "--crate-type=rlib", "--extern=m=out/m/libm.wasm", "-Ldependency=out/m", "--emit=metadata=out/lib.rmeta"}})
	if err != nil || code != 0 {
		t.Fatal(code, err)
	}
	r := readRecord(t, filepath.Join(dir, "out", "lib.rmeta"))
	if len(r.Externs) != 1 || r.Externs[0].Name != "m" || !r.Externs[0].RmetaBeside || r.Externs[0].SHA256 == "" {
		t.Fatalf("externs: %+v", r.Externs)
	}
	if strings.Join(r.SearchPaths, ",") != "dependency=out/m" {
		t.Errorf("search paths %v", r.SearchPaths)
	}
}

func TestFailedCompileLeavesNoOutputs(t *testing.T) {
	dir, standin, svc := workspace(t)
	os.MkdirAll(filepath.Join(dir, "out"), 0o755)
	code, stderr, err := compile(t, svc, Request{Compiler: standin, Dir: dir, Outputs: []string{"out/libbad.rmeta", "out/libbad.rlib"},
		Args: []string{"src/bad.rs", "--crate-type=rlib", "--emit=metadata=out/libbad.rmeta,link=out/libbad.rlib"}})
	if err != nil || code != 1 {
		t.Fatalf("exit %d, %v", code, err)
	}
	if !strings.Contains(stderr, "error: this crate does not build") {
		t.Errorf("rustc's diagnostic is lost: %q", stderr)
	}
	if l := leftovers(t, dir); len(l) != 0 {
		t.Fatalf("left behind: %v", l)
	}
}

func TestWasmExternWithoutRmetaFails(t *testing.T) {
	dir, standin, svc := workspace(t)
	os.MkdirAll(filepath.Join(dir, "out"), 0o755)
	os.WriteFile(filepath.Join(dir, "out", "libm.wasm"), []byte("\x00asm"), 0o644)
	code, stderr, err := compile(t, svc, Request{Compiler: standin, Dir: dir, Outputs: []string{"out/main.wasm"},
		Args: []string{"src/main.rs", "--extern=m=out/libm.wasm", "--emit=link=out/main.wasm"}})
	if err != nil || code != 1 || !strings.Contains(stderr, "has no libm.rmeta beside it") {
		t.Fatalf("exit %d, %v: %s", code, err, stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "out", "main.wasm")); !os.IsNotExist(err) {
		t.Fatal("an output was left behind")
	}
}

func TestUnwrittenOutputIsAnError(t *testing.T) {
	dir, standin, svc := workspace(t)
	os.MkdirAll(filepath.Join(dir, "out"), 0o755)
	_, _, err := compile(t, svc, Request{Compiler: standin, Dir: dir, Outputs: []string{"out/libm.rlib", "out/extra.txt"},
		Args: []string{"src/m.rs", "--crate-type=rlib", "--emit=link=out/libm.rlib"}})
	if err == nil || !strings.Contains(err.Error(), "did not write out/extra.txt") {
		t.Fatalf("got %v", err)
	}
	if l := leftovers(t, dir); len(l) != 0 {
		t.Fatalf("left behind: %v", l)
	}
}

func TestBadRequest(t *testing.T) {
	dir, _, svc := workspace(t)
	if _, _, err := compile(t, svc, Request{Dir: dir}); !errors.Is(err, ErrNoCompiler) {
		t.Errorf("no compiler: %v", err)
	}
	var ce *CompilerError
	if _, _, err := compile(t, svc, Request{Compiler: "no/such/rustc.wasm", Dir: dir}); !errors.As(err, &ce) || ce.Path != "no/such/rustc.wasm" ||
		!errors.Is(err, fs.ErrNotExist) || err.Error() != "compiler no/such/rustc.wasm: no such file" {
		t.Errorf("missing compiler: %v", err)
	}
	if _, _, err := compile(t, svc, Request{Compiler: "no/such/rustc", Dir: dir}); !errors.As(err, &ce) || ce.Path != "no/such/rustc" {
		t.Errorf("missing native compiler: %v", err)
	}
	var epe *EnvPathError
	for _, p := range []string{"../up", "/abs", "a/../../b", ""} {
		if _, _, err := compile(t, svc, Request{Compiler: "tools/rustc_standin.wasm", Dir: dir, EnvPaths: []action.EnvPath{{Name: "X", Path: p}}}); !errors.As(err, &epe) || epe.Name != "X" {
			t.Errorf("env path %q: %v", p, err)
		}
	}
	if _, err := action.ExpandParams(dir, []string{"@missing.params"}); !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), "parameter file missing.params") {
		t.Errorf("missing param file: %v", err)
	}
}

// TestEnvPaths gives rustc.wasm a path below its working directory as the
// guest sees it, and a native compiler the host's absolute path.
func TestEnvPaths(t *testing.T) {
	dir, standin, svc := workspace(t)
	os.MkdirAll(filepath.Join(dir, "out", "gen"), 0o755)
	code, stderr, err := compile(t, svc, Request{Compiler: standin, Dir: dir, Outputs: []string{"out/lib.rmeta"},
		Env: []string{"PLAIN=1"}, EnvPaths: []action.EnvPath{{Name: "OUT_DIR", Path: "out/gen"}, {Name: "ROOT", Path: "."}},
		Args: []string{"src/m.rs", "--crate-type=rlib", "--emit=metadata=out/lib.rmeta"}})
	if err != nil || code != 0 {
		t.Fatalf("exit %d, %v: %s", code, err, stderr)
	}
	r := readRecord(t, filepath.Join(dir, "out", "lib.rmeta"))
	if got := strings.Join(r.Env, " "); got != "OUT_DIR=/out/gen PLAIN=1 ROOT=/" {
		t.Errorf("rustc.wasm's environment: %s", got)
	}

	native := filepath.Join(dir, "tools", "native-rustc")
	os.WriteFile(native, []byte("#!/bin/sh\necho \"$OUT_DIR|$PLAIN\"\n"), 0o755)
	var stdout bytes.Buffer
	code, stderr, err = compile(t, svc, Request{Compiler: native, Dir: dir, Stdout: &stdout,
		Env: []string{"PLAIN=2"}, EnvPaths: []action.EnvPath{{Name: "OUT_DIR", Path: "out/gen"}}})
	if err != nil || code != 0 {
		t.Fatalf("exit %d, %v: %s", code, err, stderr)
	}
	abs, _ := filepath.Abs(filepath.Join(dir, "out", "gen"))
	if got := strings.TrimSpace(stdout.String()); got != abs+"|2" {
		t.Errorf("native compiler saw %q, want %q", got, abs+"|2")
	}
}

// TestNativeRustc runs Debian's real rustc through the same path.
func TestNativeRustc(t *testing.T) {
	rustc, err := exec.LookPath("/usr/bin/rustc")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("/usr/bin/rustc is not installed; .ci/setup installs it")
		}
		t.Skip("no /usr/bin/rustc")
	}
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "out"), 0o755)
	os.WriteFile(filepath.Join(dir, "ok.rs"), []byte("fn main() { println!(\"native\"); }\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "bad.rs"), []byte("fn main() { let x: u32 = \"s\"; }\n"), 0o644)
	svc := NewService(engine.Config{})
	defer svc.Close(context.Background())
	code, stderr, err := compile(t, svc, Request{Compiler: rustc, Dir: dir, Outputs: []string{"out/ok.wasm"},
		Args: []string{"ok.rs", "--target=wasm32-wasi", "--emit=link=out/ok.wasm"}})
	if err != nil || code != 0 {
		t.Fatalf("exit %d, %v: %s", code, err, stderr)
	}
	b, _ := os.ReadFile(filepath.Join(dir, "out", "ok.wasm"))
	if !bytes.HasPrefix(b, []byte("\x00asm")) {
		t.Fatal("out/ok.wasm is not a wasm module")
	}
	code, stderr, err = compile(t, svc, Request{Compiler: rustc, Dir: dir, Outputs: []string{"out/bad.wasm"},
		Args: []string{"bad.rs", "--target=wasm32-wasi", "--emit=link=out/bad.wasm"}})
	if err != nil || code != 1 || !strings.Contains(stderr, "error[E0308]: mismatched types") {
		t.Fatalf("exit %d, %v: %s", code, err, stderr)
	}
	if l := leftovers(t, dir); strings.Join(l, ",") != "out/ok.wasm" {
		t.Fatalf("out/ holds %v", l)
	}
	// Intermediate files went to the action's staging directory, not to
	// the working directory that a worker's requests share.
	ents, _ := os.ReadDir(dir)
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	if strings.Join(names, ",") != "bad.rs,ok.rs,out" {
		t.Fatalf("the working directory holds %v", names)
	}
}
