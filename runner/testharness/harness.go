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
	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/internal/textsafe"
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
		msg += ":\n" + textsafe.Printable(out)
	}
	return msg
}

// Bounds on what the runner keeps of the tests' output: the host's memory
// (and test.xml) must not follow what a test prints.
const (
	// OutputHead and OutputTail are how much of the start and of the end
	// of one test's output is kept; the middle is dropped, with a line
	// saying how much. (The harness's own lines are at the start and at
	// the end.)
	OutputHead = 256 << 10
	OutputTail = 768 << 10
	// ReportOutput bounds the outputs the report keeps in all; once it is
	// spent, a test keeps only the last ShortTail bytes of its output.
	ReportOutput = 64 << 20
	ShortTail    = 16 << 10
	// MaxListOutput bounds the harness's --list output.
	MaxListOutput = 64 << 20
	// MaxMessage bounds a failure's message (a panic message).
	MaxMessage = 8 << 10
)

// reportBudget is ReportOutput (a variable for the tests).
var reportBudget int64 = ReportOutput

// syncBuffer is one buffer for a guest's stdout and stderr, which several
// guest threads may write at once. It keeps the first head and the last
// tail bytes written; limit > 0 keeps everything up to limit instead and
// notes whether more came.
type syncBuffer struct {
	mu         sync.Mutex
	head, tail int
	limit      int
	b          bytes.Buffer // the head, or everything up to limit
	end        []byte       // the last bytes, up to 2*tail
	total      int64
}

func newBuffer(head, tail int) *syncBuffer { return &syncBuffer{head: head, tail: tail} }

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	written := len(p)
	s.total += int64(written)
	if s.limit > 0 {
		if room := s.limit - s.b.Len(); room > 0 {
			s.b.Write(p[:min(room, len(p))])
		}
		return written, nil
	}
	if room := s.head - s.b.Len(); room > 0 {
		n := min(room, len(p))
		s.b.Write(p[:n])
		p = p[n:]
	}
	switch {
	case len(p) >= s.tail:
		s.end = append(s.end[:0], p[len(p)-s.tail:]...)
	default:
		s.end = append(s.end, p...)
		if len(s.end) > 2*s.tail {
			s.end = append(s.end[:0], s.end[len(s.end)-s.tail:]...)
		}
	}
	return written, nil
}

// overflowed reports whether more than limit bytes came.
func (s *syncBuffer) overflowed() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.limit > 0 && s.total > int64(s.limit)
}

// String is what was kept: everything, or the head and the tail with a
// line between them saying how much was left out.
func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.limit > 0 {
		return s.b.String()
	}
	end := s.end
	if len(end) > s.tail {
		end = end[len(end)-s.tail:]
	}
	dropped := s.total - int64(s.b.Len()) - int64(len(end))
	if dropped <= 0 {
		return s.b.String() + string(s.end)
	}
	head := s.b.String()
	if !strings.HasSuffix(head, "\n") {
		head += "\n"
	}
	return head + fmt.Sprintf("[... %d bytes of output left out ...]\n", dropped) + string(end)
}

// run runs the module once with the harness arguments args; stdout and
// stderr go to one buffer, unless stdout is given.
func (c *Config) run(ctx context.Context, stdout io.Writer, args ...string) (string, uint32, error) {
	out := newBuffer(OutputHead, OutputTail)
	rc := c.Run
	rc.Args = append([]string{c.Run.Args[0]}, args...)
	rc.Stdin = nil
	rc.Stdout, rc.Stderr = out, out
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
	stdout := &syncBuffer{limit: MaxListOutput}
	stderr, code, err := c.run(ctx, stdout, args...)
	if err != nil || code != 0 {
		return nil, &HarnessError{What: "list its tests", Code: code, Err: err, Output: excerpt(stdout.String()) + stderr}
	}
	if stdout.overflowed() {
		return nil, &HarnessError{What: fmt.Sprintf("list its tests (the list is longer than %d MiB)", MaxListOutput>>20)}
	}
	names, err := ParseList(stdout.String())
	if err != nil {
		return nil, &HarnessError{What: "list its tests (" + err.Error() + ")", Output: excerpt(stdout.String()) + stderr}
	}
	return names, nil
}

// ParseList reads the output of --list --format=terse: a "NAME: test" or
// "NAME: bench" line for each test, in order. Any other line that is not
// blank is an error (running none of the tests of something else would
// pass a test target that tested nothing), and so is an empty NAME, which
// no test has.
func ParseList(out string) ([]string, error) {
	var names []string
	for i, line := range strings.Split(out, "\n") {
		name, ok := strings.CutSuffix(line, ": test")
		if !ok {
			name, ok = strings.CutSuffix(line, ": bench")
		}
		switch {
		case ok && name == "":
			return nil, fmt.Errorf("line %d: a test without a name", i+1)
		case ok:
			names = append(names, name)
		case strings.TrimSpace(line) != "":
			return nil, fmt.Errorf("line %d: want \"NAME: test\" lines from --list --format=terse", i+1)
		}
	}
	return names, nil
}

// excerpt cuts text for a message to its first and last few KiB.
func excerpt(s string) string {
	const keep = 8 << 10
	if len(s) <= 2*keep {
		return s
	}
	return s[:keep] + fmt.Sprintf("\n[... %d bytes left out ...]\n", len(s)-2*keep) + s[len(s)-keep:]
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
	budget := reportBudget
	var wg sync.WaitGroup
	sem := make(chan struct{}, jobs)
	for i, name := range selected {
		wg.Add(1)
		sem <- struct{}{}
		go func(i int, name string) {
			defer func() { <-sem; wg.Done() }()
			res := c.runOne(ctx, name)
			logMu.Lock()
			if budget -= int64(len(res.Output)); budget < 0 {
				budget += int64(len(res.Output))
				res.Output = shorten(res.Output, ShortTail)
				budget -= int64(len(res.Output))
			}
			rep.Results[i] = res
			fmt.Fprintf(log, "test %s ... %s\n", textsafe.Printable(name), textsafe.Printable(res.status()))
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

// shorten keeps the last n bytes of an output, when the report's budget
// for outputs is spent.
func shorten(out string, n int) string {
	if len(out) <= n {
		return out
	}
	return fmt.Sprintf("[... %d bytes of output left out: the report keeps at most %d MiB of the tests' output in all ...]\n", len(out)-n, ReportOutput>>20) + out[len(out)-n:]
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

// panicMessage finds the panic in a test's output: from "thread 'main'
// panicked at ..." (or the start of its line) up to libtest's "note: run
// with `RUST_BACKTRACE=1`", or the end; at most MaxMessage bytes of it.
func panicMessage(out string) string {
	i := strings.Index(out, "panicked at ")
	if i < 0 {
		return ""
	}
	start := strings.LastIndex(out[:i], "\n") + 1
	// What the test printed before the panic, on the same line, is not
	// the message.
	if t := strings.LastIndex(out[start:i], "thread '"); t >= 0 {
		start += t
	}
	msg := out[start:]
	if j := strings.Index(msg, "\nnote: "); j >= 0 {
		msg = msg[:j]
	}
	msg = strings.TrimSpace(msg)
	if len(msg) > MaxMessage {
		msg = msg[:MaxMessage] + fmt.Sprintf(" [... %d bytes left out]", len(msg)-MaxMessage)
	}
	return msg
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
			fmt.Fprintf(w, "---- %s stdout ----\n%s", textsafe.Printable(res.Name), textsafe.Printable(res.Output))
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
				fmt.Fprintf(w, "    %s\n", textsafe.Printable(n))
			}
		}
	}
	if names := section("failures", Failed); names != nil {
		fmt.Fprintf(w, "\nfailures:\n")
		for _, n := range names {
			fmt.Fprintf(w, "    %s\n", textsafe.Printable(n))
		}
	}
	result := "ok"
	if r.Count(Failed) > 0 {
		result = "FAILED"
	}
	fmt.Fprintf(w, "\ntest result: %s. %d passed; %d failed; %d ignored; 0 measured; %d filtered out; finished in %ss\n\n",
		result, r.Count(Passed), r.Count(Failed), r.Count(Ignored), r.FilteredOut, strconv.FormatFloat(r.Duration.Seconds(), 'f', 2, 64))
}
