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

func usage() {
	fmt.Fprint(os.Stderr, `usage: runner <verb> [flags] [--] [args]

verbs:
  run     run a WASI command module (runner run --help)
  rustc   run rustc for a Bazel action (runner rustc --help)
  build-script  run a Cargo build script for a Bazel action (runner build-script --help)
  test    run a Rust test harness one test per instance, for bazel test (runner test --help)
  macro-srcs  lay out a crate's sources for the wasm macro side (runner macro-srcs --help)
  macro-shim  write the native shim crate of a wasm proc macro (runner macro-shim --help)
  proc-macro-server  rust-analyzer's proc-macro server for wasm proc macros (runner proc-macro-server --help)
`)
}

func main() {
	os.Args = withDefaultVerb(os.Args, defaultVerb)
	if len(os.Args) < 2 {
		usage()
		os.Exit(exitFailure)
	}
	switch os.Args[1] {
	case "run":
		os.Exit(runMain(os.Args[2:], os.Stdin, os.Stdout, os.Stderr))
	case "rustc":
		os.Exit(rustcMain(os.Args[2:], os.Stdin, os.Stdout, os.Stderr))
	case "build-script":
		os.Exit(buildScriptMain(os.Args[2:], os.Stderr))
	case "test":
		os.Exit(testMain(os.Args[2:], os.Stdout, os.Stderr))
	case "macro-srcs":
		os.Exit(macroSrcsMain(os.Args[2:], os.Stderr))
	case "macro-shim":
		os.Exit(macroShimMain(os.Args[2:], os.Stderr))
	case "proc-macro-server":
		os.Exit(procMacroServerMain(os.Args[2:], os.Stdin, os.Stdout, os.Stderr))
	case "-h", "--help", "help":
		usage()
	default:
		fmt.Fprintf(os.Stderr, "runner: unknown verb %q\n", os.Args[1])
		usage()
		os.Exit(exitFailure)
	}
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

// withDefaultVerb puts verb first in args when it is set and args name no
// verb: no arguments, or flags only.
func withDefaultVerb(args []string, verb string) []string {
	if verb == "" || (len(args) >= 2 && !strings.HasPrefix(args[1], "-")) {
		return args
	}
	return append([]string{args[0], verb}, args[1:]...)
}
