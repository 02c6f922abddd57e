package rustc

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/engine"
)

// TestPipelinedPairWritesTheSameBytes: a library compiled as a pipelined
// pair (a metadata action stopped at the .rmeta, a full action writing
// the .rlib, one rustc command line) gives the very bytes of one compile
// writing both; each action leaves only its own output; a dependent
// compiled against the metadata action's .rmeta links against the full
// action's .rlib and runs (no E0460: the crate hashes agree); the
// metadata action reports errors but leaves warnings to the full action.
func TestPipelinedPairWritesTheSameBytes(t *testing.T) {
	for _, rustc := range nativeRustcs(t) {
		t.Run(strings.ReplaceAll(rustc, "/", "_"), func(t *testing.T) {
			dir := t.TempDir()
			for _, d := range []string{"one", "meta", "full", "dep", "bin"} {
				os.MkdirAll(filepath.Join(dir, d), 0o755)
			}
			os.WriteFile(filepath.Join(dir, "a.rs"), []byte(`
pub fn add(a: u32, b: u32) -> u32 { let unused = 1; a + b }
pub fn gen<T: Clone>(t: &T) -> T { t.clone() }
#[inline] pub fn seven() -> u32 { 7 }
`), 0o644)
			os.WriteFile(filepath.Join(dir, "b.rs"), []byte("pub fn f(x: u32) -> u32 { a::add(x, x) + a::gen(&x) + a::seven() }\n"), 0o644)
			os.WriteFile(filepath.Join(dir, "m.rs"), []byte("fn main() { println!(\"{}\", b::f(3)); }\n"), 0o644)
			svc := NewService(engine.Config{})
			defer svc.Close(context.Background())
			lib := func(out, rmeta, rlib string, stop bool, outs ...string) string {
				t.Helper()
				code, stderr, err := compile(t, svc, Request{Compiler: rustc, Dir: dir, Outputs: outs, StopAfterMetadata: stop, NoWarnings: out == "full",
					Args: []string{"a.rs", "--crate-type=rlib", "--crate-name=a", "--edition=2021", "-Cmetadata=0123",
						"--emit=metadata=" + rmeta + ",link=" + rlib}})
				if err != nil || code != 0 {
					t.Fatalf("%s: exit %d, %v: %s", out, code, err, stderr)
				}
				return stderr
			}
			oneErr := lib("one", "one/liba.rmeta", "one/liba.rlib", false, "one/liba.rmeta", "one/liba.rlib")
			metaErr := lib("meta", "meta/liba.rmeta", "meta/liba.rlib", true, "meta/liba.rmeta")
			before, _ := os.Stat(filepath.Join(dir, "meta", "liba.rmeta"))
			fullErr := lib("full", "meta/liba.rmeta", "full/liba.rlib", false, "full/liba.rlib")
			// The full action wrote its .rmeta into its staging directory,
			// not over the metadata action's output.
			if after, err := os.Stat(filepath.Join(dir, "meta", "liba.rmeta")); err != nil || !os.SameFile(before, after) || !after.ModTime().Equal(before.ModTime()) {
				t.Errorf("the full action replaced the metadata action's .rmeta (%v)", err)
			}
			same := func(a, b string) {
				t.Helper()
				x, _ := os.ReadFile(filepath.Join(dir, a))
				y, _ := os.ReadFile(filepath.Join(dir, b))
				if len(x) == 0 || !bytes.Equal(x, y) {
					t.Errorf("%s (%d bytes) and %s (%d bytes) differ", a, len(x), b, len(y))
				}
			}
			same("one/liba.rmeta", "meta/liba.rmeta")
			same("one/liba.rlib", "full/liba.rlib")
			for _, d := range []string{"meta", "full"} {
				ents, _ := os.ReadDir(filepath.Join(dir, d))
				var names []string
				for _, e := range ents {
					names = append(names, e.Name())
				}
				if want := map[string]string{"meta": "liba.rmeta", "full": "liba.rlib"}[d]; strings.Join(names, ",") != want {
					t.Errorf("%s/ holds %v, want %s", d, names, want)
				}
			}
			// Warnings come rendered, once: from the metadata action.
			const warning = "warning: unused variable: `unused`"
			for _, got := range []string{oneErr, metaErr} {
				if !strings.Contains(got, warning) || strings.Contains(got, `{"`) {
					t.Errorf("want the rendered warning from one compile and the metadata action; got %q", got)
				}
			}
			if fullErr != "" {
				t.Errorf("the full action printed %q", fullErr)
			}

			code, stderr, err := compile(t, svc, Request{Compiler: rustc, Dir: dir, Outputs: []string{"dep/libb.rlib"},
				Args: []string{"b.rs", "--crate-type=rlib", "--crate-name=b", "--edition=2021", "--emit=link=dep/libb.rlib", "--extern=a=meta/liba.rmeta"}})
			if err != nil || code != 0 {
				t.Fatalf("b against a's .rmeta: exit %d, %v: %s", code, err, stderr)
			}
			code, stderr, err = compile(t, svc, Request{Compiler: rustc, Dir: dir, Outputs: []string{"bin/m"},
				Args: []string{"m.rs", "--crate-type=bin", "--crate-name=m", "--edition=2021", "--emit=link=bin/m", "--extern=b=dep/libb.rlib", "-Ldependency=full"}})
			if err != nil || code != 0 {
				t.Fatalf("m against the .rlibs: exit %d, %v: %s", code, err, stderr)
			}
			if out, err := exec.Command(filepath.Join(dir, "bin", "m")).Output(); err != nil || string(out) != "16\n" {
				t.Errorf("m printed %q, %v", out, err)
			}
		})
	}
}

// TestStopAfterMetadataStopsRustc: rustc is stopped once it has written
// the .rmeta, before codegen. A binary whose linker (a script) leaves a
// mark and fails: its full compile runs the linker and fails; its
// metadata action succeeds with the .rmeta alone, and the linker never
// ran. A crate that does not type-check fails its metadata action with
// rustc's error, rendered, and leaves nothing.
func TestStopAfterMetadataStopsRustc(t *testing.T) {
	for _, rustc := range nativeRustcs(t) {
		t.Run(strings.ReplaceAll(rustc, "/", "_"), func(t *testing.T) {
			dir := t.TempDir()
			os.MkdirAll(filepath.Join(dir, "out"), 0o755)
			mark := filepath.Join(t.TempDir(), "linked")
			linker := filepath.Join(t.TempDir(), "linker.sh")
			os.WriteFile(linker, []byte("#!/bin/sh\necho linked >> "+mark+"\nexit 1\n"), 0o755)
			os.WriteFile(filepath.Join(dir, "m.rs"), []byte("fn main() {}\n"), 0o644)
			os.WriteFile(filepath.Join(dir, "bad.rs"), []byte("pub fn f() -> u32 { \"s\" }\n"), 0o644)
			svc := NewService(engine.Config{})
			defer svc.Close(context.Background())
			args := []string{"m.rs", "--crate-type=bin", "--crate-name=m", "-Clinker=" + linker, "--emit=metadata=out/libm.rmeta,link=out/m"}
			code, stderr, err := compile(t, svc, Request{Compiler: rustc, Dir: dir, Outputs: []string{"out/m"}, Args: args})
			if _, serr := os.Stat(mark); err != nil || code == 0 || serr != nil {
				t.Fatalf("the full compile: exit %d, %v, the linker's mark: %v: %s", code, err, serr, stderr)
			}
			os.Remove(mark)
			code, stderr, err = compile(t, svc, Request{Compiler: rustc, Dir: dir, Outputs: []string{"out/libm.rmeta"}, Args: args, StopAfterMetadata: true})
			if err != nil || code != 0 {
				t.Fatalf("the metadata action: exit %d, %v: %s", code, err, stderr)
			}
			if _, err := os.Stat(mark); err == nil {
				t.Error("the metadata action ran the linker: rustc was not stopped")
			}
			if got := strings.Join(leftovers(t, dir), ","); got != "out/libm.rmeta" {
				t.Errorf("out/ holds %s", got)
			}
			os.Remove(filepath.Join(dir, "out", "libm.rmeta"))
			code, stderr, err = compile(t, svc, Request{Compiler: rustc, Dir: dir, Outputs: []string{"out/libbad.rmeta"}, StopAfterMetadata: true,
				Args: []string{"bad.rs", "--crate-type=rlib", "--crate-name=bad", "--emit=metadata=out/libbad.rmeta,link=out/libbad.rlib"}})
			if err != nil || code != 1 || !strings.Contains(stderr, "error[E0308]: mismatched types") || strings.Contains(stderr, `{"`) {
				t.Errorf("a crate that does not build: exit %d, %v: %q", code, err, stderr)
			}
			if l := leftovers(t, dir); len(l) != 0 {
				t.Errorf("out/ holds %v", l)
			}
		})
	}
}

// TestPipelineRequestsChecked: a metadata action's one output is the
// .rmeta its --emit writes, its rustc is native, and no compile chooses
// rustc's message format itself.
func TestPipelineRequestsChecked(t *testing.T) {
	svc := NewService(engine.Config{})
	defer svc.Close(context.Background())
	for _, c := range []struct {
		name string
		req  Request
		want string
	}{
		{"the .rlib as output", Request{Compiler: "rustc", Outputs: []string{"liba.rlib"}, Args: []string{"--emit=metadata=liba.rmeta,link=liba.rlib"}}, ErrNoMetadataOutput.Error()},
		{"no metadata emitted", Request{Compiler: "rustc", Outputs: []string{"liba.rmeta"}, Args: []string{"--emit=link=liba.rmeta"}}, ErrNoMetadataOutput.Error()},
		{"two outputs", Request{Compiler: "rustc", Outputs: []string{"liba.rmeta", "liba.rlib"}, Args: []string{"--emit=metadata=liba.rmeta,link=liba.rlib"}}, ErrNoMetadataOutput.Error()},
		{"rustc.wasm", Request{Compiler: "rustc.wasm", Outputs: []string{"liba.rmeta"}, Args: []string{"--emit=metadata=liba.rmeta"}}, "not with rustc.wasm (rustc.wasm)"},
	} {
		c.req.StopAfterMetadata = true
		c.req.Dir = t.TempDir()
		if _, err := svc.Compile(context.Background(), c.req); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", c.name, err, c.want)
		}
	}
	for _, flag := range []string{"--error-format=short", "--json=diagnostic-short", "--error-format"} {
		dir := t.TempDir()
		_, err := svc.Compile(context.Background(), Request{Compiler: "/usr/bin/rustc", Dir: dir, Outputs: []string{"liba.rlib"}, Args: []string{"a.rs", "--emit=link=liba.rlib", flag, "human"}})
		if err == nil || !strings.Contains(err.Error(), "rustc argument \""+flag+"\": the runner sets rustc's message format") {
			t.Errorf("%s: %v", flag, err)
		}
	}
}

// TestMessageRelay: rustc 1.63's messages (no "$message_type") and
// 1.96's print as rustc would without JSON; what is not one of rustc's
// messages passes as it came, a last line without a newline too.
func TestMessageRelay(t *testing.T) {
	input := `{"message":"unused","level":"warning","spans":[],"rendered":"warning: unused\n\n"}
{"artifact":"out/liba.rmeta","emit":"metadata"}
{"$message_type":"diagnostic","message":"bad","level":"error","rendered":"error: bad\n"}
{"$message_type":"artifact","artifact":"out/liba.rmeta","emit":"metadata"}
{"$message_type":"artifact","artifact":"out/liba.rlib","emit":"link"}
thread 'rustc' panicked at 'oops'
{"$message_type":"future_incompat","future_incompat_report":[]}
{not json
no newline`
	for _, quiet := range []bool{false, true} {
		var out bytes.Buffer
		calls := 0
		r := &messageRelay{out: &out, noWarnings: quiet, onMetadata: func() { calls++ }}
		// In pieces that split lines, as a pipe may.
		for i := 0; i < len(input); i += 7 {
			r.Write([]byte(input[i:min(i+7, len(input))]))
		}
		r.Close()
		want := "warning: unused\n\nerror: bad\n"
		if quiet {
			want = "error: bad\n"
		}
		want += "thread 'rustc' panicked at 'oops'\n{\"$message_type\":\"future_incompat\",\"future_incompat_report\":[]}\n{not json\nno newline"
		if out.String() != want || calls != 1 || !r.MetadataWritten() {
			t.Errorf("quiet=%v: got %q (metadata calls %d), want %q", quiet, out.String(), calls, want)
		}
	}
}

// TestMessageRelayStopsAtMetadata: a metadata action's relay prints what
// rustc wrote before the .rmeta's notification, and nothing after it (an
// error of codegen, a line cut short by the kill): that is the full
// action's to report.
func TestMessageRelayStopsAtMetadata(t *testing.T) {
	var out bytes.Buffer
	r := &messageRelay{out: &out, stopAtMetadata: true}
	r.Write([]byte(`{"$message_type":"diagnostic","level":"warning","rendered":"warning: before\n"}
{"$message_type":"artifact","artifact":"out/liba.rmeta","emit":"metadata"}
{"$message_type":"diagnostic","level":"error","rendered":"error: after\n"}
{"$message_type":"diagn`))
	r.Close()
	if out.String() != "warning: before\n" || !r.MetadataWritten() {
		t.Errorf("got %q", out.String())
	}
}

// TestOutputsMatchWhateverTheirSpelling: an --emit path spelled otherwise
// than its --out ("./out/x") is the output, not an undeclared emit to
// drop; so is a metadata action's .rmeta.
func TestOutputsMatchWhateverTheirSpelling(t *testing.T) {
	rustc := nativeRustcs(t)[0]
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "out"), 0o755)
	os.WriteFile(filepath.Join(dir, "a.rs"), []byte("pub fn f() {}\n"), 0o644)
	svc := NewService(engine.Config{})
	defer svc.Close(context.Background())
	for _, c := range []struct {
		out  string
		stop bool
	}{{"out/liba.rlib", false}, {"out/liba.rmeta", true}} {
		code, stderr, err := compile(t, svc, Request{Compiler: rustc, Dir: dir, Outputs: []string{c.out}, StopAfterMetadata: c.stop,
			Args: []string{"a.rs", "--crate-type=rlib", "--crate-name=a", "--emit=metadata=./out/liba.rmeta,link=./out/liba.rlib"}})
		if err != nil || code != 0 {
			t.Errorf("%s: exit %d, %v: %s", c.out, code, err, stderr)
		}
	}
}
