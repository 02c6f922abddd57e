package main

// The flags the "run" and "test" verbs share: the guest's files, its
// environment and argv[0], and the engine's cache and memory cap.

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

	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/action"
	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/engine"
	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/wasi"
)

type guestFlags struct {
	dirs, roDirs, linkDirs, env listFlag
	argv0, maxMemory            string
	engine                      action.EngineFlags
}

// register adds the flags to fs; guest says whose they are in the help
// ("the guest", "every test").
func (g *guestFlags) register(fs *flag.FlagSet, guest string) {
	fs.Var(&g.dirs, "dir", "preopen host directory `HOST[::GUEST]` for reading and writing; GUEST defaults to HOST (repeatable)")
	fs.Var(&g.roDirs, "ro-dir", "preopen host directory `HOST[::GUEST]` read-only (repeatable)")
	fs.Var(&g.linkDirs, "dir-follow-links", "preopen host directory `HOST[::GUEST]` whose existing symbolic links are followed wherever they point (Bazel runfiles and execroots are made of them); the guest's own paths stay inside and it cannot create links (repeatable)")
	fs.Var(&g.env, "env", "set `NAME=VALUE` in "+guest+"'s environment; NAME alone passes the host's value, which must be set (repeatable)")
	fs.StringVar(&g.argv0, "argv0", "", "argv[0] "+guest+" sees (default: the module's file name)")
	g.engine.Register(fs, "")
	fs.StringVar(&g.maxMemory, "max-memory", "", "cap "+guest+"'s memory at `SIZE` bytes (suffixes K, M, G: KiB, MiB, GiB; a multiple of 64K)")
}

// mounts are the --dir, --ro-dir and --dir-follow-links directories.
func (g *guestFlags) mounts() ([]wasi.Mount, error) {
	rw, err := mounts("--dir", g.dirs, false)
	if err != nil {
		return nil, err
	}
	ro, err := mounts("--ro-dir", g.roDirs, true)
	if err != nil {
		return nil, err
	}
	links, err := mounts("--dir-follow-links", g.linkDirs, false)
	if err != nil {
		return nil, err
	}
	for i := range links {
		links[i].FollowHostLinks = true
	}
	return append(append(rw, ro...), links...), nil
}

// environ is the --env list as NAME=VALUE; NAME alone takes the host's
// value, and an unset NAME is an error.
func (g *guestFlags) environ() ([]string, error) {
	var out []string
	for _, e := range g.env {
		name, _, hasValue := strings.Cut(e, "=")
		if name == "" {
			return nil, fmt.Errorf("--env %q: want NAME=VALUE or NAME", e)
		}
		if !hasValue {
			v, ok := os.LookupEnv(e)
			if !ok {
				return nil, fmt.Errorf("--env %s: %s is not set in the runner's environment", e, e)
			}
			e += "=" + v
		}
		out = append(out, e)
	}
	return out, nil
}

// argv0For is --argv0, or the module's file name.
func (g *guestFlags) argv0For(module string) string {
	if g.argv0 != "" {
		return g.argv0
	}
	return filepath.Base(module)
}

// engineConfig is the engine's configuration: the cache and memory cap.
func (g *guestFlags) engineConfig(warnings io.Writer) (engine.Config, error) {
	cfg := g.engine.Config(warnings)
	if g.maxMemory != "" {
		n, err := parseSize(g.maxMemory)
		if err != nil || n == 0 || n%(64<<10) != 0 || n > 4<<30 {
			return cfg, fmt.Errorf("--max-memory %q: want a multiple of 64K up to 4G", g.maxMemory)
		}
		cfg.MaxMemoryPages = uint32(n / (64 << 10))
	}
	return cfg, nil
}

// compile makes the engine the flags ask for and compiles the module with
// it; the caller closes the engine. warnings receives the engine's
// warnings; noSourceLines leaves the source lines out of a trap's stack.
func (g *guestFlags) compile(ctx context.Context, module string, warnings io.Writer, noSourceLines bool) (*engine.Engine, *engine.Module, error) {
	cfg, err := g.engineConfig(warnings)
	if err != nil {
		return nil, nil, err
	}
	cfg.NoSourceLines = noSourceLines
	eng, err := engine.New(ctx, cfg)
	if err != nil {
		return nil, nil, err
	}
	mod, err := eng.CompileFile(ctx, module)
	if err != nil {
		eng.Close(ctx)
		if errors.Is(err, os.ErrNotExist) {
			return nil, nil, fmt.Errorf("module %s: no such file", module)
		}
		return nil, nil, err
	}
	return eng, mod, nil
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

// mounts turns the values of one directory flag into mounts.
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

// checkOutputFlag refuses an output flag's file that would destroy what
// the verb reads: the module, the working directory or a parent of one.
func checkOutputFlag(flagName, path, module string) error {
	if path == "" {
		return nil
	}
	return action.CheckOutputs("", []action.FlagPath{{Flag: flagName, Path: path}},
		[]action.FlagPath{{Flag: "module", Path: module}})
}
