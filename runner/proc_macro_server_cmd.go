package main

// The "proc-macro-server" verb: rust-analyzer's proc-macro server, which
// expands the editor's macro calls from the same lib<crate>.wasm modules
// the build expands (runner/procmacrosrv).

import (
	"context"
	"fmt"
	"io"

	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/action"
	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/macroexpand"
	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/procmacrosrv"
)

// defaultVerb is the verb of a runner started with no arguments, set at
// link time: //tools:proc_macro_server is the runner with
// "proc-macro-server" here, because rust-analyzer starts its server with
// no arguments.
var defaultVerb string

// procMacroServerUsage is the text of "runner proc-macro-server --help",
// before its flags.
const procMacroServerUsage = `usage: runner proc-macro-server [flags]

Serves rust-analyzer's proc-macro server protocol on stdin and stdout
(newline-delimited JSON) from wasm proc-macro modules (lib<crate>.wasm built
by rules_rustc_wasm): ListMacros reads a module's declarations, ExpandMacro
expands in wazero with the sandbox and limits of a compile. A panic, a
timeout or a trap is an error for the editor; the server goes on. Native
(.so) proc macros are refused, naming the crate.

Give rust-analyzer the path that
  bazel run @rules_rustc_wasm//tools:rust_project -- --print-proc-macro-server
prints (rust-analyzer.procMacro.server; the CLI's --proc-macro-srv).
`

func procMacroServerMain(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := newFlagSet("proc-macro-server", stderr, procMacroServerUsage)
	var limits macroLimits
	limits.register(fs, "; the editor gets an error naming the macro")
	var engineFlags action.EngineFlags
	engineFlags.Register(fs, "of the macros")
	format := fs.String("format", "json-legacy", "the protocol's `FORMAT`; only json-legacy")
	version := fs.Bool("version", false, "print the server's version and protocol version, and exit")
	if code, ok := parseFlagsOnly(fs, args, stderr); !ok {
		return code
	}
	if *version {
		fmt.Fprintf(stdout, "rules_rustc_wasm proc-macro server (protocol version %d, span mode Id)\n", procmacrosrv.APIVersion)
		return 0
	}
	if *format != "json-legacy" {
		fmt.Fprintf(stderr, "runner proc-macro-server: --format %q: only json-legacy is served\n", *format)
		return exitFailure
	}
	if err := limits.check(); err != nil {
		fmt.Fprintf(stderr, "runner proc-macro-server: %v\n", err)
		return exitFailure
	}
	ctx, stop := cancelOnSignal(context.Background())
	defer stop()
	// The macros meet the sandbox of a compile (macroexpand.NewEngine).
	eng, err := macroexpand.NewEngine(ctx, engineFlags.Config(stderr), limits.limits())
	if err != nil {
		reportError(stderr, err)
		return exitFailure
	}
	defer eng.Close(context.Background())
	srv := procmacrosrv.New(eng, procmacrosrv.Config{Log: stderr})
	if err := srv.Serve(ctx, stdin, stdout); err != nil && ctx.Err() == nil {
		fmt.Fprintf(stderr, "runner proc-macro-server: %v\n", err)
		return exitFailure
	}
	return 0 // the input ended, or SIGTERM or SIGINT asked the server to stop
}
