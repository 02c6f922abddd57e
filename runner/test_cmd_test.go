package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/internal/wasmtest"
)

// casesHarness builds runner/testharness/testdata/cases.rs with rustc
// --test for wasm32-wasi.
func casesHarness(t *testing.T) string {
	t.Helper()
	return wasmtest.RustTest(t, "testharness/testdata/cases.rs")
}

// loudHarness builds runner/testharness/testdata/loud.rs like casesHarness.
func loudHarness(t *testing.T) string {
	t.Helper()
	return wasmtest.RustTest(t, "testharness/testdata/loud.rs")
}

// testVerb runs "runner test ARGS" in-process, with no Bazel variables
// but those the test sets.
func testVerb(t *testing.T, args ...string) result {
	t.Helper()
	for _, v := range []string{"TESTBRIDGE_TEST_ONLY", "TEST_TOTAL_SHARDS", "TEST_SHARD_INDEX", "TEST_SHARD_STATUS_FILE", "TEST_TMPDIR", "XML_OUTPUT_FILE", "TEST_TARGET", "RUNNER_TEST_WASM_STACK"} {
		if _, ok := os.LookupEnv(v); !ok {
			t.Setenv(v, "")
		}
	}
	var out, errb bytes.Buffer
	code := testMain(append([]string{"--cache-dir", cacheDir}, args...), &out, &errb)
	return result{code, out.String(), errb.String()}
}

func TestTestVerbUnderBazelsContract(t *testing.T) {
	wasm := casesHarness(t)
	dir := t.TempDir()
	xmlOut := filepath.Join(dir, "test.xml")
	status := filepath.Join(dir, "shard_status")
	tmp := filepath.Join(dir, "tmp")
	t.Setenv("XML_OUTPUT_FILE", xmlOut)
	t.Setenv("TEST_SHARD_STATUS_FILE", status)
	t.Setenv("TEST_TMPDIR", tmp)
	t.Setenv("TEST_TARGET", "//pkg:cases")
	t.Setenv("TESTBRIDGE_TEST_ONLY", "writes_tmp")

	r := testVerb(t, wasm, "passes")
	if r.code != 0 || !strings.Contains(r.stdout, "\nrunning 2 tests\n") || !strings.Contains(r.stdout, "test writes_tmp ... ok\n") ||
		!strings.Contains(r.stdout, "test result: ok. 2 passed; 0 failed; 0 ignored; 0 measured; 8 filtered out;") {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
	}
	if b, err := os.ReadFile(filepath.Join(tmp, "written_by_test")); err != nil || string(b) != "hi" {
		t.Errorf("$TEST_TMPDIR is not the guest's writable $TMPDIR: %q, %v", b, err)
	}
	if _, err := os.Stat(status); err != nil {
		t.Errorf("shard status file not touched: %v", err)
	}
	x, err := os.ReadFile(xmlOut)
	if err != nil || !strings.Contains(string(x), `<testsuite name="//pkg:cases" tests="2" failures="0"`) ||
		!strings.Contains(string(x), `<testcase name="writes_tmp" classname="//pkg:cases"`) {
		t.Errorf("test.xml (%v):\n%s", err, x)
	}

	// Sharding: shard 1 of 2 of the filtered tests (passes, writes_tmp).
	t.Setenv("TEST_TOTAL_SHARDS", "2")
	t.Setenv("TEST_SHARD_INDEX", "1")
	if r := testVerb(t, wasm, "passes"); r.code != 0 || !strings.Contains(r.stdout, "\nrunning 1 test\ntest writes_tmp ... ok\n") {
		t.Fatalf("shard 1/2: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

func TestTestVerbFailure(t *testing.T) {
	wasm := casesHarness(t)
	xmlOut := filepath.Join(t.TempDir(), "test.xml")
	t.Setenv("XML_OUTPUT_FILE", xmlOut)
	r := testVerb(t, "--argv0", "cases", wasm, "--", "fails_assert", "passes", "ignored_reason")
	if r.code != exitTestsFailed {
		t.Fatalf("exit %d, want %d\n%s%s", r.code, exitTestsFailed, r.stdout, r.stderr)
	}
	for _, s := range []string{"test fails_assert ... FAILED\n", "test passes ... ok\n", "test ignored_reason ... ignored, too slow\n",
		"math is broken", "test result: FAILED. 1 passed; 1 failed; 1 ignored; 0 measured; 7 filtered out;"} {
		if !strings.Contains(r.stdout, s) {
			t.Errorf("stdout lacks %q:\n%s", s, r.stdout)
		}
	}
	if strings.Contains(r.stdout+r.stderr, "wasm stack:") {
		t.Errorf("a wasm stack without --wasm-stack:\n%s", r.stdout)
	}
	x, _ := os.ReadFile(xmlOut)
	if !strings.Contains(string(x), `<testcase name="fails_assert" classname="cases"`) || !strings.Contains(string(x), `<failure message="thread &#39;main&#39; panicked at &#39;assertion failed`) ||
		!strings.Contains(string(x), `<skipped message="too slow">`) {
		t.Errorf("test.xml:\n%s", x)
	}
	// --wasm-stack (testharness's TestWasmStackOnDemand) is not run here:
	// reading the DWARF of a trap's stack takes seconds.
}

func TestTestVerbEnvFromHost(t *testing.T) {
	wasm := casesHarness(t)
	t.Setenv("TEST_TMPDIR", t.TempDir())
	t.Setenv("CASES_FROM_HOST", "kept")
	t.Setenv("CASES_HOST_PATH", "/a/host/path")
	t.Setenv("CASES_OVERRIDDEN", "host")
	r := testVerb(t, "--env-from-host", "--env", "CASES_OVERRIDDEN=flag", wasm, "--show-output", "prints_env")
	want := "---- prints_env stdout ----\nCASES_FROM_HOST=kept\nCASES_OVERRIDDEN=flag\nTMPDIR=/tmp\n"
	if r.code != 0 || !strings.Contains(r.stdout, want) {
		t.Fatalf("exit %d, want %q in:\n%s%s", r.code, want, r.stdout, r.stderr)
	}
	r = testVerb(t, wasm, "--show-output", "prints_env")
	if r.code != 0 || strings.Contains(r.stdout, "CASES_FROM_HOST") {
		t.Fatalf("without --env-from-host: exit %d\n%s", r.code, r.stdout)
	}
}

func TestTestVerbListAndErrors(t *testing.T) {
	wasm := casesHarness(t)
	if r := testVerb(t, wasm, "--list", "--format=terse", "inner"); r.code != 0 || r.stdout != "tests::inner: test\n" {
		t.Errorf("--list: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{wasm, "--no-such-flag"}, "unrecognized option: 'no-such-flag'"},
		{[]string{filepath.Join(t.TempDir(), "missing.wasm")}, "no such file"},
		{nil, "missing MODULE.wasm"},
	} {
		if r := testVerb(t, c.args...); r.code != exitFailure || !strings.Contains(r.stderr, c.want) {
			t.Errorf("%q: exit %d, stderr %q; want %d and %q", c.args, r.code, r.stderr, exitFailure, c.want)
		}
	}
	t.Setenv("TEST_TOTAL_SHARDS", "2")
	t.Setenv("TEST_SHARD_INDEX", "2")
	if r := testVerb(t, wasm); r.code != exitFailure || !strings.Contains(r.stderr, "bad sharding") {
		t.Errorf("shard 2 of 2: exit %d, stderr %q", r.code, r.stderr)
	}
}

func TestTestVerbHelp(t *testing.T) {
	var out bytes.Buffer
	if code := testMain([]string{"--help"}, &out, &out); code != 0 {
		t.Fatalf("--help exit %d", code)
	}
	for _, s := range []string{"-dir-follow-links", "-env", "-argv0", "-jobs", "-wasm-stack", "-xml", "-suite", "TESTBRIDGE_TEST_ONLY", "TEST_TOTAL_SHARDS", "TEST_TMPDIR", "XML_OUTPUT_FILE", "Exit status"} {
		if !strings.Contains(out.String(), s) {
			t.Errorf("help lacks %s", s)
		}
	}
}

// TestTestVerbXMLUnwritable: a failing test's 101 stays 101 when
// $XML_OUTPUT_FILE cannot be written (before, 125); with every test
// passing, the missing XML is the runner's failure.
func TestTestVerbXMLUnwritable(t *testing.T) {
	wasm := casesHarness(t)
	t.Setenv("XML_OUTPUT_FILE", filepath.Join(t.TempDir(), "no", "such", "dir", "test.xml"))
	r := testVerb(t, wasm, "fails_assert")
	if r.code != exitTestsFailed || !strings.Contains(r.stderr, "writing JUnit XML") {
		t.Errorf("a failing test: exit %d, stderr %q", r.code, r.stderr)
	}
	r = testVerb(t, wasm, "--exact", "passes")
	if r.code != exitFailure || !strings.Contains(r.stderr, "writing JUnit XML") {
		t.Errorf("a passing test: exit %d, stderr %q", r.code, r.stderr)
	}
}

// TestOutputFlagsCannotNameTheModule: --xml and run's --audit-file may not
// name the module (or the working directory), which they would overwrite.
func TestOutputFlagsCannotNameTheModule(t *testing.T) {
	wasm := casesHarness(t)
	before, _ := os.ReadFile(wasm)
	if r := testVerb(t, "--xml", wasm, wasm); r.code != exitFailure || !strings.Contains(r.stderr, "--xml "+wasm+": the output is the input module") {
		t.Errorf("--xml MODULE: exit %d, stderr %q", r.code, r.stderr)
	}
	if r := runVerb(t, "", "--audit-file", wasm, wasm); r.code != exitFailure || !strings.Contains(r.stderr, "--audit-file "+wasm+": the output is the input module") {
		t.Errorf("run --audit-file MODULE: exit %d, stderr %q", r.code, r.stderr)
	}
	if r := runVerb(t, "", "--audit-file", ".", wasm); r.code != exitFailure || !strings.Contains(r.stderr, "may not be the working directory") {
		t.Errorf("run --audit-file .: exit %d, stderr %q", r.code, r.stderr)
	}
	if after, _ := os.ReadFile(wasm); !bytes.Equal(before, after) {
		t.Errorf("the module was overwritten")
	}
}
