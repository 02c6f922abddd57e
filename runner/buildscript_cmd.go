package main

// The "build-script" verb: it parses the action's flags into a
// buildscript.Request and hands it to the buildscript package.

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/action"
	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/buildscript"
	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/engine"
)

// buildScriptFlags are the flags of "runner build-script".
type buildScriptFlags struct {
	outDir, manifestDir string
	flagsOut, envOut    string
	envFlags
	extraCfgs, wasmCfgs listFlag
	target, crate       string
	engine              action.EngineFlags
	timeout             time.Duration
}

// buildScriptUsage is the text of "runner build-script --help", before its
// flags (a format: the numbers are filled in).
const buildScriptUsage = `usage: runner build-script [flags] -- SCRIPT [ARGS...]

Runs a compiled Cargo build script for a Bazel action, as Cargo would: with
OUT_DIR and CARGO_MANIFEST_DIR set (absolute), in the manifest directory,
and its cargo:KEY=VALUE (and cargo::KEY=VALUE) lines turned into
--flags-out and --env-out. A SCRIPT ending in .wasm runs in wazero with the
manifest directory read-only at %s and OUT_DIR writable at %s; anything
else runs natively with only the --env variables, OUT_DIR,
CARGO_MANIFEST_DIR and PATH, and fails if it changes a file below the
manifest directory. @FILE arguments (one argument a line) are expanded;
paths are relative to the working directory. Mentions of OUT_DIR in what the
script prints become the --out-dir path as given.

A native script runs in a process group of its own, killed when the script
exits, times out or the runner gets SIGTERM or SIGINT: nothing it started
outlives it. What the script asks for (cfgs, rustc-env, link flags) must
be UTF-8 without control characters; rustc-env may not set RUSTC_BOOTSTRAP,
OUT_DIR or CARGO_MANIFEST_DIR. An output flag that names the working
directory, the script, the manifest directory, a file in it or a parent of
one is an error.

The script's output is shown only if it fails, at most its first %d KiB
and last %d KiB of each stream, control characters escaped; its
cargo:warning lines go to stderr. Only its cargo: lines are kept, at most
%d MiB of them. When it fails, no output is left behind.

Exit status: 0; the script's exit status (1 for another failure of the
script: bad output, a write outside OUT_DIR); %d if a .wasm script trapped
(a Rust panic does); %d on --timeout; %d if the runner could not run the
script, or was stopped by a signal.
`

func newBuildScriptFlagSet(f *buildScriptFlags, stderr io.Writer) *flag.FlagSet {
	fs := newFlagSet("build-script", stderr, fmt.Sprintf(buildScriptUsage, buildscript.GuestManifestDir, buildscript.GuestOutDir,
		buildscript.ReportHead>>10, buildscript.ReportTail>>10, buildscript.MaxInstructions>>20, exitTrap, exitTimeout, exitFailure))
	fs.StringVar(&f.outDir, "out-dir", "", "OUT_DIR, a declared `DIR`: emptied, filled by the script and kept only if it succeeds")
	fs.StringVar(&f.manifestDir, "manifest-dir", "", "CARGO_MANIFEST_DIR, the crate's `DIR`, and the script's working directory")
	fs.StringVar(&f.flagsOut, "flags-out", "", "on success, write to `FILE` the rustc arguments the script asked for (--cfg=, --check-cfg=, -L, -l), one a line, then the --extra-cfg and --wasm-cfg ones")
	fs.StringVar(&f.envOut, "env-out", "", "on success, write to `FILE` the NAME=VALUE lines of the script's cargo:rustc-env")
	f.envFlags.register(fs, "the script's", ": absolute for a native script, as given for a .wasm one (repeatable; an --env of the same name wins)")
	fs.Var(&f.extraCfgs, "extra-cfg", "a cfg `NAME` (or NAME=\"VALUE\") always added to --flags-out (repeatable)")
	fs.Var(&f.wasmCfgs, "wasm-cfg", "a cfg `NAME` (or NAME=\"VALUE\") added to --flags-out when the script is a .wasm, which cannot run $RUSTC to probe the compiler (repeatable)")
	fs.StringVar(&f.target, "target", "", "the `TRIPLE` the crate is built for; for wasm32, cargo:rustc-link-lib is an error")
	fs.StringVar(&f.crate, "crate", "", "the crate's `NAME`, for messages")
	f.engine.Register(fs, "of a .wasm script")
	fs.DurationVar(&f.timeout, "timeout", 0, "stop the script after `DURATION` (such as 5m; 0: no limit) and exit 124")
	return fs
}

// buildScriptMain is "runner build-script"; it returns the exit status.
func buildScriptMain(args []string, stderr io.Writer) int {
	fail := func(err error) int {
		fmt.Fprintf(stderr, "runner build-script: %v\n", err)
		return exitFailure
	}
	args, err := action.ExpandParams("", args)
	if err != nil {
		return fail(err)
	}
	var f buildScriptFlags
	fs := newBuildScriptFlagSet(&f, stderr)
	if code, ok := parseFlags(fs, args); !ok {
		return code
	}
	if fs.NArg() < 1 {
		fmt.Fprintln(stderr, "runner build-script: missing SCRIPT after --")
		fs.Usage()
		return exitFailure
	}
	req := buildscript.Request{
		Script:      fs.Arg(0),
		Args:        fs.Args()[1:],
		OutDir:      f.outDir,
		ManifestDir: f.manifestDir,
		FlagsOut:    f.flagsOut,
		EnvOut:      f.envOut,
		Env:         f.env,
		ExtraCfgs:   f.extraCfgs,
		WasmCfgs:    f.wasmCfgs,
		Target:      f.target,
		Crate:       f.crate,
		Stderr:      stderr,
	}
	if req.EnvPaths, err = f.envFlags.paths(); err != nil {
		return fail(err)
	}
	for _, c := range append(append([]string(nil), f.extraCfgs...), f.wasmCfgs...) {
		if c == "" || strings.HasPrefix(c, "=") {
			return fail(fmt.Errorf("--extra-cfg/--wasm-cfg %q: want NAME or NAME=\"VALUE\"", c))
		}
		if r, _, ok := buildscript.ControlChar(c); ok {
			return fail(fmt.Errorf("--extra-cfg/--wasm-cfg %q: a control character (U+%04X); a cfg is one rustc argument", c, r))
		}
	}
	if f.timeout < 0 {
		return fail(fmt.Errorf("--timeout %v: want a positive duration (0 or none: no limit)", f.timeout))
	}
	req.Timeout = f.timeout
	// SIGTERM or SIGINT (Bazel cancels an action so) stops the script, its
	// process group killed, and removes what it staged.
	ctx, stop := cancelOnSignal(context.Background())
	defer stop()
	if action.IsWasm(req.Script) {
		eng, err := engine.New(ctx, f.engine.Config(nil))
		if err != nil {
			return fail(err)
		}
		defer eng.Close(ctx)
		req.Engine = eng
	}
	err = buildscript.Run(ctx, req)
	var failure *buildscript.Failure
	switch {
	case errors.As(err, &failure):
		failure.Report(stderr)
		switch {
		case failure.Timeout > 0:
			return exitTimeout
		case failure.Trap != nil:
			reportTrap(stderr, failure.Trap)
			return exitTrap
		}
		return failure.Code
	case errors.Is(err, context.Canceled):
		fmt.Fprintln(stderr, "runner build-script: canceled")
		return exitFailure
	case err != nil:
		return fail(err)
	}
	return 0
}
