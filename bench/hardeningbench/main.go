// Command hardeningbench compares two runner binaries (before and after
// the hardening of the runner and worker) on a large real WASI program,
// clang from npm's @yowasp/clang: a clang++ -O2 -c job one process per
// run, the same with --timeout, the same job through the persistent
// worker, and the worker's fixed cost per request (clang++ --version).
// It prints a table. bench/hardening.sh prepares its inputs; it is a
// benchmark, not a test.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/worker"
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

func median(ds []time.Duration) time.Duration {
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[len(s)/2]
}

// process runs one command and returns its wall time and peak RSS.
func process(dir string, name string, args ...string) (time.Duration, int64) {
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	start := time.Now()
	out, err := cmd.CombinedOutput()
	d := time.Since(start)
	if err != nil {
		fatal("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return d, cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss
}

// vmHWM is the peak RSS in KiB of pid and, recursively, its children.
func vmHWM(pid int) int64 {
	var total int64
	if b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid)); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			if f := strings.Fields(l); len(f) >= 2 && f[0] == "VmHWM:" {
				v, _ := strconv.ParseInt(f[1], 10, 64)
				total += v
			}
		}
	}
	tasks, _ := filepath.Glob(fmt.Sprintf("/proc/%d/task/*/children", pid))
	for _, t := range tasks {
		b, _ := os.ReadFile(t)
		for _, c := range strings.Fields(string(b)) {
			if n, err := strconv.Atoi(c); err == nil {
				total += vmHWM(n)
			}
		}
	}
	return total
}

// workerSession is a "runner rustc --persistent_worker" started in dir.
type workerSession struct {
	cmd   *exec.Cmd
	stdin io.WriteCloser
	out   *bufio.Reader
	next  int32
}

func startWorker(runner, cache, dir string) *workerSession {
	cmd := exec.Command(runner, "rustc", "--cache-dir", cache, "--persistent_worker")
	cmd.Dir = dir
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		fatal("%v", err)
	}
	return &workerSession{cmd: cmd, stdin: stdin, out: bufio.NewReader(stdout)}
}

// request sends one request and returns its latency.
func (w *workerSession) request(args []string) time.Duration {
	w.next++
	start := time.Now()
	if err := worker.WriteRequest(w.stdin, &worker.Request{Arguments: args, RequestID: w.next}); err != nil {
		fatal("worker: %v", err)
	}
	resp, err := worker.ReadResponse(w.out)
	d := time.Since(start)
	if err != nil || resp.ExitCode != 0 {
		fatal("worker request %d: %v %+v", w.next, err, resp)
	}
	return d
}

// stop ends the worker and returns the peak RSS of it and its children.
func (w *workerSession) stop() int64 {
	rss := vmHWM(w.cmd.Process.Pid)
	w.stdin.Close()
	w.cmd.Wait()
	return rss
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
	measure := func(mode string, runs int, one func(b bin) (time.Duration, int64)) {
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
			fmt.Fprintf(os.Stderr, "%s: %s: median %.3f s\n", b.name, mode, median(walls[j]).Seconds())
		}
	}
	measure("clang++ -O2 -c, runner run, one process per job", *n, func(b bin) (time.Duration, int64) {
		return process(*job, b.path, runArgs()...)
	})
	measure("same, with --timeout 10m", *n, func(b bin) (time.Duration, int64) {
		return process(*job, b.path, runArgs("--timeout", "10m")...)
	})
	workerMode := func(mode string, runs int, args []string) {
		ws := map[string]*workerSession{}
		for _, b := range bins {
			ws[b.name] = startWorker(b.path, *cache, *job)
			ws[b.name].request(args) // warm-up: compiles from the cache
		}
		measure(mode, runs, func(b bin) (time.Duration, int64) { return ws[b.name].request(args), 0 })
		for i, b := range bins {
			rows[len(rows)-len(bins)+i].rssKiB = ws[b.name].stop()
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
		fmt.Printf("| %s | %s | %d | %s | %s | %s | %d MiB |\n", r.runner, r.mode, len(s), unit(median(s)), unit(s[0]), unit(s[len(s)-1]), r.rssKiB/1024)
	}
}

type stringList []string

func (l *stringList) String() string     { return strings.Join(*l, ",") }
func (l *stringList) Set(v string) error { *l = append(*l, v); return nil }
