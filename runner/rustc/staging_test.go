package rustc

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/action"
	"golang.org/x/sys/unix"
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

// lockStaging holds the lock of the staging directory tmp, as the runner
// that staged it does while it runs.
func lockStaging(tmp string) (*os.File, error) {
	f, err := os.OpenFile(tmp+".lock", os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, err
	}
	if err := unix.Flock(int(f.Fd()), unix.LOCK_EX); err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

// TestStaleStagingIsRemoved: staging directories left by a killed runner
// (their lock held by nobody) are removed by the next compile that stages
// beside them; one whose lock a live process holds stays.
func TestStaleStagingIsRemoved(t *testing.T) {
	dir, standin, svc := workspace(t)
	out := filepath.Join(dir, "out")
	dead := filepath.Join(out, stagingPrefix+"0123456789ab")
	live := filepath.Join(out, stagingPrefix+"ba9876543210")
	for _, d := range []string{dead, live} {
		os.MkdirAll(d, 0o755)
		os.WriteFile(filepath.Join(d, "half-written.rlib"), []byte("\x00asm"), 0o644)
	}
	lock, err := lockStaging(live) // as another, running, runner holds it
	if err != nil {
		t.Fatal(err)
	}
	defer lock.Close()
	if unix.Flock(int(lock.Fd()), unix.LOCK_EX|unix.LOCK_NB) != nil {
		t.Fatal("cannot hold the lock")
	}
	code, stderr, err := compile(t, svc, Request{Compiler: standin, Dir: dir, Outputs: []string{"out/libok.rmeta"},
		Args: []string{"src/m.rs", "--crate-type=rlib", "--emit=metadata=out/libok.rmeta"}})
	if err != nil || code != 0 {
		t.Fatalf("exit %d, %v: %s", code, err, stderr)
	}
	got := strings.Join(leftovers(t, dir), ",")
	want := "out/" + stagingPrefix + "ba9876543210,out/" + stagingPrefix + "ba9876543210/half-written.rlib,out/" + stagingPrefix + "ba9876543210.lock,out/libok.rmeta"
	if got != want {
		t.Fatalf("out/ holds %s\nwant %s", got, want)
	}
	// Once its holder is gone, the next compile removes it, and
	// RemoveStale (the worker's, after it killed a child) does too.
	lock.Close()
	action.RemoveStale(dir, []string{"out/libok.rmeta"})
	if got := strings.Join(leftovers(t, dir), ","); got != "out/libok.rmeta" {
		t.Fatalf("out/ holds %s", got)
	}
}
