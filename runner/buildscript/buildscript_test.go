package buildscript

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/action"
	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/engine"
)

// rustc is Debian's rustc, which has the wasm32-wasi target (the rustc on
// PATH may be another one without it).
const rustc = "/usr/bin/rustc"

var (
	tmpDir  string
	eng     *engine.Engine
	engOnce sync.Once
	engErr  error

	buildMu sync.Mutex
	built   = map[bool]string{}
)

func TestMain(m *testing.M) {
	d, err := os.MkdirTemp("", "buildscript-test-")
	if err != nil {
		panic(err)
	}
	tmpDir = d
	code := m.Run()
	if eng != nil {
		eng.Close(context.Background())
	}
	os.RemoveAll(d)
	os.Exit(code)
}

// script builds testdata/build.rs, natively or for wasm32-wasi, once per
// test binary.
func script(t *testing.T, wasm bool) string {
	t.Helper()
	if _, err := os.Stat(rustc); err != nil {
		t.Skipf("%s is not installed (Debian's rustc with wasm32-wasi)", rustc)
	}
	buildMu.Lock()
	defer buildMu.Unlock()
	if p, ok := built[wasm]; ok {
		return p
	}
	out := filepath.Join(tmpDir, "build_script_build")
	args := []string{"--edition", "2021", "-C", "debuginfo=0"}
	if wasm {
		out += ".wasm"
		args = append(args, "--target", "wasm32-wasi")
	}
	args = append(args, "-o", out, filepath.Join("testdata", "build.rs"))
	if b, err := exec.Command(rustc, args...).CombinedOutput(); err != nil {
		t.Fatalf("building the build script: %v\n%s", err, b)
	}
	built[wasm] = out
	return out
}

// workspace lays out an action's working directory: pkg/ is the crate,
// whose input.txt is a link into src/ as in a Bazel sandbox.
func workspace(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "src"), 0o755)
	os.MkdirAll(filepath.Join(dir, "pkg"), 0o755)
	os.WriteFile(filepath.Join(dir, "src", "input.txt"), []byte("hello\n"), 0o644)
	if err := os.Symlink(filepath.Join(dir, "src", "input.txt"), filepath.Join(dir, "pkg", "input.txt")); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "pkg", "Cargo.toml"), []byte("[package]\nname = \"demo\"\n"), 0o644)
	return dir
}

// testEngine is the engine of the tests, made when one needs it (not in
// TestMain: a fuzzing worker needs none).
func testEngine() *engine.Engine {
	engOnce.Do(func() {
		eng, engErr = engine.New(context.Background(), engine.Config{CacheDir: filepath.Join(tmpDir, "cache")})
		if engErr != nil {
			panic(engErr)
		}
	})
	return eng
}

func request(dir, scriptPath, mode string) Request {
	return Request{
		Script:      scriptPath,
		OutDir:      "out/demo.out_dir",
		ManifestDir: "pkg",
		FlagsOut:    "out/demo.flags",
		EnvOut:      "out/demo.env",
		Env:         []string{"MODE=" + mode, "FROM_RULE=yes"},
		Target:      "x86_64-unknown-linux-gnu",
		Crate:       "demo",
		Dir:         dir,
		Engine:      testEngine(),
	}
}

func read(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// noOutputs checks that a failed run left nothing behind in out/.
func noOutputs(t *testing.T, dir string) {
	t.Helper()
	entries, _ := os.ReadDir(filepath.Join(dir, "out"))
	for _, e := range entries {
		t.Errorf("left behind: out/%s", e.Name())
	}
}

func forBoth(t *testing.T, f func(t *testing.T, wasm bool)) {
	for _, wasm := range []bool{false, true} {
		name := "native"
		if wasm {
			name = "wasm"
		}
		t.Run(name, func(t *testing.T) { f(t, wasm) })
	}
}

func TestSuccess(t *testing.T) {
	forBoth(t, func(t *testing.T, wasm bool) {
		dir := workspace(t)
		// Left over from a killed run (a staging directory whose lock
		// nobody holds): must not reach the outputs.
		os.MkdirAll(filepath.Join(dir, "out", ".build-script-tmp-0123456789ab", "demo.out_dir"), 0o755)
		os.WriteFile(filepath.Join(dir, "out", ".build-script-tmp-0123456789ab", "demo.out_dir", "stale"), nil, 0o644)
		os.MkdirAll(filepath.Join(dir, "out", "demo.out_dir"), 0o755)
		os.WriteFile(filepath.Join(dir, "out", "demo.out_dir", "stale"), nil, 0o644)

		var stderr bytes.Buffer
		req := request(dir, script(t, wasm), "ok")
		req.Args = []string{"a", "b c"}
		req.ExtraCfgs = []string{"extra", `kind="user"`}
		req.WasmCfgs = []string{"wasm_only"}
		// A file below the action's directory, not the manifest's; --env wins.
		req.EnvPaths = []action.EnvPath{{Name: "RUSTC", Path: "src/input.txt"}, {Name: "FROM_RULE", Path: "src"}}
		req.Stderr = &stderr
		if err := Run(context.Background(), req); err != nil {
			var f *Failure
			if errors.As(err, &f) {
				f.Report(&stderr)
			}
			t.Fatalf("%v\n%s", err, stderr.String())
		}
		wantFlags := `--cfg=old_form
--cfg=new_form
--cfg=feature="from_script"
--check-cfg=cfg(old_form)
-Lnative=out/demo.out_dir
-lstatic=foo
-lbar
-Lnative=/opt/lib
--cfg=extra
--cfg=kind="user"
`
		if wasm {
			wantFlags += "--cfg=wasm_only\n"
		}
		if got := read(t, filepath.Join(dir, "out", "demo.flags")); got != wantFlags {
			t.Errorf("flags:\n%s\nwant:\n%s", got, wantFlags)
		}
		wantEnv := `INPUT=hello
INPUT2=hello
INPUT3=hello
GEN=out/demo.out_dir/generated.rs
FROM_RULE=yes
HOME_SEEN=false
RUSTC_FOUND=` + strconv.FormatBool(!wasm) + `
ARGS=a,b c
`
		if got := read(t, filepath.Join(dir, "out", "demo.env")); got != wantEnv {
			t.Errorf("env:\n%s\nwant:\n%s", got, wantEnv)
		}
		if got := read(t, filepath.Join(dir, "out", "demo.out_dir", "generated.rs")); got != "pub const ANSWER: u32 = 42;\n" {
			t.Errorf("generated.rs: %q", got)
		}
		if got := read(t, filepath.Join(dir, "out", "demo.out_dir", "sub", "nested.txt")); got != "nested\n" {
			t.Errorf("nested.txt: %q", got)
		}
		entries, _ := os.ReadDir(filepath.Join(dir, "out"))
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		if got := strings.Join(names, " "); got != "demo.env demo.flags demo.out_dir" {
			t.Errorf("out/ holds %s", got)
		}
		if _, err := os.Stat(filepath.Join(dir, "out", "demo.out_dir", "stale")); err == nil {
			t.Errorf("OUT_DIR kept a file from before the run")
		}
		wantWarn := "warning: demo@build-script: be careful\nwarning: demo@build-script: new form warning\n"
		if stderr.String() != wantWarn {
			t.Errorf("stderr:\n%s\nwant:\n%s", stderr.String(), wantWarn)
		}
	})
}

func TestFailureLeavesNothing(t *testing.T) {
	forBoth(t, func(t *testing.T, wasm bool) {
		dir := workspace(t)
		// Outputs of an earlier run must not survive a failed one.
		os.MkdirAll(filepath.Join(dir, "out", "demo.out_dir"), 0o755)
		os.WriteFile(filepath.Join(dir, "out", "demo.flags"), []byte("--cfg=old\n"), 0o644)
		os.WriteFile(filepath.Join(dir, "out", "demo.env"), []byte("OLD=1\n"), 0o644)
		err := Run(context.Background(), request(dir, script(t, wasm), "fail"))
		var f *Failure
		if !errors.As(err, &f) {
			t.Fatalf("got %v, want a *Failure", err)
		}
		if f.Code != 3 || f.Trap != nil {
			t.Errorf("code %d, trap %v; want exit 3", f.Code, f.Trap)
		}
		var report bytes.Buffer
		f.Report(&report)
		for _, want := range []string{
			"build script of crate demo failed (exit 3)\n",
			"--- stderr of the build script:\nsomething went wrong\n",
			"--- stdout of the build script:\ncargo:rustc-cfg=before_failing\n",
		} {
			if !strings.Contains(report.String(), want) {
				t.Errorf("report lacks %q:\n%s", want, report.String())
			}
		}
		noOutputs(t, dir)
	})
}

func TestWriteOutsideOutDir(t *testing.T) {
	t.Run("native", func(t *testing.T) {
		dir := workspace(t)
		err := Run(context.Background(), request(dir, script(t, false), "outside"))
		var f *Failure
		if !errors.As(err, &f) {
			t.Fatalf("got %v, want a *Failure", err)
		}
		var report bytes.Buffer
		f.Report(&report)
		if !strings.Contains(report.String(), "failed (it wrote outside OUT_DIR)") || !strings.Contains(report.String(), "stray.txt (new)") {
			t.Errorf("report:\n%s", report.String())
		}
		if f.Code != 1 {
			t.Errorf("code %d, want 1", f.Code)
		}
		noOutputs(t, dir)
	})
	t.Run("native through a link", func(t *testing.T) {
		dir := workspace(t)
		err := Run(context.Background(), request(dir, script(t, false), "modify"))
		var f *Failure
		if !errors.As(err, &f) || !strings.Contains(f.Detail, "input.txt (changed)") {
			t.Fatalf("got %v (%+v), want a failure naming input.txt", err, f)
		}
		noOutputs(t, dir)
	})
	t.Run("wasm", func(t *testing.T) {
		dir := workspace(t)
		err := Run(context.Background(), request(dir, script(t, true), "outside"))
		var f *Failure
		if !errors.As(err, &f) {
			t.Fatalf("got %v, want a *Failure", err)
		}
		if f.Trap == nil {
			t.Errorf("a panicking wasm script should trap (panic=abort); got %v", err)
		}
		var report bytes.Buffer
		f.Report(&report)
		for _, want := range []string{"failed (trapped)", "cannot write stray.txt outside OUT_DIR", "is read-only"} {
			if !strings.Contains(report.String(), want) {
				t.Errorf("report lacks %q:\n%s", want, report.String())
			}
		}
		if _, err := os.Stat(filepath.Join(dir, "pkg", "stray.txt")); err == nil {
			t.Errorf("the wasm script wrote into the read-only manifest directory")
		}
		noOutputs(t, dir)
	})
}

func TestLinkLibOnWasm32(t *testing.T) {
	forBoth(t, func(t *testing.T, wasm bool) {
		dir := workspace(t)
		req := request(dir, script(t, wasm), "link")
		req.Target = "wasm32-wasi"
		err := Run(context.Background(), req)
		var f *Failure
		if !errors.As(err, &f) || !strings.Contains(err.Error(), "bad output") ||
			!strings.Contains(f.Detail, `crate demo asks to link the native library "ssl"`) {
			t.Fatalf("got %v (%+v)", err, f)
		}
		noOutputs(t, dir)

		req.Target = "x86_64-unknown-linux-gnu"
		if err := Run(context.Background(), req); err != nil {
			t.Fatal(err)
		}
		if got := read(t, filepath.Join(dir, "out", "demo.flags")); got != "--cfg=linked\n-lssl\n" {
			t.Errorf("flags %q", got)
		}
	})
}

func TestUnknownNewFormKey(t *testing.T) {
	dir := workspace(t)
	err := Run(context.Background(), request(dir, script(t, false), "unknown"))
	var f *Failure
	if !errors.As(err, &f) || !strings.Contains(f.Detail, `unknown key "frobnicate"`) {
		t.Fatalf("got %v (%+v)", err, f)
	}
	noOutputs(t, dir)
}

func TestRunnerErrors(t *testing.T) {
	dir := workspace(t)
	native := script(t, false)
	for _, tc := range []struct {
		name string
		edit func(*Request)
		want string
	}{
		{"no out dir", func(r *Request) { r.OutDir = "" }, "--out-dir is required"},
		{"no manifest dir", func(r *Request) { r.ManifestDir = "" }, "--manifest-dir is required"},
		{"missing manifest dir", func(r *Request) { r.ManifestDir = "nope" }, "--manifest-dir nope"},
		{"missing script", func(r *Request) { r.Script = "nope/build.wasm" }, "build script nope/build.wasm: no such file"},
		{"bad env", func(r *Request) { r.Env = []string{"NOEQUALS"} }, "want NAME=VALUE"},
		{"env sets OUT_DIR", func(r *Request) { r.Env = []string{"OUT_DIR=/x"} }, "the runner sets OUT_DIR"},
		{"env path sets CARGO_MANIFEST_DIR", func(r *Request) { r.EnvPaths = []action.EnvPath{{Name: "CARGO_MANIFEST_DIR", Path: "x"}} }, "the runner sets CARGO_MANIFEST_DIR"},
		{"not a module", func(r *Request) {
			os.WriteFile(filepath.Join(dir, "bad.wasm"), []byte("not wasm"), 0o644)
			r.Script = "bad.wasm"
		}, "build script bad.wasm"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req := request(dir, native, "ok")
			tc.edit(&req)
			err := Run(context.Background(), req)
			var f *Failure
			if err == nil || errors.As(err, &f) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want a runner error with %q", err, tc.want)
			}
			noOutputs(t, dir)
		})
	}
}

func TestGuestOutDirAvoidsManifestEntries(t *testing.T) {
	dir := t.TempDir()
	if g := guestOutDir(dir); g != "/out_dir" {
		t.Errorf("got %s", g)
	}
	os.Mkdir(filepath.Join(dir, "out_dir"), 0o755)
	os.WriteFile(filepath.Join(dir, "out_dir.2"), nil, 0o644)
	if g := guestOutDir(dir); g != "/out_dir.3" {
		t.Errorf("got %s", g)
	}
}

func TestSnapshot(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "src"), 0o755)
	os.MkdirAll(filepath.Join(dir, "bazel-out", "bin"), 0o755)
	os.WriteFile(filepath.Join(dir, "src", "lib.rs"), []byte("a"), 0o644)
	os.WriteFile(filepath.Join(dir, "gone.txt"), nil, 0o644)
	os.Symlink(filepath.Join(dir, "src", "lib.rs"), filepath.Join(dir, "link.rs"))
	skip := filepath.Join(dir, "bazel-out")
	before, err := takeSnapshot(dir, skip)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "src", "lib.rs"), []byte("ab"), 0o644)
	os.Remove(filepath.Join(dir, "gone.txt"))
	os.WriteFile(filepath.Join(dir, "src", "new.rs"), nil, 0o644)
	os.WriteFile(filepath.Join(dir, "bazel-out", "bin", "other_action"), nil, 0o644)
	after, err := takeSnapshot(dir, skip)
	if err != nil {
		t.Fatal(err)
	}
	want := "gone.txt (removed)|link.rs (changed)|src/lib.rs (changed)|src/new.rs (new)"
	if got := strings.Join(before.changes(after), "|"); got != want {
		t.Errorf("changes %s, want %s", got, want)
	}
}

// shellScript writes an executable shell script into dir and returns its
// name there.
func shellScript(t *testing.T, dir, body string) string {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, "build.sh"), []byte("#!/bin/sh\n"+body), 0o755); err != nil {
		t.Fatal(err)
	}
	return "build.sh"
}

// TestTimeout: --timeout stops a script that computes forever, natively
// and in wazero (before, build-script had no timeout), and leaves nothing.
func TestTimeout(t *testing.T) {
	forBoth(t, func(t *testing.T, wasm bool) {
		dir := workspace(t)
		req := request(dir, script(t, wasm), "spin")
		req.Timeout = 300 * time.Millisecond
		err := Run(context.Background(), req)
		var f *Failure
		if !errors.As(err, &f) || f.Timeout != req.Timeout || f.Error() != "build script of crate demo failed (it did not finish within 300ms)" {
			t.Fatalf("got %v (%+v)", err, f)
		}
		noOutputs(t, dir)
	})
}

// alive reports whether the process pid runs (a zombie does not).
func alive(pid int) bool {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	_, rest, _ := strings.Cut(string(b), ") ")
	return !strings.HasPrefix(rest, "Z") && !strings.HasPrefix(rest, "X")
}

// TestChildHoldingStdout: a native script that exits while a child of its
// holds its stdout. Before, the action waited for the child (30 s here)
// and took the child's late cargo: line; now the script's process group
// is killed when it exits, and its output ends there.
func TestChildHoldingStdout(t *testing.T) {
	dir := workspace(t)
	req := request(dir, shellScript(t, dir, `(sleep 30; echo cargo:rustc-cfg=late) &
echo $! > "$OUT_DIR/child"
echo cargo:rustc-cfg=early
`), "")
	start := time.Now()
	if err := Run(context.Background(), req); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("the run took %v: it waited for the child", d)
	}
	if got := read(t, filepath.Join(dir, "out", "demo.flags")); got != "--cfg=early\n" {
		t.Errorf("flags %q", got)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(read(t, filepath.Join(dir, "out", "demo.out_dir", "child"))))
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; alive(pid); i++ {
		if i == 100 {
			t.Fatalf("the script's child %d outlived it", pid)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestCanceledScriptLeavesNothing: canceling the run (SIGTERM does) kills
// the script's whole process group and removes what it staged.
func TestCanceledScriptLeavesNothing(t *testing.T) {
	dir := workspace(t)
	req := request(dir, shellScript(t, dir, `sleep 30 &
echo $! > "$OUT_DIR/child"
wait
`), "")
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- Run(ctx, req) }()
	var pid int
	for pid == 0 {
		// OUT_DIR while the script runs, in its staging directory.
		staged, _ := filepath.Glob(filepath.Join(dir, "out", ".build-script-tmp-*", "demo.out_dir", "child"))
		if len(staged) == 1 {
			b, _ := os.ReadFile(staged[0])
			pid, _ = strconv.Atoi(strings.TrimSpace(string(b)))
		}
		time.Sleep(10 * time.Millisecond)
	}
	start := time.Now()
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want context.Canceled", err)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("the cancel took %v: it waited for the child", d)
	}
	noOutputs(t, dir)
	for i := 0; alive(pid); i++ {
		if i == 100 {
			t.Fatalf("the script's child %d outlived the cancel", pid)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestOutputsThatNameInputs: an output flag that names the working
// directory, the manifest directory, a file in it, the script or a parent
// of one is an error, and nothing is removed. (Before, --out-dir . removed
// the whole working directory, --out-dir pkg the package, and --flags-out
// pkg/Cargo.toml overwrote the manifest.)
func TestOutputsThatNameInputs(t *testing.T) {
	for _, tc := range []struct {
		name string
		edit func(*Request)
		want string
	}{
		{"out dir is the working directory", func(r *Request) { r.OutDir = "." }, "--out-dir .: an output may not be the working directory or a parent of it"},
		{"out dir is a parent of it", func(r *Request) { r.OutDir = ".." }, "--out-dir ..: an output may not be the working directory"},
		{"out dir is the package", func(r *Request) { r.OutDir = "pkg" }, "--out-dir pkg: the output is the input --manifest-dir pkg"},
		{"out dir is the package, spelled otherwise", func(r *Request) { r.OutDir = "src/../pkg/" }, "the output is the input --manifest-dir pkg"},
		{"out dir is a link to the package", func(r *Request) { r.OutDir = "pkglink" }, "the output is the input --manifest-dir pkg"},
		{"flags out is the manifest", func(r *Request) { r.FlagsOut = "pkg/Cargo.toml" }, "--flags-out pkg/Cargo.toml: the output lies in --manifest-dir pkg"},
		{"env out in the package", func(r *Request) { r.EnvOut = "pkg/new/env" }, "--env-out pkg/new/env: the output lies in --manifest-dir pkg"},
		{"env out is the script", func(r *Request) { r.EnvOut = "build.sh" }, "--env-out build.sh: the output is the input build script build.sh"},
		{"out dir holds the script", func(r *Request) { r.Script, r.OutDir = "out/build.sh", "out" }, "--out-dir out: the output is a parent of the input build script out/build.sh"},
		{"two outputs at one path", func(r *Request) { r.EnvOut = r.FlagsOut }, "--env-out out/demo.flags: the output is, holds or lies in the output --flags-out out/demo.flags"},
		{"flags out in the out dir", func(r *Request) { r.FlagsOut = "out/demo.out_dir/flags" }, "lies in the output --out-dir out/demo.out_dir"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := workspace(t)
			os.Symlink("pkg", filepath.Join(dir, "pkglink"))
			os.MkdirAll(filepath.Join(dir, "out"), 0o755)
			script := shellScript(t, dir, "echo cargo:rustc-cfg=x\n")
			os.WriteFile(filepath.Join(dir, "out", "build.sh"), []byte("#!/bin/sh\n"), 0o755)
			req := request(dir, script, "")
			tc.edit(&req)
			err := Run(context.Background(), req)
			var f *Failure
			if err == nil || errors.As(err, &f) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want a runner error with %q", err, tc.want)
			}
			for _, p := range []string{"pkg/Cargo.toml", "pkg/input.txt", "src/input.txt", "build.sh", "out/build.sh"} {
				if _, err := os.Stat(filepath.Join(dir, p)); err != nil {
					t.Errorf("%s is gone: %v", p, err)
				}
			}
			if got := read(t, filepath.Join(dir, "pkg", "Cargo.toml")); got != "[package]\nname = \"demo\"\n" {
				t.Errorf("Cargo.toml was overwritten: %q", got)
			}
		})
	}
}

// TestCrateAtTheWorkspaceRoot: the manifest directory is the working
// directory, and the outputs are below its bazel-out/: that is allowed.
func TestCrateAtTheWorkspaceRoot(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "Cargo.toml"), nil, 0o644)
	req := Request{Script: shellScript(t, dir, "echo cargo:rustc-cfg=root\n"), ManifestDir: ".", Dir: dir, Crate: "root",
		OutDir: "bazel-out/bin/root.out_dir", FlagsOut: "bazel-out/bin/root.flags", EnvOut: "bazel-out/bin/root.env"}
	if err := Run(context.Background(), req); err != nil {
		t.Fatal(err)
	}
	if got := read(t, filepath.Join(dir, "bazel-out", "bin", "root.flags")); got != "--cfg=root\n" {
		t.Errorf("flags %q", got)
	}
	req.FlagsOut = "Cargo.toml"
	if err := Run(context.Background(), req); err == nil || !strings.Contains(err.Error(), "lies in --manifest-dir .") {
		t.Errorf("an output among the root crate's files: %v", err)
	}
}

// TestLoudScript: what a script prints does not all stay in memory: only
// its cargo: lines are kept, and a failure's report shows a bounded
// excerpt of each stream (before, 1 GiB of stdout took 4.2 GB; a failure
// echoed all of it). The process-level memory check is the runner's
// TestBuildScriptMemoryIsBounded.
func TestLoudScript(t *testing.T) {
	forBoth(t, func(t *testing.T, wasm bool) {
		dir := workspace(t)
		req := request(dir, script(t, wasm), "loud")
		req.Env = append(req.Env, "LOUD_BYTES=33554432")
		if err := Run(context.Background(), req); err != nil {
			t.Fatal(err)
		}
		if got := read(t, filepath.Join(dir, "out", "demo.flags")); got != "--cfg=after_the_noise\n" {
			t.Errorf("flags %q", got)
		}
	})
	dir := workspace(t)
	req := request(dir, shellScript(t, dir, `head -c 67108864 /dev/zero | tr '\0' x >&2
printf '\033[2J\033]0;owned\007the end\n' >&2
exit 1
`), "")
	err := Run(context.Background(), req)
	var f *Failure
	if !errors.As(err, &f) {
		t.Fatalf("got %v", err)
	}
	var report bytes.Buffer
	f.Report(&report)
	r := report.String()
	if len(r) > ReportHead+ReportTail+4096 || !strings.Contains(r, "bytes of the script's stderr left out ...]") {
		t.Errorf("a report of %d bytes", len(r))
	}
	// Control characters from the script are escaped, not sent to the
	// terminal.
	if strings.ContainsAny(r, "\x1b\x07") || !strings.Contains(r, `\x1b[2J\x1b]0;owned\x07the end`) {
		t.Errorf("report ends %q", r[len(r)-200:])
	}
}
