package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/internal/wasmtest"
)

type result struct {
	code           int
	stdout, stderr string
}

// runVerb runs "runner run ARGS" in-process with stdin.
func runVerb(t *testing.T, stdin string, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	code := runMain(append([]string{"--cache-dir", cacheDir}, args...), strings.NewReader(stdin), &out, &errb)
	return result{code, out.String(), errb.String()}
}

func expect(t *testing.T, r result, code int, stdout string) {
	t.Helper()
	if r.code != code || r.stdout != stdout {
		t.Fatalf("got exit %d, stdout:\n%s\nwant exit %d, stdout:\n%s\nstderr:\n%s", r.code, r.stdout, code, stdout, r.stderr)
	}
}

func TestArgsAndArgv0(t *testing.T) {
	prog := wasmtest.GoProgram(t, "goprog")
	expect(t, runVerb(t, "", prog, "args", "-x", "--y", "two words"), 0,
		filepath.Base(prog)+"\nargs\n-x\n--y\ntwo words\n")
	expect(t, runVerb(t, "", "--argv0", "rustc", prog, "args"), 0, "rustc\nargs\n")
}

func TestEnv(t *testing.T) {
	prog := wasmtest.GoProgram(t, "goprog")
	t.Setenv("RUNNER_TEST_HOST_VAR", "from-host")
	expect(t, runVerb(t, "", "--env", "B=2", "--env", "A=1=x", "--env", "RUNNER_TEST_HOST_VAR", prog, "env"), 0,
		"A=1=x\nB=2\nRUNNER_TEST_HOST_VAR=from-host\n")
}

func TestExitCodesAndStdio(t *testing.T) {
	prog := wasmtest.GoProgram(t, "goprog")
	for _, code := range []int{0, 1, 3, 77} {
		r := runVerb(t, "", prog, "exit", itoa(code))
		expect(t, r, code, "")
		if want := "exiting with " + itoa(code) + "\n"; r.stderr != want {
			t.Errorf("stderr %q, want %q", r.stderr, want)
		}
	}
	expect(t, runVerb(t, "line one\nline two\n", prog, "cat"), 0, "line one\nline two\n")
}

func itoa(n int) string { return strconv.Itoa(n) }

func TestFilesAndDirectories(t *testing.T) {
	prog := wasmtest.GoProgram(t, "goprog")
	dir := t.TempDir()
	expect(t, runVerb(t, "", "--dir", dir+"::/", prog, "files"), 0, `read: "hello world\n"
size: 12 dir: false
old name gone: true
entry: b.txt false
entry: c.txt false
entry: deeper true
remove non-empty dir fails: true
missing is not-exist: true
`)
	b, err := os.ReadFile(filepath.Join(dir, "sub", "b.txt"))
	if err != nil || string(b) != "hello world\n" {
		t.Fatalf("host sees %q, %v", b, err)
	}
	fi, err := os.Stat(filepath.Join(dir, "sub", "b.txt"))
	if err != nil {
		t.Fatal(err)
	}
	// Created with ordinary permissions (0644 under the usual umask), not 0600.
	if fi.Mode().Perm()&0o044 == 0 {
		t.Errorf("file mode %v: group/other cannot read", fi.Mode())
	}
}

func TestReadOnlyDir(t *testing.T) {
	prog := wasmtest.GoProgram(t, "goprog")
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "existing.txt"), []byte("kept"), 0o644)
	expect(t, runVerb(t, "", "--ro-dir", dir+"::/", prog, "readonly"), 0, "write refused: true\nread: \"kept\"\n")
	if _, err := os.Stat(filepath.Join(dir, "new.txt")); !os.IsNotExist(err) {
		t.Fatalf("a read-only mount was written: %v", err)
	}
}

// TestEscapes tries every way out of a mount; each must fail with EPERM (63)
// or ENOENT (44), and nothing outside may be read or created.
func TestEscapes(t *testing.T) {
	prog := wasmtest.C(t, false, "paths.c")
	top := t.TempDir()
	mnt := filepath.Join(top, "mnt")
	os.MkdirAll(filepath.Join(mnt, "sub"), 0o755)
	os.WriteFile(filepath.Join(top, "secret"), []byte("secret"), 0o644)
	os.WriteFile(filepath.Join(mnt, "file"), []byte("inside"), 0o644)
	os.Symlink(filepath.Join(top, "secret"), filepath.Join(mnt, "abs-link"))
	os.Symlink("../secret", filepath.Join(mnt, "rel-link"))
	os.Symlink("..", filepath.Join(mnt, "up"))
	r := runVerb(t, "", "--dir", mnt+"::/", prog,
		"open:../secret",
		"open:sub/../../secret",
		"open:"+filepath.Join(top, "secret"),
		"open:abs-link",
		"open:rel-link",
		"open:up/secret",
		"stat:..",
		"create:../created",
		"mkdir:../made",
		"symlink:../secret:new-link",
		"open:new-link",
		"symlink:/etc/passwd:abs-new-link",
		"rename:file:../moved",
		"read:sub/../file",
		"read:./file",
	)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	want := `open ../secret -> 63
open sub/../../secret -> 63
open ` + filepath.Join(top, "secret") + ` -> 63
open abs-link -> 63
open rel-link -> 63
open up/secret -> 63
stat .. -> 63
create ../created -> 63
mkdir ../made -> 63
symlink ../secret -> 63
open new-link -> 44
symlink /etc/passwd -> 63
rename file -> 63
content sub/../file: inside
read sub/../file -> 0
content ./file: inside
read ./file -> 0
`
	if r.stdout != want {
		t.Fatalf("got:\n%s\nwant:\n%s", r.stdout, want)
	}
	for _, p := range []string{"created", "made", "moved"} {
		if _, err := os.Lstat(filepath.Join(top, p)); !os.IsNotExist(err) {
			t.Errorf("%s was created outside the mount", p)
		}
	}
}

// TestWasiSemantics pins behaviours the official WASI test suite checks
// (testing/conformance/wasitestsuite runs it), so that they stay without the suite.
func TestWasiSemantics(t *testing.T) {
	prog := wasmtest.C(t, false, "paths.c")
	mnt := t.TempDir()
	os.MkdirAll(filepath.Join(mnt, "sub"), 0o755)
	os.MkdirAll(filepath.Join(mnt, "src-dir", "inner"), 0o755)
	os.MkdirAll(filepath.Join(mnt, "empty-dir"), 0o755)
	os.MkdirAll(filepath.Join(mnt, "full-dir", "x"), 0o755)
	os.WriteFile(filepath.Join(mnt, "file"), []byte("data"), 0o644)
	os.Symlink("file", filepath.Join(mnt, "link"))
	r := runVerb(t, "", "--dir", mnt+"::/", prog,
		"opendir-write:sub",         // EISDIR: a directory is not writable
		"write-readonly:file",       // EBADF: no fd_write right
		"link-follow:link:hard",     // EINVAL
		"open-under:sub:../file",    // EPERM: above its directory fd
		"open-under:sub:.",          // fine
		"rename:src-dir:empty-dir",  // rename(2) replaces an empty directory
		"rename:file:full-dir",      // EISDIR
		"rename:empty-dir:full-dir", // ENOTEMPTY
	)
	want := `opendir-write sub -> 31
write-readonly file -> 8
link-follow link -> 28
open-under sub -> 63
open-under sub -> 0
rename src-dir -> 0
rename file -> 31
rename empty-dir -> 55
`
	if r.code != 0 || r.stdout != want {
		t.Fatalf("exit %d, got:\n%s\nwant:\n%s\nstderr: %s", r.code, r.stdout, want, r.stderr)
	}
	if _, err := os.Stat(filepath.Join(mnt, "empty-dir", "inner")); err != nil {
		t.Errorf("the renamed directory is not in place: %v", err)
	}
}

func TestThreadsShareOneFdTable(t *testing.T) {
	prog := wasmtest.C(t, true, "threads.c", "thread_start.s")
	dir := t.TempDir()
	expect(t, runVerb(t, "", "--dir", dir+"::/", prog, "write-shared-fd"), 0, "ok\n")
	b, _ := os.ReadFile(filepath.Join(dir, "shared.txt"))
	if string(b) != "written by a thread\nwritten by main\n" {
		t.Fatalf("shared.txt = %q", b)
	}
	expect(t, runVerb(t, "", "--dir", dir+"::/", prog, "open-in-thread"), 0, "ok\n")
	b, _ = os.ReadFile(filepath.Join(dir, "from-thread.txt"))
	if string(b) != "opened by a thread, written by main\n" {
		t.Fatalf("from-thread.txt = %q", b)
	}
}

func TestThreadIDsAreUniqueAndPositive(t *testing.T) {
	prog := wasmtest.C(t, true, "threads.c", "thread_start.s")
	expect(t, runVerb(t, "", prog, "tids"), 0, "ok\n")
}

func TestExitFromThreadEndsRun(t *testing.T) {
	prog := wasmtest.C(t, true, "threads.c", "thread_start.s")
	expect(t, runVerb(t, "", prog, "exit-in-thread"), 42, "")
}

func TestTrapInThread(t *testing.T) {
	prog := wasmtest.C(t, true, "threads.c", "thread_start.s")
	r := runVerb(t, "", prog, "trap-in-thread")
	if r.code != exitTrap {
		t.Fatalf("exit %d, want %d; stderr: %s", r.code, exitTrap, r.stderr)
	}
	first := strings.SplitN(r.stderr, "\n", 2)[0]
	if want := "runner: " + prog + " trapped in thread 1: unreachable in function thread_main"; first != want {
		t.Errorf("first line %q, want %q", first, want)
	}
	if !strings.Contains(r.stderr, "wasm stack:\n\tthreads.wasm.thread_main(i32,i32)\n") &&
		!regexp.MustCompile(`wasm stack:\n\t\S*thread_main\(i32,i32\)\n`).MatchString(r.stderr) {
		t.Errorf("no wasm stack in:\n%s", r.stderr)
	}
}

func TestStartReturnsWhileThreadsBlock(t *testing.T) {
	prog := wasmtest.C(t, true, "threads.c", "thread_start.s")
	expect(t, runVerb(t, "", prog, "park"), 0, "main returns\n")
}

func TestSharedMemoryUnderAnyImportName(t *testing.T) {
	expect(t, runVerb(t, "", wasmtest.Wat(t, "shared_custom_name")), 42, "")
}

func TestTimeout(t *testing.T) {
	// In a process of its own: the spinning thread ends with it.
	r := runnerProcess(t, "", "run", "--cache-dir", cacheDir, "--timeout", "200ms", wasmtest.Wat(t, "spin"))
	if r.code != exitTimeout || !strings.Contains(r.stderr, "did not finish within 200ms") {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
}

func TestMemoryCap(t *testing.T) {
	prog := wasmtest.Wat(t, "grow")
	expect(t, runVerb(t, "", prog), 0, "")
	expect(t, runVerb(t, "", "--max-memory", "1M", prog), 1, "")
	r := runVerb(t, "", "--max-memory", "1000", prog)
	if r.code != exitFailure || !strings.Contains(r.stderr, `--max-memory "1000"`) {
		t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
	}
}

func TestDeterministic(t *testing.T) {
	prog := wasmtest.GoProgram(t, "goprog")
	a := runVerb(t, "", "--deterministic", "--seed", "7", prog, "clock")
	b := runVerb(t, "", "--deterministic", "--seed", "7", prog, "clock")
	c := runVerb(t, "", "--deterministic", "--seed", "8", prog, "clock")
	if a.code != 0 || a.stdout != b.stdout {
		t.Fatalf("two deterministic runs differ: %q vs %q (%s)", a.stdout, b.stdout, a.stderr)
	}
	if !strings.HasPrefix(a.stdout, "2000-01-01T00:00:00Z ") {
		t.Errorf("deterministic wall clock: %q", a.stdout)
	}
	if c.stdout == a.stdout {
		t.Errorf("the seed does not change the random bytes")
	}
	r1, r2 := runVerb(t, "", prog, "clock"), runVerb(t, "", prog, "clock")
	if r1.stdout == r2.stdout || strings.HasPrefix(r1.stdout, "2000-") {
		t.Errorf("real clocks and randomness expected by default: %q, %q", r1.stdout, r2.stdout)
	}
	expect(t, runVerb(t, "", "--deterministic", prog, "sleep", "10ms"), 0, "slept\n")
}

func TestBadInput(t *testing.T) {
	notWasm := filepath.Join(t.TempDir(), "notes.wasm")
	os.WriteFile(notWasm, []byte("not wasm at all"), 0o644)
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"missing module", []string{"/no/such/module.wasm"}, "module /no/such/module.wasm: no such file"},
		{"not wasm", []string{notWasm}, notWasm + " is not a WebAssembly module"},
		{"not a command", []string{wasmtest.Wat(t, "no_start")}, "is not a WASI command: it exports no _start function"},
		{"unknown import", []string{wasmtest.Wat(t, "unknown_import")}, "imports env.frobnicate (a function), which the runner does not provide"},
		{"missing dir", []string{"--dir", "/no/such/dir::/", wasmtest.Wat(t, "grow")}, `--dir "/no/such/dir::/"`},
		{"dir is a file", []string{"--ro-dir", notWasm, wasmtest.Wat(t, "grow")}, "is not a directory"},
		{"no module", nil, "missing MODULE.wasm"},
		{"unknown flag", []string{"--frobnicate", "x.wasm"}, "flag provided but not defined: -frobnicate"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := runVerb(t, "", c.args...)
			if r.code != exitFailure || !strings.Contains(r.stderr, c.want) {
				t.Fatalf("exit %d, stderr %q; want exit %d and %q", r.code, r.stderr, exitFailure, c.want)
			}
		})
	}
}

func TestHelpDocumentsEveryFlag(t *testing.T) {
	var out bytes.Buffer
	if code := runMain([]string{"--help"}, nil, &out, &out); code != 0 {
		t.Fatalf("--help exit %d", code)
	}
	for _, f := range []string{"-dir", "-ro-dir", "-dir-follow-links", "-env", "-argv0", "-cache-dir", "-no-cache", "-max-memory", "-timeout", "-deterministic", "-seed", "Exit status"} {
		if !strings.Contains(out.String(), f) {
			t.Errorf("help lacks %s:\n%s", f, out.String())
		}
	}
}
