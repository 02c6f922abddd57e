// Command wasitestsuite runs the official WASI preview-1 test suite
// (WebAssembly/wasi-testsuite, branch prod/testsuite-all, checked out
// locally: it is a yardstick, not part of this repository) through the
// runner and prints each failure and a closing "N passed, N failed".
//
//	go run ./testing/conformance/wasitestsuite -runner RUNNER -suite SUITE_CHECKOUT
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// spec is a test's legacy configuration.
type spec struct {
	Args     []string          `json:"args"`
	Env      map[string]string `json:"env"`
	Dirs     []string          `json:"dirs"`
	ExitCode *int              `json:"exit_code"`
	Stdout   *string           `json:"stdout"`
	Stderr   *string           `json:"stderr"`
}

// copyDir copies a test's directory so that each run starts from it.
func copyDir(src, dst string) error {
	return exec.Command("cp", "-a", src, dst).Run()
}

func main() {
	runner := flag.String("runner", "", "the runner binary")
	suite := flag.String("suite", "", "a checkout of wasi-testsuite's prod/testsuite-all")
	verbose := flag.Bool("v", false, "print every test")
	flag.Parse()
	if *runner == "" || *suite == "" {
		fmt.Fprintln(os.Stderr, "usage: wasitestsuite -runner RUNNER -suite DIR")
		os.Exit(2)
	}
	tests, _ := filepath.Glob(filepath.Join(*suite, "tests", "*", "testsuite", "wasm32-wasip1", "*.wasm"))
	sort.Strings(tests)
	if len(tests) == 0 {
		fmt.Fprintln(os.Stderr, "no tests under", *suite)
		os.Exit(2)
	}
	passed, failed := 0, 0
	for _, wasm := range tests {
		name := strings.TrimPrefix(wasm, filepath.Join(*suite, "tests")+"/")
		var sp spec
		if b, err := os.ReadFile(strings.TrimSuffix(wasm, ".wasm") + ".json"); err == nil {
			if err := json.Unmarshal(b, &sp); err != nil {
				fmt.Printf("FAIL %s: bad spec: %v\n", name, err)
				failed++
				continue
			}
		}
		work, _ := os.MkdirTemp("", "wts-")
		args := []string{"run", "--no-cache"}
		for _, d := range sp.Dirs {
			if err := copyDir(filepath.Join(filepath.Dir(wasm), d), filepath.Join(work, d)); err != nil {
				fmt.Printf("FAIL %s: copying %s: %v\n", name, d, err)
			}
			args = append(args, "--dir", filepath.Join(work, d)+"::"+d)
		}
		keys := make([]string, 0, len(sp.Env))
		for k := range sp.Env {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			args = append(args, "--env", k+"="+sp.Env[k])
		}
		args = append(args, wasm)
		args = append(args, sp.Args...)
		cmd := exec.Command(*runner, args...)
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		cmd.Stdin = strings.NewReader("")
		start := time.Now()
		err := cmd.Run()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else if err != nil {
			code = -1
		}
		want := 0
		if sp.ExitCode != nil {
			want = *sp.ExitCode
		}
		var why []string
		if code != want {
			why = append(why, fmt.Sprintf("exit %d, want %d", code, want))
		}
		if sp.Stdout != nil && stdout.String() != *sp.Stdout {
			why = append(why, fmt.Sprintf("stdout %q, want %q", stdout.String(), *sp.Stdout))
		}
		if len(why) == 0 {
			passed++
			if *verbose {
				fmt.Printf("ok   %s (%v)\n", name, time.Since(start).Round(time.Millisecond))
			}
		} else {
			failed++
			fmt.Printf("FAIL %s: %s\n", name, strings.Join(why, "; "))
			if s := strings.TrimSpace(stderr.String()); s != "" {
				fmt.Printf("     stderr: %s\n", strings.ReplaceAll(s, "\n", "\n     "))
			}
		}
		os.RemoveAll(work)
	}
	fmt.Printf("%d passed, %d failed\n", passed, failed)
	if failed > 0 {
		os.Exit(1)
	}
}
