package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/engine"
	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/rustc"
)

// rustcMain is "runner rustc [flags] -- RUSTC_ARGS": the rules' compile
// action. It returns the exit status.
func rustcMain(args []string, stdout, stderr io.Writer) int {
	var outs, env listFlag
	fs := flag.NewFlagSet("runner rustc", flag.ContinueOnError)
	fs.SetOutput(stderr)
	compiler := fs.String("compiler", "", "rustc to run: a `FILE` ending in .wasm runs in wazero with the working directory mounted at /; anything else runs as a native executable")
	fs.Var(&outs, "out", "a declared output `FILE` (repeatable): rustc writes it under a temporary name, renamed into place only if rustc succeeds")
	fs.Var(&env, "env", "`NAME=VALUE` in rustc's environment (repeatable)")
	cacheDir := fs.String("cache-dir", engine.DefaultCacheDir(), "keep compiled code of rustc.wasm in `DIR` between runs")
	noCache := fs.Bool("no-cache", false, "keep compiled code in memory only")
	fs.Usage = func() {
		fmt.Fprintf(stderr, `usage: runner rustc [flags] -- RUSTC_ARGS...

Runs rustc once for a Bazel action. @FILE arguments (one argument a line)
are expanded. rustc's diagnostics go to stderr and its exit status is the
runner's; when rustc fails, none of the --out files is left behind. A
rustc.wasm runs with a fixed clock and seeded randomness.

flags:
`)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return exitFailure
	}
	if *compiler == "" {
		fmt.Fprintln(stderr, "runner rustc: --compiler is required")
		return exitFailure
	}
	ctx := context.Background()
	mods := &rustc.Modules{}
	if rustc.IsWasm(*compiler) {
		cfg := engine.Config{CacheDir: *cacheDir}
		if *noCache {
			cfg.CacheDir = ""
		}
		eng, err := engine.New(ctx, cfg)
		if err != nil {
			fmt.Fprintf(stderr, "runner: %v\n", err)
			return exitFailure
		}
		defer eng.Close(ctx)
		mods.Engine = eng
	}
	code, err := rustc.Run(ctx, mods, rustc.Request{
		Compiler: *compiler,
		Outputs:  outs,
		Env:      env,
		Args:     fs.Args(),
		Stdout:   stdout,
		Stderr:   stderr,
	})
	var trap *engine.TrapError
	switch {
	case errors.As(err, &trap):
		fmt.Fprintf(stderr, "runner: %v\nwasm stack:\n", trap)
		for _, s := range trap.Stack {
			fmt.Fprintf(stderr, "\t%s\n", s)
		}
		return exitTrap
	case err != nil:
		fmt.Fprintf(stderr, "runner: %v\n", err)
		return exitFailure
	}
	return code
}
