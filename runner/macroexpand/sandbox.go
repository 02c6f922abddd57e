package macroexpand

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"time"

	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/engine"
	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/wasi"
)

// The sandbox of a wasm proc macro, in one place: its limits (Limits), the
// engine that enforces them (NewEngine), and what the guest sees (NewWorld,
// runConfig). Every place that runs a macro module (a compile's
// expansions, the editor server, and through them the benchmarks) builds
// its engine with NewEngine, its world with NewWorld, and expands with an
// Expander, so a macro meets the same limits, refusals and view
// everywhere. runner/threatmodel.go says what it holds against.

// Defaults of Limits.
const (
	// DefaultTimeout is how long one expansion, or compiling one module,
	// may take.
	DefaultTimeout = 60 * time.Second
	// DefaultMemoryMiB caps a macro's memory at 1 GiB.
	DefaultMemoryMiB = 1024
	// MaxMemoryMiB is the largest memory cap: 4 GiB, all a wasm32 memory
	// can address (65536 pages).
	MaxMemoryMiB = 4096
)

// Fixed limits: no macro comes near them, and they bound what the
// memory cap does not.
const (
	// MaxModuleBytes bounds a module file (the largest macro modules CI
	// builds are under 10 MB); compiling one takes memory in proportion.
	MaxModuleBytes = 64 << 20
	// maxLocals bounds the locals of one function, as browsers' engines
	// do; rustc's macro modules have a few hundred at most.
	maxLocals = 50000
	// maxTableElements bounds a module's tables, which live on the host
	// (8 bytes an element) outside the memory cap; a macro's one table
	// holds its address-taken functions, some thousands.
	maxTableElements = 1 << 20
	// maxThreads bounds the threads of one expansion when threads are
	// allowed; they share the one memory, under the cap.
	maxThreads = 8
)

// Limits bound every expansion of an engine's macros.
type Limits struct {
	// Timeout stops one expansion, and gives up on compiling a module;
	// 0 is DefaultTimeout.
	Timeout time.Duration
	// MaxMemoryMiB caps a macro's memory, in MiB (the unit of every
	// message and of --macro-max-memory); 0 is DefaultMemoryMiB.
	MaxMemoryMiB uint32
	// Threads allows wasi.thread-spawn, for macros built for
	// wasm32-wasip1-threads; otherwise a module importing it is refused.
	Threads bool
}

// maxStdoutBytes bounds what one expansion may print, its output
// included: half its memory cap (which the output came from; the two
// together stay within twice the cap), and maxStdoutCeiling at most.
func (l Limits) maxStdoutBytes() int {
	return min(maxStdoutCeiling, int(l.MaxMemoryMiB)<<20/2)
}

const maxStdoutCeiling = 256 << 20

// pagesPerMiB converts the memory cap to the engine's 64 KiB pages.
const pagesPerMiB = 1 << 20 / (64 << 10)

func (l Limits) withDefaults() Limits {
	if l.Timeout == 0 {
		l.Timeout = DefaultTimeout
	}
	if l.MaxMemoryMiB == 0 {
		l.MaxMemoryMiB = DefaultMemoryMiB
	}
	return l
}

// Errors of Limits.Validate, which wraps them with the value refused; a
// caller that names the limits otherwise (the runner's flags) tells them
// apart with errors.Is.
var (
	ErrTimeout   = errors.New("want a positive timeout, or 0 for the default")
	ErrMemoryMiB = fmt.Errorf("want a memory cap of 1 to %d MiB, or 0 for the default", MaxMemoryMiB)
)

// Validate refuses limits no engine can enforce: a negative timeout, or a
// memory cap over MaxMemoryMiB (which the engine's page count could not
// hold). Zero values are the defaults.
func (l Limits) Validate() error {
	if l.Timeout < 0 {
		return fmt.Errorf("macro timeout %v: %w", l.Timeout, ErrTimeout)
	}
	if l.MaxMemoryMiB > MaxMemoryMiB {
		return fmt.Errorf("macro memory cap %d MiB: %w", l.MaxMemoryMiB, ErrMemoryMiB)
	}
	return nil
}

// String names the limits for messages.
func (l Limits) String() string {
	l = l.withDefaults()
	return fmt.Sprintf("timeout %v, memory cap %d MiB", l.Timeout, l.MaxMemoryMiB)
}

// Engine runs macro modules under one set of Limits.
type Engine struct {
	*engine.Engine
	limits Limits
}

// NewEngine makes the engine of macros: base gives what is not policy
// (the compilation cache, where warnings go); the rest is set here.
//   - Interruptible: a looping macro stops at its timeout however many
//     cores the machine has, and the garbage collector stays on.
//   - The memory cap, reserved up front and committed as the macro grows.
//   - No start function: it would run before the timeout applies.
//   - Tables bounded; threads refused unless the target has them.
//
// Limits that fail Validate are an error.
func NewEngine(ctx context.Context, base engine.Config, limits Limits) (*Engine, error) {
	if err := limits.Validate(); err != nil {
		return nil, err
	}
	limits = limits.withDefaults()
	cfg := base
	cfg.Interruptible = true
	cfg.MaxMemoryPages = limits.MaxMemoryMiB * pagesPerMiB
	cfg.RefuseStartFunction = true
	cfg.MaxTableElements = maxTableElements
	cfg.MaxLocals = maxLocals
	cfg.RefuseThreads = !limits.Threads
	cfg.MaxThreads = maxThreads
	eng, err := engine.New(ctx, cfg)
	if err != nil {
		return nil, err
	}
	return &Engine{Engine: eng, limits: limits}, nil
}

// World is what a macro sees besides its input, the same for every
// expansion of an Expander. Make it with NewWorld.
type World struct {
	// Env is the guest's whole environment.
	Env []string
	// Mounts are the guest's files.
	Mounts []wasi.Mount
	// Stderr receives what macros print on stderr; nil discards it.
	Stderr io.Writer

	// root and inputs are what NewWorld made Mounts of, for the key of a
	// Memo.
	root   string
	inputs []string
}

// NewWorld is what a macro sees, in a compile and in the editor alike,
// and nothing else of the host's:
//   - env, its whole environment: the compiled crate's, as the compile
//     gives rustc (Cargo's variables, rustc_env, a build script's
//     rustc-env lines), paths as the guest sees them;
//   - root, the execution root, at "/", read-only, showing only inputs
//     (the compiled crate's declared sources and data, relative to root);
//     the mount follows the links the execution root is made of. With
//     root "", no file at all.
//
// stderr receives what it prints there.
func NewWorld(env []string, root string, inputs []string, stderr io.Writer) (World, error) {
	w := World{Env: env, Stderr: stderr}
	if root == "" {
		return w, nil
	}
	view, err := wasi.NewView(root, wasi.ViewSpec{Inputs: inputs})
	if err != nil {
		return World{}, err
	}
	w.Mounts = []wasi.Mount{{HostPath: root, GuestPath: "/", ReadOnly: true, FollowHostLinks: true, View: view}}
	w.root, w.inputs = root, inputs
	return w, nil
}

// argv0 is the name a module runs under (its argv[0]), which the memo
// keys too: its file name.
func argv0(module string) string { return filepath.Base(module) }

// runConfig is what one expansion of the macro entry of module (its path)
// runs under: the timeout, the world, and a deterministic one (a fixed
// clock, a fixed random seed, no host file metadata), so that an
// expansion depends on its input alone. argv[0] is the module's name, not
// its path: the build's and the editor's differ. No threads unless the
// Limits allow them (NewEngine), no network (the engine has none).
func (e *Engine) runConfig(w World, module, entry string) engine.RunConfig {
	cfg := engine.RunConfig{Timeout: e.limits.Timeout, Entry: entry}
	cfg.Deterministic = true
	cfg.Args = []string{argv0(module)}
	cfg.Env = w.Env
	cfg.Mounts = w.Mounts
	cfg.Stderr = w.Stderr
	return cfg
}
