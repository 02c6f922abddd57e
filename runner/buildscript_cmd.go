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

	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/buildscript"
	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/engine"
	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/rustc"
)

// buildScriptFlags are the flags of "runner build-script".
type buildScriptFlags struct {
	outDir, manifestDir string
	flagsOut, envOut    string
	env, envPaths       listFlag
	extraCfgs, wasmCfgs listFlag
	target, crate       string
	cacheDir            string
	noCache             bool
}

func newBuildScriptFlagSet(f *buildScriptFlags, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("runner build-script", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&f.outDir, "out-dir", "", "OUT_DIR, a declared `DIR`: emptied, filled by the script and kept only if it succeeds")
	fs.StringVar(&f.manifestDir, "manifest-dir", "", "CARGO_MANIFEST_DIR, the crate's `DIR`, and the script's working directory")
	fs.StringVar(&f.flagsOut, "flags-out", "", "on success, write to `FILE` the rustc arguments the script asked for (--cfg=, --check-cfg=, -L, -l), one a line, then the --extra-cfg and --wasm-cfg ones")
	fs.StringVar(&f.envOut, "env-out", "", "on success, write to `FILE` the NAME=VALUE lines of the script's cargo:rustc-env")
	fs.Var(&f.env, "env", "`NAME=VALUE` in the script's environment (repeatable)")
	fs.Var(&f.envPaths, "env-path", "`NAME=PATH` in the script's environment, PATH relative to the working directory: absolute for a native script, as given for a .wasm one (repeatable; an --env of the same name wins)")
	fs.Var(&f.extraCfgs, "extra-cfg", "a cfg `NAME` (or NAME=\"VALUE\") always added to --flags-out (repeatable)")
	fs.Var(&f.wasmCfgs, "wasm-cfg", "a cfg `NAME` (or NAME=\"VALUE\") added to --flags-out when the script is a .wasm, which cannot run $RUSTC to probe the compiler (repeatable)")
	fs.StringVar(&f.target, "target", "", "the `TRIPLE` the crate is built for; for wasm32, cargo:rustc-link-lib is an error")
	fs.StringVar(&f.crate, "crate", "", "the crate's `NAME`, for messages")
	fs.StringVar(&f.cacheDir, "cache-dir", engine.DefaultCacheDir(), "keep compiled code of a .wasm script in `DIR` between runs")
	fs.BoolVar(&f.noCache, "no-cache", false, "keep compiled code in memory only")
	fs.Usage = func() {
		fmt.Fprintf(stderr, `usage: runner build-script [flags] -- SCRIPT [ARGS...]

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

The script's output is shown only if it fails; its cargo:warning lines go
to stderr. When it fails, no output is left behind.

Exit status: 0; the script's exit status (1 for another failure of the
script: bad output, a write outside OUT_DIR); %d if a .wasm script trapped
(a Rust panic does); %d if the runner could not run the script.

flags:
`, buildscript.GuestManifestDir, buildscript.GuestOutDir, exitTrap, exitFailure)
		fs.PrintDefaults()
	}
	return fs
}

// buildScriptMain is "runner build-script"; it returns the exit status.
func buildScriptMain(args []string, stderr io.Writer) int {
	fail := func(err error) int {
		fmt.Fprintf(stderr, "runner build-script: %v\n", err)
		return exitFailure
	}
	args, err := rustc.ExpandParams("", args)
	if err != nil {
		return fail(err)
	}
	var f buildScriptFlags
	fs := newBuildScriptFlagSet(&f, stderr)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return exitFailure
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
	for _, ep := range f.envPaths {
		k, p, ok := strings.Cut(ep, "=")
		if !ok || k == "" || p == "" {
			return fail(fmt.Errorf("--env-path %q: want NAME=PATH", ep))
		}
		req.EnvPaths = append(req.EnvPaths, buildscript.EnvPath{Name: k, Path: p})
	}
	for _, c := range append(append([]string(nil), f.extraCfgs...), f.wasmCfgs...) {
		if c == "" || strings.HasPrefix(c, "=") {
			return fail(fmt.Errorf("--extra-cfg/--wasm-cfg %q: want NAME or NAME=\"VALUE\"", c))
		}
	}
	ctx := context.Background()
	if buildscript.IsWasm(req.Script) {
		ecfg := engine.Config{CacheDir: f.cacheDir}
		if f.noCache {
			ecfg.CacheDir = ""
		}
		eng, err := engine.New(ctx, ecfg)
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
		if failure.Trap != nil {
			reportTrap(stderr, failure.Trap)
			return exitTrap
		}
		return failure.Code
	case err != nil:
		return fail(err)
	}
	return 0
}
