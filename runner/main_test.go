package main

import (
	"os"
	"testing"

	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/internal/wasmtest"
)

// cacheDir is the compilation cache the tests of every verb share.
var cacheDir string

// asRunnerEnv makes the test binary act as the runner: the persistent
// worker starts its children from its own executable, which in these
// tests is the test binary.
const asRunnerEnv = "RULES_RUSTC_WASM_TEST_AS_RUNNER"

func TestMain(m *testing.M) {
	if os.Getenv(asRunnerEnv) == "1" {
		main()
		os.Exit(0)
	}
	os.Setenv(asRunnerEnv, "1") // for the processes the tests start
	// Under bazel test: the tests see no Bazel variables but those they
	// set (the test verb reads them), and rules_go's test main, which moves
	// a test binary into its runfiles when $TEST_SRCDIR is set, leaves the
	// runners the tests start in the directory they start them in.
	// (wasmtest has read what it needs of them already.)
	for _, v := range []string{"TEST_SRCDIR", "TEST_TARGET", "TEST_TMPDIR", "XML_OUTPUT_FILE", "TESTBRIDGE_TEST_ONLY",
		"TEST_TOTAL_SHARDS", "TEST_SHARD_INDEX", "TEST_SHARD_STATUS_FILE"} {
		os.Unsetenv(v)
	}
	d, err := os.MkdirTemp("", "runner-cache-")
	if err != nil {
		panic(err)
	}
	cacheDir = d
	code := wasmtest.Main(m)
	os.RemoveAll(d)
	os.Exit(code)
}
