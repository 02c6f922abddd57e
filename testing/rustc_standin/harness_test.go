package main

import (
	"bytes"
	"context"
	"reflect"
	"testing"

	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/engine"
)

const crateRoot = `// standin_fail! in a comment does not count
macro_rules! standin_fail {
    () => {
        panic!("fails on purpose")
    };
}

#[test]
fn passes() {
    let s = "standin_fail! in a string does not count {";
    let c = '{';
}

#[test]
fn fails() {
    standin_fail!();
}

#[ignore = "not now"]
#[test]
fn ignored() {}

mod tests {
    #[test]
    fn inner() {}

    mod deeper {
        #[test]
        #[should_panic]
        fn sp() { panic!() }
    }

    fn helper() { standin_fail!(); }
}

#[test]
fn after() {}
`

func TestFindTests(t *testing.T) {
	want := []standinTest{
		{Name: "after"},
		{Name: "fails", Fails: true, Line: 16, Col: 5},
		{Name: "ignored", Ignored: true, Reason: "not now"},
		{Name: "passes"},
		{Name: "tests::deeper::sp", ShouldPanic: true},
		{Name: "tests::inner"},
	}
	if got := findTests(crateRoot); !reflect.DeepEqual(got, want) {
		t.Fatalf("got  %+v\nwant %+v", got, want)
	}
}

// The module answers like a libtest harness.
func TestHarnessModule(t *testing.T) {
	ctx := context.Background()
	eng, err := engine.New(ctx, engine.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer eng.Close(ctx)
	mod, err := eng.Compile(ctx, "t.wasm", testHarness(Record{CrateName: "c", Root: "c.rs"}, crateRoot))
	if err != nil {
		t.Fatal(err)
	}
	run := func(args ...string) (string, string, uint32) {
		var out, errb bytes.Buffer
		cfg := engine.RunConfig{}
		cfg.Args, cfg.Stdout, cfg.Stderr = append([]string{"t.wasm"}, args...), &out, &errb
		code, err := mod.Run(ctx, cfg)
		if err != nil {
			t.Fatalf("%q: %v", args, err)
		}
		return out.String(), errb.String(), code
	}
	for _, c := range []struct {
		args           []string
		stdout, stderr string
		code           uint32
	}{
		{[]string{"--list", "--format=terse"}, "after: test\nfails: test\nignored: test\npasses: test\ntests::deeper::sp: test\ntests::inner: test\n", "", 0},
		{[]string{"--list", "--format=terse", "--ignored"}, "ignored: test\n", "", 0},
		{[]string{"--exact", "tests::inner", "--nocapture", "--test-threads=1"},
			"\nrunning 1 test\ntest tests::inner ... rustc stand-in: test tests::inner of c from c.rs; nothing was compiled\nok\n\ntest result: ok. 1 passed; 0 failed; 0 ignored; 0 measured; 5 filtered out\n\n", "", 0},
		{[]string{"--exact", "fails"}, "\nrunning 1 test\ntest fails ... ",
			"thread 'main' panicked at 'standin_fail!: the rustc stand-in fails this test (a test double: nothing was compiled)', c.rs:16:5\nnote: run with `RUST_BACKTRACE=1` environment variable to display a backtrace\n", 101},
		{[]string{"--exact", "ignored"}, "\nrunning 1 test\ntest ignored ... ignored, not now\n\ntest result: ok. 0 passed; 0 failed; 1 ignored; 0 measured; 5 filtered out\n\n", "", 0},
		{[]string{"--exact", "tests::deeper::sp"}, "\nrunning 1 test\ntest tests::deeper::sp - should panic ... ignored\n\ntest result: ok. 0 passed; 0 failed; 1 ignored; 0 measured; 5 filtered out\n\n", "", 0},
		{[]string{"--exact", "tests"}, "\nrunning 0 tests\n\ntest result: ok. 0 passed; 0 failed; 0 ignored; 0 measured; 6 filtered out\n\n", "", 0},
	} {
		out, errs, code := run(c.args...)
		if out != c.stdout || errs != c.stderr || code != c.code {
			t.Errorf("%q: exit %d, stdout %q, stderr %q\nwant exit %d, stdout %q, stderr %q", c.args, code, out, errs, c.code, c.stdout, c.stderr)
		}
	}
	out, _, code := run()
	if code != 101 || !bytes.Contains([]byte(out), []byte("test fails ... FAILED\n")) || !bytes.Contains([]byte(out), []byte("test result: FAILED. 3 passed; 1 failed; 2 ignored;")) {
		t.Errorf("a run of every test: exit %d\n%s", code, out)
	}
	// No failing test: exit 0.
	mod2, err := eng.Compile(ctx, "ok.wasm", testHarness(Record{Root: "ok.rs"}, "#[test]\nfn a() {}\n"))
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	cfg := engine.RunConfig{}
	cfg.Args, cfg.Stdout = []string{"ok.wasm"}, &b
	if code, err := mod2.Run(ctx, cfg); err != nil || code != 0 || !bytes.Contains(b.Bytes(), []byte("test a ... ok\n")) {
		t.Errorf("exit %d, %v\n%s", code, err, b.String())
	}
}
