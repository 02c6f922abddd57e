package engine

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/internal/wasmtest"
	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/wasi"
)

func newEngine(t *testing.T, cfg Config) *Engine {
	t.Helper()
	e, err := New(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close(context.Background()) })
	return e
}

func compile(t *testing.T, e *Engine, path string) *Module {
	t.Helper()
	m, err := e.CompileFile(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// runIn runs m with dir mounted at "/" and returns its exit code and stdout.
func runIn(t *testing.T, m *Module, dir string, args ...string) (uint32, string, error) {
	var out bytes.Buffer
	cfg := RunConfig{}
	cfg.Args = append([]string{"prog"}, args...)
	cfg.Stdout = &out
	cfg.Mounts = []wasi.Mount{{HostPath: dir, GuestPath: "/"}}
	code, err := m.Run(context.Background(), cfg)
	return code, out.String(), err
}

// TestCompileOnceRunMany runs one compiled thread program many times in a
// row and side by side: every run sees only its own mount, fd table and
// memory.
func TestCompileOnceRunMany(t *testing.T) {
	e := newEngine(t, Config{})
	m := compile(t, e, wasmtest.C(t, true, "threads.c", "thread_start.s"))
	for i := 0; i < 5; i++ {
		code, out, err := runIn(t, m, t.TempDir(), "write-shared-fd")
		if err != nil || code != 0 || out != "ok\n" {
			t.Fatalf("run %d: %d %q %v", i, code, out, err)
		}
	}
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for i := 0; i < 16; i++ {
		dir := t.TempDir()
		mode := []string{"write-shared-fd", "open-in-thread", "tids", "exit-in-thread"}[i%4]
		wg.Add(1)
		go func() {
			defer wg.Done()
			code, out, err := runIn(t, m, dir, mode)
			want := uint32(0)
			wantOut := "ok\n"
			if mode == "exit-in-thread" {
				want, wantOut = 42, ""
			}
			if err != nil || code != want || out != wantOut {
				errs <- fmt.Errorf("%s: exit %d, out %q, err %v", mode, code, out, err)
				return
			}
			ents, _ := os.ReadDir(dir)
			var names []string
			for _, e := range ents {
				names = append(names, e.Name())
			}
			got := strings.Join(names, ",")
			wantFiles := map[string]string{"write-shared-fd": "shared.txt", "open-in-thread": "from-thread.txt"}[mode]
			if got != wantFiles {
				errs <- fmt.Errorf("%s: mount holds %q, want %q", mode, got, wantFiles)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// TestTrapDoesNotDisturbOtherRuns traps in one run while others run.
func TestTrapDoesNotDisturbOtherRuns(t *testing.T) {
	e := newEngine(t, Config{})
	m := compile(t, e, wasmtest.C(t, true, "threads.c", "thread_start.s"))
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		mode := "tids"
		if i%2 == 0 {
			mode = "trap-in-thread"
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			code, out, err := runIn(t, m, t.TempDir(), mode)
			var trap *TrapError
			if mode == "trap-in-thread" {
				if !errors.As(err, &trap) || trap.Thread != 1 || trap.Trap != "unreachable" || trap.Function != "thread_main" {
					t.Errorf("trap run: %#v", err)
				}
			} else if err != nil || code != 0 || out != "ok\n" {
				t.Errorf("clean run: %d %q %v", code, out, err)
			}
		}()
	}
	wg.Wait()
}

func TestCancel(t *testing.T) {
	e := newEngine(t, Config{Interruptible: true})
	m := compile(t, e, wasmtest.Wat(t, "spin"))
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	_, err := m.Run(ctx, RunConfig{})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want context.Canceled", err)
	}
}

// TestCorruptCacheFallsBack damages every cache entry; the next engine
// compiles again instead of failing, and repairs the cache.
func TestCorruptCacheFallsBack(t *testing.T) {
	cache := t.TempDir()
	prog := wasmtest.GoProgram(t, "goprog")
	m := compile(t, newEngine(t, Config{CacheDir: cache}), prog)
	if code, out, err := runIn(t, m, t.TempDir(), "args"); err != nil || code != 0 || out != "prog\nargs\n" {
		t.Fatalf("%d %q %v", code, out, err)
	}
	for _, damage := range []func(b []byte) []byte{
		func(b []byte) []byte { return []byte("garbage") },
		func(b []byte) []byte { return b[:len(b)/2] },
		func(b []byte) []byte { c := append([]byte(nil), b...); c[len(c)/2] ^= 0xff; return c },
	} {
		entries, _ := filepath.Glob(filepath.Join(cache, "wazero-*", "*"))
		if len(entries) == 0 {
			t.Fatal("the cache holds no entries")
		}
		for _, p := range entries {
			b, _ := os.ReadFile(p)
			os.WriteFile(p, damage(b), 0o644)
		}
		var warnings bytes.Buffer
		m := compile(t, newEngine(t, Config{CacheDir: cache, Warnings: &warnings}), prog)
		if code, out, err := runIn(t, m, t.TempDir(), "args"); err != nil || code != 0 || out != "prog\nargs\n" {
			t.Fatalf("after damage: %d %q %v", code, out, err)
		}
		if !strings.Contains(warnings.String(), "unusable compilation cache entry in "+cache) {
			t.Errorf("no warning of the damaged entry: %q", warnings.String())
		}
	}
}

// TestUnusableCacheDir: a cache directory that cannot be created is a
// *CacheDirError naming it.
func TestUnusableCacheDir(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	os.WriteFile(file, nil, 0o644)
	_, err := New(context.Background(), Config{CacheDir: filepath.Join(file, "cache")})
	var ce *CacheDirError
	if !errors.As(err, &ce) || ce.Dir != filepath.Join(file, "cache") || strings.Contains(err.Error(), "--") {
		t.Fatalf("got %v", err)
	}
}

// TestCancelStopsAtHostCall: without interruption checks, a cancelled run
// still returns at once, and a guest that calls the host is stopped there.
func TestCancelStopsAtHostCall(t *testing.T) {
	e := newEngine(t, Config{})
	m := compile(t, e, wasmtest.Wat(t, "spin_calls"))
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	start := time.Now()
	_, err := m.Run(ctx, RunConfig{})
	if !errors.Is(err, context.Canceled) || time.Since(start) > 5*time.Second {
		t.Fatalf("got %v after %v", err, time.Since(start))
	}
}

// TestThreadlessModuleWithoutCache covers the in-memory path.
func TestThreadlessModuleWithoutCache(t *testing.T) {
	m := compile(t, newEngine(t, Config{}), wasmtest.GoProgram(t, "goprog"))
	code, out, err := runIn(t, m, t.TempDir(), "exit", "5")
	if err != nil || code != 5 || out != "" {
		t.Fatalf("%d %q %v", code, out, err)
	}
}

func TestReadImports(t *testing.T) {
	bin, err := os.ReadFile(wasmtest.Wat(t, "shared_custom_name"))
	if err != nil {
		t.Fatal(err)
	}
	imps, err := scanModule("shared_custom_name", bin, Config{})
	if err != nil {
		t.Fatal(err)
	}
	mem := imps[0]
	if mem.module != "foo" || mem.name != "bar" || mem.kind != 2 || !mem.shared || mem.min != 1 || mem.max != 1 || !mem.hasMax {
		t.Fatalf("memory import: %+v", mem)
	}
	if _, err := scanModule("shared_custom_name", bin[:20], Config{}); err == nil {
		t.Fatal("a truncated module was read")
	}
}
