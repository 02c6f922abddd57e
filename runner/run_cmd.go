package main

// The "run" verb: run a WASI command module, like wasmtime's "run".

import (
	"context"
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

// runUsage is the text of "runner run --help", before its flags (a format:
// the numbers are filled in).
const runUsage = `usage: runner run [flags] MODULE.wasm [ARGS...]

Runs a WASI preview-1 command module, with wasi-threads, under wazero.
stdin, stdout and stderr pass through. Flags go before the module; every
argument after it is the guest's.

Exit status: the guest's exit code; %d if the guest trapped (the trap, the
function and the wasm stack go to stderr); %d on --timeout; %d if the runner
could not run the module (a message names the file, flag or import at fault).
`

func newRunFlagSet(f *runFlags, stderr io.Writer) *flag.FlagSet {
	fs := newFlagSet("run", stderr, fmt.Sprintf(runUsage, exitTrap, exitTimeout, exitFailure))
	f.guestFlags.register(fs, "the guest")
	fs.DurationVar(&f.timeout, "timeout", 0, "stop the guest after `DURATION` (such as 30s) and exit 124, even a guest that computes without calling the host")
	fs.BoolVar(&f.deterministic, "deterministic", false, "fixed wall clock (2000-01-01), counting monotonic clock, seeded random, no host file metadata (fixed times, device and link count; inodes from the guest path): for reproducible outputs")
	fs.Uint64Var(&f.seed, "seed", 0, "random seed with --deterministic")
	fs.StringVar(&f.auditFile, "audit-file", "", "write every path the guest opened to `FILE`: a \""+action.AuditHeader+"\" line, then host paths, relative to the current directory when below it, sorted and unique, directories ending in /")
	return fs
}

// runMain is "runner run"; it returns the exit status.
func runMain(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	var f runFlags
	modPath, guestArgs, status, ok := parseModuleVerb(newRunFlagSet(&f, stderr), args, stderr)
	if !ok {
		return status
	}
	if f.timeout < 0 {
		return failed(stderr, fmt.Errorf("--timeout %v: want a positive duration (0 or none: no timeout)", f.timeout))
	}
	if err := checkOutputFlag("--audit-file", f.auditFile, modPath); err != nil {
		return failed(stderr, err)
	}

	cfg := engine.RunConfig{Timeout: f.timeout}
	cfg.Stdin, cfg.Stdout, cfg.Stderr = stdin, stdout, stderr
	cfg.Deterministic, cfg.Seed = f.deterministic, f.seed
	var err error
	if cfg.Mounts, err = f.mounts(); err != nil {
		return failed(stderr, err)
	}
	if cfg.Env, err = f.environ(); err != nil {
		return failed(stderr, err)
	}
	cfg.Args = append([]string{f.argv0For(modPath)}, guestArgs...)

	// No interruption checks, even with --timeout: the run ends when the
	// timer fires (the collector cannot hold it up, see package engine),
	// and a thread still computing ends with the process, which main
	// exits as soon as this returns.
	ctx := context.Background()
	eng, mod, err := f.compile(ctx, modPath, stderr, false)
	if err != nil {
		return failed(stderr, err)
	}
	defer eng.Close(ctx)
	if f.auditFile != "" {
		cfg.Audit = wasi.NewAudit()
		defer func() {
			if err := writeRunAudit(f.auditFile, cfg.Audit); err != nil {
				reportError(stderr, fmt.Errorf("--audit-file %s: %w", f.auditFile, err))
			}
		}()
	}
	code, err := mod.Run(ctx, cfg)
	return guestStatus(stderr, code, err)
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
