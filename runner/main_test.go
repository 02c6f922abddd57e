package main

import (
	"os"
	"testing"
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
	d, err := os.MkdirTemp("", "runner-cache-")
	if err != nil {
		panic(err)
	}
	cacheDir = d
	code := m.Run()
	os.RemoveAll(d)
	os.Exit(code)
}
