package rustc

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/action"
)

// TestOutputFromBeforeDoesNotSurviveAFailure: a file already at a declared
// output's path is gone after a failed compile (rustc --help promises that
// no output is left when rustc fails).
func TestOutputFromBeforeDoesNotSurviveAFailure(t *testing.T) {
	dir, standin, svc := workspace(t)
	os.MkdirAll(filepath.Join(dir, "out"), 0o755)
	os.WriteFile(filepath.Join(dir, "out", "libbad.rmeta"), []byte("from an earlier build"), 0o644)
	code, _, err := compile(t, svc, Request{Compiler: standin, Dir: dir, Outputs: []string{"out/libbad.rmeta"},
		Args: []string{"src/bad.rs", "--crate-type=rlib", "--emit=metadata=out/libbad.rmeta"}})
	if err != nil || code != 1 {
		t.Fatalf("exit %d, %v", code, err)
	}
	if l := leftovers(t, dir); len(l) != 0 {
		t.Fatalf("left behind: %v", l)
	}
}

// stagingPrefix begins the name of rustc's staging directories (see
// action.Stage).
const stagingPrefix = ".rustc-tmp-"

// TestStaleStagingIsRemoved: staging directories left by a killed runner
// (their lock held by nobody) are removed by the next compile that stages
// beside them; one whose lock a live process holds stays.
func TestStaleStagingIsRemoved(t *testing.T) {
	dir, standin, svc := workspace(t)
	out := filepath.Join(dir, "out")
	dead := filepath.Join(out, stagingPrefix+"0123456789ab")
	os.MkdirAll(dead, 0o755)
	os.WriteFile(filepath.Join(dead, "half-written.rlib"), []byte("\x00asm"), 0o644)
	// Another runner, still running, has staged its output beside.
	other, err := action.Stage(dir, "rustc", []string{"out/libother.rlib"})
	if err != nil {
		t.Fatal(err)
	}
	live := other.Path("out/libother.rlib")
	os.WriteFile(filepath.Join(dir, live), []byte("\x00asm"), 0o644)
	code, stderr, err := compile(t, svc, Request{Compiler: standin, Dir: dir, Outputs: []string{"out/libok.rmeta"},
		Args: []string{"src/m.rs", "--crate-type=rlib", "--emit=metadata=out/libok.rmeta"}})
	if err != nil || code != 0 {
		t.Fatalf("exit %d, %v: %s", code, err, stderr)
	}
	liveDir := filepath.Dir(live)
	if !strings.HasPrefix(liveDir, "out/"+stagingPrefix) {
		t.Fatalf("the other runner staged in %s", liveDir)
	}
	got := strings.Join(leftovers(t, dir), ",")
	want := liveDir + "," + live + "," + liveDir + ".lock,out/libok.rmeta"
	if got != want {
		t.Fatalf("out/ holds %s\nwant %s", got, want)
	}
	// RemoveStale (the worker's, after it killed a child) removes what a
	// killed runner left and keeps what a live one holds.
	os.MkdirAll(dead, 0o755)
	action.RemoveStale(dir, []string{"out/libok.rmeta"})
	if got := strings.Join(leftovers(t, dir), ","); got != want {
		t.Fatalf("after RemoveStale, out/ holds %s\nwant %s", got, want)
	}
	other.Discard()
	if got := strings.Join(leftovers(t, dir), ","); got != "out/libok.rmeta" {
		t.Fatalf("after the other runner, out/ holds %s", got)
	}
}
