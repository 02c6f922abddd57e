package macroexpand

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/engine"
	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/internal/wasmtest"
	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/macrobuild"
)

// faultsModule builds testdata/faults.rs as the rules do (wasmtest.MacroModule).
func faultsModule(t *testing.T) string {
	t.Helper()
	return wasmtest.MacroModule(t, "testdata/faults.rs", func(path string, src []byte) ([]byte, error) {
		return macrobuild.RenameAttributes(path, src, "faults-0123456789abcdef", "2021")
	})
}

// bangRequest is the guest request for the bang macro name over the tokens
// of idents (each at span 0, call_site).
func bangRequest(name string, idents ...string) []byte {
	req := Request{Kind: macrobuild.KindBang, Name: name, Spans: 2}
	for _, id := range idents {
		req.Input = append(req.Input, Tree{Kind: TreeIdent, Text: id})
	}
	b, _ := req.Encode()
	return b
}

// expander serves the faults module in the world NewWorld makes of cfg.Env
// (a default when nil) and cfg.Stderr over a working directory holding
// input.txt (a declared input) and secret.txt (not declared).
func expander(t *testing.T, cfg World, limits Limits) *Expander {
	t.Helper()
	x, _ := expanderIn(t, cfg, limits)
	return x
}

// expanderIn is expander, and the working directory it made.
func expanderIn(t *testing.T, cfg World, limits Limits) (*Expander, string) {
	t.Helper()
	m, err := ReadModule(faultsModule(t))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "pkg"), 0o755)
	os.WriteFile(filepath.Join(dir, "pkg", "input.txt"), []byte("declared\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "pkg", "secret.txt"), []byte("secret\n"), 0o644)
	env := cfg.Env
	if env == nil {
		env = []string{"CARGO_MANIFEST_DIR=/pkg", "CARGO_PKG_VERSION=1.2.3"}
	}
	world, err := NewWorld(env, dir, []string{"pkg/input.txt"}, cfg.Stderr)
	if err != nil {
		t.Fatal(err)
	}
	return newExpander(t, limits, world, m), dir
}

// newExpander serves module m under limits, with an engine of its own.
func newExpander(t *testing.T, limits Limits, cfg World, m *Module) *Expander {
	t.Helper()
	eng, err := NewEngine(context.Background(), engine.Config{}, limits)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { eng.Close(context.Background()) })
	x, err := NewExpander(eng, cfg, []*Module{m})
	if err != nil {
		t.Fatal(err)
	}
	return x
}

func TestModuleDeclaresItsMacros(t *testing.T) {
	m, err := ReadModule(faultsModule(t))
	if err != nil {
		t.Fatal(err)
	}
	if m.Key != "faults-0123456789abcdef" {
		t.Errorf("key %q", m.Key)
	}
	for _, name := range []string{"echo", "panics", "spins", "grows", "reads_host_file", "reads_input", "environment"} {
		if !m.Declares(macrobuild.KindBang, name) {
			t.Errorf("the module does not declare bang macro %s: %+v", name, m.Decls)
		}
	}
}

func TestExpandEcho(t *testing.T) {
	x := expander(t, World{}, Limits{})
	r := x.Expand(context.Background(), "faults-0123456789abcdef", bangRequest("echo", "a", "b"))
	if r.Status != StatusOK {
		t.Fatalf("status %d: %s", r.Status, r.Message)
	}
	// status ok, no new spans, the same two idents at span 0.
	want := []byte{0, 0, 0, 0, 0, 2, 0, 0, 0}
	for _, id := range []string{"a", "b"} {
		want = append(want, 1, 0, 0, 0, 0, 0)
		want = appendStr(want, []byte(id))
	}
	if !bytes.Equal(r.Payload, want) {
		t.Errorf("payload\n got %v\nwant %v", r.Payload, want)
	}
}

func TestExpandKeepsWhatTheMacroPrints(t *testing.T) {
	var stderr bytes.Buffer
	x := expander(t, World{Stderr: &stderr}, Limits{})
	r := x.Expand(context.Background(), "faults-0123456789abcdef", bangRequest("prints", "a"))
	if r.Status != StatusOK || string(r.Stdout) != "printed by the macro\n" {
		t.Fatalf("status %d, stdout %q, message %q", r.Status, r.Stdout, r.Message)
	}
	if !strings.Contains(stderr.String(), "to stderr") {
		t.Errorf("stderr %q", stderr.String())
	}
}

func TestExpandPanicIsItsMessage(t *testing.T) {
	x := expander(t, World{}, Limits{})
	r := x.Expand(context.Background(), "faults-0123456789abcdef", bangRequest("panics"))
	if r.Status != StatusPanic || r.Message != "panicked on purpose" {
		t.Fatalf("status %d, message %q", r.Status, r.Message)
	}
}

func TestExpandTimeoutNamesTheMacro(t *testing.T) {
	x := expander(t, World{}, Limits{Timeout: 500 * time.Millisecond})
	start := time.Now()
	r := x.Expand(context.Background(), "faults-0123456789abcdef", bangRequest("spins"))
	if r.Status != StatusFailed || !strings.Contains(r.Message, "bang macro spins did not finish within 500ms") {
		t.Fatalf("status %d, message %q", r.Status, r.Message)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("the timeout took %v", d)
	}
	// The expander still serves.
	if r := x.Expand(context.Background(), "faults-0123456789abcdef", bangRequest("echo", "a")); r.Status != StatusOK {
		t.Fatalf("after a timeout: status %d, %s", r.Status, r.Message)
	}
}

func TestExpandMemoryIsCapped(t *testing.T) {
	x := expander(t, World{}, Limits{MaxMemoryMiB: 64})
	r := x.Expand(context.Background(), "faults-0123456789abcdef", bangRequest("grows"))
	if r.Status == StatusOK {
		t.Fatal("a macro grew past the cap")
	}
	if !strings.Contains(r.Message, "bang macro grows") {
		t.Errorf("the failure does not name the macro: %q", r.Message)
	}
}

func TestExpandSandbox(t *testing.T) {
	x := expander(t, World{}, Limits{})
	for name, want := range map[string]string{
		"reads_host_file": "NotFound",
		"reads_input":     "read: declared",
		"environment":     "CARGO_MANIFEST_DIR,CARGO_PKG_VERSION",
	} {
		r := x.Expand(context.Background(), "faults-0123456789abcdef", bangRequest(name))
		if r.Status != StatusPanic || r.Message != want {
			t.Errorf("%s: status %d, message %q; want a panic %q", name, r.Status, r.Message, want)
		}
	}
}

func TestExpandRefusesUnknownKeysAndMacros(t *testing.T) {
	x := expander(t, World{}, Limits{})
	r := x.Expand(context.Background(), "other-0123456789abcdef", bangRequest("echo"))
	if r.Status != StatusFailed || !strings.Contains(r.Message, `no wasm proc macro module with key "other-0123456789abcdef"`) {
		t.Errorf("unknown key: status %d, %q", r.Status, r.Message)
	}
	r = x.Expand(context.Background(), "faults-0123456789abcdef", bangRequest("nonexistent"))
	if r.Status != StatusFailed || !strings.Contains(r.Message, "declares no bang macro nonexistent") {
		t.Errorf("unknown macro: status %d, %q", r.Status, r.Message)
	}
	r = x.Expand(context.Background(), "faults-0123456789abcdef", []byte("garbage"))
	if r.Status == StatusOK {
		t.Errorf("a garbage request was expanded")
	}
}

// TestExpansionIgnoresTheHost: the same input expands the same in two
// directories whose files differ in times and inodes, at any time of day.
func TestExpansionIgnoresTheHost(t *testing.T) {
	var messages []string
	for i, mtime := range []time.Time{time.Unix(1e9, 0), time.Now()} {
		x, dir := expanderIn(t, World{}, Limits{})
		if err := os.Chtimes(filepath.Join(dir, "pkg", "input.txt"), mtime, mtime); err != nil {
			t.Fatal(err)
		}
		if i == 1 {
			time.Sleep(1100 * time.Millisecond) // another second of the day
		}
		r := x.Expand(context.Background(), "faults-0123456789abcdef", bangRequest("observes"))
		if r.Status != StatusPanic {
			t.Fatalf("status %d, message %q", r.Status, r.Message)
		}
		messages = append(messages, r.Message)
	}
	if messages[0] != messages[1] {
		t.Errorf("the expansions differ:\n%s\n%s", messages[0], messages[1])
	}
}
