// Command runner runs WebAssembly programs, rustc.wasm above all, for the
// rules_rustc_wasm Bazel rules. It is one binary with verbs, like rules_go's
// builder:
//
//	runner run [flags] MODULE.wasm [ARGS...]    run a WASI command module
//	runner rustc [flags] -- RUSTC_ARGS...       run rustc for a Bazel action
//	runner test [flags] MODULE.wasm [ARGS...]   run a Rust test harness, a test an instance
//	runner build-script [flags] -- SCRIPT       run a Cargo build script for a Bazel action
//	runner macro-srcs [flags]                   lay out sources for the wasm macro side
//	runner macro-shim [flags]                   write a wasm proc macro's native shim
//	runner proc-macro-server [flags]            rust-analyzer's proc-macro server, from wasm macros
//	runner help                                 print the verbs (also -h, --help)
//
// Run "runner VERB --help" for a verb's flags. A runner linked with
// main.defaultVerb set (//tools:proc_macro_server sets
// "proc-macro-server") runs that verb when its arguments name none: no
// arguments, or flags only.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/engine"
)

// Exit statuses of the runner itself; any other status is the guest's.
const (
	exitTimeout = 124 // the run exceeded --timeout
	exitFailure = 125 // the runner could not run the module (bad flags, bad module, ...)
	exitTrap    = 134 // the guest trapped
)

// A verb is one of the runner's commands, with a line of the usage.
type verb struct {
	name, summary string
	main          func(args []string, stdin io.Reader, stdout, stderr io.Writer) int
}

// verbs are the runner's verbs, in the order the usage lists them.
var verbs = []verb{
	{"run", "run a WASI command module", runMain},
	{"rustc", "run rustc for a Bazel action", rustcMain},
	{"build-script", "run a Cargo build script for a Bazel action", func(args []string, _ io.Reader, _, stderr io.Writer) int {
		return buildScriptMain(args, stderr)
	}},
	{"test", "run a Rust test harness one test per instance, for bazel test", func(args []string, _ io.Reader, stdout, stderr io.Writer) int {
		return testMain(args, stdout, stderr)
	}},
	{"macro-srcs", "lay out a crate's sources for the wasm macro side", func(args []string, _ io.Reader, _, stderr io.Writer) int {
		return macroSrcsMain(args, stderr)
	}},
	{"macro-shim", "write the native shim crate of a wasm proc macro", func(args []string, _ io.Reader, _, stderr io.Writer) int {
		return macroShimMain(args, stderr)
	}},
	{"proc-macro-server", "rust-analyzer's proc-macro server for wasm proc macros", procMacroServerMain},
}

func usage() {
	fmt.Fprint(os.Stderr, "usage: runner <verb> [flags] [--] [args]\n\nverbs:\n")
	for _, v := range verbs {
		fmt.Fprintf(os.Stderr, "  %-6s  %s (runner %s --help)\n", v.name, v.summary, v.name)
	}
}

func main() {
	os.Args = withDefaultVerb(os.Args, defaultVerb)
	if len(os.Args) < 2 {
		usage()
		os.Exit(exitFailure)
	}
	switch os.Args[1] {
	case "-h", "--help", "help":
		usage()
		return
	}
	for _, v := range verbs {
		if v.name == os.Args[1] {
			os.Exit(v.main(os.Args[2:], os.Stdin, os.Stdout, os.Stderr))
		}
	}
	fmt.Fprintf(os.Stderr, "runner: unknown verb %q\n", os.Args[1])
	usage()
	os.Exit(exitFailure)
}

// failed reports err as reportError does and returns exitFailure, the
// status of a verb that could not do its work.
func failed(w io.Writer, err error) int {
	reportError(w, err)
	return exitFailure
}

// reportError prints an error of the runner, naming the flag at fault for
// the errors of the library packages that come from one.
func reportError(w io.Writer, err error) {
	var cache *engine.CacheDirError
	if errors.As(err, &cache) {
		fmt.Fprintf(w, "runner: --cache-dir %s: %v\n", cache.Dir, cache.Err)
		return
	}
	fmt.Fprintf(w, "runner: %v\n", err)
}

// reportTrap prints a trap: one line naming the module, the thread, the
// trap and the function, then the wasm stack.
func reportTrap(w io.Writer, trap *engine.TrapError) {
	fmt.Fprintf(w, "runner: %v\n", trap)
	if len(trap.Stack) > 0 {
		fmt.Fprintf(w, "wasm stack:\n")
	}
	for _, s := range trap.Stack {
		fmt.Fprintf(w, "\t%s\n", s)
	}
}

// guestStatus is the runner's exit status once a guest has run, code its
// exit code and err what ended it otherwise: exitTrap or exitTimeout (the
// trap or the timeout reported to w), exitFailure for another error, or
// the guest's own code.
func guestStatus(w io.Writer, code uint32, err error) int {
	var trap *engine.TrapError
	var timeout *engine.TimeoutError
	switch {
	case errors.As(err, &trap):
		reportTrap(w, trap)
		return exitTrap
	case errors.As(err, &timeout):
		fmt.Fprintf(w, "runner: %v\n", timeout)
		return exitTimeout
	case err != nil:
		return failed(w, err)
	}
	return int(code)
}

// withDefaultVerb puts verb first in args when it is set and args name no
// verb: no arguments, or flags only.
func withDefaultVerb(args []string, verb string) []string {
	if verb == "" || (len(args) >= 2 && !strings.HasPrefix(args[1], "-")) {
		return args
	}
	return append([]string{args[0], verb}, args[1:]...)
}
