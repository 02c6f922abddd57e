package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sync"
	"syscall"

	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/engine"
	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/rustc"
	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/worker"
)

// rustcFlags are the flags of "runner rustc".
type rustcFlags struct {
	compiler         string
	outs, env        listFlag
	cacheDir         string
	noCache          bool
	persistentWorker bool
	workerProtocol   string
}

func newRustcFlagSet(f *rustcFlags, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("runner rustc", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&f.compiler, "compiler", "", "rustc to run: a `FILE` ending in .wasm runs in wazero with the working directory mounted at /; anything else runs as a native executable")
	fs.Var(&f.outs, "out", "a declared output `FILE` (repeatable): rustc writes it under a temporary name, renamed into place only if rustc succeeds")
	fs.Var(&f.env, "env", "`NAME=VALUE` in rustc's environment (repeatable)")
	fs.StringVar(&f.cacheDir, "cache-dir", engine.DefaultCacheDir(), "keep compiled code of rustc.wasm in `DIR` between runs")
	fs.BoolVar(&f.noCache, "no-cache", false, "keep compiled code in memory only")
	fs.BoolVar(&f.persistentWorker, "persistent_worker", false, "serve Bazel work requests on stdin (Bazel adds this flag); each request carries --compiler, --out, --env, -- and rustc's arguments")
	fs.StringVar(&f.workerProtocol, "worker_protocol", "proto", "the persistent-worker protocol: `proto` or json")
	fs.Usage = func() {
		fmt.Fprintf(stderr, `usage: runner rustc [flags] -- RUSTC_ARGS...
       runner rustc [--cache-dir DIR] [--worker_protocol proto|json] --persistent_worker

Runs rustc once for a Bazel action, or, with --persistent_worker, serves
many actions as a multiplex persistent worker that compiles rustc.wasm once.
@FILE arguments (one argument a line) are expanded. rustc's diagnostics go
to stderr (a worker's response) and its exit status is the runner's; when
rustc fails, none of the --out files is left behind. A rustc.wasm runs
with a fixed clock and seeded randomness.

flags:
`)
		fs.PrintDefaults()
	}
	return fs
}

// compileAction runs one action's rustc; it returns the exit status and
// writes diagnostics to stderr.
func compileAction(ctx context.Context, mods func() (*rustc.Modules, error), f *rustcFlags, args []string, dir string, stdout, stderr io.Writer) int {
	if f.compiler == "" {
		fmt.Fprintln(stderr, "runner rustc: --compiler is required")
		return exitFailure
	}
	m := &rustc.Modules{}
	if rustc.IsWasm(f.compiler) {
		var err error
		if m, err = mods(); err != nil {
			fmt.Fprintf(stderr, "runner: %v\n", err)
			return exitFailure
		}
	}
	code, err := rustc.Run(ctx, m, rustc.Request{
		Compiler: f.compiler,
		Outputs:  f.outs,
		Env:      f.env,
		Args:     args,
		Dir:      dir,
		Stdout:   stdout,
		Stderr:   stderr,
	})
	var trap *engine.TrapError
	switch {
	case errors.As(err, &trap):
		reportTrap(stderr, trap)
		return exitTrap
	case errors.Is(err, context.Canceled):
		fmt.Fprintln(stderr, "runner: canceled")
		return exitFailure
	case err != nil:
		fmt.Fprintf(stderr, "runner: %v\n", err)
		return exitFailure
	}
	return code
}

// lazyModules creates the engine on first use, once, and shares it.
func lazyModules(ctx context.Context, f *rustcFlags) (get func() (*rustc.Modules, error), closeAll func()) {
	var once sync.Once
	var mods *rustc.Modules
	var err error
	get = func() (*rustc.Modules, error) {
		once.Do(func() {
			cfg := engine.Config{CacheDir: f.cacheDir}
			if f.noCache {
				cfg.CacheDir = ""
			}
			var eng *engine.Engine
			if eng, err = engine.New(ctx, cfg); err == nil {
				mods = &rustc.Modules{Engine: eng}
			}
		})
		return mods, err
	}
	closeAll = func() {
		if mods != nil {
			mods.Engine.Close(ctx)
		}
	}
	return get, closeAll
}

// rustcMain is "runner rustc": the rules' compile action, or a persistent
// worker serving many of them. It returns the exit status.
func rustcMain(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	args, err := rustc.ExpandParams("", args)
	if err != nil {
		fmt.Fprintf(stderr, "runner: %v\n", err)
		return exitFailure
	}
	var f rustcFlags
	fs := newRustcFlagSet(&f, stderr)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return exitFailure
	}
	ctx := context.Background()
	mods, closeAll := lazyModules(ctx, &f)
	defer closeAll()
	if !f.persistentWorker {
		return compileAction(ctx, mods, &f, fs.Args(), "", stdout, stderr)
	}
	ctx, stop := signal.NotifyContext(ctx, syscall.SIGTERM, os.Interrupt)
	defer stop()
	startup := f
	err = worker.Serve(ctx, stdin, stdout, worker.Protocol(startup.workerProtocol), func(ctx context.Context, req *worker.Request, out io.Writer) int {
		args, err := rustc.ExpandParams(req.SandboxDir, req.Arguments)
		if err != nil {
			fmt.Fprintf(out, "runner: %v\n", err)
			return exitFailure
		}
		var rf rustcFlags
		rfs := newRustcFlagSet(&rf, out)
		if err := rfs.Parse(args); err != nil {
			return exitFailure
		}
		return compileAction(ctx, mods, &rf, rfs.Args(), req.SandboxDir, out, out)
	})
	if err != nil {
		fmt.Fprintf(stderr, "runner: worker: %v\n", err)
		return exitFailure
	}
	return 0
}
