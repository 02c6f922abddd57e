package rustc

// Wasm proc macros for a native rustc: the runner serves the expansions of
// the shims rustc loads, each in a fresh wazero instance of its module.

import (
	"context"
	"errors"

	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/action"
	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/macroexpand"
)

// Macros are the wasm proc macros of one compile.
type Macros struct {
	// Modules are the lib<crate>.wasm files whose macros the compile may
	// expand, relative to Request.Dir.
	Modules []string
	// Inputs are the files a macro may read (the compiled crate's declared
	// sources and data), relative to Request.Dir; read-only.
	Inputs []string
	// Limits bound each expansion (zero fields: macroexpand.s defaults).
	Limits macroexpand.Limits
}

// macroEngineFor returns the engine of wasm proc macros under limits,
// created once for each set of limits.
func (s *Service) macroEngineFor(ctx context.Context, limits macroexpand.Limits) (*macroexpand.Engine, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.macroEngines == nil {
		return nil, errors.New("the rustc service is closed")
	}
	if e := s.macroEngines[limits]; e != nil {
		return e, nil
	}
	// The engine outlives the request that happens to create it.
	e, err := macroexpand.NewEngine(context.WithoutCancel(ctx), s.cfg, limits)
	if err != nil {
		return nil, err
	}
	s.macroEngines[limits] = e
	return e, nil
}

// serveMacros starts serving req's wasm proc macros for a native rustc in
// dir, the absolute working directory: the server answers once told
// rustc's pid (Server.Allow), and stop ends the serving.
func (s *Service) serveMacros(ctx context.Context, req Request, dir string) (srv *macroexpand.Server, stop func(), err error) {
	var modules []*macroexpand.Module
	for _, p := range req.Macros.Modules {
		m, err := macroexpand.ReadModule(action.Resolve(req.Dir, p))
		if err != nil {
			return nil, nil, err
		}
		m.Path = p
		modules = append(modules, m)
	}
	eng, err := s.macroEngineFor(ctx, req.Macros.Limits)
	if err != nil {
		return nil, nil, err
	}
	cfg, err := macroWorld(req, dir)
	if err != nil {
		return nil, nil, err
	}
	x, err := macroexpand.NewExpander(eng, cfg, modules)
	if err != nil {
		return nil, nil, err
	}
	srv, err = macroexpand.Listen(x)
	if err != nil {
		return nil, nil, err
	}
	ctx, cancel := context.WithCancel(ctx)
	go srv.Serve(ctx)
	return srv, func() { cancel(); srv.Close() }, nil
}

// macroWorld is what a macro sees: the environment the action gives rustc
// (Cargo's variables, rustc_env, a build script's rustc-env lines; paths as
// the guest sees them), as a native macro sees rustc's, but none of the
// host's; and the crate's declared inputs, read-only, at "/".
func macroWorld(req Request, dir string) (macroexpand.Config, error) {
	cfg := macroexpand.Config{Stderr: req.Stderr}
	cfg.Env = env(req, guestPath)
	var err error
	cfg.Mounts, err = macroexpand.InputsView(dir, req.Macros.Inputs)
	return cfg, err
}
