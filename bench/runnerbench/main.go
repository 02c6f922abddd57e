// Command runnerbench measures the runner on a large real WASI program and
// prints a table: per-run wall time and peak RSS for a cold compilation
// cache, a warm cache, one-shot "runner rustc" actions, the persistent
// worker (compile once, one instance per request) and wazero's own CLI.
// bench/run.sh prepares its inputs; it is a benchmark, not a test.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/rules-rustc-wasm/rules_rustc_wasm/bench/internal/measure"
)

type sample struct {
	wall time.Duration
	rss  int64 // KiB
}

type row struct {
	mode    string
	samples []sample
	note    string
}

func fatal(format string, a ...any) {
	fmt.Fprintf(os.Stderr, "runnerbench: "+format+"\n", a...)
	os.Exit(1)
}

// run runs a command and returns its wall time and peak RSS.
func run(dir, name string, args ...string) sample {
	wall, rss, err := measure.Run(dir, name, args...)
	if err != nil {
		fatal("%v", err)
	}
	return sample{wall, rss}
}

func main() {
	runner := flag.String("runner", "", "the runner binary")
	wazero := flag.String("wazero", "", "wazero's CLI binary (optional)")
	module := flag.String("module", "", "a large WASI command module")
	job := flag.String("job", "", "a directory the module works in; mounted at / (runner) and /work (wazero)")
	n := flag.Int("n", 5, "runs per mode")
	flag.Parse()
	if *runner == "" || *module == "" || *job == "" || flag.NArg() == 0 {
		fatal("usage: runnerbench -runner R -module M.wasm -job DIR [-wazero W] [-n N] -- MODULE_ARGS...")
	}
	args := flag.Args()
	fi, err := os.Stat(*module)
	if err != nil {
		fatal("%v", err)
	}
	tmp, err := os.MkdirTemp("", "runnerbench-")
	if err != nil {
		fatal("%v", err)
	}
	defer os.RemoveAll(tmp)
	var rows []row

	// 1. runner run, cold cache: a new empty cache each run (compiles).
	r := row{mode: "runner run, cold cache (compile)"}
	for i := 0; i < *n; i++ {
		cache := filepath.Join(tmp, fmt.Sprintf("cold-%d", i))
		r.samples = append(r.samples, run(*job, *runner, append([]string{"run", "--cache-dir", cache, "--dir", ".::/", *module}, args...)...))
	}
	rows = append(rows, r)

	// 2. runner run, warm cache.
	warm := filepath.Join(tmp, "warm")
	run(*job, *runner, append([]string{"run", "--cache-dir", warm, "--dir", ".::/", *module}, args...)...)
	r = row{mode: "runner run, warm cache"}
	for i := 0; i < *n; i++ {
		r.samples = append(r.samples, run(*job, *runner, append([]string{"run", "--cache-dir", warm, "--dir", ".::/", *module}, args...)...))
	}
	rows = append(rows, r)

	// 3. runner rustc one-shot (a Bazel action without the worker), warm cache.
	r = row{mode: "runner rustc, one process per action, warm cache"}
	for i := 0; i < *n; i++ {
		r.samples = append(r.samples, run(*job, *runner, append([]string{"rustc", "--cache-dir", warm, "--compiler", *module, "--"}, args...)...))
	}
	rows = append(rows, r)

	// 4. the persistent worker: one process, one compile, N requests.
	first, rest, rss := workerRuns(*runner, warm, *module, *job, args, *n)
	rows = append(rows, row{mode: "runner rustc worker, first request (compiles from warm cache)", samples: []sample{{first, 0}}})
	rows = append(rows, row{mode: "runner rustc worker, later requests", samples: rest, note: fmt.Sprintf("worker and its children, sum of their peak RSS: %d MiB after %d requests", rss/1024, *n+1)})

	// 5. wazero's CLI on the same job, warm cache.
	if *wazero != "" {
		wcache := filepath.Join(tmp, "wazero")
		wargs := append([]string{"run", "-cachedir", wcache, "-mount", ".:/", *module}, args...)
		run(*job, *wazero, wargs...)
		r = row{mode: "wazero CLI v1.12.0, warm cache"}
		for i := 0; i < *n; i++ {
			r.samples = append(r.samples, run(*job, *wazero, wargs...))
		}
		rows = append(rows, r)
	}

	fmt.Printf("module: %s (%.1f MB)\njob: %s\n\n", filepath.Base(*module), float64(fi.Size())/1e6, strings.Join(args, " "))
	fmt.Println("| mode | runs | median wall | min | max | peak RSS |")
	fmt.Println("|---|---|---|---|---|---|")
	for _, r := range rows {
		var walls []time.Duration
		var maxRSS int64
		for _, s := range r.samples {
			walls = append(walls, s.wall)
			if s.rss > maxRSS {
				maxRSS = s.rss
			}
		}
		sort.Slice(walls, func(i, j int) bool { return walls[i] < walls[j] })
		rss := "-"
		if maxRSS > 0 {
			rss = fmt.Sprintf("%d MiB", maxRSS/1024)
		} else if r.note != "" {
			rss = r.note
		}
		fmt.Printf("| %s | %d | %.2f s | %.2f s | %.2f s | %s |\n", r.mode, len(walls),
			measure.Median(walls).Seconds(), walls[0].Seconds(), walls[len(walls)-1].Seconds(), rss)
	}
}

// workerRuns plays Bazel: it starts the worker and sends requests one after
// another, timing each response.
func workerRuns(runner, cache, module, job string, args []string, n int) (time.Duration, []sample, int64) {
	w, err := measure.StartWorker(runner, cache, job)
	if err != nil {
		fatal("%v", err)
	}
	request := func() time.Duration {
		d, err := w.Request(append([]string{"--compiler", module, "--"}, args...))
		if err != nil {
			fatal("%v", err)
		}
		return d
	}
	first := request()
	var rest []sample
	for i := 0; i < n; i++ {
		rest = append(rest, sample{wall: request()})
	}
	return first, rest, w.Stop()
}
