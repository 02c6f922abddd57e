package main

// The "test" verb: run a Rust libtest harness compiled to WebAssembly one
// test per instance, under Bazel's test contract (runner/testharness).

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"

	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/buildscript"
	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/testharness"
	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/wasi"
)

// exitTestsFailed is the status when a test failed, libtest's own.
const exitTestsFailed = 101

type testFlags struct {
	guestFlags
	wasmStack, hostEnv bool
	jobs               int
	suite, xmlOut      string
}

// testUsage is the text of "runner test --help", before its flags (a
// format: the numbers are filled in).
const testUsage = `usage: runner test [flags] MODULE.wasm [--] [HARNESS_ARGS...]

Runs a Rust test harness (rustc --test) compiled to WebAssembly: lists its
tests (--list --format=terse), then runs each in a fresh instance of the
module, compiled once, side by side, so that a test that panics (a trap
under panic=abort) fails alone. Prints a report like cargo test's, with
each failure's output and panic message, control characters escaped. Of
each test's output the first %d KiB and the last %d KiB are kept (in the
report and in the XML), and at most %d MiB in all.

HARNESS_ARGS are libtest's: FILTER..., --exact, --skip FILTER, --ignored,
--include-ignored, --show-output and --nocapture (print the output of the
tests that pass too), --test-threads N, --list (run the harness once, as
is); -q, --format, --color and the like are accepted and do nothing.

Bazel's test environment: $TESTBRIDGE_TEST_ONLY (--test_filter) is one
more FILTER; $TEST_TOTAL_SHARDS and $TEST_SHARD_INDEX select this shard's
tests, and $TEST_SHARD_STATUS_FILE is touched; $TEST_TMPDIR is mounted
writable at /tmp, and the tests see TMPDIR=/tmp and TEST_TMPDIR=/tmp;
$XML_OUTPUT_FILE receives JUnit XML (a <testcase> per test, with its time
and its <failure> or <skipped>).

Exit status: 0 if every test selected passed (or was ignored); %d if one
failed (even when the XML cannot be written); %d if the runner could not
run the harness or list its tests, or write the XML.
`

func newTestFlagSet(f *testFlags, stderr io.Writer) *flag.FlagSet {
	fs := newFlagSet("test", stderr, fmt.Sprintf(testUsage, testharness.OutputHead>>10, testharness.OutputTail>>10, testharness.ReportOutput>>20, exitTestsFailed, exitFailure))
	f.guestFlags.register(fs, "every test")
	fs.BoolVar(&f.hostEnv, "env-from-host", false, "give the tests the host's environment (bazel test's, with --test_env), less the variables whose value is an absolute path, which means nothing in the guest; --env adds to it")
	fs.IntVar(&f.jobs, "jobs", 0, "run up to `N` tests side by side (default: $RUST_TEST_THREADS, else the number of CPUs; the harness's --test-threads wins)")
	fs.BoolVar(&f.wasmStack, "wasm-stack", os.Getenv("RUNNER_TEST_WASM_STACK") == "1", "add the wasm stack to a trapped test's output (default: $RUNNER_TEST_WASM_STACK=1)")
	fs.StringVar(&f.suite, "suite", "", "name of the JUnit test suite (default: $TEST_TARGET, else the module's file name)")
	fs.StringVar(&f.xmlOut, "xml", os.Getenv("XML_OUTPUT_FILE"), "write JUnit XML to `FILE` (default: $XML_OUTPUT_FILE)")
	return fs
}

// testMain is "runner test"; it returns the exit status.
func testMain(args []string, stdout, stderr io.Writer) int {
	var f testFlags
	modPath, harnessArgs, status, ok := parseModuleVerb(newTestFlagSet(&f, stderr), args, stderr)
	if !ok {
		return status
	}
	if len(harnessArgs) > 0 && harnessArgs[0] == "--" {
		harnessArgs = harnessArgs[1:]
	}
	hargs, err := testharness.ParseArgs(harnessArgs)
	if err != nil {
		return failed(stderr, fmt.Errorf("test harness arguments: %v", err))
	}
	if err := checkOutputFlag("--xml", f.xmlOut, modPath); err != nil {
		return failed(stderr, err)
	}
	if only := os.Getenv("TESTBRIDGE_TEST_ONLY"); only != "" {
		hargs.Filters = append(hargs.Filters, only)
	}

	cfg := testharness.Config{Args: hargs, WasmStack: f.wasmStack, Log: stdout}
	if cfg.Run.Mounts, err = f.mounts(); err != nil {
		return failed(stderr, err)
	}
	if f.hostEnv {
		for _, e := range os.Environ() {
			if _, v, _ := strings.Cut(e, "="); !strings.HasPrefix(v, "/") {
				cfg.Run.Env = append(cfg.Run.Env, e)
			}
		}
	}
	if tmp := os.Getenv("TEST_TMPDIR"); tmp != "" {
		if err := os.MkdirAll(tmp, 0o755); err != nil {
			return failed(stderr, fmt.Errorf("$TEST_TMPDIR: %w", err))
		}
		cfg.Run.Mounts = append(cfg.Run.Mounts, wasi.Mount{HostPath: tmp, GuestPath: "/tmp"})
		cfg.Run.Env = append(cfg.Run.Env, "TMPDIR=/tmp", "TEST_TMPDIR=/tmp")
	}
	env, err := f.environ()
	if err != nil {
		return failed(stderr, err)
	}
	cfg.Run.Env = buildscript.LastOfEachName(append(cfg.Run.Env, env...))
	cfg.Run.Args = []string{f.argv0For(modPath)}

	cfg.Jobs = runtime.NumCPU()
	if n, err := strconv.Atoi(os.Getenv("RUST_TEST_THREADS")); err == nil && n > 0 {
		cfg.Jobs = n
	}
	if f.jobs > 0 {
		cfg.Jobs = f.jobs
	}
	if hargs.TestThreads > 0 {
		cfg.Jobs = hargs.TestThreads
	}
	if s := os.Getenv("TEST_TOTAL_SHARDS"); s != "" {
		n, err1 := strconv.Atoi(s)
		i, err2 := strconv.Atoi(os.Getenv("TEST_SHARD_INDEX"))
		if err1 != nil || err2 != nil || n < 1 || i < 0 || i >= n {
			return failed(stderr, fmt.Errorf("bad sharding: TEST_TOTAL_SHARDS=%q TEST_SHARD_INDEX=%q", s, os.Getenv("TEST_SHARD_INDEX")))
		}
		cfg.Shard, cfg.Shards = i, n
	}
	if p := os.Getenv("TEST_SHARD_STATUS_FILE"); p != "" {
		if err := os.WriteFile(p, nil, 0o644); err != nil {
			return failed(stderr, fmt.Errorf("$TEST_SHARD_STATUS_FILE: %w", err))
		}
	}

	// A failing test traps; its stack's source lines cost seconds a trap.
	ctx := context.Background()
	eng, mod, err := f.compile(ctx, modPath, stderr, !f.wasmStack)
	if err != nil {
		return failed(stderr, err)
	}
	defer eng.Close(ctx)
	cfg.Module = mod

	if hargs.List {
		// The harness's own listing, as asked.
		rc := cfg.Run
		rc.Args = append(rc.Args, harnessArgs...)
		rc.Stdout, rc.Stderr = stdout, stderr
		code, err := cfg.Module.Run(ctx, rc)
		return guestStatus(stderr, code, err)
	}

	rep, err := testharness.Run(ctx, cfg)
	if err != nil {
		return failed(stderr, err)
	}
	exit := 0
	if rep.Count(testharness.Failed) > 0 {
		exit = exitTestsFailed
	}
	if f.xmlOut != "" {
		suite := f.suite
		if suite == "" {
			suite = os.Getenv("TEST_TARGET")
		}
		if suite == "" {
			suite = strings.TrimSuffix(filepath.Base(modPath), ".wasm")
		}
		var b bytes.Buffer
		err := rep.WriteJUnit(&b, suite)
		if err == nil {
			err = os.WriteFile(f.xmlOut, b.Bytes(), 0o644)
		}
		if err != nil {
			reportError(stderr, fmt.Errorf("writing JUnit XML: %w", err))
			// A test that failed is the news; the missing XML is not
			// allowed to turn it into a runner error.
			if exit == 0 {
				exit = exitFailure
			}
		}
	}
	return exit
}
