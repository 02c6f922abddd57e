package main

// The "rustc" verb: it parses the action's flags, once, into a rustc.Request
// (checked in rustc_checks.go) and hands it to the rustc package; with
// --persistent_worker it does the same for each work request
// (rustc_worker.go).

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/action"
	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/engine"
	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/rustc"
)

// rustcFlags are the flags of "runner rustc".
type rustcFlags struct {
	compiler string
	outs     listFlag
	envFlags
	argFiles, envFiles listFlag
	engine             action.EngineFlags
	persistentWorker   bool
	workerProtocol     string
	workerChild        bool
	inputsFrom         string
	auditFile          string
	wasmMacros         listFlag
	macroInputs        listFlag
	macroLimits        macroLimits
	macroMemo          macroMemoFlags
	stopAfterMetadata  bool
	noWarnings         bool
}

// rustcUsage is the text of "runner rustc --help", before its flags.
const rustcUsage = `usage: runner rustc [flags] -- RUSTC_ARGS...
       runner rustc [--cache-dir DIR] [--worker_protocol proto|json] --persistent_worker

Runs rustc once for a Bazel action, or, with --persistent_worker, serves
many actions as a multiplex persistent worker that compiles rustc.wasm once.
@FILE arguments (one argument a line) are expanded. rustc's diagnostics go
to stderr (a worker's response) and its exit status is the runner's; when
rustc fails, none of the --out files is left behind. A rustc.wasm runs
with a fixed clock and seeded randomness. Files named by flags are relative
to the working directory (a work request's sandbox).

Declared inputs: each work request's inputs, or else --inputs-from (the
rules pass it to every rustc.wasm compile), make rustc.wasm's file system:
the inputs, the directories that lead to them and the --out directories;
anything else does not exist for it, and when rustc fails the runner names
the first undeclared file it tried to read; a declared input that rustc
looks for and does not find is reported as missing (the input list's
fault), not as rustc's error.
A native --compiler cannot be confined by the runner: it is served (in a
worker too) with no view; run native compiles in Bazel's sandbox. It runs
with --error-format=json --json=artifacts (rustc_flags may not choose
another format); the runner prints each diagnostic's rendered text. What
its --emit names that is not an --out (nor dep-info) is written into the
action's staging directory and dropped: the other half of a pipelined
pair's outputs (--stop-after-metadata, --no-warnings).

Audit (--audit-file): the file starts with
"# rules_rustc_wasm audit v1", one "# output PATH" line for each --out
(the first is the action's primary output) and "# view declared-inputs" or
"# view whole-directory"; then every path rustc.wasm opened, relative to
the working directory, sorted and unique, directories ending in "/". A
native rustc writes no audit.
`

func newRustcFlagSet(f *rustcFlags, stderr io.Writer) *flag.FlagSet {
	fs := newFlagSet("rustc", stderr, rustcUsage)
	fs.StringVar(&f.compiler, "compiler", "", "rustc to run: a `FILE` ending in .wasm runs in wazero with the working directory mounted at /; anything else runs as a native executable")
	fs.Var(&f.outs, "out", "a declared output `FILE` (repeatable): rustc writes it under a temporary name, renamed into place only if rustc succeeds")
	f.envFlags.register(fs, "rustc's", " and given to rustc as an absolute path: the host's for a native rustc, /PATH for rustc.wasm (repeatable)")
	fs.Var(&f.argFiles, "arg-file", "each non-empty line of `FILE` is one more rustc argument, after those after -- (repeatable)")
	fs.Var(&f.envFiles, "env-file", "each non-empty line of `FILE`, NAME=VALUE, is added to rustc's environment (repeatable)")
	f.engine.Register(fs, "of rustc.wasm")
	fs.BoolVar(&f.persistentWorker, "persistent_worker", false, "serve Bazel work requests on stdin (Bazel adds this flag); each request carries --compiler, --out, --env, --arg-file, --env-file, --env-path, --inputs-from, --audit-file, --wasm-macro, -- and rustc's arguments")
	fs.StringVar(&f.workerProtocol, "worker_protocol", "proto", "the persistent-worker protocol: `proto` or json")
	fs.BoolVar(&f.workerChild, "worker_child", false, "with --persistent_worker: be one of the worker's child processes, which run its requests one at a time (the worker starts them; internal)")
	fs.StringVar(&f.inputsFrom, "inputs-from", "", "`FILE` lists the action's declared inputs, one path a line: rustc.wasm then sees only them, the directories leading to them and its --out directories (a work request's own inputs take precedence)")
	fs.StringVar(&f.auditFile, "audit-file", "", "write the paths rustc.wasm opened to `FILE` (see below)")
	fs.Var(&f.wasmMacros, "wasm-macro", "a wasm proc-macro module `FILE` (lib<crate>.wasm) whose macros a native rustc may expand through their shims (repeatable)")
	fs.Var(&f.macroInputs, "macro-input", "a `FILE` wasm proc macros may read, read-only (the crate's sources and data; repeatable)")
	f.macroLimits.register(fs, "")
	f.macroMemo.register(fs)
	fs.BoolVar(&f.stopAfterMetadata, "stop-after-metadata", false, "the metadata action of a pipelined compile (native rustc): the one --out is the .rmeta rustc's --emit writes, and rustc is stopped once it has written it; what rustc prints after that is dropped")
	fs.BoolVar(&f.noWarnings, "no-warnings", false, "drop a native rustc's warnings: the full action of a pipelined compile leaves them to its metadata action")
	return fs
}

// errHelp is parseRustcArgs's error for --help, which has printed the usage.
var errHelp = flag.ErrHelp

// errFlagsReported is parseRustcArgs's error for bad flags, which the flag
// package has already reported.
var errFlagsReported = errors.New("bad flags")

// checkRequest checks a request once it is read (checkRustcOutputs); a
// variable so that a test can count the checks.
var checkRequest = checkRustcOutputs

// rustcRequest reads one action's command line (parseRustcArgs) and checks
// the request, once: on the command line and for a work request alike.
// inputs, when not nil, are a work request's declared inputs, which take
// the place of --inputs-from's before the check.
func rustcRequest(args []string, dir string, inputs []string, stdout, stderr io.Writer) (*rustcFlags, rustc.Request, error) {
	f, req, flagFiles, err := parseRustcArgs(args, dir, stdout, stderr)
	if err != nil {
		return nil, rustc.Request{}, err
	}
	if inputs != nil {
		req.Inputs = inputs
	}
	if err := checkRequest(req, flagFiles); err != nil {
		return nil, rustc.Request{}, err
	}
	return f, req, nil
}

// parseRustcArgs reads one action's command line: it expands parameter
// files, parses the flags and reads the files they name, all relative to
// dir ("" is the current directory), and returns those files (for
// checkRustcOutputs) with the request. The flag package prints what is
// wrong with the flags themselves; their error is errFlagsReported. It
// does not check the request as a whole: see rustcRequest.
func parseRustcArgs(args []string, dir string, stdout, stderr io.Writer) (*rustcFlags, rustc.Request, []action.FlagPath, error) {
	var f rustcFlags
	args0 := args
	args, err := action.ExpandParams(dir, args)
	if err != nil {
		return nil, rustc.Request{}, nil, err
	}
	fs := newRustcFlagSet(&f, stderr)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil, rustc.Request{}, nil, errHelp
		}
		return nil, rustc.Request{}, nil, errFlagsReported
	}
	req := rustc.Request{
		Compiler: f.compiler,
		Outputs:  f.outs,
		Env:      f.env,
		Args:     fs.Args(),
		Dir:      dir,
		Stdout:   stdout,
		Stderr:   stderr,

		StopAfterMetadata: f.stopAfterMetadata,
		NoWarnings:        f.noWarnings,
	}
	for _, name := range f.argFiles {
		lines, err := action.ReadLines(dir, name)
		if err != nil {
			return nil, rustc.Request{}, nil, fmt.Errorf("--arg-file %s: %w", name, err)
		}
		for _, l := range lines {
			if l != "" {
				req.Args = append(req.Args, l)
			}
		}
	}
	for _, name := range f.envFiles {
		lines, err := action.ReadLines(dir, name)
		if err != nil {
			return nil, rustc.Request{}, nil, fmt.Errorf("--env-file %s: %w", name, err)
		}
		for i, l := range lines {
			if l == "" {
				continue
			}
			if k, _, ok := strings.Cut(l, "="); !ok || k == "" {
				return nil, rustc.Request{}, nil, fmt.Errorf("--env-file %s: line %d: want NAME=VALUE, got %q", name, i+1, l)
			} else if envSetByFlags(&f, k) {
				return nil, rustc.Request{}, nil, fmt.Errorf("--env-file %s: line %d: %s is set by the action's --env or --env-path, and may not be set again", name, i+1, k)
			}
			req.Env = append(req.Env, l)
		}
	}
	if req.EnvPaths, err = f.envFlags.paths(); err != nil {
		return nil, rustc.Request{}, nil, err
	}
	if f.inputsFrom != "" {
		lines, err := action.ReadLines(dir, f.inputsFrom)
		if err != nil {
			return nil, rustc.Request{}, nil, fmt.Errorf("--inputs-from %s: %w", f.inputsFrom, err)
		}
		req.Inputs = []string{}
		for i, l := range lines {
			if err := inputBelow(dir, l); l != "" && err != nil {
				return nil, rustc.Request{}, nil, fmt.Errorf("--inputs-from %s: line %d: %w", f.inputsFrom, i+1, err)
			}
			if l != "" {
				req.Inputs = append(req.Inputs, l)
			}
		}
	}
	req.AuditFile = auditFile(&f)
	if err := f.macroLimits.check(); err != nil {
		return nil, rustc.Request{}, nil, err
	}
	req.Macros = rustc.Macros{
		Modules:    f.wasmMacros,
		Inputs:     f.macroInputs,
		Limits:     f.macroLimits.limits(),
		ReportMemo: f.macroMemo.report,
	}
	if len(f.wasmMacros) > 0 {
		if req.Macros.Memo, err = f.macroMemo.open(); err != nil {
			return nil, rustc.Request{}, nil, err
		}
	}
	return &f, req, rustcFlagFiles(&f, args0), nil
}

// auditFile is where an action's audit goes: --audit-file, or "".
func auditFile(f *rustcFlags) string { return f.auditFile }

// compileAction runs one action's rustc; it returns the exit status and
// writes what went wrong to stderr.
func compileAction(ctx context.Context, svc *rustc.Service, req rustc.Request, stderr io.Writer) int {
	code, err := svc.Compile(ctx, req)
	if err != nil {
		return reportRustcError(stderr, err)
	}
	return code
}

// reportRustcError prints err, naming the flag at fault where there is one,
// and returns the exit status it calls for.
func reportRustcError(stderr io.Writer, err error) int {
	var (
		trap     *engine.TrapError
		compiler *rustc.CompilerError
		envPath  *rustc.EnvPathError
	)
	switch {
	case errors.Is(err, errHelp):
		return 0
	case errors.Is(err, errFlagsReported):
	case errors.As(err, &trap):
		reportTrap(stderr, trap)
		return exitTrap
	case errors.Is(err, context.Canceled):
		fmt.Fprintln(stderr, "runner: canceled")
	case errors.Is(err, rustc.ErrNoCompiler):
		fmt.Fprintln(stderr, "runner rustc: --compiler is required")
	case errors.As(err, &compiler):
		fmt.Fprintf(stderr, "runner: --compiler %s: %s\n", compiler.Path, compiler.Reason())
	case errors.As(err, &envPath):
		fmt.Fprintf(stderr, "runner: --env-path %s=%s: the path must be relative and stay below the working directory\n", envPath.Name, envPath.Path)
	default:
		reportError(stderr, err)
	}
	return exitFailure
}

// rustcMain is "runner rustc": the rules' compile action, or a persistent
// worker serving many of them (rustc_worker.go). It returns the exit
// status.
func rustcMain(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	f, req, err := rustcRequest(args, "", nil, stdout, stderr)
	if err != nil {
		return reportRustcError(stderr, err)
	}
	ctx := context.Background()
	svc := rustc.NewService(f.engine.Config(stderr))
	defer svc.Close(ctx)
	// SIGTERM or SIGINT cancels what runs: a compile's staged outputs are
	// removed, a worker's children killed.
	ctx, stop := cancelOnSignal(ctx)
	defer stop()
	switch {
	case !f.persistentWorker:
		return compileAction(ctx, svc, req, stderr)
	case !f.workerChild:
		return rustcWorker(ctx, f, stdin, stdout, stderr)
	default:
		return rustcWorkerChild(ctx, svc, stdin, stdout, stderr)
	}
}
