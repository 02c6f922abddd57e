package main

// The "run" verb: run a WASI command module, like wasmtime's "run".

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/action"
	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/engine"
	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/wasi"
)

// runFlags are the flags of "runner run", a subset of wasmtime's.
type runFlags struct {
	guestFlags
	timeout       time.Duration
	deterministic bool
	seed          uint64
	auditFile     string
}

func newRunFlagSet(f *runFlags, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("runner run", flag.ContinueOnError)
	fs.SetOutput(stderr)
	f.guestFlags.register(fs, "the guest")
	fs.DurationVar(&f.timeout, "timeout", 0, "stop the guest after `DURATION` (such as 30s) and exit 124, even a guest that computes without calling the host")
	fs.BoolVar(&f.deterministic, "deterministic", false, "fixed wall clock (2000-01-01), counting monotonic clock, seeded random, no host file metadata (fixed times, device and link count; inodes from the guest path): for reproducible outputs")
	fs.Uint64Var(&f.seed, "seed", 0, "random seed with --deterministic")
	fs.StringVar(&f.auditFile, "audit-file", "", "write every path the guest opened to `FILE`: a \""+action.AuditHeader+"\" line, then host paths, relative to the current directory when below it, sorted and unique, directories ending in /")
	fs.Usage = func() {
		fmt.Fprintf(stderr, `usage: runner run [flags] MODULE.wasm [ARGS...]

Runs a WASI preview-1 command module, with wasi-threads, under wazero.
stdin, stdout and stderr pass through. Flags go before the module; every
argument after it is the guest's.

Exit status: the guest's exit code; %d if the guest trapped (the trap, the
function and the wasm stack go to stderr); %d on --timeout; %d if the runner
could not run the module (a message names the file, flag or import at fault).

flags:
`, exitTrap, exitTimeout, exitFailure)
		fs.PrintDefaults()
	}
	return fs
}

// runMain is "runner run"; it returns the exit status.
func runMain(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	var f runFlags
	modPath, guestArgs, status, ok := parseModuleVerb(newRunFlagSet(&f, stderr), args, stderr)
	if !ok {
		return status
	}
	fail := func(err error) int {
		reportError(stderr, err)
		return exitFailure
	}
	if f.timeout < 0 {
		return fail(fmt.Errorf("--timeout %v: want a positive duration (0 or none: no timeout)", f.timeout))
	}
	if err := checkOutputFlag("--audit-file", f.auditFile, modPath); err != nil {
		return fail(err)
	}

	cfg := engine.RunConfig{Timeout: f.timeout}
	cfg.Stdin, cfg.Stdout, cfg.Stderr = stdin, stdout, stderr
	cfg.Deterministic, cfg.Seed = f.deterministic, f.seed
	var err error
	if cfg.Mounts, err = f.mounts(); err != nil {
		return fail(err)
	}
	if cfg.Env, err = f.environ(); err != nil {
		return fail(err)
	}
	cfg.Args = append([]string{f.argv0For(modPath)}, guestArgs...)

	// No interruption checks, even with --timeout: the run ends when the
	// timer fires (the collector cannot hold it up, see package engine),
	// and a thread still computing ends with the process, which main
	// exits as soon as this returns.
	ecfg, err := f.engineConfig(stderr)
	if err != nil {
		return fail(err)
	}

	ctx := context.Background()
	eng, err := engine.New(ctx, ecfg)
	if err != nil {
		return fail(err)
	}
	defer eng.Close(ctx)
	mod, err := eng.CompileFile(ctx, modPath)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return fail(fmt.Errorf("module %s: no such file", modPath))
		}
		return fail(err)
	}
	if f.auditFile != "" {
		cfg.Audit = wasi.NewAudit()
		defer func() {
			if err := writeRunAudit(f.auditFile, cfg.Audit); err != nil {
				reportError(stderr, fmt.Errorf("--audit-file %s: %w", f.auditFile, err))
			}
		}()
	}
	code, err := mod.Run(ctx, cfg)
	var trap *engine.TrapError
	var timeout *engine.TimeoutError
	switch {
	case errors.As(err, &trap):
		reportTrap(stderr, trap)
		return exitTrap
	case errors.As(err, &timeout):
		fmt.Fprintf(stderr, "runner: %v\n", timeout)
		return exitTimeout
	case err != nil:
		return fail(err)
	}
	return int(code)
}

// writeRunAudit writes the audit file (action.WriteAudit) of what the guest
// opened, relative to the current directory when below it.
func writeRunAudit(file string, a *wasi.Audit) error {
	wd, err := os.Getwd()
	if err != nil {
		return err
	}
	return action.WriteAudit(file, action.Audit{Paths: a.Paths(wd)})
}
