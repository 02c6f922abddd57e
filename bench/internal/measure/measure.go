// Package measure holds what the benchmark programs of bench/ measure with:
// a command's wall time and peak memory, a persistent worker played as
// Bazel plays it, and the median of repeated runs.
package measure

import (
	"bufio"
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

// Median is the median of ds (the upper one of an even count).
func Median(ds []time.Duration) time.Duration {
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[len(s)/2]
}

// Run runs a command in dir and returns its wall time and peak resident
// set size in KiB; an error carries the command's output.
func Run(dir, name string, args ...string) (time.Duration, int64, error) {
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	start := time.Now()
	out, err := cmd.CombinedOutput()
	wall := time.Since(start)
	if err != nil {
		return 0, 0, fmt.Errorf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return wall, cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss, nil
}

// PeakRSS is the peak resident set size in KiB of a live process and,
// recursively, its children (the worker's guests run in children).
func PeakRSS(pid int) int64 {
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
				total += PeakRSS(n)
			}
		}
	}
	return total
}

// Worker is a "runner rustc --persistent_worker" sent one request at a
// time, as Bazel sends them.
type Worker struct {
	cmd   *exec.Cmd
	stdin io.WriteCloser
	out   *bufio.Reader
	next  int32
}

// StartWorker starts runner's worker in dir with the cache directory cache.
func StartWorker(runner, cache, dir string) (*Worker, error) {
	cmd := exec.Command(runner, "rustc", "--cache-dir", cache, "--persistent_worker")
	cmd.Dir = dir
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	return &Worker{cmd: cmd, stdin: stdin, out: bufio.NewReader(stdout)}, nil
}

// Request sends one work request and returns the time to its response,
// which must report success.
func (w *Worker) Request(args []string) (time.Duration, error) {
	w.next++
	start := time.Now()
	if err := worker.WriteRequest(w.stdin, &worker.Request{Arguments: args, RequestID: w.next}); err != nil {
		return 0, fmt.Errorf("worker: %v", err)
	}
	resp, err := worker.ReadResponse(w.out)
	d := time.Since(start)
	if err != nil || resp.ExitCode != 0 {
		return 0, fmt.Errorf("worker request %d: %v %+v", w.next, err, resp)
	}
	return d, nil
}

// Stop ends the worker and returns the peak RSS in KiB of it and its
// children.
func (w *Worker) Stop() int64 {
	rss := PeakRSS(w.cmd.Process.Pid)
	w.stdin.Close()
	w.cmd.Wait()
	return rss
}
