// Package rustc runs one rustc invocation for a Bazel action: rustc.wasm in
// wazero or a native rustc, with its declared outputs written under
// temporary names and renamed only when rustc succeeds.
package rustc

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"

	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/action"
	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/engine"
	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/hostpath"
	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/internal/deathsig"
	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/macroexpand"
	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/wasi"
)

// Request is one rustc invocation for one action.
type Request struct {
	// Compiler is rustc.wasm (its name ends in .wasm; run in wazero with
	// Dir mounted at /) or a native rustc executable, relative to Dir or
	// absolute.
	Compiler string
	Outputs  []string // declared outputs, relative to Dir or absolute
	// Env is NAME=VALUE pairs: rustc's whole environment, but for the few
	// variables of the runner's own a native rustc also gets when Env does
	// not set them (hostVarsForRustc).
	Env []string
	// EnvPaths are added to Env with their paths made absolute as rustc
	// sees them: a native rustc the host path, rustc.wasm the guest path
	// below "/", where Dir is mounted. A path is relative to Dir and may
	// not leave it.
	EnvPaths []action.EnvPath
	Args     []string // rustc's arguments, parameter files already expanded
	Dir      string   // the working directory (execroot or sandbox); "" is the current one
	Stdout   io.Writer
	Stderr   io.Writer
	// Inputs, if not nil, are the action's declared inputs, relative to
	// Dir. rustc.wasm then sees only them, the directories leading to
	// them and its output directories (see wasi.View); a native rustc is
	// not confined, but fails the compile if its dep-info shows it read
	// another file (see checkReads).
	Inputs []string
	// AuditFile, if set, is where the paths rustc.wasm opened are written
	// (relative to Dir or absolute; see WriteAudit), whether rustc
	// succeeds or not.
	AuditFile string
	// Macros are the wasm proc macros a native rustc may expand, through
	// the shims it loads (see package macroexpand).
	Macros Macros
	// StopAfterMetadata makes this the metadata action of a pipelined
	// compile (see pipeline.go): its one output is the .rmeta its --emit
	// writes, and rustc, native only, is stopped once it has written it.
	// What rustc prints after that is dropped.
	StopAfterMetadata bool
	// NoWarnings drops rustc's warnings (a native rustc's): the full
	// action of a pipelined pair leaves them to its metadata action.
	NoWarnings bool
}

// ErrNoCompiler is the error for a Request without a Compiler.
var ErrNoCompiler = errors.New("no compiler given")

// CompilerError reports a compiler that could not be started.
type CompilerError struct {
	Path string // as the Request gave it
	Err  error  // fs.ErrNotExist when there is no such file
}

func (e *CompilerError) Error() string {
	return fmt.Sprintf("compiler %s: %s", e.Path, e.Reason())
}

// Reason is the error without the compiler's path.
func (e *CompilerError) Reason() string {
	if errors.Is(e.Err, fs.ErrNotExist) {
		return "no such file"
	}
	return e.Err.Error()
}

func (e *CompilerError) Unwrap() error { return e.Err }

// EnvPathError reports an EnvPath whose path is absolute or leaves the
// working directory.
type EnvPathError struct {
	action.EnvPath
}

func (e *EnvPathError) Error() string {
	return fmt.Sprintf("environment variable %s: path %q is not below the working directory", e.Name, e.Path)
}

// Service runs requests, one after another or side by side. It creates the
// wazero engine when the first rustc.wasm request comes (a native rustc
// needs none) and compiles each rustc.wasm once. A module is known by its
// path, size and modification time: a worker outlives the builds it
// serves, and rustc.wasm may change between them.
type Service struct {
	cfg engine.Config

	engineOnce sync.Once
	engine     *engine.Engine
	engineErr  error

	mu      sync.Mutex
	modules map[string]*engine.Module

	// The engines of wasm proc macros, one for each set of limits the
	// requests give (a worker serves many); nil after Close.
	macroEngines map[macroexpand.Limits]*macroexpand.Engine
}

// NewService returns a Service whose engine, once needed, has cfg.
func NewService(cfg engine.Config) *Service {
	return &Service{cfg: cfg, modules: map[string]*engine.Module{}, macroEngines: map[macroexpand.Limits]*macroexpand.Engine{}}
}

// Close releases the engine, if one was created.
func (s *Service) Close(ctx context.Context) error {
	s.engineOnce.Do(func() {}) // no engine is created after Close
	s.mu.Lock()
	for _, e := range s.macroEngines {
		e.Close(ctx)
	}
	s.macroEngines = nil
	s.mu.Unlock()
	if s.engine != nil {
		return s.engine.Close(ctx)
	}
	return nil
}

// module returns the compiled rustc.wasm at path.
func (s *Service) module(ctx context.Context, path string) (*engine.Module, error) {
	s.engineOnce.Do(func() {
		// The engine outlives the request that happens to create it.
		s.engine, s.engineErr = engine.New(context.WithoutCancel(ctx), s.cfg)
	})
	if s.engineErr != nil {
		return nil, s.engineErr
	}
	if s.engine == nil {
		return nil, errors.New("the rustc service is closed")
	}
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	key := fmt.Sprintf("%s|%d|%d", path, fi.Size(), fi.ModTime().UnixNano())
	s.mu.Lock()
	defer s.mu.Unlock()
	if mod, ok := s.modules[key]; ok {
		return mod, nil
	}
	mod, err := s.engine.CompileFile(ctx, path)
	if err != nil {
		return nil, err
	}
	s.modules[key] = mod
	return mod, nil
}

// outDir sends rustc's intermediate files (object files, temporary
// directories) into the action's staging directory, unless the arguments
// already choose a directory. Otherwise rustc writes them into its working
// directory, which the concurrent requests of a worker share.
func outDir(st *action.Staging, args []string) []string {
	if len(st.Dirs()) == 0 {
		return args
	}
	for _, a := range args {
		if a == "--out-dir" || strings.HasPrefix(a, "--out-dir=") {
			return args
		}
	}
	return append(args, "--out-dir="+st.Dirs()[0])
}

// Compile runs the request and returns rustc's exit code. An error means
// rustc could not be run or its outputs not put in place; no output is left
// behind then, nor when rustc fails.
func (s *Service) Compile(ctx context.Context, req Request) (int, error) {
	if req.Compiler == "" {
		return 0, ErrNoCompiler
	}
	if err := checkStopAfterMetadata(req); err != nil {
		return 0, err
	}
	for _, ep := range req.EnvPaths {
		if hostpath.Escapes(ep.Path) {
			return 0, &EnvPathError{ep}
		}
	}
	st, err := action.Stage(req.Dir, "rustc", req.Outputs)
	if err != nil {
		return 0, err
	}
	// An output from before must not survive a failure: only what this
	// run stages may appear at an output's path.
	for _, o := range req.Outputs {
		if err := os.Remove(action.Resolve(req.Dir, o)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			st.Discard()
			return 0, fmt.Errorf("output %s: removing what is already there: %w", o, err)
		}
	}
	args := outDir(st, st.Rewrite(req.Args))
	dir, err := filepath.Abs(action.Resolve(req.Dir, "."))
	if err != nil {
		st.Discard()
		return 0, err
	}
	var code int
	if action.IsWasm(req.Compiler) {
		code, err = s.runWasm(ctx, req, dir, args, st)
	} else {
		code, err = s.runNative(ctx, req, dir, args, st)
	}
	if err != nil || code != 0 {
		st.Discard()
		return code, err
	}
	if o := st.Missing(); o != "" {
		st.Discard()
		return 0, fmt.Errorf("rustc succeeded but did not write %s", o)
	}
	return 0, st.Commit()
}

// env is the request's environment, its EnvPaths resolved by abs, which
// makes a path relative to the working directory absolute for rustc.
func env(req Request, abs func(string) string) []string {
	out := append([]string(nil), req.Env...)
	for _, ep := range req.EnvPaths {
		out = append(out, ep.Name+"="+abs(ep.Path))
	}
	return out
}

// runWasm runs rustc.wasm with dir, the absolute working directory,
// mounted at / (seen through the view of req.Inputs, if any).
func (s *Service) runWasm(ctx context.Context, req Request, dir string, args []string, st *action.Staging) (int, error) {
	mod, err := s.module(ctx, action.Resolve(req.Dir, req.Compiler))
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return 0, &CompilerError{Path: req.Compiler, Err: err}
		}
		return 0, err
	}
	mnt := wasi.Mount{HostPath: dir, GuestPath: "/", FollowHostLinks: true}
	if req.Inputs != nil {
		if mnt.View, err = view(dir, req, st); err != nil {
			return 0, err
		}
	}
	cfg := engine.RunConfig{}
	cfg.Args = append([]string{"rustc"}, args...)
	cfg.Env = env(req, hostpath.GuestPath)
	cfg.Stdout, cfg.Stderr = req.Stdout, req.Stderr
	cfg.Mounts = []wasi.Mount{mnt}
	if req.AuditFile != "" {
		cfg.Audit = wasi.NewAudit()
	}
	// Builds must not depend on the time of day or on chance.
	cfg.Deterministic = true
	code, err := mod.Run(ctx, cfg)
	if cfg.Audit != nil {
		if aerr := writeAudit(action.Resolve(req.Dir, req.AuditFile), req.Outputs, mnt.View != nil, auditPaths(cfg.Audit, dir, st)); aerr != nil && err == nil {
			return 0, aerr
		}
	}
	if mnt.View != nil && (err != nil || code != 0) {
		if missing := mnt.View.Missing(); len(missing) > 0 && err == nil {
			// The input list is at fault, not the crate.
			return 0, &wasi.MissingInputError{Path: missing[0]}
		}
		undeclaredNote(req.Stderr, mnt.View.Undeclared())
	}
	return int(code), err
}

// runNative runs a native rustc in dir, the absolute working directory,
// with the environment the action declares (nativeEnv), and fails the
// compile if rustc read what the action does not declare (checkReads).
// rustc's messages pass through a messageRelay; a StopAfterMetadata
// request's rustc is killed once it reports the .rmeta written.
func (s *Service) runNative(ctx context.Context, req Request, dir string, args []string, st *action.Staging) (int, error) {
	if err := checkNoMessageFlags(args); err != nil {
		return 0, err
	}
	args, err := dropUndeclaredEmits(req.Dir, args, st, req.Outputs)
	if err != nil {
		return 0, err
	}
	// A native rustc records absolute source paths; the working directory
	// differs between a sandbox, the execroot (a worker) and machines, so
	// name it "." (rustc.wasm always sees "/").
	args = append(args, "--remap-path-prefix="+dir+"=.")
	args = append(args, messageFlags...)
	args, depInfo, removeDepInfo, err := withDepInfo(args, dir, st)
	if err != nil {
		return 0, err
	}
	defer removeDepInfo()
	cmd := exec.CommandContext(ctx, req.Compiler, args...)
	cmd.Dir = req.Dir
	var undeclaredEnv map[string]bool
	cmd.Env, undeclaredEnv = nativeEnv(req, dir)
	relay := &messageRelay{out: req.Stderr, noWarnings: req.NoWarnings, stopAtMetadata: req.StopAfterMetadata}
	if relay.out == nil {
		relay.out = io.Discard
	}
	if req.StopAfterMetadata {
		// The .rmeta is in place when rustc says so: what is left is
		// codegen, the full action's.
		relay.onMetadata = func() { cmd.Process.Kill() }
	}
	cmd.Stdout, cmd.Stderr = req.Stdout, relay
	deathsig.Set(cmd) // no rustc computes on after the runner is killed
	stopMacros, err := s.startNative(ctx, req, dir, cmd, undeclaredEnv)
	if err != nil {
		return 0, err
	}
	defer stopMacros()
	err = cmd.Wait()
	relay.Close()
	var exit *exec.ExitError
	switch {
	case req.StopAfterMetadata && relay.MetadataWritten() && ctx.Err() == nil:
		// Killed by the relay, or done before it could be.
	case errors.As(err, &exit):
		if exit.ExitCode() < 0 {
			return 0, fmt.Errorf("rustc %s: %v", req.Compiler, err)
		}
		return exit.ExitCode(), nil
	case err != nil:
		return 0, &CompilerError{Path: req.Compiler, Err: err}
	}
	return 0, checkReads(req, dir, depInfo, undeclaredEnv)
}
