// Command hardeningbench compares two runner binaries (before and after
// the hardening of the runner and worker) on a large real WASI program,
// clang from npm's @yowasp/clang: a clang++ -O2 -c job one process per
// run, the same with --timeout, the same job through the persistent
// worker, and the worker's fixed cost per request (clang++ --version).
// It prints a table. bench/hardening.sh prepares its inputs; it is a
// benchmark, not a test.
package main

import (
	"flag"
	"fmt"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/rules-rustc-wasm/rules_rustc_wasm/bench/internal/measure"
)

func fatal(format string, a ...any) {
	fmt.Fprintf(os.Stderr, "hardeningbench: "+format+"\n", a...)
	os.Exit(1)
}

type row struct {
	runner, mode string
	walls        []time.Duration
	rssKiB       int64
}

// process runs one command and returns its wall time and peak RSS.
func process(dir string, name string, args ...string) (time.Duration, int64) {
	d, rss, err := measure.Run(dir, name, args...)
	if err != nil {
		fatal("%v", err)
	}
	return d, rss
}

func main() {
	var runners stringList
	flag.Var(&runners, "runner", "`NAME=BINARY` of a runner to measure (repeatable)")
	module := flag.String("module", "", "clang's WASI module (llvm.core.wasm)")
	job := flag.String("job", "", "the job directory: its usr/ is clang's sysroot, job.cpp the source; mounted at /")
	cache := flag.String("cache-dir", "", "a compilation cache shared by the runners (warmed first)")
	n := flag.Int("n", 5, "runs per mode")
	trivial := flag.Int("trivial", 20, "requests of the trivial job")
	flag.Parse()
	if len(runners) == 0 || *module == "" || *job == "" || *cache == "" {
		fatal("usage: hardeningbench -runner NAME=BIN... -module M -job DIR -cache-dir DIR")
	}
	compile := []string{"clang++", "-O2", "-c", "job.cpp", "-o", "job.o"}
	runArgs := func(extra ...string) []string {
		a := append([]string{"run", "--cache-dir", *cache, "--dir", ".::/", "--argv0", "clang++"}, extra...)
		return append(append(a, *module), compile[1:]...)
	}
	// Warm the cache (a compile of the module) with the first runner.
	process(*job, strings.SplitN(runners[0], "=", 2)[1], runArgs()...)

	type bin struct{ name, path string }
	var bins []bin
	for _, r := range runners {
		name, path, _ := strings.Cut(r, "=")
		bins = append(bins, bin{name, path})
	}
	// Each mode alternates the runners run by run, so that the load of a
	// shared machine weighs on both alike.
	var rows []row
	record := func(mode string, runs int, one func(b bin) (time.Duration, int64)) {
		walls := make([][]time.Duration, len(bins))
		rss := make([]int64, len(bins))
		for i := 0; i < runs; i++ {
			for j, b := range bins {
				d, m := one(b)
				walls[j] = append(walls[j], d)
				rss[j] = max(rss[j], m)
			}
		}
		for j, b := range bins {
			rows = append(rows, row{b.name, mode, walls[j], rss[j]})
			fmt.Fprintf(os.Stderr, "%s: %s: median %.3f s\n", b.name, mode, measure.Median(walls[j]).Seconds())
		}
	}
	record("clang++ -O2 -c, runner run, one process per job", *n, func(b bin) (time.Duration, int64) {
		return process(*job, b.path, runArgs()...)
	})
	record("same, with --timeout 10m", *n, func(b bin) (time.Duration, int64) {
		return process(*job, b.path, runArgs("--timeout", "10m")...)
	})
	workerMode := func(mode string, runs int, args []string) {
		ws := map[string]*measure.Worker{}
		request := func(b bin) time.Duration {
			d, err := ws[b.name].Request(args)
			if err != nil {
				fatal("%s: %v", b.name, err)
			}
			return d
		}
		for _, b := range bins {
			w, err := measure.StartWorker(b.path, *cache, *job)
			if err != nil {
				fatal("%s: %v", b.name, err)
			}
			ws[b.name] = w
			request(b) // warm-up: compiles from the cache
		}
		record(mode, runs, func(b bin) (time.Duration, int64) { return request(b), 0 })
		for i, b := range bins {
			rows[len(rows)-len(bins)+i].rssKiB = ws[b.name].Stop()
		}
	}
	workerMode("same job through the worker, later requests", *n, append([]string{"--compiler", *module, "--"}, compile...))
	workerMode("worker fixed cost: clang++ --version per request", *trivial, []string{"--compiler", *module, "--", "clang++", "--version"})

	fmt.Printf("module: %s; job: %s (in %s)\n\n", *module, strings.Join(compile, " "), *job)
	fmt.Println("| runner | mode | runs | median | min | max | peak RSS |")
	fmt.Println("|---|---|---|---|---|---|---|")
	for _, r := range rows {
		s := append([]time.Duration(nil), r.walls...)
		sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
		unit := func(d time.Duration) string {
			if d < time.Second {
				return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000)
			}
			return fmt.Sprintf("%.2f s", d.Seconds())
		}
		fmt.Printf("| %s | %s | %d | %s | %s | %s | %d MiB |\n", r.runner, r.mode, len(s), unit(measure.Median(s)), unit(s[0]), unit(s[len(s)-1]), r.rssKiB/1024)
	}
}

type stringList []string

func (l *stringList) String() string     { return strings.Join(*l, ",") }
func (l *stringList) Set(v string) error { *l = append(*l, v); return nil }
