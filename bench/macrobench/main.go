// Command macrobench times what a wasm proc macro costs the runner once per
// machine: compiling its module with wazero (no cache), and loading the
// compiled code back from wazero's file cache in a new process's engine.
// The engine is the one every macro runs in (macroexpand.NewEngine, with
// the default limits), so the compile is configured as a build's is.
//
//	go run ./bench/macrobench -module bazel-bin/.../libserde_derive.wasm
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"sort"
	"time"

	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/engine"
	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/macroexpand"
)

func main() {
	module := flag.String("module", "", "the wasm proc-macro module")
	runs := flag.Int("runs", 3, "runs of each measurement; the median is printed")
	flag.Parse()
	bin, err := os.ReadFile(*module)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	cache, err := os.MkdirTemp("", "macrobench-cache")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer os.RemoveAll(cache)
	cold := median(*runs, func() time.Duration { return compile(bin, "") })
	compile(bin, cache) // fill the cache
	warm := median(*runs, func() time.Duration { return compile(bin, cache) })
	fmt.Printf("| %s (%.1f MB) | wazero compile, no cache | %v |\n", *module, float64(len(bin))/1e6, cold.Round(time.Millisecond))
	fmt.Printf("| %s | load from wazero's file cache | %v |\n", *module, warm.Round(time.Millisecond))
}

// newEngine is a macro engine with the default limits, caching compiled
// code in dir ("" for no cache).
func newEngine(ctx context.Context, dir string) (*macroexpand.Engine, error) {
	return macroexpand.NewEngine(ctx, engine.Config{CacheDir: dir}, macroexpand.Limits{})
}

// compile times one compile of bin in a new engine caching in dir.
func compile(bin []byte, dir string) time.Duration {
	ctx := context.Background()
	eng, err := newEngine(ctx, dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer eng.Close(ctx)
	start := time.Now()
	if _, err := eng.CompileLibrary(ctx, "module", bin); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	return time.Since(start)
}

func median(n int, f func() time.Duration) time.Duration {
	var ds []time.Duration
	for i := 0; i < n; i++ {
		ds = append(ds, f())
	}
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	return ds[len(ds)/2]
}
