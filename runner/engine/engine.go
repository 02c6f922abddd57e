// Package engine runs WASI command modules, including wasi-threads programs
// such as rustc.wasm, on wazero: compile a module once, run it many times,
// one after another or side by side, in one process.
package engine

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strings"

	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/wasi"
	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/experimental"
)

// Config configures an Engine.
type Config struct {
	// CacheDir holds wazero's compiled code between processes; "" keeps
	// compiled code in memory only. An entry that cannot be read is
	// compiled again; it never fails a run.
	CacheDir string
	// MaxMemoryPages caps every memory (64 KiB pages); 0 leaves the
	// module's own maximum.
	MaxMemoryPages uint32
	// Interruptible compiles guest code with checks at every loop and
	// call, so that a timeout, a cancellation or another thread's exit
	// stops even a thread that computes without calling the host. They
	// cost up to 3x on compute-heavy modules (bench/run.sh). Without them a
	// run still ends at once, and its threads stop at their next host call
	// (every host call checks whether the run is over); a thread that never
	// calls the host again computes on, its memory released, until the
	// process ends.
	Interruptible bool
	// Warnings receives what the engine recovered from on its own, such
	// as an unusable cache entry; nil discards it.
	Warnings io.Writer
	// NoSourceLines leaves the source lines (DWARF) out of a trap's wasm
	// stack, which keeps the function names. Reading a large module's
	// DWARF makes a trap take seconds: the test verb, where a failing
	// Rust test is a trap, sets it unless asked for the stack.
	NoSourceLines bool
	// RefuseStartFunction refuses modules with a start section: the start
	// function runs while an instance is made, before the entry a run
	// calls (the run's timeout covers it, but only interruptible code can
	// be stopped).
	RefuseStartFunction bool
	// MaxLocals bounds the locals of one function (0: no bound): wazero
	// keeps 8 bytes for each. Browsers' engines allow 50,000.
	MaxLocals uint32
	// MaxTableElements bounds the sum of the maximum sizes of a module's
	// tables, and refuses tables without a maximum; 0: no bound. Tables
	// live on the host, outside the memory cap, 8 bytes an element.
	MaxTableElements uint32
	// RefuseThreads refuses modules that import wasi.thread-spawn.
	RefuseThreads bool
	// MaxThreads bounds how many threads (wasi.thread-spawn) one run may
	// start beside its main thread; a spawn beyond it fails with EAGAIN.
	// 0: no bound.
	MaxThreads int
}

// CacheDirError reports a compilation cache directory that cannot be used.
type CacheDirError struct {
	Dir string
	Err error
}

func (e *CacheDirError) Error() string {
	return fmt.Sprintf("compilation cache %s: %v", e.Dir, e.Err)
}

func (e *CacheDirError) Unwrap() error { return e.Err }

// Engine holds a wazero runtime with the WASI and wasi-threads host modules.
// It is safe for concurrent use.
type Engine struct {
	rt    wazero.Runtime
	cache wazero.CompilationCache
	cfg   Config // Warnings never nil
}

// New creates an Engine.
func New(ctx context.Context, cfg Config) (*Engine, error) {
	if cfg.Warnings == nil {
		cfg.Warnings = io.Discard
	}
	e := &Engine{cfg: cfg}
	// Exception handling: wasm proc macros built against an unwinding std
	// (-Cpanic=unwind) throw and catch their panics (catch_unwind).
	rc := wazero.NewRuntimeConfigCompiler().
		WithCoreFeatures(api.CoreFeaturesV2 | experimental.CoreFeaturesThreads | experimental.CoreFeaturesExceptionHandling).
		WithCloseOnContextDone(cfg.Interruptible).
		WithDebugInfoEnabled(!cfg.NoSourceLines)
	if cfg.MaxMemoryPages != 0 {
		rc = rc.WithMemoryLimitPages(cfg.MaxMemoryPages)
	}
	if cfg.CacheDir != "" {
		c, err := wazero.NewCompilationCacheWithDir(cfg.CacheDir)
		if err != nil {
			return nil, &CacheDirError{Dir: cfg.CacheDir, Err: err}
		}
		e.cache = c
		rc = rc.WithCompilationCache(c)
	}
	e.rt = wazero.NewRuntimeWithConfig(ctx, rc)
	if err := wasi.Instantiate(ctx, e.rt); err != nil {
		e.Close(ctx)
		return nil, err
	}
	if err := instantiateThreads(ctx, e.rt); err != nil {
		e.Close(ctx)
		return nil, err
	}
	return e, nil
}

// Close releases the runtime; modules compiled by e become unusable.
func (e *Engine) Close(ctx context.Context) error {
	err := e.rt.Close(ctx)
	if e.cache != nil {
		e.cache.Close(ctx)
	}
	return err
}

// Module is a compiled WASI command module.
type Module struct {
	e        *Engine
	name     string // the file name, for messages
	compiled wazero.CompiledModule
	// memory serves the guest's memory import, if it has one.
	memory       wazero.CompiledModule
	memoryModule string
	sharedMemory bool
}

// CompileFile reads and compiles a module.
func (e *Engine) CompileFile(ctx context.Context, path string) (*Module, error) {
	bin, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading module: %w", err)
	}
	return e.Compile(ctx, path, bin)
}

// Compile checks that bin is a WASI command module whose imports the runner
// provides, and compiles it.
func (e *Engine) Compile(ctx context.Context, name string, bin []byte) (*Module, error) {
	return e.compileModule(ctx, name, bin, true)
}

// CompileLibrary compiles a WASI module that is entered through its exports
// (RunConfig.Entry) rather than _start, such as a cdylib's.
func (e *Engine) CompileLibrary(ctx context.Context, name string, bin []byte) (*Module, error) {
	return e.compileModule(ctx, name, bin, false)
}

func (e *Engine) compileModule(ctx context.Context, name string, bin []byte, command bool) (*Module, error) {
	if len(bin) < 8 || string(bin[:4]) != "\x00asm" {
		return nil, fmt.Errorf("%s is not a WebAssembly module (no \\0asm header)", name)
	}
	imports, err := scanModule(name, bin, e.cfg)
	if err != nil {
		return nil, err
	}
	m := &Module{e: e, name: name}
	spawns := false
	for _, imp := range imports {
		switch {
		case imp.kind == 0 && imp.module == wasi.ModuleName && wasi.Provides(imp.name):
		case imp.kind == 0 && imp.module == "wasi" && imp.name == "thread-spawn":
			if e.cfg.RefuseThreads {
				return nil, fmt.Errorf("%s imports wasi.thread-spawn, which the runner refuses here", name)
			}
			spawns = true
		case imp.kind == 2:
			if m.memory != nil {
				return nil, fmt.Errorf("%s imports more than one memory", name)
			}
			if m.memory, err = e.memoryFor(ctx, name, imp); err != nil {
				return nil, err
			}
			m.memoryModule = imp.module
			m.sharedMemory = imp.shared
		default:
			return nil, fmt.Errorf("%s imports %s.%s (a %s), which the runner does not provide",
				name, imp.module, imp.name, kindName(imp.kind))
		}
	}
	// wasi-threads' threads share the memory they import; a module with a
	// memory of its own would give each thread another memory, each up to
	// the cap.
	if spawns && !m.sharedMemory {
		return nil, fmt.Errorf("%s imports wasi.thread-spawn but no shared memory: each of its threads would get a memory of its own", name)
	}
	m.compiled, err = e.compile(ctx, bin)
	if err != nil {
		return nil, fmt.Errorf("compiling %s: %w", name, err)
	}
	start, ok := m.compiled.ExportedFunctions()["_start"]
	if command && (!ok || len(start.ParamTypes()) != 0 || len(start.ResultTypes()) != 0) {
		return nil, fmt.Errorf("%s is not a WASI command: it exports no _start function", name)
	}
	if _, ok := m.compiled.ExportedMemories()["memory"]; !ok && m.memory == nil {
		return nil, fmt.Errorf("%s is not a WASI command: it neither exports nor imports a memory", name)
	}
	return m, nil
}

// Close releases the module's compiled code; it must not run again.
func (m *Module) Close(ctx context.Context) error {
	if m.memory != nil {
		m.memory.Close(ctx)
	}
	return m.compiled.Close(ctx)
}

func kindName(k byte) string {
	return [...]string{"function", "table", "memory", "global", "tag"}[k%5]
}

// memoryFor compiles the module that serves a memory import.
func (e *Engine) memoryFor(ctx context.Context, name string, imp importDesc) (wazero.CompiledModule, error) {
	max, hasMax := imp.max, imp.hasMax
	if cap := e.cfg.MaxMemoryPages; cap != 0 && (!hasMax || max > uint64(cap)) {
		if uint64(cap) < imp.min {
			return nil, fmt.Errorf("%s needs %d memory pages at least; the memory cap allows %d", name, imp.min, cap)
		}
		max, hasMax = uint64(cap), true
	}
	if imp.shared && !hasMax {
		return nil, fmt.Errorf("%s imports a shared memory without a maximum", name)
	}
	return e.rt.CompileModule(ctx, memoryModule(imp.name, imp.min, max, hasMax, imp.shared))
}

// compile compiles through the file cache, on every core. wazero reports
// an unusable cache entry as a plain compile error, which cannot be told
// from any other; so when compiling with a cache fails, the cache's entries
// are dropped and the module is compiled once more. If that succeeds, the
// cache was at fault and a warning says so; if not, the module is.
func (e *Engine) compile(ctx context.Context, bin []byte) (wazero.CompiledModule, error) {
	ctx = experimental.WithCompilationWorkers(ctx, runtime.GOMAXPROCS(0))
	c, err := e.rt.CompileModule(ctx, bin)
	if err == nil || e.cfg.CacheDir == "" {
		return c, err
	}
	purgeCache(e.cfg.CacheDir)
	c, err2 := e.rt.CompileModule(ctx, bin)
	if err2 != nil {
		return nil, err2
	}
	fmt.Fprintf(e.cfg.Warnings, "runner: unusable compilation cache entry in %s (%v); compiled again\n", e.cfg.CacheDir, err)
	return c, nil
}

var cacheEntry = regexp.MustCompile(`^[0-9a-f]{64}$`)

// purgeCache removes wazero's cache entries, and nothing else, below dir.
func purgeCache(dir string) {
	var entries []string
	_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() && cacheEntry.MatchString(d.Name()) &&
			strings.HasPrefix(filepath.Base(filepath.Dir(p)), "wazero-") {
			entries = append(entries, p)
		}
		return nil
	})
	sort.Strings(entries)
	for _, p := range entries {
		_ = os.Remove(p)
	}
}
