package rustc

// Wasm proc macros for a native rustc: the runner serves the expansions of
// the shims rustc loads, each in a fresh wazero instance of its module
// (package macroexpand). startNative is the one way in.

import (
	"context"
	"errors"
	"fmt"
	"os/exec"

	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/action"
	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/hostpath"
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
	// Limits bound each expansion (zero fields: macroexpand's defaults).
	Limits macroexpand.Limits
	// Memo keeps and replays expansions; nil runs every one.
	Memo *macroexpand.Memo
	// ReportMemo prints, after rustc ends, how many expansions Memo
	// replayed and how many ran.
	ReportMemo bool
}

// startNative starts cmd, a native rustc in dir (the absolute working
// directory), serving it req's wasm proc macros if there are any: the
// socket's path is in its environment (noted in undeclaredEnv, the
// runner's own variables), and the socket answers rustc's pid only, not
// whatever else of the user's finds it. stop ends the serving, once rustc
// has ended.
func (s *Service) startNative(ctx context.Context, req Request, dir string, cmd *exec.Cmd, undeclaredEnv map[string]bool) (stop func(), err error) {
	stop = func() {}
	var srv *macroexpand.Server
	if len(req.Macros.Modules) > 0 {
		var x *macroexpand.Expander
		if srv, x, err = s.listenForMacros(ctx, req, dir); err != nil {
			return nil, err
		}
		ctx, cancel := context.WithCancel(ctx)
		go srv.Serve(ctx)
		stop = func() {
			cancel()
			srv.Close()
			reportMemo(req, x)
		}
		cmd.Env = append(cmd.Env, macroexpand.SocketEnv+"="+srv.Path())
		undeclaredEnv[macroexpand.SocketEnv] = true
	}
	if err := cmd.Start(); err != nil {
		stop()
		return nil, &CompilerError{Path: req.Compiler, Err: err}
	}
	if srv != nil {
		srv.Allow(cmd.Process.Pid)
	}
	return stop, nil
}

// listenForMacros opens the socket of req's macros: their modules, the
// engine of their limits, and their world.
func (s *Service) listenForMacros(ctx context.Context, req Request, dir string) (*macroexpand.Server, *macroexpand.Expander, error) {
	var modules []*macroexpand.Module
	for _, p := range req.Macros.Modules {
		m, err := macroexpand.ReadModule(action.Resolve(req.Dir, p))
		if err != nil {
			return nil, nil, err
		}
		m.Path = p
		modules = append(modules, m)
	}
	eng, err := s.macroEngine(ctx, req.Macros.Limits)
	if err != nil {
		return nil, nil, err
	}
	world, err := macroWorld(req, dir)
	if err != nil {
		return nil, nil, err
	}
	x, err := macroexpand.NewExpander(eng, world, modules)
	if err != nil {
		return nil, nil, err
	}
	if req.Macros.Memo != nil {
		x.UseMemo(req.Macros.Memo)
	}
	srv, err := macroexpand.Listen(x)
	return srv, x, err
}

// reportMemo bounds the memo's size once the compile's expansions are
// done, and prints what it replayed if asked to.
func reportMemo(req Request, x *macroexpand.Expander) {
	if req.Macros.Memo == nil {
		return
	}
	req.Macros.Memo.Trim()
	hits, misses, unkeyed := x.MemoStats()
	if req.Macros.ReportMemo && req.Stderr != nil {
		fmt.Fprintf(req.Stderr, "wasm proc macros: %d expansions, %d replayed from the expansion cache, %d run", hits+misses+unkeyed, hits, misses+unkeyed)
		if unkeyed > 0 {
			fmt.Fprintf(req.Stderr, " (%d not cacheable: threads, or a world the cache cannot key)", unkeyed)
		}
		fmt.Fprintf(req.Stderr, "; %.2f s expanding\n", x.ExpandTime().Seconds())
	}
}

// macroEngine returns the engine of wasm proc macros under limits,
// created once for each set of limits.
func (s *Service) macroEngine(ctx context.Context, limits macroexpand.Limits) (*macroexpand.Engine, error) {
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

// macroWorld is what a macro sees (macroexpand.NewWorld): the environment
// the action gives rustc (paths as the guest sees them), as a native
// macro sees rustc's, and the crate's declared inputs below dir.
func macroWorld(req Request, dir string) (macroexpand.World, error) {
	return macroexpand.NewWorld(env(req, hostpath.GuestPath), dir, req.Macros.Inputs, req.Stderr)
}
