package testharness

import (
	"bytes"
	"context"
	"encoding/xml"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/engine"
	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/internal/wasmtest"
	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/wasi"
)

var (
	buildOnce sync.Once
	buildErr  error
	tmpDir    string
	eng       *engine.Engine
	mod       *engine.Module
)

func TestMain(m *testing.M) {
	code := wasmtest.Main(m)
	if eng != nil {
		eng.Close(context.Background())
	}
	if tmpDir != "" {
		os.RemoveAll(tmpDir)
	}
	os.Exit(code)
}

// harness compiles testdata/cases.rs with rustc --test, once.
func harness(t *testing.T) *engine.Module {
	t.Helper()
	out := wasmtest.RustTest(t, "testdata/cases.rs")
	buildOnce.Do(func() {
		ctx := context.Background()
		if tmpDir, buildErr = os.MkdirTemp("", "testharness-"); buildErr != nil {
			return
		}
		if eng, buildErr = engine.New(ctx, engine.Config{CacheDir: filepath.Join(tmpDir, "cache"), NoSourceLines: true}); buildErr != nil {
			return
		}
		mod, buildErr = eng.CompileFile(ctx, out)
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return mod
}

var (
	loudOnce sync.Once
	loudMod  *engine.Module
	loudErr  error
)

// loudHarness compiles testdata/loud.rs, once.
func loudHarness(t *testing.T) *engine.Module {
	t.Helper()
	harness(t) // the engine
	out := wasmtest.RustTest(t, "testdata/loud.rs")
	loudOnce.Do(func() {
		loudMod, loudErr = eng.CompileFile(context.Background(), out)
	})
	if loudErr != nil {
		t.Fatal(loudErr)
	}
	return loudMod
}

func config(t *testing.T, args ...string) (Config, *bytes.Buffer) {
	t.Helper()
	a, err := ParseArgs(args)
	if err != nil {
		t.Fatal(err)
	}
	var log bytes.Buffer
	c := Config{Module: harness(t), Args: a, Jobs: runtime.NumCPU(), Log: &log}
	c.Run.Args = []string{"cases.wasm"}
	return c, &log
}

func run(t *testing.T, c Config) *Report {
	t.Helper()
	rep, err := Run(context.Background(), c)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func outcomes(rep *Report) map[string]string {
	m := map[string]string{}
	for _, r := range rep.Results {
		m[r.Name] = r.status()
	}
	return m
}

var allTests = []string{"exits_nonzero", "fails_assert", "fails_later", "ignored_plain", "ignored_reason",
	"passes", "prints_env", "tests::inner", "tests::should_panic", "writes_tmp"}

func TestList(t *testing.T) {
	c, _ := config(t)
	names, err := c.List(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(names, allTests) {
		t.Fatalf("listed %q, want %q", names, allTests)
	}
	c.Args.Ignored = true
	if names, _ = c.List(context.Background()); !reflect.DeepEqual(names, []string{"ignored_plain", "ignored_reason"}) {
		t.Fatalf("--ignored listed %q", names)
	}
}

// Every test runs, whichever fails before it, and the report reads like
// cargo test's, with each failure's output and panic message.
func TestEveryTestRunsAndFailuresAreReported(t *testing.T) {
	c, log := config(t)
	rep := run(t, c)
	want := map[string]string{
		"exits_nonzero": "FAILED", "fails_assert": "FAILED", "fails_later": "FAILED",
		"ignored_plain": "ignored", "ignored_reason": "ignored, too slow",
		"passes": "ok", "prints_env": "ok", "tests::inner": "ok", "tests::should_panic": "ignored, should panic", "writes_tmp": "ok",
	}
	if got := outcomes(rep); !reflect.DeepEqual(got, want) {
		t.Fatalf("outcomes %v, want %v\nlog:\n%s", got, want, log)
	}
	l := log.String()
	for _, s := range []string{
		"\nrunning 10 tests\n",
		"test passes ... ok\n",
		"test fails_assert ... FAILED\n",
		"test ignored_reason ... ignored, too slow\n",
		"---- fails_assert stdout ----\nout before\nerr before\nthread 'main' panicked at 'assertion failed: `(left == right)`\n  left: `2`,\n right: `3`: math is broken', testdata/cases.rs:",
		"---- fails_later stdout ----\nthread 'main' panicked at 'the second failure'",
		"---- exits_nonzero stdout ----\nthe test exited with code 3\n",
		"\nfailures:\n    exits_nonzero\n    fails_assert\n    fails_later\n\ntest result: FAILED. 4 passed; 3 failed; 3 ignored; 0 measured; 0 filtered out; finished in ",
	} {
		if !strings.Contains(l, s) {
			t.Errorf("log lacks %q", s)
		}
	}
	if strings.Contains(l, "wasm stack:") || strings.Contains(l, "hello from passes") {
		t.Errorf("log shows a wasm stack or a passing test's output:\n%s", l)
	}
	if t.Failed() {
		t.Logf("log:\n%s", l)
	}
	for _, r := range rep.Results {
		switch r.Name {
		case "fails_assert":
			if !strings.HasPrefix(r.Message, "thread 'main' panicked at 'assertion failed") || !strings.Contains(r.Message, "math is broken") || strings.Contains(r.Message, "note:") {
				t.Errorf("fails_assert's message %q", r.Message)
			}
			if !strings.Contains(r.Output, "trapped (unreachable") {
				t.Errorf("fails_assert's output does not say it trapped: %q", r.Output)
			}
		case "passes":
			if r.Output != "hello from passes\n" {
				t.Errorf("passes' output %q", r.Output)
			}
		case "tests::inner":
			if r.Output != "no newline" {
				t.Errorf("tests::inner's output %q", r.Output)
			}
		}
	}
}

func TestWasmStackOnDemand(t *testing.T) {
	c, log := config(t, "fails_later")
	c.WasmStack = true
	run(t, c)
	if !strings.Contains(log.String(), "wasm stack:\n\t") || !strings.Contains(log.String(), "__rust_start_panic") {
		t.Fatalf("no wasm stack:\n%s", log)
	}
}

func TestShowOutput(t *testing.T) {
	c, log := config(t, "--show-output", "passes")
	run(t, c)
	if !strings.Contains(log.String(), "\nsuccesses:\n\n---- passes stdout ----\nhello from passes\n\n\nsuccesses:\n    passes\n") {
		t.Fatalf("log:\n%s", log)
	}
}

func TestFilters(t *testing.T) {
	for _, c := range []struct {
		args []string
		want []string
	}{
		{[]string{"ignored"}, []string{"ignored_plain", "ignored_reason"}},
		{[]string{"pass", "inner"}, []string{"passes", "tests::inner"}},
		{[]string{"--exact", "tests::inner"}, []string{"tests::inner"}},
		{[]string{"--exact", "inner"}, nil},
		{[]string{"tests::", "--skip", "should"}, []string{"tests::inner"}},
		{[]string{"--skip=fails", "--skip", "ignored", "--skip", "tests", "-q", "--color", "never"}, []string{"exits_nonzero", "passes", "prints_env", "writes_tmp"}},
	} {
		cfg, log := config(t, c.args...)
		rep := run(t, cfg)
		var got []string
		for _, r := range rep.Results {
			got = append(got, r.Name)
		}
		if !reflect.DeepEqual(got, c.want) || rep.FilteredOut != len(allTests)-len(c.want) {
			t.Errorf("%q ran %q (%d filtered out), want %q\n%s", c.args, got, rep.FilteredOut, c.want, log)
		}
	}
}

// --ignored and --include-ignored run the ignored tests.
func TestIgnoredFlags(t *testing.T) {
	c, log := config(t, "--ignored")
	rep := run(t, c)
	if got := outcomes(rep); !reflect.DeepEqual(got, map[string]string{"ignored_plain": "ok", "ignored_reason": "ok"}) {
		t.Fatalf("--ignored: %v\n%s", got, log)
	}
	c, log = config(t, "--include-ignored", "ignored_")
	if got := outcomes(run(t, c)); !reflect.DeepEqual(got, map[string]string{"ignored_plain": "ok", "ignored_reason": "ok"}) {
		t.Fatalf("--include-ignored: %v\n%s", got, log)
	}
}

// The shards split the tests between them: each test runs in exactly one.
func TestSharding(t *testing.T) {
	var all []string
	for i := 0; i < 4; i++ {
		c, _ := config(t)
		c.Shard, c.Shards = i, 4
		rep := run(t, c)
		if n := len(rep.Results); n < 2 || n > 3 || rep.FilteredOut != len(allTests)-n {
			t.Errorf("shard %d ran %d tests, %d filtered out", i, n, rep.FilteredOut)
		}
		for _, r := range rep.Results {
			all = append(all, r.Name)
		}
	}
	sort.Strings(all)
	if !reflect.DeepEqual(all, allTests) {
		t.Fatalf("the shards ran %q, want each of %q once", all, allTests)
	}
}

// TMPDIR, mounted by the caller, is writable.
func TestTmpDirMount(t *testing.T) {
	c, log := config(t, "writes_tmp")
	dir := t.TempDir()
	c.Run.Mounts = []wasi.Mount{{HostPath: dir, GuestPath: "/tmp"}}
	c.Run.Env = []string{"TMPDIR=/tmp"}
	if rep := run(t, c); rep.Count(Passed) != 1 {
		t.Fatalf("writes_tmp failed:\n%s", log)
	}
	if b, err := os.ReadFile(filepath.Join(dir, "written_by_test")); err != nil || string(b) != "hi" {
		t.Fatalf("the file the test wrote: %q, %v", b, err)
	}
}

func TestJUnit(t *testing.T) {
	c, _ := config(t, "passes", "fails_assert", "ignored_reason", "inner")
	rep := run(t, c)
	var b bytes.Buffer
	if err := rep.WriteJUnit(&b, "//pkg:cases"); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Tests    int `xml:"tests,attr"`
		Failures int `xml:"failures,attr"`
		Skipped  int `xml:"skipped,attr"`
		Suites   []struct {
			Name  string `xml:"name,attr"`
			Tests int    `xml:"tests,attr"`
			Cases []struct {
				Name      string `xml:"name,attr"`
				Classname string `xml:"classname,attr"`
				Time      string `xml:"time,attr"`
				Failure   *struct {
					Message string `xml:"message,attr"`
					Text    string `xml:",chardata"`
				} `xml:"failure"`
				Skipped *struct {
					Message string `xml:"message,attr"`
				} `xml:"skipped"`
				SystemOut string `xml:"system-out"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	if err := xml.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatalf("%v\n%s", err, b.String())
	}
	if doc.Tests != 4 || doc.Failures != 1 || doc.Skipped != 1 || len(doc.Suites) != 1 || doc.Suites[0].Name != "//pkg:cases" || len(doc.Suites[0].Cases) != 4 {
		t.Fatalf("counts:\n%s", b.String())
	}
	for _, tc := range doc.Suites[0].Cases {
		if tc.Classname != "//pkg:cases" || tc.Time == "" {
			t.Errorf("testcase %s: classname %q, time %q", tc.Name, tc.Classname, tc.Time)
		}
		switch tc.Name {
		case "fails_assert":
			if tc.Failure == nil || !strings.Contains(tc.Failure.Message, "panicked at 'assertion failed") ||
				!strings.Contains(tc.Failure.Text, "out before\nerr before\n") {
				t.Errorf("fails_assert: %+v", tc.Failure)
			}
		case "ignored_reason":
			if tc.Skipped == nil || tc.Skipped.Message != "too slow" || tc.Failure != nil {
				t.Errorf("ignored_reason: %+v", tc)
			}
		case "passes":
			if tc.Failure != nil || tc.Skipped != nil || tc.SystemOut != "hello from passes\n" {
				t.Errorf("passes: %+v", tc)
			}
		case "tests::inner":
		default:
			t.Errorf("unexpected testcase %q", tc.Name)
		}
	}
	if !strings.Contains(b.String(), "out before\nerr before\n") {
		t.Errorf("the failure's text is not kept line by line:\n%s", b.String())
	}
}

// A module that is not a libtest harness is an error, not zero tests.
func TestNotAHarness(t *testing.T) {
	c, _ := config(t)
	other, err := eng.Compile(context.Background(), "other.wasm", notAHarness)
	if err != nil {
		t.Fatal(err)
	}
	c.Module = other
	_, err = Run(context.Background(), c)
	if err == nil || !strings.Contains(err.Error(), "NAME: test") || !strings.Contains(err.Error(), "hello") {
		t.Fatalf("got %v", err)
	}
}

// notAHarness is a WASI command that prints "hello\n" whatever its
// arguments:
//
//	(module
//	  (import "wasi_snapshot_preview1" "fd_write" (func (param i32 i32 i32 i32) (result i32)))
//	  (memory (export "memory") 1)
//	  (data (i32.const 16) "hello\n")
//	  (func (export "_start")
//	    (i32.store (i32.const 0) (i32.const 16)) (i32.store (i32.const 4) (i32.const 6))
//	    (drop (call 0 (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))))
var notAHarness = []byte("\x00asm\x01\x00\x00\x00" +
	"\x01\x0c\x02\x60\x04\x7f\x7f\x7f\x7f\x01\x7f\x60\x00\x00" +
	"\x02\x23\x01\x16wasi_snapshot_preview1\x08fd_write\x00\x00" +
	"\x03\x02\x01\x01" +
	"\x05\x03\x01\x00\x01" +
	"\x07\x13\x02\x06memory\x02\x00\x06_start\x00\x01" +
	"\x0a\x1d\x01\x1b\x00\x41\x00\x41\x10\x36\x02\x00\x41\x04\x41\x06\x36\x02\x00\x41\x01\x41\x00\x41\x01\x41\x08\x10\x00\x1a\x0b" +
	"\x0b\x0c\x01\x00\x41\x10\x0b\x06hello\n")

func TestParseArgs(t *testing.T) {
	a, err := ParseArgs([]string{"f1", "--exact", "--skip", "s1", "--skip=s2", "--test-threads", "3", "--nocapture", "--format=terse", "-Z", "unstable-options", "--", "--f2"})
	if err != nil {
		t.Fatal(err)
	}
	want := Args{Filters: []string{"f1", "--f2"}, Skips: []string{"s1", "s2"}, Exact: true, ShowOutput: true, TestThreads: 3}
	if !reflect.DeepEqual(a, want) {
		t.Fatalf("got %+v, want %+v", a, want)
	}
	for _, bad := range [][]string{{"--no-such-flag"}, {"--skip"}, {"--test-threads", "0"}} {
		if _, err := ParseArgs(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestStrip(t *testing.T) {
	for _, c := range []struct{ out, body, verdict string }{
		{"\nrunning 1 test\ntest a::b ... hi\nok\n\ntest result: ok. 1 passed; 0 failed; 0 ignored; 0 measured; 3 filtered out\n\n", "hi\n", "ok"},
		{"\nrunning 1 test\ntest a::b ... hiok\n\ntest result: ok. 1 passed;", "hi", "ok"},
		{"\nrunning 1 test\ntest a::b ... ignored, why\n\ntest result: ok. 0 passed; 0 failed; 1 ignored;", "", "ignored, why"},
		{"\nrunning 1 test\ntest a::b - should panic ... ignored\n\ntest result: ok.", "", "ignored, should panic"},
		{"\nrunning 1 test\ntest a::b ... out\nthread 'main' panicked at 'x', a.rs:1:1\n", "out\nthread 'main' panicked at 'x', a.rs:1:1\n", ""},
		{"something else", "something else", ""},
	} {
		body, verdict := strip(c.out, "a::b")
		if body != c.body || verdict != c.verdict {
			t.Errorf("strip(%q) = %q, %q; want %q, %q", c.out, body, verdict, c.body, c.verdict)
		}
	}
}

func loudConfig(t *testing.T, args ...string) (Config, *bytes.Buffer) {
	t.Helper()
	c, log := config(t, args...)
	c.Module = loudHarness(t)
	c.Run.Args = []string{"loud.wasm"}
	return c, log
}

// TestOutputIsBounded: a test's output is kept as its first OutputHead and
// last OutputTail bytes, so that memory and test.xml do not follow what a
// test prints (before, 512 MiB took runner test to 3.2 GB and into a
// 512 MiB test.xml).
func TestOutputIsBounded(t *testing.T) {
	c, log := loudConfig(t, "loud")
	c.Run.Env = []string{"LOUD_BYTES=67108864"}
	rep := run(t, c)
	if len(rep.Results) != 2 {
		t.Fatalf("results %+v", rep.Results)
	}
	for _, r := range rep.Results {
		if len(r.Output) > OutputHead+OutputTail+200 || !strings.Contains(r.Output, " bytes of output left out ...]\n") {
			t.Errorf("%s: output of %d bytes", r.Name, len(r.Output))
		}
		switch r.Name {
		case "loud":
			if r.Outcome != Passed || !strings.HasPrefix(r.Output, "loud starts\n") || !strings.HasSuffix(r.Output, "\nloud is done\n") {
				t.Errorf("loud: %s, output %.40q...%q", r.status(), r.Output, r.Output[max(0, len(r.Output)-40):])
			}
		case "loud_failure":
			if r.Outcome != Failed || !strings.HasPrefix(r.Message, "thread 'main' panicked at 'failed after the noise', testdata/loud.rs:") {
				t.Errorf("loud_failure: %s, message %.200q", r.status(), r.Message)
			}
		}
	}
	var x bytes.Buffer
	if err := rep.WriteJUnit(&x, "loud"); err != nil {
		t.Fatal(err)
	}
	if x.Len() > 2*(OutputHead+OutputTail)+8192 {
		t.Errorf("test.xml of %d bytes", x.Len())
	}
	if log.Len() > OutputHead+OutputTail+8192 {
		t.Errorf("a log of %d bytes", log.Len())
	}
}

// TestReportBudget: once the report's budget for outputs is spent, a test
// keeps only the end of its output.
func TestReportBudget(t *testing.T) {
	defer func(b int64) { reportBudget = b }(reportBudget)
	reportBudget = 1 << 20
	c, _ := loudConfig(t, "loud")
	c.Run.Env = []string{"LOUD_BYTES=4194304"}
	c.Jobs = 1
	rep := run(t, c)
	total := 0
	for _, r := range rep.Results {
		total += len(r.Output)
	}
	last := rep.Results[len(rep.Results)-1]
	if total > int(reportBudget)+ShortTail+400 || !strings.Contains(last.Output, "the report keeps at most") {
		t.Errorf("outputs of %d bytes in all; the last: %.200q", total, last.Output)
	}
}

// TestControlCharactersAreEscaped: what a test prints reaches the terminal
// with its control characters escaped (before, raw).
func TestControlCharactersAreEscaped(t *testing.T) {
	c, log := loudConfig(t, "escapes")
	rep := run(t, c)
	if rep.Count(Failed) != 1 {
		t.Fatalf("%+v", rep.Results)
	}
	l := log.String()
	if strings.ContainsAny(l, "\x1b\x07") || !strings.Contains(l, `\x1b[2J\x1b]0;owned\x07thread 'main' panicked at '\x1b[31mred\x1b[0m'`) {
		t.Errorf("log:\n%.2000q", l)
	}
	var x bytes.Buffer
	rep.WriteJUnit(&x, "loud")
	if strings.ContainsAny(x.String(), "\x1b\x07") {
		t.Errorf("test.xml holds control characters")
	}
}

func TestParseList(t *testing.T) {
	names, err := ParseList("a: test\nb::c: bench\n\n  \nd: test: test")
	if err != nil || !reflect.DeepEqual(names, []string{"a", "b::c", "d: test"}) {
		t.Errorf("%q %v", names, err)
	}
	for in, want := range map[string]string{
		"a: test\nrunning 1 test\n": "line 2: want \"NAME: test\" lines",
		": test\n":                  "line 1: a test without a name",
		"a: test\r\n":               "line 1: want",
	} {
		if _, err := ParseList(in); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ParseList(%q): %v, want %q", in, err, want)
		}
	}
}

// FuzzParseList: any listing either is refused or gives names that are
// not empty, hold no line break, and list the same again.
func FuzzParseList(f *testing.F) {
	for _, s := range []string{"a: test\n", "a: test\nb: bench\n\n", ": test", "x: test: bench\n", "\x00: test", "a: test\r\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, out string) {
		names, err := ParseList(out)
		if err != nil {
			return
		}
		var again strings.Builder
		for _, n := range names {
			if n == "" || strings.Contains(n, "\n") {
				t.Fatalf("name %q from %q", n, out)
			}
			again.WriteString(n + ": test\n")
		}
		if names2, err := ParseList(again.String()); err != nil || !reflect.DeepEqual(names, names2) {
			t.Fatalf("%q lists %q; listed again: %q %v", out, names, names2, err)
		}
	})
}
