package main

// The "run" verb: run a WASI command module, like wasmtime's "run".

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/engine"
	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/wasi"
)

// runFlags are the flags of "runner run", a subset of wasmtime's.
type runFlags struct {
	dirs, roDirs, linkDirs, env listFlag
	argv0                       string
	cacheDir                    string
	noCache                     bool
	maxMemory                   string
	timeout                     time.Duration
	deterministic               bool
	seed                        uint64
	auditFile                   string
}

func newRunFlagSet(f *runFlags, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("runner run", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Var(&f.dirs, "dir", "preopen host directory `HOST[::GUEST]` for reading and writing; GUEST defaults to HOST (repeatable)")
	fs.Var(&f.roDirs, "ro-dir", "preopen host directory `HOST[::GUEST]` read-only (repeatable)")
	fs.Var(&f.linkDirs, "dir-follow-links", "preopen host directory `HOST[::GUEST]` whose existing symbolic links are followed wherever they point (Bazel runfiles and execroots are made of them); the guest's own paths stay inside and it cannot create links (repeatable)")
	fs.Var(&f.env, "env", "set `NAME=VALUE` in the guest's environment; NAME alone passes the host's value, which must be set (repeatable)")
	fs.StringVar(&f.argv0, "argv0", "", "argv[0] the guest sees (default: the module's file name)")
	fs.StringVar(&f.cacheDir, "cache-dir", engine.DefaultCacheDir(), "keep compiled code in `DIR` between runs")
	fs.BoolVar(&f.noCache, "no-cache", false, "keep compiled code in memory only")
	fs.StringVar(&f.maxMemory, "max-memory", "", "cap the guest's memory at `SIZE` bytes (suffixes K, M, G: KiB, MiB, GiB; a multiple of 64K)")
	fs.DurationVar(&f.timeout, "timeout", 0, "stop the guest after `DURATION` (such as 30s) and exit 124, even a guest that computes without calling the host")
	fs.BoolVar(&f.deterministic, "deterministic", false, "fixed wall clock (2000-01-01), counting monotonic clock, seeded random: for reproducible outputs")
	fs.Uint64Var(&f.seed, "seed", 0, "random seed with --deterministic")
	fs.StringVar(&f.auditFile, "audit-file", "", "write every path the guest opened to `FILE`: a \""+auditHeader+"\" line, then host paths, relative to the current directory when below it, sorted and unique, directories ending in /")
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

// parseSize reads --max-memory.
func parseSize(s string) (uint64, error) {
	mult := uint64(1)
	switch {
	case strings.HasSuffix(s, "K"):
		mult, s = 1<<10, strings.TrimSuffix(s, "K")
	case strings.HasSuffix(s, "M"):
		mult, s = 1<<20, strings.TrimSuffix(s, "M")
	case strings.HasSuffix(s, "G"):
		mult, s = 1<<30, strings.TrimSuffix(s, "G")
	}
	n, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		return 0, err
	}
	return n * mult, nil
}

// mounts turns --dir and --ro-dir values into mounts.
func mounts(flagName string, dirs []string, readOnly bool) ([]wasi.Mount, error) {
	var out []wasi.Mount
	for _, d := range dirs {
		host, guest, ok := strings.Cut(d, "::")
		if !ok {
			guest = host
		}
		if host == "" || guest == "" {
			return nil, fmt.Errorf("%s %q: want HOST[::GUEST]", flagName, d)
		}
		fi, err := os.Stat(host)
		if err != nil {
			return nil, fmt.Errorf("%s %q: %w", flagName, d, err)
		}
		if !fi.IsDir() {
			return nil, fmt.Errorf("%s %q: %s is not a directory", flagName, d, host)
		}
		out = append(out, wasi.Mount{HostPath: host, GuestPath: guest, ReadOnly: readOnly})
	}
	return out, nil
}

// runMain is "runner run"; it returns the exit status.
func runMain(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	var f runFlags
	fs := newRunFlagSet(&f, stderr)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return exitFailure
	}
	if fs.NArg() < 1 {
		fmt.Fprintln(stderr, "runner run: missing MODULE.wasm")
		fs.Usage()
		return exitFailure
	}
	fail := func(err error) int {
		reportError(stderr, err)
		return exitFailure
	}
	modPath, guestArgs := fs.Arg(0), fs.Args()[1:]
	if f.timeout < 0 {
		return fail(fmt.Errorf("--timeout %v: want a positive duration (0 or none: no timeout)", f.timeout))
	}

	cfg := engine.RunConfig{Timeout: f.timeout}
	cfg.Stdin, cfg.Stdout, cfg.Stderr = stdin, stdout, stderr
	cfg.Deterministic, cfg.Seed = f.deterministic, f.seed
	rw, err := mounts("--dir", f.dirs, false)
	if err != nil {
		return fail(err)
	}
	ro, err := mounts("--ro-dir", f.roDirs, true)
	if err != nil {
		return fail(err)
	}
	links, err := mounts("--dir-follow-links", f.linkDirs, false)
	if err != nil {
		return fail(err)
	}
	for i := range links {
		links[i].FollowHostLinks = true
	}
	cfg.Mounts = append(append(rw, ro...), links...)
	for _, e := range f.env {
		name, _, hasValue := strings.Cut(e, "=")
		if name == "" {
			return fail(fmt.Errorf("--env %q: want NAME=VALUE or NAME", e))
		}
		if !hasValue {
			v, ok := os.LookupEnv(e)
			if !ok {
				return fail(fmt.Errorf("--env %s: %s is not set in the runner's environment", e, e))
			}
			e += "=" + v
		}
		cfg.Env = append(cfg.Env, e)
	}
	argv0 := f.argv0
	if argv0 == "" {
		argv0 = filepath.Base(modPath)
	}
	cfg.Args = append([]string{argv0}, guestArgs...)

	// No interruption checks, even with --timeout: the run ends when the
	// timer fires (the collector cannot hold it up, see package engine),
	// and a thread still computing ends with the process, which main
	// exits as soon as this returns.
	ecfg := engine.Config{CacheDir: f.cacheDir, Warnings: stderr}
	if f.noCache {
		ecfg.CacheDir = ""
	}
	if f.maxMemory != "" {
		n, err := parseSize(f.maxMemory)
		if err != nil || n == 0 || n%(64<<10) != 0 || n > 4<<30 {
			return fail(fmt.Errorf("--max-memory %q: want a multiple of 64K up to 4G", f.maxMemory))
		}
		ecfg.MaxMemoryPages = uint32(n / (64 << 10))
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
				reportError(stderr, err)
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
