package buildscript

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/engine"
)

// rustc is Debian's rustc, which has the wasm32-wasi target (the rustc on
// PATH may be another one without it).
const rustc = "/usr/bin/rustc"

var (
	tmpDir string
	eng    *engine.Engine

	buildMu sync.Mutex
	built   = map[bool]string{}
)

func TestMain(m *testing.M) {
	d, err := os.MkdirTemp("", "buildscript-test-")
	if err != nil {
		panic(err)
	}
	tmpDir = d
	eng, err = engine.New(context.Background(), engine.Config{CacheDir: filepath.Join(d, "cache")})
	if err != nil {
		panic(err)
	}
	code := m.Run()
	eng.Close(context.Background())
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
		Engine:      eng,
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
		// Left over from a killed run: must not reach the outputs.
		os.MkdirAll(filepath.Join(dir, "out", ".demo.out_dir.build-script-tmp"), 0o755)
		os.WriteFile(filepath.Join(dir, "out", ".demo.out_dir.build-script-tmp", "stale"), nil, 0o644)
		os.MkdirAll(filepath.Join(dir, "out", "demo.out_dir"), 0o755)
		os.WriteFile(filepath.Join(dir, "out", "demo.out_dir", "stale"), nil, 0o644)

		var stderr bytes.Buffer
		req := request(dir, script(t, wasm), "ok")
		req.Args = []string{"a", "b c"}
		req.ExtraCfgs = []string{"extra", `kind="user"`}
		req.WasmCfgs = []string{"wasm_only"}
		// A file below the action's directory, not the manifest's; --env wins.
		req.EnvPaths = []EnvPath{{"RUSTC", "src/input.txt"}, {"FROM_RULE", "src"}}
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
		{"env path sets CARGO_MANIFEST_DIR", func(r *Request) { r.EnvPaths = []EnvPath{{"CARGO_MANIFEST_DIR", "x"}} }, "the runner sets CARGO_MANIFEST_DIR"},
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
