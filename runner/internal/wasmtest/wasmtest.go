// Package wasmtest builds the real WebAssembly programs the runner's tests
// run: Go GOOS=wasip1 programs, C programs built with clang-19 and wasi-libc
// (thread programs among them), and .wat files assembled with wabt. Each is
// built once per test binary.
//
// A missing tool skips the test on a developer's machine and fails it in CI
// (CI=true; .bazelrc passes $CI on to bazel test), where .ci/setup has
// installed every tool. A test package that uses wasmtest runs its tests
// through Main, which removes what was built.
package wasmtest

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
)

var (
	mu    sync.Mutex
	built = map[string]string{}
	dir   string
)

// What bazel test gives a test, read when the test binary starts, so that
// a test may then unset Bazel's variables (see runner/main_test.go):
// runfiles is the workspace's directory in the test's runfiles ("" under
// go test), testTmp the test's own temporary directory.
var (
	runfiles = func() string {
		if os.Getenv("TEST_SRCDIR") == "" {
			return ""
		}
		return filepath.Join(os.Getenv("TEST_SRCDIR"), os.Getenv("TEST_WORKSPACE"))
	}()
	testTmp = os.Getenv("TEST_TMPDIR")
)

// Testdata is the absolute path of runner/testdata.
func Testdata() string {
	_, file, _, _ := runtime.Caller(0)
	if !filepath.IsAbs(file) {
		// Built by Bazel, the path is the workspace's: under bazel test the
		// workspace is $TEST_SRCDIR/$TEST_WORKSPACE, the test's runfiles.
		file = filepath.Join(runfiles, file)
	}
	return filepath.Join(filepath.Dir(file), "..", "..", "testdata")
}

func need(t testing.TB, tool string) string {
	t.Helper()
	p, err := exec.LookPath(tool)
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s is not installed; .ci/setup installs it", tool)
		}
		t.Skipf("%s is not installed (bash .ci/setup installs it)", tool)
	}
	return p
}

// Main runs the tests of m and removes what wasmtest built for them; a
// test package's TestMain is os.Exit(wasmtest.Main(m)).
func Main(m *testing.M) int {
	code := m.Run()
	mu.Lock()
	defer mu.Unlock()
	if dir != "" {
		os.RemoveAll(dir)
		dir, built = "", map[string]string{}
	}
	return code
}

// once builds the output named key (a path below the build directory)
// with build, once per test binary.
func once(t testing.TB, key string, build func(out string) (*exec.Cmd, error)) string {
	t.Helper()
	mu.Lock()
	defer mu.Unlock()
	if p, ok := built[key]; ok {
		return p
	}
	if dir == "" {
		d, err := os.MkdirTemp("", "wasmtest-")
		if err != nil {
			t.Fatal(err)
		}
		dir = d
	}
	out := filepath.Join(dir, key)
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		t.Fatal(err)
	}
	cmd, err := build(out)
	if err != nil {
		t.Fatal(err)
	}
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("building %s: %v\n%s", key, err, b)
	}
	built[key] = out
	return out
}

// GoProgram builds runner/testdata/NAME with GOOS=wasip1.
func GoProgram(t testing.TB, name string) string {
	t.Helper()
	return GoProgramAt(t, filepath.Join("runner", "testdata", name))
}

// GoProgramAt builds the Go package in DIR, relative to the repository's
// root, with GOOS=wasip1. The package may import only the standard library:
// under bazel test there is no module cache.
func GoProgramAt(t testing.TB, dir string) string {
	t.Helper()
	goTool, env := goCommand(t)
	return once(t, "go-"+filepath.Base(dir)+".wasm", func(out string) (*exec.Cmd, error) {
		cmd := exec.Command(goTool, "build", "-trimpath", "-o", out, ".")
		cmd.Dir = filepath.Join(Testdata(), "..", "..", dir)
		cmd.Env = append(append(os.Environ(), env...), "GOOS=wasip1", "GOARCH=wasm", "CGO_ENABLED=0")
		return cmd, nil
	})
}

// goCommand is the go command and the environment it needs. Under bazel
// test it is the Go SDK's, named by $RULES_RUSTC_WASM_GO (the go_test's
// env: its rootpath among the test's data), offline and with its caches
// in the test's temporary directory; under go test it is the one that
// built the test.
func goCommand(t testing.TB) (string, []string) {
	t.Helper()
	rel := os.Getenv("RULES_RUSTC_WASM_GO")
	if rel == "" {
		if root := runtime.GOROOT(); root != "" {
			return filepath.Join(root, "bin", "go"), nil
		}
		return need(t, "go"), nil
	}
	// A rootpath is relative to the workspace's runfiles; rules_go runs
	// a test in its package's directory.
	if runfiles == "" {
		t.Fatalf("$RULES_RUSTC_WASM_GO=%s is a runfiles path, but $TEST_SRCDIR is not set: run the test with bazel test", rel)
	}
	goTool := filepath.Join(runfiles, rel)
	tmp := testTmp
	if tmp == "" {
		tmp = t.TempDir()
	}
	return goTool, []string{
		"GOROOT=" + filepath.Dir(filepath.Dir(goTool)),
		"GOCACHE=" + filepath.Join(tmp, "gocache"),
		"GOPATH=" + filepath.Join(tmp, "gopath"),
		"HOME=" + tmp,
		"GOPROXY=off", "GOTOOLCHAIN=local", "GOFLAGS=-mod=readonly",
	}
}

// C builds C (and assembly) sources from runner/testdata/c with clang-19
// and wasi-libc. threads adds what a raw wasi-threads program needs: atomics,
// an imported shared memory and the wasi_thread_start export.
func C(t testing.TB, threads bool, srcs ...string) string {
	t.Helper()
	clang := need(t, "clang-19")
	key := "c-" + strings.Join(srcs, "-") + ".wasm"
	return once(t, key, func(out string) (*exec.Cmd, error) {
		args := []string{"--target=wasm32-wasi", "--sysroot=/usr", "-O2", "-o", out}
		if threads {
			args = append(args, "-matomics", "-mbulk-memory", "-Wl,--shared-memory", "-Wl,--import-memory",
				"-Wl,--max-memory=67108864", "-Wl,--no-check-features", "-Wl,--export=wasi_thread_start")
		}
		for _, s := range srcs {
			args = append(args, filepath.Join(Testdata(), "c", s))
		}
		return exec.Command(clang, args...), nil
	})
}

// Wat assembles runner/testdata/wat/NAME.wat with threads enabled.
func Wat(t testing.TB, name string) string {
	t.Helper()
	wat2wasm := need(t, "wat2wasm")
	return once(t, "wat-"+name+".wasm", func(out string) (*exec.Cmd, error) {
		return exec.Command(wat2wasm, "--enable-threads", filepath.Join(Testdata(), "wat", name+".wat"), "-o", out), nil
	})
}

// rustc is Debian's rustc, which has the wasm32-wasi standard library.
const rustc = "/usr/bin/rustc"

// RustTest builds the Rust file src (relative to the test's package) with
// rustc --test for wasm32-wasi: a libtest harness as a WASI command, named
// <stem>.wasm (the test verb names a JUnit suite after it).
func RustTest(t testing.TB, src string) string {
	t.Helper()
	rc := need(t, rustc)
	stem := strings.TrimSuffix(filepath.Base(src), ".rs")
	key := filepath.Join("rust-test", strings.ReplaceAll(filepath.Clean(src), string(filepath.Separator), "_"), stem+".wasm")
	return once(t, key, func(out string) (*exec.Cmd, error) {
		return exec.Command(rc, "--test", "--target", "wasm32-wasi", "--edition=2021", "-o", out, src), nil
	})
}

// MacroModule builds the Rust file src (such as testdata/m.rs, relative to
// the test's package) into a wasm proc-macro module as the rules do with a
// native rustc: our proc_macro crate for
// wasm32-wasi, our attribute macros (native), the root's attributes renamed
// by rename (macrobuild.RenameAttributes with the key the test chooses), a
// wasm32-wasi cdylib lib<stem>.wasm.
func MacroModule(t testing.TB, src string, rename func(path string, src []byte) ([]byte, error)) string {
	t.Helper()
	rc := need(t, rustc)
	lib := filepath.Join(Testdata(), "..", "..", "proc_macro_wasm")
	api := once(t, "libproc_macro.rlib", func(out string) (*exec.Cmd, error) {
		return exec.Command(rc, filepath.Join(lib, "proc_macro", "lib.rs"), "--crate-name", "proc_macro", "--crate-type", "rlib",
			"--edition", "2021", "--target", "wasm32-wasi", "-O", "-o", out), nil
	})
	attrs := once(t, "librules_rustc_wasm_attrs.so", func(out string) (*exec.Cmd, error) {
		return exec.Command(rc, filepath.Join(lib, "attrs", "lib.rs"), "--crate-name", "rules_rustc_wasm_attrs", "--crate-type", "proc-macro",
			"--edition", "2021", "-o", out), nil
	})
	stem := strings.TrimSuffix(filepath.Base(src), ".rs")
	return once(t, "lib"+stem+".wasm", func(out string) (*exec.Cmd, error) {
		text, err := os.ReadFile(src)
		if err != nil {
			return nil, err
		}
		root, err := rename(src, text)
		if err != nil {
			return nil, err
		}
		renamed := filepath.Join(filepath.Dir(out), stem+".rs")
		if err := os.WriteFile(renamed, root, 0o644); err != nil {
			return nil, err
		}
		return exec.Command(rc, renamed, "--crate-name", stem, "--crate-type", "cdylib", "--edition", "2021", "--target", "wasm32-wasi", "-O",
			"--extern", "proc_macro="+api, "--extern", "rules_rustc_wasm_attrs="+attrs, "-o", out), nil
	})
}
