// Package testharness runs a Rust libtest harness compiled to WebAssembly
// one test per instance, and reports like `cargo test`, and in JUnit XML.
//
// On wasm32 a panic aborts (panic=abort): the instance traps and, were
// the tests run in one instance, the tests after the failing one would
// never run and its message would be lost with libtest's captured output.
// So the harness is asked for its list of tests (--list --format=terse),
// and each test runs in a fresh instance of the module, compiled once,
// with `--exact NAME --nocapture --test-threads=1`; what it writes is
// captured by the runner, and a trap or a non-zero exit is that test's
// failure, reported with what the test wrote (the panic message among it).
package testharness

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/engine"
)

// Outcome is how a test ended.
type Outcome int

const (
	Passed Outcome = iota
	Failed
	Ignored
)

// Result is one test's result.
type Result struct {
	Name    string
	Outcome Outcome
	// Reason is why an ignored test was ignored (#[ignore = "reason"],
	// or "should panic": libtest ignores #[should_panic] tests on wasm).
	Reason string
	// Message is a failure in one line or a few: the panic message, or
	// the exit code or trap.
	Message string
	// Output is what the test wrote to stdout and stderr, interleaved,
	// without the harness's own lines; for a failure it ends with a
	// line saying how the instance ended.
	Output   string
	Duration time.Duration
}

// Report is the result of a run.
type Report struct {
	Results []Result // in the harness's order
	// FilteredOut counts the tests left out by filters and sharding.
	FilteredOut int
	Duration    time.Duration
	Start       time.Time
}

// Count returns how many results have the outcome o.
func (r *Report) Count(o Outcome) int {
	n := 0
	for _, res := range r.Results {
		if res.Outcome == o {
			n++
		}
	}
	return n
}

// Config says what to run and how.
type Config struct {
	Module *engine.Module
	// Run is every instance's configuration: Args[0] is argv[0] (the
	// harness arguments are the runner's), mounts and environment;
	// Stdin, Stdout and Stderr are the runner's too.
	Run  engine.RunConfig
	Args Args
	// Shard and Shards split the selected tests: a test runs in shard
	// i%Shards, i its index in the harness's list. Shards 0 is one shard.
	Shard, Shards int
	// Jobs is how many instances run side by side (at least 1).
	Jobs int
	// WasmStack appends the wasm stack to a trapped test's output.
	WasmStack bool
	// Log receives the report as the tests finish, like `cargo test`'s;
	// nil discards it.
	Log io.Writer
}

// HarnessError reports a harness that could not list its tests.
type HarnessError struct {
	What   string
	Code   uint32
	Err    error
	Output string
}

func (e *HarnessError) Error() string {
	var how string
	var trap *engine.TrapError
	switch {
	case errors.As(e.Err, &trap):
		how = "trapped: " + trap.Trap + " in function " + trap.Function
	case e.Err != nil:
		how = e.Err.Error()
	default:
		how = fmt.Sprintf("exit code %d", e.Code)
	}
	msg := fmt.Sprintf("the test harness failed to %s (%s)", e.What, how)
	if out := strings.TrimSpace(e.Output); out != "" {
		msg += ":\n" + out
	}
	return msg
}

// syncBuffer is one buffer for a guest's stdout and stderr, which several
// guest threads may write at once.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// run runs the module once with the harness arguments args; stdout and
// stderr go to one buffer, unless stdout is given.
func (c *Config) run(ctx context.Context, stdout io.Writer, args ...string) (string, uint32, error) {
	var out syncBuffer
	rc := c.Run
	rc.Args = append([]string{c.Run.Args[0]}, args...)
	rc.Stdin = nil
	rc.Stdout, rc.Stderr = &out, &out
	if stdout != nil {
		rc.Stdout = stdout
	}
	code, err := c.Module.Run(ctx, rc)
	return out.String(), code, err
}

// List returns the tests of the harness, in its order: with Args.Ignored,
// only the ignored ones. Benchmarks are tests too: libtest runs a
// #[bench] once when not given --bench.
func (c *Config) List(ctx context.Context) ([]string, error) {
	args := []string{"--list", "--format=terse"}
	if c.Args.Ignored {
		args = append(args, "--ignored")
	}
	var stdout syncBuffer
	stderr, code, err := c.run(ctx, &stdout, args...)
	if err != nil || code != 0 {
		return nil, &HarnessError{What: "list its tests", Code: code, Err: err, Output: stdout.String() + stderr}
	}
	var names []string
	for _, line := range strings.Split(stdout.String(), "\n") {
		if name, ok := strings.CutSuffix(line, ": test"); ok {
			names = append(names, name)
		} else if name, ok := strings.CutSuffix(line, ": bench"); ok {
			names = append(names, name)
		} else if strings.TrimSpace(line) != "" {
			// Not libtest's terse list: running none of its tests
			// would pass a test target that tested nothing.
			return nil, &HarnessError{What: "list its tests (want \"NAME: test\" lines from --list --format=terse)", Output: stdout.String() + stderr}
		}
	}
	return names, nil
}

// Run lists the tests, runs those selected, each in an instance of its
// own, and returns the report. It fails only when the harness cannot list
// its tests or ctx ends; a failing test is a result.
func Run(ctx context.Context, c Config) (*Report, error) {
	rep := &Report{Start: time.Now()}
	names, err := c.List(ctx)
	if err != nil {
		return nil, err
	}
	selected, filtered := c.Args.Select(names)
	if c.Shards > 1 {
		var mine []string
		for i, n := range selected {
			if i%c.Shards == c.Shard {
				mine = append(mine, n)
			}
		}
		filtered += len(selected) - len(mine)
		selected = mine
	}
	rep.FilteredOut = filtered
	log := c.Log
	if log == nil {
		log = io.Discard
	}
	fmt.Fprintf(log, "\nrunning %d %s\n", len(selected), plural(len(selected), "test", "tests"))

	jobs := c.Jobs
	if jobs < 1 {
		jobs = 1
	}
	rep.Results = make([]Result, len(selected))
	var logMu sync.Mutex
	var wg sync.WaitGroup
	sem := make(chan struct{}, jobs)
	for i, name := range selected {
		wg.Add(1)
		sem <- struct{}{}
		go func(i int, name string) {
			defer func() { <-sem; wg.Done() }()
			res := c.runOne(ctx, name)
			rep.Results[i] = res
			logMu.Lock()
			fmt.Fprintf(log, "test %s ... %s\n", name, res.status())
			logMu.Unlock()
		}(i, name)
	}
	wg.Wait()
	rep.Duration = time.Since(rep.Start)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	rep.WriteSummary(log, c.Args.ShowOutput)
	return rep, nil
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// status is the word `cargo test` prints after "test NAME ...".
func (r *Result) status() string {
	switch r.Outcome {
	case Failed:
		return "FAILED"
	case Ignored:
		if r.Reason != "" {
			return "ignored, " + r.Reason
		}
		return "ignored"
	}
	return "ok"
}

var summaryLine = regexp.MustCompile(`(?m)^test result: \w+\. (\d+) passed; (\d+) failed; (\d+) ignored; (\d+) measured;`)

// runOne runs one test in a fresh instance.
func (c *Config) runOne(ctx context.Context, name string) Result {
	res := Result{Name: name}
	args := []string{"--exact", name, "--nocapture", "--test-threads=1"}
	if c.Args.Ignored {
		args = append(args, "--ignored")
	}
	if c.Args.IncludeIgnored {
		args = append(args, "--include-ignored")
	}
	start := time.Now()
	out, code, err := c.run(ctx, nil, args...)
	res.Duration = time.Since(start)
	body, verdict := strip(out, name)
	res.Output = body

	var trap *engine.TrapError
	switch {
	case errors.As(err, &trap):
		res.Outcome = Failed
		res.Message = panicMessage(body)
		how := fmt.Sprintf("the test aborted: %s trapped (%s in function %s)", name, trap.Trap, trap.Function)
		if res.Message == "" {
			res.Message = how
		}
		res.Output = withLine(res.Output, how)
		if c.WasmStack {
			res.Output += "wasm stack:\n\t" + strings.Join(trap.Stack, "\n\t") + "\n"
		} else {
			res.Output += "(RUNNER_TEST_WASM_STACK=1 in the environment shows the wasm stack)\n"
		}
	case err != nil:
		res.Outcome = Failed
		res.Message = fmt.Sprintf("the runner could not run %s: %v", name, err)
		res.Output = withLine(res.Output, res.Message)
	case code != 0:
		res.Outcome = Failed
		res.Message = panicMessage(body)
		how := fmt.Sprintf("the test exited with code %d", code)
		if res.Message == "" {
			res.Message = how
		}
		res.Output = withLine(res.Output, how)
	default:
		m := summaryLine.FindStringSubmatch(out)
		switch {
		case m == nil:
			res.Outcome = Failed
			res.Message = "the harness exited 0 without a \"test result:\" line"
			res.Output = withLine(out, res.Message)
		case m[1] == "1" || m[4] == "1":
			res.Outcome = Passed
		case m[3] == "1":
			res.Outcome = Ignored
			res.Reason = ignoreReason(verdict)
			res.Output = ""
		default:
			res.Outcome = Failed
			res.Message = fmt.Sprintf("the harness did not run %s (%s)", name, strings.TrimSpace(m[0]))
			res.Output = withLine(out, res.Message)
		}
	}
	return res
}

func withLine(s, line string) string {
	if s != "" && !strings.HasSuffix(s, "\n") {
		s += "\n"
	}
	return s + line + "\n"
}

// strip takes the harness's lines out of one test's output: the
// "running 1 test" and "test NAME ... " before it, and the verdict and
// "test result:" after it. It returns the test's own output and the
// verdict: "ok", "ignored", "ignored, REASON", "ignored, should panic"
// (libtest ignores #[should_panic] tests on wasm), or "" if the test did
// not finish.
func strip(out, name string) (body, verdict string) {
	rest, ok := strings.CutPrefix(out, "\nrunning 1 test\ntest "+name)
	if !ok {
		return out, ""
	}
	mark, after, ok := strings.Cut(rest, " ... ")
	if !ok || (mark != "" && mark != " - should panic") {
		return out, ""
	}
	body = after
	i := strings.LastIndex(body, "\ntest result: ")
	if i < 0 {
		return body, ""
	}
	body = strings.TrimSuffix(body[:i], "\n")
	j := strings.LastIndex(body, "\n") + 1
	switch last := body[j:]; {
	case strings.HasPrefix(last, "ignored"):
		verdict, body = last, body[:j]
		if verdict == "ignored" && mark != "" {
			verdict = "ignored, should panic"
		}
	case strings.HasSuffix(last, "ok"):
		verdict, body = "ok", strings.TrimSuffix(body, "ok")
	case strings.HasSuffix(last, "FAILED"):
		verdict, body = "FAILED", strings.TrimSuffix(body, "FAILED")
	}
	return body, verdict
}

// ignoreReason reads "ignored, REASON" (libtest 1.63 and later).
func ignoreReason(verdict string) string {
	if r, ok := strings.CutPrefix(verdict, "ignored, "); ok {
		return r
	}
	return ""
}

// panicMessage finds the panic in a test's output: from the line of
// "thread 'main' panicked at ..." up to libtest's "note: run with
// `RUST_BACKTRACE=1`", or the end.
func panicMessage(out string) string {
	i := strings.Index(out, "panicked at ")
	if i < 0 {
		return ""
	}
	msg := out[strings.LastIndex(out[:i], "\n")+1:]
	if j := strings.Index(msg, "\nnote: "); j >= 0 {
		msg = msg[:j]
	}
	return strings.TrimSpace(msg)
}

// WriteSummary writes what `cargo test` writes after the test lines: the
// output of each failure (and of each success with showOutput), the
// failures' names and the "test result:" line.
func (r *Report) WriteSummary(w io.Writer, showOutput bool) {
	sorted := append([]Result(nil), r.Results...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Name < sorted[j].Name })
	section := func(title string, o Outcome) []string {
		var names []string
		for _, res := range sorted {
			if res.Outcome != o || (o == Passed && res.Output == "") {
				continue
			}
			if names == nil {
				fmt.Fprintf(w, "\n%s:\n\n", title)
			}
			fmt.Fprintf(w, "---- %s stdout ----\n%s", res.Name, res.Output)
			if res.Output != "" && !strings.HasSuffix(res.Output, "\n") {
				fmt.Fprintln(w)
			}
			fmt.Fprintln(w)
			names = append(names, res.Name)
		}
		return names
	}
	if showOutput {
		if names := section("successes", Passed); names != nil {
			fmt.Fprintf(w, "\nsuccesses:\n")
			for _, n := range names {
				fmt.Fprintf(w, "    %s\n", n)
			}
		}
	}
	if names := section("failures", Failed); names != nil {
		fmt.Fprintf(w, "\nfailures:\n")
		for _, n := range names {
			fmt.Fprintf(w, "    %s\n", n)
		}
	}
	result := "ok"
	if r.Count(Failed) > 0 {
		result = "FAILED"
	}
	fmt.Fprintf(w, "\ntest result: %s. %d passed; %d failed; %d ignored; 0 measured; %d filtered out; finished in %ss\n\n",
		result, r.Count(Passed), r.Count(Failed), r.Count(Ignored), r.FilteredOut, strconv.FormatFloat(r.Duration.Seconds(), 'f', 2, 64))
}
