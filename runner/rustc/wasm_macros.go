package rustc

// Wasm proc macros for a native rustc: the runner serves the expansions of
// the shims rustc loads, each in a fresh wazero instance of its module.

import (
	"context"
	"errors"
	"time"

	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/action"
	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/engine"
	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/wasi"
	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/wasmmacro"
)

// Macros are the wasm proc macros of one compile.
type Macros struct {
	// Modules are the lib<crate>.wasm files whose macros the compile may
	// expand, relative to Request.Dir.
	Modules []string
	// Inputs are the files a macro may read (the compiled crate's declared
	// sources and data), relative to Request.Dir; read-only.
	Inputs []string
	// Timeout stops one expansion; 0 is wasmmacro.DefaultTimeout.
	Timeout time.Duration
	// MaxMemoryPages caps a macro's memory (64 KiB pages); 0 is
	// DefaultMacroMemoryPages.
	MaxMemoryPages uint32
}

// DefaultMacroMemoryPages caps a macro's memory at 1 GiB.
const DefaultMacroMemoryPages = 1 << 14

// macroEngineFor returns the engine of wasm proc macros, created once.
func (s *Service) macroEngineFor(ctx context.Context, pages uint32) (*engine.Engine, error) {
	s.macroEngineOnce.Do(func() {
		cfg := s.cfg
		cfg.MaxMemoryPages = pages
		if cfg.MaxMemoryPages == 0 {
			cfg.MaxMemoryPages = DefaultMacroMemoryPages
		}
		s.macroEngine, s.macroEngineErr = engine.New(context.WithoutCancel(ctx), cfg)
	})
	if s.macroEngineErr != nil {
		return nil, s.macroEngineErr
	}
	if s.macroEngine == nil {
		return nil, errors.New("the rustc service is closed")
	}
	return s.macroEngine, nil
}

// serveMacros starts serving req's wasm proc macros for a native rustc in
// dir, the absolute working directory. It returns the NAME=VALUE that tells
// the shims where, and what stops the serving.
func (s *Service) serveMacros(ctx context.Context, req Request, dir string) (string, func(), error) {
	var modules []*wasmmacro.Module
	for _, p := range req.Macros.Modules {
		m, err := wasmmacro.ReadModule(action.Resolve(req.Dir, p))
		if err != nil {
			return "", nil, err
		}
		m.Path = p
		modules = append(modules, m)
	}
	eng, err := s.macroEngineFor(ctx, req.Macros.MaxMemoryPages)
	if err != nil {
		return "", nil, err
	}
	cfg, err := macroWorld(req, dir)
	if err != nil {
		return "", nil, err
	}
	x, err := wasmmacro.NewExpander(eng, cfg, modules)
	if err != nil {
		return "", nil, err
	}
	srv, err := wasmmacro.Listen(x)
	if err != nil {
		return "", nil, err
	}
	ctx, cancel := context.WithCancel(ctx)
	go srv.Serve(ctx)
	return wasmmacro.SocketEnv + "=" + srv.Path(), func() { cancel(); srv.Close() }, nil
}

// macroWorld is what a macro sees: the environment the action gives rustc
// (Cargo's variables, rustc_env, a build script's rustc-env lines; paths as
// the guest sees them), as a native macro sees rustc's, but none of the
// host's; and the crate's declared inputs, read-only, at "/".
func macroWorld(req Request, dir string) (wasmmacro.Config, error) {
	cfg := wasmmacro.Config{Timeout: req.Macros.Timeout, Stderr: req.Stderr}
	cfg.Env = env(req, guestPath)
	view, err := wasi.NewView(dir, wasi.ViewSpec{Inputs: req.Macros.Inputs})
	if err != nil {
		return cfg, err
	}
	cfg.Mounts = []wasi.Mount{{HostPath: dir, GuestPath: "/", ReadOnly: true, FollowHostLinks: true, View: view}}
	return cfg, nil
}
