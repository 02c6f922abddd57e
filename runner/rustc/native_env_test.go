package rustc

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/action"
	"github.com/rules-rustc-wasm/rules_rustc_wasm/runner/engine"
)

// TestNativeEnvironmentIsTheActions: a native rustc sees the environment
// the action declares (--env, --env-path) and PATH, which its linker needs,
// but not the runner's own variables: before, a macro's option_env! read
// whatever the host had (here FOO_SECRET, and RUSTC_BOOTSTRAP, which would
// turn on unstable features behind the action's back).
func TestNativeEnvironmentIsTheActions(t *testing.T) {
	t.Setenv("FOO_SECRET", "from the host")
	t.Setenv("RUSTC_BOOTSTRAP", "1")
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "out", "gen"), 0o755)
	native := filepath.Join(dir, "native-rustc")
	// Shell built-ins only: the script reports, it does not need PATH.
	os.WriteFile(native, []byte(`#!/bin/sh
echo "FOO_SECRET=${FOO_SECRET-unset} RUSTC_BOOTSTRAP=${RUSTC_BOOTSTRAP-unset} DECLARED=${DECLARED-unset} OUT_DIR=${OUT_DIR-unset} PATH=${PATH:+set}"
`), 0o755)
	svc := NewService(engine.Config{})
	defer svc.Close(context.Background())
	var stdout bytes.Buffer
	code, stderr, err := compile(t, svc, Request{Compiler: native, Dir: dir, Stdout: &stdout,
		Env: []string{"DECLARED=yes"}, EnvPaths: []action.EnvPath{{Name: "OUT_DIR", Path: "out/gen"}}})
	if err != nil || code != 0 {
		t.Fatalf("exit %d, %v: %s", code, err, stderr)
	}
	abs, _ := filepath.Abs(filepath.Join(dir, "out", "gen"))
	want := "FOO_SECRET=unset RUSTC_BOOTSTRAP=unset DECLARED=yes OUT_DIR=" + abs + " PATH=set"
	if got := strings.TrimSpace(stdout.String()); got != want {
		t.Errorf("the native compiler saw\n%s\nwant\n%s", got, want)
	}
}

// TestDeclaredEnvironmentOverridesTheHosts: an action that sets a variable
// the runner would pass from the host (PATH) gives rustc its own value.
func TestDeclaredEnvironmentOverridesTheHosts(t *testing.T) {
	t.Setenv("PATH", "/host/bin")
	dir := t.TempDir()
	native := filepath.Join(dir, "native-rustc")
	os.WriteFile(native, []byte("#!/bin/sh\necho \"$PATH\"\n"), 0o755)
	svc := NewService(engine.Config{})
	defer svc.Close(context.Background())
	var stdout bytes.Buffer
	code, stderr, err := compile(t, svc, Request{Compiler: native, Dir: dir, Stdout: &stdout, Env: []string{"PATH=/action/bin"}})
	if err != nil || code != 0 {
		t.Fatalf("exit %d, %v: %s", code, err, stderr)
	}
	if got := strings.TrimSpace(stdout.String()); got != "/action/bin" {
		t.Errorf("PATH %q, want the action's /action/bin", got)
	}
}
